// When every environment of a function version is busy, should the next invocation start another
// one or wait for a busy one to free up? AWS always starts another. Paced scale-out (the default)
// waits when, by what this version has shown so far, a busy environment will free up before a new
// one could start: a burst of quick invocations then runs in a few warm environments instead of
// one cold start per concurrent request, with lower latency and a fraction of the processes.
//
// The rule is the ski-rental one: wait at most as long as a cold start of this version took, then
// start one anyway (one at a time per version, see mayStartAfterWaiting). Slow functions (running
// longer than a cold start takes) and versions not yet measured scale out at once, as on AWS.
// Concurrency limits are unaffected: they count invocations, not environments.

export type ScaleOutMode = 'paced' | 'eager';

/** Weight of the newest sample in the moving averages. */
const ALPHA = 0.2;

interface VersionFigures {
  /** Environments of this key leased to invocations now. */
  busy: number;
  /** Of those, the ones in their cold start (leased new, first invocation not answered yet). */
  starting: number;
  /**
   * Moving average of invocations' durations (ms, as REPORT gives them): the function's own pace,
   * which the platform's load does not inflate the way the time an environment is held would be.
   */
  durationMs: number | undefined;
  /** Moving average of cold starts (ms), from launch to the first answer's start. */
  coldStartMs: number | undefined;
}

const ewma = (previous: number | undefined, sample: number): number => (previous === undefined ? sample : previous + ALPHA * (sample - previous));

export class ScaleOutPolicy {
  readonly #mode: ScaleOutMode;
  readonly #figures = new Map<string, VersionFigures>();

  constructor(mode: ScaleOutMode) {
    this.#mode = mode;
  }

  #of(key: string): VersionFigures {
    let f = this.#figures.get(key);
    if (!f) {
      f = { busy: 0, starting: 0, durationMs: undefined, coldStartMs: undefined };
      this.#figures.set(key, f);
    }
    return f;
  }

  leased(key: string, fresh: boolean): void {
    const f = this.#of(key);
    f.busy++;
    if (fresh) f.starting++;
  }

  /** An environment of `key` came back from an invocation that took `durationMs` (after a cold start of `coldStartMs`). */
  returned(key: string, fresh: boolean, durationMs: number | undefined, coldStartMs: number | undefined): void {
    const f = this.#of(key);
    f.busy = Math.max(0, f.busy - 1);
    if (fresh) f.starting = Math.max(0, f.starting - 1);
    if (durationMs !== undefined) f.durationMs = ewma(f.durationMs, durationMs);
    if (coldStartMs !== undefined) f.coldStartMs = ewma(f.coldStartMs, coldStartMs);
  }

  busy(key: string): number {
    return this.#figures.get(key)?.busy ?? 0;
  }

  /**
   * Whether an invocation that waited its budget out should start an environment now. While one
   * of its version's environments is still starting, it waits on (for that one or a busy one):
   * quick functions grow one environment at a time, so a burst does not become a spawn storm
   * whose CPU cost slows down everything already running.
   */
  mayStartAfterWaiting(key: string): boolean {
    return (this.#figures.get(key)?.starting ?? 0) === 0;
  }

  /**
   * How long an invocation that found no idle environment should wait for a busy one before a
   * new one is started (ms), or 0 to start one now.
   */
  waitBudgetMs(key: string): number {
    if (this.#mode === 'eager') return 0;
    const f = this.#figures.get(key);
    if (!f || f.busy === 0 || f.durationMs === undefined || f.coldStartMs === undefined) return 0;
    return f.durationMs < f.coldStartMs ? f.coldStartMs : 0;
  }

  /** Forgets the figures of keys no environment serves any more. */
  retainOnly(keys: Set<string>): void {
    for (const [key, f] of this.#figures) if (f.busy === 0 && !keys.has(key)) this.#figures.delete(key);
  }
}
