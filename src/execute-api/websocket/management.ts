// The @connections API (ApiGatewayManagementApi) of WebSocket APIs, driven by AWS's service model:
// PostToConnection, GetConnection, DeleteConnection at `POST|GET|DELETE {callback URL}/@connections/{connectionId}`.
// The callback URL is the stage's, as on AWS (`https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`):
// here `http://{apiId}.execute-api.localhost:{port}/{stage}`, or `http://localhost:{port}/restapis/{apiId}/{stage}/_user_request_`;
// and, since connection ids are unique, the server's own endpoint (`AWS_ENDPOINT_URL` in functions) serves
// `/@connections/{connectionId}` too. In a cluster, a call for a connection another node holds is sent
// on to that node (cluster-calls.ts). A connection open on no node is AWS's 410 GoneException with no
// body. With credentials configured, calls must be SigV4-signed (as AWS requires IAM auth).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadModel } from '../../aws/model.js';
import { RestJsonService, type HandlerTable, type OperationHandler } from '../../aws/protocols/rest-json.js';
import type { Operations } from '../../aws/generated/apigatewaymanagementapi.js';
import type { RequestContext } from '../../aws/request-context.js';
import type { SigV4Verifier } from '../../aws/sigv4-verify.js';
import { authFailureError } from '../../aws/auth-errors.js';
import { awsError } from '../../core/errors.js';
import type { FrontHandler } from '../../server/edge.js';
import { newExtendedRequestId } from '../ids.js';
import { MAX_MESSAGE_BYTES, type WebSocketGateway } from './gateway.js';
import type { WebSocketConnectionsStore } from '../../store/websocket-connections-store.js';
import { answerForHolder, type ClusterCallsDeps } from './cluster-calls.js';
import type { NodeForwarder } from './forwarding.js';
import type { WebSocketMetricsRecorder } from '../../cloudwatch/websocket-metrics.js';

export interface ConnectionsApiOptions {
  gateway: WebSocketGateway;
  verifier?: SigV4Verifier;
  accountId: string;
  region: string;
  /** Counts posts in their stage's MessageCount (AWS/ApiGateway metrics for CloudWatch). */
  cloudWatch?: WebSocketMetricsRecorder;
  /** In a cluster: where connections other nodes hold are found, and how calls reach those nodes. */
  cluster?: { store: WebSocketConnectionsStore; forwarder: NodeForwarder };
}

/** Where a call points: the API whose callback URL it used (absent on the server's own endpoint), and the path after the stage. */
export interface ConnectionsTarget {
  apiId?: string;
  rawPath: string;
}

export interface ConnectionsApi {
  /** True for a path after the stage that is the @connections API's. */
  claims(rawPath: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse, target: ConnectionsTarget): Promise<void>;
  /** Serves `/@connections/{id}` on the server's own endpoint. */
  front: FrontHandler;
}

const PREFIX = '/@connections/';

const tooLarge = (limit: number) => awsError('PayloadTooLargeException', `Message too large: the most a message may carry is ${limit} bytes`);

export function createConnectionsApi(options: ConnectionsApiOptions): ConnectionsApi {
  const { gateway } = options;
  const scoped = new WeakMap<RequestContext, string | undefined>();
  const handlers: HandlerTable<Operations> = {
    PostToConnection(input, ctx) {
      const connection = gateway.require(input.ConnectionId, scoped.get(ctx));
      // An empty body is an empty message (a WebSocket frame may carry nothing), not a missing member.
      const data = input.Data ?? Buffer.alloc(0);
      if (data.length > MAX_MESSAGE_BYTES) throw tooLarge(MAX_MESSAGE_BYTES);
      connection.send(data);
      options.cloudWatch?.sent(connection.facts, connection.facts.stage, undefined);
    },
    GetConnection(input, ctx) {
      const c = gateway.require(input.ConnectionId, scoped.get(ctx));
      return {
        ConnectedAt: new Date(c.facts.connectedAt), Identity: { SourceIp: c.facts.sourceIp, UserAgent: c.facts.userAgent }, LastActiveAt: new Date(c.lastActiveAt),
      };
    },
    DeleteConnection(input, ctx) {
      gateway.require(input.ConnectionId, scoped.get(ctx)).close({ code: 1000, reason: '' });
    },
  };
  const engine = new RestJsonService(loadModel('apigatewaymanagementapi-2018-11-29'), handlers as Record<string, OperationHandler>, {
    service: 'apigatewaymanagementapi',
    maxBody: () => MAX_MESSAGE_BYTES + 1,
    tooLarge: (_operation, limit) => tooLarge(limit - 1),
    malformedBody: (detail) => awsError('BadRequestException', detail),
    invalid: (message) => awsError('BadRequestException', message),
    // Data over 128 KB is the modelled PayloadTooLargeException (413), not a validation error.
    skipValidation: new Set(['PostToConnection']),
  });

  const cluster: ClusterCallsDeps | undefined = options.cluster && {
    ...options.cluster, holds: (id) => gateway.connection(id) !== undefined, maxBody: MAX_MESSAGE_BYTES + 1, tooLarge: () => tooLarge(MAX_MESSAGE_BYTES),
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, target: ConnectionsTarget): Promise<void> => {
    const ctx: RequestContext = {
      requestId: newExtendedRequestId(), accountId: options.accountId, region: options.region, baseUrl: `http://${req.headers.host ?? 'localhost'}`,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: String(req.headers['user-agent'] ?? ''),
    };
    if (cluster && await answerForHolder(cluster, req, res, { ...target, requestId: ctx.requestId })) return;
    scoped.set(ctx, target.apiId);
    const verifier = options.verifier;
    if (verifier) {
      ctx.authenticate = async (body) => {
        const outcome = await verifier.verify({ method: req.method ?? 'GET', rawUrl: req.url ?? '/', headers: req.headers, body });
        if ('kind' in outcome) throw authFailureError(outcome, 'rest-json');
        ctx.accessKeyId = outcome.accessKeyId;
      };
    }
    await engine.handle(req, res, new URL(target.rawPath, 'http://localhost'), ctx);
  };

  return {
    claims: (rawPath) => rawPath.startsWith(PREFIX),
    serve,
    front: {
      claims: (_req, url) => url.pathname.startsWith(PREFIX),
      handle: (req, res, url) => serve(req, res, { rawPath: url.pathname }),
    },
  };
}
