// An OpenAPI document (with API Gateway's x-amazon-apigateway-* extensions) turned into what a REST
// API holds: API settings, methods by full path, models, authorizers, request validators and gateway
// responses. An imported API has only the models the document defines (no built-in Empty or
// Error, as recorded). Pure: nothing is written here, so a document that fails anywhere creates nothing.
// Each method and integration passes the same checks PutMethod and PutIntegration apply; a failure
// is reported as AWS reports import errors ("Errors found during import: …").
import type { Integration, IntegrationResponse, MethodResponse } from '../../aws/generated/apigateway.js';
import type {
  AuthorizerRecord, GatewayResponseRecord, MethodRecord, ModelRecord, RequestValidatorRecord,
} from '../../store/apigateway-store.js';
import { AwsError } from '../../core/errors.js';
import { badRequest } from '../errors.js';
import { checkAuthorizer } from '../authorizer-rules.js';
import { RESPONSE_TYPES, newGatewayResponse, type ResponseType } from '../gateway-responses.js';
import { checkModelSchema, modelUri } from '../model-schema.js';
import { checkIntegration, checkIntegrationResponse } from '../handlers/integrations.js';
import { checkResponseParameters, finishMethod } from '../handlers/methods.js';
import {
  isObject, modelNameOf, pathPrefix, resolve, schemasOf, securitySchemesOf, type Json, type JsonObject, type OpenApiDocument,
} from './document.js';

export interface ImportOptions {
  /** The API the models' `$ref`s will name. */
  apiId: string;
  /** ImportRestApi's `basepath` parameter: ignore (default), prepend or split. */
  basepath?: string;
  /** The id for an authorizer or request validator of this name (PutRestApi in merge mode keeps existing ones). */
  idFor(kind: 'authorizer' | 'validator' | 'model', name: string): string;
}

export interface ImportedApi {
  name?: string;
  description?: string;
  version?: string;
  binaryMediaTypes: string[];
  apiKeySource?: 'HEADER' | 'AUTHORIZER';
  /** x-amazon-apigateway-policy, as the JSON text UpdateRestApi would take. */
  policy?: string;
  minimumCompressionSize?: number;
  /** x-amazon-apigateway-endpoint-configuration's disableExecuteApiEndpoint. */
  disableExecuteApiEndpoint?: boolean;
  /** Every resource path the document needs (with the base path applied), parents included, sorted. */
  paths: string[];
  /** Methods by full resource path (integrations' cacheNamespace is set when resource ids are known). */
  methods: { path: string; method: MethodRecord }[];
  models: ModelRecord[];
  authorizers: AuthorizerRecord[];
  requestValidators: RequestValidatorRecord[];
  gatewayResponses: GatewayResponseRecord[];
  warnings: string[];
}

const OPERATIONS: Record<string, string> = {
  get: 'GET', put: 'PUT', post: 'POST', delete: 'DELETE', patch: 'PATCH', options: 'OPTIONS', head: 'HEAD', 'x-amazon-apigateway-any-method': 'ANY',
};
const PATH_PART = /^(?:[a-zA-Z0-9._:-]+|\{[a-zA-Z0-9._-]+\+?\})$/;
const LOCATIONS: Record<string, string> = { path: 'path', query: 'querystring', header: 'header' };

