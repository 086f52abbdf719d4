// The SQS service module (signing name `sqs`) over both wire protocols SQS speaks: AWS JSON 1.0
// (`X-Amz-Target: AmazonSQS.*`, current SDKs, query-compatible errors) and the query protocol
// (form POST, XML; older SDKs and AWS CLIs), POSTed to the endpoint or to a queue's URL. It also
// hands other services the internal queue interface (queue-sender.ts).
import type { IncomingMessage } from 'node:http';
import type { ServiceModule } from '../server/service-module.js';
import type { SqsStore } from '../store/sqs-store.js';
import type { OperationHandler } from '../aws/protocols/rest-json.js';
import type { ChangeFeed } from '../store/change-feed.js';
import { loadModel } from '../aws/model.js';
import { QueryService } from '../aws/protocols/query.js';
import { JsonRpcService } from '../aws/protocols/json-rpc.js';
import { awsError } from '../core/errors.js';
import { withQueryCodes } from './errors.js';
import { MessageEngine } from './messages.js';
import { QueueWakeups } from './wakeups.js';
import { queueHandlers } from './queue-handlers.js';
import { messageHandlers } from './message-handlers.js';
import { permissionHandlers } from './permissions.js';
import { moveTaskHandlers } from './move-task-handlers.js';
import { MessageMover } from './message-mover.js';
import { internalQueues, type InternalQueues } from './queue-sender.js';

const API_VERSION = '2012-11-05';
/** A queue URL's path: /<account id>/<queue name>. */
const QUEUE_PATH = /^\/(\d{12})\/([A-Za-z0-9_-]{1,80}(\.fifo)?)\/?$/;

export interface SqsModule {
  service: ServiceModule;
  /** Queues by ARN for other services (SNS, Lambda destinations and event source mappings). */
  queues: InternalQueues;
  /** Stops long polls and the message mover (a move task under way resumes after its lease, here or on another node). */
  close(): Promise<void>;
}

export function createSqsModule(store: SqsStore, options: { feed?: ChangeFeed; now?: () => number; nodeId?: string } = {}): SqsModule {
  const wakeups = new QueueWakeups(options.feed);
  const engine = new MessageEngine(store, wakeups, options.now);
  const closing = new AbortController();
  const mover = new MessageMover(store, options.nodeId, options.now);
  const handlers = { ...queueHandlers(store, options.now), ...messageHandlers(store, engine, closing.signal), ...permissionHandlers(store, options.now ?? Date.now), ...moveTaskHandlers(store, mover, options.now ?? Date.now) } as Record<string, OperationHandler>;
  const queryModel = loadModel('sqs-query-2012-11-05');
  // SQS names an unknown queue attribute itself (InvalidAttributeName).
  const skipEnumFor = new Set(['QueueAttributeName']);
  const query = new QueryService(queryModel, handlers, 'sqs', { skipEnumFor });
  const json = new JsonRpcService(withQueryCodes(loadModel('sqs-2012-11-05'), queryModel), handlers, {
    service: 'sqs',
    maxBody: 2 * 1024 * 1024,
    tooLarge: (limit) => awsError('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes.`),
    invalid: (message) => awsError('InvalidParameterValue', message),
    skipEnumFor,
    queryCompatible: true,
  });
  const service: ServiceModule = {
    signingNames: ['sqs'],
    authErrorStyle: 'query',
    claims: (req: IncomingMessage, url: URL) => json.claims(req)
      || (url.searchParams.has('Action') && url.searchParams.get('Version') === API_VERSION)
      || (req.method === 'POST' && QUEUE_PATH.test(url.pathname)),
    handle: (req, res, url, ctx) => {
      if (req.headers['x-amz-target'] !== undefined) return json.handle(req, res, url, ctx);
      // A query request POSTed to a queue's URL names its queue by the path.
      const path = QUEUE_PATH.exec(url.pathname);
      if (path && !url.searchParams.has('QueueUrl')) url.searchParams.set('QueueUrl', `${ctx.baseUrl}${url.pathname.replace(/\/$/, '')}`);
      return query.handle(req, res, url, ctx);
    },
  };
  mover.start();
  return {
    service,
    queues: internalQueues(store, engine),
    close() {
      closing.abort();
      wakeups.close();
      return mover.close();
    },
  };
}
