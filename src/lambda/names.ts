// Turns the FunctionName (+ Qualifier) of a Lambda request into the function it addresses,
// with AWS's checks: ARN region/account must match the request, a qualifier in the name must
// agree with the Qualifier parameter.
import { awsError } from '../core/errors.js';
import { functionArn, parseFunctionNameMember, type ParsedFunctionName } from '../core/arn.js';
import type { RequestContext } from '../aws/request-context.js';
import type { FunctionKey } from '../store/lambda-store.js';
import { qualifierMismatch, wrongRegion } from './errors.js';
import { NAMESPACED_FUNCTION_NAME_PATTERN } from './current-patterns.js';

export interface FunctionRef extends FunctionKey {
  /** From the name (`fn:prod`, ARN suffix) or the Qualifier parameter; undefined when unqualified. */
  qualifier?: string;
}

/** `parse`: how the name is read; tags pass the strict reader, since their ARNs may name other resources. */
export function resolveRef(ctx: RequestContext, functionName: string, qualifierParam?: string, parse: (name: string) => ParsedFunctionName | undefined = parseFunctionNameMember): FunctionRef {
  const parsed = parse(functionName);
  if (!parsed) {
    throw awsError('ValidationException', `1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAMESPACED_FUNCTION_NAME_PATTERN}`);
  }
  if (parsed.region && parsed.region !== ctx.region) throw wrongRegion(parsed.region, ctx.region);
  if (parsed.accountId && parsed.accountId !== ctx.accountId) throw awsError('AccessDeniedException', `User is not authorized to access functions of account ${parsed.accountId}.`);
  if (parsed.qualifier !== undefined && qualifierParam !== undefined && parsed.qualifier !== qualifierParam) throw qualifierMismatch();
  return { accountId: ctx.accountId, region: ctx.region, name: parsed.name, qualifier: parsed.qualifier ?? qualifierParam };
}

export function arnOf(ref: FunctionKey, qualifier?: string): string {
  return functionArn(ref.region, ref.accountId, ref.name, qualifier);
}

export const isVersionNumber = (q: string): boolean => /^\d+$/.test(q);
