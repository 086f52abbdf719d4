// Where matched events go: one small interface per kind of target, chosen by the target ARN's
// service (`arn:aws:lambda:…`, `arn:aws:sqs:…`, …). A kind without a delivery registered keeps its
// targets stored; their events are logged as not delivered. Targets' dead-letter queues are sent
// to by the sender the SQS side registers.
import type { EventDeadLetterSender } from './dead-letters.js';

export interface TargetDelivery {
  /** The target's Arn. */
  targetArn: string;
  /** The rule that matched (the source ARN a resource policy is checked against). */
  ruleArn: string;
  /** The rule's account. */
  accountId: string;
  /** The payload after Input, InputPath or InputTransformer (JSON text). */
  payload: string;
  /** The target as PutTargets stored it (for kind-specific parameters such as SqsParameters). */
  target: Record<string, unknown>;
}

export interface EventTargetKind {
  /**
   * Hands the event over durably (queued where the target's own service keeps it) and resolves;
   * rejects when the target refuses it (no permission, no such resource).
   */
  deliver(delivery: TargetDelivery): Promise<void>;
}

/** The ARN's service (`lambda`, `sqs`, `sns`, …). */
export const targetService = (arn: string): string => arn.split(':')[2] ?? '';

export class DeliveryTargets {
  readonly #kinds = new Map<string, EventTargetKind>();
  #deadLetters: EventDeadLetterSender | undefined;

  /** Registers the delivery of targets whose ARNs name `service`. */
  register(service: string, kind: EventTargetKind): void {
    this.#kinds.set(service, kind);
  }

  /** Registers where targets' DeadLetterConfig queues are sent to. */
  sendDeadLettersTo(sender: EventDeadLetterSender): void {
    this.#deadLetters = sender;
  }

  get deadLetters(): EventDeadLetterSender | undefined {
    return this.#deadLetters;
  }

  kindFor(arn: string): EventTargetKind | undefined {
    return this.#kinds.get(targetService(arn));
  }
}
