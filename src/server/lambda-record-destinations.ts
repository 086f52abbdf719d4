// Lambda's asynchronous invocation records and dead letters to SQS queues, SNS topics and
// EventBridge buses, and failure records to S3 buckets (an object per record). On AWS they are sent with the function's execution role, whose IAM policies
// Stagecraft does not evaluate: the destination only has to exist (no resource policy is checked).
import type { DeadLetter, RecordSenders } from '../lambda/async-queue.js';
import type { InvocationRecord } from '../lambda/invocation-record.js';
import type { QueueSender, AttributeValue } from '../sqs/queue-sender.js';
import type { TopicPublisher } from '../sns/service-publish.js';
import type { EventsPublisher } from '../events/put-events.js';
import type { S3Objects } from '../s3/objects.js';
import { randomUUID } from 'node:crypto';

export interface RecordServices {
  queues: QueueSender;
  sns: TopicPublisher;
  events: EventsPublisher;
  /** Buckets, for OnFailure records (the bucket of the function's account). */
  objects: Pick<S3Objects, 'put'>;
  baseUrl: () => string;
}

const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::([^/]+)$/;

/** AWS's key for a failure record: aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID> (UTC). */
export function s3RecordKey(functionName: string, at: Date): string {
  const iso = at.toISOString();
  const [date, time] = [iso.slice(0, 10), iso.slice(11, 19).replaceAll(':', '.')];
  return `aws/lambda/async/${functionName}/${date.replaceAll('-', '/')}/${date}T${time}-${randomUUID()}`;
}

const BUS_ARN = /^arn:aws[a-z-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/;
const serviceOf = (arn: string) => arn.split(':')[2];

/** The message attributes Lambda sets on a dead letter: RequestID, ErrorCode and ErrorMessage. */
function deadLetterAttributes(letter: DeadLetter): Record<string, AttributeValue> {
  return {
    RequestID: { DataType: 'String', StringValue: letter.requestId },
    ...(letter.errorCode !== undefined ? { ErrorCode: { DataType: 'Number', StringValue: String(letter.errorCode) } } : {}),
    ...(letter.errorMessage !== undefined ? { ErrorMessage: { DataType: 'String', StringValue: letter.errorMessage } } : {}),
  };
}

export function lambdaRecordSenders(s: RecordServices): RecordSenders {
  return {
    async sendRecord(arn: string, record: InvocationRecord) {
      const body = JSON.stringify(record);
      switch (serviceOf(arn)) {
        case 'sqs':
          await s.queues.send(arn, { body });
          return;
        case 'sns':
          await s.sns.publish(arn, { Message: body }, s.baseUrl());
          return;
        case 'events': {
          const bus = BUS_ARN.exec(arn);
          if (!bus) throw new Error(`${arn} is not an event bus ARN`);
          const [, region, accountId, busName] = bus;
          const outcome = record.requestContext.condition === 'Success' ? 'Success' : 'Failure';
          await s.events.putEvent({ accountId, region }, {
            source: 'lambda', detailType: `Lambda Function Invocation Result - ${outcome}`, detail: record, busName, resources: [arn, record.requestContext.functionArn],
          });
          return;
        }
        case 's3': {
          const bucket = BUCKET_ARN.exec(arn)?.[1];
          if (!bucket) throw new Error(`${arn} is not a bucket ARN`);
          // functionArn: arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
          const [, , , , accountId, , functionName] = record.requestContext.functionArn.split(':');
          await s.objects.put(accountId, bucket, s3RecordKey(functionName, new Date(record.timestamp)), {
            data: Buffer.from(body), contentType: 'application/json', metadata: {}, checksums: {}, tags: [],
          });
          return;
        }
        default:
          throw new Error(`${arn} is not a destination Stagecraft sends records to`);
      }
    },
    async sendDeadLetter(arn: string, letter: DeadLetter) {
      const body = letter.payload.toString('utf8');
      const attributes = deadLetterAttributes(letter);
      switch (serviceOf(arn)) {
        case 'sqs':
          await s.queues.send(arn, { body, attributes });
          return;
        case 'sns':
          await s.sns.publish(arn, { Message: body, MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: v.DataType, StringValue: v.StringValue }])) }, s.baseUrl());
          return;
        default:
          throw new Error(`${arn} is neither an SQS queue nor an SNS topic`);
      }
    },
  };
}
