// Services (SNS, S3, EventBridge) sending to a queue as their service principal: the queue must
// exist and its Policy attribute allow sqs:SendMessage for the source, as AWS decides it.
import { DeliveryRefused, servicePolicyAllows, type ServiceAccess } from '../core/resource-policy.js';
import type { InternalQueues, QueueMessage, SendResult } from './queue-sender.js';

export interface ServiceSource {
  /** e.g. sns.amazonaws.com */
  principal: string;
  sourceArn: string;
  sourceAccount: string;
}

export async function queueAccess(queues: Pick<InternalQueues, 'attributes'>, queueArn: string, source: ServiceSource): Promise<ServiceAccess> {
  const attributes = await queues.attributes(queueArn);
  if (!attributes) return 'missing';
  return servicePolicyAllows(attributes.Policy, { ...source, action: 'sqs:SendMessage', resource: queueArn }) ? 'allowed' : 'refused';
}

/** Sends once the queue's policy allows it; throws DeliveryRefused otherwise (SQS's own errors as SendMessage throws them). */
export async function sendAsService(queues: Pick<InternalQueues, 'attributes' | 'send'>, queueArn: string, source: ServiceSource, message: QueueMessage): Promise<SendResult> {
  const access = await queueAccess(queues, queueArn, source);
  if (access !== 'allowed') throw new DeliveryRefused(access, queueArn, source.principal);
  return queues.send(queueArn, message);
}
