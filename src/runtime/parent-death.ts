// Unsandboxed environments must not outlive the server: bubblewrap's --die-with-parent covers
// sandboxed ones, and util-linux's `setpriv --pdeathsig KILL` does the same for a runtime started
// without it (the kernel kills it when the server process dies, even by SIGKILL). Its own
// children (extensions, processes a handler starts) are not covered.
import { execFile } from 'node:child_process';

export const DEFAULT_SETPRIV_PATH = '/usr/bin/setpriv';

/** Wraps a command so that its process is killed when the server dies. */
export type ParentDeathWrapper = (file: string, args: string[]) => { file: string; args: string[] };

const asGiven: ParentDeathWrapper = (file, args) => ({ file, args });

/** Checks once that setpriv can set the parent-death signal here; else commands run as given. */
export async function parentDeathWrapper(setprivPath = DEFAULT_SETPRIV_PATH): Promise<{ wrap: ParentDeathWrapper; problem?: string }> {
  const problem = await new Promise<string | undefined>((resolve) => {
    execFile(setprivPath, ['--pdeathsig', 'KILL', 'true'], { timeout: 5000 }, (error, _stdout, stderr) => resolve(error ? (stderr.trim() || error.message) : undefined));
  });
  if (problem) return { wrap: asGiven, problem: `${setprivPath} --pdeathsig is unavailable: ${problem}` };
  return { wrap: (file, args) => ({ file: setprivPath, args: ['--pdeathsig', 'KILL', '--', file, ...args] }) };
}
