// Deploying an API's authorizers: each is created, or updated in place, by name to match the
// template, and API Gateway may call a Lambda authorizer's function (one statement per authorizer,
// source ARN `…:{apiId}/authorizers/*`, as SAM's AWS::Lambda::Permission has it); a Cognito
// authorizer names its user pools. Authorizers the template
// no longer has are removed once no method names them (API Gateway refuses before), with their grants.
import {
  CreateAuthorizerCommand, DeleteAuthorizerCommand, GetAuthorizersCommand, UpdateAuthorizerCommand,
  type APIGatewayClient, type Authorizer, type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { RemovePermissionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ApiContext, DeployedApi } from './apis.js';
import type { AuthorizerSpec } from './auth-spec.js';
import { isNotFound } from './errors.js';
import { authorizerStatementId, ensurePermission } from './permissions.js';
import { authorizersSourceArn, parseFunctionArn } from './urls.js';

export interface AuthorizerContext extends ApiContext {
  lambda: LambdaClient;
  accountId: string;
}

/** The members deploy manages, in the order changes are reported. */
const MEMBERS = ['type', 'authorizerUri', 'authorizerCredentials', 'identitySource', 'identityValidationExpression', 'authorizerResultTtlInSeconds'] as const;

async function listAuthorizers(apigateway: APIGatewayClient, restApiId: string): Promise<Authorizer[]> {
  const out: Authorizer[] = [];
  let position: string | undefined;
  do {
    const page = await apigateway.send(new GetAuthorizersCommand({ restApiId, position, limit: 500 }));
    out.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  return out;
}

/** The function ARN an authorizer URI (`…/functions/{arn}/invocations`) calls; a function ARN stays as it is. */
function functionArnOf(arnOrUri: string | undefined): string {
  return /functions\/(.+)\/invocations$/.exec(arnOrUri ?? '')?.[1] ?? arnOrUri ?? '';
}

/** `fn` or `fn:alias` for messages, from an authorizer URI or function ARN. */
function functionLabel(arnOrUri: string | undefined): string {
  const arn = functionArnOf(arnOrUri);
  const fn = parseFunctionArn(arn);
  return fn ? `${fn.name}${fn.qualifier ? `:${fn.qualifier}` : ''}` : arn;
}

/** Takes back the grant an authorizer's (former) function had; it may be gone already. */
async function revokeGrant(ctx: AuthorizerContext, logicalId: string, api: DeployedApi, name: string, authorizerUri: string | undefined): Promise<void> {
  const fn = parseFunctionArn(functionArnOf(authorizerUri));
  if (!fn) return;
  const removed = await ctx.step(logicalId, `removing the permission of authorizer ${name}`, () => ctx.lambda.send(new RemovePermissionCommand({
    FunctionName: fn.name, Qualifier: fn.qualifier, StatementId: authorizerStatementId(api.id, name),
  })).then(() => true, (e) => {
    if (isNotFound(e)) return false;
    throw e;
  }));
  if (removed) ctx.progress.report({ subject: logicalId, kind: 'removed', message: `permission for API Gateway to call ${functionLabel(authorizerUri)} as authorizer ${name}` });
}

/** A JSON pointer segment: `/` and `~` escaped, as in `/providerARNs/arn:aws:…:userpool~1{id}`. */
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** What to send to make `have` into `want`: '' removes an optional member; user pools are added and removed one by one. */
function patchFor(have: Authorizer, want: AuthorizerSpec): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const pools = have.providerARNs ?? [];
  const wantedPools = want.providerARNs ?? [];
  for (const arn of wantedPools) if (!pools.includes(arn)) ops.push({ op: 'add', path: `/providerARNs/${pointer(arn)}` });
  for (const arn of pools) if (!wantedPools.includes(arn)) ops.push({ op: 'remove', path: `/providerARNs/${pointer(arn)}` });
  for (const member of MEMBERS) {
    const a = have[member];
    const b = want[member];
    if ((a ?? '') !== (b ?? '')) ops.push({ op: 'replace', path: `/${member}`, value: b === undefined ? '' : String(b) });
  }
  return ops;
}

/**
 * Makes the API's authorizers those of the template and grants API Gateway access to their
 * functions; returns each authorizer's id by name, and the removal of the ones no longer wanted,
 * to run once the routes have stopped naming them.
 */
export async function syncAuthorizers(
  ctx: AuthorizerContext, logicalId: string, api: DeployedApi, wanted: readonly AuthorizerSpec[],
): Promise<{ ids: Map<string, string>; removeUnused: () => Promise<void> }> {
  const { apigateway, progress } = ctx;
  const existing = await ctx.step(logicalId, `reading the authorizers of ${api.name}`, () => listAuthorizers(apigateway, api.id));
  const ids = new Map<string, string>();
  for (const spec of wanted) {
    const what = `authorizer ${spec.name} (${spec.type}, ${spec.providerARNs ? spec.providerARNs.map((a) => a.split('/').pop()).join(', ') : functionLabel(spec.functionArn)})`;
    const have = existing.find((a) => a.name === spec.name);
    if (!have) {
      const created = await ctx.step(logicalId, `creating authorizer ${spec.name}`, () => apigateway.send(new CreateAuthorizerCommand({
        restApiId: api.id, name: spec.name, type: spec.type, authorizerUri: spec.authorizerUri, authorizerCredentials: spec.authorizerCredentials, providerARNs: spec.providerARNs,
        identitySource: spec.identitySource, identityValidationExpression: spec.identityValidationExpression,
        authorizerResultTtlInSeconds: spec.authorizerResultTtlInSeconds,
      })));
      ids.set(spec.name, created.id!);
      progress.report({ subject: logicalId, kind: 'created', message: `${what} (id ${created.id})` });
    } else {
      ids.set(spec.name, have.id!);
      const ops = patchFor(have, spec);
      if (ops.length) {
        await ctx.step(logicalId, `updating authorizer ${spec.name}`, () => apigateway.send(new UpdateAuthorizerCommand({ restApiId: api.id, authorizerId: have.id, patchOperations: ops })));
        progress.report({ subject: logicalId, kind: 'updated', message: `${what}: ${[...new Set(ops.map((o) => o.path!.split('/')[1]))].join(', ')}` });
        if (have.authorizerUri !== spec.authorizerUri) await revokeGrant(ctx, logicalId, api, spec.name, have.authorizerUri);
      } else {
        progress.report({ subject: logicalId, kind: 'unchanged', message: `${what} (id ${have.id})` });
      }
    }
    if (spec.grantPermission && spec.functionArn) await grant(ctx, logicalId, api, spec, spec.functionArn);
  }
  const unused = existing.filter((a) => !wanted.some((w) => w.name === a.name));
  const removeUnused = async () => {
    for (const a of unused) {
      await ctx.step(logicalId, `removing authorizer ${a.name}`, () => apigateway.send(new DeleteAuthorizerCommand({ restApiId: api.id, authorizerId: a.id })).catch((e) => {
        if (!isNotFound(e)) throw e;
      }));
      progress.report({ subject: logicalId, kind: 'removed', message: `authorizer ${a.name} (no longer in the template)` });
      await revokeGrant(ctx, logicalId, api, a.name!, a.authorizerUri);
    }
  };
  return { ids, removeUnused };
}

async function grant(ctx: AuthorizerContext, logicalId: string, api: DeployedApi, spec: AuthorizerSpec, functionArn: string): Promise<void> {
  const fn = parseFunctionArn(functionArn)!;
  const target = functionLabel(functionArn);
  const changed = await ctx.step(logicalId, `letting API Gateway call ${target} as authorizer ${spec.name}`, () => ensurePermission(ctx.lambda, {
    functionName: fn.name, qualifier: fn.qualifier, sourceArn: authorizersSourceArn(ctx.region, ctx.accountId, api.id), statementId: authorizerStatementId(api.id, spec.name),
  }));
  ctx.progress.report({ subject: logicalId, kind: changed ? 'created' : 'unchanged', message: `permission for API Gateway to call ${target} as authorizer ${spec.name}` });
}
