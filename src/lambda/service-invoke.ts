// Invoking a function as an AWS service principal (CloudWatch Logs for subscription filters,
// CloudWatch for alarm actions): the function named by its ARN, the principal's permission decided
// by the function's resource policy for the source, as on AWS.
import { InvokePermissionError, type InvokeInput, type Invoker } from './invoke.js';

const FUNCTION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9$_-]{1,128}))?$/;

export interface FunctionArnParts { partition: string; region: string; accountId: string; name: string; qualifier?: string }

/** The function an ARN names (qualified or not), or undefined when it is not a Lambda function ARN. */
export function parseFunctionArn(arn: string): FunctionArnParts | undefined {
  const m = FUNCTION_ARN.exec(arn);
  return m ? { partition: m[1], region: m[2], accountId: m[3], name: m[4], ...(m[5] !== undefined ? { qualifier: m[5] } : {}) } : undefined;
}

export interface ServiceInvocation {
  functionArn: string;
  sourceArn: string;
  sourceAccount: string;
  input: Pick<InvokeInput, 'invocationType' | 'payload'>;
}

/**
 * Invokes as the first of `principals` the policy allows (a service's global principal, then its
 * regional form, for instance); rejects with the last refusal, or when the function does not exist.
 */
export async function invokeAsService(invoker: Pick<Invoker, 'invoke'>, principals: (region: string) => string[], call: ServiceInvocation): Promise<void> {
  const parts = parseFunctionArn(call.functionArn);
  if (!parts) throw new Error(`not a Lambda function ARN: ${call.functionArn}`);
  const { region, accountId, name, qualifier } = parts;
  const ref = { region, accountId, name, ...(qualifier !== undefined ? { qualifier } : {}) };
  const list = principals(region);
  for (const [i, principal] of list.entries()) {
    try {
      await invoker.invoke({ ...call.input, ref, payloadIsJson: true, caller: { principal, sourceArn: call.sourceArn, sourceAccount: call.sourceAccount } });
      return;
    } catch (e) {
      if (!(e instanceof InvokePermissionError) || i === list.length - 1) throw e;
    }
  }
}
