// How AWS describes an invocation the runtime did not answer: timeouts, crashes, out-of-memory
// kills, failed inits. Pure functions of what the environment observed.
import { describeExit, platformErrorLogLine, platformErrorPayload, timedOutLogLine, timedOutMessage } from './aws-format.js';

/** Why the platform stopped an environment's process itself. */
export type KillReason = 'timeout' | 'oom' | 'shutdown' | 'extension';

export interface ProcessEnd {
  /** Set when the platform killed the process. */
  killReason: KillReason | undefined;
  /** How the process ended, when it did. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** The runtime's end reaches us through a parent (bubblewrap, the extensions' launcher): a signal death shows as exit status 128+n. */
  relayed: boolean;
  /** killReason 'extension': the external extension whose process ended, and what it reported first (init/error, exit/error). */
  extension?: { name: string; status: number; reported: string | undefined };
}

/** An external extension ended while the environment lived: AWS's error type and message. */
function extensionFailure(end: ProcessEnd): { errorType: string; message: string } {
  const ext = end.extension;
  return { errorType: ext?.reported ?? 'Extension.Crash', message: `exit status ${ext?.status ?? 1}` };
}

/** How an invocation ended, as far as its result and REPORT line go. */
export interface Outcome {
  payload: Buffer;
  functionError?: 'Unhandled';
  /** Extra log lines the platform writes (timeouts, crashes). */
  platformLines?: string[];
  status?: 'timeout' | 'error';
  errorType?: string;
  /** Report Max Memory Used as the full memory size (AWS does for out-of-memory kills). */
  memoryExhausted?: boolean;
}

const SANDBOX_SIGNALS: Record<number, NodeJS.Signals> = { 134: 'SIGABRT', 135: 'SIGBUS', 136: 'SIGFPE', 137: 'SIGKILL', 139: 'SIGSEGV', 143: 'SIGTERM' };

/** `Runtime exited with error: exit status 1`, `… signal: killed`, `Runtime exited without providing a reason`. */
export function exitMessage(end: ProcessEnd): string {
  if (end.killReason === 'oom' || end.killReason === 'shutdown') return 'Runtime exited with error: signal: killed';
  let { code, signal } = end.exit ?? { code: null, signal: 'SIGKILL' as NodeJS.Signals };
  if (end.relayed && signal === null && code !== null && SANDBOX_SIGNALS[code]) {
    signal = SANDBOX_SIGNALS[code];
    code = null;
  }
  if (signal === null && code === 0) return 'Runtime exited without providing a reason';
  return `Runtime exited with error: ${describeExit(code, signal)}`;
}

/** The outcome of an invocation whose process died (or was stopped) before answering. */
export function crashOutcome(requestId: string, end: ProcessEnd, elapsedMs: number): Outcome {
  if (end.killReason === 'timeout') {
    const seconds = elapsedMs / 1000;
    return {
      payload: platformErrorPayload('Sandbox.Timedout', requestId, timedOutMessage(seconds)),
      functionError: 'Unhandled',
      platformLines: [timedOutLogLine(requestId, seconds)],
      status: 'timeout',
    };
  }
  const { errorType, message } =
    end.killReason === 'extension' ? extensionFailure(end) : { errorType: end.killReason === 'oom' ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', message: exitMessage(end) };
  return {
    payload: platformErrorPayload(errorType, requestId, message),
    functionError: 'Unhandled',
    platformLines: [platformErrorLogLine(requestId, message, errorType)],
    status: 'error',
    errorType,
    memoryExhausted: end.killReason === 'oom',
  };
}

/** Why a function's environment cannot start at all, found before launching it: AWS's error type and message. */
export interface LaunchProblem {
  errorType: string;
  message: string;
}

export interface InitFailure {
  payload: Buffer;
  errorType: string;
  status: 'error' | 'timeout';
  /** The platform's own reason (`Runtime exited with error: exit status 1`); absent when the runtime reported the error itself. */
  message?: string;
}

/**
 * Why init failed: what the runtime reported (/init/error), or the platform's own reason
 * (no entrypoint, too many extensions, init timeout, crash).
 */
export function initFailure(
  requestId: string,
  reported: { payload: Buffer; errorType: string } | undefined,
  launchProblem: LaunchProblem | undefined,
  end: ProcessEnd,
  initMs: number,
): InitFailure {
  if (launchProblem !== undefined) {
    const { errorType, message } = launchProblem;
    return { errorType, payload: platformErrorPayload(errorType, requestId, message), status: 'error', message };
  }
  if (reported) return { ...reported, status: 'error' };
  if (end.killReason === 'timeout') {
    const message = timedOutMessage(initMs / 1000);
    return { errorType: 'Sandbox.Timedout', payload: platformErrorPayload('Sandbox.Timedout', requestId, message), status: 'timeout', message };
  }
  if (end.killReason === 'extension') {
    const { errorType, message } = extensionFailure(end);
    return { errorType, payload: platformErrorPayload(errorType, requestId, message), status: 'error', message };
  }
  const errorType = end.killReason === 'oom' ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
  const message = exitMessage(end);
  return { errorType, payload: platformErrorPayload(errorType, requestId, message), status: 'error', message };
}
