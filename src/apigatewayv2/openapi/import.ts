// An OpenAPI 3.0 document (with API Gateway's x-amazon-apigateway-* extensions) turned into what an
// HTTP API holds: its settings, routes (paths × operations), Lambda and HTTP proxy integrations and
// JWT and Lambda authorizers. Pure: nothing is written here, so a document that fails anywhere
// creates nothing. Integrations, authorizers and routes pass the checks CreateIntegration,
// CreateAuthorizer and CreateRoute apply; failures are reported together as AWS reports import
// errors ("Errors found during import: …").
import type { Cors } from '../../aws/generated/apigatewayv2.js';
import type { HttpAuthorizerRecord, IntegrationRecord, RouteRecord } from '../../store/httpapi-store.js';
import { AwsError } from '../../core/errors.js';
import { badRequest } from '../../apigateway/errors.js';
import { importErrors } from '../../apigateway/openapi/import.js';
import {
  invalidOpenApi, isObject, pathPrefix, resolve, securitySchemesOf, type Json, type JsonObject, type OpenApiDocument,
} from '../../apigateway/openapi/document.js';
import { integrationFrom } from '../handlers/integrations.js';
import { authorizerFrom, MAX_AUTHORIZERS } from '../handlers/authorizers.js';
import { corsFrom } from '../handlers/apis.js';
import { DEFAULT_ROUTE, parseRouteKey } from '../route-keys.js';

export interface ImportOptions {
  /** ImportApi's `basepath` parameter: ignore (default), prepend or split. */
  basepath?: string;
  newId(kind: 'route' | 'integration' | 'authorizer'): string;
}

export interface ImportedHttpApi {
  name: string;
  description?: string;
  version?: string;
  corsConfiguration?: Cors;
  disableExecuteApiEndpoint?: boolean;
  routes: RouteRecord[];
  integrations: IntegrationRecord[];
  authorizers: HttpAuthorizerRecord[];
  /** Parts that are not valid for an HTTP API and were left out (failOnWarnings refuses the import). */
  warnings: string[];
  /** Valid OpenAPI that HTTP APIs do not use (request validation, models). */
  info: string[];
}

export const OPERATIONS: Record<string, string> = {
  get: 'GET', put: 'PUT', post: 'POST', delete: 'DELETE', patch: 'PATCH', options: 'OPTIONS', head: 'HEAD', 'x-amazon-apigateway-any-method': 'ANY',
};
/** How exports write the `$default` route's path. */
export const DEFAULT_PATH = '/$default';
export const INTEGRATION = 'x-amazon-apigateway-integration';
export const AUTHORIZER = 'x-amazon-apigateway-authorizer';
export const CORS = 'x-amazon-apigateway-cors';
export const IMPORT_EXPORT_VERSION = 'x-amazon-apigateway-importexport-version';
export const DISABLE_EXECUTE_API_ENDPOINT = 'x-amazon-apigateway-disable-execute-api-endpoint';
export const AUTH_TYPE = 'x-amazon-apigateway-authtype';

/** REST API extensions an HTTP API has no use for: left out with a warning. */
const REST_ONLY = [
  'x-amazon-apigateway-api-key-source', 'x-amazon-apigateway-binary-media-types', 'x-amazon-apigateway-gateway-responses',
  'x-amazon-apigateway-request-validators', 'x-amazon-apigateway-policy', 'x-amazon-apigateway-minimum-compression-size',
  'x-amazon-apigateway-documentation',
];

const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
/** A version written as a YAML number (`payloadFormatVersion: 2.0` reads as 2) back as its text. */
const versionText = (v: Json | undefined): string | undefined => (typeof v === 'number' ? v.toFixed(1) : str(v));
const num = (v: Json | undefined): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined);
const strings = (v: Json | undefined): string[] | undefined => (Array.isArray(v) ? v.map(str).filter((s): s is string => s !== undefined) : undefined);
/** A map of strings (parameter mappings), other values read as text. */
const stringMap = (o: JsonObject): Record<string, string> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, str(v) ?? '']));
/** Identity sources, written as a comma-separated string (as AWS exports them) or a list. */
const identitySources = (v: Json | undefined): string[] | undefined => strings(v) ?? str(v)?.split(',').map((s) => s.trim()).filter(Boolean);

