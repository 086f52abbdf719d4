// A synthesized CDK RestApi / LambdaRestApi as the AWS::Serverless::Api the deploy already runs:
// the AWS::ApiGateway::Resource tree and its AWS::ApiGateway::Method resources become one OpenAPI
// document (x-amazon-apigateway-integration per method: AWS_PROXY, AWS, HTTP, HTTP_PROXY, MOCK),
// put whole on the REST API as a DefinitionBody is; the AWS::ApiGateway::Stage (its Deployment
// freezes the document) gives StageName, Variables, MethodSettings and the stage's other settings.
// Authorizers, the API key requirement, models and validators join the document too
// (cdk-rest-auth.ts); usage plans and keys are deployed as they are (template-usage-plans.ts).
import { get, type MapNode, type TNode } from './source.js';
import {
  build, emptyTranslation, passThrough, referenced, samResource, scalarString, tagMap,
  type RawResource, type TranslateContext, type Translation,
} from './cdk-nodes.js';
import { API_TYPE } from './spec.js';
import { methodAuth, restAuthParts, type RestAuthParts } from './cdk-rest-auth.js';

export const RAW_REST_API = 'AWS::ApiGateway::RestApi';
const RAW_RESOURCE = 'AWS::ApiGateway::Resource';
const RAW_METHOD = 'AWS::ApiGateway::Method';
const RAW_DEPLOYMENT = 'AWS::ApiGateway::Deployment';
const RAW_STAGE = 'AWS::ApiGateway::Stage';

/** RestApi properties an AWS::Serverless::Api has under the same name. */
const API_SAME_NAME = ['Name', 'Description', 'BinaryMediaTypes', 'ApiKeySourceType', 'MinimumCompressionSize', 'DisableExecuteApiEndpoint', 'Policy', 'EndpointConfiguration'];
/** Stage properties an AWS::Serverless::Api has under the same name. */
const STAGE_SAME_NAME = ['StageName', 'Variables', 'MethodSettings', 'CacheClusterEnabled', 'CacheClusterSize', 'AccessLogSetting', 'TracingEnabled'];

export function translateRestApis(ctx: TranslateContext): Translation {
  const out = emptyTranslation();
  for (const raw of ctx.raw.values()) if (raw.type === RAW_REST_API) translateRestApi(ctx, raw, out);
  return out;
}

/** The raw resources of `type` that belong to the API (RestApiId: !Ref api). */
function ofApi(ctx: TranslateContext, type: string, apiId: string): RawResource[] {
  return [...ctx.raw.values()].filter((r) => r.type === type && referenced(get(r.properties, 'RestApiId'))?.id === apiId);
}

function translateRestApi(ctx: TranslateContext, api: RawResource, out: Translation): void {
  const id = api.logicalId;
  const props: Record<string, unknown> = { ...passThrough(api.properties, API_SAME_NAME), Tags: tagMap(get(api.properties, 'Tags')) };
  if (get(api.properties, 'BodyS3Location')) {
    ctx.issues.error(`${id}: BodyS3Location can't be fetched; give the OpenAPI document as Body (or an AWS::Serverless::Api with DefinitionUri)`, `${api.path}.Properties.BodyS3Location`, api.loc);
  }
  const body = get(api.properties, 'Body');
  const methods = ofApi(ctx, RAW_METHOD, id);
  if (body) {
    if (methods.length) ctx.issues.error(`${id} has a Body and AWS::ApiGateway::Method resources; describe the methods in one place`, `${api.path}.Properties.Body`, api.loc);
    props.DefinitionBody = body;
  } else {
    props.DefinitionBody = document(ctx, api, methods, resourcePaths(ctx, id), restAuthParts(ctx, api, out));
  }
  for (const r of [...ofApi(ctx, RAW_RESOURCE, id), ...methods]) {
    out.dropped.add(r.logicalId);
    out.rewrites.set(r.logicalId, { dependsOn: id });
  }
  const deployments = ofApi(ctx, RAW_DEPLOYMENT, id);
  for (const d of deployments) {
    out.dropped.add(d.logicalId);
    out.rewrites.set(d.logicalId, { ref: build({ Ref: `${id}.Deployment` }, d.path, d.loc), dependsOn: id });
  }
  const stages = ofApi(ctx, RAW_STAGE, id);
  const [stage, ...others] = stages;
  for (const s of others) {
    ctx.issues.warn(`${s.logicalId} (${RAW_STAGE}) is not deployed: stagecraft deploy gives ${id} one stage (${scalarString(get(stage.properties, 'StageName')) ?? stage.logicalId})`, s.path, s.loc);
    out.dropped.add(s.logicalId);
    out.rewrites.set(s.logicalId, { ref: get(s.properties, 'StageName'), dependsOn: id });
  }
  if (stage) {
    Object.assign(props, passThrough(stage.properties, STAGE_SAME_NAME));
    const canary = get(stage.properties, 'CanarySetting');
    if (canary?.kind === 'map') props.CanarySetting = passThrough(canary, ['PercentTraffic', 'StageVariableOverrides', 'UseStageCache']);
    out.dropped.add(stage.logicalId);
    out.rewrites.set(stage.logicalId, { ref: get(stage.properties, 'StageName'), dependsOn: id });
  } else {
    // The RestApi construct always has a Stage; a hand-written template may name it on the Deployment.
    const named = deployments.find((d) => get(d.properties, 'StageName'));
    if (named) props.StageName = get(named.properties, 'StageName');
    else ctx.issues.error(`${id} has no AWS::ApiGateway::Stage (nor a Deployment with StageName): stagecraft deploy serves a REST API on a stage`, api.path, api.loc);
  }
  out.resources.set(id, samResource(api, API_TYPE, props));
}

