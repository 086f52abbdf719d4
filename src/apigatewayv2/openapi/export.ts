// An HTTP API (its current configuration, or the snapshot a stage's deployment froze) written as the
// OpenAPI 3.0 document ExportApi answers: routes as paths and operations (`$default` as the path
// `/$default`, ANY as x-amazon-apigateway-any-method), integrations, authorizers and CORS as API
// Gateway's extensions — the shape ImportApi reads back.
import type { HttpApiRecord, HttpAuthorizerRecord, HttpDeploymentSnapshot, IntegrationRecord, RouteRecord } from '../../store/httpapi-store.js';
import type { JsonObject } from '../../apigateway/openapi/document.js';
import { parseRouteKey } from '../route-keys.js';
import { AUTH_TYPE, AUTHORIZER, CORS, DEFAULT_PATH, DISABLE_EXECUTE_API_ENDPOINT, IMPORT_EXPORT_VERSION, INTEGRATION, OPERATIONS } from './import.js';

export interface HttpExportRequest {
  api: HttpApiRecord;
  snapshot: Pick<HttpDeploymentSnapshot, 'routes' | 'integrations' | 'authorizers'>;
  /** The stage exported (its name becomes the server's base path), if any. */
  stageName?: string;
  includeExtensions: boolean;
}

/** The name of the security scheme AWS_IAM routes name. */
const SIGV4_SCHEME = 'sigv4';
const FIELD_OF = Object.fromEntries(Object.entries(OPERATIONS).map(([field, method]) => [method, field]));

/** `info.version` when the API has none: its creation time, as AWS writes it ("2020-04-08 17:19:38UTC"). */
const dateVersion = (epochMs: number) => `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')}UTC`;

/** Drops undefined members, so the document says only what is set. */
const defined = (o: Record<string, unknown>): JsonObject => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as JsonObject;

function integrationExtension(i: IntegrationRecord): JsonObject {
  return defined({
    type: i.integrationType.toLowerCase(),
    uri: i.integrationUri,
    httpMethod: i.integrationMethod,
    payloadFormatVersion: i.payloadFormatVersion,
    connectionType: i.connectionType,
    timeoutInMillis: i.timeoutInMillis,
    credentials: i.credentialsArn,
    description: i.description,
    requestParameters: i.requestParameters,
    responseParameters: i.responseParameters,
  });
}

function securityScheme(a: HttpAuthorizerRecord, includeExtensions: boolean): JsonObject {
  const identitySource = a.identitySource.join(', ');
  if (a.authorizerType === 'JWT') {
    const scheme: JsonObject = { type: 'oauth2', flows: {} };
    if (includeExtensions) {
      scheme[AUTHORIZER] = defined({
        identitySource, type: 'jwt',
        jwtConfiguration: a.jwtConfiguration && defined({ audience: a.jwtConfiguration.audience, issuer: a.jwtConfiguration.issuer }),
      });
    }
    return scheme;
  }
  // An API key scheme in the header the Lambda authorizer reads first (AWS's choice too).
  const header = /^\$request\.header\.(.+)$/.exec(a.identitySource[0] ?? '')?.[1];
  const scheme: JsonObject = { type: 'apiKey', name: header ?? 'Unused', in: 'header' };
  if (includeExtensions) {
    scheme[AUTHORIZER] = defined({
      identitySource: identitySource || undefined, type: 'request',
      authorizerUri: a.authorizerUri,
      authorizerPayloadFormatVersion: a.authorizerPayloadFormatVersion,
      authorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds,
      enableSimpleResponses: a.enableSimpleResponses,
      authorizerCredentials: a.authorizerCredentialsArn,
    });
  }
  return scheme;
}

/** A route as an OpenAPI operation. */
function operationOf(route: RouteRecord, request: HttpExportRequest, integrations: Map<string, IntegrationRecord>, authorizers: Map<string, HttpAuthorizerRecord>): JsonObject {
  const operation: JsonObject = {};
  if (route.operationName !== undefined) operation.operationId = route.operationName;
  const params = parseRouteKey(route.routeKey)?.segments.filter((s) => s.param !== undefined) ?? [];
  if (params.length) {
    operation.parameters = params.map((s) => {
      const name = `${s.param!}${s.greedy ? '+' : ''}`;
      return { name, in: 'path', description: `Generated path parameter for ${name}`, required: true, schema: { type: 'string' } };
    });
  }
  operation.responses = { default: { description: `Default response for ${route.routeKey}` } };
  const authorizer = route.authorizerId !== undefined ? authorizers.get(route.authorizerId) : undefined;
  if (route.authorizationType === 'AWS_IAM') operation.security = [{ [SIGV4_SCHEME]: [] }];
  else if (authorizer) operation.security = [{ [authorizer.name]: route.authorizationType === 'JWT' ? route.authorizationScopes ?? [] : [] }];
  const integration = route.target ? integrations.get(route.target.replace(/^integrations\//, '')) : undefined;
  if (integration && request.includeExtensions) operation[INTEGRATION] = integrationExtension(integration);
  return operation;
}

export function exportHttpApi(request: HttpExportRequest): JsonObject {
  const { api, snapshot, stageName, includeExtensions } = request;
  const integrations = new Map(snapshot.integrations.map((i) => [i.integrationId, i]));
  const authorizers = new Map((snapshot.authorizers ?? []).map((a) => [a.authorizerId, a]));
  const paths: JsonObject = {};
  for (const route of snapshot.routes) {
    const parsed = parseRouteKey(route.routeKey);
    const path = parsed?.path ?? DEFAULT_PATH;
    const item = (paths[path] ??= {}) as JsonObject;
    item[FIELD_OF[parsed?.method ?? 'ANY']] = operationOf(route, request, integrations, authorizers);
  }
  const doc: JsonObject = {
    openapi: '3.0.1',
    info: defined({ title: api.name, description: api.description, version: api.version ?? dateVersion(api.createdDate) }),
    servers: [{
      url: `https://${api.apiId}.execute-api.${api.region}.amazonaws.com/{basePath}`,
      variables: { basePath: { default: stageName === undefined || stageName === '$default' ? '' : stageName } },
    }],
    paths,
  };
  const schemes: JsonObject = {};
  for (const a of snapshot.authorizers ?? []) schemes[a.name] = securityScheme(a, includeExtensions);
  if (snapshot.routes.some((r) => r.authorizationType === 'AWS_IAM')) {
    schemes[SIGV4_SCHEME] = { type: 'apiKey', name: 'Authorization', in: 'header', ...(includeExtensions ? { [AUTH_TYPE]: 'awsSigv4' } : {}) };
  }
  if (Object.keys(schemes).length) doc.components = { securitySchemes: schemes };
  if (includeExtensions) {
    const cors = api.corsConfiguration;
    if (cors) {
      doc[CORS] = defined({
        allowOrigins: cors.AllowOrigins, allowCredentials: cors.AllowCredentials, exposeHeaders: cors.ExposeHeaders,
        maxAge: cors.MaxAge, allowMethods: cors.AllowMethods, allowHeaders: cors.AllowHeaders,
      });
    }
    if (api.disableExecuteApiEndpoint) doc[DISABLE_EXECUTE_API_ENDPOINT] = true;
    doc[IMPORT_EXPORT_VERSION] = '1.0';
  }
  return doc;
}
