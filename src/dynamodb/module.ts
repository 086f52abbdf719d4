// The DynamoDB service module (signing name `dynamodb`): AWS JSON 1.0 with
// `X-Amz-Target: DynamoDB_20120810.<Operation>`. Tables, items, queries and scans, batches and
// transactions over the DynamoDbStore (SQLite, or PostgreSQL shared by a cluster).
import type { ServiceModule } from '../server/service-module.js';
import type { DynamoDbStore } from '../store/dynamodb-store.js';
import type { OperationHandler } from '../aws/protocols/rest-json.js';
import type { ServiceModel } from '../aws/model.js';
import { loadModel } from '../aws/model.js';
import { JsonRpcService } from '../aws/protocols/json-rpc.js';
import { awsError } from '../core/errors.js';
import { tableHandlers, type Handler } from './table-handlers.js';
import { itemHandlers } from './item-handlers.js';
import { queryHandlers } from './query-handlers.js';
import { batchHandlers } from './batch-handlers.js';
import { transactHandlers } from './transact-handlers.js';
import { asAwsError, validation } from './errors.js';
import { TOO_DEEP } from './attribute-values.js';
import { checkingNestedRequired } from '../aws/nested-required.js';
import { TtlSweeper } from './ttl-sweeper.js';

/**
 * The model with binary attribute values kept as their base64 text: items are stored and compared
 * in their wire form (src/dynamodb/attribute-value.ts), never as bytes.
 */
function withBase64Binaries(model: ServiceModel): ServiceModel {
  const shapes = { ...model.shapes, BinaryAttributeValue: { ...model.shapes.BinaryAttributeValue, type: 'string' as const } };
  return { ...model, shapes };
}

/** Handlers whose request checks (expressions, attribute values) answer ValidationException. */
function answeringValidation(handlers: Record<string, Handler>): Record<string, OperationHandler> {
  return Object.fromEntries(Object.entries(handlers).map(([name, handler]): [string, OperationHandler] => [name, async (input, ctx) => {
    try {
      return await handler(input, ctx);
    } catch (e) {
      throw asAwsError(e);
    }
  }]));
}

export interface DynamoDbModule {
  service: ServiceModule;
  /** Stops the time to live sweeper (a sweep under way finishes first). */
  close(): Promise<void>;
}

export function createDynamoDbModule(store: DynamoDbStore, options: { now?: () => number; ttlIntervalMs?: number } = {}): DynamoDbModule {
  const model = withBase64Binaries(loadModel('dynamodb-2012-08-10'));
  const handlers = checkingNestedRequired(model, answeringValidation({
    ...tableHandlers(store, options.now), ...itemHandlers(store), ...queryHandlers(store), ...batchHandlers(store), ...transactHandlers(store),
  }), validation, new Set(['AttributeValue']));
  const json = new JsonRpcService(model, handlers, {
    service: 'dynamodb',
    // A request carries up to 100 items of 400 KB (TransactWriteItems) or 16 MB of them (BatchGetItem's answers are not bounded by this).
    maxBody: 16 * 1024 * 1024,
    tooLarge: (limit) => awsError('ValidationException', `Request size exceeds ${limit} bytes`),
    invalid: (message) => awsError('ValidationException', message),
    // 32 levels of maps and lists take some 70 JSON levels with the request around them; far deeper is refused as too deep.
    maxJsonDepth: { depth: 100, error: () => validation(TOO_DEEP) },
  });
  const sweeper = new TtlSweeper(store, options.now);
  sweeper.start(options.ttlIntervalMs ?? 60_000);
  return {
    close: () => sweeper.close(),
    service: {
      signingNames: ['dynamodb'],
      authErrorStyle: 'json-rpc',
      claims: (req) => json.claims(req),
      handle: (req, res, url, ctx) => json.handle(req, res, url, ctx),
    },
  };
}
