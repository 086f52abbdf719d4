// Lambda functions as notification destinations: S3 invokes as the service principal
// s3.amazonaws.com, with the bucket as the source and its owner as the source account, so the
// function's resource policy decides as on AWS; events run asynchronously through Lambda's queue.
import type { Invoker } from '../lambda/invoke.js';
import { invokeAsService } from '../lambda/service-invoke.js';
import type { NotificationDestination } from './notifications.js';

export const S3_PRINCIPAL = 's3.amazonaws.com';
const S3_PRINCIPALS = () => [S3_PRINCIPAL];

export function lambdaNotificationDestination(invoker: Pick<Invoker, 'invoke'>): NotificationDestination {
  const call = (functionArn: string, bucketArn: string, ownerAccountId: string, invocationType: 'Event' | 'DryRun', payload: Buffer) =>
    invokeAsService(invoker, S3_PRINCIPALS, { functionArn, sourceArn: bucketArn, sourceAccount: ownerAccountId, input: { invocationType, payload } });
  return {
    async check(arn, source) {
      try {
        await call(arn, source.bucketArn, source.ownerAccountId, 'DryRun', Buffer.from('{}'));
        return 'allowed';
      } catch {
        return 'refused'; // by the policy, or no such function (S3 answers both alike), or not a function ARN
      }
    },
    deliver: (arn, source, message) => call(arn, source.bucketArn, source.ownerAccountId, 'Event', message),
  };
}
