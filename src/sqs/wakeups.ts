// Long polls waiting for messages. A send on this node wakes the receivers of its queue at once; a
// send on another node of a cluster arrives on the change feed; and since a message also becomes
// visible by time (a delay, a visibility timeout running out) or a feed message may be missed,
// each wait is also cut to a short poll interval.
import type { ChangeFeed } from '../store/change-feed.js';

const TOPIC = 'sqs-sent';

export class QueueWakeups {
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #feed: ChangeFeed | undefined;
  readonly #unsubscribe: (() => void) | undefined;

  constructor(feed?: ChangeFeed, readonly pollMs = 1000) {
    this.#feed = feed;
    this.#unsubscribe = feed?.subscribe(TOPIC, (m) => this.#wake((m as { queueArn: string }).queueArn), () => this.#wakeAll());
  }

  /** Tells this node's and the other nodes' receivers of the queue that a message was sent. */
  sent(queueArn: string): void {
    this.#wake(queueArn);
    void this.#feed?.publish(TOPIC, { queueArn }).catch(() => undefined);
  }

  /** Resolves when a message is sent to the queue, after `ms` at most, or once `signal` aborts. */
  wait(queueArn: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      let set = this.#waiters.get(queueArn);
      if (!set) this.#waiters.set(queueArn, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.#waiters.get(queueArn) === set) this.#waiters.delete(queueArn);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, Math.min(ms, this.pollMs)));
      set.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  close(): void {
    this.#unsubscribe?.();
    this.#wakeAll();
  }

  #wake(queueArn: string): void {
    for (const w of [...(this.#waiters.get(queueArn) ?? [])]) w();
  }

  #wakeAll(): void {
    for (const arn of [...this.#waiters.keys()]) this.#wake(arn);
  }
}
