// The invoke pipeline's way into CloudWatch Logs. `append` only queues lines in memory and
// returns; a timer writes everything queued in one transaction per batch, so an invocation never
// waits for the disk. Groups and streams are created on first use, as Lambda's log delivery does.
import type { EventBatch, LogAppender, LogsScope, NewLogEvent } from '../store/logs-store.js';
import { logger } from '../core/logger.js';

export interface LogSinkOptions {
  /** Longest time a line waits in memory before it is written (ms). */
  flushIntervalMs?: number;
  /** Queued events that trigger an immediate write. */
  batchSize?: number;
  /** Queued events beyond which new lines are dropped (and counted) rather than exhaust memory. */
  maxQueued?: number;
  now?: () => number;
  /** Sees each batch once it is stored (metric and subscription filters), on the flush timer rather than the caller's path. */
  observe?: (scope: LogsScope, groupName: string, events: readonly NewLogEvent[], streamName: string) => void;
}

interface QueuedBatch {
  scope: LogsScope;
  batch: EventBatch;
}

export class LogSink {
  readonly #store: LogAppender;
  readonly #interval: number;
  readonly #batchSize: number;
  readonly #maxQueued: number;
  readonly #now: () => number;
  readonly #observe: LogSinkOptions['observe'];
  #queue: QueuedBatch[] = [];
  /** The queued batch of each stream (account, region, group, stream), so a flush writes each stream once. */
  #byStream = new Map<string, QueuedBatch>();
  #queued = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;
  #dropped = 0;
  #written = 0;

  constructor(store: LogAppender, options: LogSinkOptions = {}) {
    this.#store = store;
    this.#interval = options.flushIntervalMs ?? 50;
    this.#batchSize = options.batchSize ?? 1000;
    this.#maxQueued = options.maxQueued ?? 100_000;
    this.#now = options.now ?? Date.now;
    this.#observe = options.observe;
  }

  /** Queues lines for a stream; never blocks and never throws. */
  append(accountId: string, region: string, logGroupName: string, logStreamName: string, lines: string[], timestampMs?: number): void {
    if (!lines.length) return;
    if (this.#closed || this.#queued + lines.length > this.#maxQueued) {
      if (this.#dropped === 0) logger.warn('log sink is full or closed; dropping function log lines', { logGroupName });
      this.#dropped += lines.length;
      return;
    }
    const timestamp = timestampMs ?? this.#now();
    const events = lines.map((message) => ({ timestamp, message }));
    const key = `${accountId}\0${region}\0${logGroupName}\0${logStreamName}`;
    const queued = this.#byStream.get(key);
    if (queued) {
      for (const e of events) queued.batch.events.push(e);
    } else {
      const batch: QueuedBatch = { scope: { accountId, region }, batch: { groupName: logGroupName, streamName: logStreamName, events } };
      this.#queue.push(batch);
      this.#byStream.set(key, batch);
    }
    this.#queued += events.length;
    if (this.#queued >= this.#batchSize) this.#schedule(0);
    else this.#schedule(this.#interval);
  }

  /** Resolves when everything appended before the call is stored. */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const batch = this.#queue;
    this.#queue = [];
    this.#byStream = new Map();
    this.#queued = 0;
    // Writes are chained so batches land in the order they were appended.
    this.#writing = this.#writing.then(() => this.#write(batch));
    return this.#writing;
  }

  /** Flushes what is queued and refuses further lines. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  stats(): { queued: number; written: number; dropped: number } {
    return { queued: this.#queued, written: this.#written, dropped: this.#dropped };
  }

  #schedule(delay: number): void {
    if (this.#timer && delay > 0) return; // a flush is already due
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, delay);
    this.#timer.unref();
  }

  async #write(items: QueuedBatch[]): Promise<void> {
    if (!items.length) return;
    const count = items.reduce((n, i) => n + i.batch.events.length, 0);
    try {
      await this.#store.appendMany(items, this.#now());
      this.#written += count;
    } catch (e) {
      this.#dropped += count;
      logger.error('could not store function log lines', { events: count, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    if (!this.#observe) return;
    try {
      for (const { scope, batch } of items) this.#observe(scope, batch.groupName, batch.events, batch.streamName);
    } catch (e) {
      logger.error('metric or subscription filters failed on stored log lines', { error: e instanceof Error ? e.message : String(e) });
    }
  }
}
