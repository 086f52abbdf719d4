// IAM policies API Gateway evaluates for one method ARN: the policy a Lambda authorizer returns
// and the API's resource policy (resource-policy.ts). A matching Deny wins over everything, else a
// matching Allow allows, else the request is denied implicitly. Resource patterns use IAM's
// `*`/`?` globbing; actions match `execute-api:Invoke` case-insensitively, wildcards included;
// NotAction and NotResource invert their lists. Principal and Condition are decided when the
// caller's request is given (resource policies); without one (authorizer policies) statements
// with conditions never apply and principals are not looked at.
// This is not src/lambda/policy.ts: that one grants a service principal on a function's resource
// policy; both share IAM's condition operators (core/iam-condition.ts).
import { conditionsHold, globMatch, type ConditionBlock, type ConditionContext } from '../core/iam-condition.js';

export type PolicyDecision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/** Principal or NotPrincipal: `*` (anyone), or names (`AWS` values as given; other kinds as `Kind:value`). */
export type PrincipalSet = '*' | readonly string[];

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  /** NotAction: applies to every action but these (then `actions` is empty). */
  notAction?: true;
  resources: string[];
  /** NotResource: applies to every resource but these (then `resources` lists them). */
  notResource?: true;
  principals?: PrincipalSet;
  notPrincipals?: PrincipalSet;
  condition?: ConditionBlock;
}

/** The caller a resource policy is decided for. */
export interface PolicyRequest {
  /** The AWS principal names the caller goes by (account id, ARN); empty for an anonymous caller, who matches only `*`. */
  principal: readonly string[];
  condition: ConditionContext;
}

const INVOKE = 'execute-api:invoke';

const asList = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : v === undefined ? undefined : [v]);
const strings = (v: unknown[] | undefined): string[] | undefined => (v && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function parsePrincipal(p: unknown): PrincipalSet | undefined | null {
  if (p === undefined) return undefined;
  if (p === '*') return '*';
  if (!isObject(p)) return null;
  const names: string[] = [];
  for (const [kind, value] of Object.entries(p)) {
    const list = strings(asList(value));
    if (!list) return null;
    for (const v of list) names.push(kind === 'AWS' ? v : `${kind}:${v}`);
  }
  return names;
}

/** The statements of a policy document, or undefined when it is not one (API Gateway's 500). */
export function parsePolicyDocument(document: unknown): PolicyStatement[] | undefined {
  if (!isObject(document)) return undefined;
  const list = asList(document.Statement);
  if (!list) return undefined;
  const out: PolicyStatement[] = [];
  for (const raw of list) {
    if (!isObject(raw)) return undefined;
    const s = raw;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return undefined;
    const actions = strings(asList(s.Action ?? s.NotAction));
    const resources = strings(asList(s.Resource ?? s.NotResource));
    if (!actions || !resources) return undefined;
    const statement: PolicyStatement = { effect: s.Effect, actions, resources };
    if (s.Action === undefined) statement.notAction = true;
    if (s.Resource === undefined) statement.notResource = true;
    const principals = parsePrincipal(s.Principal);
    const notPrincipals = parsePrincipal(s.NotPrincipal);
    if (principals === null || notPrincipals === null) return undefined;
    if (principals !== undefined) statement.principals = principals;
    if (notPrincipals !== undefined) statement.notPrincipals = notPrincipals;
    if (s.Condition !== undefined) {
      if (!isObject(s.Condition)) return undefined;
      statement.condition = s.Condition as ConditionBlock;
    }
    out.push(statement);
  }
  return out;
}

const inSet = (set: PrincipalSet, caller: readonly string[]): boolean =>
  set === '*' || set.some((p) => p === '*' || caller.includes(p));

function principalApplies(s: PolicyStatement, request: PolicyRequest): boolean {
  if (s.principals !== undefined && !inSet(s.principals, request.principal)) return false;
  if (s.notPrincipals !== undefined && inSet(s.notPrincipals, request.principal)) return false;
  return true;
}

function applies(s: PolicyStatement, methodArn: string, request: PolicyRequest | undefined): boolean {
  if (s.actions.some((a) => globMatch(a.toLowerCase(), INVOKE)) === !!s.notAction) return false;
  if (s.resources.some((r) => globMatch(r, methodArn)) === !!s.notResource) return false;
  if (!request) return s.condition === undefined;
  return principalApplies(s, request) && conditionsHold(s.condition, request.condition);
}

export function evaluatePolicy(statements: readonly PolicyStatement[], methodArn: string, request?: PolicyRequest): PolicyDecision {
  let allowed = false;
  for (const s of statements) {
    if (!applies(s, methodArn, request)) continue;
    if (s.effect === 'Deny') return 'ExplicitDeny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/**
 * AWS's table for a Lambda authorizer (or same-account IAM caller) with a resource policy: a deny
 * in either is a deny (the resource policy's is answered before the authorizer runs), else an
 * allow in either allows. Without a resource policy the authorizer's decision stands.
 */
export function combineWithResourcePolicy(authorizer: PolicyDecision, resourcePolicy: PolicyDecision | undefined): PolicyDecision {
  return authorizer === 'ImplicitDeny' && resourcePolicy === 'Allow' ? 'Allow' : authorizer;
}
