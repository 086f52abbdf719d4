// Deploying one AWS::Serverless::Api: the REST API (its stack's of that name: api-ownership.ts), its resources, methods (with
// their authorizer, request model, parameters and validator) and Lambda proxy integrations as the function events describe them, and the stages. A deployment is
// created only when the routes differ from what the stages serve: its description carries a
// fingerprint of the routes, so a second deploy with nothing changed creates nothing.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateStageCommand, DeleteMethodCommand, DeleteResourceCommand,
  GetDeploymentCommand, GetMethodCommand, GetResourcesCommand, GetRestApisCommand, GetStagesCommand, PutIntegrationCommand,
  PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
  TagResourceCommand, UntagResourceCommand, UpdateMethodCommand, UpdateRestApiCommand, UpdateStageCommand,
  type APIGatewayClient, type CanarySettings, type Method, type PatchOperation, type Resource, type RestApi, type Stage,
} from '@aws-sdk/client-api-gateway';
import { isNotFound } from './errors.js';
import type { ApiSpec, StageSpec } from './api-spec.js';
import { METHOD_SETTING_FIELDS, type CanarySpec } from './stage-settings-spec.js';
import type { AuthorizerSpec } from './auth-spec.js';
import { PREFLIGHT_REQUEST_TEMPLATES, PREFLIGHT_RESPONSE_TEMPLATES, type MethodAuthorizer, type PreflightRoute } from './cors.js';
import type { Progress } from './progress.js';
import { missingApiTags, ownedApi, stackApiTags } from './api-ownership.js';

export interface ApiContext {
  apigateway: APIGatewayClient;
  progress: Progress;
  stackName: string;
  region: string;
  step<T>(subject: string, action: string, fn: () => Promise<T>): Promise<T>;
}

export interface RouteTarget {
  method: string;
  resourcePath: string;
  /** Integration URI (arn:aws:apigateway:…:lambda:path/…/invocations). */
  uri: string;
  timeoutInMillis?: number;
  /** What the route calls, for messages: `hello-lambda:${stageVariables.env}`. */
  label: string;
  /** The authorizer the method runs (CUSTOM or COGNITO_USER_POOLS, with its scopes); none means authorization NONE. */
  authorizer?: MethodAuthorizer;
  /** The method needs an API key (x-api-key). */
  apiKeyRequired?: boolean;
  /** RequestModel: content type → model name. */
  requestModels?: Record<string, string>;
  /** RequestParameters: `method.request.…` → required. */
  requestParameters?: Record<string, boolean>;
  /** The RequestParameters SAM marks `Caching`: the integration's cacheKeyParameters. */
  cacheKeyParameters?: string[];
  /** The request validator the method names (SAM's name and its id). */
  requestValidator?: { name: string; id: string };
}

const mapText = (m: Record<string, unknown> | undefined) => Object.entries(m ?? {}).map(([k, v]) => `${k}=${String(v)}`).sort().join(',');
const sameMap = (a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined) => mapText(a) === mapText(b);
const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The patch operations that make a method map (requestModels, requestParameters) `want`. */
function mapPatch(member: string, have: Record<string, unknown> | undefined, want: Record<string, unknown> | undefined): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const k of Object.keys(have ?? {})) if (!want || !(k in want)) ops.push({ op: 'remove', path: `/${member}/${pointer(k)}` });
  for (const [k, v] of Object.entries(want ?? {})) if (!have || have[k] !== v) ops.push({ op: 'add', path: `/${member}/${pointer(k)}`, value: String(v) });
  return ops;
}

export interface DeployedApi {
  id: string;
  name: string;
  rootResourceId: string;
  /** The API's resource policy as API Gateway returned it (api-policy.ts makes it the template's). */
  policy?: string;
}

const DEPLOYMENT_MARK = 'stagecraft routes ';