/** The document's x-amazon-apigateway-cors as a CorsConfiguration. */
function corsOf(value: Json | undefined): Cors | undefined {
  if (!isObject(value)) return undefined;
  const cors: Cors = {};
  const list = (k: string) => strings(value[k]);
  if (list('allowOrigins')) cors.AllowOrigins = list('allowOrigins');
  if (list('allowMethods')) cors.AllowMethods = list('allowMethods');
  if (list('allowHeaders')) cors.AllowHeaders = list('allowHeaders');
  if (list('exposeHeaders')) cors.ExposeHeaders = list('exposeHeaders');
  if (num(value.maxAge) !== undefined) cors.MaxAge = num(value.maxAge);
  if (typeof value.allowCredentials === 'boolean') cors.AllowCredentials = value.allowCredentials;
  return corsFrom(cors);
}

class Reader {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  readonly info: string[] = [];
  readonly integrations: IntegrationRecord[] = [];
  readonly authorizers = new Map<string, HttpAuthorizerRecord>();
  /** Schemes that name AWS_IAM (`x-amazon-apigateway-authtype: awsSigv4`). */
  readonly sigv4 = new Set<string>();
  /** Integrations by the `$ref` or the settings that define them: routes with the same one share it. */
  readonly #integrationsByKey = new Map<string, IntegrationRecord>();

  constructor(readonly doc: OpenApiDocument, readonly options: ImportOptions) {}

