// The execute-api front on the edge: claims API invocations — any `{apiId}.execute-api.<anything>`
// host, and `/restapis/{id}/{stage}/_user_request_/…` paths (claimed on the raw request-target,
// before the API Gateway control plane sees `/restapis/…`), and requests whose Host is a custom
// domain name (routed by its base path mappings, domain-target.ts) — runs the chain (or, for HTTP
// APIs, their data plane; for WebSocket APIs' callback URLs, the @connections API) and writes the answer
// with the headers API Gateway adds (x-amzn-RequestId, x-amz-apigw-id, X-Amzn-Trace-Id).
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream';
import type { FrontHandler } from '../server/edge.js';
import { logger } from '../core/logger.js';
import { credentialScope } from '../aws/sigv4-scope.js';
import type { InvocationContext, InvocationResponse } from './context.js';
import { runChain, type ChainDeps } from './chain.js';
import type { AccessLogger } from './access-log.js';
import { GatewayError, forbidden, isGatewayError } from './errors.js';
import { customisedErrorResponse } from './gateway-response.js';
import { newExtendedRequestId, traceIdFor } from './ids.js';
import { apiIdFromHost, invokeTarget, isUserRequestPath, readBody, toInvocationRequest, type InvokeTarget } from './request.js';
import { compressResponse, decompressRequest } from './compression.js';
import { carriesBody } from './http-status.js';
import { serveHttpApi, type HttpApiDeps } from './http-api/serve.js';
import type { DomainRuntime } from '../apigateway/domain-runtime.js';
import { domainTarget } from './domain-target.js';
import type { ConnectionsApi, ConnectionsTarget } from './websocket/management.js';

const EMPTY = Buffer.alloc(0);

/**
 * True for a request signed for an AWS API other than execute-api: a custom domain that is also the
 * host the server's own APIs are called on keeps serving those calls (else one CreateDomainName
 * could lock its callers out).
 */
const forAwsApi = (req: IncomingMessage, url: URL): boolean => {
  const scope = credentialScope(req.headers, url.searchParams);
  return scope !== undefined && scope.service !== 'execute-api';
};

export function createExecuteApiFront(deps: ChainDeps, accessLogger?: AccessLogger, httpApis?: HttpApiDeps, domains?: DomainRuntime, connections?: ConnectionsApi): FrontHandler {
  /**
   * A WebSocket API's @connections call on its callback URL ({host}/{stage}/@connections/…, the /restapis/… form,
   * or on a custom domain {domain}/{mappingKey}/@connections/…), or undefined.
   */
  const connectionsTarget = async (req: IncomingMessage, hostApiId: string | undefined, onDomain: boolean): Promise<ConnectionsTarget | undefined> => {
    if (!connections || !req.url?.includes('/@connections/')) return undefined;
    const target = onDomain ? await mappedTarget(req) : invokeTarget(req.url, hostApiId);
    if (!target || !connections.claims(target.rawPath) || !httpApis?.runtime.serves(target.apiId)) return undefined;
    const served = await httpApis.runtime.api(target.apiId);
    return served?.api.protocolType === 'WEBSOCKET' ? { apiId: target.apiId, rawPath: target.rawPath } : undefined;
  };

  /** Where a request to a custom domain goes by its base path mappings; undefined when none takes it. */
  const mappedTarget = async (req: IncomingMessage): Promise<InvokeTarget | undefined> => {
    const mappings = await domains!.mappings(req.headers.host!);
    return mappings && domainTarget(mappings, req.url ?? '/');
  };

  return {
    claims(req: IncomingMessage, url: URL): boolean {
      return apiIdFromHost(req.headers.host) !== undefined || isUserRequestPath(req.url) || (domains?.serves(req.headers.host) === true && !forAwsApi(req, url));
    },

    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      // HTTP APIs share the execute-api host names and path form; telling them apart costs REST APIs one Set lookup.
      const hostApiId = apiIdFromHost(req.headers.host);
      const onDomain = hostApiId === undefined && domains?.serves(req.headers.host) === true;
      const management = await connectionsTarget(req, hostApiId, onDomain);
      if (management) return connections!.serve(req, res, management);
      if (hostApiId !== undefined && httpApis?.runtime.serves(hostApiId)) return serveHttpApi(httpApis, req, res, hostApiId);
      const target = onDomain ? await mappedTarget(req) : invokeTarget(req.url ?? '/', hostApiId);
      if (hostApiId === undefined && target && httpApis?.runtime.serves(target.apiId)) return serveHttpApi(httpApis, req, res, target.apiId, target);
      const startedAt = Date.now();
      const requestId = randomUUID();
      const extendedRequestId = newExtendedRequestId();
      const traceHeader = req.headers['x-amzn-trace-id'];
      const ctx: InvocationContext = {
        requestId,
        extendedRequestId,
        traceId: traceIdFor(Array.isArray(traceHeader) ? traceHeader[0] : traceHeader, startedAt),
        startedAt,
        apiId: target?.apiId ?? '',
        stageName: target?.stage ?? '',
        request: undefined as unknown as InvocationContext['request'],
        stageVariables: null,
        pathParameters: null,
        raw: req,
      };
      let response: InvocationResponse;
      let traced = false;
      try {
        if (!target || target.stage === '') {
          req.resume();
          throw forbidden('No stage in the invocation URL');
        }
        let body: Buffer;
        try {
          body = await readBody(req);
        } catch (e) {
          if (isGatewayError(e)) throw e;
          res.destroy(); // the client is gone
          return;
        }
        ctx.request = toInvocationRequest(req, target, body);
        // Decoded before the API is even looked up, as on AWS; plain bodies pay one header check.
        if (req.headers['content-encoding'] !== undefined) await decompressRequest(ctx.request);
        response = await runChain(ctx, deps);
        // Only APIs deployed with compression on pay for it.
        const minimumCompressionSize = ctx.resolved?.api.minimumCompressionSize;
        if (minimumCompressionSize !== undefined) response = await compressResponse(ctx.request, response, minimumCompressionSize);
        traced = tracedIntegration(ctx);
      } catch (e) {
        response = errorResponse(ctx, e);
        if (isGatewayError(e) && e.type === 'REQUEST_TOO_LARGE') {
          response.headers.Connection = 'close';
          req.resume();
        }
      }
      write(res, ctx, response, traced);
      accessLogger?.record(ctx, response);
      deps.executionLogs?.close(ctx, response);
      // Only stages that exist get series: made-up API ids and stage names cannot grow them.
      if (ctx.resolved) {
        const latency = Date.now() - startedAt;
        deps.metrics?.apiRequest(ctx.apiId, ctx.stageName, response.status, latency);
        deps.cloudWatch?.request(ctx.resolved.api, ctx.stageName, response.status, latency, ctx.integrationLatency);
      }
    },
  };
}

