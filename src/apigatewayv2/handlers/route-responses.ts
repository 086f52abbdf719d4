// CreateRouteResponse, GetRouteResponse, GetRouteResponses, UpdateRouteResponse, DeleteRouteResponse:
// WebSocket APIs only. A route whose route response selection expression is `$default` and that has
// the `$default` route response is two-way: its Lambda proxy integration's `body` goes back to the client.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigatewayv2.js';
import type { HttpApiRecord, RouteResponseRecord } from '../../store/httpapi-store.js';
import type { RequestContext } from '../../aws/request-context.js';
import { newShortId } from '../../core/ids.js';
import { badRequest, conflict } from '../../apigateway/errors.js';
import { routeResponseView } from '../views.js';
import { itemNotFound, page, requireApi, requireItem, withApiLock, type Deps } from '../context.js';
import { writeAndAutoDeploy } from '../deploy.js';

async function requireWebSocketRoute(deps: Deps, ctx: RequestContext, apiId: string, routeId: string): Promise<HttpApiRecord> {
  const api = await requireApi(deps, ctx, apiId);
  if (api.protocolType !== 'WEBSOCKET') throw badRequest('Route responses are supported only for WebSocket APIs');
  await requireItem(deps, ctx, apiId, 'route', routeId);
  return api;
}

async function requireRouteResponse(deps: Deps, ctx: RequestContext, input: { ApiId: string; RouteId: string; RouteResponseId: string }): Promise<RouteResponseRecord> {
  await requireWebSocketRoute(deps, ctx, input.ApiId, input.RouteId);
  const response = await deps.store.getItem(input.ApiId, 'routeResponse', input.RouteResponseId);
  if (!response || response.routeId !== input.RouteId) throw itemNotFound('routeResponse', input.RouteResponseId);
  return response;
}

/** `$default` is the only key Stagecraft selects (the only route response selection expression AWS supports is `$default`). */
async function checkKey(deps: Deps, apiId: string, routeId: string, key: string, id: string): Promise<void> {
  if (key !== '$default') throw badRequest(`Invalid route response key ${key}: with the route response selection expression $default, the key is $default`);
  const taken = (await deps.store.listItems(apiId, 'routeResponse')).some((r) => r.routeId === routeId && r.routeResponseKey === key && r.routeResponseId !== id);
  if (taken) throw conflict(`Route response with key ${key} already exists for this route`);
}

export function routeResponseHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    CreateRouteResponse: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      await requireWebSocketRoute(deps, ctx, input.ApiId, input.RouteId);
      const id = newShortId(6);
      await checkKey(deps, input.ApiId, input.RouteId, input.RouteResponseKey, id);
      const response: RouteResponseRecord = { routeResponseId: id, routeId: input.RouteId, routeResponseKey: input.RouteResponseKey };
      if (input.ModelSelectionExpression !== undefined) response.modelSelectionExpression = input.ModelSelectionExpression;
      if (input.ResponseModels !== undefined) response.responseModels = input.ResponseModels;
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'routeResponse', id, value: response }]);
      return routeResponseView(response);
    }),

    async GetRouteResponse(input, ctx) {
      return routeResponseView(await requireRouteResponse(deps, ctx, input));
    },

    async GetRouteResponses(input, ctx) {
      await requireWebSocketRoute(deps, ctx, input.ApiId, input.RouteId);
      const responses = (await deps.store.listItems(input.ApiId, 'routeResponse')).filter((r) => r.routeId === input.RouteId);
      return page(responses, input, routeResponseView);
    },

    UpdateRouteResponse: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const response = { ...(await requireRouteResponse(deps, ctx, input)) };
      if (input.RouteResponseKey !== undefined) {
        await checkKey(deps, input.ApiId, input.RouteId, input.RouteResponseKey, response.routeResponseId);
        response.routeResponseKey = input.RouteResponseKey;
      }
      if (input.ModelSelectionExpression !== undefined) response.modelSelectionExpression = input.ModelSelectionExpression;
      if (input.ResponseModels !== undefined) response.responseModels = input.ResponseModels;
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'routeResponse', id: response.routeResponseId, value: response }]);
      return routeResponseView(response);
    }),

    DeleteRouteResponse: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      await requireRouteResponse(deps, ctx, input);
      await writeAndAutoDeploy(deps, input.ApiId, [], [{ kind: 'routeResponse', id: input.RouteResponseId }]);
    }),
  };
}