export async function findRestApis(apigateway: APIGatewayClient): Promise<RestApi[]> {
  const out: RestApi[] = [];
  let position: string | undefined;
  do {
    const page = await apigateway.send(new GetRestApisCommand({ position, limit: 500 }));
    out.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  return out;
}

export async function ensureRestApi(ctx: ApiContext, spec: ApiSpec): Promise<DeployedApi> {
  const { apigateway, progress } = ctx;
  const id = spec.logicalId;
  const all = await ctx.step(id, 'listing REST APIs', () => findRestApis(apigateway));
  const owned = ownedApi(all.filter((a) => a.name === spec.name), (a) => a.tags, ctx.stackName, id);
  if (owned.ambiguous) {
    throw new Error(`${owned.ambiguous.length} REST APIs are named ${spec.name} (${owned.ambiguous.map((m) => m.id).join(', ')}); delete the extra ones or give ${id} another Name`);
  }
  let api = owned.found;
  if (!api) {
    api = await ctx.step(id, `creating REST API ${spec.name}`, () => apigateway.send(new CreateRestApiCommand({
      name: spec.name, description: spec.description, binaryMediaTypes: spec.binaryMediaTypes, tags: stackApiTags(ctx.stackName, id),
      disableExecuteApiEndpoint: spec.disableExecuteApiEndpoint, apiKeySource: spec.apiKeySource,
      minimumCompressionSize: spec.definition === undefined ? spec.minimumCompressionSize : undefined,
    })));
    progress.report({ subject: id, kind: 'created', message: `REST API ${spec.name} (id ${api.id})` });
  } else {
    const missing = missingApiTags(api.tags, ctx.stackName, id);
    if (Object.keys(missing).length) {
      const arn = `arn:aws:apigateway:${ctx.region}::/restapis/${api.id}`;
      await ctx.step(id, `tagging REST API ${spec.name}`, () => apigateway.send(new TagResourceCommand({ resourceArn: arn, tags: missing })));
    }
    if (owned.adopted) {
      progress.note(`REST API ${spec.name} (id ${api.id}) was made outside this stack; stack ${ctx.stackName} manages it from now on (its routes become the template's)`);
    }
    const ops: PatchOperation[] = [];
    if (spec.description !== undefined && (api.description ?? '') !== spec.description) ops.push({ op: 'replace', path: '/description', value: spec.description });
    const have = api.binaryMediaTypes ?? [];
    const want = spec.binaryMediaTypes ?? have;
    for (const t of want) if (!have.includes(t)) ops.push({ op: 'add', path: `/binaryMediaTypes/${t.replace(/~/g, '~0').replace(/\//g, '~1')}` });
    for (const t of have) if (!want.includes(t)) ops.push({ op: 'remove', path: `/binaryMediaTypes/${t.replace(/~/g, '~0').replace(/\//g, '~1')}` });
    // Left out of the template: API Gateway's defaults (the execute-api endpoint on, keys from the header).
    const disable = spec.disableExecuteApiEndpoint ?? false;
    if ((api.disableExecuteApiEndpoint ?? false) !== disable) ops.push({ op: 'replace', path: '/disableExecuteApiEndpoint', value: String(disable) });
    const keySource = spec.apiKeySource ?? 'HEADER';
    if ((api.apiKeySource ?? 'HEADER') !== keySource) ops.push({ op: 'replace', path: '/apiKeySource', value: keySource });
    // An OpenAPI document carries its own (api-spec.ts merges the template's into it); '' turns compression off.
    if (spec.definition === undefined && api.minimumCompressionSize !== spec.minimumCompressionSize) {
      ops.push({ op: 'replace', path: '/minimumCompressionSize', value: spec.minimumCompressionSize === undefined ? '' : String(spec.minimumCompressionSize) });
    }
    if (ops.length) {
      await ctx.step(id, `updating REST API ${spec.name}`, () => apigateway.send(new UpdateRestApiCommand({ restApiId: api!.id, patchOperations: ops })));
      progress.report({ subject: id, kind: 'updated', message: `REST API ${spec.name} (id ${api.id}): ${ops.map((o) => o.path!.split('/')[1]).filter((v, i, a) => a.indexOf(v) === i).join(', ')}` });
    } else {
      progress.report({ subject: id, kind: 'unchanged', message: `REST API ${spec.name} (id ${api.id})` });
    }
  }
  const resources = await ctx.step(id, `reading the resources of ${spec.name}`, () => listResources(apigateway, api!.id!));
  const root = resources.find((r) => r.path === '/');
  if (!root?.id) throw new Error(`REST API ${api.id} has no root resource`);
  return { id: api.id!, name: spec.name, rootResourceId: root.id, policy: api.policy };
}

export async function listResources(apigateway: APIGatewayClient, restApiId: string): Promise<Resource[]> {
  const out: Resource[] = [];
  let position: string | undefined;
  do {
    const page = await apigateway.send(new GetResourcesCommand({ restApiId, position, limit: 500, embed: ['methods'] }));
    out.push(...(page.items ?? []));
    position = page.position;
  } while (position);
  return out;
}

/**
 * A short digest of the routes and authorizers: stored in deployment descriptions to know what a
 * stage serves. Routes without an authorizer and APIs without authorizers digest as they did
 * before authorizers existed, so stages deployed then aren't deployed again for nothing.
 */
export function routesFingerprint(routes: RouteTarget[], authorizers: readonly AuthorizerSpec[] = [], preflights: readonly PreflightRoute[] = [],
  models: readonly { name: string; schema: string }[] = []): string {
  const extras = (r: RouteTarget | PreflightRoute) => [
    ...(r.authorizer ? [`authorizer=${r.authorizer.name}`] : []), ...(r.authorizer?.scopes ? [`scopes=${[...r.authorizer.scopes].sort().join(',')}`] : []),
    ...(r.apiKeyRequired ? ['apikey'] : []),
    ...('requestModels' in r && r.requestModels ? [`models=${mapText(r.requestModels)}`] : []),
    ...('requestParameters' in r && r.requestParameters ? [`parameters=${mapText(r.requestParameters)}`] : []),
    ...('requestValidator' in r && r.requestValidator ? [`validator=${r.requestValidator.name}`] : []),
  ];
  const lines = routes.map((r) => [r.method, r.resourcePath, r.uri, r.timeoutInMillis ?? 29000, ...extras(r)].join(' '));
  for (const m of models) lines.push(['model', m.name, createHash('sha256').update(m.schema).digest('hex')].join(' '));
  for (const p of preflights) {
    const headers = Object.entries(p.responseParameters).map(([k, v]) => `${k}=${v}`).sort();
    lines.push(['OPTIONS', p.resourcePath, 'cors', ...headers, ...extras(p)].join(' '));
  }
  for (const a of authorizers) {
    lines.push(['authorizer', a.name, a.type, a.authorizerUri ?? '', a.authorizerCredentials ?? '', a.identitySource ?? '', a.identityValidationExpression ?? '', a.authorizerResultTtlInSeconds ?? '',
      ...(a.providerARNs ? [[...a.providerARNs].sort().join(',')] : [])].join(' '));
  }
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 16);
}

