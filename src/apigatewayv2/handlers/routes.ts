// CreateRoute, GetRoute, GetRoutes, UpdateRoute, DeleteRoute. Route keys are unique in an API;
// a route's target names one of the API's integrations (`integrations/{id}`), and a JWT or CUSTOM
// route one of its authorizers (NONE and AWS_IAM routes name none). WebSocket APIs' route keys are
// `$connect`, `$disconnect`, `$default` or any key their selection expression may yield; their
// routes take a route response selection expression (`$default`: two-way), and only `$connect` an
// authorization (AWS_IAM, or CUSTOM with a Lambda REQUEST authorizer).
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { CreateRouteRequest, Operations } from '../../aws/generated/apigatewayv2.js';
import type { HttpApiRecord, RouteRecord } from '../../store/httpapi-store.js';
import { newShortId } from '../../core/ids.js';
import { badRequest, conflict } from '../../apigateway/errors.js';
import { routeView } from '../views.js';
import { page, requireApi, requireItem, withApiLock, type Deps } from '../context.js';
import { writeAndAutoDeploy } from '../deploy.js';
import { parseRouteKey } from '../route-keys.js';
import { checkModelSelectionExpression } from '../model-selection.js';
import { routeRequestParametersFrom } from '../route-request-parameters.js';

type RouteInput = Omit<CreateRouteRequest, 'ApiId' | 'RouteKey'> & { RouteKey?: string };

/**
 * The route's authorization: NONE, AWS_IAM (SigV4-signed requests), JWT with a JWT authorizer
 * (and optional scopes), or CUSTOM with a REQUEST (Lambda) authorizer of the API. Setting NONE or
 * AWS_IAM drops the authorizer and the scopes.
 */
async function authorizationFrom(deps: Deps, apiId: string, base: Partial<RouteRecord>, input: RouteInput): Promise<Pick<RouteRecord, 'authorizationType' | 'authorizerId' | 'authorizationScopes'>> {
  const type = input.AuthorizationType ?? base.authorizationType ?? 'NONE';
  if (type === 'NONE' || type === 'AWS_IAM') {
    if (input.AuthorizerId !== undefined || input.AuthorizationScopes?.length) throw badRequest('AuthorizerId and AuthorizationScopes need authorizationType JWT or CUSTOM');
    return { authorizationType: type };
  }
  if (type !== 'JWT' && type !== 'CUSTOM') throw badRequest(`Invalid authorization type ${String(type)}: use NONE, AWS_IAM, JWT or CUSTOM`);
  const authorizerId = input.AuthorizerId ?? base.authorizerId;
  if (authorizerId === undefined) throw badRequest(`An authorizerId is required for authorization type ${type}`);
  const authorizer = await deps.store.getItem(apiId, 'authorizer', authorizerId);
  if (!authorizer) throw badRequest(`Invalid authorizer identifier specified ${authorizerId}`);
  const wanted = type === 'JWT' ? 'JWT' : 'REQUEST';
  if (authorizer.authorizerType !== wanted) throw badRequest(`Authorization type ${type} needs a ${wanted} authorizer; authorizer ${authorizerId} is ${authorizer.authorizerType}`);
  const scopes = input.AuthorizationScopes ?? base.authorizationScopes;
  if (scopes?.length && type !== 'JWT') throw badRequest('Authorization scopes are supported only for JWT authorization');
  return { authorizationType: type, authorizerId, ...(scopes?.length ? { authorizationScopes: scopes } : {}) };
}

/**
 * WebSocket routes' request validation: `requestModels` (selection key → a model of the API, else
 * `400`) and the `modelSelectionExpression` that picks the key (a literal, or `$request.body.{path}`).
 */
async function requestModelsFrom(deps: Deps, api: HttpApiRecord, base: Partial<RouteRecord>, input: RouteInput): Promise<Pick<RouteRecord, 'requestModels' | 'modelSelectionExpression'>> {
  const requestModels = input.RequestModels ?? base.requestModels;
  const expression = input.ModelSelectionExpression ?? base.modelSelectionExpression;
  if (requestModels === undefined && expression === undefined) return {};
  if (api.protocolType !== 'WEBSOCKET') throw badRequest('Request models are supported only for WebSocket APIs');
  if (expression !== undefined) checkModelSelectionExpression(expression);
  const names = new Set((await deps.store.listItems(api.apiId, 'model')).map((m) => m.name));
  for (const name of Object.values(requestModels ?? {})) {
    if (!names.has(name)) throw badRequest(`Invalid model specified: ${name}`);
  }
  return { ...(requestModels !== undefined && Object.keys(requestModels).length ? { requestModels } : {}), ...(expression !== undefined ? { modelSelectionExpression: expression } : {}) };
}

