// Deploying an HTTP API's authorizers: each is created, or updated in place, by name to match the
// template; a Lambda authorizer with EnableFunctionDefaultPermissions lets API Gateway call its
// function (source ARN `…:{apiId}/authorizers/*`, as SAM's permission has it). Authorizers the
// template no longer has are removed once no route uses them (API Gateway refuses before).
import {
  CreateAuthorizerCommand, DeleteAuthorizerCommand, GetAuthorizersCommand, UpdateAuthorizerCommand, type ApiGatewayV2Client, type Authorizer,
} from '@aws-sdk/client-apigatewayv2';
import type { HttpApiContext, DeployedHttpApi } from './http-apis.js';
import type { HttpAuthorizerSpec } from './http-api-auth-spec.js';
import { isNotFound } from './errors.js';
import { authorizerStatementId, ensurePermission } from './permissions.js';
import { authorizersSourceArn, parseFunctionArn } from './urls.js';

async function listAuthorizers(client: ApiGatewayV2Client, apiId: string): Promise<Authorizer[]> {
  const out: Authorizer[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new GetAuthorizersCommand({ ApiId: apiId, NextToken }));
    out.push(...(page.Items ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/** The authorizer's members as CreateAuthorizer and UpdateAuthorizer take them. */
function membersOf(spec: HttpAuthorizerSpec) {
  if (spec.type === 'JWT') {
    return { AuthorizerType: 'JWT' as const, IdentitySource: spec.identitySource, JwtConfiguration: { Issuer: spec.jwt!.issuer, Audience: spec.jwt!.audience } };
  }
  return {
    AuthorizerType: 'REQUEST' as const, IdentitySource: spec.identitySource, AuthorizerUri: spec.authorizerUri, AuthorizerPayloadFormatVersion: spec.payloadFormatVersion,
    EnableSimpleResponses: spec.simpleResponses, AuthorizerResultTtlInSeconds: spec.ttl ?? 0, AuthorizerCredentialsArn: spec.credentials,
  };
}

/** The members that differ between what the API has and what the template wants. */
function changed(have: Authorizer, want: ReturnType<typeof membersOf>): string[] {
  const h: Record<string, unknown> = {
    AuthorizerType: have.AuthorizerType, IdentitySource: have.IdentitySource ?? [],
    JwtConfiguration: have.JwtConfiguration && { Issuer: have.JwtConfiguration.Issuer, Audience: have.JwtConfiguration.Audience ?? [] },
    AuthorizerUri: have.AuthorizerUri, AuthorizerPayloadFormatVersion: have.AuthorizerPayloadFormatVersion, EnableSimpleResponses: have.EnableSimpleResponses,
    AuthorizerResultTtlInSeconds: have.AuthorizerResultTtlInSeconds, AuthorizerCredentialsArn: have.AuthorizerCredentialsArn,
  };
  const w = want as Record<string, unknown>;
  return Object.keys(h).filter((k) => JSON.stringify(h[k] ?? null) !== JSON.stringify(w[k] ?? null));
}

/**
 * Makes the API's authorizers those of the template; returns each one's id by name, and the removal
 * of the ones no longer wanted, to run once the routes have stopped using them.
 */
export async function syncHttpAuthorizers(
  ctx: HttpApiContext, logicalId: string, api: DeployedHttpApi, wanted: readonly HttpAuthorizerSpec[],
): Promise<{ ids: Map<string, string>; removeUnused: () => Promise<void> }> {
  const client = ctx.apigatewayv2;
  const existing = await ctx.step(logicalId, `reading the authorizers of ${api.name}`, () => listAuthorizers(client, api.id));
  const ids = new Map<string, string>();
  for (const spec of wanted) {
    const what = `authorizer ${spec.name} (${spec.type === 'JWT' ? `JWT, ${spec.jwt!.issuer}` : `Lambda, ${spec.functionArn}`})`;
    const members = membersOf(spec);
    const have = existing.find((a) => a.Name === spec.name);
    if (!have) {
      const created = await ctx.step(logicalId, `creating authorizer ${spec.name}`, () => client.send(new CreateAuthorizerCommand({ ApiId: api.id, Name: spec.name, ...members })));
      ids.set(spec.name, created.AuthorizerId!);
      ctx.progress.report({ subject: logicalId, kind: 'created', message: `${what} (id ${created.AuthorizerId})` });
    } else {
      ids.set(spec.name, have.AuthorizerId!);
      const diff = changed(have, members);
      if (diff.length) {
        await ctx.step(logicalId, `updating authorizer ${spec.name}`, () => client.send(new UpdateAuthorizerCommand({ ApiId: api.id, AuthorizerId: have.AuthorizerId, Name: spec.name, ...members })));
      }
      ctx.progress.report({ subject: logicalId, kind: diff.length ? 'updated' : 'unchanged', message: `${what}${diff.length ? `: ${diff.join(', ')}` : ` (id ${have.AuthorizerId})`}` });
    }
    if (spec.grantPermission) {
      const fn = parseFunctionArn(spec.functionArn!)!;
      const granted = await ctx.step(logicalId, `letting API Gateway call ${fn.name} as authorizer ${spec.name}`, () => ensurePermission(ctx.lambda, {
        functionName: fn.name, qualifier: fn.qualifier, sourceArn: authorizersSourceArn(ctx.region, ctx.accountId, api.id), statementId: authorizerStatementId(api.id, spec.name),
      }));
      ctx.progress.report({ subject: logicalId, kind: granted ? 'created' : 'unchanged', message: `permission for API Gateway to call ${fn.name} as authorizer ${spec.name}` });
    }
  }
  const unused = existing.filter((a) => !wanted.some((w) => w.name === a.Name));
  const removeUnused = async () => {
    for (const a of unused) {
      await ctx.step(logicalId, `removing authorizer ${a.Name}`, () => client.send(new DeleteAuthorizerCommand({ ApiId: api.id, AuthorizerId: a.AuthorizerId })).catch((e) => {
        if (!isNotFound(e)) throw e;
      }));
      ctx.progress.report({ subject: logicalId, kind: 'removed', message: `authorizer ${a.Name} (no longer in the template)` });
    }
  };
  return { ids, removeUnused };
}
