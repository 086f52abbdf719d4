// A stack's events are numbered as they are written (the store's sequence): work that reports
// changes as they happen writes them through one queue, so they keep the order they happened in.

/** Writes a stack's events one after the other, in the order the engine reported them (their sequence numbers follow). */
export class EventQueue {
  #tail: Promise<void> = Promise.resolve();

  push(write: () => Promise<void>): void {
    this.#tail = this.#tail.then(write, write);
  }

  drained(): Promise<void> {
    return this.#tail;
  }
}
