// Resource-policy evaluation for service principals (API Gateway invoking a function): an Allow
// statement must match the principal, the action and every condition, with IAM's ArnLike globbing.
import type { PolicyRecord, PolicyStatement } from '../store/lambda-store.js';

export interface PolicyRequest {
  principal: string;
  action: string;
  sourceArn?: string;
  sourceAccount?: string;
}

/** IAM ArnLike/StringLike: `*` any run of characters, `?` one character, otherwise literal. */
export function globMatch(pattern: string, value: string): boolean {
  let re = '^';
  for (const ch of pattern) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(re + '$', 's').test(value);
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
  const context: Record<string, string | undefined> = { 'aws:sourcearn': req.sourceArn, 'aws:sourceaccount': req.sourceAccount };
  for (const [operator, entries] of Object.entries(conditions)) {
    for (const [key, expected] of Object.entries(entries)) {
      const actual = context[key.toLowerCase()];
      if (actual === undefined) return false;
      const candidates = Array.isArray(expected) ? (expected as string[]) : [expected];
      const ok = candidates.some((e) => {
        switch (operator) {
          case 'ArnLike': case 'StringLike': return globMatch(e, actual);
          case 'ArnEquals': case 'StringEquals': return e === actual;
          default: return false; // unknown operators never grant access
        }
      });
      if (!ok) return false;
    }
  }
  return true;
}

export function isAllowed(policy: PolicyRecord | undefined, req: PolicyRequest): boolean {
  if (!policy) return false;
  return policy.statements.some((s) => s.Effect === 'Allow' && principalMatches(s.Principal, req.principal) && actionMatches(s.Action, req.action) && conditionsHold(s.Condition, req));
}
