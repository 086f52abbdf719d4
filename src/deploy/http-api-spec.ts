// An HTTP API (AWS::Serverless::HttpApi, or SAM's implicit ServerlessHttpApi) as the deploy creates
// it, and a function's HttpApi events as its routes: which API (a !Ref to an
// AWS::Serverless::HttpApi, or the implicit one), route key, payload format and timeout.
import { TemplateError, didYouMean } from './issues.js';
import { evaluate, evaluateValue, NO_VALUE, type Scope, type Value } from './intrinsics.js';
import { entry, get, type MapNode } from './source.js';
import { DEFAULT_HTTP_STAGE, HTTP_API_TYPE, IMPLICIT_HTTP_API } from './spec.js';
import { eventSources } from './api-events.js';
import type { Location } from './issues.js';
import type { Cors } from '../aws/generated/apigatewayv2.js';
import { PLACEHOLDER, type ActiveResource, type StackModel } from './stack-model.js';
import { accessLogSpec, type AccessLogSpec } from './stage-settings-spec.js';
import { domainSpec, type DomainSpec } from './domain-spec.js';
import { definitionOf } from './api-spec.js';
import { documentTitle, mergeConflict, MERGED_INTO_DOCUMENT } from './http-api-document.js';

export interface HttpApiSpec {
  logicalId: string;
  name: string;
  stageName: string;
  stageVariables: Record<string, string>;
  description?: string;
  disableExecuteApiEndpoint: boolean;
  tags: Record<string, string>;
  /** CorsConfiguration as API Gateway takes it (SAM's true is any origin, a string one origin). */
  cors?: Cors;
  /** The stage's AccessLogSettings. */
  accessLog?: AccessLogSpec;
  /** DefaultRouteSettings: every route's throttle unless its own settings say otherwise. */
  defaultRouteSettings?: RouteSettingsSpec;
  /** RouteSettings by route key (with the settings of HttpApi events' RouteSettings, added by deploy). */
  routeSettings: Record<string, RouteSettingsSpec>;
  /** Domain: a custom domain name whose base paths map to the stage (domains.ts). */
  domain?: DomainSpec;
  /** DefinitionBody or DefinitionUri: the OpenAPI document (JSON text) the API is imported from; Name, Description, DisableExecuteApiEndpoint and CorsConfiguration are merged into it. */
  definition?: string;
  /** The document came from DefinitionUri (SAM merges nothing into it). */
  definitionFromUri?: boolean;
  /** FailOnWarnings: importing the document fails on its warnings. */
  failOnWarnings?: boolean;
  loc: Location;
}

/** A route's settings as the stage takes them (SAM's RouteSettings of AWS::ApiGatewayV2::Stage). */
export interface RouteSettingsSpec {
  ThrottlingBurstLimit?: number;
  ThrottlingRateLimit?: number;
  DetailedMetricsEnabled?: boolean;
}

export interface HttpApiEventSpec {
  name: string;
  apiLogicalId: string;
  /** `$default`, or `METHOD /path`. */
  routeKey: string;
  payloadFormatVersion: '1.0' | '2.0';
  timeoutInMillis?: number;
  /** Auth.Authorizer: an authorizer of the API's Auth, or NONE. */
  authorizer?: { name: string; path: string; loc: Location };
  /** Auth.AuthorizationScopes (JWT authorizers). */
  authorizationScopes?: string[];
  /** RouteSettings: this route's settings on the API's stage. */
  routeSettings?: RouteSettingsSpec;
  loc: Location;
  path: string;
}

const STAGE_NAME = /^(\$default|[A-Za-z0-9_-]{1,128})$/;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'];
const ROUTE_PATH = /^\/(([A-Za-z0-9._~:@!$&'()*+,;=-]+|\{[A-Za-z0-9._-]+\+?\})(\/([A-Za-z0-9._~:@!$&'()*+,;=-]+|\{[A-Za-z0-9._-]+\+?\}))*)?$/;

