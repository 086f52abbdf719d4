// An environment's init phase, as AWS reports it. It runs from the spawn (or a pre-started cell's
// specialisation) until the runtime first asks for an invocation, and may last initTimeoutMs. It is
// reported once: with the first invocation (INIT_START, the init output, Init Duration) or, when it
// failed, with the invocation that waited for it (INIT_REPORT).
import { performance } from 'node:perf_hooks';
import { initFailure, type InitFailure, type LaunchProblem, type ProcessEnd } from './failures.js';
import type { InitPhase } from './invocation-result.js';

export class EnvironmentInit {
  /** performance.now() when init began; 0 while nothing was launched. */
  startedAt = 0;
  /** What the runtime reported with …/init/error. */
  error: { payload: Buffer; errorType: string } | undefined;
  /** AWS's reason the function cannot start at all (found before launching). */
  launchProblem: LaunchProblem | undefined;
  readonly #runtimeVersion: string;
  readonly #timeoutMs: number;
  #durationMs: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reported = false;

  constructor(runtimeVersion: string, timeoutMs: number) {
    this.#runtimeVersion = runtimeVersion;
    this.#timeoutMs = timeoutMs;
  }

  /** Init begins now. */
  begin(): void {
    this.startedAt = performance.now();
  }

  /** Calls `onTimeout` unless init ends (or the clock is stopped) within its timeout. */
  limit(onTimeout: () => void): void {
    this.#timer = setTimeout(onTimeout, this.#timeoutMs);
    this.#timer.unref();
  }

  /** No more time limit: a cell waits to be specialised, or the process is gone. */
  stopClock(): void {
    clearTimeout(this.#timer);
  }

  /** The runtime asked for its first invocation: init took until now. */
  complete(): void {
    this.#durationMs = performance.now() - this.startedAt;
    clearTimeout(this.#timer);
  }

  get reported(): boolean {
    return this.#reported;
  }

  /** The init phase to report with the environment's first result. */
  report(lines: readonly string[]): InitPhase {
    this.#reported = true;
    return { runtimeVersion: this.#runtimeVersion, durationMs: this.#durationMs, lines };
  }

  /** Init never completed: why, and the phase to report with it (it lasted until now). */
  failure(requestId: string, end: ProcessEnd, lines: readonly string[]): { failure: InitFailure; init: InitPhase & { durationMs: number } } {
    const durationMs = performance.now() - this.startedAt;
    this.#reported = true;
    return {
      failure: initFailure(requestId, this.error, this.launchProblem, end, durationMs),
      init: { runtimeVersion: this.#runtimeVersion, durationMs, lines },
    };
  }
}
