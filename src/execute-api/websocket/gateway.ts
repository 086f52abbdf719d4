// The WebSocket API data plane: a WebSocket upgrade on a WebSocket API's endpoint — the
// `{apiId}.execute-api.*` host with the stage as the path (`ws://{apiId}.execute-api.localhost:{port}/{stage}`),
// `/restapis/{apiId}/{stage}/_user_request_` on any host, or a custom domain's Host with the API
// mapping's key as the path (`ws://{domain}:{port}/{mappingKey}`) — becomes a connection once the stage's
// `$connect` route (if any) accepted it. Each message then goes to the route the API's selection
// expression picks from its JSON body (else `$default`); on close `$disconnect` hears of it.
// Functions are called as API Gateway calls them (resource policy for the route's source ARN
// `{apiId}/{stage}/{routeKey}`, integration timeout), with AWS's events; AWS's quotas apply: 128 KB
// per message (larger ones close the connection with 1009), 10 minutes idle, 2 hours at most.
// Binary frames are refused as AWS refuses them (close code 1003). Stage route throttling and API
// keys on routes with apiKeyRequired are checked before a route runs (admission.ts); $connect's
// required requestParameters before its authorizer. Stages or routes with a logging level write each
// event's steps to their execution log (execution-log.ts).
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { logger } from '../../core/logger.js';
import { awsError } from '../../core/errors.js';
import type { HttpApiRuntime, ServedApi, ServedDeployment } from '../../apigatewayv2/runtime.js';
import type { HttpApiRecord, HttpStageRecord, RouteRecord } from '../../store/httpapi-store.js';
import { parseRouteSelectionExpression, selectRouteKey, type SelectionExpression } from '../../apigatewayv2/selection-expressions.js';
import { callAsGateway, proxyFunctionOf, type LambdaCallDeps } from '../integrations/lambda.js';
import type { AccessLogger } from '../access-log.js';
import type { ApiRequestMetrics } from '../../metrics/metrics.js';
import { executeApiSourceArn } from '../integration-uri.js';
import { isGatewayError } from '../errors.js';
import { carriesBody, isFinalStatus } from '../http-status.js';
import { iamCallerOf, isSigV4Signed, verifySignature } from '../chain.js';
import type { SigV4Verifier } from '../../aws/sigv4-verify.js';
import type { WebSocketConnectionsStore } from '../../store/websocket-connections-store.js';
import { newExtendedRequestId, traceIdFor } from '../ids.js';
import { apiIdFromHost, invokeTarget, toInvocationRequest, type InvokeTarget } from '../request.js';
import type { InvocationRequest } from '../context.js';
import { connectEvent, disconnectEvent, messageEvent, webSocketRequestContext, type ConnectionFacts } from './events.js';
import { Connection, type ServerClose } from './connection.js';
import { authorizeConnect, type ConnectRequest } from './connect-authorizer.js';
import { callWebSocketIntegration } from './integrations.js';
import { admitApiKey, isRefusal, presentedApiKey, throttled, type AdmissionDeps, type Refusal } from './admission.js';
import type { DomainRuntime } from '../../apigateway/domain-runtime.js';
import { domainTarget } from '../domain-target.js';
import { header } from '../context.js';
import { invalidMessage } from './message-validation.js';
import type { WebSocketEventLog, WebSocketExecutionLogs } from './execution-log.js';
import { missingRequestParameters } from '../../apigatewayv2/route-request-parameters.js';
import { endUpgradeAnswer } from '../../server/upgrade-answer.js';
import type { WebSocketMetricsRecorder } from '../../cloudwatch/websocket-metrics.js';
import { detailedRoute } from '../../cloudwatch/apigatewayv2-cells.js';
import { recordEvent, type EventEnding } from './cloudwatch.js';