/** AWS's wording for a document it cannot import. */
export const importErrors = (errors: string[]) => badRequest(`Errors found during import:\n\t${errors.join('\n\t')}`);
export const importWarnings = (warnings: string[]) => badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`);

const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.map(str).filter((s): s is string => s !== undefined) : []);
const upper = (v: Json | undefined): string | undefined => str(v)?.toUpperCase();

/** A map of strings; values of other types are dropped with AWS's warning. */
function stringMap(value: Json | undefined, what: string, where: string, warnings: string[]): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (isObject(v) || Array.isArray(v)) out[k] = JSON.stringify(v);
    else warnings.push(`Invalid format for '${what}'. Expected type string for property '${k}' of ${where} but got '${String(v)}'`);
  }
  return Object.keys(out).length ? out : undefined;
}

/** Rewrites local schema references to the canonical model URLs API Gateway uses (as AWS does on import). */
function rebaseLocalRefs(schema: Json, apiId: string, known: Set<string>, missing: Set<string>): Json {
  if (Array.isArray(schema)) return schema.map((v) => rebaseLocalRefs(v, apiId, known, missing));
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(schema)) {
    const name = k === '$ref' ? modelNameOf(schema) : undefined;
    if (name !== undefined) {
      if (!known.has(name)) missing.add(name);
      out[k] = modelUri(apiId, name);
    } else out[k] = rebaseLocalRefs(v, apiId, known, missing);
  }
  return out;
}

function importModels(doc: OpenApiDocument, options: ImportOptions, errors: string[]): ModelRecord[] {
  const schemas = schemasOf(doc);
  const known = new Set(Object.keys(schemas));
  const models: ModelRecord[] = [];
  for (const [name, raw] of Object.entries(schemas)) {
    const missing = new Set<string>();
    const schema = rebaseLocalRefs(raw, options.apiId, known, missing);
    const model: ModelRecord = { id: options.idFor('model', name), name, schema: JSON.stringify(schema), contentType: 'application/json' };
    if (isObject(raw) && typeof raw.description === 'string') model.description = raw.description;
    try {
      if (missing.size) throw badRequest(`Invalid model specified: ${[...missing].join(', ')}`);
      checkModelSchema(model.schema, options.apiId, name, (n) => known.has(n));
    } catch (e) {
      errors.push(`Unable to create model for '${name}': ${messageOf(e)}`);
    }
    models.push(model);
  }
  return models;
}

function importAuthorizers(doc: OpenApiDocument, options: ImportOptions, errors: string[]): AuthorizerRecord[] {
  const authorizers: AuthorizerRecord[] = [];
  for (const [name, scheme] of Object.entries(securitySchemesOf(doc))) {
    if (!isObject(scheme) || !isObject(scheme['x-amazon-apigateway-authorizer'])) continue;
    const spec = scheme['x-amazon-apigateway-authorizer'];
    const type = (upper(spec.type) ?? 'TOKEN') as AuthorizerRecord['type'];
    const a: AuthorizerRecord = { id: options.idFor('authorizer', name), name, type };
    const providers = strings(spec.providerARNs);
    if (providers.length) a.providerARNs = providers;
    const authType = str(scheme['x-amazon-apigateway-authtype']);
    if (authType !== undefined) a.authType = authType;
    for (const key of ['authorizerUri', 'authorizerCredentials', 'identityValidationExpression'] as const) {
      const value = str(spec[key]);
      if (value !== undefined) a[key] = value;
    }
    const headerName = scheme.in === 'header' ? str(scheme.name) : undefined;
    const identitySource = str(spec.identitySource) ?? (type !== 'REQUEST' && headerName ? `method.request.header.${headerName}` : undefined);
    if (identitySource !== undefined) a.identitySource = identitySource;
    if (typeof spec.authorizerResultTtlInSeconds === 'number') a.authorizerResultTtlInSeconds = spec.authorizerResultTtlInSeconds;
    try {
      if (!['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'].includes(type)) throw badRequest(`Invalid authorizer type specified: ${type}`);
      checkAuthorizer(a);
    } catch (e) {
      errors.push(`Unable to create authorizer '${name}': ${messageOf(e)}`);
    }
    authorizers.push(a);
  }
  return authorizers;
}

function importValidators(doc: OpenApiDocument, options: ImportOptions): RequestValidatorRecord[] {
  const declared = doc.root['x-amazon-apigateway-request-validators'];
  if (!isObject(declared)) return [];
  return Object.entries(declared).map(([name, v]) => ({
    id: options.idFor('validator', name),
    name,
    validateRequestBody: isObject(v) && v.validateRequestBody === true,
    validateRequestParameters: isObject(v) && v.validateRequestParameters === true,
  }));
}

function importGatewayResponses(doc: OpenApiDocument, errors: string[], warnings: string[]): GatewayResponseRecord[] {
  const declared = doc.root['x-amazon-apigateway-gateway-responses'];
  if (!isObject(declared)) return [];
  const out: GatewayResponseRecord[] = [];
  for (const [type, spec] of Object.entries(declared)) {
    if (!(RESPONSE_TYPES as string[]).includes(type)) {
      errors.push(`Invalid gateway response type specified: ${type}`);
      continue;
    }
    const given = isObject(spec) ? spec : {};
    const where = `gateway response '${type}'`;
    out.push(newGatewayResponse(type as ResponseType, {
      statusCode: str(given.statusCode),
      responseParameters: stringMap(given.responseParameters, 'responseParameters', where, warnings),
      responseTemplates: stringMap(given.responseTemplates, 'responseTemplates', where, warnings),
    }));
  }
  return out;
}

interface Context {
  doc: OpenApiDocument;
  schemes: JsonObject;
  authorizerIds: Map<string, AuthorizerRecord>;
  validatorIds: Map<string, string>;
  errors: string[];
  warnings: string[];
}

/** The first media type listed (2.0's consumes/produces), application/json when none. */
const firstMediaType = (own: Json | undefined, global: Json | undefined): string => strings(own)[0] ?? strings(global)[0] ?? 'application/json';

function requestSettings(c: Context, method: MethodRecord, operation: JsonObject, pathParameters: Json | undefined): void {
  const params = new Map<string, JsonObject>();
  for (const raw of [...(Array.isArray(pathParameters) ? pathParameters : []), ...(Array.isArray(operation.parameters) ? operation.parameters : [])]) {
    const p = resolve(c.doc, raw);
    if (isObject(p) && typeof p.name === 'string' && typeof p.in === 'string') params.set(`${p.in}:${p.name}`, p);
  }
  const requestParameters: Record<string, boolean> = {};
  const requestModels: Record<string, string> = {};
  for (const p of params.values()) {
    const location = LOCATIONS[p.in as string];
    if (location) requestParameters[`method.request.${location}.${p.name}`] = p.required === true;
    else if (p.in === 'body') {
      const model = modelNameOf(p.schema);
      if (model) requestModels[firstMediaType(operation.consumes, c.doc.root.consumes)] = model;
    }
  }
  const body = resolve(c.doc, operation.requestBody);
  if (isObject(body) && isObject(body.content)) {
    for (const [mediaType, content] of Object.entries(body.content)) {
      const model = isObject(content) ? modelNameOf(content.schema) : undefined;
      if (model) requestModels[mediaType] = model;
    }
  }
  if (Object.keys(requestParameters).length) method.requestParameters = requestParameters;
  if (Object.keys(requestModels).length) method.requestModels = requestModels;
}

function methodResponses(c: Context, operation: JsonObject): Record<string, MethodResponse> | undefined {
  if (!isObject(operation.responses)) return undefined;
  const out: Record<string, MethodResponse> = {};
  for (const [code, raw] of Object.entries(operation.responses)) {
    if (!/^[1-5]\d\d$/.test(code)) continue;
    const spec = resolve(c.doc, raw);
    const response: MethodResponse = { statusCode: code };
    if (isObject(spec) && isObject(spec.headers) && Object.keys(spec.headers).length) {
      response.responseParameters = Object.fromEntries(Object.keys(spec.headers).map((h) => [`method.response.header.${h}`, false]));
    }
    const models: Record<string, string> = {};
    if (isObject(spec) && spec.schema !== undefined) {
      const model = modelNameOf(spec.schema);
      if (model) models[firstMediaType(operation.produces, c.doc.root.produces)] = model;
    }
    if (isObject(spec) && isObject(spec.content)) {
      for (const [mediaType, content] of Object.entries(spec.content)) {
        const model = isObject(content) ? modelNameOf(content.schema) : undefined;
        if (model) models[mediaType] = model;
      }
    }
    if (Object.keys(models).length) response.responseModels = models;
    out[code] = response;
  }
  return Object.keys(out).length ? out : undefined;
}

/** authorizationType, authorizer, scopes and apiKeyRequired from the operation's (or the document's) security requirements. */
function authorization(c: Context, method: MethodRecord, operation: JsonObject): void {
  const requirements = Array.isArray(operation.security) ? operation.security : Array.isArray(c.doc.root.security) ? c.doc.root.security : [];
  for (const requirement of requirements) {
    if (!isObject(requirement)) continue;
    for (const [name, scopes] of Object.entries(requirement)) {
      const scheme = c.schemes[name];
      if (!isObject(scheme)) {
        c.errors.push(`Security scheme '${name}' is not defined`);
        continue;
      }
      const authorizer = c.authorizerIds.get(name);
      if (authorizer) {
        method.authorizationType = authorizer.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
        method.authorizerId = authorizer.id;
        const listed = strings(scopes);
        if (authorizer.type === 'COGNITO_USER_POOLS' && listed.length) method.authorizationScopes = listed;
      } else if (str(scheme['x-amazon-apigateway-authtype'])?.toLowerCase() === 'awssigv4') {
        method.authorizationType = 'AWS_IAM';
      } else if (scheme.type === 'apiKey') {
        method.apiKeyRequired = true;
      }
    }
  }
}

function integrationResponses(c: Context, spec: Json | undefined, where: string): Record<string, IntegrationResponse> | undefined {
  if (!isObject(spec)) return undefined;
  const out: Record<string, IntegrationResponse> = {};
  for (const [pattern, raw] of Object.entries(spec)) {
    if (!isObject(raw)) continue;
    const statusCode = str(raw.statusCode) ?? '200';
    const response: IntegrationResponse = { statusCode };
    if (pattern !== 'default') response.selectionPattern = pattern;
    const parameters = stringMap(raw.responseParameters, 'responseParameters', where, c.warnings);
    if (parameters) response.responseParameters = parameters;
    const templates = stringMap(raw.responseTemplates, 'responseTemplates', where, c.warnings);
    if (templates) response.responseTemplates = templates;
    const handling = upper(raw.contentHandling);
    if (handling) response.contentHandling = handling as IntegrationResponse['contentHandling'];
    checkIntegrationResponse(response);
    out[statusCode] = response;
  }
  return Object.keys(out).length ? out : undefined;
}

function integration(c: Context, method: MethodRecord, spec: JsonObject, where: string): Integration {
  const type = (upper(spec.type) ?? '') as NonNullable<Integration['type']>;
  if (!['HTTP', 'AWS', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY'].includes(type)) {
    throw badRequest(`Invalid integration type specified: ${str(spec.type) ?? 'null'}. Valid options are HTTP,AWS,MOCK,HTTP_PROXY,AWS_PROXY`);
  }
  const i: Integration = { type };
  const httpMethod = upper(spec.httpMethod);
  if (httpMethod) i.httpMethod = httpMethod;
  const uri = str(spec.uri);
  if (type !== 'MOCK' && uri !== undefined) i.uri = uri;
  const connectionType = upper(spec.connectionType);
  if (type === 'HTTP' || type === 'HTTP_PROXY') i.connectionType = (connectionType ?? 'INTERNET') as Integration['connectionType'];
  else if (connectionType) i.connectionType = connectionType as Integration['connectionType'];
  const connectionId = str(spec.connectionId);
  if (connectionId !== undefined) i.connectionId = connectionId;
  const credentials = str(spec.credentials);
  if (credentials !== undefined) i.credentials = credentials;
  const requestParameters = stringMap(spec.requestParameters, 'requestParameters', where, c.warnings);
  if (requestParameters) i.requestParameters = requestParameters;
  const requestTemplates = stringMap(spec.requestTemplates, 'requestTemplates', where, c.warnings);
  if (requestTemplates) i.requestTemplates = requestTemplates;
  i.passthroughBehavior = upper(spec.passthroughBehavior) ?? 'WHEN_NO_MATCH';
  const handling = upper(spec.contentHandling);
  if (handling) i.contentHandling = handling as Integration['contentHandling'];
  i.timeoutInMillis = typeof spec.timeoutInMillis === 'number' ? spec.timeoutInMillis : 29000;
  const cacheNamespace = str(spec.cacheNamespace);
  if (cacheNamespace !== undefined) i.cacheNamespace = cacheNamespace;
  i.cacheKeyParameters = strings(spec.cacheKeyParameters);
  if (isObject(spec.tlsConfig)) i.tlsConfig = { insecureSkipVerification: spec.tlsConfig.insecureSkipVerification === true };
  const transferMode = upper(spec.responseTransferMode);
  if (transferMode) i.responseTransferMode = transferMode as Integration['responseTransferMode'];
  checkIntegration(i, method);
  const responses = integrationResponses(c, spec.responses, where);
  if (responses) i.integrationResponses = responses;
  return i;
}

function importMethod(c: Context, path: string, httpMethod: string, operation: JsonObject, pathItem: JsonObject): MethodRecord | undefined {
  const method: MethodRecord = { httpMethod, authorizationType: 'NONE', apiKeyRequired: false };
  const where = `resource '${path}' and method '${httpMethod}'`;
  try {
    authorization(c, method, operation);
    const operationId = str(operation.operationId);
    if (operationId !== undefined) method.operationName = operationId;
    requestSettings(c, method, operation, pathItem.parameters);
    const validator = str(operation['x-amazon-apigateway-request-validator']) ?? str(c.doc.root['x-amazon-apigateway-request-validator']);
    if (validator !== undefined) {
      const id = c.validatorIds.get(validator);
      if (!id) throw badRequest(`Invalid request validator name specified: ${validator}`);
      method.requestValidatorId = id;
    }
    const responses = methodResponses(c, operation);
    if (responses) {
      for (const r of Object.values(responses)) checkResponseParameters(r.responseParameters);
      method.methodResponses = responses;
    }
    finishMethod(method);
  } catch (e) {
    c.errors.push(`Unable to put method '${httpMethod}' on resource at path '${path}': ${messageOf(e)}`);
    return undefined;
  }
  const spec = operation['x-amazon-apigateway-integration'];
  if (isObject(spec)) {
    try {
      method.methodIntegration = integration(c, method, spec, where);
    } catch (e) {
      c.errors.push(`Unable to put integration on '${httpMethod}' for resource at path '${path}': ${messageOf(e)}`);
    }
  }
  return method;
}

const messageOf = (e: unknown): string => (e instanceof AwsError ? e.message : e instanceof Error ? e.message : String(e));

/** Every prefix of a path, "/" first: "/a/{b}" → ["/", "/a", "/a/{b}"]. */
function withParents(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return ['/', ...parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)];
}

/** The whole document as API Gateway would hold it; throws AWS's import error listing every problem. */
export function importDocument(doc: OpenApiDocument, options: ImportOptions): ImportedApi {
  const errors: string[] = [];
  const warnings: string[] = [];
  const info = isObject(doc.root.info) ? doc.root.info : {};
  const prefix = pathPrefix(doc, options.basepath);
  const authorizers = importAuthorizers(doc, options, errors);
  const requestValidators = importValidators(doc, options);
  const c: Context = {
    doc,
    schemes: securitySchemesOf(doc),
    authorizerIds: new Map(authorizers.map((a) => [a.name, a])),
    validatorIds: new Map(requestValidators.map((v) => [v.name!, v.id])),
    errors,
    warnings,
  };
  const models = importModels(doc, options, errors);
  const modelNames = new Set(models.map((m) => m.name));
  const paths = new Set<string>(['/']);
  const methods: ImportedApi['methods'] = [];
  for (const [rawPath, rawItem] of Object.entries(isObject(doc.root.paths) ? doc.root.paths : {})) {
    // A trailing slash names the same resource ("/pets/" is "/pets").
    const parts = `${prefix}${rawPath}`.split('/').slice(1).filter((p, i, all) => p !== '' || i < all.length - 1);
    const path = `/${parts.join('/')}`;
    const bad = !rawPath.startsWith('/') || parts.some((p, i) => !PATH_PART.test(p) || (p.endsWith('+}') && i < parts.length - 1));
    if (bad) {
      errors.push(`Invalid resource path specified: ${rawPath}. Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.`);
      continue;
    }
    for (const p of withParents(path)) paths.add(p);
    const item = resolve(doc, rawItem);
    if (!isObject(item)) continue;
    for (const [key, operation] of Object.entries(item)) {
      const httpMethod = OPERATIONS[key.toLowerCase()];
      if (!httpMethod || !isObject(operation)) continue;
      const method = importMethod(c, path, httpMethod, operation, item);
      if (!method) continue;
      const named = [...Object.values(method.requestModels ?? {}), ...Object.values(method.methodResponses ?? {}).flatMap((r) => Object.values(r.responseModels ?? {}))];
      for (const name of named) if (!modelNames.has(name)) errors.push(`Invalid model identifier specified: ${name}`);
      methods.push({ path, method });
    }
  }
  if (errors.length) throw importErrors(errors);

  const result: ImportedApi = {
    binaryMediaTypes: [...new Set(strings(doc.root['x-amazon-apigateway-binary-media-types']))],
    paths: [...paths].sort(),
    methods,
    models,
    authorizers,
    requestValidators,
    gatewayResponses: importGatewayResponses(doc, errors, warnings),
    warnings,
  };
  if (errors.length) throw importErrors(errors);
  const name = str(info.title);
  if (name) result.name = name;
  const description = str(info.description);
  if (description) result.description = description;
  const version = str(info.version);
  if (version) result.version = version;
  const source = upper(doc.root['x-amazon-apigateway-api-key-source']);
  if (source === 'HEADER' || source === 'AUTHORIZER') result.apiKeySource = source;
  else if (source !== undefined) throw importErrors([`Invalid API key source specified: ${source}. Valid options are HEADER,AUTHORIZER`]);
  const policy = doc.root['x-amazon-apigateway-policy'];
  if (isObject(policy)) result.policy = JSON.stringify(policy);
  else if (typeof policy === 'string') result.policy = policy;
  const compression = doc.root['x-amazon-apigateway-minimum-compression-size'];
  if (typeof compression === 'number') {
    if (!Number.isInteger(compression) || compression < 0 || compression > 10485760) {
      throw importErrors(['Invalid minimum compression size, must be between 0 and 10485760']);
    }
    result.minimumCompressionSize = compression;
  }
  const endpoint = doc.root['x-amazon-apigateway-endpoint-configuration'];
  if (isObject(endpoint) && typeof endpoint.disableExecuteApiEndpoint === 'boolean') result.disableExecuteApiEndpoint = endpoint.disableExecuteApiEndpoint;
  return result;
}
