// Runs the pollers of every enabled mapping on this node and settles mappings' states (Creating,
// Enabling, Updating → Enabled; Disabling → Disabled; Deleting → gone). It reads every mapping
// again on each change made here, on each change another node announces on the feed, and on a
// timer (a missed message, a function deleted), so in a cluster each node polls every mapping;
// SQS claims each received message for one of them.
import type { EventSourceMappingStore, StoredEventSourceMapping } from '../../store/event-source-mapping-store.js';
import type { ChangeFeed } from '../../store/change-feed.js';
import type { QueuePoller } from '../../sqs/queue-sender.js';
import type { FunctionCache } from '../function-cache.js';
import { logger } from '../../core/logger.js';
import { parseFunctionArn } from '../service-invoke.js';
import type { BatchInvoker } from './batch-processor.js';
import { MappingPoller } from './mapping-poller.js';

/** Pollers per mapping per node when the mapping sets no ScalingConfig.MaximumConcurrency. */
export const DEFAULT_POLLERS = 2;
const FEED_TOPIC = 'event-source-mappings';
/** How long shutdown waits for running batches. */
const CLOSE_WAIT_MS = 10_000;

export interface MappingPollersOptions {
  store: EventSourceMappingStore;
  queues: QueuePoller;
  invoker: BatchInvoker;
  cache: FunctionCache;
  feed?: ChangeFeed;
  /** How often every mapping is read again (ms). */
  rereadMs?: number;
}

/** What a running poller depends on: a change restarts it. */
const runKey = (m: StoredEventSourceMapping): string => JSON.stringify([m.eventSourceArn, m.functionArn, m.batchSize, m.maximumBatchingWindowInSeconds,
  m.functionResponseTypes, m.filterCriteria ?? null, m.scalingConfig ?? null]);

export class MappingPollers {
  readonly #running = new Map<string, { key: string; poller: MappingPoller }>();
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> = Promise.resolve();
  #again = false;
  #closed = false;
  #unsubscribe: (() => void) | undefined;

  constructor(private readonly options: MappingPollersOptions) {}

  start(): void {
    this.#unsubscribe = this.options.feed?.subscribe(FEED_TOPIC, () => this.#schedule(), () => this.#schedule());
    // A function deleted (here, or on another node: the cache hears of it) stops its mappings' pollers.
    this.options.cache.onInvalidate(() => this.#schedule());
    this.#timer = setInterval(() => this.#schedule(), this.options.rereadMs ?? 2000);
    this.#timer.unref();
    this.#schedule();
  }

  /** A mapping changed on this node: settle it here and tell the other nodes. */
  changed(): void {
    this.#schedule();
    void this.options.feed?.publish(FEED_TOPIC, {}).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#unsubscribe?.();
    // Batches still running after this are left to their visibility timeout (their messages reappear).
    const stopped = this.#pass.then(() => Promise.all([...this.#running.values()].map((r) => r.poller.stop())));
    await Promise.race([stopped, new Promise<void>((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
    this.#running.clear();
  }

  /** One pass at a time; a request during a pass runs one more after it. */
  #schedule(): void {
    if (this.#closed) return;
    if (this.#again) return;
    this.#again = true;
    this.#pass = this.#pass.then(async () => {
      this.#again = false;
      if (this.#closed) return;
      try {
        await this.#reconcile();
      } catch (e) {
        logger.warn('event source mappings could not be read', { error: (e as Error).message });
      }
    });
  }

  async #reconcile(): Promise<void> {
    const mappings = await this.options.store.listAll();
    const wanted = new Map<string, StoredEventSourceMapping>();
    for (const m of mappings) if (m.enabled && m.state !== 'Deleting' && (await this.#functionExists(m))) wanted.set(m.uuid, m);
    // Pollers stop before a state is settled: "Disabled" means no poller holds the queue's messages.
    for (const [uuid, run] of this.#running) {
      const m = wanted.get(uuid);
      if (m && runKey(m) === run.key) continue;
      this.#running.delete(uuid);
      await run.poller.stop();
    }
    for (const read of mappings) {
      const m = await this.#settle(read);
      if (!m || !wanted.has(m.uuid) || m.state !== 'Enabled' || this.#running.has(m.uuid) || this.#closed) continue;
      const poller = new MappingPoller(m, this.options.queues, this.options.invoker, m.scalingConfig?.MaximumConcurrency ?? DEFAULT_POLLERS, () => this.#schedule());
      this.#running.set(m.uuid, { key: runKey(m), poller });
      poller.start();
    }
  }

  /** Moves a mapping out of a passing state; answers it as it now is (undefined once deleted). */
  async #settle(m: StoredEventSourceMapping): Promise<StoredEventSourceMapping | undefined> {
    const { store } = this.options;
    if (m.state === 'Deleting') {
      await store.delete(m.uuid);
      return undefined;
    }
    const target = m.enabled ? 'Enabled' : 'Disabled';
    if (m.state === target) return m;
    // Read again just before writing: a change made since the list was read is not overwritten.
    const fresh = await store.get(m.uuid);
    if (!fresh || fresh.lastModifiedMs !== m.lastModifiedMs || fresh.state !== m.state) return fresh;
    const settled = { ...m, state: target } as StoredEventSourceMapping;
    await store.update(settled);
    return settled;
  }

  async #functionExists(m: StoredEventSourceMapping): Promise<boolean> {
    const fn = parseFunctionArn(m.functionArn);
    return fn !== undefined && (await this.options.cache.getFunction({ accountId: fn.accountId, region: fn.region, name: fn.name })) !== undefined;
  }
}