  /** Collects a check's failure as an import error instead of stopping at the first. */
  attempt<T>(where: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      this.errors.push(`${where}: ${e.message}`);
      return undefined;
    }
  }

  readAuthorizers(): void {
    for (const [name, raw] of Object.entries(securitySchemesOf(this.doc))) {
      const scheme = resolve(this.doc, raw);
      if (!isObject(scheme)) continue;
      if (str(scheme[AUTH_TYPE])?.toLowerCase() === 'awssigv4') {
        this.sigv4.add(name);
        continue;
      }
      const spec = resolve(this.doc, scheme[AUTHORIZER]);
      if (!isObject(spec)) continue;
      const type = str(spec.type)?.toLowerCase();
      if (type !== 'jwt' && type !== 'request') {
        this.warnings.push(`Unsupported authorizer type '${str(spec.type)}' for security scheme '${name}': HTTP APIs support jwt and request authorizers. Ignoring.`);
        continue;
      }
      if (this.authorizers.size >= MAX_AUTHORIZERS) {
        this.errors.push(`Unable to create authorizer '${name}': an API can have at most ${MAX_AUTHORIZERS} authorizers`);
        continue;
      }
      const jwt = isObject(spec.jwtConfiguration) ? spec.jwtConfiguration : undefined;
      const authorizer = this.attempt(`Unable to create authorizer '${name}'`, () => authorizerFrom(this.options.newId('authorizer'), {}, {
        Name: name,
        AuthorizerType: type === 'jwt' ? 'JWT' : 'REQUEST',
        IdentitySource: identitySources(spec.identitySource) ?? [],
        JwtConfiguration: jwt && { Issuer: str(jwt.issuer), Audience: strings(jwt.audience) },
        AuthorizerUri: str(spec.authorizerUri),
        AuthorizerPayloadFormatVersion: versionText(spec.authorizerPayloadFormatVersion),
        EnableSimpleResponses: typeof spec.enableSimpleResponses === 'boolean' ? spec.enableSimpleResponses : undefined,
        AuthorizerResultTtlInSeconds: num(spec.authorizerResultTtlInSeconds),
        AuthorizerCredentialsArn: str(spec.authorizerCredentials),
      }));
      if (authorizer) this.authorizers.set(name, authorizer);
    }
  }

  /** The operation's integration (shared with other routes defining the same one), if it has one HTTP APIs support. */
  integrationFor(operation: JsonObject, where: string): IntegrationRecord | undefined {
    const raw = operation[INTEGRATION];
    if (raw === undefined) return undefined;
    const spec = resolve(this.doc, raw);
    if (!isObject(spec)) {
      this.errors.push(`${where}: invalid ${INTEGRATION}`);
      return undefined;
    }
    const type = str(spec.type)?.toUpperCase();
    if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') {
      this.warnings.push(`${where}: unsupported integration type '${str(spec.type)}'. HTTP APIs support only Lambda proxy (aws_proxy) and HTTP proxy (http_proxy) integrations. Ignoring.`);
      return undefined;
    }
    const ref = isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : undefined;
    const byRef = ref !== undefined ? this.#integrationsByKey.get(ref) : undefined;
    if (byRef) return byRef;
    const parameters = isObject(spec.requestParameters) ? spec.requestParameters : undefined;
    const responses = isObject(spec.responseParameters) ? spec.responseParameters : undefined;
    const integration = this.attempt(`Unable to create integration for ${where}`, () => integrationFrom(this.options.newId('integration'), {}, {
      IntegrationType: type,
      IntegrationUri: str(spec.uri),
      IntegrationMethod: str(spec.httpMethod),
      PayloadFormatVersion: versionText(spec.payloadFormatVersion),
      ConnectionType: str(spec.connectionType)?.toUpperCase() as 'INTERNET' | 'VPC_LINK' | undefined,
      ConnectionId: str(spec.connectionId),
      TimeoutInMillis: num(spec.timeoutInMillis),
      CredentialsArn: str(spec.credentials),
      Description: str(spec.description),
      IntegrationSubtype: str(spec.integrationSubtype),
      RequestParameters: parameters && stringMap(parameters),
      ResponseParameters: responses && Object.fromEntries(Object.entries(responses).map(([status, map]) => [status, isObject(map) ? stringMap(map) : {}])),
    }));
    if (!integration) return undefined;
    // Routes whose integrations say the same thing (however spelled) share one.
    const { integrationId: _id, ...settings } = integration;
    const key = ref ?? JSON.stringify(settings);
    const known = this.#integrationsByKey.get(key);
    if (known) return known;
    this.#integrationsByKey.set(key, integration);
    this.integrations.push(integration);
    return integration;
  }

  /** The route's authorization from its (or the document's) first security requirement. */
  authorizationFor(operation: JsonObject, where: string): Pick<RouteRecord, 'authorizationType' | 'authorizerId' | 'authorizationScopes'> {
    const security = operation.security ?? this.doc.root.security;
    const requirement = Array.isArray(security) ? security.find((r) => isObject(r) && Object.keys(r).length > 0) : undefined;
    if (!isObject(requirement)) return { authorizationType: 'NONE' };
    const [name, scopeList] = Object.entries(requirement)[0];
    if (this.sigv4.has(name)) return { authorizationType: 'AWS_IAM' };
    const authorizer = this.authorizers.get(name);
    if (!authorizer) {
      this.warnings.push(`${where}: security scheme '${name}' is not an authorizer of this API (no supported x-amazon-apigateway-authorizer). Ignoring.`);
      return { authorizationType: 'NONE' };
    }
    const scopes = strings(scopeList) ?? [];
    if (authorizer.authorizerType === 'REQUEST') {
      if (scopes.length) this.warnings.push(`${where}: authorization scopes apply only to JWT authorizers. Ignoring scopes for '${name}'.`);
      return { authorizationType: 'CUSTOM', authorizerId: authorizer.authorizerId };
    }
    return { authorizationType: 'JWT', authorizerId: authorizer.authorizerId, ...(scopes.length ? { authorizationScopes: scopes } : {}) };
  }

  readRoutes(): RouteRecord[] {
    const paths = isObject(this.doc.root.paths) ? this.doc.root.paths : {};
    const prefix = pathPrefix(this.doc, this.options.basepath);
    const routes: RouteRecord[] = [];
    const keys = new Set<string>();
    for (const [path, rawItem] of Object.entries(paths)) {
      const item = resolve(this.doc, rawItem);
      if (!isObject(item)) continue;
      for (const [field, rawOperation] of Object.entries(item)) {
        const method = OPERATIONS[field.toLowerCase()];
        if (!method) {
          if (field === 'trace') this.warnings.push(`Unsupported method 'trace' for path '${path}'. Ignoring.`);
          continue;
        }
        const operation = resolve(this.doc, rawOperation);
        if (!isObject(operation)) continue;
        const routeKey = path === DEFAULT_PATH || path === DEFAULT_ROUTE ? DEFAULT_ROUTE : `${method} ${prefix}${path === '/' && prefix ? '' : path}`;
        const where = routeKey === DEFAULT_ROUTE ? DEFAULT_ROUTE : `${method} ${path}`;
        if (this.attempt(`Unable to create route '${routeKey}'`, () => parseRouteKey(routeKey)) === undefined && routeKey !== DEFAULT_ROUTE) continue;
        if (keys.has(routeKey)) {
          this.errors.push(`Unable to create route '${routeKey}': the document defines it more than once`);
          continue;
        }
        keys.add(routeKey);
        if (operation.requestBody !== undefined) this.info.push(`${where}: requestBody is ignored (HTTP APIs do not validate requests)`);
        const integration = this.integrationFor(operation, where);
        const route: RouteRecord = { routeId: this.options.newId('route'), routeKey, ...this.authorizationFor(operation, where), apiKeyRequired: false };
        if (integration) route.target = `integrations/${integration.integrationId}`;
        const operationId = str(operation.operationId);
        if (operationId !== undefined) route.operationName = operationId;
        routes.push(route);
      }
    }
    return routes;
  }
}

