// The function URL front on the edge: claims `{url-id}.lambda-url.{region}.<anything>` hosts and
// `/lambda-url/{url-id}/…` paths, checks the URL's auth type, answers CORS preflights, and calls
// the function through the one invoke pipeline on the URL's qualifier with a payload format 2.0
// event. Answers and failures are shaped as AWS's function URLs shape them (recorded on AWS).
import { STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { isAwsError } from '../core/errors.js';
import { newRequestId } from '../core/ids.js';
import { logger } from '../core/logger.js';
import type { FrontHandler } from '../server/edge.js';
import type { FunctionUrlRecord, LambdaStore } from '../store/lambda-store.js';
import { InvokePermissionError, SYNC_PAYLOAD_LIMIT, type Invoker, type ServiceCaller } from '../lambda/invoke.js';
import { isFunctionUrlRequest, urlTarget, type UrlTarget } from '../lambda/function-url-address.js';
import { readBody } from '../execute-api/request.js';
import { isGatewayError } from '../execute-api/errors.js';
import { carriesBody } from '../execute-api/http-status.js';
import { traceIdFor } from '../execute-api/ids.js';
import { credentialScope } from '../aws/sigv4-scope.js';
import type { SigV4Verifier } from '../aws/sigv4-verify.js';
import { buildUrlEvent } from './event.js';
import { answerFor, streamedAnswer, type UrlAnswer } from './response.js';
import { applyCors, isPreflight, preflightHeaders } from './cors.js';
import { UrlResponseStream, type StreamTarget } from './response-stream.js';

export interface FunctionUrlDeps {
  store: LambdaStore;
  invoker: Invoker;
  /** Off (`--no-enforce-permissions`): AuthType NONE URLs answer without a resource-policy statement. */
  enforcePermissions: boolean;
  /** With credentials configured: AWS_IAM URLs verify the request's signature (service lambda). */
  verifier?: SigV4Verifier;
}

const FORBIDDEN = '{"Message":"Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"}';

const json = (status: number, errorType: string, body: string): UrlAnswer =>
  ({ status, headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': errorType }, cookies: [], body: Buffer.from(body) });
/** An unknown url-id: AWS answers 403 with a null message. */
const noSuchUrl = (): UrlAnswer => json(403, 'AccessDeniedException', '{"Message":null}');
const forbidden = (): UrlAnswer => json(403, 'AccessDeniedException', FORBIDDEN);
/** A function error, a timeout or an answer that is no HTTP response: AWS's 502. */
const internalError = (): UrlAnswer => ({ status: 502, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from('Internal Server Error') });

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** AWS_IAM URLs need a SigV4-signed request (header or presigned query); the signature itself is checked after the body arrives, when the server verifies signatures. */
function signedCaller(req: IncomingMessage, url: URL): Record<string, unknown> | undefined {
  const authorization = first(req.headers.authorization);
  const signed = authorization?.startsWith('AWS4-HMAC-SHA256 ') || url.searchParams.has('X-Amz-Signature');
  if (!signed) return undefined;
  const scope = credentialScope(req.headers, url.searchParams);
  return { accessKey: scope?.accessKeyId ?? null };
}

export function createFunctionUrlFront(deps: FunctionUrlDeps): FrontHandler {
  return {
    claims: (req) => isFunctionUrlRequest(req.headers.host, req.url),

    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
      const startedAt = Date.now();
      const requestId = newRequestId();
      const traceId = traceIdFor(first(req.headers['x-amzn-trace-id']), startedAt);
      const target = urlTarget(req.headers.host, req.url ?? '/');
      const record = target && (await deps.store.getFunctionUrlConfigById(target.urlId));
      let answer: UrlAnswer | undefined | 'sent';
      if (!target || !record || (target.region !== undefined && target.region !== record.region)) {
        req.resume();
        answer = noSuchUrl();
      } else {
        answer = await serve(deps, { req, res, url, target, record, requestId, traceId, startedAt });
        if (answer === 'sent') return;
        if (answer && record.cors && !isPreflight(req.method ?? 'GET', req.headers)) applyCors(record.cors, first(req.headers.origin), answer.headers);
      }
      if (answer) write(res, req.method === 'HEAD', answer, requestId, traceId);
      else res.destroy(); // the client went away before sending its whole body
    },
  };
}

/** One request to a known function URL. */
interface UrlCall {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  target: UrlTarget;
  record: FunctionUrlRecord;
  requestId: string;
  traceId: string;
  startedAt: number;
}

/** The answer for a call ('sent' when it was streamed); undefined when the client left before its body arrived. */
async function serve(deps: FunctionUrlDeps, call: UrlCall): Promise<UrlAnswer | undefined | 'sent'> {
  const { req, url, target, record, requestId, traceId, startedAt } = call;
  const method = req.method ?? 'GET';
  if (record.cors && isPreflight(method, req.headers)) {
    req.resume();
    const headers = preflightHeaders(record.cors, first(req.headers.origin), first(req.headers['access-control-request-method']));
    return { status: 200, headers, cookies: [], body: Buffer.alloc(0) };
  }
  let caller: ServiceCaller | undefined;
  let iam: Record<string, unknown> | undefined;
  if (record.authType === 'AWS_IAM') {
    iam = signedCaller(req, url);
    if (!iam) {
      req.resume();
      return forbidden();
    }
    iam = { ...iam, accountId: record.accountId, callerId: null, userArn: null, userId: null, cognitoIdentity: null, principalOrgId: null };
  } else if (deps.enforcePermissions) {
    caller = { principal: '*', action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE' };
  }
  let body: Buffer;
  try {
    body = await readBody(req, SYNC_PAYLOAD_LIMIT);
  } catch (e) {
    if (!isGatewayError(e)) return undefined;
    return json(413, 'RequestEntityTooLargeException', `{"Message":"Request must be smaller than ${SYNC_PAYLOAD_LIMIT} bytes for the InvokeFunction operation"}`);
  }
  if (iam && deps.verifier) {
    const scope = credentialScope(req.headers, url.searchParams);
    const signed = { method, rawUrl: req.url ?? '/', headers: req.headers, body };
    const presigned = req.headers.authorization === undefined && url.searchParams.has('X-Amz-Signature');
    const outcome = presigned ? await deps.verifier.verifyPresigned(signed) : await deps.verifier.verify(signed);
    if ('kind' in outcome || scope?.service !== 'lambda') {
      logger.info('function URL: request refused by its signature check', { urlId: record.urlId, reason: 'kind' in outcome ? outcome.kind : `service ${scope?.service}` });
      return forbidden();
    }
  }
  const host = first(req.headers.host) ?? 'localhost';
  const sourceIp = stripMapped(req.socket.remoteAddress ?? '127.0.0.1');
  const rawHeaders = withUrlHeaders(req.rawHeaders, { 'x-amzn-trace-id': traceId, 'x-forwarded-for': sourceIp, 'x-forwarded-proto': 'http', 'x-forwarded-port': String(req.socket.localPort ?? '') });
  const event = buildUrlEvent(
    { method, rawPath: target.rawPath, rawQuery: target.rawQuery, rawHeaders, body, sourceIp, protocol: `HTTP/${req.httpVersion}` },
    { accountId: record.accountId, urlId: record.urlId, domainName: host.replace(/:\d+$/, ''), requestId, epochMs: startedAt, iam },
  );
  // A streaming URL sends what the function writes as it writes it (a HEAD request gets the head once it is done).
  const stream = record.invokeMode === 'RESPONSE_STREAM' && method !== 'HEAD' ? new UrlResponseStream(streamTarget(call)) : undefined;
  try {
    const outcome = await deps.invoker.invoke({
      ref: { accountId: record.accountId, region: record.region, name: record.name, qualifier: record.qualifier || undefined },
      payload: Buffer.from(JSON.stringify(event)),
      payloadIsJson: true,
      caller,
      requestId,
      stream,
    });
    if (stream) return stream.finish(outcome) ?? internalError();
    if (outcome.functionError) return internalError();
    const answer = record.invokeMode === 'RESPONSE_STREAM' ? streamedAnswer(outcome.payload) : answerFor(outcome.payload);
    return answer ?? internalError();
  } catch (e) {
    if (stream?.opened) {
      call.res.destroy();
      return 'sent';
    }
    if (e instanceof InvokePermissionError) return forbidden();
    if (isAwsError(e)) {
      // The alias (or function) is gone while its URL config stays: AWS answers 403.
      if (e.code === 'ResourceNotFoundException') return forbidden();
      if (e.code === 'TooManyRequestsException') return json(429, e.code, JSON.stringify({ Message: e.message }));
      if (e.code === 'RequestEntityTooLargeException') return json(413, e.code, JSON.stringify({ Message: e.message }));
    }
    logger.warn('function URL: invocation failed', { urlId: record.urlId, requestId, error: e instanceof Error ? e.message : String(e) });
    return internalError();
  }
}

/** The client's headers with the ones the URL sets itself (trace id, x-forwarded-*) in place of the client's copies. */
export function withUrlHeaders(clientHeaders: readonly string[], ours: Record<string, string>): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < clientHeaders.length; i += 2) {
    if (!(clientHeaders[i].toLowerCase() in ours)) out.push(clientHeaders[i], clientHeaders[i + 1]);
  }
  for (const [name, value] of Object.entries(ours)) out.push(name, value);
  return out;
}

const stripMapped = (ip: string): string => (ip.startsWith('::ffff:') ? ip.slice(7) : ip);

/** Framing and hop-by-hop headers the front sends itself: a function's are dropped. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'trailer']);

function write(res: ServerResponse, head: boolean, answer: UrlAnswer, requestId: string, traceId: string): void {
  writeAnswer(res, head, answer, urlHeaders(requestId, traceId), internalError());
}

const urlHeaders = (requestId: string, traceId: string): Record<string, string> => ({ 'x-amzn-RequestId': requestId, 'X-Amzn-Trace-Id': traceId });

/**
 * Writes a 2.0-format answer (function URLs, HTTP APIs): the front frames it and names it with
 * `own` headers, and a function's copies of those give way; `fallback` goes out instead when a
 * header the function set is not valid HTTP.
 */
export function writeAnswer(res: ServerResponse, head: boolean, answer: UrlAnswer, own: Record<string, string>, fallback: UrlAnswer): void {
  const bodyless = !carriesBody(answer.status);
  if (writeAnswerHead(res, answer, own, fallback, bodyless ? undefined : answer.body.length)) res.end(head || bodyless ? undefined : answer.body);
}

/** Sends the answer's status and headers (chunked without a length); false when it could not (`fallback` went out instead). */
function writeAnswerHead(res: ServerResponse, answer: UrlAnswer, own: Record<string, string>, fallback: UrlAnswer, contentLength?: number): boolean {
  if (res.headersSent || res.destroyed) return false;
  const headers: OutgoingHttpHeaders = {};
  const owned = new Set(Object.keys(own).map((k) => k.toLowerCase()));
  for (const [name, value] of Object.entries(answer.headers)) {
    const lower = name.toLowerCase();
    if (!FRAMING.has(lower) && !owned.has(lower)) headers[name] = value;
  }
  if (answer.cookies.length) headers['set-cookie'] = answer.cookies;
  Object.assign(headers, own);
  if (contentLength !== undefined) headers['Content-Length'] = contentLength;
  try {
    res.writeHead(answer.status, headers);
    return true;
  } catch (e) {
    logger.warn('response could not be written', { ...own, error: String(e) });
    // The reason phrase is named: the failed writeHead already set the answer's own one.
    res.writeHead(fallback.status, STATUS_CODES[fallback.status], { ...fallback.headers, ...own, 'Content-Length': fallback.body.length });
    res.end(fallback.body);
    return false;
  }
}

/** Where a streaming URL's answer goes: the client's response, with the URL's CORS headers. */
function streamTarget(call: UrlCall): StreamTarget {
  const { req, res, record, requestId, traceId } = call;
  return {
    open(head) {
      if (record.cors) applyCors(record.cors, first(req.headers.origin), head.headers);
      return writeAnswerHead(res, head, urlHeaders(requestId, traceId), internalError());
    },
    write: (bytes) => void (res.destroyed || res.write(bytes)),
    end: () => res.end(),
    abort: () => res.destroy(),
  };
}
