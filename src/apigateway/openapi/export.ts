// GetExport: a stage's deployed snapshot written back as Swagger 2.0 or OpenAPI 3.0.1, in the
// shape AWS exports (checked against recorded exports): parameters from request parameters, body
// and response models as `$ref`s to definitions / components.schemas, and, when asked for, the
// x-amazon-apigateway-* extensions (integrations, authorizers, and with `apigateway` everything).
import type { IntegrationResponse } from '../../aws/generated/apigateway.js';
import type { DeploymentSnapshot, MethodRecord, ModelRecord, RestApiRecord } from '../../store/apigateway-store.js';
import { referencedModel } from '../model-schema.js';
import { parseShallowJson } from '../../core/json-depth.js';
import type { Json, JsonObject } from './document.js';

export type ExportType = 'swagger' | 'oas30';
/**
 * `extensions` values: integrations, authorizers, apigateway (all of API Gateway's), documentation
 * (the stage's documentation version, documentation-export.ts), postman (accepted, adds nothing).
 */
export type Extension = 'integrations' | 'authorizers' | 'apigateway' | 'documentation' | 'postman';

export interface ExportRequest {
  api: RestApiRecord;
  stageName: string;
  snapshot: DeploymentSnapshot;
  /** The document's info.version when the API has none (AWS puts the deployment's date). */
  deployedAt: number;
  type: ExportType;
  extensions: ReadonlySet<Extension>;
}

const API_KEY_SCHEME = 'api_key';
const REQUEST_PARAMETER = /^method\.request\.(path|querystring|header)\.(.+)$/;
const IN: Record<string, string> = { path: 'path', querystring: 'query', header: 'header' };