/**
 * The API's own settings that a deployment freezes (binary media types, the execute-api endpoint,
 * the API key source, gateway responses, compression, the resource policy), so that changing them deploys the stages again, as AWS needs; '' when all
 * are API Gateway's defaults, so stages deployed before these were managed aren't deployed again.
 */
export function apiSettingsMark(spec: Pick<ApiSpec, 'binaryMediaTypes' | 'disableExecuteApiEndpoint' | 'apiKeySource' | 'gatewayResponses' | 'minimumCompressionSize' | 'policy'>): string {
  const parts = [
    ...(spec.minimumCompressionSize !== undefined ? [`compression=${spec.minimumCompressionSize}`] : []),
    ...(spec.policy ? [`policy=${JSON.stringify(spec.policy)}`] : []),
    ...(spec.binaryMediaTypes?.length ? [`binary=${[...spec.binaryMediaTypes].sort().join(',')}`] : []),
    ...(spec.gatewayResponses?.length ? [`responses=${JSON.stringify([...spec.gatewayResponses].sort((a, b) => a.type.localeCompare(b.type)))}`] : []),
    ...(spec.disableExecuteApiEndpoint ? ['execute-api=off'] : []),
    ...(spec.apiKeySource === 'AUTHORIZER' ? ['keys=authorizer'] : []),
  ];
  return parts.length ? `-${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 8)}` : '';
}

/** A short digest of an API's OpenAPI document (DefinitionBody): what its stages serve, as routesFingerprint is for routes. */
export function definitionDigest(definition: string): string {
  return createHash('sha256').update(definition).digest('hex').slice(0, 16);
}

