// Targets' RetryPolicy: a delivery that fails retriably (throttled, a failure of the target's
// service) is tried again with exponential backoff and jitter until MaximumRetryAttempts retries
// were made or the event is older than MaximumEventAgeInSeconds (defaults 185 and 86400, as AWS);
// one that cannot succeed (no such resource, not allowed, invalid) is not retried. What is given
// up goes to the target's dead-letter queue. Retries wait in the database and run on the DuePump
// (a claim in the row, so in a cluster one node makes each; a restart resumes them).
import { randomUUID } from 'node:crypto';
import { logger } from '../core/logger.js';
import { DuePump } from '../core/due-pump.js';
import type { EventsScope, EventsStore, StoredTarget, TargetRetry } from '../store/events-store.js';
import { deadLetterAttributes, deadLetterErrorCode } from './dead-letters.js';
import type { DeliveryTargets } from './delivery-targets.js';
import type { EventEnvelope } from './envelope.js';

/** A delivery to one target, as first tried and as retried (the retry row's body). */
export interface TargetAttempt {
  scope: EventsScope;
  ruleArn: string;
  target: StoredTarget;
  /** After Input, InputPath or InputTransformer. */
  payload: string;
  /** What a dead-letter queue gets. */
  event: EventEnvelope;
  /** Wall-clock ms of the first try (the event's age counts from here). */
  firstTryMs: number;
}

/** Error codes no retry can mend. */
const FINAL = new Set(['NO_RESOURCE', 'NO_PERMISSIONS', 'INVALID_PARAMETER']);
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 300_000;
const LEASE_MS = 60_000;

export interface TargetRetriesOptions {
  nodeId: string;
  /** In a cluster: look at the store this often for retries other nodes queued or let go. */
  pollMs?: number;
  /** Event time runs this many times faster than the wall clock (`--events-clock`, tests): backoff waits shrink and events age faster. */
  scale?: number;
  now?: () => number;
  random?: () => number;
}

export function retryPolicyOf(target: StoredTarget): { maxRetries: number; maxAgeMs: number } {
  const p = (target.RetryPolicy ?? {}) as { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  return { maxRetries: p.MaximumRetryAttempts ?? 185, maxAgeMs: (p.MaximumEventAgeInSeconds ?? 86_400) * 1000 };
}

/** The wait before retry `n` (1-based) in event time: doubling from 1 s up to 5 minutes, half of it random ("equal jitter"). */
export function backoffMs(n: number, random: () => number = Math.random): number {
  const cap = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(n - 1, 30));
  return Math.round(cap / 2 + (cap / 2) * random());
}

export class TargetRetries {
  readonly #pump: DuePump<TargetRetry, string>;
  readonly #now: () => number;
  readonly #scale: number;
  readonly #random: () => number;

  constructor(readonly store: EventsStore, readonly targets: DeliveryTargets, options: TargetRetriesOptions) {
    this.#now = options.now ?? Date.now;
    this.#scale = options.scale ?? 1;
    this.#random = options.random ?? Math.random;
    this.#pump = new DuePump<TargetRetry, string>({
      name: 'EventBridge target retries',
      take: (limit, running) => {
        const now = this.#now();
        return store.claimDueRetries(options.nodeId, now, now + LEASE_MS, limit, running);
      },
      nextDueMs: (running) => store.nextRetryDueMs(options.nodeId, running),
      keyOf: (r) => r.id,
      run: (r) => this.#retry(r),
    }, { workers: 4, pollMs: options.pollMs, now: this.#now });
  }

  start(): void {
    this.#pump.start();
  }

  close(): Promise<number> {
    return this.#pump.close(5_000);
  }

  /** Tries a delivery for the first time; a failure is retried, sent to the dead-letter queue or dropped. */
  async deliver(attempt: Omit<TargetAttempt, 'firstTryMs'>): Promise<void> {
    const first = { ...attempt, firstTryMs: this.#now() };
    const error = await this.#try(first);
    if (error !== undefined) await this.#failed(first, error, 0, undefined);
  }

  async #retry(row: TargetRetry): Promise<void> {
    const attempt = JSON.parse(row.body) as TargetAttempt;
    const error = await this.#try(attempt);
    if (this.#pump.closing && error !== undefined) return; // stays claimed; taken again after the lease
    if (error === undefined) return this.store.completeRetry(row.id);
    await this.#failed(attempt, error, row.attempts, row.id);
  }

  /** Undefined when delivered, else what the target answered. */
  async #try(a: TargetAttempt): Promise<unknown> {
    const kind = this.targets.kindFor(a.target.Arn);
    if (!kind) {
      logger.info('EventBridge target kind not delivered by this server', { rule: a.ruleArn, target: a.target.Arn });
      return undefined;
    }
    try {
      await kind.deliver({ targetArn: a.target.Arn, ruleArn: a.ruleArn, accountId: a.scope.accountId, payload: a.payload, target: a.target });
      return undefined;
    } catch (e) {
      return e ?? new Error('delivery failed');
    }
  }

  /** After a failed try with `retries` retries made: another one later, or the dead-letter queue. */
  async #failed(a: TargetAttempt, error: unknown, retries: number, rowId: string | undefined): Promise<void> {
    const { maxRetries, maxAgeMs } = retryPolicyOf(a.target);
    const code = deadLetterErrorCode(error);
    const waitMs = backoffMs(retries + 1, this.#random) / this.#scale;
    const ageAtRetryMs = (this.#now() + waitMs - a.firstTryMs) * this.#scale;
    const reason = error instanceof Error ? error.message : String(error);
    if (!FINAL.has(code) && retries < maxRetries && ageAtRetryMs <= maxAgeMs) {
      logger.info('EventBridge delivery failed; it will be retried', { rule: a.ruleArn, target: a.target.Arn, eventId: a.event.id, retry: retries + 1, reason });
      const dueMs = this.#now() + waitMs;
      if (rowId === undefined) await this.store.enqueueRetry({ id: randomUUID(), dueMs, attempts: 1, body: JSON.stringify(a) });
      else await this.store.rescheduleRetry(rowId, dueMs, retries + 1);
      this.#pump.kick();
      return;
    }
    logger.warn('EventBridge event not delivered to its target', { rule: a.ruleArn, target: a.target.Arn, eventId: a.event.id, retries, error: reason });
    await this.#sendDeadLetter(a, error, retries);
    if (rowId !== undefined) await this.store.completeRetry(rowId);
  }

  /** A dead letter that cannot be sent (no such queue, its policy refuses) is logged and lost, as AWS counts it in InvocationsFailedToBeSentToDLQ. */
  async #sendDeadLetter(a: TargetAttempt, error: unknown, retries: number): Promise<void> {
    const queueArn = (a.target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
    if (!queueArn || !this.targets.deadLetters) return;
    try {
      const attributes = deadLetterAttributes(a.ruleArn, a.target.Arn, error, retries);
      await this.targets.deadLetters.send(queueArn, { body: JSON.stringify(a.event), attributes, ruleArn: a.ruleArn, accountId: a.scope.accountId });
    } catch (e) {
      logger.warn('EventBridge dead letter not sent', { rule: a.ruleArn, target: a.target.Arn, deadLetterQueue: queueArn, error: e instanceof Error ? e.message : String(e) });
    }
  }
}
