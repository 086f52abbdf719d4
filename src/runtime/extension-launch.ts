// How external extensions start: a small /bin/sh launcher in front of the runtime's command starts
// every executable in /opt/extensions (sorted, in the background, with the function's variables,
// stdout and stderr), waits until the platform says they have all registered (a line on fd 6),
// then starts the runtime: as on AWS, the runtime starts after extension registration. They share
// its sandbox, /tmp, PID namespace and process group. The launcher stays as their parent: when the
// runtime ends on its own, it exits with the runtime's status (128+n for a signal) and everything
// ends with it. For the Shutdown phase it passes SIGTERM on to the runtime (and turns SIGUSR1 into
// the runtime's SIGKILL); once the runtime has ended it says so (its status alone on fd 5) and
// keeps the extensions alive until they end, so that they get SHUTDOWN after the runtime, as on
// AWS. Each extension is watched by a subshell that writes "<exit status> <name>" to fd 5 when it
// ends: the platform learns of a crash at once. The extensions' stdout and stderr are fd 7, a pipe
// of their own, so the platform tells their lines from the function's (the Telemetry API's
// `extension` events); the extensions themselves see neither fds 5, 6 and 7 nor the private
// channel's fds 3 and 4, and the runtime does not see fds 5 and 6.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

/** The fd on which extension exits are reported. */
export const EXTENSION_EXITS_FD = 5;
/** The fd on which the platform tells the prologue that every extension has registered. */
export const EXTENSIONS_REGISTERED_FD = 6;
/** The extensions' stdout and stderr. */
export const EXTENSION_OUTPUT_FD = 7;

/** The signal that makes the launcher SIGKILL the runtime (the end of the runtime's part of the Shutdown phase). */
export const KILL_RUNTIME_SIGNAL = 'SIGUSR1';

/** Starts the extension "$f" in the background, its output on fd 7, its exit status and name on fd 5 once it ends (`closing`: fds it must not see). */
const startExtension = (closing: string): string => `{ "$f" </dev/null >&7 2>&7 5>&- 7>&-; echo "$? \${f##*/}" >&5; } ${closing}&`;

/** Starts the executables in directory $d, in name order. */
const startExtensions = (closing: string): string[] => ['for f in "$d"/*; do', '  [ -f "$f" ] && [ -x "$f" ] || continue', `  ${startExtension(closing)}`, 'done'];

// TERM: the Shutdown phase has begun (x), the runtime gets it; USR1: its time is up.
const TRAPS = [`trap 'x=1; kill -TERM $r 2>/dev/null' TERM`, `trap 'kill -KILL $r 2>/dev/null' USR1`];

const UNTIL_THE_END = [
  // A trapped signal interrupts wait: wait again until the runtime is gone.
  'until wait $r; s=$?; ! kill -0 $r; do :; done',
  '[ -z "$x" ] && exit $s',
  'echo $s >&5',
  'wait',
  'exit $s',
];

const PROLOGUE = [
  'd=$1; shift',
  ...startExtensions('3>&- 4>&- 6<&- '),
  'exec 7>&-',
  'read -r _ <&6 || exit 1',
  'exec 6<&-',
  ...TRAPS,
  '"$@" 5>&- &',
  'r=$!',
  // The launcher's own stderr is not the function's (the shell would report a killed runtime there).
  'exec 3>&- 4>&- 2>/dev/null',
  ...UNTIL_THE_END,
].join('\n');

/**
 * The launcher of a pre-started cell that may serve a function with external extensions: the same
 * duties, but the runtime starts at once (a generic cell waiting for its function), and the
 * extensions only when the platform, specialising the cell, writes on fd 6 their directory, a
 * terminator line, the function's variables as shell assignments, and the terminator again
 * (cellExtensionsStart()); the platform specialises the runtime once they have registered, so the
 * function's init still follows theirs. A subshell reads fd 6 and stays the extensions' parent; fd 6
 * closed without a line means no extensions, and the subshell ends.
 */
const CELL_PROLOGUE = [
  ...TRAPS,
  '"$@" 5>&- 6<&- 7>&- &',
  'r=$!',
  'exec 3>&- 4>&- 2>/dev/null',
  '{',
  '  IFS= read -r d <&6 && IFS= read -r t <&6 || exit 0',
  '  v=',
  '  while IFS= read -r l <&6 && [ "$l" != "$t" ]; do v="$v$l',
  '"; done',
  '  exec 6<&-',
  // The function's variables may name the shell's own: the directory is set again after them, as the fresh launcher sets it.
  '  set -- "$d"',
  '  eval "$v"',
  '  d=$1',
  ...startExtensions(''),
  '  exec 7>&-',
  '  wait',
  '} &',
  'exec 6<&- 7>&-',
  ...UNTIL_THE_END,
].join('\n');

/** The command of a cell that may serve functions with external extensions (CELL_PROLOGUE). */
export function cellExtensionsCommand(runtime: { file: string; args: string[] }): { file: string; args: string[] } {
  return { file: '/bin/sh', args: ['-c', CELL_PROLOGUE, 'stagecraft-extensions', runtime.file, ...runtime.args] };
}

/**
 * What a cell's launcher is told on fd 6 to start the extensions in `extensionsDir` with exactly
 * `variables` (those a fresh process's extensions get): the cell's own other variables are unset.
 */
export function cellExtensionsStart(extensionsDir: string, variables: Record<string, string>, cellVariables: Record<string, string>): string {
  const terminator = `--${randomBytes(16).toString('hex')}--`;
  const lines = Object.keys(cellVariables)
    .filter((name) => !(name in variables))
    .map((name) => `unset ${name}`);
  for (const [name, value] of Object.entries(variables)) {
    // Lambda allows only such names; the launch of a fresh process could pass no other to sh either.
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) lines.push(`export ${name}='${value.replace(/'/g, "'\\''")}'`);
  }
  return [extensionsDir, terminator, ...lines, terminator, ''].join('\n');
}

/** The command that starts the extensions in `extensionsDir`, then the runtime. */
export function extensionsCommand(extensionsDir: string, runtime: { file: string; args: string[] }): { file: string; args: string[] } {
  return { file: '/bin/sh', args: ['-c', PROLOGUE, 'stagecraft-extensions', extensionsDir, runtime.file, ...runtime.args] };
}

/**
 * Calls `exited(name, status)` for each extension whose process ended, as reported on `stream`,
 * and `runtimeEnded()` when the runtime has ended in the Shutdown phase.
 */
export function watchExtensionExits(stream: Readable, exited: (name: string, status: number) => void, runtimeEnded: () => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^(\d+)(?: (.+))?$/.exec(line);
      if (m?.[2] !== undefined) exited(m[2], Number(m[1]));
      else if (m) runtimeEnded();
    }
  });
  stream.on('error', () => {
    /* the process is gone: the environment notices */
  });
}
