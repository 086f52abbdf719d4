// The HTTP API data plane: a request on an HTTP API's {apiId}.execute-api host is served by the
// stage its first path segment names (the rest of the path is the route path) or else by the
// $default stage (the whole path), through the route AWS would select, to its integration —
// a Lambda function with a payload format 2.0 or 1.0 event, or an HTTP endpoint (HTTP_PROXY) —
// once the route's authorizer (JWT or Lambda) or, for AWS_IAM routes, the request's signature admitted it,
// with the integration's parameter mappings applied to what it receives and to its answer.
// An API with a CORS configuration answers preflights itself and puts its CORS headers on answers.
// Answers and failures are shaped as AWS's HTTP APIs shape them: {"message":"Not Found"} (404),
// {"message":"Unauthorized"} (401) and {"message":"Forbidden"} (403) from authorizers and AWS_IAM
// routes (whose wrong signatures get the signature check's message, 403),
// {"message":"Internal Server Error"} (500) for a function error, a refused permission or an
// answer that is no response, {"message":"Service Unavailable"} (503) when the integration times
// out, {"message":"Too Many Requests"} (429) over a route's throttle; every answer carries an
// apigw-requestid header.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logger } from '../../core/logger.js';
import type { FunctionRef } from '../../lambda/names.js';
import type { InvokeOutcome } from '../../lambda/invoke.js';
import type { HttpApiRuntime } from '../../apigatewayv2/runtime.js';
import { answerFor, type UrlAnswer } from '../../function-urls/response.js';
import { writeAnswer } from '../../function-urls/front.js';
import type { InvocationContext, InvocationResponse } from '../context.js';
import type { AccessLogger } from '../access-log.js';
import { isGatewayError } from '../errors.js';
import { newExtendedRequestId, traceIdFor } from '../ids.js';
import { readBody } from '../request.js';
import { callAsGateway, proxyFunctionOf } from '../integrations/lambda.js';
import { proxyAnswer } from '../integrations/aws-proxy.js';
import { invokeHttpProxy } from '../integrations/http.js';
import { isPrivate, throughVpcLink, type VpcLinkLookup } from '../integrations/vpc-link.js';
import { invocationContext, type HttpApiCall } from './invocation.js';
import { mapResponse, mappingsOf } from './parameter-mapping.js';
import { applyRequestMappings, mappingSources } from './mapping-step.js';
import type { RouteThrottle } from './route-throttle.js';
import { authorizerV1, formatV1Event, formatV2Event } from './events.js';
import { authorizeRoute, type HttpAuthorizeDeps } from './authorize.js';
import { JwtRefusal } from './jwt-authorizer.js';
import { applyCors, isPreflight, preflightHeaders } from '../../function-urls/cors.js';
import type { HttpApiRecord, HttpStageRecord } from '../../store/httpapi-store.js';
import type { HttpApiMetricsRecorder } from '../../cloudwatch/httpapi-metrics.js';
import { detailedRoute } from '../../cloudwatch/apigatewayv2-cells.js';

export interface HttpApiDeps extends HttpAuthorizeDeps {
  runtime: HttpApiRuntime;
  /** Stages' route throttles; without it, none are enforced. */
  routeThrottle?: RouteThrottle;
  /** Writes the access log line of stages that have access log settings. */
  accessLogger?: AccessLogger;
  /** VPC links, which private integrations' links must name; without it, any link is taken to exist. */
  vpcLinks?: VpcLinkLookup;
  /** AWS/ApiGateway metrics for CloudWatch (HTTP API stages). */
  cloudWatch?: HttpApiMetricsRecorder;
}

/** A request's ids, the stage that serves it once found, and its context once it has been routed (what its access log line is made of). */
type Ids = Pick<HttpApiCall, 'requestId' | 'traceId' | 'startedAt'> & { api?: HttpApiRecord; stage?: HttpStageRecord; ctx?: InvocationContext };

const message = (status: number, text: string): UrlAnswer =>
  ({ status, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(JSON.stringify({ message: text })) });
const notFound = () => message(404, 'Not Found');
const internalError = () => message(500, 'Internal Server Error');
const unavailable = () => message(503, 'Service Unavailable');
const tooLarge = () => message(413, 'Request Entity Too Large');
const throttled = () => message(429, 'Too Many Requests');

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** Where a `/restapis/{apiId}/{stage}/_user_request_/{path}` request points (absent for the host form). */
export interface PathStyleTarget {
  stage: string;
  rawPath: string;
  rawQuery: string;
  /** On a custom domain: the API mapping key the request came in under ('' for none), which the function's path keeps. */
  basePath?: string;
}