/** Each AWS::ApiGateway::Resource's full path ('/' for the root), by logical ID. */
function resourcePaths(ctx: TranslateContext, apiId: string): Map<string, string> {
  const resources = new Map(ofApi(ctx, RAW_RESOURCE, apiId).map((r) => [r.logicalId, r]));
  const paths = new Map<string, string>();
  const pathOf = (r: RawResource, seen: Set<string>): string | undefined => {
    const known = paths.get(r.logicalId);
    if (known !== undefined) return known;
    const part = scalarString(get(r.properties, 'PathPart'));
    const parent = referenced(get(r.properties, 'ParentId'));
    if (part === undefined || !parent || seen.has(r.logicalId)) {
      ctx.issues.error(`${r.logicalId} needs a PathPart and a ParentId (!GetAtt ${apiId}.RootResourceId or !Ref another resource of ${apiId})`, r.path, r.loc);
      return undefined;
    }
    const parentResource = resources.get(parent.id);
    const atRoot = parent.id === apiId && parent.attribute === 'RootResourceId';
    if (!atRoot && !parentResource) {
      ctx.issues.error(`${r.logicalId}'s ParentId names ${parent.id}, which is neither ${apiId}.RootResourceId nor an AWS::ApiGateway::Resource of ${apiId}`, `${r.path}.Properties.ParentId`, r.loc);
      return undefined;
    }
    const parentPath = atRoot ? '' : pathOf(parentResource!, new Set([...seen, r.logicalId]));
    if (parentPath === undefined) return undefined;
    const path = `${parentPath}/${part}`;
    paths.set(r.logicalId, path);
    return path;
  };
  for (const r of resources.values()) pathOf(r, new Set());
  return paths;
}

/** The OpenAPI document of the API's methods. */
function document(ctx: TranslateContext, api: RawResource, methods: RawResource[], paths: Map<string, string>, auth: RestAuthParts): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const m of methods) {
    const target = referenced(get(m.properties, 'ResourceId'));
    const path = target?.id === api.logicalId && target.attribute === 'RootResourceId' ? '/' : target && paths.get(target.id);
    const verb = scalarString(get(m.properties, 'HttpMethod'));
    if (!path || !verb) {
      ctx.issues.error(`${m.logicalId} needs an HttpMethod and a ResourceId (!GetAtt ${api.logicalId}.RootResourceId or !Ref a resource of ${api.logicalId})`, m.path, m.loc);
      continue;
    }
    const operation = methodOperation(ctx, m, path, auth);
    if (!operation) continue;
    out[path] ??= {};
    out[path][verb.toUpperCase() === 'ANY' ? 'x-amazon-apigateway-any-method' : verb.toLowerCase()] = operation;
  }
  const components = Object.keys(auth.components).length ? { components: auth.components } : {};
  return { openapi: '3.0.1', info: { title: get(api.properties, 'Name') ?? api.logicalId, version: '1.0' }, paths: out, ...components, ...auth.extensions };
}