export function httpApiSpec(model: StackModel, r: ActiveResource, scope: Scope): HttpApiSpec {
  const id = r.def.logicalId;
  const implicit = id === IMPLICIT_HTTP_API && !model.template.resources.some((x) => x.logicalId === IMPLICIT_HTTP_API);
  const value = (key: string): Value | undefined => {
    const node = get(r.properties, key);
    if (!node) return undefined;
    const v = evaluate(node, scope);
    return v === NO_VALUE || v === null ? undefined : v;
  };
  const fail = (key: string, message: string): never => {
    const e = entry(r.properties, key);
    throw new TemplateError(message, e?.value.path ?? `${r.def.path}.Properties`, e?.value.loc ?? r.def.loc);
  };
  const stringMap = (key: string): Record<string, string> => {
    const v = value(key);
    if (v === undefined) return {};
    if (typeof v !== 'object' || Array.isArray(v)) fail(key, `${key} is a map of names to values`);
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v as Record<string, Value>)) {
      if (typeof x === 'object' && x !== null) fail(key, `${key}.${k} must be a string`);
      out[k] = String(x);
    }
    return out;
  };
  const stageName = String(value('StageName') ?? DEFAULT_HTTP_STAGE);
  if (!PLACEHOLDER.test(stageName) && !STAGE_NAME.test(stageName)) fail('StageName', `stage name '${stageName}' may only contain letters, digits, hyphens and underscores (or be $default)`);
  const stageVariables = stringMap('StageVariables');
  for (const [k, v] of Object.entries(stageVariables)) {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(k)) fail('StageVariables', `stage variable name '${k}' may only contain letters, digits and underscores`);
    if (!PLACEHOLDER.test(v) && !/^[A-Za-z0-9-._~:/?#&=,]{1,512}$/.test(v)) fail('StageVariables', `stage variable ${k}'s value may only contain letters, digits and -._~:/?#&=,`);
  }
  const disable = value('DisableExecuteApiEndpoint');
  if (disable !== undefined && typeof disable !== 'boolean' && disable !== 'true' && disable !== 'false') fail('DisableExecuteApiEndpoint', 'DisableExecuteApiEndpoint is true or false');
  const definition = definitionOf(model, value('DefinitionBody'), value('DefinitionUri'), fail);
  const spec: HttpApiSpec = {
    logicalId: id,
    name: value('Name') === undefined ? (implicit ? model.identity.stackName : `${model.identity.stackName}-${id}`) : String(value('Name')),
    stageName,
    stageVariables,
    disableExecuteApiEndpoint: disable === true || disable === 'true',
    tags: stringMap('Tags'),
    routeSettings: {},
    loc: r.def.loc,
  };
  const description = value('Description');
  if (description !== undefined) spec.description = String(description);
  const cors = corsOf(value('CorsConfiguration'), (message) => fail('CorsConfiguration', message));
  if (cors) spec.cors = cors;
  const accessLog = value('AccessLogSettings');
  if (accessLog !== undefined) spec.accessLog = accessLogSpec(accessLog, (message) => fail('AccessLogSettings', message), 'AccessLogSettings');
  const defaults = value('DefaultRouteSettings');
  if (defaults !== undefined) spec.defaultRouteSettings = routeSettingsOf(defaults, (message) => fail('DefaultRouteSettings', message), 'DefaultRouteSettings');
  const routes = value('RouteSettings');
  if (routes !== undefined) {
    if (typeof routes !== 'object' || routes === null || Array.isArray(routes)) fail('RouteSettings', 'RouteSettings is a map of route keys (GET /items, $default) to their settings');
    for (const [key, v] of Object.entries(routes as Record<string, Value>)) {
      spec.routeSettings[key] = routeSettingsOf(v, (message) => fail('RouteSettings', message), `RouteSettings.${key}`);
    }
  }
  const domain = value('Domain');
  if (domain !== undefined) spec.domain = domainSpec(domain, 'HttpApi', (message) => fail('Domain', message));
  if (definition !== undefined) withDefinition(spec, definition, get(r.properties, 'DefinitionUri') !== undefined, (key) => get(r.properties, key) !== undefined, value('FailOnWarnings'), fail);
  return spec;
}