export async function serveHttpApi(deps: HttpApiDeps, req: IncomingMessage, res: ServerResponse, apiId: string, pathStyle?: PathStyleTarget): Promise<void> {
  const startedAt = Date.now();
  const requestId = newExtendedRequestId();
  const traceId = traceIdFor(first(req.headers['x-amzn-trace-id']), startedAt);
  let answer: UrlAnswer | undefined;
  const ids: Ids = { requestId, traceId, startedAt };
  try {
    answer = await answerRequest(deps, req, apiId, pathStyle, ids);
  } catch (e) {
    logger.error('HTTP API: invocation failed', { apiId, requestId, error: e instanceof Error ? e.stack : String(e) });
    answer = internalError();
  }
  if (!answer) return void res.destroy(); // the client went away before sending its whole body
  writeAnswer(res, req.method === 'HEAD', answer, { 'apigw-requestid': requestId }, internalError());
  if (ids.ctx) deps.accessLogger?.record(ids.ctx, { status: answer.status, headers: answer.headers, body: answer.body });
  // Only stages that exist get series: made-up stage names cannot grow them.
  if (ids.stage && deps.cloudWatch) {
    const { ctx, stage } = ids;
    const bytes = (ctx?.request.body.length ?? 0) + answer.body.length;
    deps.cloudWatch.request(ids.api!, stage.stageName, detailedRoute(stage, ctx?.routeKey), answer.status, Date.now() - startedAt, ctx?.integrationLatency, bytes);
  }
}

/** The request's path and query, raw (an absolute-form target loses its scheme and authority). */
function splitTarget(url: string): { path: string; query: string } {
  let target = url.startsWith('/') ? url : url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

async function answerRequest(deps: HttpApiDeps, req: IncomingMessage, apiId: string, pathStyle: PathStyleTarget | undefined,
  ids: Ids): Promise<UrlAnswer | undefined> {
  const served = await deps.runtime.api(apiId);
  // A custom domain still serves an API whose execute-api endpoint is disabled, as on AWS.
  if (!served || (served.api.disableExecuteApiEndpoint && pathStyle?.basePath === undefined)) return drained(req, notFound());
  // A WebSocket API's endpoint takes WebSocket upgrades (and @connections calls, served before this), no plain requests.
  if (served.api.protocolType === 'WEBSOCKET') return drained(req, message(403, 'Forbidden'));
  let { path, query } = splitTarget(req.url ?? '/');
  let stage: HttpStageRecord | undefined;
  let routePath = path;
  if (pathStyle) {
    // The path form names the stage ($default included); the function sees the host form's path.
    stage = served.stages.get(decodeSegment(pathStyle.stage));
    routePath = pathStyle.rawPath;
    query = pathStyle.rawQuery;
    if (pathStyle.basePath !== undefined) path = pathStyle.basePath + (pathStyle.basePath && routePath === '/' ? '' : routePath);
    else path = stage?.stageName === '$default' ? routePath : `/${pathStyle.stage}${routePath === '/' ? '' : routePath}`;
  } else {
    const firstSegment = path.split('/')[1] ?? '';
    stage = firstSegment !== '$default' ? served.stages.get(decodeSegment(firstSegment)) : undefined;
    if (stage) routePath = path.slice(1 + firstSegment.length) || '/';
    else stage = served.stages.get('$default');
  }
  if (!stage?.deploymentId) return drained(req, notFound());
  ids.api = served.api;
  ids.stage = stage;
  const cors = served.api.corsConfiguration;
  if (cors && isPreflight(req.method ?? 'GET', req.headers)) {
    // With CORS configured, API Gateway answers every preflight itself, OPTIONS route or not.
    const headers = preflightHeaders(cors, first(req.headers.origin), first(req.headers['access-control-request-method']));
    return drained(req, { status: 204, headers, cookies: [], body: Buffer.alloc(0) });
  }
  const answer = await routeRequest(deps, req, served.api, stage, stage.deploymentId, { path, routePath, query }, ids);
  return answer && cors ? withCors(answer, served.api, first(req.headers.origin)) : answer;
}

/** The configured CORS headers in place of any the integration sent (header names lower-cased, as HTTP APIs send them). */
function withCors(answer: UrlAnswer, api: HttpApiRecord, origin: string | undefined): UrlAnswer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) headers[name.toLowerCase()] = value;
  applyCors(api.corsConfiguration!, origin, headers);
  return { ...answer, headers };
}