/** Makes the API's methods exactly `routes` and `preflights`: creates what's missing, fixes what differs, removes the rest. */
export async function syncRoutes(ctx: ApiContext, logicalId: string, api: DeployedApi, routes: RouteTarget[], preflights: readonly PreflightRoute[] = []): Promise<void> {
  const { apigateway, progress } = ctx;
  const resources = await ctx.step(logicalId, `reading the resources of ${api.name}`, () => listResources(apigateway, api.id));
  const byPath = new Map(resources.map((r) => [r.path!, r]));
  const wantedPaths = new Set<string>(['/']);
  for (const r of routes) {
    const parts = r.resourcePath.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) wantedPaths.add('/' + parts.slice(0, i).join('/'));
  }

  for (const route of routes) {
    const label = `${route.method} ${route.resourcePath} → ${route.label}${route.authorizer ? ` (authorizer ${route.authorizer.name})` : ''}${route.apiKeyRequired ? ' (API key required)' : ''}`
      + `${route.requestValidator ? ` (validator ${route.requestValidator.name})` : ''}`;
    const resource = await ensureResource(ctx, logicalId, api, byPath, route.resourcePath);
    let method: Method | undefined = resource.resourceMethods?.[route.method];
    if (method && !method.httpMethod) {
      method = await ctx.step(logicalId, `reading ${route.method} ${route.resourcePath}`, () => apigateway.send(new GetMethodCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: route.method })));
    }
    const integrationOk = (m: Method | undefined) => {
      const i = m?.methodIntegration;
      return i?.type === 'AWS_PROXY' && i.httpMethod === 'POST' && i.uri === route.uri && (i.timeoutInMillis ?? 29000) === (route.timeoutInMillis ?? 29000)
        && [...(i.cacheKeyParameters ?? [])].sort().join(' ') === [...(route.cacheKeyParameters ?? [])].sort().join(' ');
    };
    const authorizationType = route.authorizer?.type ?? 'NONE';
    const apiKeyRequired = route.apiKeyRequired ?? false;
    const authorizationOk = (m: Method) => sameAuthorization(m, route.authorizer) && (m.apiKeyRequired ?? false) === apiKeyRequired;
    const requestOk = (m: Method) => m.requestValidatorId === route.requestValidator?.id && sameMap(m.requestModels, route.requestModels)
      && sameMap(m.requestParameters, route.requestParameters);
    let changed = !method;
    if (!method) {
      await ctx.step(logicalId, `creating method ${route.method} ${route.resourcePath}`, () => apigateway.send(new PutMethodCommand({
        restApiId: api.id, resourceId: resource.id, httpMethod: route.method, authorizationType, authorizerId: route.authorizer?.id, authorizationScopes: route.authorizer?.scopes, apiKeyRequired,
        requestModels: route.requestModels, requestParameters: route.requestParameters, requestValidatorId: route.requestValidator?.id,
      })));
    } else if (!authorizationOk(method) || !requestOk(method)) {
      // NONE clears the authorizer id by itself; CUSTOM needs the id in the same update.
      const patchOperations: PatchOperation[] = [{ op: 'replace', path: '/authorizationType', value: authorizationType }, { op: 'replace', path: '/apiKeyRequired', value: String(apiKeyRequired) }];
      if (route.authorizer) patchOperations.push({ op: 'replace', path: '/authorizerId', value: route.authorizer.id });
      patchOperations.push(...scopesPatch(method.authorizationScopes, route.authorizer?.scopes));
      patchOperations.push({ op: 'replace', path: '/requestValidatorId', value: route.requestValidator?.id ?? '' });
      patchOperations.push(...mapPatch('requestModels', method.requestModels, route.requestModels), ...mapPatch('requestParameters', method.requestParameters, route.requestParameters));
      await ctx.step(logicalId, `updating method ${route.method} ${route.resourcePath}`, () => apigateway.send(new UpdateMethodCommand({
        restApiId: api.id, resourceId: resource.id, httpMethod: route.method, patchOperations,
      })));
      changed = true;
    }
    if (!integrationOk(method)) {
      await ctx.step(logicalId, `integrating ${route.method} ${route.resourcePath} with ${route.label}`, () => apigateway.send(new PutIntegrationCommand({
        restApiId: api.id, resourceId: resource.id, httpMethod: route.method, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: route.uri,
        timeoutInMillis: route.timeoutInMillis, cacheKeyParameters: route.cacheKeyParameters,
      })));
      changed = true;
    }
    progress.report({ subject: logicalId, kind: !changed ? 'unchanged' : method ? 'updated' : 'created', message: `route ${label}` });
  }

  for (const preflight of preflights) await syncPreflight(ctx, logicalId, api, await ensureResource(ctx, logicalId, api, byPath, preflight.resourcePath), preflight);

  // Remove what the template no longer has: methods on kept resources, then whole subtrees.
  const wantedMethods = new Set([...routes.map((r) => `${r.method} ${r.resourcePath}`), ...preflights.map((p) => `OPTIONS ${p.resourcePath}`)]);
  for (const resource of resources) {
    if (!wantedPaths.has(resource.path!)) continue;
    for (const m of Object.keys(resource.resourceMethods ?? {})) {
      if (wantedMethods.has(`${m} ${resource.path}`)) continue;
      await ctx.step(logicalId, `removing method ${m} ${resource.path}`, () => apigateway.send(new DeleteMethodCommand({ restApiId: api.id, resourceId: resource.id, httpMethod: m })));
      progress.report({ subject: logicalId, kind: 'removed', message: `route ${m} ${resource.path} (no longer in the template)` });
    }
  }
  for (const resource of resources) {
    const parent = parentPath(resource.path!);
    if (wantedPaths.has(resource.path!) || !wantedPaths.has(parent)) continue;
    await ctx.step(logicalId, `removing resource ${resource.path}`, () => apigateway.send(new DeleteResourceCommand({ restApiId: api.id, resourceId: resource.id })).catch((e) => {
      if (!isNotFound(e)) throw e;
    }));
    progress.report({ subject: logicalId, kind: 'removed', message: `resource ${resource.path} and everything under it (no longer in the template)` });
  }
}

