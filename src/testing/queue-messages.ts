// Test support for deliveries into SQS queues: a queue with a policy letting one service send from
// one source, and the messages that arrive (polled until enough came, or a generous deadline).
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, DeleteMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';

/** A queue policy allowing `principal` sqs:SendMessage from `sourceArn` (ArnEquals, or ArnLike with wildcards). */
export function sendPolicy(queueArn: string, principal: string, sourceArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Sid: 'from-service', Effect: 'Allow', Principal: { Service: principal }, Action: 'sqs:SendMessage', Resource: queueArn,
      Condition: { [sourceArn.includes('*') ? 'ArnLike' : 'ArnEquals']: { 'aws:SourceArn': sourceArn } },
    }],
  });
}

/** Creates a queue (with `attributes`, e.g. a Policy) and answers its URL and ARN. */
export async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Receives (and deletes) messages until `count` arrived; fails after `timeoutMs`. */
export async function receiveMessages(sqs: SQSClient, queueUrl: string, count: number, timeoutMs = 30_000): Promise<Message[]> {
  const got: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} messages in ${queueUrl}: got ${got.length}`);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'],
    }));
    for (const m of Messages ?? []) {
      got.push(m);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  return got;
}

/** The messages that arrive within a `seconds` long poll (for checks that a refused delivery left nothing). */
export async function receiveNothing(sqs: SQSClient, queueUrl: string, seconds = 2): Promise<Message[]> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: seconds }));
  return Messages ?? [];
}
