// Errors the environment pool throws to its caller. Function failures are not errors here: they
// come back as an InvokeResult with functionError set, as AWS returns them.
import { AwsError } from '../core/errors.js';
import type { InitRetry } from './environment-init.js';
import type { InvokeResult } from './types.js';

/** Every environment is busy and the queue wait ran out: the caller answers 429. */
export class EnvironmentCapacityError extends AwsError {
  constructor() {
    super('TooManyRequestsException', 'Rate Exceeded.', { extra: { Reason: 'ConcurrentInvocationLimitExceeded' }, headers: { 'Retry-After': '1' } });
  }
}

/** `--sandbox required` and bubblewrap cannot run here. */
export class SandboxUnavailableError extends AwsError {
  constructor(reason: string) {
    super('ServiceException', `Function execution is disabled: the sandbox is required but unavailable (${reason}).`);
  }
}

/** The function's runtime is not one this platform can run. */
export class UnsupportedRuntimeError extends AwsError {
  constructor(runtime: string) {
    // The java* runtimes run on the host's JDK: say what is missing.
    const hint = runtime.startsWith('java') ? ' Java runtimes need a JDK on the host (java and javac: apt-get install openjdk-17-jdk-headless).' : '';
    super('InvalidRuntimeException', `The runtime parameter of ${runtime} is not supported by this platform.${hint}`);
  }
}

/** The pool was used before start() or after close(). */
export class PoolClosedError extends AwsError {
  constructor() {
    super('ServiceException', 'The execution environment pool is not running.');
  }
}

/** An environment could not be launched at all (spawn failed): our fault, not the function's. */
export class EnvironmentLaunchError extends AwsError {
  constructor(message: string) {
    super('ServiceException', `Could not start an execution environment: ${message}`);
  }
}

/**
 * An invocation sent ahead to a busy environment did not start there: the environment stopped
 * first, or the invocation waited too long and was withdrawn. The pool runs it elsewhere (the
 * function never saw it), so callers never get this.
 */
export class InvocationNotStartedError extends Error {
  readonly withdrawn: boolean;

  constructor(withdrawn: boolean) {
    super(withdrawn ? 'The invocation was withdrawn before it started.' : 'The execution environment stopped before it started this invocation.');
    this.withdrawn = withdrawn;
  }
}

/**
 * An on-demand environment's init failed (or ran out of its 10 s) with an invocation waiting for
 * it: AWS runs init again as part of that invocation, in a new environment that, unsandboxed, keeps
 * the /tmp of this one (`retry`). `result` is the answer when it does not run again (the pool is closing).
 */
export class InitFailedError extends Error {
  constructor(
    readonly retry: InitRetry,
    readonly result: InvokeResult,
  ) {
    super('init failed; it runs again with the invocation');
    this.name = 'InitFailedError';
  }
}
