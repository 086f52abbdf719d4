// Granting a stack's AWS::Lambda::Permission resources (AddPermission, replacing a statement that
// grants something else), and withdrawing the ones the template no longer has.
import { AddPermissionCommand, RemovePermissionCommand, type FunctionUrlAuthType, type LambdaClient } from '@aws-sdk/client-lambda';
import { permissionStatementPrefix, type LambdaPermissionSpec } from './lambda-permission-spec.js';
import { readStatements, type PolicyStatement } from './permissions.js';

/** The Condition Lambda writes for these settings (as AddPermission does). */
export function expectedCondition(spec: LambdaPermissionSpec): Record<string, Record<string, string>> {
  const condition: Record<string, Record<string, string>> = {};
  const equals: Record<string, string> = {};
  if (spec.sourceAccount) equals['AWS:SourceAccount'] = spec.sourceAccount;
  if (spec.principalOrgId) equals['aws:PrincipalOrgID'] = spec.principalOrgId;
  if (spec.eventSourceToken) equals['lambda:EventSourceToken'] = spec.eventSourceToken;
  if (spec.functionUrlAuthType) equals['lambda:FunctionUrlAuthType'] = spec.functionUrlAuthType;
  if (Object.keys(equals).length) condition.StringEquals = equals;
  if (spec.sourceArn) condition.ArnLike = { 'AWS:SourceArn': spec.sourceArn };
  if (spec.invokedViaFunctionUrl) condition.Bool = { 'lambda:InvokedViaFunctionUrl': 'true' };
  return condition;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** Whether a statement already grants what the spec asks (Lambda may write the principal as `{Service: …}` or an account's root ARN). */
export function statementMatches(s: PolicyStatement, spec: LambdaPermissionSpec): boolean {
  if (s.Effect === 'Deny' || s.Action !== spec.action) return false;
  const principal = typeof s.Principal === 'string' ? s.Principal : JSON.stringify(s.Principal ?? '');
  if (!principal.includes(spec.principal)) return false;
  return canonical(s.Condition ?? {}) === canonical(expectedCondition(spec));
}

/** Adds the statement, or replaces ours when it grants something else. */
export async function grantLambdaPermission(lambda: LambdaClient, spec: LambdaPermissionSpec): Promise<'created' | 'updated' | 'unchanged'> {
  const target = { FunctionName: spec.functionName, Qualifier: spec.qualifier };
  const existing = (await readStatements(lambda, spec.functionName, spec.qualifier)).find((s) => s.Sid === spec.statementId);
  if (existing && statementMatches(existing, spec)) return 'unchanged';
  if (existing) await lambda.send(new RemovePermissionCommand({ ...target, StatementId: spec.statementId }));
  await lambda.send(new AddPermissionCommand({
    ...target,
    StatementId: spec.statementId,
    Action: spec.action,
    Principal: spec.principal,
    SourceArn: spec.sourceArn,
    SourceAccount: spec.sourceAccount,
    EventSourceToken: spec.eventSourceToken,
    FunctionUrlAuthType: spec.functionUrlAuthType as FunctionUrlAuthType | undefined,
    PrincipalOrgID: spec.principalOrgId,
    InvokedViaFunctionUrl: spec.invokedViaFunctionUrl,
  }));
  return existing ? 'updated' : 'created';
}

export interface PermissionTarget {
  functionName: string;
  qualifier?: string;
}

/** Removes the stack's permission statements that `keep` doesn't name from each target's policy; returns what went. */
export async function removeDroppedPermissions(lambda: LambdaClient, stackName: string, targets: PermissionTarget[], keep: Set<string>): Promise<{ target: string; statementId: string }[]> {
  const prefix = permissionStatementPrefix(stackName);
  const seen = new Set<string>();
  const removed: { target: string; statementId: string }[] = [];
  for (const t of targets) {
    const key = `${t.functionName}:${t.qualifier ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const s of await readStatements(lambda, t.functionName, t.qualifier)) {
      if (!s.Sid.startsWith(prefix) || keep.has(s.Sid)) continue;
      await lambda.send(new RemovePermissionCommand({ FunctionName: t.functionName, Qualifier: t.qualifier, StatementId: s.Sid }));
      removed.push({ target: t.qualifier ? `${t.functionName}:${t.qualifier}` : t.functionName, statementId: s.Sid });
    }
  }
  return removed;
}
