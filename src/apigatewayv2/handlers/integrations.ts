// CreateIntegration, GetIntegration, GetIntegrations, UpdateIntegration, DeleteIntegration.
// HTTP APIs integrate with Lambda functions (AWS_PROXY, payload format 1.0 or 2.0) and with HTTP
// endpoints (HTTP_PROXY, payload format 1.0). WebSocket APIs' integrations (Lambda with or without the
// proxy, HTTP endpoints, MOCK) are checked in ../websocket-integrations.ts.
import type { HandlerTable } from '../../aws/protocols/rest-json.js';
import type { CreateIntegrationRequest, Operations } from '../../aws/generated/apigatewayv2.js';
import type { HttpApiRecord, IntegrationRecord } from '../../store/httpapi-store.js';
import { newShortId } from '../../core/ids.js';
import { badRequest, conflict } from '../../apigateway/errors.js';
import { integrationView } from '../views.js';
import { page, requireApi, requireItem, withApiLock, type Deps } from '../context.js';
import { writeAndAutoDeploy } from '../deploy.js';
import { compileRequestParameters, compileResponseParameters, mergeParameterMap, mergeResponseParameters } from '../parameter-mapping.js';
import { checkVpcLinkOf, connectionOf } from '../private-integrations.js';
import { websocketIntegrationFrom } from '../websocket-integrations.js';

export const DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;

type IntegrationInput = Omit<CreateIntegrationRequest, 'ApiId' | 'IntegrationType'> & { IntegrationType?: CreateIntegrationRequest['IntegrationType'] };

/** The integration `input` makes of `base` (empty for a new one), checked as AWS checks HTTP API integrations. */
export function integrationFrom(id: string, base: Partial<IntegrationRecord>, input: IntegrationInput, protocol: HttpApiRecord['protocolType'] = 'HTTP',
  update = false): IntegrationRecord {
  const type = input.IntegrationType ?? base.integrationType;
  if (protocol === 'WEBSOCKET') return websocketIntegrationFrom(id, base, input);
  if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') throw badRequest(`Integration type ${type} is not supported for HTTP APIs. Use AWS_PROXY or HTTP_PROXY.`);
  const connection = connectionOf(input, base);
  if (input.IntegrationSubtype !== undefined) throw badRequest('Integration subtypes (AWS service integrations) are not supported by Stagecraft yet.');
  const uri = input.IntegrationUri ?? base.integrationUri;
  if (!uri) throw badRequest('Integration URI is required for HTTP APIs.');
  const format = input.PayloadFormatVersion ?? base.payloadFormatVersion ?? (type === 'HTTP_PROXY' ? '1.0' : undefined);
  if (format === undefined) throw badRequest('PayloadFormatVersion is required for AWS_PROXY integrations of HTTP APIs');
  if (format !== '1.0' && format !== '2.0') throw badRequest(`Unsupported payload format version ${format}. Supported versions are 1.0 and 2.0`);
  if (type === 'HTTP_PROXY' && format !== '1.0') throw badRequest('Only payload format version 1.0 is supported for HTTP_PROXY integrations');
  if (type === 'HTTP_PROXY' && !/^https?:\/\//i.test(uri)) throw badRequest(`Invalid integration URI specified ${uri}: HTTP_PROXY integrations need an http or https URL`);
  const method = input.IntegrationMethod ?? base.integrationMethod ?? (type === 'AWS_PROXY' ? 'POST' : undefined);
  if (method === undefined) throw badRequest('Integration method is required for HTTP_PROXY integrations');
  const timeout = input.TimeoutInMillis ?? base.timeoutInMillis ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
  if (timeout < 50 || timeout > 30_000) throw badRequest('Timeout must be between 50 ms and 30000 ms');
  const record: IntegrationRecord = {
    integrationId: id, integrationType: type, integrationUri: uri, integrationMethod: method.toUpperCase(), payloadFormatVersion: format,
    timeoutInMillis: timeout, ...connection,
  };
  const description = input.Description ?? base.description;
  if (description !== undefined) record.description = description;
  const credentials = input.CredentialsArn ?? base.credentialsArn;
  if (credentials !== undefined) record.credentialsArn = credentials;
  Object.assign(record, parameterMappings(base, input, update));
  if (base.apiGatewayManaged) record.apiGatewayManaged = true;
  return record;
}

/**
 * The integration's parameter mappings, checked: as given on create; merged key by key on update,
 * where an empty value takes a mapping away (see mergeParameterMap).
 */
function parameterMappings(base: Partial<IntegrationRecord>, input: IntegrationInput, update: boolean): Pick<IntegrationRecord, 'requestParameters' | 'responseParameters'> {
  const given = { request: input.RequestParameters, response: input.ResponseParameters };
  const requestParameters = given.request === undefined ? base.requestParameters
    : update ? mergeParameterMap(base.requestParameters, given.request) : given.request;
  const responseParameters = given.response === undefined ? base.responseParameters
    : update ? mergeResponseParameters(base.responseParameters, given.response) : given.response;
  // Only what this call changes is checked, so stored mappings never block an unrelated update.
  if (given.request !== undefined && requestParameters) compileRequestParameters(requestParameters);
  if (given.response !== undefined && responseParameters) compileResponseParameters(responseParameters);
  return {
    ...(requestParameters && Object.keys(requestParameters).length ? { requestParameters } : {}),
    ...(responseParameters && Object.keys(responseParameters).length ? { responseParameters } : {}),
  };
}

export function integrationHandlers(deps: Deps): HandlerTable<Operations> {
  return {
    CreateIntegration: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const api = await requireApi(deps, ctx, input.ApiId);
      const integration = integrationFrom(newShortId(7), {}, input, api.protocolType);
      await checkVpcLinkOf(deps, ctx, integration);
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'integration', id: integration.integrationId, value: integration }]);
      return integrationView(integration);
    }),

    async GetIntegration(input, ctx) {
      return integrationView(await requireItem(deps, ctx, input.ApiId, 'integration', input.IntegrationId));
    },

    async GetIntegrations(input, ctx) {
      await requireApi(deps, ctx, input.ApiId);
      return page(await deps.store.listItems(input.ApiId, 'integration'), input, integrationView);
    },

    UpdateIntegration: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      const existing = await requireItem(deps, ctx, input.ApiId, 'integration', input.IntegrationId);
      const integration = integrationFrom(existing.integrationId, existing, input, (await requireApi(deps, ctx, input.ApiId)).protocolType, true);
      await checkVpcLinkOf(deps, ctx, integration);
      await writeAndAutoDeploy(deps, input.ApiId, [{ kind: 'integration', id: integration.integrationId, value: integration }]);
      return integrationView(integration);
    }),

    DeleteIntegration: (input, ctx) => withApiLock(deps, input.ApiId, async () => {
      await requireItem(deps, ctx, input.ApiId, 'integration', input.IntegrationId);
      const target = `integrations/${input.IntegrationId}`;
      const users = (await deps.store.listItems(input.ApiId, 'route')).filter((r) => r.target === target);
      if (users.length) throw conflict(`Cannot delete integration ${input.IntegrationId}: routes ${users.map((r) => r.routeId).join(', ')} use it as their target`);
      // Its integration responses go with it.
      const responses = (await deps.store.listItems(input.ApiId, 'integrationResponse')).filter((r) => r.integrationId === input.IntegrationId);
      await writeAndAutoDeploy(deps, input.ApiId, [],
        [{ kind: 'integration', id: input.IntegrationId }, ...responses.map((r) => ({ kind: 'integrationResponse' as const, id: r.integrationResponseId }))]);
    }),
  };
}
