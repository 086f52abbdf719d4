// Alarm actions' target on the Lambda invoke pipeline: CloudWatch invokes as the service principal
// lambda.alarms.cloudwatch.amazonaws.com (AWS's documented principal; it has no regional form),
// with the alarm as the source, asynchronously (the event is queued, then run and retried as any).
import type { Invoker } from '../lambda/invoke.js';
import { invokeAsService } from '../lambda/service-invoke.js';
import type { AlarmActionTarget } from './alarm-actions.js';

export const ALARM_ACTIONS_PRINCIPAL = 'lambda.alarms.cloudwatch.amazonaws.com';

export function lambdaActionTarget(invoker: Pick<Invoker, 'invoke'>): AlarmActionTarget {
  return {
    invoke: (functionArn, sourceArn, sourceAccount, event) =>
      invokeAsService(invoker, () => [ALARM_ACTIONS_PRINCIPAL], { functionArn, sourceArn, sourceAccount, input: { invocationType: 'Event', payload: event } }),
  };
}
