// CreateApi (with quick create), GetApi, GetApis, UpdateApi, DeleteCorsConfiguration, DeleteApi. Quick create — CreateApi
// with a target — adds an AWS_PROXY (Lambda ARN) or HTTP_PROXY (URL) integration, a route
// ($default unless routeKey says otherwise) and a $default stage that deploys automatically.
// WEBSOCKET APIs need a route selection expression into the message body; quick create and CORS are HTTP APIs' only.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Cors, Operations } from '../../aws/generated/apigatewayv2.js';
import type { HttpApiItemPut, HttpApiRecord, HttpStageRecord, IntegrationRecord, RouteRecord } from '../../store/httpapi-store.js';
import { newShortId } from '../../core/ids.js';
import { badRequest } from '../../apigateway/errors.js';
import { apiView } from '../views.js';
import { page, requireApi, withApiLock, type Deps } from '../context.js';
import { deployedStage, newDeployment } from '../deploy.js';
import { DEFAULT_ROUTE, parseRouteKey } from '../route-keys.js';
import { integrationFrom } from './integrations.js';
import { newStage } from './stages.js';
import { parseRouteSelectionExpression } from '../selection-expressions.js';

export const ROUTE_SELECTION = '$request.method $request.path';
export const DEFAULT_API_KEY_SELECTION = '$request.header.x-api-key';

const API_KEY_SELECTION = new Set(['$request.header.x-api-key', '$context.authorizer.usageIdentifierKey']);

function checkSelectionExpression(protocol: HttpApiRecord['protocolType'], expression: string | undefined): void {
  if (protocol === 'WEBSOCKET') {
    if (expression !== undefined) parseRouteSelectionExpression(expression);
    return;
  }
  if (expression !== undefined && expression !== ROUTE_SELECTION && expression !== '${request.method} ${request.path}') {
    throw badRequest(`Unsupported route selection expression for HTTP API: ${expression}`);
  }
}

/** What only one protocol takes: quick create and CORS are HTTP APIs', schema validation WebSocket APIs'. */
function checkProtocolSettings(protocol: HttpApiRecord['protocolType'], input: { Target?: string; RouteKey?: string; CredentialsArn?: string; CorsConfiguration?: Cors; DisableSchemaValidation?: boolean; ApiKeySelectionExpression?: string }): void {
  if (input.ApiKeySelectionExpression !== undefined && !API_KEY_SELECTION.has(input.ApiKeySelectionExpression)) {
    throw badRequest(`Invalid API key selection expression ${input.ApiKeySelectionExpression}: use $request.header.x-api-key or $context.authorizer.usageIdentifierKey`);
  }
  if (protocol === 'HTTP') {
    if (input.DisableSchemaValidation !== undefined) throw badRequest('DisableSchemaValidation is supported only for WebSocket APIs');
    return;
  }
  if (input.Target !== undefined || input.RouteKey !== undefined || input.CredentialsArn !== undefined) throw badRequest('Quick create (target, routeKey, credentialsArn) is supported only for HTTP APIs');
  if (input.CorsConfiguration !== undefined) throw badRequest('CORS configuration is supported only for HTTP APIs');
}

/** Quick create's integration, route, deployment and auto-deploying $default stage. */
function quickCreate(now: number, target: string, routeKey: string | undefined, credentialsArn: string | undefined): HttpApiItemPut[] {
  const http = /^https?:\/\//i.test(target);
  const integration: IntegrationRecord = {
    ...integrationFrom(newShortId(7), {}, {
      IntegrationType: http ? 'HTTP_PROXY' : 'AWS_PROXY', IntegrationUri: target, PayloadFormatVersion: http ? '1.0' : '2.0',
      IntegrationMethod: http ? 'ANY' : 'POST', CredentialsArn: credentialsArn,
    }),
    apiGatewayManaged: true,
  };
  const key = routeKey ?? DEFAULT_ROUTE;
  parseRouteKey(key);
  const route: RouteRecord = {
    routeId: newShortId(7), routeKey: key, target: `integrations/${integration.integrationId}`, authorizationType: 'NONE', apiKeyRequired: false, apiGatewayManaged: true,
  };
  const deployment = newDeployment(now, { routes: [route], integrations: [integration] }, true);
  const stage: HttpStageRecord = { ...newStage(now, '$default'), autoDeploy: true, apiGatewayManaged: true };
  return [
    { kind: 'integration', id: integration.integrationId, value: integration },
    { kind: 'route', id: route.routeId, value: route },
    { kind: 'deployment', id: deployment.deploymentId, value: deployment },
    { kind: 'stage', id: stage.stageName, value: deployedStage(stage, deployment, now) },
  ];
}

