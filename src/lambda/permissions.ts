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

export function permissionHandlers(deps: LambdaDeps): H {
  const { store, cache } = deps;
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
      const current = await store.getPolicy(ref, qualifier);
      if (input.RevisionId !== undefined && input.RevisionId !== current?.revisionId) throw revisionMismatch('GetPolicy');
      if (current?.statements.some((s) => s.Sid === input.StatementId)) {
        throw awsError('ResourceConflictException', `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
      }
      const result = await store.putPolicy(ref, qualifier, current?.revisionId, { statements: [...(current?.statements ?? []), statement], revisionId: newRevisionId() });
      cache.invalidate(ref);
      if (result === 'revision-mismatch') throw revisionMismatch('GetPolicy');
      if (result === 'not-found') throw functionNotFound(arnOf(ref));
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
      const current = await store.getPolicy(ref, qualifier);
      if (!current) throw awsError('ResourceNotFoundException', 'No policy is associated with the given resource.');
      if (input.RevisionId !== undefined && input.RevisionId !== current.revisionId) throw revisionMismatch('GetPolicy');
      const remaining = current.statements.filter((s) => s.Sid !== input.StatementId);
      if (remaining.length === current.statements.length) throw awsError('ResourceNotFoundException', `Statement ${input.StatementId} is not found in resource policy.`);
      const result = await store.putPolicy(ref, qualifier, current.revisionId, { statements: remaining, revisionId: newRevisionId() });
      cache.invalidate(ref);
      if (result === 'revision-mismatch') throw revisionMismatch('GetPolicy');
    },
  };
}
