// The IAM policy a Lambda authorizer returns, evaluated for one method ARN as API Gateway does:
// a matching Deny wins over everything, else a matching Allow allows, else the request is denied
// implicitly. Resource patterns use IAM's `*`/`?` globbing (shared with Lambda's resource
// policies); actions match `execute-api:Invoke` case-insensitively, wildcards included.
// This is not src/lambda/policy.ts: that one grants a service principal by conditions on a
// function's resource policy; this one decides by Effect and Resource for an API caller.
import { globMatch } from '../lambda/policy.js';

export type PolicyDecision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
  /** Statements with conditions are kept but never apply: no condition keys exist for them here. */
  conditional: boolean;
}

const INVOKE = 'execute-api:invoke';

const asList = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : v === undefined ? undefined : [v]);
const strings = (v: unknown[] | undefined): string[] | undefined => (v && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

/** The statements of a policy document, or undefined when it is not one (API Gateway's 500). */
export function parsePolicyDocument(document: unknown): PolicyStatement[] | undefined {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const list = asList((document as Record<string, unknown>).Statement);
  if (!list) return undefined;
  const out: PolicyStatement[] = [];
  for (const raw of list) {
    if (!raw || typeof raw !== 'object') return undefined;
    const s = raw as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return undefined;
    const actions = strings(asList(s.Action));
    const resources = strings(asList(s.Resource));
    if (!actions || !resources) return undefined;
    out.push({ effect: s.Effect, actions, resources, conditional: s.Condition !== undefined });
  }
  return out;
}

function applies(s: PolicyStatement, methodArn: string): boolean {
  return !s.conditional
    && s.actions.some((a) => globMatch(a.toLowerCase(), INVOKE))
    && s.resources.some((r) => globMatch(r, methodArn));
}

export function evaluatePolicy(statements: readonly PolicyStatement[], methodArn: string): PolicyDecision {
  let allowed = false;
  for (const s of statements) {
    if (!applies(s, methodArn)) continue;
    if (s.effect === 'Deny') return 'ExplicitDeny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}
