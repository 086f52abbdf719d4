// HTTP APIs as `stagecraft deploy` brings them in line with the template: the API (its stack's of that name, api-ownership.ts;
// created when missing), one integration per function target, payload format and timeout, the
// routes the functions' HttpApi events ask for (others removed) with their authorizers, an
// auto-deploying stage with the template's variables, and the Lambda permissions API Gateway needs to call each function.
import {
  CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, DeleteAccessLogSettingsCommand, DeleteCorsConfigurationCommand, DeleteIntegrationCommand, DeleteRouteCommand,
  GetApisCommand, GetIntegrationsCommand, GetRoutesCommand, GetStageCommand, TagResourceCommand, UntagResourceCommand, UpdateApiCommand, UpdateRouteCommand, UpdateStageCommand,
  type Api, type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { missingApiTags, ownedApi, stackApiTags } from './api-ownership.js';
import { isNotFound } from './errors.js';
import { ensurePermission, statementId } from './permissions.js';
import type { Progress } from './progress.js';
import type { HttpApiSpec } from './http-api-spec.js';
import { executeApiSourceArn } from './urls.js';
import type { HttpApiAuthSpec, RouteAuthorization } from './http-api-auth-spec.js';
import { syncHttpAuthorizers } from './http-api-authorizers.js';
import { syncRouteSettings } from './http-api-route-settings.js';
import { IAM_AUTHORIZER } from './spec.js';
import { DEFINITION_TAG } from './definitions.js';

/** An HTTP API's ARN, as TagResource takes it. */
export const httpApiArn = (region: string, apiId: string) => `arn:aws:apigateway:${region}::/apis/${apiId}`;

export interface HttpApiContext {
  apigatewayv2: ApiGatewayV2Client;
  lambda: LambdaClient;
  progress: Progress;
  stackName: string;
  region: string;
  accountId: string;
  step<T>(subject: string, action: string, fn: () => Promise<T>): Promise<T>;
}

export interface HttpRoute {
  routeKey: string;
  functionName: string;
  qualifier?: string;
  /** The function (or alias) ARN the integration calls. */
  uri: string;
  payloadFormatVersion: '1.0' | '2.0';
  timeoutInMillis?: number;
  /** The authorizer (by name) the route runs, if any. */
  authorization?: RouteAuthorization;
}

export interface DeployedHttpApi {
  id: string;
  name: string;
}

/** Every API of the account and region (WebSocket APIs too: callers keep the kinds they want). */
export async function allApis(client: ApiGatewayV2Client): Promise<Api[]> {
  const out: Api[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(new GetApisCommand({ NextToken }));
    out.push(...(page.Items ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

/** The stack's HTTP API named as the template names it, if there is one (another stack's of the same name is not). */
export async function findHttpApi(ctx: HttpApiContext, spec: HttpApiSpec): Promise<Api | undefined> {
  const id = spec.logicalId;
  const named = (await ctx.step(id, 'listing HTTP APIs', () => allApis(ctx.apigatewayv2))).filter((a) => a.Name === spec.name && a.ProtocolType !== 'WEBSOCKET');
  const owned = ownedApi(named, (a) => a.Tags, ctx.stackName, id);
  if (owned.ambiguous) throw new Error(`${owned.ambiguous.length} HTTP APIs are named ${spec.name} (${owned.ambiguous.map((m) => m.ApiId).join(', ')}); delete the extra ones or give ${id} another Name`);
  const found = owned.found;
  const missing = found && missingApiTags(found.Tags, ctx.stackName, id);
  if (found && Object.keys(missing!).length) {
    await ctx.step(id, `tagging HTTP API ${spec.name}`, () => ctx.apigatewayv2.send(new TagResourceCommand({ ResourceArn: httpApiArn(ctx.region, found.ApiId!), Tags: missing })));
  }
  return found;
}

export async function ensureHttpApi(ctx: HttpApiContext, spec: HttpApiSpec): Promise<DeployedHttpApi> {
  const id = spec.logicalId;
  const client = ctx.apigatewayv2;
  const found = await findHttpApi(ctx, spec);
  if (!found) {
    const api = await ctx.step(id, `creating HTTP API ${spec.name}`, () => client.send(new CreateApiCommand({
      Name: spec.name, ProtocolType: 'HTTP', Description: spec.description, DisableExecuteApiEndpoint: spec.disableExecuteApiEndpoint, CorsConfiguration: spec.cors,
      Tags: { ...spec.tags, ...stackApiTags(ctx.stackName, id) },
    })));
    ctx.progress.report({ subject: id, kind: 'created', message: `HTTP API ${spec.name} (id ${api.ApiId})` });
    return { id: api.ApiId!, name: spec.name };
  }
  // Built from events now: a document imported before no longer describes the API.
  if (found.Tags?.[DEFINITION_TAG]) await ctx.step(id, `untagging HTTP API ${spec.name}`, () => client.send(new UntagResourceCommand({ ResourceArn: httpApiArn(ctx.region, found.ApiId!), TagKeys: [DEFINITION_TAG] })));
  const changes: string[] = [];
  if (spec.description !== undefined && (found.Description ?? '') !== spec.description) changes.push('description');
  if ((found.DisableExecuteApiEndpoint ?? false) !== spec.disableExecuteApiEndpoint) changes.push('disableExecuteApiEndpoint');
  const canonical = (c: object | undefined) => (c ? JSON.stringify(c, Object.keys(c).sort()) : 'none');
  const corsChanged = canonical(found.CorsConfiguration) !== canonical(spec.cors);
  if (corsChanged) changes.push('CORS');
  if (changes.length) {
    await ctx.step(id, `updating HTTP API ${spec.name}`, () => client.send(new UpdateApiCommand({
      ApiId: found.ApiId, Description: spec.description, DisableExecuteApiEndpoint: spec.disableExecuteApiEndpoint, CorsConfiguration: spec.cors,
    })));
    if (corsChanged && !spec.cors) await ctx.step(id, `removing the CORS configuration of ${spec.name}`, () => client.send(new DeleteCorsConfigurationCommand({ ApiId: found.ApiId })));
  }
  ctx.progress.report({ subject: id, kind: changes.length ? 'updated' : 'unchanged', message: `HTTP API ${spec.name} (id ${found.ApiId})${changes.length ? `: ${changes.join(', ')}` : ''}` });
  return { id: found.ApiId!, name: spec.name };
}

/** The authorization members of a route that runs `authorization` (authorizer ids by name). */
function routeAuthorization(authorization: RouteAuthorization | undefined, ids: ReadonlyMap<string, string>, type: string | undefined) {
  if (!authorization) return { AuthorizationType: 'NONE' as const };
  if (authorization.authorizer === IAM_AUTHORIZER) return { AuthorizationType: 'AWS_IAM' as const };
  return { AuthorizationType: type === 'JWT' ? 'JWT' as const : 'CUSTOM' as const, AuthorizerId: ids.get(authorization.authorizer)!, AuthorizationScopes: authorization.scopes ?? [] };
}

/** Routes, integrations, authorizers, the stage and the permissions of one HTTP API. */
export async function syncHttpApi(ctx: HttpApiContext, spec: HttpApiSpec, api: DeployedHttpApi, routes: HttpRoute[], auth?: HttpApiAuthSpec): Promise<void> {
  const id = spec.logicalId;
  const client = ctx.apigatewayv2;
  // The stage first: with autoDeploy on, every route change below is served at once.
  await syncStage(ctx, spec, api);
  const authorizers = await syncHttpAuthorizers(ctx, id, api, auth?.authorizers ?? []);
  const typeOf = (name: string) => auth?.authorizers.find((a) => a.name === name)?.type;
  const [haveRoutes, haveIntegrations] = await ctx.step(id, `reading the routes of ${api.name}`, () => Promise.all([
    client.send(new GetRoutesCommand({ ApiId: api.id })).then((r) => r.Items ?? []),
    client.send(new GetIntegrationsCommand({ ApiId: api.id })).then((r) => r.Items ?? []),
  ]));
  const integrationFor = new Map<string, string>();
  const keyOf = (uri: string | undefined, format: string | undefined, timeout: number | undefined) => `${uri} ${format} ${timeout ?? 30000}`;
  for (const i of haveIntegrations) if (i.IntegrationType === 'AWS_PROXY') integrationFor.set(keyOf(i.IntegrationUri, i.PayloadFormatVersion, i.TimeoutInMillis), i.IntegrationId!);
  const used = new Set<string>();
  for (const route of routes) {
    const key = keyOf(route.uri, route.payloadFormatVersion, route.timeoutInMillis);
    let integrationId = integrationFor.get(key);
    if (!integrationId) {
      const created = await ctx.step(id, `creating the integration of ${route.routeKey}`, () => client.send(new CreateIntegrationCommand({
        ApiId: api.id, IntegrationType: 'AWS_PROXY', IntegrationUri: route.uri, PayloadFormatVersion: route.payloadFormatVersion, TimeoutInMillis: route.timeoutInMillis,
      })));
      integrationId = created.IntegrationId!;
      integrationFor.set(key, integrationId);
    }
    used.add(integrationId);
    const target = `integrations/${integrationId}`;
    const existing = haveRoutes.find((r) => r.RouteKey === route.routeKey);
    const authorization = routeAuthorization(route.authorization, authorizers.ids, route.authorization && typeOf(route.authorization.authorizer));
    const label = `route ${route.routeKey} → ${route.functionName}${route.qualifier ? `:${route.qualifier}` : ''}${route.authorization ? ` (authorizer ${route.authorization.authorizer})` : ''}`;
    const sameAuthorization = existing && (existing.AuthorizationType ?? 'NONE') === authorization.AuthorizationType && existing.AuthorizerId === authorization.AuthorizerId
      && JSON.stringify(existing.AuthorizationScopes ?? []) === JSON.stringify(authorization.AuthorizationScopes ?? []);
    if (!existing) {
      await ctx.step(id, `creating ${label}`, () => client.send(new CreateRouteCommand({ ApiId: api.id, RouteKey: route.routeKey, Target: target, ...authorization })));
      ctx.progress.report({ subject: id, kind: 'created', message: label });
    } else if (existing.Target !== target || !sameAuthorization) {
      await ctx.step(id, `updating ${label}`, () => client.send(new UpdateRouteCommand({ ApiId: api.id, RouteId: existing.RouteId, Target: target, ...authorization })));
      ctx.progress.report({ subject: id, kind: 'updated', message: label });
    } else {
      ctx.progress.report({ subject: id, kind: 'unchanged', message: label });
    }
    const [method, path] = route.routeKey === '$default' ? ['ANY', '$default'] : (route.routeKey.split(' ') as [string, string]);
    const sourceArn = route.routeKey === '$default'
      ? `arn:aws:execute-api:${ctx.region}:${ctx.accountId}:${api.id}/*/$default`
      : executeApiSourceArn(ctx.region, ctx.accountId, api.id, method, path);
    await ctx.step(id, `letting API Gateway call ${route.functionName} for ${route.routeKey}`, () => ensurePermission(ctx.lambda, {
      functionName: route.functionName, qualifier: route.qualifier, sourceArn, statementId: statementId(api.id, method, path),
    }));
  }
  const wanted = new Set(routes.map((r) => r.routeKey));
  for (const r of haveRoutes.filter((x) => !wanted.has(x.RouteKey ?? ''))) {
    await ctx.step(id, `removing route ${r.RouteKey}`, () => client.send(new DeleteRouteCommand({ ApiId: api.id, RouteId: r.RouteId })));
    ctx.progress.report({ subject: id, kind: 'removed', message: `route ${r.RouteKey} (no HttpApi event asks for it)` });
  }
  for (const i of haveIntegrations.filter((x) => !used.has(x.IntegrationId!))) {
    await ctx.step(id, 'removing an unused integration', () => client.send(new DeleteIntegrationCommand({ ApiId: api.id, IntegrationId: i.IntegrationId })));
  }
  await authorizers.removeUnused();
  // Route settings last: the stage accepts settings only for routes the API has.
  await syncRouteSettings(ctx, spec, api);
}

export async function syncStage(ctx: HttpApiContext, spec: HttpApiSpec, api: DeployedHttpApi): Promise<void> {
  const client = ctx.apigatewayv2;
  const id = spec.logicalId;
  const stage = await ctx.step(id, `reading stage ${spec.stageName}`, () => client.send(new GetStageCommand({ ApiId: api.id, StageName: spec.stageName })).catch((e) => {
    if (isNotFound(e)) return undefined;
    throw e;
  }));
  if (!stage) {
    await ctx.step(id, `creating stage ${spec.stageName}`, () => client.send(new CreateStageCommand({
      ApiId: api.id, StageName: spec.stageName, AutoDeploy: true, StageVariables: spec.stageVariables, AccessLogSettings: accessLogSettings(spec),
    })));
    ctx.progress.report({ subject: id, kind: 'created', message: `stage ${spec.stageName} (deploys every change)` });
    return;
  }
  const have = stage.StageVariables ?? {};
  const variables: Record<string, string> = { ...spec.stageVariables };
  for (const k of Object.keys(have)) if (!(k in variables)) variables[k] = ''; // an empty value removes a variable
  const wantLog = accessLogSettings(spec);
  const haveLog = stage.AccessLogSettings;
  const sameLog = wantLog?.DestinationArn === haveLog?.DestinationArn && wantLog?.Format === haveLog?.Format;
  const same = stage.AutoDeploy === true && sameLog && Object.entries(variables).every(([k, v]) => (have[k] ?? '') === v);
  if (same) {
    ctx.progress.report({ subject: id, kind: 'unchanged', message: `stage ${spec.stageName}` });
    return;
  }
  if (haveLog && !wantLog) {
    await ctx.step(id, `removing the access log settings of stage ${spec.stageName}`, () => client.send(new DeleteAccessLogSettingsCommand({ ApiId: api.id, StageName: spec.stageName })));
  }
  await ctx.step(id, `updating stage ${spec.stageName}`, () => client.send(new UpdateStageCommand({
    ApiId: api.id, StageName: spec.stageName, AutoDeploy: true, StageVariables: variables, AccessLogSettings: wantLog,
  })));
  ctx.progress.report({ subject: id, kind: 'updated', message: `stage ${spec.stageName}` });
}

const accessLogSettings = (spec: HttpApiSpec) => spec.accessLog && { DestinationArn: spec.accessLog.destinationArn, Format: spec.accessLog.format };

/** `http://{apiId}.execute-api.localhost:{port}/{stage}{path}`; the $default stage has no prefix. */
export function httpApiUrl(endpoint: string, apiId: string, stage: string, routeKey: string): string {
  const url = new URL(endpoint);
  const local = ['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0'].includes(url.hostname);
  const base = `${url.protocol}//${apiId}.execute-api.${local ? 'localhost' : url.hostname}${url.port ? `:${url.port}` : ''}`;
  const path = routeKey === '$default' ? '/' : routeKey.split(' ')[1];
  return `${base}${stage === '$default' ? '' : `/${stage}`}${path}`;
}