/** AWS's message payload quota. */
export const MAX_MESSAGE_BYTES = 128 * 1024;
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_MAX_CONNECTION_MS = 2 * 60 * 60_000;
/** How long a shutdown waits for clients to close and $disconnect calls to finish. */
const SHUTDOWN_GRACE_MS = 2000;

export interface WebSocketDeps extends LambdaCallDeps, AdmissionDeps {
  runtime: HttpApiRuntime;
  /** Custom domain names: upgrades on a domain's Host go to the WebSocket API stage its API mapping names. */
  domains?: DomainRuntime;
  /** Verifies the handshakes of AWS_IAM $connect routes when credentials are configured (any signature passes without). */
  verifier?: SigV4Verifier;
  /** Closes a connection the client has not used for this long (AWS: 10 minutes). */
  idleTimeoutMs?: number;
  /** Closes a connection this long after it opened (AWS: 2 hours). */
  maxConnectionMs?: number;
  /** Writes a line per event to the access log of stages with access log settings. */
  accessLogger?: AccessLogger;
  /** Writes the steps of each event to the execution log of stages (or routes) with a logging level. */
  executionLogs?: WebSocketExecutionLogs;
  /** Counts each event as a request of its stage, with its status and latency (/_stagecraft/metrics). */
  metrics?: ApiRequestMetrics;
  /** AWS/ApiGateway metrics for CloudWatch (WebSocket API stages). */
  cloudWatch?: WebSocketMetricsRecorder;
  /** In a cluster: where this node records the connections it holds, and the URL the other nodes forward their @connections calls to. */
  directory?: ClusterDirectory;
}

export interface ClusterDirectory {
  store: WebSocketConnectionsStore;
  /** This node's URL for the other nodes (known once the port is open, before any connection). */
  nodeUrl(): string;
}

/** What a route's function answered: a Lambda proxy response, or why there is none. */
type RouteOutcome = ({ response: Record<string, unknown> | undefined } | { failure: 'error' | 'timeout' }) & { latency?: number };

/** How an event ended, for its access log line and its metrics. */
interface Ending extends EventEnding {
  startedAt: number;
  /** The event's execution log (when its route logs), and the line it ends with when it succeeds. */
  exec?: WebSocketEventLog;
  closing?: string;
}

/** The close reasons $disconnect reports for closes the client did not explain. */
const NO_STATUS = 'Client-side close frame status not set';
const ABNORMAL = 'Connection closed abnormally';

/** How ws's receiver errors close a connection (the $disconnect event's code and reason). */
const FRAME_ERRORS: Record<string, ServerClose> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: { code: 1009, reason: 'Message too big' },
  WS_ERR_INVALID_UTF8: { code: 1007, reason: 'Invalid UTF-8 in a text message' },
};

