// Lambda targets on the invoke pipeline: EventBridge invokes asynchronously (the event goes to
// Lambda's durable async queue) as the service principal events.amazonaws.com, with the rule as
// the source ARN, so the function's resource policy decides as on AWS.
import type { Invoker } from '../lambda/invoke.js';
import { invokeAsService } from '../lambda/service-invoke.js';
import type { EventTargetKind } from './delivery-targets.js';

export const EVENTS_PRINCIPAL = 'events.amazonaws.com';

export function lambdaTarget(invoker: Pick<Invoker, 'invoke'>): EventTargetKind {
  return {
    deliver: ({ targetArn, ruleArn, accountId, payload }) =>
      invokeAsService(invoker, () => [EVENTS_PRINCIPAL], { functionArn: targetArn, sourceArn: ruleArn, sourceAccount: accountId, input: { invocationType: 'Event', payload: Buffer.from(payload) } }),
  };
}