/** An API imported from its document: the merges SAM makes checked, the name from Name or the document's info.title. */
function withDefinition(spec: HttpApiSpec, definition: string, fromUri: boolean, has: (key: string) => boolean, failOnWarnings: Value | undefined, fail: (key: string, message: string) => never): void {
  if (has('Auth')) fail('Auth', 'stagecraft deploy does not merge Auth into a DefinitionBody or DefinitionUri: describe the authorizers in the OpenAPI document (components.securitySchemes with x-amazon-apigateway-authorizer, and security on the operations)');
  for (const key of Object.keys(MERGED_INTO_DOCUMENT)) {
    const conflict = has(key) ? mergeConflict(definition, fromUri, key) : undefined;
    if (conflict) fail(key, conflict);
  }
  if (!has('Name')) {
    const title = documentTitle(definition);
    if (title === undefined) fail(fromUri ? 'DefinitionUri' : 'DefinitionBody', 'the OpenAPI document names the API in info.title: add it, or give the HttpApi a Name');
    spec.name = title!;
  }
  if (failOnWarnings !== undefined && failOnWarnings !== true && failOnWarnings !== false && failOnWarnings !== 'true' && failOnWarnings !== 'false') fail('FailOnWarnings', 'FailOnWarnings is true or false');
  spec.definition = definition;
  if (fromUri) spec.definitionFromUri = true;
  if (failOnWarnings === true || failOnWarnings === 'true') spec.failOnWarnings = true;
}

