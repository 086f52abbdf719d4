// AWS_PROXY: the Lambda proxy integration. The request becomes a payload-format-1.0 event, the
// function's answer is the HTTP response ({statusCode, headers, multiValueHeaders, body,
// isBase64Encoded}); a function error or a malformed answer is AWS's 502.
import type { InvocationContext, InvocationResponse } from '../context.js';
import { header } from '../context.js';
import { configurationError } from '../errors.js';
import { firstAccepted, matchesMediaType } from '../media-types.js';
import { buildProxyEvent } from '../proxy-event.js';
import { functionFailed, parseProxyResponse, proxyHeaders } from '../proxy-response.js';
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

/**
 * The HTTP response a function's payload-format-1.0 answer describes (502 for a function error or a
 * malformed answer); headers API Gateway owns are remapped unless `remapOwned` is false (HTTP APIs).
 */
export function proxyAnswer(ctx: InvocationContext, outcome: InvokeOutcome, remapOwned = true): InvocationResponse {
  const payload = outcome.payload ?? Buffer.alloc(0);
  if (outcome.functionError) throw functionFailed(outcome);
  const parsed = parseProxyResponse(payload);
  const headers = proxyHeaders(parsed, remapOwned);
  let body: Buffer;
  if (parsed.isBase64Encoded && wantsBinary(ctx)) body = Buffer.from(parsed.body, 'base64');
  else body = Buffer.from(parsed.body, 'utf8');
  return { status: parsed.status, headers, body };
}

/**
 * A base64 body is decoded for the client only when the request's (first) Accept type is one of the
 * API's binary media types; otherwise the client gets the base64 text, as from AWS.
 */
function wantsBinary(ctx: InvocationContext): boolean {
  const types = ctx.resolved?.api.binaryMediaTypes ?? [];
  return types.length > 0 && matchesMediaType(types, firstAccepted(header(ctx.request, 'accept')));
}
