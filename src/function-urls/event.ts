// The event a function URL (or an HTTP API route) hands its function: payload format version 2.0,
// as AWS documents it for function URLs and HTTP APIs. Headers are lower-cased and repeated ones comma-joined; the Cookie header
// moves to `cookies`; a query string's repeated parameters are comma-joined too; a body that is not
// text reaches the function base64-encoded.
import { requestTime } from '../execute-api/proxy-event.js';

/** What the front read from the HTTP request. */
export interface UrlRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  /** Node's rawHeaders: name, value, name, value… */
  rawHeaders: readonly string[];
  body: Buffer;
  sourceIp: string;
  protocol: string;
}

/** Who serves it: the URL and the invocation. */
export interface UrlEventContext {
  accountId: string;
  urlId: string;
  /** The host the request named (AWS: {url-id}.lambda-url.{region}.on.aws). */
  domainName: string;
  requestId: string;
  epochMs: number;
  /** Present for AWS_IAM URLs: the caller as the SigV4 signature names it. */
  iam?: Record<string, unknown>;
  /** Present for HTTP APIs, which send the same event with the route, stage and their parameters. */
  route?: { routeKey: string; stage: string; pathParameters: Record<string, string>; stageVariables: Record<string, string> };
}

/** Content types whose bodies reach the function as text; everything else is base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type.startsWith('text/')
    || /^application\/(json|javascript|ecmascript|xml|x-www-form-urlencoded|yaml|x-yaml|graphql)$/.test(type)
    || /\+(json|xml|yaml)$/.test(type);
}

export function eventHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    const value = rawHeaders[i + 1];
    if (name === 'cookie') {
      for (const c of value.split(';')) if (c.trim()) cookies.push(c.trim());
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

export function queryParameters(rawQuery: string): Record<string, string> | undefined {
  if (rawQuery === '') return undefined;
  const out: Record<string, string> = {};
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    out[name] = name in out ? `${out[name]},${value}` : value;
  }
  return Object.keys(out).length ? out : undefined;
}

export function buildUrlEvent(req: UrlRequest, ctx: UrlEventContext): Record<string, unknown> {
  const { headers, cookies } = eventHeaders(req.rawHeaders);
  const route = ctx.route;
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: route?.routeKey ?? '$default',
    rawPath: req.rawPath,
    rawQueryString: req.rawQuery,
  };
  if (cookies.length) event.cookies = cookies;
  event.headers = headers;
  const query = queryParameters(req.rawQuery);
  if (query) event.queryStringParameters = query;
  const requestContext: Record<string, unknown> = {
    accountId: ctx.iam || route ? ctx.accountId : 'anonymous',
    apiId: ctx.urlId,
    domainName: ctx.domainName,
    domainPrefix: ctx.urlId,
    http: { method: req.method, path: req.rawPath, protocol: req.protocol, sourceIp: req.sourceIp, userAgent: headers['user-agent'] ?? '' },
    requestId: ctx.requestId,
    routeKey: route?.routeKey ?? '$default',
    stage: route?.stage ?? '$default',
    time: requestTime(ctx.epochMs),
    timeEpoch: ctx.epochMs,
  };
  if (ctx.iam) requestContext.authorizer = { iam: ctx.iam };
  event.requestContext = requestContext;
  if (req.body.length) {
    const text = isTextContentType(headers['content-type']);
    event.body = req.body.toString(text ? 'utf8' : 'base64');
    event.isBase64Encoded = !text;
  }
  if (route && Object.keys(route.pathParameters).length) event.pathParameters = route.pathParameters;
  event.isBase64Encoded ??= false;
  if (route && Object.keys(route.stageVariables).length) event.stageVariables = route.stageVariables;
  return event;
}

