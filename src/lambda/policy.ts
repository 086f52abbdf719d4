// Resource-policy evaluation for service principals (API Gateway invoking a function) and for
// anonymous callers of function URLs: an Allow statement must match the principal, the action and
// every condition, with IAM's ArnLike globbing.
import type { PolicyRecord, PolicyStatement } from '../store/lambda-store.js';

export interface PolicyRequest {
  principal: string;
  action: string;
  sourceArn?: string;
  sourceAccount?: string;
  /** A function URL's auth type (condition key lambda:FunctionUrlAuthType); set only for calls through a URL. */
  functionUrlAuthType?: string;
}

/** IAM ArnLike/StringLike: `*` any run of characters, `?` one character, otherwise literal. */
const globCache = new Map<string, RegExp>();

export function globMatch(pattern: string, value: string): boolean {
  let compiled = globCache.get(pattern);
  if (!compiled) {
    let re = '^';
    for (const ch of pattern) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
    compiled = new RegExp(re + '$', 's');
    if (globCache.size > 10_000) globCache.clear();
    globCache.set(pattern, compiled);
  }
  return compiled.test(value);
}

function principalMatches(p: PolicyStatement['Principal'], principal: string): boolean {
  if (p === '*') return true;
  if (typeof p === 'string') return p === principal;
  if ('Service' in p) return p.Service === principal || p.Service === '*';
  return p.AWS === '*' || p.AWS === principal;
}

function actionMatches(action: string, wanted: string): boolean {
  return action === '*' || action === 'lambda:*' || action.toLowerCase() === wanted.toLowerCase();
}

function conditionsHold(conditions: PolicyStatement['Condition'], req: PolicyRequest): boolean {
  if (!conditions) return true;
  const context: Record<string, string | undefined> = {
    'aws:sourcearn': req.sourceArn, 'aws:sourceaccount': req.sourceAccount, 'lambda:functionurlauthtype': req.functionUrlAuthType,
    'lambda:invokedviafunctionurl': req.functionUrlAuthType === undefined ? undefined : 'true',
  };
  for (const [operator, entries] of Object.entries(conditions)) {
    for (const [key, expected] of Object.entries(entries)) {
      const actual = context[key.toLowerCase()];
      if (actual === undefined) return false;
      const candidates = Array.isArray(expected) ? (expected as string[]) : [expected];
      const ok = candidates.some((e) => {
        switch (operator) {
          case 'ArnLike': case 'StringLike': return globMatch(e, actual);
          case 'ArnEquals': case 'StringEquals': return e === actual;
          case 'Bool': return String(e).toLowerCase() === actual;
          default: return false; // unknown operators never grant access
        }
      });
      if (!ok) return false;
    }
  }
  return true;
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
  return policy.statements.some((s) => s.Effect === 'Allow' && principalMatches(s.Principal, req.principal) && actionMatches(s.Action, req.action) && conditionsHold(s.Condition, req));
}
