// HTTP and HTTP_PROXY: a request to another HTTP endpoint. HTTP_PROXY passes the client's path
// parameters ({proxy} in the URI), query string, headers and body through and the endpoint's
// response back (re-mapping the headers API Gateway owns to x-amzn-Remapped-*). HTTP builds the
// request from request parameters and templates, and maps the response through the integration
// responses selected by status code.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { InvocationContext, InvocationResponse } from '../context.js';
import { header } from '../context.js';
import { badIntegrationResponse, configurationError, integrationTimeout } from '../errors.js';
import { integrationPayload, mapRequestParameters, withRequestOverrides, type MappedParameters } from '../integration-request.js';
import { applyIntegrationResponse, checkHeader, remappedName, selectIntegrationResponse, type EndpointResponse } from '../integration-response.js';
import { substitutePathParameters, substituteStageVariables } from '../integration-uri.js';
import { MAX_BODY_BYTES } from '../request.js';
import { DEFAULT_TIMEOUT_MS } from './lambda.js';
import { httpsAgentFor, sharedHttpsAgent } from './backend-tls.js';

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 256 });

/** Request headers never forwarded (hop-by-hop, or set by API Gateway itself). */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'te', 'upgrade', 'proxy-connection', 'expect']);
const DROPPED_RESPONSE = new Set(['transfer-encoding', 'keep-alive']);

export interface Outbound {
  method: string;
  url: URL;
  headers: OutgoingHttpHeaders;
  body: Buffer | undefined;
  /** Answer once the endpoint's head has arrived, with its body as a stream (response transfer mode STREAM). */
  streaming?: boolean;
}

