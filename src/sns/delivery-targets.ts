// Where deliveries go, by subscription protocol. A target delivers one queued message to one
// subscription; the queue retries it or gives it up by what the target answers. Lambda and
// HTTP/S targets are built here; another service (SQS) registers its own for its protocol.
import type { StoredSubscription } from '../store/sns-store.js';
import type { QueuedMessage } from './notification.js';

/**
 * delivered: done. retry: a failure the delivery policy retries (endpoint down, 5xx).
 * drop: a failure no retry can mend (no such function, not allowed); the message is given up.
 */
export type DeliveryOutcome = { kind: 'delivered' } | { kind: 'retry'; reason: string } | { kind: 'drop'; reason: string };

export interface DeliveryTarget {
  deliver(sub: StoredSubscription, message: QueuedMessage): Promise<DeliveryOutcome>;
}

export const delivered: DeliveryOutcome = { kind: 'delivered' };

/** Where a subscription's RedrivePolicy sends what was given up on (SQS registers it). */
export interface DeadLetterSender {
  send(queueArn: string, sub: StoredSubscription, message: QueuedMessage): Promise<void>;
}