/** The version the export is named by: the API's, or its deployment date as AWS writes it. */
export const exportVersion = (api: RestApiRecord, deployedAt: number): string => api.version ?? new Date(deployedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function exportDocument(request: ExportRequest): JsonObject {
  const { api, snapshot, type, extensions } = request;
  const oas3 = type === 'oas30';
  const all = extensions.has('apigateway');
  const withIntegrations = all || extensions.has('integrations');
  const withAuthorizers = all || extensions.has('authorizers');
  const modelRef = (name: string) => ({ $ref: oas3 ? `#/components/schemas/${name}` : `#/definitions/${name}` });
  const models = snapshot.models ?? {};
  const used = new Set<string>();
  const validatorNames = new Map(Object.values(snapshot.requestValidators ?? {}).map((v) => [v.id, v.name ?? v.id]));
  const authorizers = snapshot.authorizers ?? {};
  const schemes: JsonObject = {};

  const operation = (method: MethodRecord): JsonObject => {
    const op: JsonObject = {};
    if (method.operationName) op.operationId = method.operationName;
    const integration = method.methodIntegration;
    const requestTypes = Object.keys(method.requestModels ?? {});
    if (!oas3) {
      const consumes = [...new Set([...requestTypes, ...Object.keys(integration?.requestTemplates ?? {})])];
      const produces = [...new Set([
        ...Object.values(method.methodResponses ?? {}).flatMap((r) => Object.keys(r.responseModels ?? {})),
        ...Object.values(integration?.integrationResponses ?? {}).flatMap((r) => Object.keys(r.responseTemplates ?? {})),
      ])];
      if (consumes.length) op.consumes = consumes;
      if (produces.length) op.produces = produces;
    }
    const parameters: Json[] = [];
    for (const [key, required] of Object.entries(method.requestParameters ?? {})) {
      const m = REQUEST_PARAMETER.exec(key);
      if (!m) continue;
      const p: JsonObject = { name: m[2], in: IN[m[1]] };
      if (oas3) {
        if (required || m[1] === 'path') p.required = true;
        p.schema = { type: 'string' };
      } else {
        p.required = required || m[1] === 'path';
        p.type = 'string';
      }
      parameters.push(p);
    }
    if (!oas3) {
      for (const name of Object.values(method.requestModels ?? {})) {
        used.add(name);
        parameters.push({ in: 'body', name, required: true, schema: modelRef(name) });
      }
    }
    if (parameters.length) op.parameters = parameters;
    if (oas3 && requestTypes.length) {
      op.requestBody = {
        content: Object.fromEntries(Object.entries(method.requestModels!).map(([ct, name]) => (used.add(name), [ct, { schema: modelRef(name) }]))),
        required: true,
      };
    }
    const responses: JsonObject = {};
    for (const [code, r] of Object.entries(method.methodResponses ?? {})) {
      const response: JsonObject = { description: `${code} response` };
      const headers = Object.keys(r.responseParameters ?? {}).map((k) => k.replace(/^method\.response\.header\./, ''));
      const entries = Object.entries(r.responseModels ?? {});
      for (const [, name] of entries) used.add(name);
      if (!oas3 && entries.length) response.schema = modelRef(entries[0][1]);
      if (headers.length) response.headers = Object.fromEntries(headers.map((h): [string, Json] => [h, oas3 ? { schema: { type: 'string' } } : { type: 'string' }]));
      if (oas3) response.content = Object.fromEntries(entries.map(([ct, name]) => [ct, { schema: modelRef(name) }]));
      responses[code] = response;
    }
    op.responses = responses;
    const security = securityOf(method);
    if (security.length) op.security = security;
    if (all && method.requestValidatorId && validatorNames.has(method.requestValidatorId)) {
      op['x-amazon-apigateway-request-validator'] = validatorNames.get(method.requestValidatorId)!;
    }
    if (withIntegrations && integration) op['x-amazon-apigateway-integration'] = integrationExtension(method);
    return op;
  };

  /** The operation's security requirements, declaring the schemes they name. */
  const securityOf = (method: MethodRecord): Json[] => {
    const out: Json[] = [];
    if (method.apiKeyRequired) {
      schemes[API_KEY_SCHEME] = { type: 'apiKey', name: 'x-api-key', in: 'header' };
      out.push({ [API_KEY_SCHEME]: [] });
    }
    const authorizer = method.authorizerId ? authorizers[method.authorizerId] : undefined;
    if (authorizer && (method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS')) {
      const header = /^method\.request\.header\.(.+)$/.exec(authorizer.identitySource ?? '')?.[1] ?? 'Unused';
      const scheme: JsonObject = { type: 'apiKey', name: header, in: 'header' };
      if (authorizer.authType) scheme['x-amazon-apigateway-authtype'] = authorizer.authType;
      if (withAuthorizers) {
        const spec: JsonObject = { type: authorizer.type.toLowerCase() };
        if (authorizer.providerARNs?.length) spec.providerARNs = [...authorizer.providerARNs];
        for (const key of ['authorizerUri', 'authorizerCredentials', 'identitySource', 'identityValidationExpression'] as const) {
          if (authorizer[key] !== undefined) spec[key] = authorizer[key]!;
        }
        if (authorizer.authorizerResultTtlInSeconds !== undefined) spec.authorizerResultTtlInSeconds = authorizer.authorizerResultTtlInSeconds;
        scheme['x-amazon-apigateway-authorizer'] = spec;
      }
      schemes[authorizer.name] = scheme;
      out.push({ [authorizer.name]: [...(method.authorizationScopes ?? [])] });
    } else if (method.authorizationType === 'AWS_IAM') {
      schemes.sigv4 = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
      out.push({ sigv4: [] });
    }
    return out;
  };

  const paths: JsonObject = {};
  for (const resource of snapshot.resources) {
    const methods = Object.values(resource.resourceMethods);
    if (!methods.length) continue;
    paths[resource.path] = Object.fromEntries(methods.map((m) => [m.httpMethod === 'ANY' ? 'x-amazon-apigateway-any-method' : m.httpMethod.toLowerCase(), operation(m)]));
  }
  const schemas = exportedModels(models, used, api.id, modelRef);

  const info: JsonObject = oas3 ? { title: api.name } : {};
  if (api.description !== undefined) info.description = api.description;
  info.version = exportVersion(api, request.deployedAt);
  if (!oas3) info.title = api.name;
  const host = `${api.id}.execute-api.${api.region}.amazonaws.com`;
  const doc: JsonObject = oas3
    ? {
      openapi: '3.0.1', info,
      servers: [{ url: `https://${host}/{basePath}`, variables: { basePath: { default: request.stageName } } }],
      paths,
      components: { ...(Object.keys(schemas).length ? { schemas } : {}), ...(Object.keys(schemes).length ? { securitySchemes: schemes } : {}) },
    }
    : {
      swagger: '2.0', info, host, basePath: `/${request.stageName}`, schemes: ['https'], paths,
      ...(Object.keys(schemes).length ? { securityDefinitions: schemes } : {}),
      ...(Object.keys(schemas).length ? { definitions: schemas } : {}),
    };
  if (all) Object.assign(doc, apiExtensions(snapshot));
  return doc;
}

/** The models the methods name, with those they refer to, their references written as document pointers. */
function exportedModels(models: Record<string, ModelRecord>, used: Set<string>, apiId: string, modelRef: (name: string) => { $ref: string }): JsonObject {
  const out: JsonObject = {};
  const pending = [...used];
  while (pending.length) {
    const name = pending.shift()!;
    const model = models[name];
    if (!model || name in out) continue;
    let schema: Json;
    try {
      schema = JSON.parse(model.schema) as Json;
    } catch {
      continue;
    }
    const rewrite = (value: Json): Json => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value === null || typeof value !== 'object') return value;
      const copy: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === '$schema') continue;
        const target = k === '$ref' && typeof v === 'string' ? referencedModel(v, apiId) ?? /\/models\/([^/#?]+)$/.exec(v)?.[1] : undefined;
        if (target !== undefined) {
          pending.push(target);
          copy[k] = modelRef(target).$ref;
        } else copy[k] = rewrite(v);
      }
      return copy;
    };
    out[name] = rewrite(schema);
  }
  return out;
}

