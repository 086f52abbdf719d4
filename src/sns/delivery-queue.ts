// Delivers queued SNS messages in the background: a few workers claim due deliveries from the
// store (a claim in the row, so in a cluster one node takes each), hand each to its protocol's
// target, then finish it, reschedule it by the retry delays, or give it up. Every step is written
// before the next, so what a crash interrupts is delivered after the restart (at least once).
// The scheduling (pump, timer for the next due row, drain at close) follows Lambda's AsyncQueue.
import { logger } from '../core/logger.js';
import type { Delivery, NewDelivery, SnsStore } from '../store/sns-store.js';
import type { DeliveryTarget } from './delivery-targets.js';
import type { QueuedMessage } from './notification.js';

export interface DeliveryQueueOptions {
  store: SnsStore;
  nodeId: string;
  /** Waits before each retry; their count is the number of retries. */
  retryDelaysMs: readonly number[];
  workers?: number;
  /** In a cluster: look at the store this often for rows other nodes queued or let go. */
  pollMs?: number;
  leaseMs?: number;
  now?: () => number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class DeliveryQueue {
  readonly #o: DeliveryQueueOptions;
  readonly #now: () => number;
  readonly #targets = new Map<string, DeliveryTarget>();
  readonly #running = new Map<string, Promise<void>>();
  #timer?: NodeJS.Timeout;
  #poll?: NodeJS.Timeout;
  #pumping = false;
  #pumpAgain = false;
  #closing = false;

  constructor(options: DeliveryQueueOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Where deliveries of a protocol go (lambda, http, https here; sqs from the SQS module). */
  deliverTo(protocol: string, target: DeliveryTarget): void {
    this.#targets.set(protocol, target);
    this.#kick();
  }

  start(): void {
    this.#kick();
    if (this.#o.pollMs) {
      this.#poll = setInterval(() => this.#kick(), this.#o.pollMs);
      this.#poll.unref();
    }
  }

  async enqueue(deliveries: { subscriptionArn: string; message: QueuedMessage; id: string }[]): Promise<void> {
    const now = this.#now();
    const rows: NewDelivery[] = deliveries.map((d) => ({ id: d.id, subscriptionArn: d.subscriptionArn, dueMs: now, body: JSON.stringify(d.message) }));
    await this.#o.store.enqueue(rows);
    if (rows.length) this.#kick();
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    clearInterval(this.#poll);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.#running.values()]), new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
  }

  #kick(): void {
    if (!this.#closing) setImmediate(() => void this.#pump());
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
        const free = (this.#o.workers ?? 8) - this.#running.size;
        if (free <= 0 || this.#closing) break;
        const now = this.#now();
        const due = await this.#o.store.claimDue(this.#o.nodeId, now, now + (this.#o.leaseMs ?? 60_000), free, new Set(this.#running.keys()));
        for (const d of due) this.#start(d);
      } while (this.#pumpAgain);
      clearTimeout(this.#timer);
      const next = this.#closing ? undefined : await this.#o.store.nextDueMs(this.#o.nodeId, new Set(this.#running.keys()));
      if (next !== undefined) {
        this.#timer = setTimeout(() => void this.#pump(), Math.min(Math.max(0, next - this.#now()), MAX_TIMER_MS));
        this.#timer.unref();
      }
    } catch (e) {
      logger.error('SNS delivery queue failed', { error: e instanceof Error ? e.stack : String(e) });
    } finally {
      this.#pumping = false;
    }
  }

  #start(d: Delivery): void {
    const run = this.#deliver(d)
      .catch((e) => logger.error('SNS delivery failed in the queue', { id: d.id, error: e instanceof Error ? e.stack : String(e) }))
      .finally(() => {
        this.#running.delete(d.id);
        this.#kick();
      });
    this.#running.set(d.id, run);
  }

  async #deliver(d: Delivery): Promise<void> {
    const { store } = this.#o;
    const sub = await store.getSubscription(d.subscriptionArn);
    if (!sub) return store.complete(d.id); // unsubscribed meanwhile
    const target = this.#targets.get(sub.protocol);
    if (!target) {
      // The protocol's service has not registered (yet): keep the message until it does.
      return store.reschedule(d.id, this.#now() + (this.#o.retryDelaysMs[0] ?? 20_000), d.attempts);
    }
    const outcome = await target.deliver(sub, JSON.parse(d.body) as QueuedMessage);
    if (this.#closing && outcome.kind !== 'delivered') return; // stays claimed; taken again after the lease
    if (outcome.kind === 'delivered') return store.complete(d.id);
    const retries = this.#o.retryDelaysMs;
    if (outcome.kind === 'retry' && d.attempts < retries.length) {
      logger.info('SNS delivery failed; it will be retried', { subscription: sub.arn, attempt: d.attempts + 1, reason: outcome.reason });
      return store.reschedule(d.id, this.#now() + retries[d.attempts], d.attempts + 1);
    }
    logger.warn('SNS delivery given up', { subscription: sub.arn, attempts: d.attempts + 1, reason: outcome.reason });
    await store.complete(d.id);
  }
}
