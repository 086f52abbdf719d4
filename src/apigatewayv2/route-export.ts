// ExportApi's `STAGECRAFT_ROUTES` specification, Stagecraft's own: what a WebSocket (or HTTP) API
// serves — its current configuration, or the snapshot a stage's deployment froze — as one entry
// per route key with its integration (as API Gateway's OpenAPI extension names it), responses and
// settings. AWS exports only HTTP APIs, as OpenAPI, and has no way to read what a WebSocket
// deployment serves; `stagecraft promote --api … --dry-run` and the web console read this to list
// the routes a WebSocket stage promotion adds, removes and changes (src/deploy/route-diff.ts).
import type { HttpAuthorizerRecord, HttpDeploymentSnapshot, IntegrationRecord, RouteRecord } from '../store/httpapi-store.js';

export const ROUTES_SPECIFICATION = 'STAGECRAFT_ROUTES';
/** The key under which the routes' integrations are written, as in an OpenAPI export. */
const INTEGRATION = 'x-amazon-apigateway-integration';

type Json = Record<string, unknown>;

/** Drops undefined members, so the document says only what is set. */
const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function integrationOf(i: IntegrationRecord, snapshot: HttpDeploymentSnapshot): Json {
  const responses = (snapshot.integrationResponses ?? []).filter((r) => r.integrationId === i.integrationId);
  return defined({
    type: i.integrationType.toLowerCase(),
    uri: i.integrationUri,
    httpMethod: i.integrationMethod,
    connectionType: i.connectionType,
    connectionId: i.connectionId,
    credentials: i.credentialsArn,
    timeoutInMillis: i.timeoutInMillis,
    passthroughBehavior: i.passthroughBehavior,
    contentHandling: i.contentHandlingStrategy,
    requestParameters: i.requestParameters,
    requestTemplates: i.requestTemplates,
    templateSelectionExpression: i.templateSelectionExpression,
    responses: responses.length
      ? Object.fromEntries(responses.map((r) => [r.integrationResponseKey, defined({
        responseTemplates: r.responseTemplates, templateSelectionExpression: r.templateSelectionExpression,
        responseParameters: r.responseParameters, contentHandling: r.contentHandlingStrategy,
      })]))
      : undefined,
  });
}

function routeOf(r: RouteRecord, snapshot: HttpDeploymentSnapshot, authorizers: Map<string, HttpAuthorizerRecord>): Json {
  const integration = snapshot.integrations.find((i) => `integrations/${i.integrationId}` === r.target);
  const responses = (snapshot.routeResponses ?? []).filter((x) => x.routeId === r.routeId);
  return defined({
    authorizationType: r.authorizationType,
    // The authorizer by name: ids say nothing to whoever reads a preview.
    authorizer: r.authorizerId ? authorizers.get(r.authorizerId)?.name ?? r.authorizerId : undefined,
    authorizationScopes: r.authorizationScopes,
    apiKeyRequired: r.apiKeyRequired,
    operationName: r.operationName,
    requestParameters: r.requestParameters,
    modelSelectionExpression: r.modelSelectionExpression,
    requestModels: r.requestModels,
    routeResponseSelectionExpression: r.routeResponseSelectionExpression,
    routeResponses: responses.length
      ? Object.fromEntries(responses.map((x) => [x.routeResponseKey, defined({ modelSelectionExpression: x.modelSelectionExpression, responseModels: x.responseModels })]))
      : undefined,
    [INTEGRATION]: integration ? integrationOf(integration, snapshot) : undefined,
  });
}

/** `{ specification, routes: { <route key>: { …settings, x-amazon-apigateway-integration } } }`, keys sorted. */
export function exportRoutes(snapshot: HttpDeploymentSnapshot): Json {
  const authorizers = new Map((snapshot.authorizers ?? []).map((a) => [a.authorizerId, a]));
  const routes = [...snapshot.routes].sort((a, b) => a.routeKey.localeCompare(b.routeKey));
  return { specification: ROUTES_SPECIFICATION, routes: Object.fromEntries(routes.map((r) => [r.routeKey, routeOf(r, snapshot, authorizers)])) };
}
