// Delivers queued SNS messages in the background: a few workers claim due deliveries from the
// store (a claim in the row, so in a cluster one node takes each), hand each to its protocol's
// target, then finish it, reschedule it by the retry delays, or give it up. Every step is written
// before the next, so what a crash interrupts is delivered after the restart (at least once).
// The scheduling (passes, the timer for the next due row, the drain at close) is the DuePump Lambda's AsyncQueue runs on too.
import { logger } from '../core/logger.js';
import { DuePump } from '../core/due-pump.js';
import type { Delivery, NewDelivery, SnsStore, StoredSubscription } from '../store/sns-store.js';
import type { DeadLetterSender, DeliveryTarget } from './delivery-targets.js';
import { deadLetterQueueOf } from './redrive-policy.js';
import type { QueuedMessage } from './notification.js';
import { effectivePolicy, retryDelaysSeconds } from './delivery-policy.js';

export interface DeliveryQueueOptions {
  store: SnsStore;
  nodeId: string;
  /**
   * Waits before each retry (their count is the number of retries) where no DeliveryPolicy is set:
   * AWS's default, or shorter for tests. An HTTP/S subscription with a policy waits by the policy,
   * its seconds scaled as these scale the default's 20 s.
   */
  retryDelaysMs: readonly number[];
  workers?: number;
  /** In a cluster: look at the store this often for rows other nodes queued or let go. */
  pollMs?: number;
  leaseMs?: number;
  now?: () => number;
}

const DEFAULT_LEASE_MS = 60_000;
/** The default policy's wait, which the configured first wait scales. */
const DEFAULT_DELAY_MS = 20_000;

export class DeliveryQueue {
  readonly #o: DeliveryQueueOptions;
  readonly #now: () => number;
  readonly #targets = new Map<string, DeliveryTarget>();
  readonly #pump: DuePump<Delivery, string>;
  #closing = false;
  #deadLetters: DeadLetterSender | undefined;

  constructor(options: DeliveryQueueOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    const { store, nodeId } = options;
    this.#pump = new DuePump<Delivery, string>({
      name: 'SNS delivery queue',
      take: (limit, running) => {
        const now = this.#now();
        return store.claimDue(nodeId, now, now + (options.leaseMs ?? DEFAULT_LEASE_MS), limit, running);
      },
      nextDueMs: (running) => store.nextDueMs(nodeId, running),
      keyOf: (d) => d.id,
      run: (d) => this.#deliver(d),
    }, { workers: options.workers ?? 8, pollMs: options.pollMs, now: this.#now });
  }

  /** Where deliveries of a protocol go (lambda, http, https here; sqs from the SQS module). */
  deliverTo(protocol: string, target: DeliveryTarget): void {
    this.#targets.set(protocol, target);
    this.#pump.kick();
  }

  /** Where given-up deliveries of subscriptions with a RedrivePolicy go (the SQS module's sender). */
  sendDeadLettersTo(sender: DeadLetterSender): void {
    this.#deadLetters = sender;
  }

  start(): void {
    this.#pump.start();
  }

  async enqueue(deliveries: { subscriptionArn: string; message: QueuedMessage; id: string }[]): Promise<void> {
    const now = this.#now();
    const rows: NewDelivery[] = deliveries.map((d) => ({ id: d.id, subscriptionArn: d.subscriptionArn, dueMs: now, body: JSON.stringify(d.message) }));
    await this.#o.store.enqueue(rows);
    if (rows.length) this.#pump.kick();
  }

  /** Waits a little for deliveries under way; the others stay claimed and are taken again when their lease runs out (or at once by this node after a restart). */
  async close(): Promise<void> {
    this.#closing = true;
    await this.#pump.close(5_000);
  }

  async #deliver(d: Delivery): Promise<void> {
    const { store } = this.#o;
    const sub = await store.getSubscription(d.subscriptionArn);
    if (!sub) return store.complete(d.id); // unsubscribed meanwhile
    const target = this.#targets.get(sub.protocol);
    if (!target) {
      // The protocol's service has not registered (yet): keep the message until it does.
      return store.reschedule(d.id, this.#now() + (this.#o.retryDelaysMs[0] ?? DEFAULT_DELAY_MS), d.attempts);
    }
    const message = JSON.parse(d.body) as QueuedMessage;
    const outcome = await target.deliver(sub, message);
    if (this.#closing && outcome.kind !== 'delivered') return; // stays claimed; taken again after the lease
    if (outcome.kind === 'delivered') return store.complete(d.id);
    const retries = await this.#retryDelaysMs(sub);
    if (outcome.kind === 'retry' && d.attempts < retries.length) {
      logger.info('SNS delivery failed; it will be retried', { subscription: sub.arn, attempt: d.attempts + 1, reason: outcome.reason });
      return store.reschedule(d.id, this.#now() + retries[d.attempts], d.attempts + 1);
    }
    logger.warn('SNS delivery given up', { subscription: sub.arn, attempts: d.attempts + 1, reason: outcome.reason });
    await this.#sendDeadLetter(sub, message);
    await store.complete(d.id);
  }

  /** The subscription's retry schedule: its (or its topic's) DeliveryPolicy for HTTP/S, else the server's. */
  async #retryDelaysMs(sub: StoredSubscription): Promise<readonly number[]> {
    const configured = this.#o.retryDelaysMs;
    if (sub.protocol !== 'http' && sub.protocol !== 'https') return configured;
    const policy = effectivePolicy(sub, await this.#o.store.getTopic(sub.topicArn));
    if (!policy.custom) return configured;
    const msPerSecond = (configured[0] ?? DEFAULT_DELAY_MS) / (DEFAULT_DELAY_MS / 1000);
    return retryDelaysSeconds(policy.retry).map((s) => Math.round(s * msPerSecond));
  }

  /** AWS redrives a given-up message to the subscription's dead-letter queue once; a failure there loses it (logged). */
  async #sendDeadLetter(sub: StoredSubscription, message: QueuedMessage): Promise<void> {
    const queueArn = deadLetterQueueOf(sub);
    if (queueArn === undefined || message.type !== 'Notification') return;
    if (!this.#deadLetters) return logger.warn('SNS dead letter not sent: no SQS service', { subscription: sub.arn, deadLetterQueue: queueArn });
    try {
      await this.#deadLetters.send(queueArn, sub, message);
    } catch (e) {
      logger.warn('SNS dead letter could not be sent', { subscription: sub.arn, deadLetterQueue: queueArn, reason: e instanceof Error ? e.message : String(e) });
    }
  }
}
