// SQS queue and SNS topic targets: EventBridge sends as events.amazonaws.com with the rule as the
// source, so the queue's or topic's resource policy decides (a refusal is logged by the
// dispatcher, the event is not delivered, as on AWS without a target DLQ). The body is the event
// (or what Input/InputPath/InputTransformer made of it); a FIFO queue takes its message group from
// SqsParameters.MessageGroupId and deduplicates by content, as AWS requires of it.
import type { InternalQueues } from '../sqs/queue-sender.js';
import { sendAsService } from '../sqs/service-access.js';
import { publishAsService, type TopicPublisher } from '../sns/service-publish.js';
import type { SnsStore } from '../store/sns-store.js';
import type { EventTargetKind, TargetDelivery } from './delivery-targets.js';
import type { EventDeadLetterSender } from './dead-letters.js';
import { EVENTS_PRINCIPAL } from './lambda-target.js';

const groupOf = (d: TargetDelivery): string | undefined => {
  const group = (d.target.SqsParameters as { MessageGroupId?: unknown } | undefined)?.MessageGroupId;
  return typeof group === 'string' ? group : undefined;
};
const sourceOf = (d: TargetDelivery) => ({ principal: EVENTS_PRINCIPAL, sourceArn: d.ruleArn, sourceAccount: d.accountId });

export function sqsEventTarget(queues: Pick<InternalQueues, 'attributes' | 'send'>): EventTargetKind {
  return {
    async deliver(d) {
      const groupId = groupOf(d);
      await sendAsService(queues, d.targetArn, sourceOf(d), { body: d.payload, ...(groupId !== undefined ? { groupId } : {}) });
    },
  };
}

export function snsEventTarget(sns: TopicPublisher, store: Pick<SnsStore, 'getTopic'>, baseUrl: () => string): EventTargetKind {
  return {
    async deliver(d) {
      const groupId = groupOf(d);
      await publishAsService(sns, store, d.targetArn, sourceOf(d), { Message: d.payload, ...(groupId !== undefined ? { MessageGroupId: groupId } : {}) }, baseUrl());
    },
  };
}

/** Targets' dead-letter queues: sent to as events.amazonaws.com from the rule, so the queue's policy must allow it. */
export function sqsEventDeadLetters(queues: Pick<InternalQueues, 'attributes' | 'send'>): EventDeadLetterSender {
  return {
    async send(queueArn, letter) {
      const attributes = Object.fromEntries(Object.entries(letter.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]));
      await sendAsService(queues, queueArn, { principal: EVENTS_PRINCIPAL, sourceArn: letter.ruleArn, sourceAccount: letter.accountId }, { body: letter.body, attributes });
    },
  };
}
