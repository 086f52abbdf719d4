// Step 4a — the API's resource policy, as the deployment froze it (AWS: a changed policy takes
// effect when the API is redeployed). Decided per AWS's authorization workflow:
//
//   NONE                 the policy must allow explicitly; an implicit or explicit deny is a 403
//   CUSTOM (Lambda)      an explicit deny is a 403 before the authorizer is called; afterwards the
//                        authorizer's policy and this one combine (combineWithResourcePolicy)
//   AWS_IAM              the signed caller is in the API owner's account and IAM policies are not
//                        modelled (every configured key may call): only an explicit deny refuses
//   COGNITO_USER_POOLS   after the token is accepted, the policy must allow explicitly
//
// The policy is parsed and compiled once per deployment snapshot; APIs without one pay a
// property check in the chain and nothing here.
import type { DeploymentSnapshot } from '../store/apigateway-store.js';
import type { InvocationContext } from './context.js';
import { header } from './context.js';
import { GatewayError } from './errors.js';
import { evaluatePolicy, parsePolicyDocument, type PolicyDecision, type PolicyRequest, type PolicyStatement } from './iam-policy.js';
import { methodArn } from './authorizer.js';

/** A snapshot's policy, compiled: its statements with shorthand resources expanded, or null when it is not a policy. */
type Compiled = readonly PolicyStatement[] | null;

const compiled = new WeakMap<DeploymentSnapshot, Compiled>();

/**
 * The policy's JSON text: as given, double-encoded, or with quotes escaped as the CLI and AWS's
 * GetRestApi write it (`{\"Version\":…}`); undefined when it is none of those.
 */
export function parsePolicyText(text: string): unknown {
  const attempt = (t: string): unknown => {
    try {
      const v: unknown = JSON.parse(t);
      return typeof v === 'string' ? JSON.parse(v) : v;
    } catch {
      return undefined;
    }
  };
  return attempt(text) ?? attempt(text.replace(/\\"/g, '"'));
}

/** `execute-api:/{stage}/{METHOD}/{path}` (the console's shorthand) as this API's full ARN. */
export function expandResource(resource: string, arnPrefix: string): string {
  return resource.startsWith('execute-api:/') ? arnPrefix + resource.slice('execute-api:/'.length) : resource;
}

export function compilePolicy(text: string, region: string, accountId: string, apiId: string): Compiled {
  const statements = parsePolicyDocument(parsePolicyText(text));
  if (!statements) return null;
  const prefix = `arn:aws:execute-api:${region}:${accountId}:${apiId}/`;
  return statements.map((s) => ({ ...s, resources: s.resources.map((r) => expandResource(r, prefix)) }));
}

function policyOf(ctx: InvocationContext, text: string): Compiled {
  const snapshot = ctx.resolved!.deployment.snapshot;
  let policy = compiled.get(snapshot);
  if (policy === undefined) {
    const api = ctx.resolved!.api;
    policy = compilePolicy(text, api.region, api.accountId, ctx.apiId);
    compiled.set(snapshot, policy);
  }
  return policy;
}

/** The request context IAM conditions see; keys API Gateway never has here (aws:SourceVpce, aws:SourceVpc) are absent. */
function conditionContext(ctx: InvocationContext, clock: () => Date): PolicyRequest['condition'] {
  const r = ctx.request;
  return (key) => {
    switch (key) {
      case 'aws:sourceip': return r.sourceIp;
      case 'aws:useragent': return header(r, 'user-agent');
      case 'aws:referer': return header(r, 'referer');
      case 'aws:securetransport': return (ctx.raw?.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'true' : 'false';
      case 'aws:currenttime': return clock().toISOString();
      case 'aws:epochtime': return String(Math.floor(clock().getTime() / 1000));
      case 'aws:requestedregion': return ctx.resolved!.api.region;
      case 'aws:principalaccount': return ctx.iamCaller?.accountId;
      case 'aws:principalarn': return ctx.iamCaller ? rootArn(ctx.iamCaller.accountId) : undefined;
      default: return undefined;
    }
  };
}

const rootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;

/**
 * The names a caller matches in Principal: an AWS_IAM caller is its account (by id or root ARN;
 * keys here name no user or role, as GetCallerIdentity shows); anyone else is anonymous.
 */
function principalOf(ctx: InvocationContext): string[] {
  const caller = ctx.iamCaller;
  return caller ? [caller.accountId, rootArn(caller.accountId)] : [];
}

/** AWS's 403: "User: anonymous is not authorized…" with the resource ARN's account masked but its last four digits. */
export function resourcePolicyDenied(user: string, arn: string, explicit: boolean): GatewayError {
  const masked = arn.replace(/^(arn:aws:execute-api:[^:]*:)(\d*)(\d{4}):/, (_, head: string, hidden: string, tail: string) => `${head}${'*'.repeat(hidden.length)}${tail}:`);
  return new GatewayError('ACCESS_DENIED', `The resource policy ${explicit ? 'explicitly denies' : 'does not allow'} the request`, {
    message: `User: ${user} is not authorized to perform: execute-api:Invoke on resource: ${masked}${explicit ? ' with an explicit deny' : ''}`,
  });
}

/** The resource policy's decision for this request (an unreadable policy allows nothing). */
export function resourcePolicyDecision(ctx: InvocationContext, text: string, clock: () => Date = () => new Date()): PolicyDecision {
  const policy = policyOf(ctx, text);
  if (!policy) return 'ImplicitDeny';
  return evaluatePolicy(policy, methodArn(ctx), { principal: principalOf(ctx), condition: conditionContext(ctx, clock) });
}

/** The step, for an API whose deployment has a resource policy; run after the method's authentication (see chain.ts). */
export function enforceResourcePolicy(ctx: InvocationContext, text: string): void {
  const decision = resourcePolicyDecision(ctx, text);
  const type = (ctx.method!.authorizationType ?? 'NONE').toUpperCase();
  ctx.log?.add(`Resource policy decision: ${decision}`);
  if (decision === 'Allow') {
    ctx.resourcePolicy = decision;
    return;
  }
  const user = ctx.iamCaller ? rootArn(ctx.iamCaller.accountId) : 'anonymous';
  if (decision === 'ExplicitDeny' || type === 'NONE' || type === 'COGNITO_USER_POOLS') {
    throw resourcePolicyDenied(user, methodArn(ctx), decision === 'ExplicitDeny');
  }
  // CUSTOM: the authorizer decides with it (combineWithResourcePolicy); AWS_IAM: the caller's own
  // (unmodelled, allowing) IAM policy does.
  ctx.resourcePolicy = decision;
}
