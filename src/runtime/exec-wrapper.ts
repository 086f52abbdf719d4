// AWS_LAMBDA_EXEC_WRAPPER: a function of a managed runtime (Node.js, Python, Ruby) that sets it to an
// executable (usually in a layer, /opt/wrapper) has its runtime started as
// `<wrapper> <runtime executable> <runtime args…>`, so the script can change variables or flags and
// `exec "$@"`. OS-only runtimes (provided*) ignore it, as on AWS: their bootstrap is the function's own.
//
// The wrapper is exec'd by a one-line /bin/sh, as AWS's runtime bootstrap scripts do: a wrapper
// that is missing or not executable ends init with the shell's message on stderr and exit status
// 127 or 126 (Runtime.ExitError), not with a launch failure. The inherited fds (the private
// channel's 3 and 4) survive every exec; a wrapper that runs "$@" without exec keeps working too
// (its child inherits them), it only stays around as an extra process.

export const EXEC_WRAPPER = 'AWS_LAMBDA_EXEC_WRAPPER';

/** Where the wrapper is on the host: its path as the function names it, or under an unsandboxed /opt or /var/task. */
export function hostWrapperPath(wrapper: string, roots: { optRoot: string; taskRoot: string } | undefined): string {
  if (!roots) return wrapper;
  if (wrapper.startsWith('/opt/')) return roots.optRoot + wrapper.slice('/opt'.length);
  if (wrapper.startsWith('/var/task/')) return roots.taskRoot + wrapper.slice('/var/task'.length);
  return wrapper;
}

/** The command that starts `runtime` through `wrapper` (given the runtime's command and args as its own). */
export function wrappedCommand(wrapper: string, runtime: { file: string; args: string[] }): { file: string; args: string[] } {
  return { file: '/bin/sh', args: ['-c', 'exec "$@"', '/var/runtime/bootstrap', wrapper, runtime.file, ...runtime.args] };
}
