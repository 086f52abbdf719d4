// Runs a task once changes have been quiet for a while, never twice at once: changes that arrive
// while it runs make exactly one more run after it, with all of them.

export class DebouncedRunner {
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(private readonly quietMs: number, private readonly task: (changes: string[]) => Promise<void>) {}

  /** Something changed: run after `quietMs` without another change. */
  touch(change: string): void {
    if (this.#stopped) return;
    this.#pending.add(change);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#running) this.#start();
    }, this.quietMs);
  }

  /** Runs now (the first deploy), unless a run is in progress. */
  runNow(): Promise<void> {
    return this.#running ?? this.#start();
  }

  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** No more runs; resolves once the run in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
    await this.#running;
  }

  #start(): Promise<void> {
    const changes = [...this.#pending];
    this.#pending.clear();
    const run = (async () => {
      try {
        await this.task(changes);
      } finally {
        this.#running = undefined;
        // Changes during the run whose quiet period is already over: one more run now.
        if (!this.#stopped && this.#pending.size && !this.#timer) this.#start();
      }
    })();
    this.#running = run;
    return run;
  }
}
