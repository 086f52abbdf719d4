// Lambda subscriptions on the invoke pipeline: SNS invokes the function asynchronously as the
// service principal sns.amazonaws.com with the topic as the source ARN, so the function's resource
// policy decides, as on AWS (a refusal is not retried: the message is not delivered).
import { isAwsError } from '../core/errors.js';
import { InvokePermissionError, type Invoker } from '../lambda/invoke.js';
import { invokeAsService } from '../lambda/service-invoke.js';
import { delivered, type DeliveryTarget } from './delivery-targets.js';
import { lambdaEvent } from './notification.js';

export const SNS_PRINCIPAL = 'sns.amazonaws.com';

export function lambdaTarget(invoker: Pick<Invoker, 'invoke'>): DeliveryTarget {
  return {
    async deliver(sub, message) {
      try {
        await invokeAsService(invoker, () => [SNS_PRINCIPAL], {
          functionArn: sub.endpoint, sourceArn: sub.topicArn, sourceAccount: sub.accountId,
          input: { invocationType: 'Event', payload: Buffer.from(JSON.stringify(lambdaEvent(message, sub))) },
        });
        return delivered;
      } catch (e) {
        const reason = isAwsError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
        if (e instanceof InvokePermissionError || (isAwsError(e) && e.code === 'ResourceNotFoundException')) return { kind: 'drop', reason };
        return { kind: 'retry', reason };
      }
    },
  };
}
