// Lambda resource-policy statements that let API Gateway call a function (or one of its aliases)
// for one route or one authorizer, as `aws lambda add-permission --principal apigateway.amazonaws.com` makes them.
import { createHash } from 'node:crypto';
import { AddPermissionCommand, GetPolicyCommand, RemovePermissionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { isNotFound } from './errors.js';
import { API_GATEWAY_PRINCIPAL, grantsToCopy, isApiGatewayStatement, sourceArnOf, type GrantToCopy, type PolicyStatement } from './api-gateway-grants.js';

export { API_GATEWAY_PRINCIPAL, grantsToCopy, isApiGatewayStatement, sourceArnOf, type GrantToCopy, type PolicyStatement };

export const STATEMENT_PREFIX = 'stagecraft-';

export interface WantedPermission {
  functionName: string;
  /** Alias (or version); undefined for the unqualified function. */
  qualifier?: string;
  sourceArn: string;
  /** statementId() for a route, authorizerStatementId() for an authorizer. */
  statementId: string;
}

/** A statement ID stable per API and route: `stagecraft-{apiId}-{METHOD}-{hash of path}`. */
export function statementId(apiId: string, method: string, resourcePath: string): string {
  const digest = createHash('sha256').update(resourcePath).digest('hex').slice(0, 10);
  return `${STATEMENT_PREFIX}${apiId}-${method === 'ANY' ? 'ANY' : method}-${digest}`.slice(0, 100);
}

/**
 * A statement ID stable per API and authorizer: `stagecraft-authorizer-{apiId}-{name}`. Its prefix
 * differs from the routes' so removeStaleGrants, which clears a route function's unused route
 * grants, never takes an authorizer's grant on a function that is both.
 */
export function authorizerStatementId(apiId: string, authorizerName: string): string {
  const name = /^[A-Za-z0-9_-]{1,60}$/.test(authorizerName) ? authorizerName : createHash('sha256').update(authorizerName).digest('hex').slice(0, 16);
  return `${STATEMENT_PREFIX}authorizer-${apiId}-${name}`;
}

export async function readStatements(lambda: LambdaClient, functionName: string, qualifier?: string): Promise<PolicyStatement[]> {
  try {
    const out = await lambda.send(new GetPolicyCommand({ FunctionName: functionName, Qualifier: qualifier }));
    const policy = JSON.parse(out.Policy ?? '{}') as { Statement?: PolicyStatement[] };
    return policy.Statement ?? [];
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
}

/** Adds the statement if missing, replaces it if it grants something else; true when it changed. */
export async function ensurePermission(lambda: LambdaClient, wanted: WantedPermission, statements?: PolicyStatement[]): Promise<boolean> {
  const sid = wanted.statementId;
  const current = statements ?? (await readStatements(lambda, wanted.functionName, wanted.qualifier));
  const existing = current.find((s) => s.Sid === sid);
  if (existing && isApiGatewayStatement(existing) && sourceArnOf(existing) === wanted.sourceArn) return false;
  if (existing) await lambda.send(new RemovePermissionCommand({ FunctionName: wanted.functionName, Qualifier: wanted.qualifier, StatementId: sid }));
  await lambda.send(new AddPermissionCommand({
    FunctionName: wanted.functionName, Qualifier: wanted.qualifier, StatementId: sid, Action: 'lambda:InvokeFunction',
    Principal: API_GATEWAY_PRINCIPAL, SourceArn: wanted.sourceArn,
  }));
  return true;
}

/** The grants copyApiGatewayGrants would add, read without changing anything. */
export async function pendingApiGatewayGrants(lambda: LambdaClient, functionName: string, from: string, to: string): Promise<GrantToCopy[]> {
  const source = await readStatements(lambda, functionName, from);
  if (!source.some(isApiGatewayStatement)) return [];
  return grantsToCopy(source, await readStatements(lambda, functionName, to));
}

/**
 * Gives alias `to` every API Gateway grant alias `from` has (same statement IDs), so promoting
 * a version to an alias a stage calls also makes the stage allowed to call it. Returns how many were added.
 */
export async function copyApiGatewayGrants(lambda: LambdaClient, functionName: string, from: string, to: string): Promise<number> {
  const grants = await pendingApiGatewayGrants(lambda, functionName, from, to);
  for (const g of grants) {
    await lambda.send(new AddPermissionCommand({
      FunctionName: functionName, Qualifier: to, StatementId: g.statementId, Action: g.action, Principal: API_GATEWAY_PRINCIPAL,
      SourceArn: g.sourceArn,
    }));
  }
  return grants.length;
}

/** Removes this API's grants (ours, by statement ID) that no current route needs; returns their IDs. */
export async function removeStaleGrants(lambda: LambdaClient, functionName: string, qualifier: string | undefined, apiId: string, keep: Set<string>): Promise<string[]> {
  const prefix = `${STATEMENT_PREFIX}${apiId}-`;
  const stale = (await readStatements(lambda, functionName, qualifier)).filter((s) => s.Sid.startsWith(prefix) && !keep.has(s.Sid));
  for (const s of stale) await lambda.send(new RemovePermissionCommand({ FunctionName: functionName, Qualifier: qualifier, StatementId: s.Sid }));
  return stale.map((s) => s.Sid);
}
