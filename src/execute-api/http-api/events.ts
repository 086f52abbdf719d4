// The events HTTP APIs send Lambda functions: an integration's payload format 2.0 and 1.0 events,
// with what an authorizer said of the caller (requestContext.authorizer), and a Lambda
// authorizer's own REQUEST events in both formats, as AWS documents them.
import type { IncomingMessage } from 'node:http';
import { buildUrlEvent, isTextContentType } from '../../function-urls/event.js';
import { withUrlHeaders } from '../../function-urls/front.js';
import type { InvocationContext } from '../context.js';
import { requestAuthorizerFields } from '../authorizer.js';
import { buildProxyEvent } from '../proxy-event.js';
import type { HttpApiCall, HttpAuthorization } from './invocation.js';

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const sourceIpOf = (req: IncomingMessage): string => (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');

function forwardedHeaders(call: HttpApiCall): string[] {
  const { req } = call;
  return withUrlHeaders(call.rawHeaders ?? req.rawHeaders, {
    'x-amzn-trace-id': call.traceId, 'x-forwarded-for': sourceIpOf(req), 'x-forwarded-port': String(req.socket.localPort ?? ''), 'x-forwarded-proto': 'http',
  });
}

/** The payload format 2.0 event of the request (the integration's; the authorizer's is made from it). */
export function formatV2Event(call: HttpApiCall): Record<string, unknown> {
  const { req, api, stage, match } = call;
  const host = first(req.headers.host) ?? 'localhost';
  const event = buildUrlEvent(
    { method: req.method ?? 'GET', rawPath: call.path, rawQuery: call.rawQuery, rawHeaders: forwardedHeaders(call), body: call.body, sourceIp: sourceIpOf(req), protocol: `HTTP/${req.httpVersion}` },
    {
      accountId: api.accountId, urlId: api.apiId, domainName: host.replace(/:\d+$/, ''), requestId: call.requestId, epochMs: call.startedAt,
      route: { routeKey: match.route.routeKey, stage: stage.stageName, pathParameters: match.pathParameters, stageVariables: stage.stageVariables },
    },
  );
  const a = call.authorization;
  const authorizer = a && ('jwt' in a ? { jwt: a.jwt } : 'iam' in a ? { iam: a.iam } : { lambda: a.lambda });
  if (authorizer) (event.requestContext as Record<string, unknown>).authorizer = authorizer;
  return event;
}

/** The REST request context as HTTP APIs' payload format 1.0 has it. */
function v1RequestContext(requestContext: Record<string, unknown>, call: HttpApiCall): void {
  requestContext.path = call.path;
  requestContext.routeKey = call.match.route.routeKey;
  requestContext.resourcePath = call.match.route.routeKey === '$default' ? '$default' : call.match.path;
}

/**
 * What a JWT or Lambda authorizer said of the caller as payload format 1.0 has it (requestContext.authorizer),
 * which is also $context.authorizer in access logs: the claims and scopes, or the Lambda's context with principalId.
 */
export function authorizerV1(a: HttpAuthorization): Record<string, unknown> | undefined {
  if ('iam' in a) return undefined;
  if ('jwt' in a) return { claims: a.jwt.claims, scopes: a.jwt.scopes };
  return { ...a.lambda, ...(a.principalId !== undefined ? { principalId: a.principalId } : {}), integrationLatency: a.integrationLatency };
}

/** The REST proxy event (payload format 1.0) with what HTTP APIs add and change in it. */
export function formatV1Event(ctx: InvocationContext, call: HttpApiCall): Record<string, unknown> {
  const event = buildProxyEvent(ctx, call.req.socket.localPort);
  event.version = '1.0';
  event.path = call.path;
  const requestContext = event.requestContext as Record<string, unknown>;
  v1RequestContext(requestContext, call);
  // An AWS_IAM caller shows in requestContext.identity (accessKey, accountId) instead.
  const authorizer = call.authorization && authorizerV1(call.authorization);
  if (authorizer) requestContext.authorizer = authorizer;
  if (call.body.length && !isTextContentType(first(call.req.headers['content-type']))) {
    event.body = call.body.toString('base64');
    event.isBase64Encoded = true;
  }
  return event;
}

/** A Lambda authorizer's payload format 2.0 event: the request as the integration would see it, without the body. */
export function authorizerEventV2(call: HttpApiCall, routeArn: string, identity: string[]): Record<string, unknown> {
  const { routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters, requestContext, pathParameters, stageVariables } = formatV2Event(call);
  return {
    version: '2.0', type: 'REQUEST', routeArn, identitySource: identity, routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters,
    requestContext, pathParameters, stageVariables,
  };
}

/** A Lambda authorizer's payload format 1.0 event: REST's REQUEST authorizer event with the identity joined as the token. */
export function authorizerEventV1(ctx: InvocationContext, call: HttpApiCall, routeArn: string, identity: string[]): Record<string, unknown> {
  const fields = requestAuthorizerFields(ctx, call.req.socket.localPort);
  v1RequestContext(fields.requestContext as Record<string, unknown>, call);
  const joined = identity.join(',');
  return { version: '1.0', type: 'REQUEST', methodArn: routeArn, identitySource: joined, authorizationToken: joined, ...fields };
}