/** The route `input` makes of `base`, with its key and target checked against the API's routes and integrations. */
async function routeFrom(deps: Deps, api: HttpApiRecord, id: string, base: Partial<RouteRecord>, input: RouteInput): Promise<RouteRecord> {
  const apiId = api.apiId;
  const routeKey = input.RouteKey ?? base.routeKey!;
  const websocket = api.protocolType === 'WEBSOCKET';
  if (!websocket) parseRouteKey(routeKey);
  else if (routeKey.trim() === '' || routeKey.length > 128) throw badRequest(`Invalid route key ${routeKey}: it must be 1 to 128 characters`);
  const selection = input.RouteResponseSelectionExpression ?? base.routeResponseSelectionExpression;
  if (selection !== undefined && !websocket) throw badRequest('RouteResponseSelectionExpression is supported only for WebSocket APIs');
  if (selection !== undefined && selection !== '$default') throw badRequest(`Invalid route response selection expression ${selection}: the only one supported is $default`);
  const authorizationType = input.AuthorizationType ?? base.authorizationType ?? 'NONE';
  if (websocket && authorizationType !== 'NONE') {
    if (routeKey !== '$connect') throw badRequest('Currently, authorization is restricted to the $connect route only');
    if (authorizationType === 'JWT') throw badRequest('JWT authorization is supported only for HTTP APIs');
  }
  const taken = (await deps.store.listItems(apiId, 'route')).some((r) => r.routeKey === routeKey && r.routeId !== id);
  if (taken) throw conflict(`Route with key ${routeKey} already exists for this API`);
  const authorization = await authorizationFrom(deps, apiId, base, input);
  const target = input.Target ?? base.target;
  if (target !== undefined) {
    const m = /^integrations\/([A-Za-z0-9]+)$/.exec(target);
    if (!m || !(await deps.store.getItem(apiId, 'integration', m[1]))) throw badRequest(`Invalid target ${target}: it must name one of the API's integrations as integrations/{integrationId}`);
  }
  const route: RouteRecord = { routeId: id, routeKey, ...authorization, apiKeyRequired: input.ApiKeyRequired ?? base.apiKeyRequired ?? false };
  if (target !== undefined) route.target = target;
  const operationName = input.OperationName ?? base.operationName;
  if (operationName !== undefined) route.operationName = operationName;
  if (base.apiGatewayManaged) route.apiGatewayManaged = true;
  if (selection !== undefined) route.routeResponseSelectionExpression = selection;
  Object.assign(route, await requestModelsFrom(deps, api, base, input));
  if (input.RequestParameters !== undefined) {
    if (!websocket) throw badRequest('Route request parameters are supported only for WebSocket APIs');
    const requestParameters = routeRequestParametersFrom(routeKey, input.RequestParameters);
    if (requestParameters) route.requestParameters = requestParameters;
  } else if (base.requestParameters && routeKey === base.routeKey) route.requestParameters = base.requestParameters;
  return route;
}

export function routeHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    CreateRoute: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const api = await requireApi(deps, ctx, input.ApiId);
      const route = await routeFrom(deps, api, newShortId(7), {}, input);
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'route', id: route.routeId, value: route }]);
      return routeView(route);
    }),

    async GetRoute(input, ctx) {
      return routeView(await requireItem(deps, ctx, input.ApiId, 'route', input.RouteId));
    },

    async GetRoutes(input, ctx) {
      await requireApi(deps, ctx, input.ApiId);
      return page(await deps.store.listItems(input.ApiId, 'route'), input, routeView);
    },

    UpdateRoute: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const existing = await requireItem(deps, ctx, input.ApiId, 'route', input.RouteId);
      const route = await routeFrom(deps, await requireApi(deps, ctx, input.ApiId), existing.routeId, existing, input);
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'route', id: route.routeId, value: route }]);
      return routeView(route);
    }),

    DeleteRoute: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      await requireItem(deps, ctx, input.ApiId, 'route', input.RouteId);
      // The route's responses go with it.
      const responses = (await deps.store.listItems(input.ApiId, 'routeResponse')).filter((r) => r.routeId === input.RouteId);
      await writeAndAutoDeploy(deps, input.ApiId, [], [{ kind: 'route', id: input.RouteId }, ...responses.map((r) => ({ kind: 'routeResponse' as const, id: r.routeResponseId }))]);
    }),
  };
}