const EMPTY = Buffer.alloc(0);
/** A Sec-WebSocket-Key: 16 bytes in base64 (RFC 6455). */
const HANDSHAKE_KEY = /^[+/0-9A-Za-z]{21}[AQgw]==$/;
const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export class WebSocketGateway {
  readonly #deps: WebSocketDeps;
  readonly #connections = new Map<string, Connection>();
  readonly #expressions = new Map<string, SelectionExpression>();
  /** $disconnect invocations in flight (shutdown waits for them a little). */
  readonly #pending = new Set<Promise<unknown>>();
  /** The subprotocol each accepted handshake answers with (what its $connect function chose). */
  readonly #protocols = new WeakMap<IncomingMessage, string>();
  readonly #wss: WebSocketServer;

  constructor(deps: WebSocketDeps) {
    this.#deps = deps;
    this.#wss = new WebSocketServer({
      noServer: true, maxPayload: MAX_MESSAGE_BYTES, clientTracking: false,
      handleProtocols: (offered, req) => {
        const chosen = this.#protocols.get(req);
        return chosen !== undefined && offered.has(chosen) ? chosen : false;
      },
    });
  }

  /** How many WebSocket connections this node holds (for /_stagecraft/health). */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** The open connection with this id (of this API, when one is named), or undefined: the @connections API's GoneException. */
  connection(connectionId: string, apiId?: string): Connection | undefined {
    const c = this.#connections.get(connectionId);
    return c && c.open && (apiId === undefined || c.facts.apiId === apiId) ? c : undefined;
  }

  /**
   * Takes a WebSocket upgrade to a WebSocket API's stage (true), or leaves the request to the
   * other handlers (false): other upgrades, and upgrades to REST or HTTP APIs.
   */
  async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean> {
    if (first(req.headers.upgrade)?.toLowerCase() !== 'websocket') return false;
    const hostApiId = apiIdFromHost(req.headers.host);
    const domains = hostApiId === undefined && this.#deps.domains?.serves(req.headers.host) ? this.#deps.domains : undefined;
    const target = domains ? await mappedTarget(domains, req) : invokeTarget(req.url ?? '/', hostApiId);
    if (!target || !this.#deps.runtime.serves(target.apiId)) return false;
    const served = await this.#deps.runtime.api(target.apiId);
    if (!served || served.api.protocolType !== 'WEBSOCKET') return false;
    try {
      await this.#accept(served, target, req, socket, head);
    } catch (e) {
      logger.error('WebSocket API: connection failed', { apiId: target.apiId, error: e instanceof Error ? e.stack : String(e) });
      refuse(socket, 500, 'Internal server error');
    }
    return true;
  }

  /** Closes every connection as a shutdown does (1001 Going away), giving their $disconnect calls a moment. */
  async close(): Promise<void> {
    for (const c of this.#connections.values()) c.close({ code: 1001, reason: 'Going away' });
    // Connections leave the map as their clients answer the close frame; their $disconnect calls start then.
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (this.#connections.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const c of this.#connections.values()) c.socket.terminate();
    const left = Math.max(deadline - Date.now(), 100);
    await Promise.race([Promise.allSettled([...this.#pending]), new Promise((r) => setTimeout(r, left).unref())]);
    this.#wss.close();
  }

  async #accept(served: ServedApi, target: InvokeTarget, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { api } = served;
    const stage = served.stages.get(decodeSegment(target.stage));
    // The endpoint is the stage itself: wss://{host}/{stage} (on a custom domain: wss://{domain}/{mappingKey}).
    const viaDomain = target.basePath !== undefined;
    if ((api.disableExecuteApiEndpoint && !viaDomain) || !stage?.deploymentId || (target.rawPath !== '/' && target.rawPath !== '')) return refuse(socket, 403, 'Forbidden');
    const deployment = await this.#deps.runtime.deployment(api, stage.deploymentId);
    if (!deployment) return refuse(socket, 403, 'Forbidden');
    // A handshake ws would refuse does not get as far as $connect.
    const key = first(req.headers['sec-websocket-key']);
    if (!key || !HANDSHAKE_KEY.test(key) || first(req.headers['sec-websocket-version']) !== '13') return refuse(socket, 400, 'Bad Request');
    const now = Date.now();
    const request = toInvocationRequest(req, target, EMPTY);
    const facts: ConnectionFacts = {
      connectionId: newExtendedRequestId(), accountId: api.accountId, region: api.region, apiId: api.apiId, stage: stage.stageName, connectedAt: now, domainName: request.host.replace(/:\d+$/, ''),
      sourceIp: request.sourceIp, userAgent: request.userAgent, stageVariables: stage.stageVariables,
    };
    const route = deployment.routesByKey.get('$connect');
    let context = webSocketRequestContext(facts, '$connect', 'CONNECT', now);
    const exec = this.#deps.executionLogs?.open(api, stage, '$connect', context.requestId as string);
    exec?.add(`Client [UserAgent: ${facts.userAgent}, SourceIp: ${facts.sourceIp}] is connecting to WebSocket API [${api.apiId}].`);
    /** Refuses the handshake, with its line in the stage's access log. */
    const refused = (status: number, message: string | undefined, body?: string, latency?: number): void => {
      this.#log(api, stage, context, { status, startedAt: now, latency, error: message, route: route?.routeKey, exec });
      refuse(socket, status, message, body);
    };
    const throttle = throttled(this.#deps, stage, '$connect');
    if (throttle) return refused(throttle.status, throttle.message);
    if (route?.authorizationType === 'AWS_IAM') {
      const refusal = await this.#iamRefusal(request);
      if (refusal !== undefined) return refused(403, refusal);
      facts.iamCaller = iamCallerOf({ request, resolved: { api } });
      context = webSocketRequestContext(facts, '$connect', 'CONNECT', now, context.requestId as string);
    }
    let latency: number | undefined;
    if (!route) {
      // Messages of routes that require a key are admitted with the key the handshake presented.
      const presented = presentedApiKey(api, header(request, 'x-api-key'), undefined);
      if (presented !== undefined) facts.presentedApiKey = presented;
    } else {
      const missing = missingRequestParameters(route, request);
      if (missing.length) {
        const message = `Missing required request parameters: [${missing.join(', ')}]`;
        exec?.add(message, 'error');
        return refused(400, message);
      }
      let event = connectEvent(facts, request, traceIdFor(first(req.headers['x-amzn-trace-id']), now), req.socket.localPort, context);
      let usageIdentifierKey: string | undefined;
      if (route.authorizationType === 'CUSTOM') {
        const authorized = await this.#customRefusal(deployment, route, { api, stage, request, event, requestContext: context }, facts);
        if ('status' in authorized) return refused(authorized.status, authorized.message);
        usageIdentifierKey = authorized.usageIdentifierKey;
        context = { ...context, authorizer: facts.authorizer };
        event = { ...event, requestContext: context };
      }
      // Messages of routes that require a key are admitted with the key the handshake presented.
      const presented = presentedApiKey(api, header(request, 'x-api-key'), usageIdentifierKey);
      if (presented !== undefined) facts.presentedApiKey = presented;
      if (route.apiKeyRequired) {
        const admitted = await admitApiKey(this.#deps, api, stage, presented);
        if (isRefusal(admitted)) return refused(admitted.status, admitted.message);
        facts.apiKey = admitted;
        context = webSocketRequestContext(facts, '$connect', 'CONNECT', now, context.requestId as string);
        event = { ...event, requestContext: context };
      }
      const outcome = await this.#callRoute(api, stage, deployment, route, event, exec);
      latency = outcome.latency;
      if ('failure' in outcome) return refused(outcome.failure === 'timeout' ? 504 : 502, 'Internal server error', undefined, latency);
      const status = outcome.response?.statusCode;
      if (typeof status !== 'number' || !isFinalStatus(status)) return refused(502, 'Internal server error', undefined, latency);
      if (status < 200 || status > 299) return refused(status, undefined, typeof outcome.response?.body === 'string' ? outcome.response.body : '', latency);
      const protocol = headerOf(outcome.response, 'sec-websocket-protocol');
      if (protocol !== undefined) this.#protocols.set(req, protocol);
    }
    if (socket.destroyed) return; // the client left while $connect ran: there is no connection to disconnect
    // In a cluster the other nodes can find the connection from the moment its client has it.
    const directory = this.#deps.directory;
    if (directory) {
      await directory.store.add({ connectionId: facts.connectionId, apiId: facts.apiId, stage: facts.stage, nodeUrl: directory.nodeUrl(), connectedAt: now });
      if (socket.destroyed) return this.#forget(facts.connectionId);
    }
    this.#log(api, stage, context, { status: 200, startedAt: now, latency, route: route?.routeKey, exec, closing: `Client [Connection Id: ${facts.connectionId}] connected to API [${api.apiId}] successfully.` });
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#opened(ws, facts, request.host));
  }

  /**
   * Why an AWS_IAM $connect refuses the handshake (undefined: it passes): it must be SigV4-signed and,
   * with credentials configured, verify as AWS_IAM routes of HTTP APIs verify (header signatures and presigned URLs alike).
   */
  async #iamRefusal(request: InvocationRequest): Promise<string | undefined> {
    if (!isSigV4Signed(request)) return 'Forbidden';
    if (!this.#deps.verifier) return undefined;
    try {
      await verifySignature({ request }, this.#deps.verifier);
      return undefined;
    } catch (e) {
      if (!isGatewayError(e)) throw e;
      return e.type === 'INVALID_SIGNATURE' ? e.bodyMessage ?? 'Forbidden' : 'Forbidden';
    }
  }

  /** Runs the $connect route's Lambda authorizer: when it admits the caller, the API key it names (its answer kept in `facts`), else the refusal. */
  async #customRefusal(deployment: ServedDeployment, route: RouteRecord, request: ConnectRequest, facts: ConnectionFacts): Promise<Refusal | { usageIdentifierKey?: string }> {
    const authorizer = route.authorizerId === undefined ? undefined : deployment.authorizers.get(route.authorizerId);
    const where = { apiId: facts.apiId, stage: facts.stage, authorizerId: route.authorizerId };
    if (!authorizer) {
      logger.warn('WebSocket API: the $connect route names no authorizer of the deployment', where);
      return { status: 500, message: 'Internal server error' };
    }
    try {
      const admitted = await authorizeConnect(this.#deps, authorizer, request);
      facts.authorizer = { ...admitted.context, ...(admitted.principalId !== undefined ? { principalId: admitted.principalId } : {}), integrationLatency: admitted.integrationLatency };
      return { usageIdentifierKey: admitted.usageIdentifierKey };
    } catch (e) {
      if (!isGatewayError(e)) throw e;
      if (e.type === 'UNAUTHORIZED') return { status: 401, message: 'Unauthorized' };
      if (e.type === 'ACCESS_DENIED') return { status: 403, message: 'Forbidden' };
      logger.warn(`WebSocket API: ${e.detail ?? e.message}`, where);
      return { status: 500, message: 'Internal server error' };
    }
  }

  #opened(ws: WebSocket, facts: ConnectionFacts, host: string): void {
    const connection = new Connection(facts, ws, host, {
      idleMs: this.#deps.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, maxMs: this.#deps.maxConnectionMs ?? DEFAULT_MAX_CONNECTION_MS,
    });
    this.#connections.set(facts.connectionId, connection);
    ws.on('message', (data, isBinary) => {
      connection.touch(Date.now());
      if (isBinary) return connection.close({ code: 1003, reason: 'Binary frames are not supported' });
      void this.#message(connection, (data as Buffer).toString('utf8')).catch((e) => {
        logger.error('WebSocket API: message failed', { connectionId: facts.connectionId, error: e instanceof Error ? e.stack : String(e) });
      });
    });
    ws.on('ping', () => connection.touch(Date.now()));
    // Oversized messages (1009), text that is no UTF-8 (1007) and protocol errors (1002) close the
    // connection with that code; 'close' reports 1006 for them, so the code is taken here.
    ws.on('error', (e: Error & { code?: string }) => {
      logger.debug('WebSocket API: connection error', { connectionId: facts.connectionId, error: e.message });
      connection.serverClose ??= FRAME_ERRORS[e.code ?? ''] ?? { code: 1002, reason: 'Protocol error' };
    });
    ws.on('close', (code, reason) => {
      connection.stopTimers();
      this.#connections.delete(facts.connectionId);
      if (this.#deps.directory) this.#forget(facts.connectionId);
      const why: ServerClose = connection.serverClose
        ?? { code, reason: reason.length ? reason.toString('utf8') : code === 1005 ? NO_STATUS : code === 1006 ? ABNORMAL : '' };
      const done = this.#disconnected(connection, why).catch((e) => {
        logger.error('WebSocket API: $disconnect failed', { connectionId: facts.connectionId, error: e instanceof Error ? e.stack : String(e) });
      });
      this.#pending.add(done);
      void done.finally(() => this.#pending.delete(done));
    });
  }

  /** Removes a connection this node no longer holds from the cluster's directory (shutdown waits for it a little). */
  #forget(connectionId: string): void {
    const done = this.#deps.directory!.store.remove(connectionId).catch((e) => {
      logger.warn('WebSocket API: could not remove a closed connection from the cluster\'s directory', { connectionId, error: e instanceof Error ? e.message : String(e) });
    });
    this.#pending.add(done);
    void done.finally(() => this.#pending.delete(done));
  }

  async #message(connection: Connection, body: string): Promise<void> {
    const { facts } = connection;
    const current = await this.#current(facts);
    if (!current) return;
    const { api, stage, deployment } = current;
    let expression = this.#expressions.get(api.routeSelectionExpression);
    if (!expression) this.#expressions.set(api.routeSelectionExpression, expression = parseRouteSelectionExpression(api.routeSelectionExpression));
    const key = selectRouteKey(expression, body);
    const selected = key !== undefined && key !== '$connect' && key !== '$disconnect' ? deployment.routesByKey.get(key) : undefined;
    const route = selected ?? deployment.routesByKey.get('$default');
    const now = Date.now();
    const context = webSocketRequestContext(facts, route?.routeKey ?? key ?? '$default', 'MESSAGE', now);
    const requestId = context.requestId as string;
    const exec = this.#deps.executionLogs?.open(api, stage, context.routeKey as string, requestId);
    exec?.add(`Method request body before transformations: ${body}`, 'data');
    /** Tells the client what went wrong, as API Gateway does, with the message's line in the access log. */
    const answer = (status: number, message: string, latency?: number) => {
      this.#log(api, stage, context, { status, startedAt: now, latency, error: message, route: route?.routeKey, exec });
      if (connection.open) this.#send(connection, JSON.stringify({ message, connectionId: facts.connectionId, requestId }), stage, route?.routeKey);
    };
    if (!route?.target) return answer(403, 'Forbidden');
    const throttle = throttled(this.#deps, stage, route.routeKey);
    if (throttle) return answer(throttle.status, throttle.message);
    if (route.apiKeyRequired) {
      const admitted = await admitApiKey(this.#deps, api, stage, facts.presentedApiKey);
      if (isRefusal(admitted)) return answer(admitted.status, admitted.message);
    }
    // disableSchemaValidation turns the routes' request models off for the whole API.
    const invalid = api.disableSchemaValidation ? undefined : invalidMessage(deployment, api.apiId, route, body);
    if (invalid !== undefined) {
      logger.debug('WebSocket API: message refused by its model', { connectionId: facts.connectionId, routeKey: route.routeKey, errors: invalid });
      exec?.add(`Request body does not match model schema for content type application/json: ${invalid}`, 'error');
      return answer(400, 'Invalid request body');
    }
    const outcome = await this.#callRoute(api, stage, deployment, route, messageEvent(facts, body, context), exec);
    if ('failure' in outcome) return outcome.failure === 'timeout' ? answer(504, 'Endpoint request timed out', outcome.latency) : answer(500, 'Internal server error', outcome.latency);
    const integrationStatus = outcome.response?.statusCode;
    this.#log(api, stage, context, {
      status: 200, startedAt: now, latency: outcome.latency, integrationStatus: typeof integrationStatus === 'number' ? integrationStatus : undefined, route: route.routeKey, exec,
    });
    // A two-way route (one with a route response) sends the function's body back.
    if (!deployment.routeResponses.has(route.routeId) || !connection.open) return;
    const reply = outcome.response?.body;
    if (reply !== undefined && reply !== null) this.#send(connection, typeof reply === 'string' ? reply : JSON.stringify(reply), stage, route.routeKey);
  }

  /** Sends API Gateway's message to a client, counted in MessageCount (as messages to clients are). */
  #send(connection: Connection, data: string, stage: HttpStageRecord, routeKey: string | undefined): void {
    connection.send(data);
    this.#deps.cloudWatch?.sent(connection.facts, stage.stageName, detailedRoute(stage, routeKey));
  }

  async #disconnected(connection: Connection, why: ServerClose): Promise<void> {
    const { facts } = connection;
    const current = await this.#current(facts);
    const route = current?.deployment.routesByKey.get('$disconnect');
    if (!current || !route) return;
    const now = Date.now();
    const context = webSocketRequestContext(facts, '$disconnect', 'DISCONNECT', now);
    const exec = this.#deps.executionLogs?.open(current.api, current.stage, '$disconnect', context.requestId as string);
    const outcome = await this.#callRoute(current.api, current.stage, current.deployment, route, disconnectEvent(facts, connection.host, why.code, why.reason, context), exec);
    const failed = 'failure' in outcome;
    this.#log(current.api, current.stage, { ...context, disconnectStatusCode: why.code, disconnectReason: why.reason }, {
      status: failed ? 500 : 200, startedAt: now, latency: outcome.latency, error: failed ? 'Internal server error' : undefined, route: route.routeKey, exec,
      closing: `Client [Connection Id: ${facts.connectionId}] disconnected from API [${current.api.apiId}] with code [${why.code}].`,
    });
  }

  /** The API, stage and deployment a connection's stage serves now (undefined when the API or stage is gone). */
  async #current(facts: ConnectionFacts): Promise<{ api: HttpApiRecord; stage: HttpStageRecord; deployment: ServedDeployment } | undefined> {
    const served = await this.#deps.runtime.api(facts.apiId);
    const stage = served?.stages.get(facts.stage);
    const deployment = stage?.deploymentId ? await this.#deps.runtime.deployment(served!.api, stage.deploymentId) : undefined;
    return deployment && { api: served!.api, stage: stage!, deployment };
  }

  /** The event's line in its stage's access log ($context is the event's request context, with how it ended), and its count in the metrics. */
  #log(api: HttpApiRecord, stage: HttpStageRecord, context: Record<string, unknown>, ending: Ending): void {
    this.#deps.metrics?.apiRequest(context.apiId as string, stage.stageName, ending.status, Date.now() - ending.startedAt);
    if (this.#deps.cloudWatch) recordEvent(this.#deps.cloudWatch, api, stage, context, ending);
    if (ending.exec) {
      if (ending.error !== undefined && !ending.exec.failed) ending.exec.add(`Execution failed: ${ending.error}`, 'error');
      ending.exec.end(ending.status, ending.error === undefined ? ending.closing : undefined);
    }
    const settings = stage.accessLogSettings;
    if (!settings || !this.#deps.accessLogger) return;
    this.#deps.accessLogger.recordContext(settings, context.apiId as string, stage.stageName, () => ({
      ...context,
      status: ending.status,
      responseLatency: Date.now() - ending.startedAt,
      integrationLatency: ending.latency,
      integration: { latency: ending.latency },
      error: ending.error === undefined ? {} : { message: ending.error, messageString: JSON.stringify(ending.error) },
    }));
  }

  /** Calls a route's integration, its request and answer in the event's execution log. */
  async #callRoute(api: HttpApiRecord, stage: HttpStageRecord, deployment: ServedDeployment, route: RouteRecord, event: Record<string, unknown>, exec?: WebSocketEventLog): Promise<RouteOutcome> {
    if (!exec) return this.#invokeRoute(api, stage, deployment, route, event);
    exec.add(`Endpoint request body after transformations: ${JSON.stringify(event)}`, 'data');
    const outcome = await this.#invokeRoute(api, stage, deployment, route, event);
    if ('failure' in outcome) {
      exec.add(outcome.failure === 'timeout' ? 'Execution failed due to a timeout error' : 'Execution failed due to an integration error', 'error');
    } else {
      exec.add(`Received response. Status: 200, Integration latency: ${outcome.latency ?? 0} ms`);
      exec.add(`Endpoint response body before transformations: ${JSON.stringify(outcome.response ?? null)}`, 'data');
    }
    return outcome;
  }

  /** Calls a route's Lambda proxy integration as API Gateway does (permission for `{apiId}/{stage}/{routeKey}`, timeout); other integrations in ./integrations.ts. */
  async #invokeRoute(api: HttpApiRecord, stage: HttpStageRecord, deployment: ServedDeployment, route: RouteRecord, event: Record<string, unknown>): Promise<RouteOutcome> {
    const integration = route.target ? deployment.integrations.get(route.target.slice('integrations/'.length)) : undefined;
    if (integration && integration.integrationType !== 'AWS_PROXY') {
      const responses = deployment.integrationResponses.get(integration.integrationId) ?? [];
      return callWebSocketIntegration(this.#deps, { api, stage, route, integration, responses, twoWay: deployment.routeResponses.has(route.routeId), event });
    }
    const variables = Object.keys(stage.stageVariables).length ? stage.stageVariables : null;
    const ref = integration?.integrationUri ? proxyFunctionOf(integration.integrationUri, variables, api) : undefined;
    const where = { apiId: api.apiId, stage: stage.stageName, routeKey: route.routeKey };
    if (!integration || !ref) {
      logger.warn('WebSocket API: the route has no Lambda integration', where);
      return { failure: 'error' };
    }
    const started = Date.now();
    try {
      const outcome = await callAsGateway({ resolved: { api } }, this.#deps, ref, Buffer.from(JSON.stringify(event)), {
        sourceArn: executeApiSourceArn(api.region, api.accountId, api.apiId, stage.stageName, route.routeKey, ''),
        credentials: integration.credentialsArn, timeoutMs: integration.timeoutInMillis, payloadIsJson: true,
      });
      const latency = Date.now() - started;
      if (outcome.functionError) return { failure: 'error', latency };
      return { response: proxyResponse(outcome.payload), latency };
    } catch (e) {
      if (!isGatewayError(e)) throw e;
      if (e.detail) logger.warn(`WebSocket API: ${e.detail}`, where);
      return { failure: e.type === 'INTEGRATION_TIMEOUT' ? 'timeout' : 'error', latency: Date.now() - started };
    }
  }

  /** The @connections API's view of the registry (AWS's GoneException when the connection is not open here). */
  require(connectionId: string, apiId?: string): Connection {
    const c = this.connection(connectionId, apiId);
    if (!c) throw awsError('GoneException', '', { emptyBody: true });
    return c;
  }
}

/** Where an upgrade on a custom domain goes by its API mappings (undefined: no mapping takes it). */
async function mappedTarget(domains: DomainRuntime, req: IncomingMessage): Promise<InvokeTarget | undefined> {
  const mappings = await domains.mappings(req.headers.host!);
  return mappings && domainTarget(mappings, req.url ?? '/');
}

/** A function's answer as a Lambda proxy response object (undefined for no object). */
function proxyResponse(payload: Buffer | undefined): Record<string, unknown> | undefined {
  if (!payload?.length) return undefined;
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

function headerOf(response: Record<string, unknown> | undefined, name: string): string | undefined {
  const headers = response?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name && typeof v === 'string') return v;
  return undefined;
}

/** Answers a handshake with an HTTP error instead of the upgrade: {"message": …} as API Gateway words it, or the $connect function's own body. */
function refuse(socket: Duplex, status: number, message: string | undefined, body = message === undefined ? '' : JSON.stringify({ message })): void {
  if (socket.destroyed) return;
  const reason = STATUS_CODES[status] ?? 'Error';
  if (!carriesBody(status)) return endUpgradeAnswer(socket, `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n\r\n`);
  endUpgradeAnswer(socket, `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
