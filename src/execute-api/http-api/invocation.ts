// An HTTP API request as the REST data plane's InvocationContext, so the pieces both kinds of API
// share run unchanged on it: the Lambda call as API Gateway (permission check, timeout), the
// payload-format-1.0 event and answer, and HTTP_PROXY forwarding.
import type { IncomingMessage } from 'node:http';
import type { InvocationContext } from '../context.js';
import { toInvocationRequest } from '../request.js';
import type { HttpApiRecord, HttpStageRecord, IntegrationRecord } from '../../store/httpapi-store.js';
import type { RouteMatch } from '../../apigatewayv2/router.js';

/** What the route's authorizer said of the caller it admitted (the integration's requestContext.authorizer). */
export type HttpAuthorization =
  | { lambda: Record<string, unknown> | null; principalId?: string; integrationLatency: number }
  | { jwt: { claims: Record<string, string>; scopes: string[] | null } }
  | { iam: Record<string, unknown> };

export interface HttpApiCall {
  req: IncomingMessage;
  api: HttpApiRecord;
  stage: HttpStageRecord;
  deploymentId: string;
  match: RouteMatch;
  integration: IntegrationRecord;
  /** The request's path as the host form has it (with the stage prefix on a named stage), raw. */
  path: string;
  /** The path after the stage (the whole path on the $default stage), raw. */
  routePath: string;
  rawQuery: string;
  /** The headers the integration receives when request mappings changed them (Node's rawHeaders form). */
  rawHeaders?: string[];
  body: Buffer;
  requestId: string;
  traceId: string;
  startedAt: number;
  /** Set once the route's authorizer admitted the request. */
  authorization?: HttpAuthorization;
}

export function invocationContext(call: HttpApiCall): InvocationContext {
  const { api, stage, match, integration } = call;
  const variables = stage.stageVariables;
  return {
    requestId: call.requestId,
    extendedRequestId: call.requestId,
    traceId: call.traceId,
    startedAt: call.startedAt,
    apiId: api.apiId,
    stageName: stage.stageName,
    request: toInvocationRequest(call.req, { apiId: api.apiId, stage: stage.stageName, rawPath: call.routePath, rawQuery: call.rawQuery }, call.body),
    resolved: {
      api: {
        id: api.apiId, name: api.name, accountId: api.accountId, region: api.region, rootResourceId: '', endpointType: 'REGIONAL',
        binaryMediaTypes: [], apiKeySource: 'HEADER', disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
      },
      stage: {
        name: stage.stageName, deploymentId: call.deploymentId, variables, methodSettings: {}, tracingEnabled: false, cacheClusterEnabled: false, tags: stage.tags,
        accessLogSettings: stage.accessLogSettings,
      },
      deployment: { id: call.deploymentId, createdDate: 0, snapshot: { api: { binaryMediaTypes: [], apiKeySource: 'HEADER', disableExecuteApiEndpoint: false }, resources: [] } },
    },
    stageVariables: Object.keys(variables).length ? variables : null,
    resource: { id: match.route.routeId, path: match.path, resourceMethods: {} },
    pathParameters: Object.keys(match.pathParameters).length ? match.pathParameters : null,
    integration: {
      type: integration.integrationType, uri: integration.integrationUri, httpMethod: integration.integrationMethod,
      timeoutInMillis: integration.timeoutInMillis, credentials: integration.credentialsArn,
      connectionType: integration.connectionType, connectionId: integration.connectionId,
    },
    routeKey: match.route.routeKey,
    raw: call.req,
  };
}
