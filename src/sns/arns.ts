// Topic and subscription ARNs: arn:aws:sns:<region>:<account>:<topic>[:<subscription id>].
import { invalidParameter } from './errors.js';

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const TOPIC_ARN = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,256})$/;
const SUBSCRIPTION_ARN = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,256}):([0-9a-f-]{36})$/;

export interface TopicRef { region: string; accountId: string; name: string }

export const topicArn = (t: TopicRef): string => `arn:aws:sns:${t.region}:${t.accountId}:${t.name}`;
export const isFifoName = (name: string): boolean => name.endsWith('.fifo');

/** CreateTopic's name check: FIFO names end in .fifo (AWS's wording for both). */
export function checkTopicName(name: string, fifo: boolean): void {
  if (fifo ? !FIFO_NAME.test(name) : !TOPIC_NAME.test(name)) {
    throw invalidParameter(fifo ? 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.' : 'Topic Name');
  }
}

export function parseTopicArn(arn: string | undefined, parameter = 'TopicArn'): TopicRef {
  const m = arn === undefined ? null : TOPIC_ARN.exec(arn);
  if (!m) throw invalidParameter(parameter);
  return { region: m[1], accountId: m[2], name: m[3] };
}

export function parseSubscriptionArn(arn: string | undefined): TopicRef & { topicArn: string } {
  const m = arn === undefined ? null : SUBSCRIPTION_ARN.exec(arn);
  if (!m) throw invalidParameter('SubscriptionArn');
  return { region: m[1], accountId: m[2], name: m[3], topicArn: `arn:aws:sns:${m[1]}:${m[2]}:${m[3]}` };
}
