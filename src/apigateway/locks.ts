// Serializes the writes to one REST API: each handler reads, validates and writes under the API's
// lock, so two concurrent updates of the same API cannot interleave their read-check-write steps.
// KeyedMutex does it inside this process (embedded SQLite, one node); in a cluster the PostgreSQL
// advisory lock (src/store/postgres/advisory-lock.ts) does it across nodes.
export interface KeyedLock {
  /** Runs `fn` while holding the lock of `key`; calls for one key run one at a time, in order. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export class KeyedMutex implements KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