/** Whether a method runs `authorizer` (type, id and scopes), or none when it is undefined. */
function sameAuthorization(m: Method, authorizer: MethodAuthorizer | undefined): boolean {
  const scopes = (list: string[] | undefined) => [...(list ?? [])].sort().join(' ');
  return m.authorizationType === (authorizer?.type ?? 'NONE') && m.authorizerId === authorizer?.id && scopes(m.authorizationScopes) === scopes(authorizer?.scopes);
}

/** The UpdateMethod operations that make a method's scopes `want` (each scope is added or removed by itself). */
function scopesPatch(have: string[] | undefined, want: string[] | undefined): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const scope of have ?? []) if (!want?.includes(scope)) ops.push({ op: 'remove', path: '/authorizationScopes', value: scope });
  for (const scope of want ?? []) if (!have?.includes(scope)) ops.push({ op: 'add', path: '/authorizationScopes', value: scope });
  return ops;
}

/** Whether an OPTIONS method is the preflight `p` describes (authorization, MOCK integration, its 200 answer). */
function isPreflight(m: Method, p: PreflightRoute): boolean {
  const integration = m.methodIntegration;
  const answer = integration?.integrationResponses?.['200'];
  const declared = Object.keys(m.methodResponses?.['200']?.responseParameters ?? {}).sort();
  return sameAuthorization(m, p.authorizer) && (m.apiKeyRequired ?? false) === (p.apiKeyRequired ?? false)
    && integration?.type === 'MOCK' && isDeepStrictEqual(integration.requestTemplates, PREFLIGHT_REQUEST_TEMPLATES)
    && answer !== undefined && !answer.selectionPattern && isDeepStrictEqual(answer.responseParameters ?? {}, p.responseParameters)
    && isDeepStrictEqual(answer.responseTemplates ?? {}, PREFLIGHT_RESPONSE_TEMPLATES)
    && isDeepStrictEqual(declared, Object.keys(p.responseParameters).sort());
}