/** The HTTP API a document describes; AWS's BadRequestException ("Errors found during import: …") when it cannot be imported. */
export function importHttpApi(doc: OpenApiDocument, options: ImportOptions): ImportedHttpApi {
  if (doc.version !== 'oas3') throw badRequest('HTTP APIs can be imported only from OpenAPI 3.x definitions.');
  const root = doc.root;
  const version = root[IMPORT_EXPORT_VERSION];
  if (version !== undefined && versionText(version) !== '1.0') throw badRequest(`Unsupported ${IMPORT_EXPORT_VERSION} '${str(version)}'. The only supported value is 1.0`);
  const info = isObject(root.info) ? root.info : {};
  const name = str(info.title);
  if (!name) throw invalidOpenApi();
  const reader = new Reader(doc, options);
  const cors = reader.attempt(`Invalid ${CORS}`, () => corsOf(root[CORS]));
  reader.readAuthorizers();
  const routes = reader.readRoutes();
  for (const extension of REST_ONLY) {
    if (root[extension] !== undefined) reader.warnings.push(`${extension} is not supported for HTTP APIs. Ignoring.`);
  }
  if (reader.errors.length) throw importErrors(reader.errors);
  const imported: ImportedHttpApi = {
    name, routes, integrations: reader.integrations, authorizers: [...reader.authorizers.values()], warnings: reader.warnings, info: reader.info,
  };
  const description = str(info.description);
  if (description !== undefined) imported.description = description;
  const apiVersion = str(info.version);
  if (apiVersion !== undefined) imported.version = apiVersion;
  if (cors) imported.corsConfiguration = cors;
  const endpoint = isObject(root['x-amazon-apigateway-endpoint-configuration']) ? root['x-amazon-apigateway-endpoint-configuration'].disableExecuteApiEndpoint : undefined;
  const disable = root[DISABLE_EXECUTE_API_ENDPOINT] ?? endpoint;
  if (typeof disable === 'boolean') imported.disableExecuteApiEndpoint = disable;
  return imported;
}
