// How external extensions start: a small /bin/sh prologue in front of the runtime's command starts
// every executable in /opt/extensions (sorted, in the background, with the function's variables,
// stdout and stderr), waits until the platform says they have all registered (a line on fd 6),
// then execs the runtime: as on AWS, the runtime starts after extension registration. They share
// its sandbox, /tmp, PID namespace and process group, so they end with it. Each extension is
// watched by a subshell that writes "<exit status> <name>" to fd 5 when it ends: the platform
// learns of a crash at once. The extensions' stdout and stderr are fd 7, a pipe of their own, so
// the platform tells their lines from the function's (the Telemetry API's `extension` events);
// the extensions themselves see neither fds 5, 6 and 7 nor the private channel's fds 3 and 4.
import type { Readable } from 'node:stream';

/** The fd on which extension exits are reported. */
export const EXTENSION_EXITS_FD = 5;
/** The fd on which the platform tells the prologue that every extension has registered. */
export const EXTENSIONS_REGISTERED_FD = 6;
/** The extensions' stdout and stderr. */
export const EXTENSION_OUTPUT_FD = 7;

const PROLOGUE = [
  'd=$1; shift',
  'for f in "$d"/*; do',
  '  [ -f "$f" ] && [ -x "$f" ] || continue',
  '  { "$f" </dev/null >&7 2>&7 5>&- 7>&-; echo "$? ${f##*/}" >&5; } 3>&- 4>&- 6<&- &',
  'done',
  'exec 5>&- 7>&-',
  'read -r _ <&6 || exit 1',
  'exec 6<&-',
  'exec "$@"',
].join('\n');

/** The command that starts the extensions in `extensionsDir`, then becomes the runtime. */
export function extensionsCommand(extensionsDir: string, runtime: { file: string; args: string[] }): { file: string; args: string[] } {
  return { file: '/bin/sh', args: ['-c', PROLOGUE, 'stagecraft-extensions', extensionsDir, runtime.file, ...runtime.args] };
}

/** Calls `exited(name, status)` for each extension whose process ended, as reported on `stream`. */
export function watchExtensionExits(stream: Readable, exited: (name: string, status: number) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^(\d+) (.+)$/.exec(line);
      if (m) exited(m[2], Number(m[1]));
    }
  });
  stream.on('error', () => {
    /* the process is gone: the environment notices */
  });
}