function methodOperation(ctx: TranslateContext, m: RawResource, path: string, parts: RestAuthParts): Record<string, unknown> | undefined {
  const p = m.properties;
  const auth = methodAuth(ctx, m, parts);
  if (!auth) return undefined;
  const operation: Record<string, unknown> = { responses: methodResponses(get(p, 'MethodResponses')) };
  const parameters = requestParameters(get(p, 'RequestParameters'), path);
  if (parameters.length) operation.parameters = parameters;
  const integration = get(p, 'Integration');
  if (integration?.kind !== 'map') {
    ctx.issues.error(`${m.logicalId} needs an Integration`, m.path, m.loc);
    return undefined;
  }
  operation['x-amazon-apigateway-integration'] = integrationExtension(integration);
  return { ...operation, ...auth };
}

function integrationExtension(i: MapNode): Record<string, unknown> {
  const type = scalarString(get(i, 'Type'));
  const passthrough = scalarString(get(i, 'PassthroughBehavior'));
  const out: Record<string, unknown> = {
    type: type?.toLowerCase() ?? get(i, 'Type'),
    httpMethod: get(i, 'IntegrationHttpMethod'),
    uri: get(i, 'Uri'),
    requestTemplates: get(i, 'RequestTemplates'),
    requestParameters: get(i, 'RequestParameters'),
    passthroughBehavior: passthrough?.toLowerCase(),
    contentHandling: get(i, 'ContentHandling'),
    timeoutInMillis: get(i, 'TimeoutInMillis'),
    cacheKeyParameters: get(i, 'CacheKeyParameters'),
    cacheNamespace: get(i, 'CacheNamespace'),
    connectionType: get(i, 'ConnectionType'),
    connectionId: get(i, 'ConnectionId'),
  };
  const responses = get(i, 'IntegrationResponses');
  if (responses?.kind === 'seq') {
    const r: Record<string, unknown> = {};
    for (const item of responses.items) {
      if (item.kind !== 'map') continue;
      r[scalarString(get(item, 'SelectionPattern')) || 'default'] = {
        statusCode: get(item, 'StatusCode'), responseTemplates: get(item, 'ResponseTemplates'), responseParameters: get(item, 'ResponseParameters'), contentHandling: get(item, 'ContentHandling'),
      };
    }
    out.responses = r;
  }
  return out;
}

/** MethodResponses as OpenAPI responses (response headers from method.response.header.* parameters). */
function methodResponses(node: TNode | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (node?.kind !== 'seq') return out;
  for (const item of node.items) {
    const code = item.kind === 'map' ? get(item, 'StatusCode') : undefined;
    const status = code?.kind === 'scalar' ? String(code.value) : undefined;
    if (!status || item.kind !== 'map') continue;
    const headers: Record<string, unknown> = {};
    const params = get(item, 'ResponseParameters');
    for (const e of params?.kind === 'map' ? params.entries : []) {
      const name = /^method\.response\.header\.(.+)$/.exec(e.key)?.[1];
      if (name) headers[name] = { schema: { type: 'string' } };
    }
    out[status] = { description: `${status} response`, ...(Object.keys(headers).length ? { headers } : {}) };
  }
  return out;
}

const PARAMETER_PLACES: Record<string, string> = { path: 'path', querystring: 'query', header: 'header' };

/** The method's RequestParameters (method.request.{path,querystring,header}.name: required) and the path's own {parameters}. */
function requestParameters(node: TNode | undefined, path: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const e of node?.kind === 'map' ? node.entries : []) {
    const m = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(e.key);
    if (m) out.push({ name: m[2], in: PARAMETER_PLACES[m[1]], required: m[1] === 'path' || (e.value.kind === 'scalar' && e.value.value === true), schema: { type: 'string' } });
  }
  for (const [, name] of path.matchAll(/\{([^}+]+)\+?\}/g)) {
    if (!out.some((p) => p.in === 'path' && p.name === name)) out.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  return out;
}