/** Makes a path's OPTIONS method the CORS preflight `p`: replaced whole when anything differs. */
async function syncPreflight(ctx: ApiContext, logicalId: string, api: DeployedApi, resource: Resource, p: PreflightRoute): Promise<void> {
  const { apigateway, progress } = ctx;
  const at = { restApiId: api.id, resourceId: resource.id, httpMethod: 'OPTIONS' };
  let method: Method | undefined = resource.resourceMethods?.OPTIONS;
  if (method && !method.httpMethod) method = await ctx.step(logicalId, `reading OPTIONS ${p.resourcePath}`, () => apigateway.send(new GetMethodCommand(at)));
  const label = `CORS preflight OPTIONS ${p.resourcePath}${p.authorizer ? ` (authorizer ${p.authorizer.name})` : ''}${p.apiKeyRequired ? ' (API key required)' : ''}`;
  if (method && isPreflight(method, p)) {
    progress.report({ subject: logicalId, kind: 'unchanged', message: label });
    return;
  }
  if (method) await ctx.step(logicalId, `replacing OPTIONS ${p.resourcePath}`, () => apigateway.send(new DeleteMethodCommand(at)));
  await ctx.step(logicalId, `creating ${label}`, async () => {
    await apigateway.send(new PutMethodCommand({
      ...at, authorizationType: p.authorizer?.type ?? 'NONE', authorizerId: p.authorizer?.id, authorizationScopes: p.authorizer?.scopes, apiKeyRequired: p.apiKeyRequired ?? false,
    }));
    await apigateway.send(new PutMethodResponseCommand({
      ...at, statusCode: '200', responseParameters: Object.fromEntries(Object.keys(p.responseParameters).map((k) => [k, false])),
    }));
    await apigateway.send(new PutIntegrationCommand({ ...at, type: 'MOCK', requestTemplates: PREFLIGHT_REQUEST_TEMPLATES }));
    await apigateway.send(new PutIntegrationResponseCommand({
      ...at, statusCode: '200', responseParameters: p.responseParameters, responseTemplates: PREFLIGHT_RESPONSE_TEMPLATES,
    }));
  });
  progress.report({ subject: logicalId, kind: method ? 'updated' : 'created', message: label });
}

function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

async function ensureResource(ctx: ApiContext, logicalId: string, api: DeployedApi, byPath: Map<string, Resource>, path: string): Promise<Resource> {
  const existing = byPath.get(path);
  if (existing) return existing;
  const parent = await ensureResource(ctx, logicalId, api, byPath, parentPath(path));
  const pathPart = path.slice(path.lastIndexOf('/') + 1);
  const created = await ctx.step(logicalId, `creating resource ${path}`, () => ctx.apigateway.send(new CreateResourceCommand({ restApiId: api.id, parentId: parent.id, pathPart })));
  byPath.set(path, created);
  return created;
}

/**
 * Points every stage at a deployment of the current routes (creating one only when no stage
 * already serves them) and sets stage variables exactly as the spec says.
 */
export async function syncStages(
  ctx: ApiContext, spec: ApiSpec, api: DeployedApi, routes: RouteTarget[], authorizers: readonly AuthorizerSpec[] = [], preflights: readonly PreflightRoute[] = [],
): Promise<{ deploymentId: string; stages: string[] }> {
  const { apigateway, progress } = ctx;
  const id = spec.logicalId;
  const fingerprint = (spec.definition !== undefined ? definitionDigest(spec.definition) : routesFingerprint(routes, authorizers, preflights, spec.models)) + apiSettingsMark(spec);
  const mark = `${DEPLOYMENT_MARK}${fingerprint}`;
  const existing = (await ctx.step(id, `reading the stages of ${api.name}`, () => apigateway.send(new GetStagesCommand({ restApiId: api.id })))).item ?? [];

  let deploymentId: string | undefined;
  for (const stage of existing) {
    if (!stage.deploymentId || !spec.stages.some((s) => s.name === stage.stageName)) continue;
    const deployment = await ctx.step(id, `reading deployment ${stage.deploymentId}`, () => apigateway.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: stage.deploymentId })).catch((e) => {
      if (isNotFound(e)) return undefined;
      throw e;
    }));
    if (deployment?.description === mark) {
      deploymentId = deployment.id;
      break;
    }
  }
  if (!deploymentId) {
    const created = await ctx.step(id, `deploying ${api.name}`, () => apigateway.send(new CreateDeploymentCommand({ restApiId: api.id, description: mark })));
    deploymentId = created.id!;
    progress.report({ subject: id, kind: 'created', message: `deployment ${deploymentId} of ${api.name} (${routes.length} route${routes.length === 1 ? '' : 's'})` });
  }

  for (const stage of spec.stages) {
    const current = existing.find((s) => s.stageName === stage.name);
    await syncStage(ctx, id, api, stage, current, deploymentId, spec);
  }
  for (const s of existing) {
    if (!spec.stages.some((x) => x.name === s.stageName)) progress.note(`stage ${s.stageName} of ${api.name} is not in the template; left as it is`);
  }
  return { deploymentId, stages: spec.stages.map((s) => s.name) };
}