async function routeRequest(deps: HttpApiDeps, req: IncomingMessage, api: HttpApiRecord, stage: HttpStageRecord, deploymentId: string,
  paths: { path: string; routePath: string; query: string }, ids: Ids): Promise<UrlAnswer | undefined> {
  const { path, routePath, query } = paths;
  const apiId = api.apiId;
  const deployment = await deps.runtime.deployment(api, deploymentId);
  const match = deployment?.router?.match(req.method ?? 'GET', routePath);
  const integrationId = match?.route.target?.slice('integrations/'.length);
  const integration = integrationId === undefined ? undefined : deployment!.integrations.get(integrationId);
  if (!match || !integration) return drained(req, notFound());
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (e) {
    return isGatewayError(e) ? tooLarge() : undefined;
  }
  const call: HttpApiCall = { req, api, stage, deploymentId, match, integration, path, routePath, rawQuery: query, body, requestId: ids.requestId, traceId: ids.traceId, startedAt: ids.startedAt };
  const ctx = invocationContext(call);
  ids.ctx = ctx;
  // Throttled before the authorizer and the integration run, as on AWS (and logged like any answer).
  if (deps.routeThrottle && !deps.routeThrottle.admit(stage, match.route.routeKey)) return throttled();
  try {
    call.authorization = await authorizeRoute(deps, ctx, call, deployment!.authorizers);
    if (call.authorization) ctx.httpAuthorizer = authorizerV1(call.authorization);
  } catch (e) {
    const refusal = refusalOf(e, call);
    if (!refusal) throw e;
    ctx.httpAuthorizer = { error: refusal.error };
    return refusal.answer;
  }
  const mappings = mappingsOf(integration);
  if (mappings?.request.length) applyRequestMappings(mappings.request, call, ctx);
  const integrationStarted = Date.now();
  try {
    const answer = integration.integrationType === 'HTTP_PROXY'
      ? fromInvocationResponse(await (isPrivate(ctx) ? throughVpcLink(ctx, deps.vpcLinks, 'http', invokeHttpProxy) : invokeHttpProxy(ctx)))
      : await invokeFunction(deps, ctx, call);
    if (!answer) return internalError();
    return mappings?.response.size ? mapResponse(mappings.response, answer, mappingSources(call, ctx)) : answer;
  } catch (e) {
    if (!isGatewayError(e)) throw e;
    if (e.detail) logger.warn(`HTTP API: ${e.detail}`, { apiId, stage: stage.stageName, requestId: ids.requestId });
    return e.type === 'INTEGRATION_TIMEOUT' ? unavailable() : internalError();
  } finally {
    ctx.integrationLatency = Date.now() - integrationStarted;
  }
}

/**
 * An authorizer's refusal as HTTP APIs answer it — 401 Unauthorized, 403 Forbidden, or 500 when the
 * authorizer failed — with the error its access log line shows ($context.authorizer.error).
 */
function refusalOf(e: unknown, call: HttpApiCall): { answer: UrlAnswer; error: string } | undefined {
  if (e instanceof JwtRefusal) {
    const answer = message(e.status, e.status === 401 ? 'Unauthorized' : 'Forbidden');
    return { answer: { ...answer, headers: { ...answer.headers, 'www-authenticate': e.wwwAuthenticate } }, error: e.message };
  }
  if (!isGatewayError(e)) return undefined;
  const refused = (status: number, text: string) => ({ answer: message(status, text), error: text });
  if (e.type === 'UNAUTHORIZED') return refused(401, 'Unauthorized');
  if (e.type === 'ACCESS_DENIED' || e.type === 'FORBIDDEN') return refused(403, 'Forbidden');
  // An AWS_IAM route's signature that does not verify: the signature check's message, as REST APIs answer it.
  if (e.type === 'INVALID_SIGNATURE') return refused(403, e.bodyMessage ?? 'Forbidden');
  if (e.type !== 'AUTHORIZER_CONFIGURATION_ERROR') return undefined;
  logger.warn(`HTTP API: ${e.detail ?? e.message}`, { apiId: call.api.apiId, stage: call.stage.stageName, requestId: call.requestId });
  return refused(500, 'Internal Server Error');
}

function drained(req: IncomingMessage, answer: UrlAnswer): UrlAnswer {
  req.resume();
  return answer;
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The function an AWS_PROXY integration names: a Lambda ARN or API Gateway's invocation URI for one. */
const functionOf = (ctx: InvocationContext, uri: string): FunctionRef | undefined => proxyFunctionOf(uri, ctx.stageVariables, ctx.resolved!.api);

/** The source ARN HTTP APIs present to Lambda: {apiId}/{stage}/{METHOD}{route path}, or {apiId}/{stage}/$default. */
function sourceArn(call: HttpApiCall): string {
  const { api, stage, match } = call;
  const rest = match.path === '$default' ? '$default' : `${call.req.method ?? 'GET'}${match.path}`;
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${stage.stageName}/${rest}`;
}

/** The function's answer; undefined when it failed or gave no response (a 500). */
async function invokeFunction(deps: HttpApiDeps, ctx: InvocationContext, call: HttpApiCall): Promise<UrlAnswer | undefined> {
  const { integration } = call;
  const ref = functionOf(ctx, integration.integrationUri ?? '');
  if (!ref) {
    logger.warn('HTTP API: the integration names no Lambda function', { apiId: call.api.apiId, uri: integration.integrationUri });
    return undefined;
  }
  const v2 = integration.payloadFormatVersion === '2.0';
  const event = v2 ? formatV2Event(call) : formatV1Event(ctx, call);
  const outcome: InvokeOutcome = await callAsGateway(ctx, deps, ref, Buffer.from(JSON.stringify(event)), {
    sourceArn: sourceArn(call), credentials: integration.credentialsArn, timeoutMs: integration.timeoutInMillis, payloadIsJson: true,
  });
  if (outcome.functionError) return undefined;
  if (v2) return answerFor(outcome.payload);
  return fromInvocationResponse(proxyAnswer(ctx, outcome, false));
}

function fromInvocationResponse(r: InvocationResponse): UrlAnswer {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(r.headers)) {
    const values = Array.isArray(value) ? value : [value];
    if (name.toLowerCase() === 'set-cookie') cookies.push(...values);
    else headers[name] = values.join(',');
  }
  return { status: r.status, headers, cookies, body: r.body };
}