/** One route's settings: ThrottlingBurstLimit (a whole number), ThrottlingRateLimit (a number), DetailedMetricsEnabled. */
export function routeSettingsOf(v: Value, fail: (message: string) => never, what: string): RouteSettingsSpec {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} is a map of ThrottlingBurstLimit, ThrottlingRateLimit and DetailedMetricsEnabled`);
  const out: RouteSettingsSpec = {};
  for (const [k, x] of Object.entries(v as Record<string, Value>)) {
    const n = typeof x === 'string' && x.trim() !== '' ? Number(x) : x;
    if (k === 'ThrottlingBurstLimit' || k === 'ThrottlingRateLimit') {
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || (k === 'ThrottlingBurstLimit' && !Number.isInteger(n))) {
        fail(`${what}.${k} is a ${k === 'ThrottlingBurstLimit' ? 'whole number' : 'number'} of at least 0, got ${JSON.stringify(x)}`);
      }
      out[k] = n as number;
    } else if (k === 'DetailedMetricsEnabled') {
      if (x !== true && x !== false && x !== 'true' && x !== 'false') fail(`${what}.DetailedMetricsEnabled is true or false`);
      out.DetailedMetricsEnabled = x === true || x === 'true';
    } else {
      fail(`${what}.${k} is not a setting of HTTP API routes: use ThrottlingBurstLimit, ThrottlingRateLimit or DetailedMetricsEnabled${didYouMean(k, ['ThrottlingBurstLimit', 'ThrottlingRateLimit', 'DetailedMetricsEnabled'])}`);
    }
  }
  return out;
}

const CORS_LISTS = ['AllowOrigins', 'AllowHeaders', 'AllowMethods', 'ExposeHeaders'] as const;

function corsOf(v: Value | undefined, fail: (message: string) => never): Cors | undefined {
  if (v === undefined || v === false || v === 'false') return undefined;
  if (v === true || v === 'true') return { AllowOrigins: ['*'] };
  if (typeof v === 'string') return { AllowOrigins: [v] };
  const shape = 'CorsConfiguration is true, an origin, or a map of AllowOrigins, AllowHeaders, AllowMethods, ExposeHeaders (lists), MaxAge and AllowCredentials';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(shape);
  const map = v as Record<string, Value>;
  const cors: Cors = {};
  for (const [k, x] of Object.entries(map)) {
    if ((CORS_LISTS as readonly string[]).includes(k)) {
      if (!Array.isArray(x) || x.some((e) => typeof e !== 'string')) fail(`CorsConfiguration.${k} is a list of strings`);
      cors[k as (typeof CORS_LISTS)[number]] = x as string[];
    } else if (k === 'MaxAge') {
      const n = Number(x);
      if (!Number.isInteger(n) || n < -1 || n > 86400) fail('CorsConfiguration.MaxAge is a whole number of seconds from -1 to 86400');
      cors.MaxAge = n;
    } else if (k === 'AllowCredentials') {
      if (x !== true && x !== false && x !== 'true' && x !== 'false') fail('CorsConfiguration.AllowCredentials is true or false');
      cors.AllowCredentials = x === true || x === 'true';
    } else {
      fail(`unknown CorsConfiguration property '${k}'${didYouMean(k, [...CORS_LISTS, 'MaxAge', 'AllowCredentials'])}`);
    }
  }
  return cors;
}

/** The routes a function's HttpApi events ask for. */
export function httpApiEventSpecs(model: StackModel, r: ActiveResource, scope: Scope): HttpApiEventSpec[] {
  const out: HttpApiEventSpec[] = [];
  for (const e of eventSources(r)) {
    if (e.type !== 'HttpApi') continue;
    const props = e.props;
    const fail = (node: { path: string; loc: Location } | undefined, message: string): never => {
      throw new TemplateError(message, node?.path ?? e.path, node?.loc ?? e.loc);
    };
    let apiLogicalId = IMPLICIT_HTTP_API;
    const apiNode = get(props, 'ApiId');
    if (apiNode) {
      const target = apiNode.kind === 'map' && apiNode.entries.length === 1 && apiNode.entries[0].key === 'Ref' ? apiNode.entries[0].value : undefined;
      const name = target?.kind === 'scalar' ? String(target.value) : undefined;
      const api = name ? model.byId.get(name) : undefined;
      if (!name || !api || api.def.type !== HTTP_API_TYPE) {
        if (name && model.skipped.has(name)) fail(apiNode, `${name} is not deployed because its condition ${model.skipped.get(name)} is false`);
        const apis = model.resources.filter((x) => x.def.type === HTTP_API_TYPE).map((x) => x.def.logicalId);
        fail(apiNode, `ApiId must be !Ref to an AWS::Serverless::HttpApi in this template${name ? didYouMean(name, apis) : ''}`);
      }
      apiLogicalId = name!;
    }
    const pathNode = get(props, 'Path');
    const methodNode = get(props, 'Method');
    let routeKey = '$default';
    if (pathNode || methodNode) {
      if (!pathNode || !methodNode) fail(pathNode ?? methodNode, 'an HttpApi event names both Path and Method, or neither (the $default route)');
      const path = String(evaluateValue(pathNode!, scope));
      if (!ROUTE_PATH.test(path)) fail(pathNode, `Path '${path}' is not an API path such as /hello, /items/{id} or /{proxy+}`);
      const greedy = path.indexOf('+}');
      if (greedy >= 0 && greedy !== path.length - 2) fail(pathNode, `a greedy path variable ({name+}) must be the last part of the path '${path}'`);
      let method = String(evaluateValue(methodNode!, scope)).toUpperCase();
      if (method === 'X-AMAZON-APIGATEWAY-ANY-METHOD' || method === '*') method = 'ANY';
      if (!METHODS.includes(method)) fail(methodNode, `Method '${method}' is not an HTTP method (${METHODS.join(', ')})`);
      routeKey = `${method} ${path}`;
    }
    const formatNode = get(props, 'PayloadFormatVersion');
    const format = formatNode ? String(evaluateValue(formatNode, scope)) : '2.0';
    if (format !== '1.0' && format !== '2.0') fail(formatNode, 'PayloadFormatVersion is 1.0 or 2.0');
    const timeoutNode = get(props, 'TimeoutInMillis');
    let timeoutInMillis: number | undefined;
    if (timeoutNode) {
      timeoutInMillis = Number(evaluateValue(timeoutNode, scope));
      if (!Number.isInteger(timeoutInMillis) || timeoutInMillis < 50 || timeoutInMillis > 30000) fail(timeoutNode, 'TimeoutInMillis is a whole number from 50 to 30000');
    }
    const spec: HttpApiEventSpec = { name: e.name, apiLogicalId, routeKey, payloadFormatVersion: format as '1.0' | '2.0', timeoutInMillis, loc: e.loc, path: e.path };
    const settingsNode = get(props, 'RouteSettings');
    if (settingsNode) spec.routeSettings = routeSettingsOf(evaluateValue(settingsNode, scope), (message) => fail(settingsNode, message), 'RouteSettings');
    const authNode = get(props, 'Auth');
    if (authNode) {
      if (authNode.kind !== 'map') fail(authNode, 'Auth is a map with Authorizer and AuthorizationScopes');
      const authorizerNode = get(authNode as MapNode, 'Authorizer');
      if (authorizerNode) spec.authorizer = { name: String(evaluateValue(authorizerNode, scope)), path: authorizerNode.path, loc: authorizerNode.loc };
      const scopesNode = get(authNode as MapNode, 'AuthorizationScopes');
      if (scopesNode) {
        const scopes = evaluateValue(scopesNode, scope);
        if (!Array.isArray(scopes) || scopes.some((x) => typeof x !== 'string' || x === '')) fail(scopesNode, 'AuthorizationScopes is a list of scopes');
        spec.authorizationScopes = scopes as string[];
      }
    }
    out.push(spec);
  }
  return out;
}
