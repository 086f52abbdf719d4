// An environment's init phase, as AWS reports it. It runs from the spawn (or a pre-started cell's
// specialisation) until the runtime first asks for an invocation, and may last initTimeoutMs. It is
// reported once: with the first invocation (INIT_START, the init output, Init Duration) or, when it
// failed, with the invocation that waited for it (INIT_REPORT).
//
// An on-demand init that fails runs once more as part of that invocation, in its Invoke phase
// (AWS's "suppressed init"): a new environment (keeping the first one's /tmp when unsandboxed), whose init is then
// bounded by the function's timeout together with the handler. Its report follows the failed init's
// lines; there is no second INIT_START, and no Init Duration (the Duration includes it).
import { performance } from 'node:perf_hooks';
import { initFailure, type InitFailure, type LaunchProblem, type ProcessEnd } from './failures.js';
import type { InitPhaseName } from './aws-format.js';
import type { InitPhase } from './invocation-result.js';

/** An init that failed in its own phase and runs again in the first invocation's. */
export interface InitRetry {
  /** What the failed init wrote: INIT_START, its output, `INIT_REPORT … Phase: init`. */
  lines: readonly string[];
  /** The host directory behind the failed environment's /tmp: the new one keeps it, as AWS's reset does. */
  tmpDir: string;
}

export class EnvironmentInit {
  /** performance.now() when init began; 0 while nothing was launched. */
  startedAt = 0;
  /** What the runtime reported with …/init/error. */
  error: { payload: Buffer; errorType: string } | undefined;
  /** AWS's reason the function cannot start at all (found before launching). */
  launchProblem: LaunchProblem | undefined;
  /** Set when this init runs again in the Invoke phase, after one that failed. */
  readonly retried: InitRetry | undefined;
  /** What INIT_START reports (a specialised cell's function may differ from the runtime it started as). */
  runtimeVersion: string;
  #timeoutMs: number;
  #durationMs: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reported = false;

  constructor(runtimeVersion: string, timeoutMs: number, retried?: InitRetry) {
    this.runtimeVersion = runtimeVersion;
    this.#timeoutMs = timeoutMs;
    this.retried = retried;
  }

  /** 'invoke' when this init runs again with an invocation (Telemetry API and INIT_REPORT). */
  get phase(): InitPhaseName {
    return this.retried ? 'invoke' : 'init';
  }

  /** Init begins now. */
  begin(): void {
    this.startedAt = performance.now();
  }

  /** Calls `onTimeout` unless init ends (or the clock is stopped) within its timeout, counted from begin(). */
  limit(onTimeout: () => void): void {
    this.#timer = setTimeout(onTimeout, Math.max(0, this.#timeoutMs - (performance.now() - this.startedAt)));
    this.#timer.unref();
  }

  /** A re-run's limit is its invocation's timeout, which the request may have made shorter than the function's. */
  retime(timeoutMs: number, onTimeout: () => void): void {
    this.#timeoutMs = timeoutMs;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.limit(onTimeout);
    }
  }

  /** No more time limit: a cell waits to be specialised, or the process is gone. */
  stopClock(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The runtime asked for its first invocation: init took until now. */
  complete(): void {
    this.#durationMs = performance.now() - this.startedAt;
    this.stopClock();
  }

  get reported(): boolean {
    return this.#reported;
  }

  /** The init phase to report with the environment's first result. */
  report(lines: readonly string[]): InitPhase {
    this.#reported = true;
    return { runtimeVersion: this.runtimeVersion, durationMs: this.#durationMs, lines, earlier: this.retried?.lines };
  }

  /** Init never completed: why, and the phase to report with it (it lasted until now). */
  failure(requestId: string, end: ProcessEnd, lines: readonly string[]): { failure: InitFailure; init: InitPhase & { durationMs: number } } {
    const durationMs = performance.now() - this.startedAt;
    this.#reported = true;
    return {
      failure: initFailure(requestId, this.error, this.launchProblem, end, durationMs),
      init: { runtimeVersion: this.runtimeVersion, durationMs, lines, earlier: this.retried?.lines },
    };
  }
}
