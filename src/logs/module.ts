// The CloudWatch Logs service module: the JSON 1.1 API on the edge port (signing name `logs`,
// `X-Amz-Target: Logs_20140328.*`), the LogSink other modules write function logs through, and a
// background purge that enforces retention policies (and removes Insights queries past theirs).
import type { IncomingMessage } from 'node:http';
import type { ServiceModule } from '../server/service-module.js';
import type { LogAppender, LogsStore } from '../store/logs-store.js';
import type { ChangeFeed } from '../store/change-feed.js';
import type { ServiceModel } from '../aws/model.js';
import { loadModel } from '../aws/model.js';
import { JsonRpcService, type OperationHandler } from '../aws/protocols/json-rpc.js';
import { logger } from '../core/logger.js';
import { awsError } from '../core/errors.js';
import { LogSink } from './log-sink.js';
import { invalidParameter } from './errors.js';
import { groupHandlers } from './groups.js';
import { streamHandlers } from './streams.js';
import { eventHandlers } from './events.js';
import { metricFilterHandlers } from './metric-filters.js';
import { queryHandlers, RETAIN_MS } from './insights/queries.js';
import { InsightsRunner, type InsightsLimits } from './insights/query-runner.js';
import type { InsightsQueryStore } from '../store/insights-query-store.js';
import { MetricFilterIngest, type LogMetricPublisher } from './metric-filter-ingest.js';
import { EmfIngest } from './emf-ingest.js';
import { subscriptionFilterHandlers } from './subscription-filters.js';
import { SubscriptionDelivery, type SubscriptionDestination } from './subscription-delivery.js';
import type { LogsDeps } from './resources.js';

export interface LogsModule {
  service: ServiceModule;
  /** Where the invoke pipeline appends function log lines. */
  sink: LogSink;
  store: LogsStore;
  /** Where samples of metric filters and embedded metric format go (CloudWatch's aggregator; connected once CloudWatch exists). */
  publishMetricsTo(publish: LogMetricPublisher): void;
  /** Where subscription filters deliver (the Lambda invoke pipeline; connected once Lambda exists). */
  deliverSubscriptionsTo(destination: SubscriptionDestination): void;
  health(): Record<string, unknown>;
  close(): Promise<void>;
}

const PURGE_INTERVAL_MS = 10 * 60_000;
/** A PutLogEvents batch is at most 1 MB of events; JSON adds escaping and field names. */
const MAX_BODY = 5 * 1024 * 1024;

/**
 * The logs model with Unicode-class patterns (`\p{L}`, on tag keys and values) left out of generic
 * validation: they need the `u` flag, and the handlers check those members themselves.
 */
function withoutUnicodePatterns(model: ServiceModel): ServiceModel {
  const shapes = Object.fromEntries(Object.entries(model.shapes).map(([name, shape]) => {
    if (!shape.pattern?.includes('\\p{')) return [name, shape];
    const { pattern: _dropped, ...rest } = shape;
    return [name, rest];
  }));
  return { ...model, shapes };
}

export interface LogsStorage {
  store: LogsStore;
  /** Where function log lines are stored (on SQLite a worker thread, off the event loop that serves requests). */
  appender: LogAppender & { close(): Promise<void> };
  /** Logs Insights queries, shared by the nodes of a cluster. */
  queries: InsightsQueryStore;
  /** This node's id (the node that runs the Insights queries it starts). */
  nodeId: string;
}

export function createLogsModule({ store, appender, queries, nodeId }: LogsStorage, options: { now?: () => number; feed?: ChangeFeed; insights: InsightsLimits }): LogsModule {
  const now = options.now ?? Date.now;
  const filters = new MetricFilterIngest(store, options.feed);
  void filters.reload();
  const subscriptions = new SubscriptionDelivery(store, options.feed);
  void subscriptions.reload();
  const emf = new EmfIngest(now);
  const sink = new LogSink(appender, {
    now,
    observe: (scope, group, events, stream) => {
      filters.observe(scope, group, events);
      emf.observe(scope, group, events, true);
      subscriptions.observe(scope, group, stream, events);
    },
  });
  const deps: LogsDeps = { store, sink, filters, emf, subscriptions, now };
  const startedMs = now();
  const runner = new InsightsRunner(deps, queries, options.insights);
  // Queries this node was running when it stopped or crashed end Failed (their run is lost).
  const recovered = queries.failNode(nodeId, startedMs).catch((e: unknown) => logger.warn('Logs Insights recovery failed', { error: e instanceof Error ? e.message : String(e) }));
  const handlers = {
    ...groupHandlers(deps), ...streamHandlers(deps), ...eventHandlers(deps), ...metricFilterHandlers(deps), ...subscriptionFilterHandlers(deps), ...queryHandlers(deps, { queries, runner, nodeId, recovered, limits: options.insights }),
  } as Record<string, OperationHandler>;
  const api = new JsonRpcService(withoutUnicodePatterns(loadModel('logs-2014-03-28')), handlers, {
    service: 'logs',
    maxBody: MAX_BODY,
    tooLarge: (limit) => awsError('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes.`),
    invalid: (message) => invalidParameter(message),
    // Messages are stored as bytes, so any text a function could print can be put through the API too.
    nullCharactersAllowedIn: new Set(['logEvents.member.message']),
  });

  const purge = async () => {
    try {
      const removed = await store.purgeExpired(now());
      if (removed) logger.debug('expired log events removed', { removed });
      await queries.purgeQueries(now() - RETAIN_MS);
    } catch (e) {
      logger.warn('log retention purge failed', { error: e instanceof Error ? e.message : String(e) });
    }
  };
  void purge();
  const timer = setInterval(() => void purge(), PURGE_INTERVAL_MS);
  timer.unref();

  const service: ServiceModule = {
    signingNames: ['logs'],
    authErrorStyle: 'json-rpc',
    claims: (req: IncomingMessage) => api.claims(req),
    handle: (req, res, url, ctx) => api.handle(req, res, url, ctx),
  };

  return {
    service,
    sink,
    store,
    publishMetricsTo: (publish) => {
      filters.connect(publish);
      emf.connect(publish);
    },
    deliverSubscriptionsTo: (destination) => subscriptions.connect(destination),
    health: () => ({ logs: sink.stats(), logSubscriptions: subscriptions.stats(), logsInsights: { running: runner.running } }),
    async close() {
      clearInterval(timer);
      filters.stop();
      subscriptions.stop();
      await runner.stopAll();
      await queries.failNode(nodeId, Number.MAX_SAFE_INTEGER).catch(() => undefined);
      await sink.close();
      await appender.close();
    },
  };
}
