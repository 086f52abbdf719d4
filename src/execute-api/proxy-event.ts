// The Lambda proxy integration's input (payload format 1.0), built as API Gateway builds it:
// resource, path, httpMethod, headers / multiValueHeaders, query strings, pathParameters,
// stageVariables, requestContext, body and isBase64Encoded — with nulls where AWS sends null.
import type { InvocationContext, InvocationRequest } from './context.js';
import { header } from './context.js';
import { matchesMediaType } from './media-types.js';

/** Headers AWS does not pass to the function. */
const DROPPED = new Set(['content-length', 'connection']);
/** Headers the front of API Gateway re-cases. */
const RECASED: Record<string, string> = { authorization: 'Authorization', 'user-agent': 'User-Agent' };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

let lastSecond = -1;
let lastFormatted = '';
/** $context.requestTime: 09/Apr/2015:12:34:56 +0000 (cached per second). */
export function requestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== lastSecond) {
    const d = new Date(second * 1000);
    lastFormatted = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
    lastSecond = second;
  }
  return lastFormatted;
}

/** $context (and a proxy event's requestContext) for a routed invocation. */
export function requestContext(ctx: InvocationContext): Record<string, unknown> {
  const r = ctx.request;
  const iam = ctx.iamCaller;
  const context: Record<string, unknown> = {
    resourceId: ctx.resource?.id,
    resourcePath: ctx.resource?.path,
    httpMethod: r.method,
    extendedRequestId: ctx.extendedRequestId,
    requestTime: requestTime(ctx.startedAt),
    path: r.requestPath ?? `/${ctx.stageName}${r.rawPath}`,
    accountId: ctx.resolved?.api.accountId,
    protocol: r.protocol,
    stage: ctx.stageName,
    domainPrefix: r.domainPrefix,
    requestTimeEpoch: ctx.startedAt,
    requestId: ctx.requestId,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: iam?.accountId ?? null,
      cognitoIdentityId: null,
      ...(ctx.apiKey ? { apiKey: ctx.apiKey.value } : {}),
      caller: null,
      sourceIp: r.sourceIp,
      principalOrgId: null,
      accessKey: iam?.accessKey ?? null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      ...(ctx.apiKey ? { apiKeyId: ctx.apiKey.id } : {}),
      userAgent: r.userAgent,
      user: null,
    },
    domainName: r.host,
    deploymentId: ctx.resolved?.deployment.id,
    apiId: ctx.apiId,
  };
  // A Lambda authorizer's principal and context, or a user pool's claims ($context.authorizer.*, requestContext.authorizer).
  const admitted = ctx.authorizer;
  if (admitted?.claims) context.authorizer = { claims: admitted.claims };
  else if (admitted) context.authorizer = { ...admitted.context, principalId: admitted.principalId, integrationLatency: admitted.integrationLatency };
  return context;
}

/** The headers a proxy event carries: the client's, minus hop-by-hop ones, plus what AWS's front adds. */
export function eventHeaders(ctx: Pick<InvocationContext, 'request' | 'traceId'>, localPort: number | undefined): { headers: Record<string, string>; multiValueHeaders: Record<string, string[]> } {
  const r = ctx.request;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const key in r.headers) {
    const lower = key.toLowerCase();
    if (DROPPED.has(lower)) continue;
    const name = RECASED[lower] ?? key;
    headers[name] = r.headers[key];
    multiValueHeaders[name] = r.multiHeaders[key];
  }
  const forwardedFor = header(r, 'x-forwarded-for');
  setHeader(headers, multiValueHeaders, r, 'X-Amzn-Trace-Id', ctx.traceId);
  setHeader(headers, multiValueHeaders, r, 'X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${r.sourceIp}` : r.sourceIp);
  setHeader(headers, multiValueHeaders, r, 'X-Forwarded-Port', String(localPort ?? 80));
  setHeader(headers, multiValueHeaders, r, 'X-Forwarded-Proto', 'http');
  return { headers, multiValueHeaders };
}

function setHeader(headers: Record<string, string>, multi: Record<string, string[]>, r: InvocationRequest, name: string, value: string): void {
  const existing = r.headerNames.get(name.toLowerCase());
  if (existing !== undefined && existing !== name) {
    delete headers[existing];
    delete multi[existing];
  }
  headers[name] = value;
  multi[name] = [value];
}

/** The request body as the event carries it: text, or base64 when its type is a binary media type. */
export function eventBody(ctx: InvocationContext): { body: string | null; isBase64Encoded: boolean } {
  const r = ctx.request;
  if (r.body.length === 0) return { body: null, isBase64Encoded: false };
  const binaryTypes = ctx.resolved?.api.binaryMediaTypes ?? [];
  if (binaryTypes.length && matchesMediaType(binaryTypes, header(r, 'content-type'))) {
    return { body: r.body.toString('base64'), isBase64Encoded: true };
  }
  return { body: r.body.toString('utf8'), isBase64Encoded: false };
}

export function buildProxyEvent(ctx: InvocationContext, localPort?: number): Record<string, unknown> {
  const r = ctx.request;
  const { headers, multiValueHeaders } = eventHeaders(ctx, localPort);
  const { body, isBase64Encoded } = eventBody(ctx);
  return {
    resource: ctx.resource!.path,
    path: r.requestPath ?? r.path, // on a custom domain, the path as called (base path included), as AWS passes it
    httpMethod: r.method,
    headers,
    multiValueHeaders,
    queryStringParameters: r.query,
    multiValueQueryStringParameters: r.multiQuery,
    pathParameters: ctx.pathParameters,
    stageVariables: ctx.stageVariables,
    requestContext: requestContext(ctx),
    body,
    isBase64Encoded,
  };
}