/** x-amazon-apigateway-integration as AWS exports it: lower-case type and passthrough, responses by selection pattern. */
function integrationExtension(method: MethodRecord): JsonObject {
  const i = method.methodIntegration!;
  const out: JsonObject = { type: (i.type ?? 'MOCK').toLowerCase() };
  if (i.httpMethod) out.httpMethod = i.httpMethod;
  if (i.uri) out.uri = i.uri;
  if (i.credentials) out.credentials = i.credentials;
  if (i.connectionType === 'VPC_LINK') {
    out.connectionType = 'VPC_LINK';
    if (i.connectionId) out.connectionId = i.connectionId;
  }
  const responses: JsonObject = {};
  for (const r of Object.values(i.integrationResponses ?? {}) as IntegrationResponse[]) {
    const response: JsonObject = { statusCode: r.statusCode ?? '200' };
    if (r.responseParameters && Object.keys(r.responseParameters).length) response.responseParameters = { ...r.responseParameters };
    if (r.responseTemplates && Object.keys(r.responseTemplates).length) response.responseTemplates = { ...r.responseTemplates };
    if (r.contentHandling) response.contentHandling = r.contentHandling;
    responses[r.selectionPattern ?? 'default'] = response;
  }
  if (Object.keys(responses).length) out.responses = responses;
  if (i.requestParameters && Object.keys(i.requestParameters).length) out.requestParameters = { ...i.requestParameters };
  if (i.requestTemplates && Object.keys(i.requestTemplates).length) out.requestTemplates = { ...i.requestTemplates };
  if (i.passthroughBehavior) out.passthroughBehavior = i.passthroughBehavior.toLowerCase();
  if (i.contentHandling) out.contentHandling = i.contentHandling;
  if (i.timeoutInMillis !== undefined && i.timeoutInMillis !== 29000) out.timeoutInMillis = i.timeoutInMillis;
  if (i.cacheKeyParameters?.length) out.cacheKeyParameters = [...i.cacheKeyParameters];
  if (i.responseTransferMode === 'STREAM') out.responseTransferMode = 'STREAM';
  return out;
}

/** The API-level extensions `extensions=apigateway` adds. */
function apiExtensions(snapshot: DeploymentSnapshot): JsonObject {
  const out: JsonObject = {};
  if (snapshot.api.binaryMediaTypes.length) out['x-amazon-apigateway-binary-media-types'] = [...snapshot.api.binaryMediaTypes];
  if (snapshot.api.apiKeySource !== 'HEADER') out['x-amazon-apigateway-api-key-source'] = snapshot.api.apiKeySource;
  if (snapshot.api.minimumCompressionSize !== undefined) out['x-amazon-apigateway-minimum-compression-size'] = snapshot.api.minimumCompressionSize;
  if (snapshot.api.policy) {
    try {
      out['x-amazon-apigateway-policy'] = parseShallowJson(snapshot.api.policy) as Json;
    } catch {
      out['x-amazon-apigateway-policy'] = snapshot.api.policy;
    }
  }
  const validators = Object.values(snapshot.requestValidators ?? {});
  if (validators.length) {
    out['x-amazon-apigateway-request-validators'] = Object.fromEntries(validators.map((v) => [v.name ?? v.id, {
      validateRequestBody: v.validateRequestBody, validateRequestParameters: v.validateRequestParameters,
    }]));
  }
  const responses = Object.values(snapshot.gatewayResponses ?? {});
  if (responses.length) {
    out['x-amazon-apigateway-gateway-responses'] = Object.fromEntries(responses.map((g) => [g.responseType, {
      ...(g.statusCode ? { statusCode: g.statusCode } : {}), responseParameters: { ...g.responseParameters }, responseTemplates: { ...g.responseTemplates },
    }]));
  }
  return out;
}