/** AWS adds X-Amzn-Trace-Id to answers from Lambda and HTTP integrations (not MOCK). */
export const tracedIntegration = (ctx: InvocationContext): boolean => ctx.integration !== undefined && ctx.integration.type !== 'MOCK';

/** A GatewayError as AWS's gateway response; anything else is logged and becomes a 500. */
export function errorResponse(ctx: InvocationContext, e: unknown): InvocationResponse {
  let error: GatewayError;
  if (isGatewayError(e)) {
    error = e;
    if (e.detail && e.status >= 500) logger.warn(`execute-api: ${e.detail}`, { apiId: ctx.apiId, stage: ctx.stageName, requestId: ctx.requestId });
    else if (e.detail) logger.debug(`execute-api: ${e.detail}`, { apiId: ctx.apiId, stage: ctx.stageName, requestId: ctx.requestId });
  } else {
    logger.error('execute-api: invocation failed', { apiId: ctx.apiId, stage: ctx.stageName, requestId: ctx.requestId, error: e instanceof Error ? e.stack : String(e) });
    error = new GatewayError('DEFAULT_5XX');
  }
  ctx.error = error;
  ctx.log?.add(error.detail ?? error.message, 'error');
  const response: InvocationResponse = { status: error.status, headers: { 'Content-Type': error.contentType, 'x-amzn-ErrorType': error.errorType }, body: error.body() };
  // Customised gateway responses (PutGatewayResponse) of the deployment being served; absent when it froze none.
  const customised = ctx.resolved?.deployment.snapshot.gatewayResponses;
  return customised ? customisedErrorResponse(ctx, error, response, customised) : response;
}

function write(res: ServerResponse, ctx: InvocationContext, response: InvocationResponse, traced: boolean): void {
  if (res.headersSent || res.destroyed) {
    response.stream?.destroy();
    return;
  }
  const headers: OutgoingHttpHeaders = response.headers;
  headers['x-amzn-RequestId'] = ctx.requestId;
  headers['x-amz-apigw-id'] = ctx.extendedRequestId;
  if (traced) headers['X-Amzn-Trace-Id'] = ctx.traceId;
  const bodyless = !carriesBody(response.status);
  const head = ctx.request?.method === 'HEAD' || bodyless;
  const stream = response.stream;
  // A streamed body goes out chunked, as it comes.
  if (!stream && !bodyless) headers['Content-Length'] = response.body.length;
  try {
    res.writeHead(response.status, headers);
  } catch (e) {
    stream?.destroy();
    logger.warn('execute-api: response could not be written', { requestId: ctx.requestId, error: String(e) });
    const fallback = Buffer.from('{"message": "Internal server error"}');
    res.writeHead(502, 'Bad Gateway', { 'Content-Type': 'application/json', 'Content-Length': fallback.length, 'x-amzn-RequestId': ctx.requestId, 'x-amz-apigw-id': ctx.extendedRequestId, 'x-amzn-ErrorType': 'InternalServerErrorException' });
    res.end(fallback);
    return;
  }
  if (!stream) res.end(head ? EMPTY : response.body);
  else if (head) {
    stream.destroy();
    res.end();
  } else {
    // A source that fails cuts the answer short (the client sees no final chunk); a client that leaves stops it.
    pipeline(stream, res, (e) => {
      if (e) logger.debug('execute-api: streamed response ended early', { requestId: ctx.requestId, error: e.message });
    });
  }
}
