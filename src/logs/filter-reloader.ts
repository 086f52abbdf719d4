// How the in-memory filters (metric and subscription) follow the store: read again after each
// change, one read at a time, and on every node of a cluster through the change feed.
import type { ChangeFeed } from '../store/change-feed.js';
import { logger } from '../core/logger.js';

export class FilterReloader {
  #loading: Promise<void> = Promise.resolve();
  readonly #unsubscribe: () => void;

  /** `load` reads every filter and installs them; `what` names them in a warning when it fails. */
  constructor(private readonly topic: string, private readonly feed: ChangeFeed | undefined, private readonly load: () => Promise<void>, private readonly what: string) {
    this.#unsubscribe = feed?.subscribe(topic, () => void this.reload(), () => void this.reload()) ?? (() => undefined);
  }

  stop(): void {
    this.#unsubscribe();
  }

  /** After this node changed filters: read them again, and have the other nodes do so too. */
  async changed(): Promise<void> {
    await this.reload();
    await this.feed?.publish(this.topic, {});
  }

  reload(): Promise<void> {
    this.#loading = this.#loading.then(async () => {
      try {
        await this.load();
      } catch (e) {
        logger.warn(`could not load ${this.what}`, { error: e instanceof Error ? e.message : String(e) });
      }
    });
    return this.#loading;
  }
}
