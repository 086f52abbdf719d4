// A function's event sources as the template writes them, and its Api events as routes: which API
// (a !Ref to an AWS::Serverless::Api, or SAM's implicit one), path, method, timeout, authorizer,
// request model and request parameters.
import { didYouMean, TemplateError, type Location } from './issues.js';
import { evaluateValue, type Scope } from './intrinsics.js';
import { get, type MapNode, type TNode } from './source.js';
import { API_TYPE, IMPLICIT_API } from './spec.js';
import { Reader } from './auth-spec.js';
import { scopeList } from './cognito-auth-spec.js';
import type { ActiveResource, StackModel } from './stack-model.js';
import { resourcePolicySpec, type ResourcePolicySpec } from './resource-policy-spec.js';

export interface ApiEventSpec {
  name: string;
  apiLogicalId: string;
  /** Resource path, e.g. /hello or /items/{id} or /{proxy+}. */
  resourcePath: string;
  /** GET, POST, …, or ANY. */
  method: string;
  timeoutInMillis?: number;
  /** Auth.Authorizer as written: an authorizer's name, or NONE (checked against the API in auth-spec.ts). */
  authorizer?: { name: string; loc: Location; path: string };
  /** Auth.AuthorizationScopes: the scopes the method requires of a Cognito authorizer's access tokens. */
  authorizationScopes?: string[];
  /** Auth.ApiKeyRequired, when the event says (else the API's Auth decides). */
  apiKeyRequired?: boolean;
  /** RequestModel: the API model for application/json bodies, and the request validator it asks for (checked against the API in stack-validation.ts). */
  requestModel?: RequestModelSpec;
  /** RequestParameters: `method.request.{header,querystring,path}.x` → required. */
  requestParameters?: Record<string, boolean>;
  /** The RequestParameters with `Caching: true`: the integration's cacheKeyParameters. */
  cacheKeyParameters?: string[];
  /** Auth.ResourcePolicy: statements on this path's methods (resource-policy-spec.ts). */
  resourcePolicy?: ResourcePolicySpec;
  loc: Location;
  path: string;
}

export interface RequestModelSpec {
  model: string;
  /**
   * The validator: only when ValidateBody or ValidateParameters is written, the other one then
   * false (as SAM does); SAM names it body-and-params, body-only, params-only or no-validation.
   */
  validator?: { body: boolean; params: boolean };
  loc: Location;
  path: string;
}

const REQUEST_MODEL_KEYS = ['Model', 'Required', 'ValidateBody', 'ValidateParameters'];
const REQUEST_PARAMETER = /^method\.request\.(header|querystring|path)\.[^\s.][^\s]*$/;

/** A boolean property (true/false or their strings); undefined when absent. */
function booleanAt(props: MapNode, key: string, scope: Scope): boolean | undefined {
  const node = get(props, key);
  if (!node) return undefined;
  const v = evaluateValue(node, scope);
  if (v !== true && v !== false && v !== 'true' && v !== 'false') throw new TemplateError(`${key} is true or false`, node.path, node.loc);
  return v === true || v === 'true';
}

function requestModelSpec(node: TNode, scope: Scope): RequestModelSpec {
  if (node.kind !== 'map') throw new TemplateError('RequestModel is a map with Model (and Required, ValidateBody, ValidateParameters)', node.path, node.loc);
  for (const e of node.entries) {
    if (!REQUEST_MODEL_KEYS.includes(e.key)) throw new TemplateError(`unknown RequestModel property '${e.key}'${didYouMean(e.key, REQUEST_MODEL_KEYS)}`, e.value.path, e.keyLoc);
  }
  const modelNode = get(node, 'Model');
  const model = modelNode ? evaluateValue(modelNode, scope) : undefined;
  if (typeof model !== 'string' || !model) throw new TemplateError("RequestModel needs a Model: the name of one of the API's Models", modelNode?.path ?? node.path, modelNode?.loc ?? node.loc);
  booleanAt(node, 'Required', scope);
  const body = booleanAt(node, 'ValidateBody', scope);
  const params = booleanAt(node, 'ValidateParameters', scope);
  const spec: RequestModelSpec = { model, loc: modelNode!.loc, path: modelNode!.path };
  if (body !== undefined || params !== undefined) spec.validator = { body: body ?? false, params: params ?? false };
  return spec;
}