function targetUrl(ctx: InvocationContext, pathValues: Record<string, string>): URL {
  const uri = substitutePathParameters(substituteStageVariables(ctx.integration!.uri ?? '', ctx.stageVariables), pathValues);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw configurationError(`Invalid HTTP endpoint specified for URI: ${uri}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw configurationError(`Invalid HTTP endpoint specified for URI: ${uri}`);
  return url;
}

function integrationMethod(ctx: InvocationContext): string {
  const m = (ctx.integration!.httpMethod ?? 'ANY').toUpperCase();
  return m === 'ANY' ? ctx.request.method : m;
}

function baseHeaders(ctx: InvocationContext): OutgoingHttpHeaders {
  return { 'x-amzn-apigateway-api-id': ctx.apiId, 'X-Amzn-Trace-Id': ctx.traceId };
}

function addMapped(headers: OutgoingHttpHeaders, url: URL, mapped: MappedParameters): void {
  for (const [k, v] of Object.entries(mapped.header)) {
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === k.toLowerCase()) delete headers[existing];
    headers[k] = v;
  }
  for (const [k, v] of Object.entries(mapped.querystring)) url.searchParams.append(k, v);
}

function send(ctx: InvocationContext, out: Outbound): Promise<EndpointResponse> {
  return sendToEndpoint(out, ctx.integration!.timeoutInMillis ?? DEFAULT_TIMEOUT_MS, out.url.protocol === 'https:' ? httpsAgentFor(ctx) : undefined);
}

/**
 * One request to an HTTP endpoint, its whole answer read (10 MB at most); gateway errors for network
 * failures and the timeout. An https endpoint is called through `httpsAgent` (the stage's client
 * certificate, the integration's TLS settings), else the shared one.
 */
export function sendToEndpoint(out: Outbound, timeoutMs: number, httpsAgent?: HttpsAgent): Promise<EndpointResponse> {
  const requestFn = out.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = out.url.protocol === 'https:' ? httpsAgent ?? sharedHttpsAgent : httpAgent;
  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const headers = { ...out.headers };
    if (out.body !== undefined) headers['Content-Length'] = out.body.length;
    const req = requestFn(out.url, { method: out.method, headers, agent }, (res) => {
      if (out.streaming) {
        // API Gateway sends the status and headers once all of them have arrived, then the body as it comes.
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 502, headers: flatten(res.headers), body: Buffer.alloc(0), stream: res });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) fail(badIntegrationResponse('Execution failed: the endpoint response body is larger than 10 MB'));
        else chunks.push(c);
      });
      res.once('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 502, headers: flatten(res.headers), body: Buffer.concat(chunks, size) });
      });
      res.once('error', (e) => fail(badIntegrationResponse(`Execution failed due to a network error: ${e.message}`)));
    });
    timer = setTimeout(() => fail(integrationTimeout()), timeoutMs);
    req.once('error', (e) => {
      fail(badIntegrationResponse(`Execution failed due to a network error communicating with the endpoint: ${e.message}`));
    });
    req.end(out.body);
  });
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const hasBody = (method: string, body: Buffer): boolean => body.length > 0 || !(method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'DELETE');

export async function invokeHttp(ctx: InvocationContext): Promise<InvocationResponse> {
  const integration = ctx.integration!;
  const payload = integrationPayload(ctx);
  const mapped = withRequestOverrides(ctx, mapRequestParameters(ctx));
  const url = targetUrl(ctx, mapped.path);
  const method = integrationMethod(ctx);
  const headers: OutgoingHttpHeaders = {
    ...baseHeaders(ctx),
    'User-Agent': `AmazonAPIGateway_${ctx.apiId}`,
    Accept: 'application/json',
  };
  if (payload.body.length) headers['Content-Type'] = payload.templated ? payload.contentType ?? 'application/json' : header(ctx.request, 'content-type') ?? 'application/json';
  addMapped(headers, url, mapped);
  const endpoint = await send(ctx, { method, url, headers, body: hasBody(method, payload.body) ? payload.body : undefined });
  const selected = selectIntegrationResponse(integration.integrationResponses, String(endpoint.status));
  return applyIntegrationResponse(ctx, selected, endpoint);
}

export async function invokeHttpProxy(ctx: InvocationContext): Promise<InvocationResponse> {
  const mapped = mapRequestParameters(ctx);
  const pathValues = { ...(ctx.pathParameters ?? {}), ...mapped.path };
  const url = targetUrl(ctx, pathValues);
  if (ctx.integrationPath !== undefined) url.pathname = ctx.integrationPath;
  if (ctx.request.rawQuery) url.search = url.search ? `${url.search}&${ctx.request.rawQuery}` : `?${ctx.request.rawQuery}`;
  const method = integrationMethod(ctx);
  const r = ctx.request;
  const headers: OutgoingHttpHeaders = {};
  for (const key in r.multiHeaders) {
    if (NOT_FORWARDED.has(key.toLowerCase())) continue;
    const values = r.multiHeaders[key];
    headers[key] = values.length === 1 ? values[0] : values;
  }
  const forwardedFor = header(r, 'x-forwarded-for');
  Object.assign(headers, baseHeaders(ctx), {
    'X-Forwarded-For': forwardedFor ? `${forwardedFor}, ${r.sourceIp}` : r.sourceIp,
    'X-Forwarded-Port': String(ctx.raw?.socket.localPort ?? 80),
    'X-Forwarded-Proto': 'http',
  });
  for (const name of ['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'x-amzn-trace-id']) {
    const original = r.headerNames.get(name);
    if (original !== undefined && !['X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto', 'X-Amzn-Trace-Id'].includes(original)) delete headers[original];
  }
  addMapped(headers, url, mapped);
  const streaming = ctx.integration!.responseTransferMode === 'STREAM';
  const endpoint = await send(ctx, { method, url, headers, body: hasBody(method, r.body) ? r.body : undefined, streaming });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(endpoint.headers)) {
    const lower = k.toLowerCase();
    if (DROPPED_RESPONSE.has(lower)) continue;
    const name = remappedName(k);
    if (checkHeader(name, v)) out[name] = v;
  }
  if (!Object.keys(out).some((k) => k.toLowerCase() === 'content-type')) out['Content-Type'] = 'application/json';
  return { status: endpoint.status, headers: out, body: endpoint.body, stream: endpoint.stream };
}
