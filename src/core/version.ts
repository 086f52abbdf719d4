// Stagecraft's version, in one place: the CLI's --version, the serve banner and /_stagecraft/health.
export const STAGECRAFT_VERSION = '0.1.0';
