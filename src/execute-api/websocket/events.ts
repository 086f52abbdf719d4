// The events WebSocket APIs send Lambda proxy integrations, as AWS documents and sends them: CONNECT
// (with the handshake's headers and query), MESSAGE (with the body) and DISCONNECT (with the close
// code and reason), each with a requestContext naming the route, the connection and the stage.
import type { InvocationRequest } from '../context.js';
import { eventHeaders, requestTime } from '../proxy-event.js';
import { newExtendedRequestId } from '../ids.js';

/** What every event of one connection repeats. */
export interface ConnectionFacts {
  connectionId: string;
  /** The API's account and region (its metrics' scope). */
  accountId: string;
  region: string;
  apiId: string;
  stage: string;
  /** Epoch milliseconds. */
  connectedAt: number;
  /** The Host the client connected to, without its port. */
  domainName: string;
  sourceIp: string;
  userAgent: string;
  stageVariables: Record<string, string>;
  /** An AWS_IAM $connect route's caller: the signature's access key, in the API owner's account. */
  iamCaller?: { accessKey: string | null; accountId: string };
  /** What a $connect Lambda authorizer said of the caller: its context, principalId and integrationLatency. */
  authorizer?: Record<string, unknown>;
  /** The API key the handshake presented under the API's apiKeySelectionExpression (for routes with apiKeyRequired). */
  presentedApiKey?: string;
  /** The key a route with apiKeyRequired admitted the connection with ($context.identity.apiKey and apiKeyId). */
  apiKey?: { id: string; value: string };
}

export type EventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT';

/** The requestContext of one event; `requestId` is also the event's id in logs. */
export function webSocketRequestContext(c: ConnectionFacts, routeKey: string, eventType: EventType, now: number, requestId = newExtendedRequestId()): Record<string, unknown> {
  return {
    routeKey,
    ...(eventType === 'MESSAGE' ? { messageId: newExtendedRequestId() } : {}),
    eventType,
    extendedRequestId: requestId,
    requestTime: requestTime(now),
    messageDirection: 'IN',
    stage: c.stage,
    connectedAt: c.connectedAt,
    requestTimeEpoch: now,
    identity: { ...(c.iamCaller ?? {}), ...(c.apiKey ? { apiKey: c.apiKey.value, apiKeyId: c.apiKey.id } : {}), ...(eventType === 'MESSAGE' ? { sourceIp: c.sourceIp } : { userAgent: c.userAgent, sourceIp: c.sourceIp }) },
    requestId,
    ...(c.authorizer ? { authorizer: c.authorizer } : {}),
    domainName: c.domainName,
    connectionId: c.connectionId,
    apiId: c.apiId,
  };
}

const withStageVariables = (c: ConnectionFacts, event: Record<string, unknown>): Record<string, unknown> =>
  (Object.keys(c.stageVariables).length ? { ...event, stageVariables: c.stageVariables } : event);

/** $connect: the handshake request's headers (with what API Gateway's front adds) and query string. */
export function connectEvent(c: ConnectionFacts, request: InvocationRequest, traceId: string, localPort: number | undefined, context: Record<string, unknown>): Record<string, unknown> {
  const { headers, multiValueHeaders } = eventHeaders({ request, traceId }, localPort);
  // The upgrade itself is API Gateway's business: the function sees the WebSocket headers only.
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'upgrade') {
      delete headers[name];
      delete multiValueHeaders[name];
    }
  }
  return withStageVariables(c, {
    headers, multiValueHeaders,
    ...(request.query ? { queryStringParameters: request.query, multiValueQueryStringParameters: request.multiQuery } : {}),
    requestContext: context,
    isBase64Encoded: false,
  });
}

/** A message: its text as `body` (binary frames are refused before they get here). */
export function messageEvent(c: ConnectionFacts, body: string, context: Record<string, unknown>): Record<string, unknown> {
  return withStageVariables(c, { requestContext: context, body, isBase64Encoded: false });
}

/** $disconnect: the close code and reason, and the headers AWS sends with it (the connection's Host, empty x-api-key and x-restapi). */
export function disconnectEvent(c: ConnectionFacts, host: string, code: number, reason: string, context: Record<string, unknown>): Record<string, unknown> {
  const headers = { Host: host, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' };
  return withStageVariables(c, {
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    requestContext: { ...context, disconnectStatusCode: code, disconnectReason: reason },
    isBase64Encoded: false,
  });
}