function variablesText(vars: Record<string, string>): string {
  const entries = Object.entries(vars);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : 'no variables';
}

async function syncStage(ctx: ApiContext, id: string, api: DeployedApi, stage: StageSpec, current: Stage | undefined, deploymentId: string, spec: ApiSpec): Promise<void> {
  const { apigateway, progress } = ctx;
  if (!current) {
    const created = await ctx.step(id, `creating stage ${stage.name}`, () => apigateway.send(new CreateStageCommand({
      restApiId: api.id, stageName: stage.name, deploymentId, variables: stage.variables, description: stage.description, tags: spec.stageTags,
      canarySettings: spec.canary,
    })));
    progress.report({ subject: id, kind: 'created', message: `stage ${stage.name} → deployment ${deploymentId} (${variablesText(stage.variables)})${spec.canary ? ` with a ${canaryText(spec.canary)}` : ''}` });
    // CreateStage takes no method, cache or access log settings: UpdateStage sets them.
    const ops = stageSettingsOps(spec, created);
    if (ops.length) await ctx.step(id, `configuring stage ${stage.name}`, () => apigateway.send(new UpdateStageCommand({ restApiId: api.id, stageName: stage.name, patchOperations: ops })));
    return;
  }
  const ops: PatchOperation[] = stageSettingsOps(spec, current);
  const changes: string[] = ops.length ? ['method, cache and access log settings'] : [];
  if (current.deploymentId !== deploymentId) {
    ops.push({ op: 'replace', path: '/deploymentId', value: deploymentId });
    changes.push(`deployment ${current.deploymentId} → ${deploymentId}`);
  }
  const have = current.variables ?? {};
  for (const [k, v] of Object.entries(stage.variables)) {
    if (have[k] !== v) {
      ops.push({ op: 'replace', path: `/variables/${k}`, value: v });
      changes.push(`${k}=${v}`);
    }
  }
  for (const k of Object.keys(have)) {
    if (!(k in stage.variables)) {
      ops.push({ op: 'remove', path: `/variables/${k}` });
      changes.push(`removed variable ${k}`);
    }
  }
  if (stage.description !== undefined && (current.description ?? '') !== stage.description) {
    ops.push({ op: 'replace', path: '/description', value: stage.description });
    changes.push('description');
  }
  const canary = canaryOps(spec.canary, current.canarySettings, deploymentId);
  if (canary.length) {
    ops.push(...canary);
    changes.push(spec.canary ? canaryText(spec.canary) : 'canary removed');
  }
  // Only a template with Tags manages them (a stage's hand-made tags survive templates without).
  if (spec.stageTags && await syncStageTags(ctx, id, api, stage.name, current.tags ?? {}, spec.stageTags)) changes.push('tags');
  if (!ops.length) {
    if (changes.length) {
      progress.report({ subject: id, kind: 'updated', message: `stage ${stage.name}: ${changes.join(', ')}` });
      return;
    }
    progress.report({ subject: id, kind: 'unchanged', message: `stage ${stage.name} → deployment ${deploymentId} (${variablesText(stage.variables)})` });
    return;
  }
  await ctx.step(id, `updating stage ${stage.name}`, () => apigateway.send(new UpdateStageCommand({ restApiId: api.id, stageName: stage.name, patchOperations: ops })));
  progress.report({ subject: id, kind: 'updated', message: `stage ${stage.name}: ${changes.join(', ')}` });
}

function canaryText(canary: CanarySpec): string {
  return `canary of ${canary.percentTraffic}% (${variablesText(canary.stageVariableOverrides)}${canary.useStageCache ? ', stage cache' : ''})`;
}

/**
 * The UpdateStage operations that make a stage's canary the template's CanarySetting, serving the
 * deployment the stage serves (`deploymentId`), or remove it when the template has none.
 */
