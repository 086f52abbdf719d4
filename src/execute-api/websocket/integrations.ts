// WebSocket routes whose integration is not a Lambda proxy: MOCK (the request template's statusCode),
// HTTP_PROXY (the message sent as is, the endpoint's body back as is), HTTP (the message through
// the request template the template selection expression picks) and AWS (a Lambda function called
// with the transformed message). Non-proxy answers are mapped by the integration response whose key
// matches, through its selected response template. The answer takes the shape of a Lambda proxy
// response ({statusCode, body}), so the gateway treats every integration alike: $connect admits on
// 2xx, a two-way route sends the body back.
import type { OutgoingHttpHeaders } from 'node:http';
import { logger } from '../../core/logger.js';
import type { HttpApiRecord, HttpStageRecord, IntegrationRecord, IntegrationResponseRecord, RouteRecord } from '../../store/httpapi-store.js';
import { evaluateTemplateSelection, mapWebSocketRequestParameters, selectTemplate, selectWebSocketIntegrationResponse, type MappingInput } from '../../apigatewayv2/websocket-mapping.js';
import { configurationError, isGatewayError, unsupportedMediaType } from '../errors.js';
import { executeApiSourceArn, substituteStageVariables } from '../integration-uri.js';
import { renderTemplate, type TemplateVariables } from '../vtl.js';
import { mockStatus } from '../integrations/mock.js';
import { sendToEndpoint } from '../integrations/http.js';
import { callAsGateway, proxyFunctionOf, type LambdaCallDeps } from '../integrations/lambda.js';

/** What the route's integration answered, as a Lambda proxy response, or why there is none. */
export type IntegrationOutcome = ({ response: Record<string, unknown> | undefined } | { failure: 'error' | 'timeout' }) & { latency?: number };

export interface WebSocketIntegrationCall {
  api: HttpApiRecord;
  stage: HttpStageRecord;
  route: RouteRecord;
  integration: IntegrationRecord;
  responses: readonly IntegrationResponseRecord[];
  /** The route sends its answer back (it has a route response): an answer no integration response maps is then an error. */
  twoWay: boolean;
  /** The Lambda proxy event of the message or connection, whose parts the mappings read. */
  event: Record<string, unknown>;
}

/** The endpoint's answer before mapping; `errorMessage` for a Lambda function error. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  errorMessage?: string;
}

/** Handshake headers an HTTP_PROXY endpoint is not sent (hop-by-hop, or the WebSocket upgrade's own). */
const NOT_FORWARDED = /^(?:host|connection|upgrade|content-length|transfer-encoding|keep-alive|te|sec-websocket-.*)$/i;

const record = (v: unknown): Record<string, string> | undefined => (v && typeof v === 'object' ? v as Record<string, string> : undefined);

function mappingInputOf(event: Record<string, unknown>): MappingInput {
  return {
    body: typeof event.body === 'string' ? event.body : '',
    headers: record(event.headers), query: record(event.queryStringParameters),
    context: record(event.requestContext) as Record<string, unknown> | undefined, stageVariables: record(event.stageVariables) ?? null,
  };
}

function templateVariables(input: MappingInput, body: string): TemplateVariables {
  return {
    body, params: { path: {}, querystring: { ...(input.query ?? {}) }, header: { ...(input.headers ?? {}) } },
    context: { ...(input.context ?? {}) }, stageVariables: input.stageVariables ?? null,
  };
}

/** The integration request's body: the selected template's output, or the message passed through as passthroughBehavior allows. */
function requestPayload(integration: IntegrationRecord, input: MappingInput): { body: string; templated: boolean } {
  const template = selectTemplate(integration.requestTemplates, evaluateTemplateSelection(integration.templateSelectionExpression, input));
  if (template !== undefined) return { body: renderTemplate(template, templateVariables(input, input.body)), templated: true };
  const behaviour = integration.passthroughBehavior ?? 'WHEN_NO_MATCH';
  const hasTemplates = Object.keys(integration.requestTemplates ?? {}).length > 0;
  if (behaviour === 'NEVER' || (behaviour === 'WHEN_NO_TEMPLATES' && hasTemplates)) throw unsupportedMediaType();
  return { body: input.body, templated: false };
}

