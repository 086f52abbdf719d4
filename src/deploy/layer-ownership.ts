// Which layer versions a stack published. Lambda tags no layer versions, so each version a deploy
// publishes (or finds current) carries a statement in its policy, Sid `stagecraft-stack-{stack}`,
// letting the deploying account call GetLayerVersion — which that account may do anyway, so the
// mark changes nobody's access. `stagecraft delete` finds a stack's layer versions by it, and
// anyone can see it with `aws lambda get-layer-version-policy`.
import { createHash } from 'node:crypto';
import { AddLayerVersionPermissionCommand, GetLayerVersionPolicyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { isNotFound } from './errors.js';

const MARK_PREFIX = 'stagecraft-stack-';

/** The statement ID marking a layer version as the stack's (Sids are at most 100 of [A-Za-z0-9-_]). */
export function layerMarkStatementId(stackName: string): string {
  const name = /^[A-Za-z0-9_-]{1,80}$/.test(stackName) ? stackName : createHash('sha256').update(stackName).digest('hex').slice(0, 32);
  return `${MARK_PREFIX}${name}`;
}

/** The statement IDs of a layer version's policy ([] when it has none, or the version is gone). */
export async function layerVersionStatementIds(lambda: LambdaClient, layerName: string, version: number): Promise<string[]> {
  try {
    const out = await lambda.send(new GetLayerVersionPolicyCommand({ LayerName: layerName, VersionNumber: version }));
    const policy = JSON.parse(out.Policy ?? '{}') as { Statement?: { Sid?: string }[] };
    return (policy.Statement ?? []).flatMap((s) => (s.Sid ? [s.Sid] : []));
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}

/** Whether a statement ID is some stack's mark (this module's prefix). */
export function isLayerMark(statementId: string): boolean {
  return statementId.startsWith(MARK_PREFIX);
}

/** Marks a layer version as the stack's unless it already is; says whether it added the mark. */
export async function markLayerVersion(lambda: LambdaClient, layerName: string, version: number, stackName: string, accountId: string): Promise<boolean> {
  const sid = layerMarkStatementId(stackName);
  if ((await layerVersionStatementIds(lambda, layerName, version)).includes(sid)) return false;
  await lambda.send(new AddLayerVersionPermissionCommand({
    LayerName: layerName, VersionNumber: version, StatementId: sid, Action: 'lambda:GetLayerVersion', Principal: accountId,
  }));
  return true;
}