/** RequestParameters: a list of parameter names, or of one-entry maps `name: { Required, Caching }`. */
function requestParametersSpec(node: TNode, scope: Scope): { parameters: Record<string, boolean>; caching: string[] } {
  const shape = 'RequestParameters is a list of method.request.{header,querystring,path}.name entries, each a name or a map of the name to { Required, Caching }';
  if (node.kind !== 'seq') throw new TemplateError(shape, node.path, node.loc);
  const out: Record<string, boolean> = {};
  const caching: string[] = [];
  for (const item of node.items) {
    let name: unknown;
    let required = false;
    let cached = false;
    if (item.kind === 'map') {
      if (item.entries.length !== 1) throw new TemplateError(shape, item.path, item.loc);
      const [entry] = item.entries;
      name = entry.key;
      if (entry.value.kind !== 'map') throw new TemplateError(shape, entry.value.path, entry.value.loc);
      for (const e of entry.value.entries) {
        if (e.key !== 'Required' && e.key !== 'Caching') throw new TemplateError(`unknown request parameter property '${e.key}'${didYouMean(e.key, ['Required', 'Caching'])}`, e.value.path, e.keyLoc);
      }
      required = booleanAt(entry.value, 'Required', scope) ?? false;
      cached = booleanAt(entry.value, 'Caching', scope) ?? false;
    } else {
      name = evaluateValue(item, scope);
    }
    if (typeof name !== 'string' || !REQUEST_PARAMETER.test(name)) {
      throw new TemplateError(`request parameter '${String(name)}' is not of the form method.request.{header,querystring,path}.name`, item.path, item.loc);
    }
    out[name] = required;
    if (cached) caching.push(name);
  }
  return { parameters: out, caching };
}

/** One entry of a function's Events, unchecked. */
export interface EventSource {
  name: string;
  type?: string;
  typeNode?: TNode;
  props?: MapNode;
  restApiId?: TNode;
  loc: Location;
  path: string;
}

export function eventSources(r: ActiveResource): EventSource[] {
  const events = get(r.properties, 'Events');
  if (!events || events.kind !== 'map') return [];
  return events.entries.map((e) => {
    const value = e.value.kind === 'map' ? e.value : undefined;
    const typeNode = get(value, 'Type');
    const props = get(value, 'Properties');
    return {
      name: e.key,
      type: typeNode?.kind === 'scalar' ? String(typeNode.value) : undefined,
      typeNode,
      props: props?.kind === 'map' ? props : undefined,
      restApiId: props?.kind === 'map' ? get(props, 'RestApiId') : undefined,
      loc: e.keyLoc,
      path: e.value.path,
    };
  });
}