/** A CORS configuration as stored: what was given, with AWS's bounds checked. */
export function corsFrom(cors: Cors): Cors {
  if (cors.MaxAge !== undefined && (cors.MaxAge < -1 || cors.MaxAge > 86400)) throw badRequest('CORS maxAge must be between -1 and 86400 seconds');
  if (cors.AllowCredentials && cors.AllowOrigins?.includes('*')) throw badRequest('allowCredentials cannot be true when allowOrigins contains the wildcard *');
  return { ...cors };
}

export function apiHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    async CreateApi(input, ctx) {
      const protocol = input.ProtocolType;
      if (protocol === 'WEBSOCKET' && input.RouteSelectionExpression === undefined) throw badRequest('RouteSelectionExpression is required for WebSocket APIs');
      checkSelectionExpression(protocol, input.RouteSelectionExpression);
      checkProtocolSettings(protocol, input);
      if (input.Target === undefined && (input.RouteKey !== undefined || input.CredentialsArn !== undefined)) {
        throw badRequest('RouteKey and CredentialsArn are part of quick create: they need a Target');
      }
      for (;;) {
        const now = deps.now();
        const api: HttpApiRecord = {
          accountId: ctx.accountId, region: ctx.region, apiId: newShortId(), name: input.Name, protocolType: protocol, createdDate: now,
          routeSelectionExpression: protocol === 'WEBSOCKET' ? input.RouteSelectionExpression! : ROUTE_SELECTION,
          apiKeySelectionExpression: input.ApiKeySelectionExpression ?? DEFAULT_API_KEY_SELECTION,
          disableExecuteApiEndpoint: input.DisableExecuteApiEndpoint ?? false, ipAddressType: input.IpAddressType ?? 'ipv4', tags: input.Tags ?? {},
        };
        if (input.Description !== undefined) api.description = input.Description;
        if (input.Version !== undefined) api.version = input.Version;
        if (input.CorsConfiguration) api.corsConfiguration = corsFrom(input.CorsConfiguration);
        if (protocol === 'WEBSOCKET') api.disableSchemaValidation = input.DisableSchemaValidation ?? false;
        const items = input.Target !== undefined ? quickCreate(now, input.Target, input.RouteKey, input.CredentialsArn) : [];
        if (await deps.store.createApi(api, items)) return apiView(ctx, api);
      }
    },

    async GetApi(input, ctx) {
      return apiView(ctx, await requireApi(deps, ctx, input.ApiId));
    },

    async GetApis(input, ctx) {
      return page(await deps.store.listApis({ accountId: ctx.accountId, region: ctx.region }), input, (a) => apiView(ctx, a));
    },

    UpdateApi: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const api = { ...(await requireApi(deps, ctx, input.ApiId)) };
      checkSelectionExpression(api.protocolType, input.RouteSelectionExpression);
      checkProtocolSettings(api.protocolType, input);
      if (input.Target !== undefined || input.RouteKey !== undefined) throw badRequest('Updating quick create settings is not supported by Stagecraft yet.');
      if (api.protocolType === 'WEBSOCKET' && input.RouteSelectionExpression !== undefined) api.routeSelectionExpression = input.RouteSelectionExpression;
      if (input.ApiKeySelectionExpression !== undefined) api.apiKeySelectionExpression = input.ApiKeySelectionExpression;
      if (input.DisableSchemaValidation !== undefined) api.disableSchemaValidation = input.DisableSchemaValidation;
      if (input.CorsConfiguration) api.corsConfiguration = corsFrom(input.CorsConfiguration);
      if (input.Name !== undefined) api.name = input.Name;
      if (input.Description !== undefined) api.description = input.Description;
      if (input.Version !== undefined) api.version = input.Version;
      if (input.DisableExecuteApiEndpoint !== undefined) api.disableExecuteApiEndpoint = input.DisableExecuteApiEndpoint;
      if (input.IpAddressType !== undefined) api.ipAddressType = input.IpAddressType;
      await deps.store.updateApi(api);
      return apiView(ctx, api);
    }),

    DeleteCorsConfiguration: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const { corsConfiguration: _removed, ...api } = await requireApi(deps, ctx, input.ApiId);
      await deps.store.updateApi(api);
    }),

    DeleteApi: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      await requireApi(deps, ctx, input.ApiId);
      await deps.store.deleteApi({ accountId: ctx.accountId, region: ctx.region }, input.ApiId);
    }),
  };
}
