// Subscription filters' destination on the Lambda invoke pipeline: CloudWatch Logs invokes as the
// service principal logs.amazonaws.com (or its regional form, logs.{region}.amazonaws.com), with
// the log group as the source, so the function's resource policy decides as on AWS.
import { InvokePermissionError, type InvokeInput, type Invoker } from '../lambda/invoke.js';
import type { SubscriptionDestination } from './subscription-delivery.js';

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9$_-]{1,128}))?$/;

/** The function an ARN names (qualified or not), or undefined when it is not a Lambda function ARN. */
export function parseFunctionArn(arn: string): { region: string; accountId: string; name: string; qualifier?: string } | undefined {
  const m = FUNCTION_ARN.exec(arn);
  return m ? { region: m[1], accountId: m[2], name: m[3], ...(m[4] !== undefined ? { qualifier: m[4] } : {}) } : undefined;
}

export function lambdaDestination(invoker: Pick<Invoker, 'invoke'>): SubscriptionDestination {
  /** Invokes as the global principal, then the regional one when the policy names only that. */
  const invoke = async (functionArn: string, sourceArn: string, sourceAccount: string, input: Pick<InvokeInput, 'invocationType' | 'payload'>) => {
    const ref = parseFunctionArn(functionArn);
    if (!ref) throw new Error(`not a Lambda function ARN: ${functionArn}`);
    const principals = ['logs.amazonaws.com', `logs.${ref.region}.amazonaws.com`];
    for (const [i, principal] of principals.entries()) {
      try {
        await invoker.invoke({ ...input, ref, payloadIsJson: true, caller: { principal, sourceArn, sourceAccount } });
        return;
      } catch (e) {
        if (!(e instanceof InvokePermissionError) || i === principals.length - 1) throw e;
      }
    }
  };
  return {
    async allows(functionArn, sourceArn, sourceAccount) {
      try {
        await invoke(functionArn, sourceArn, sourceAccount, { invocationType: 'DryRun', payload: Buffer.from('{}') });
        return true;
      } catch {
        return false; // refused by the policy, or no such function (or version, or alias)
      }
    },
    deliver: (functionArn, sourceArn, sourceAccount, event) => invoke(functionArn, sourceArn, sourceAccount, { invocationType: 'Event', payload: event }),
  };
}
