// Resource-based policies: AddPermission, GetPolicy, RemovePermission, per function or qualifier.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Operations } from '../aws/generated/lambda.js';
import { awsError } from '../core/errors.js';
import { newRevisionId } from '../core/ids.js';
import type { PolicyStatement } from '../store/lambda-store.js';
import type { LambdaDeps } from './deps.js';
import { functionNotFound, invalidParameter, revisionMismatch } from './errors.js';
import { arnOf, isVersionNumber, resolveRef, type FunctionRef } from './names.js';

type H = HandlerTable<Operations>;

/** A Principal parameter as the policy statement shows it (account IDs become their root ARN). */
export function principalOf(principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (/^arn:aws[a-zA-Z-]*:iam::\d{12}:/.test(principal)) return { AWS: principal };
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal) || /^[a-z0-9.-]+\.amazon\.com$/.test(principal)) return { Service: principal };
  throw invalidParameter('The provided principal was invalid. Please check the principal and try again.');
}

/** Checks the qualifier names something that exists; returns the policy key ('' = unqualified). */
async function policyQualifier(deps: LambdaDeps, ref: FunctionRef, adding: boolean): Promise<string> {
  const q = ref.qualifier;
  if (q === undefined) return '';
  if (q === '$LATEST') {
    if (adding) throw invalidParameter('We currently do not support adding policies for $LATEST.');
    return '';
  }
  if (isVersionNumber(q)) {
    if (!(await deps.store.getVersion(ref, q))) throw functionNotFound(arnOf(ref, q));
  } else if (!(await deps.store.getAlias(ref, q))) {
    if (!/^[a-zA-Z0-9-_]+$/.test(q)) throw functionNotFound(arnOf(ref, q));
    throw awsError('ResourceNotFoundException', `Cannot find alias arn: ${arnOf(ref, q)}`);
  }
  return q;
}

/** How often a policy changed by a concurrent request (on any node) is read again before giving up. */
const POLICY_ATTEMPTS = 20;

/**
 * Read, change and compare-and-swap write of one qualifier's policy. With the caller's RevisionId a
 * policy changed since is AWS's 412; without it, a concurrent change (another request, on this node
 * or another of a cluster) is read again and `change` reapplied, so both changes land and a
 * duplicate statement id is caught against the latest policy.
 */
async function changePolicy(
  deps: LambdaDeps,
  ref: FunctionRef,
  qualifier: string,
  callerRevisionId: string | undefined,
  change: (statements: PolicyStatement[]) => PolicyStatement[],
  options: { missing?: () => Error } = {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.store.getPolicy(ref, qualifier);
    if (!current && options.missing) throw options.missing();
    if (callerRevisionId !== undefined && callerRevisionId !== current?.revisionId) throw revisionMismatch('GetPolicy');
    const statements = change(current?.statements ?? []);
    const result = await deps.store.putPolicy(ref, qualifier, current?.revisionId ?? null, { statements, revisionId: newRevisionId() });
    deps.cache.invalidate(ref);
    if (result === 'ok') return;
    if (result === 'not-found') throw functionNotFound(arnOf(ref));
    if (callerRevisionId !== undefined || attempt >= POLICY_ATTEMPTS) throw revisionMismatch('GetPolicy');
  }
}

export function permissionHandlers(deps: LambdaDeps): H {
  const { store } = deps;
  return {
    async AddPermission(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      if (!(await store.getFunction(ref))) throw functionNotFound(arnOf(ref));
      const qualifier = await policyQualifier(deps, ref, true);
      const statement: PolicyStatement = {
        Sid: input.StatementId,
        Effect: 'Allow',
        Principal: principalOf(input.Principal),
        Action: input.Action,
        Resource: arnOf(ref, qualifier || undefined),
      };
      const condition: NonNullable<PolicyStatement['Condition']> = {};
      if (input.SourceAccount) condition.StringEquals = { 'AWS:SourceAccount': input.SourceAccount };
      if (input.SourceArn) condition.ArnLike = { 'AWS:SourceArn': input.SourceArn };
      if (input.PrincipalOrgID) condition.StringEquals = { ...condition.StringEquals, 'aws:PrincipalOrgID': input.PrincipalOrgID };
      if (input.EventSourceToken) condition.StringEquals = { ...condition.StringEquals, 'lambda:EventSourceToken': input.EventSourceToken };
      if (input.FunctionUrlAuthType) condition.StringEquals = { ...condition.StringEquals, 'lambda:FunctionUrlAuthType': input.FunctionUrlAuthType };
      // Grants the action only to calls through a function URL (AWS's newer URL permission model).
      if (input.InvokedViaFunctionUrl) condition.Bool = { 'lambda:InvokedViaFunctionUrl': 'true' };
      if (Object.keys(condition).length) statement.Condition = condition;
      await changePolicy(deps, ref, qualifier, input.RevisionId, (statements) => {
        if (statements.some((s) => s.Sid === input.StatementId)) {
          throw awsError('ResourceConflictException', `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
        }
        return [...statements, statement];
      });
      return { Statement: JSON.stringify(statement) };
    },

    async GetPolicy(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      const notFound = () => awsError('ResourceNotFoundException', 'The resource you requested does not exist.');
      if (!(await store.getFunction(ref))) throw notFound();
      let qualifier: string;
      try {
        qualifier = await policyQualifier(deps, ref, false);
      } catch {
        throw notFound();
      }
      const policy = await store.getPolicy(ref, qualifier);
      if (!policy) throw notFound();
      return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements }), RevisionId: policy.revisionId };
    },

    async RemovePermission(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      if (!(await store.getFunction(ref))) throw awsError('ResourceNotFoundException', `No policy found for: ${arnOf(ref, ref.qualifier)}`);
      const qualifier = await policyQualifier(deps, ref, false);
      await changePolicy(deps, ref, qualifier, input.RevisionId, (statements) => {
        const remaining = statements.filter((s) => s.Sid !== input.StatementId);
        if (remaining.length === statements.length) throw awsError('ResourceNotFoundException', `Statement ${input.StatementId} is not found in resource policy.`);
        return remaining;
      }, { missing: () => awsError('ResourceNotFoundException', 'No policy is associated with the given resource.') });
    },
  };
}
