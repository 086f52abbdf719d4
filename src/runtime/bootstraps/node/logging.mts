// Logging: console.* becomes `time \t requestId \t LEVEL \t message`, at or above
// AWS_LAMBDA_LOG_LEVEL. A record goes to the platform as an 'L' frame when the channel is there (so
// a record with newlines stays one log event), else to stdout with newlines replaced by '\r' as
// AWS does.
import { format } from 'node:util';
import { outFd, writeFrame } from './channel.mjs';
import { intoError, toLoggedError } from './errors.mjs';

let currentRequestId: string | undefined;

/** The invocation the records written from now on belong to. */
export function setRequestId(requestId: string): void {
  currentRequestId = requestId;
}

function writeRecord(text: string): void {
  if (outFd !== undefined) {
    try {
      writeFrame('L', {}, Buffer.from(text, 'utf8'));
      return;
    } catch {
      // The channel is gone (platform shutting down): fall back to stdout.
    }
  }
  process.stdout.write(text.replace(/\n/g, '\r') + '\n');
}

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
type Level = (typeof LEVELS)[number];

/** Replaces console's methods (again after a cell is specialised: the log level may have changed). */
export function patchConsole(): void {
  const minimum = Math.max(0, LEVELS.indexOf((process.env.AWS_LAMBDA_LOG_LEVEL ?? 'TRACE').toUpperCase() as Level));
  const logger = (level: Level) => {
    if (LEVELS.indexOf(level) < minimum) return () => {};
    return (...args: unknown[]): void => {
      writeRecord(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}`);
    };
  };
  const c = console as unknown as Record<string, unknown>;
  c.trace = logger('TRACE');
  c.debug = logger('DEBUG');
  c.info = logger('INFO');
  c.log = c.info;
  c.warn = logger('WARN');
  c.error = logger('ERROR');
  c.fatal = logger('FATAL');
}

/** `Invoke Error {…}`, `Uncaught Exception {…}`: as AWS logs them. */
export const logError = (title: string, error: unknown): void => console.error(title, toLoggedError(intoError(error)));
