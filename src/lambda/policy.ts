// Resource-policy evaluation for service principals (API Gateway invoking a function) and for
// anonymous callers of function URLs: an Allow statement must match the principal, the action and
// every condition (core/iam-condition.ts), with IAM's ArnLike globbing.
import type { PolicyRecord, PolicyStatement } from '../store/lambda-store.js';
import { conditionsHold, globMatch } from '../core/iam-condition.js';

export interface PolicyRequest {
  principal: string;
  action: string;
  sourceArn?: string;
  sourceAccount?: string;
  /** A function URL's auth type (condition key lambda:FunctionUrlAuthType); set only for calls through a URL. */
  functionUrlAuthType?: string;
}

export { globMatch };

function principalMatches(p: PolicyStatement['Principal'], principal: string): boolean {
  if (p === '*') return true;
  if (typeof p === 'string') return p === principal;
  if ('Service' in p) return p.Service === principal || p.Service === '*';
  return p.AWS === '*' || p.AWS === principal;
}

function actionMatches(action: string, wanted: string): boolean {
  return action === '*' || action === 'lambda:*' || action.toLowerCase() === wanted.toLowerCase();
}

function conditionsOf(conditions: PolicyStatement['Condition'], req: PolicyRequest): boolean {
  if (!conditions) return true;
  const context: Record<string, string | undefined> = {
    'aws:sourcearn': req.sourceArn, 'aws:sourceaccount': req.sourceAccount, 'lambda:functionurlauthtype': req.functionUrlAuthType,
    'lambda:invokedviafunctionurl': req.functionUrlAuthType === undefined ? undefined : 'true',
  };
  return conditionsHold(conditions, (key) => context[key]);
}

/** Decisions per policy record: records are immutable and replaced on every change. */
const decisions = new WeakMap<PolicyRecord, Map<string, boolean>>();

export function isAllowed(policy: PolicyRecord | undefined, req: PolicyRequest): boolean {
  if (!policy) return false;
  let known = decisions.get(policy);
  if (!known) decisions.set(policy, (known = new Map()));
  const key = `${req.principal}\u0000${req.action}\u0000${req.sourceArn ?? ''}\u0000${req.sourceAccount ?? ''}\u0000${req.functionUrlAuthType ?? ''}`;
  let allowed = known.get(key);
  if (allowed === undefined) {
    allowed = evaluate(policy, req);
    if (known.size > 1000) known.clear();
    known.set(key, allowed);
  }
  return allowed;
}

function evaluate(policy: PolicyRecord, req: PolicyRequest): boolean {
  return policy.statements.some((s) => s.Effect === 'Allow' && principalMatches(s.Principal, req.principal) && actionMatches(s.Action, req.action) && conditionsOf(s.Condition, req));
}
