// CreateIntegrationResponse, GetIntegrationResponse, GetIntegrationResponses, UpdateIntegrationResponse,
// DeleteIntegrationResponse: WebSocket APIs only. A non-proxy integration's answer is mapped by the
// response whose key matches (`$default`, or a `/regex/` against the status code or a Lambda
// errorMessage), through the template its template selection expression picks.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigatewayv2.js';
import type { IntegrationResponseRecord } from '../../store/httpapi-store.js';
import type { RequestContext } from '../../aws/request-context.js';
import { newShortId } from '../../core/ids.js';
import { badRequest, conflict } from '../../apigateway/errors.js';
import { integrationResponseView } from '../views.js';
import { itemNotFound, page, requireApi, requireItem, withApiLock, type Deps } from '../context.js';
import { writeAndAutoDeploy } from '../deploy.js';
import { integrationResponsePattern } from '../websocket-mapping.js';

type Changes = Partial<Pick<IntegrationResponseRecord, 'contentHandlingStrategy' | 'responseParameters' | 'responseTemplates' | 'templateSelectionExpression'>>;
interface ChangeInput {
  ContentHandlingStrategy?: IntegrationResponseRecord['contentHandlingStrategy'];
  ResponseParameters?: Record<string, string>;
  ResponseTemplates?: Record<string, string>;
  TemplateSelectionExpression?: string;
}

async function requireWebSocketIntegration(deps: Deps, ctx: RequestContext, apiId: string, integrationId: string): Promise<void> {
  const api = await requireApi(deps, ctx, apiId);
  if (api.protocolType !== 'WEBSOCKET') throw badRequest('Integration responses are supported only for WebSocket APIs');
  await requireItem(deps, ctx, apiId, 'integration', integrationId);
}

async function requireIntegrationResponse(deps: Deps, ctx: RequestContext, input: { ApiId: string; IntegrationId: string; IntegrationResponseId: string }): Promise<IntegrationResponseRecord> {
  await requireWebSocketIntegration(deps, ctx, input.ApiId, input.IntegrationId);
  const response = await deps.store.getItem(input.ApiId, 'integrationResponse', input.IntegrationResponseId);
  if (!response || response.integrationId !== input.IntegrationId) throw itemNotFound('integrationResponse', input.IntegrationResponseId);
  return response;
}

/** A key is `$default` or a `/regex/`, once per integration. */
async function checkKey(deps: Deps, apiId: string, integrationId: string, key: string, id: string): Promise<void> {
  if (integrationResponsePattern(key) === undefined) {
    throw badRequest(`Invalid integration response key ${key}: use $default or a regular expression between slashes, like /2\\d\\d/`);
  }
  const taken = (await deps.store.listItems(apiId, 'integrationResponse'))
    .some((r) => r.integrationId === integrationId && r.integrationResponseKey === key && r.integrationResponseId !== id);
  if (taken) throw conflict(`Integration response with key ${key} already exists for this integration`);
}

function checkContentHandling(value: string | undefined): void {
  if (value !== undefined && value !== 'CONVERT_TO_BINARY' && value !== 'CONVERT_TO_TEXT') {
    throw badRequest(`Invalid content handling strategy ${value}: CONVERT_TO_BINARY or CONVERT_TO_TEXT`);
  }
}

function changesOf(input: ChangeInput): Changes {
  checkContentHandling(input.ContentHandlingStrategy);
  const changes: Changes = {};
  if (input.ContentHandlingStrategy !== undefined) changes.contentHandlingStrategy = input.ContentHandlingStrategy;
  if (input.ResponseParameters !== undefined) changes.responseParameters = input.ResponseParameters;
  if (input.ResponseTemplates !== undefined) changes.responseTemplates = input.ResponseTemplates;
  if (input.TemplateSelectionExpression !== undefined) changes.templateSelectionExpression = input.TemplateSelectionExpression;
  return changes;
}

export function integrationResponseHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    CreateIntegrationResponse: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      await requireWebSocketIntegration(deps, ctx, input.ApiId, input.IntegrationId);
      const id = newShortId(6);
      await checkKey(deps, input.ApiId, input.IntegrationId, input.IntegrationResponseKey, id);
      const response: IntegrationResponseRecord = {
        integrationResponseId: id, integrationId: input.IntegrationId, integrationResponseKey: input.IntegrationResponseKey, ...changesOf(input),
      };
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'integrationResponse', id, value: response }]);
      return integrationResponseView(response);
    }),

    async GetIntegrationResponse(input, ctx) {
      return integrationResponseView(await requireIntegrationResponse(deps, ctx, input));
    },

    async GetIntegrationResponses(input, ctx) {
      await requireWebSocketIntegration(deps, ctx, input.ApiId, input.IntegrationId);
      const responses = (await deps.store.listItems(input.ApiId, 'integrationResponse')).filter((r) => r.integrationId === input.IntegrationId);
      return page(responses, input, integrationResponseView);
    },

    UpdateIntegrationResponse: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const existing = await requireIntegrationResponse(deps, ctx, input);
      const response: IntegrationResponseRecord = { ...existing, ...changesOf(input) };
      if (input.IntegrationResponseKey !== undefined) {
        await checkKey(deps, input.ApiId, input.IntegrationId, input.IntegrationResponseKey, existing.integrationResponseId);
        response.integrationResponseKey = input.IntegrationResponseKey;
      }
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'integrationResponse', id: response.integrationResponseId, value: response }]);
      return integrationResponseView(response);
    }),

    DeleteIntegrationResponse: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      await requireIntegrationResponse(deps, ctx, input);
      await writeAndAutoDeploy(deps, input.ApiId, [], [{ kind: 'integrationResponse', id: input.IntegrationResponseId }]);
    }),
  };
}