async function callHttp(call: WebSocketIntegrationCall, input: MappingInput, body: string, proxy: boolean): Promise<Answer> {
  const { api, integration } = call;
  const uri = substituteStageVariables(integration.integrationUri ?? '', input.stageVariables ?? null);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw configurationError(`Invalid HTTP endpoint specified for URI: ${uri}`);
  }
  const headers: OutgoingHttpHeaders = {};
  if (proxy) for (const [k, v] of Object.entries(input.headers ?? {})) if (!NOT_FORWARDED.test(k)) headers[k] = v;
  Object.assign(headers, { 'x-amzn-apigateway-api-id': api.apiId, 'User-Agent': `AmazonAPIGateway_${api.apiId}` });
  if (body.length) headers['Content-Type'] = 'application/json';
  const mapped = mapWebSocketRequestParameters(integration.requestParameters, input);
  for (const [k, v] of Object.entries(mapped.querystring)) url.searchParams.append(k, v);
  for (const [k, v] of Object.entries(mapped.header)) {
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === k.toLowerCase()) delete headers[existing];
    headers[k] = v;
  }
  const method = integration.integrationMethod ?? 'POST';
  const sendsBody = method !== 'GET' && method !== 'HEAD';
  const endpoint = await sendToEndpoint({ method, url, headers, body: sendsBody ? Buffer.from(body) : undefined }, integration.timeoutInMillis);
  return { status: endpoint.status, headers: endpoint.headers, body: endpoint.body.toString('utf8') };
}

async function callLambda(deps: LambdaCallDeps, call: WebSocketIntegrationCall, input: MappingInput, body: string): Promise<Answer> {
  const { api, stage, route, integration } = call;
  const ref = proxyFunctionOf(integration.integrationUri ?? '', input.stageVariables ?? null, api);
  if (!ref) throw configurationError(`Invalid Lambda function URI ${integration.integrationUri ?? ''}`);
  const outcome = await callAsGateway({ resolved: { api } }, deps, ref, Buffer.from(body), {
    sourceArn: executeApiSourceArn(api.region, api.accountId, api.apiId, stage.stageName, route.routeKey, ''),
    credentials: integration.credentialsArn, timeoutMs: integration.timeoutInMillis,
  });
  const text = outcome.payload?.toString('utf8') ?? '';
  const answer: Answer = { status: outcome.statusCode, headers: { 'Content-Type': 'application/json' }, body: text };
  if (outcome.functionError) answer.errorMessage = errorMessageOf(text);
  return answer;
}

function errorMessageOf(text: string): string {
  try {
    const v = JSON.parse(text) as { errorMessage?: unknown };
    return typeof v?.errorMessage === 'string' ? v.errorMessage : '';
  } catch {
    return text;
  }
}

/** The endpoint's answer mapped by the matching integration response (its status stays: WebSocket integration responses set none). */
function mapAnswer(call: WebSocketIntegrationCall, input: MappingInput, answer: Answer): Record<string, unknown> {
  // A Lambda function's success takes the $default response; its error, and any other answer, match by the keys' patterns.
  const selector = answer.errorMessage ?? (call.integration.integrationType === 'AWS' ? undefined : String(answer.status));
  const chosen = selectWebSocketIntegrationResponse(call.responses, selector);
  if (!chosen) {
    if (call.twoWay || answer.errorMessage !== undefined) {
      throw configurationError(`No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${answer.status}`);
    }
    return { statusCode: answer.status, body: answer.body };
  }
  const key = evaluateTemplateSelection(chosen.templateSelectionExpression, { ...input, integrationResponse: { statusCode: answer.status, headers: answer.headers } });
  const template = selectTemplate(chosen.responseTemplates, key);
  return { statusCode: answer.status, body: template === undefined ? answer.body : renderTemplate(template, templateVariables(input, answer.body)) };
}

async function answerOf(deps: LambdaCallDeps, call: WebSocketIntegrationCall, input: MappingInput): Promise<Answer> {
  const type = call.integration.integrationType;
  if (type === 'HTTP_PROXY') return callHttp(call, input, input.body, true);
  const payload = requestPayload(call.integration, input);
  if (type === 'MOCK') return { status: payload.templated ? mockStatus(payload.body) : 200, headers: {}, body: '' };
  if (type === 'HTTP') return callHttp(call, input, payload.body, false);
  if (type === 'AWS') return callLambda(deps, call, input, payload.body);
  throw configurationError(`Integration type ${type} is not served by this path`);
}

/** Calls a route's MOCK, HTTP, HTTP_PROXY or AWS (Lambda) integration as API Gateway does. */
export async function callWebSocketIntegration(deps: LambdaCallDeps, call: WebSocketIntegrationCall): Promise<IntegrationOutcome> {
  const input = mappingInputOf(call.event);
  const started = Date.now();
  try {
    const answer = await answerOf(deps, call, input);
    // AWS reports no integration latency for MOCK integrations.
    const latency = call.integration.integrationType === 'MOCK' ? undefined : Date.now() - started;
    if (call.integration.integrationType === 'HTTP_PROXY') return { response: { statusCode: answer.status, body: answer.body }, latency };
    return { response: mapAnswer(call, input, answer), latency };
  } catch (e) {
    if (!isGatewayError(e)) throw e;
    logger.warn(`WebSocket API: ${e.detail ?? e.message}`, { apiId: call.api.apiId, stage: call.stage.stageName, routeKey: call.route.routeKey });
    return { failure: e.type === 'INTEGRATION_TIMEOUT' ? 'timeout' : 'error', latency: Date.now() - started };
  }
}
