// Runs work items that come due in a store, a few at a time: a pass takes as many due items as
// there are free workers, runs each, and sets a timer for the next one not due yet; a finished
// item, new work (kick) or the cluster poll starts another pass. Lambda's asynchronous invocation
// queue and SNS's delivery queue run on it; what an item is and how it is taken, run and stored
// is theirs.
import { logger } from './logger.js';

export interface DueWork<T, K> {
  /** Up to `limit` items due now, leaving out the `running` ones (claiming them where nodes share the store). */
  take(limit: number, running: ReadonlySet<K>): Promise<T[]>;
  /** When the earliest item not in `running` is due; undefined when there is none. */
  nextDueMs(running: ReadonlySet<K>): Promise<number | undefined>;
  keyOf(item: T): K;
  /** Runs one item; a rejection is logged. */
  run(item: T): Promise<void>;
  /** After each pass, before the timer is set (a queue counts itself here). */
  afterPass?(running: number): Promise<void>;
  /** What the log calls this queue. */
  name: string;
}

export interface DuePumpOptions {
  workers: number;
  /** Looks at the store this often besides its own timer (other nodes add work too). */
  pollMs?: number;
  now?: () => number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class DuePump<T, K> {
  readonly #work: DueWork<T, K>;
  readonly #o: DuePumpOptions;
  readonly #now: () => number;
  readonly #running = new Map<K, Promise<void>>();
  #timer?: NodeJS.Timeout;
  #poll?: NodeJS.Timeout;
  #pumping = false;
  #pumpAgain = false;
  #closing = false;

  constructor(work: DueWork<T, K>, options: DuePumpOptions) {
    this.#work = work;
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  get running(): number {
    return this.#running.size;
  }

  get closing(): boolean {
    return this.#closing;
  }

  /** Resumes what is due (work left by an earlier run of the server included). */
  start(): void {
    this.kick();
    if (this.#o.pollMs) {
      this.#poll = setInterval(() => this.kick(), this.#o.pollMs);
      this.#poll.unref();
    }
  }

  /** New work may be due: a pass soon. */
  kick(): void {
    if (!this.#closing) setImmediate(() => void this.#pump());
  }

  /** Starts nothing more; waits up to `drainMs` for running items; answers how many still run. */
  async close(drainMs: number): Promise<number> {
    this.#closing = true;
    clearTimeout(this.#timer);
    clearInterval(this.#poll);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs)));
    await Promise.race([Promise.allSettled([...this.#running.values()]), timeout]);
    clearTimeout(timer);
    return this.#running.size;
  }

  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        const free = this.#o.workers - this.#running.size;
        if (free <= 0 || this.#closing) break;
        for (const item of await this.#work.take(free, new Set(this.#running.keys()))) this.#start(item);
      } while (this.#pumpAgain);
      await this.#arm();
    } catch (e) {
      logger.error(`${this.#work.name} failed`, { error: e instanceof Error ? e.stack : String(e) });
    } finally {
      this.#pumping = false;
    }
  }

  /** Sets the timer for the next item that is not due yet. */
  async #arm(): Promise<void> {
    clearTimeout(this.#timer);
    await this.#work.afterPass?.(this.#running.size);
    if (this.#closing || this.#running.size >= this.#o.workers) return; // a finishing item pumps again
    const next = await this.#work.nextDueMs(new Set(this.#running.keys()));
    if (next === undefined) return;
    this.#timer = setTimeout(() => void this.#pump(), Math.min(Math.max(0, next - this.#now()), MAX_TIMER_MS));
    this.#timer.unref();
  }

  #start(item: T): void {
    const key = this.#work.keyOf(item);
    const run = this.#work.run(item)
      .catch((e) => logger.error(`${this.#work.name}: an item failed`, { error: e instanceof Error ? e.stack : String(e) }))
      .finally(() => {
        this.#running.delete(key);
        this.kick();
      });
    this.#running.set(key, run);
  }
}