/** The routes a function's Api events ask for (other event types were refused by checkProperties). */
export function apiEventSpecs(model: StackModel, r: ActiveResource, scope: Scope): ApiEventSpec[] {
  const out: ApiEventSpec[] = [];
  for (const e of eventSources(r)) {
    if (e.type !== 'Api' || !e.props) continue;
    const props = e.props;
    let apiLogicalId = IMPLICIT_API;
    if (e.restApiId) {
      const target = e.restApiId.kind === 'map' && e.restApiId.entries.length === 1 && e.restApiId.entries[0].key === 'Ref' ? e.restApiId.entries[0].value : undefined;
      const name = target?.kind === 'scalar' ? String(target.value) : undefined;
      const api = name ? model.byId.get(name) : undefined;
      if (!name || !api || api.def.type !== API_TYPE) {
        if (name && model.skipped.has(name)) throw new TemplateError(`${name} is not deployed because its condition ${model.skipped.get(name)} is false`, e.restApiId.path, e.restApiId.loc);
        const apis = model.resources.filter((x) => x.def.type === API_TYPE).map((x) => x.def.logicalId);
        throw new TemplateError(`RestApiId must be !Ref to an AWS::Serverless::Api in this template${name ? didYouMean(name, apis) : ''}`, e.restApiId.path, e.restApiId.loc);
      }
      apiLogicalId = name;
    }
    const pathNode = get(props, 'Path');
    const methodNode = get(props, 'Method');
    if (!pathNode) throw new TemplateError('an Api event needs a Path', `${e.path}.Properties`, e.loc);
    if (!methodNode) throw new TemplateError('an Api event needs a Method', `${e.path}.Properties`, e.loc);
    const resourcePath = String(evaluateValue(pathNode, scope));
    if (!/^\/(([A-Za-z0-9._~:@!$&'()*+,;=-]+|\{[A-Za-z0-9._-]+\+?\})(\/([A-Za-z0-9._~:@!$&'()*+,;=-]+|\{[A-Za-z0-9._-]+\+?\}))*\/?)?$/.test(resourcePath)) {
      throw new TemplateError(`Path '${resourcePath}' is not an API path such as /hello, /items/{id} or /{proxy+}`, pathNode.path, pathNode.loc);
    }
    const greedy = resourcePath.indexOf('+}');
    if (greedy >= 0 && greedy !== resourcePath.replace(/\/$/, '').length - 2) {
      throw new TemplateError(`a greedy path variable ({name+}) must be the last part of the path '${resourcePath}'`, pathNode.path, pathNode.loc);
    }
    const method = String(evaluateValue(methodNode, scope)).toUpperCase();
    if (!['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'].includes(method)) {
      throw new TemplateError(`Method '${method}' is not an HTTP method (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY)`, methodNode.path, methodNode.loc);
    }
    const timeoutNode = get(props, 'TimeoutInMillis');
    let timeoutInMillis: number | undefined;
    if (timeoutNode) {
      timeoutInMillis = Number(evaluateValue(timeoutNode, scope));
      if (!Number.isInteger(timeoutInMillis) || timeoutInMillis < 50 || timeoutInMillis > 29000) {
        throw new TemplateError('TimeoutInMillis is a whole number from 50 to 29000', timeoutNode.path, timeoutNode.loc);
      }
    }
    const auth = get(props, 'Auth');
    const authorizerNode = auth?.kind === 'map' ? get(auth, 'Authorizer') : undefined;
    let authorizer: ApiEventSpec['authorizer'];
    if (authorizerNode) {
      const name = evaluateValue(authorizerNode, scope);
      if (typeof name !== 'string' || !name) throw new TemplateError("Authorizer is the name of one of the API's Auth.Authorizers, or NONE", authorizerNode.path, authorizerNode.loc);
      authorizer = { name, loc: authorizerNode.loc, path: authorizerNode.path };
    }
    const apiKeyRequired = auth?.kind === 'map' ? booleanAt(auth, 'ApiKeyRequired', scope) : undefined;
    const spec: ApiEventSpec = {
      name: e.name, apiLogicalId, resourcePath: resourcePath.length > 1 ? resourcePath.replace(/\/$/, '') : resourcePath, method, timeoutInMillis, authorizer, apiKeyRequired, loc: e.loc, path: e.path,
    };
    if (auth?.kind === 'map' && get(auth, 'AuthorizationScopes')) {
      const scopes = scopeList(auth, 'AuthorizationScopes', new Reader(scope));
      if (scopes) spec.authorizationScopes = scopes;
    }
    const policyNode = auth?.kind === 'map' ? get(auth, 'ResourcePolicy') : undefined;
    if (policyNode) spec.resourcePolicy = resourcePolicySpec(evaluateValue(policyNode, scope), (m) => { throw new TemplateError(m, policyNode.path, policyNode.loc); });
    const modelNode = get(props, 'RequestModel');
    if (modelNode) spec.requestModel = requestModelSpec(modelNode, scope);
    const parametersNode = get(props, 'RequestParameters');
    if (parametersNode) {
      const { parameters, caching } = requestParametersSpec(parametersNode, scope);
      spec.requestParameters = parameters;
      if (caching.length) spec.cacheKeyParameters = caching;
    }
    out.push(spec);
  }
  return out;
}