export function canaryOps(want: CanarySpec | undefined, have: CanarySettings | undefined, deploymentId: string): PatchOperation[] {
  if (!want) return have ? [{ op: 'remove', path: '/canarySettings' }] : [];
  const ops: PatchOperation[] = [];
  if (have?.deploymentId !== deploymentId) ops.push({ op: 'replace', path: '/canarySettings/deploymentId', value: deploymentId });
  if (have?.percentTraffic !== want.percentTraffic) ops.push({ op: 'replace', path: '/canarySettings/percentTraffic', value: String(want.percentTraffic) });
  if ((have?.useStageCache ?? false) !== want.useStageCache) ops.push({ op: 'replace', path: '/canarySettings/useStageCache', value: String(want.useStageCache) });
  const overrides = have?.stageVariableOverrides ?? {};
  for (const [k, v] of Object.entries(want.stageVariableOverrides)) if (overrides[k] !== v) ops.push({ op: 'replace', path: `/canarySettings/stageVariableOverrides/${k}`, value: v });
  for (const k of Object.keys(overrides)) if (!(k in want.stageVariableOverrides)) ops.push({ op: 'remove', path: `/canarySettings/stageVariableOverrides/${k}` });
  return ops;
}

/** Makes a stage's tags `want` (SAM's Tags of the API); says whether anything changed. */
async function syncStageTags(ctx: ApiContext, id: string, api: DeployedApi, stageName: string, have: Record<string, string>, want: Record<string, string>): Promise<boolean> {
  const resourceArn = `arn:aws:apigateway:${ctx.region}::/restapis/${api.id}/stages/${encodeURIComponent(stageName)}`;
  const add = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
  const remove = Object.keys(have).filter((k) => !(k in want));
  if (Object.keys(add).length) await ctx.step(id, `tagging stage ${stageName}`, () => ctx.apigateway.send(new TagResourceCommand({ resourceArn, tags: add })));
  if (remove.length) await ctx.step(id, `untagging stage ${stageName}`, () => ctx.apigateway.send(new UntagResourceCommand({ resourceArn, tagKeys: remove })));
  return Object.keys(add).length > 0 || remove.length > 0;
}

/**
 * The UpdateStage operations that make a stage's method settings, cache cluster and access log
 * settings what the template says: settings the template does not name are removed (a cache
 * cluster disabled), as stage variables are.
 */
export function stageSettingsOps(spec: ApiSpec, current: Pick<Stage, 'methodSettings' | 'accessLogSettings' | 'cacheClusterEnabled' | 'cacheClusterSize'>): PatchOperation[] {
  const ops: PatchOperation[] = [];
  const cache = spec.cacheCluster;
  if (cache?.size !== undefined && current.cacheClusterSize !== cache.size) ops.push({ op: 'replace', path: '/cacheClusterSize', value: cache.size });
  if ((current.cacheClusterEnabled ?? false) !== (cache?.enabled ?? false)) ops.push({ op: 'replace', path: '/cacheClusterEnabled', value: String(cache?.enabled ?? false) });
  const have = current.methodSettings ?? {};
  const wanted = spec.methodSettings ?? [];
  for (const key of Object.keys(have)) {
    if (!wanted.some((w) => w.key === key)) ops.push({ op: 'remove', path: `/${key}` });
  }
  for (const { key, values } of wanted) {
    const existing = have[key] as Record<string, unknown> | undefined;
    for (const [path, value] of Object.entries(values)) {
      const member = Object.values(METHOD_SETTING_FIELDS).find((f) => f.path === path)!.member;
      if (existing?.[member] === undefined || String(existing[member]) !== value) ops.push({ op: 'replace', path: `/${key}/${path}`, value });
    }
  }
  const log = spec.accessLog;
  const logHave = current.accessLogSettings;
  if (log) {
    if (logHave?.destinationArn !== log.destinationArn) ops.push({ op: 'replace', path: '/accessLogSettings/destinationArn', value: log.destinationArn });
    if (logHave?.format !== log.format) ops.push({ op: 'replace', path: '/accessLogSettings/format', value: log.format });
  } else if (logHave?.destinationArn || logHave?.format) {
    ops.push({ op: 'remove', path: '/accessLogSettings' });
  }
  return ops;
}
