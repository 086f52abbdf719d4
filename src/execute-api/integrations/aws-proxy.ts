// AWS_PROXY: the Lambda proxy integration. The request becomes a payload-format-1.0 event, the
// function's answer is the HTTP response ({statusCode, headers, multiValueHeaders, body,
// isBase64Encoded}); a function error or a malformed answer is AWS's 502.
import type { InvocationContext, InvocationResponse } from '../context.js';
import { header } from '../context.js';
import { badIntegrationResponse, configurationError, type GatewayError } from '../errors.js';
import { checkHeader } from '../integration-response.js';
import { firstAccepted, matchesMediaType } from '../media-types.js';
import { buildProxyEvent } from '../proxy-event.js';
import { parseProxyResponse, type ProxyResponse } from '../proxy-response.js';
import type { InvokeOutcome } from '../../lambda/invoke.js';
import { invokeAwsProxyStreaming } from './aws-proxy-stream.js';
import { callFunction, integrationFunction, type LambdaCallDeps } from './lambda.js';

export async function invokeAwsProxy(ctx: InvocationContext, deps: LambdaCallDeps): Promise<InvocationResponse> {
  const integration = ctx.integration!;
  if ((integration.httpMethod ?? 'POST').toUpperCase() !== 'POST') {
    throw configurationError('The AWS_PROXY integration must use the POST integration method');
  }
  const ref = integrationFunction(ctx);
  const event = Buffer.from(JSON.stringify(buildProxyEvent(ctx, ctx.raw?.socket.localPort)));
  if (integration.responseTransferMode === 'STREAM') return invokeAwsProxyStreaming(ctx, deps, ref, event);
  return proxyAnswer(ctx, await callFunction(ctx, deps, ref, event, 'RequestResponse', true));
}

/** The HTTP response a function's payload-format-1.0 answer describes (502 for a function error or a malformed answer). */
export function proxyAnswer(ctx: InvocationContext, outcome: InvokeOutcome): InvocationResponse {
  const payload = outcome.payload ?? Buffer.alloc(0);
  if (outcome.functionError) throw functionFailed(outcome);
  const parsed = parseProxyResponse(payload);
  const headers = proxyHeaders(parsed);
  let body: Buffer;
  if (parsed.isBase64Encoded && wantsBinary(ctx)) body = Buffer.from(parsed.body, 'base64');
  else body = Buffer.from(parsed.body, 'utf8');
  return { status: parsed.status, headers, body };
}

/** AWS's 502 for a function that failed. */
export function functionFailed(outcome: InvokeOutcome): GatewayError {
  return badIntegrationResponse(`Lambda execution failed with status 200 due to customer function error: ${errorMessageOf(outcome.payload ?? Buffer.alloc(0))}. Lambda request id: ${outcome.requestId}`);
}

/** The client's headers from a proxy response (Content-Type application/json unless given); a malformed header is AWS's 502. */
export function proxyHeaders(parsed: ProxyResponse): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  let hasContentType = false;
  for (const [lower, { name, values }] of parsed.headers) {
    if (values.length === 0) continue;
    for (const v of values) if (!checkHeader(name, v)) throw badIntegrationResponse('Execution failed due to configuration error: Malformed Lambda proxy response');
    if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue;
    if (lower === 'content-type') hasContentType = true;
    headers[name] = values.length === 1 ? values[0] : values;
  }
  if (!hasContentType) headers['Content-Type'] = 'application/json';
  return headers;
}

/**
 * A base64 body is decoded for the client only when the request's (first) Accept type is one of the
 * API's binary media types; otherwise the client gets the base64 text, as from AWS.
 */
function wantsBinary(ctx: InvocationContext): boolean {
  const types = ctx.resolved?.api.binaryMediaTypes ?? [];
  return types.length > 0 && matchesMediaType(types, firstAccepted(header(ctx.request, 'accept')));
}

function errorMessageOf(payload: Buffer): string {
  try {
    const v = JSON.parse(payload.toString('utf8')) as { errorMessage?: unknown };
    return typeof v.errorMessage === 'string' ? v.errorMessage : payload.toString('utf8');
  } catch {
    return payload.toString('utf8');
  }
}
