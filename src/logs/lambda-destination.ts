// Subscription filters' destination on the Lambda invoke pipeline: CloudWatch Logs invokes as the
// service principal logs.amazonaws.com (or its regional form, logs.{region}.amazonaws.com), with
// the log group as the source, so the function's resource policy decides as on AWS.
import type { Invoker } from '../lambda/invoke.js';
import { invokeAsService } from '../lambda/service-invoke.js';
import type { SubscriptionDestination } from './subscription-delivery.js';

export { parseFunctionArn } from '../lambda/service-invoke.js';

const LOGS_PRINCIPALS = (region: string) => ['logs.amazonaws.com', `logs.${region}.amazonaws.com`];

export function lambdaDestination(invoker: Pick<Invoker, 'invoke'>): SubscriptionDestination {
  return {
    async allows(functionArn, sourceArn, sourceAccount) {
      try {
        await invokeAsService(invoker, LOGS_PRINCIPALS, { functionArn, sourceArn, sourceAccount, input: { invocationType: 'DryRun', payload: Buffer.from('{}') } });
        return true;
      } catch {
        return false; // refused by the policy, or no such function (or version, or alias)
      }
    },
    deliver: (functionArn, sourceArn, sourceAccount, event) =>
      invokeAsService(invoker, LOGS_PRINCIPALS, { functionArn, sourceArn, sourceAccount, input: { invocationType: 'Event', payload: event } }),
  };
}
