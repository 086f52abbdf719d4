// Resource policies of SQS queues and SNS topics, decided for the service principals that send to
// them (sns, s3, events, cloudwatch .amazonaws.com): an explicit Deny wins, else an Allow statement
// must match the principal, the action, the resource and every condition (core/iam-condition.ts).
// Lambda's own policies (lambda/policy.ts) are stored parsed; these are the JSON text the
// attribute holds, parsed here.
import { conditionsHold, globMatch, type ConditionBlock } from './iam-condition.js';

export interface ServiceRequest {
  /** The calling service principal, e.g. `sns.amazonaws.com`. */
  principal: string;
  /** The action asked for, e.g. `sqs:SendMessage`; matched case-insensitively, with wildcards. */
  action: string;
  /** The queue's or topic's ARN. */
  resource: string;
  /** aws:SourceArn: the topic, bucket, rule or alarm sending. */
  sourceArn?: string;
  /** aws:SourceAccount: the sending resource's account. */
  sourceAccount?: string;
  /** aws:SourceOwner (legacy key SNS keeps): set only by services that send it (CloudWatch alarms). */
  sourceOwner?: string;
}

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');

/** IAM: `"*"` and `{"AWS": "*"}` are everyone, services included; `{"Service": …}` names services. */
function principalMatches(p: unknown, principal: string): boolean {
  if (p === '*') return true;
  if (!p || typeof p !== 'object') return false;
  const byKind = p as Record<string, unknown>;
  return strings(byKind.AWS).includes('*') || strings(byKind.Service).some((s) => s === '*' || s.toLowerCase() === principal.toLowerCase());
}

const anyMatches = (patterns: string[], value: string, caseless: boolean) =>
  patterns.some((p) => (caseless ? globMatch(p.toLowerCase(), value.toLowerCase()) : globMatch(p, value)));

function statementMatches(s: Statement, req: ServiceRequest): boolean {
  const principal = s.Principal !== undefined ? principalMatches(s.Principal, req.principal) : s.NotPrincipal !== undefined && !principalMatches(s.NotPrincipal, req.principal);
  if (!principal) return false;
  const action = s.Action !== undefined ? anyMatches(strings(s.Action), req.action, true) : s.NotAction !== undefined && !anyMatches(strings(s.NotAction), req.action, true);
  if (!action) return false;
  // A queue's or topic's policy may leave Resource out: it is then the resource itself.
  const resource = s.Resource !== undefined ? anyMatches(strings(s.Resource), req.resource, false)
    : s.NotResource !== undefined ? !anyMatches(strings(s.NotResource), req.resource, false) : true;
  if (!resource) return false;
  const context: Record<string, string | undefined> = {
    'aws:sourcearn': req.sourceArn, 'aws:sourceaccount': req.sourceAccount, 'aws:sourceowner': req.sourceOwner,
  };
  return conditionsHold(s.Condition as ConditionBlock | undefined, (key) => context[key]);
}

/** Whether the policy document (JSON text) lets the service do the action; unparsable or absent: no. */
export function servicePolicyAllows(policy: string | undefined, req: ServiceRequest): boolean {
  if (!policy) return false;
  let statements: Statement[];
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    statements = list(doc.Statement).filter((s): s is Statement => !!s && typeof s === 'object');
  } catch {
    return false;
  }
  const matching = statements.filter((s) => statementMatches(s, req));
  return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny');
}

/** What a resource's owner service answers a service asking to send to it. */
export type ServiceAccess = 'allowed' | 'missing' | 'refused';

/** A delivery the destination's resource policy refused (or whose destination does not exist). */
export class DeliveryRefused extends Error {
  constructor(readonly access: Exclude<ServiceAccess, 'allowed'>, readonly destinationArn: string, principal: string) {
    super(access === 'missing' ? `${destinationArn} does not exist` : `the resource policy of ${destinationArn} does not allow ${principal}`);
  }
}
