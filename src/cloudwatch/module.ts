// The CloudWatch service module (signing name `monitoring`): metrics, alarms and dashboards over both wire
// protocols CloudWatch speaks — the query protocol (form POST, XML; the AWS CLI) and AWS JSON 1.0
// (`X-Amz-Target: GraniteServiceVersion20100801.*`; SDK v3, query-compatible errors). It owns the
// aggregator the invoke pipeline and the API data planes record AWS/Lambda and AWS/ApiGateway metrics into, flushes it to the store every
// few seconds and at shutdown, evaluates metric alarms (and the composite alarms above those that
// change) after each flush, runs their Lambda actions on state changes, and forgets datapoints
// and alarm history past their retention periods.
import type { IncomingMessage } from 'node:http';
import type { ServiceModule } from '../server/service-module.js';
import type { CloudWatchStore } from '../store/cloudwatch-store.js';
import type { DashboardStore } from '../store/dashboard-store.js';
import type { OperationHandler } from '../aws/protocols/rest-json.js';
import { loadModel } from '../aws/model.js';
import { QueryService } from '../aws/protocols/query.js';
import { JsonRpcService } from '../aws/protocols/json-rpc.js';
import { awsError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import { MetricAggregator } from './aggregator.js';
import { LogMetricsRecorder } from './log-metrics.js';
import { LambdaMetricsRecorder } from './lambda-metrics.js';
import { ApiGatewayMetricsRecorder } from './apigateway-metrics.js';
import { HttpApiMetricsRecorder } from './httpapi-metrics.js';
import { WebSocketMetricsRecorder } from './websocket-metrics.js';
import { HIGH_RESOLUTION_RETENTION_MS, MetricReader, type Pending } from './metric-reader.js';
import { metricHandlers } from './metric-handlers.js';
import { alarmHandlers } from './alarm-handlers.js';
import { dashboardHandlers } from './dashboard-handlers.js';
import { tagHandlers } from './tag-handlers.js';
import { compositeAlarmHandlers } from './composite-alarm-handlers.js';
import { alarmHistoryHandlers, HISTORY_RETENTION_MS } from './alarm-history.js';
import { AlarmEvaluator } from './alarm-evaluator.js';
import { AlarmTransitions, type AlarmActionTarget } from './alarm-actions.js';
import { validationError } from './errors.js';

/** CloudWatch keeps one-minute datapoints for 15 days; so do we (seconds of high-resolution metrics: 3 hours). */
export const RETENTION_MS = 15 * 24 * 3600_000;
const PURGE_INTERVAL_MS = 10 * 60_000;
/** Datapoints a failing store may leave waiting in memory before the oldest are dropped. */
const MAX_UNFLUSHED = 100_000;
const API_VERSION = '2010-08-01';

export interface CloudWatchOptions {
  /** How often recorded metrics go to the store and alarms are evaluated (ms). */
  intervalMs: number;
  now?: () => number;
  /** Where dashboards are kept; without it the dashboard operations answer 501. */
  dashboards?: DashboardStore;
}

export interface CloudWatchModule {
  service: ServiceModule;
  /** Where the invoke pipeline records AWS/Lambda metrics. */
  lambdaMetrics: LambdaMetricsRecorder;
  /** Where the execute-api front records AWS/ApiGateway metrics of REST API stages. */
  apiGatewayMetrics: ApiGatewayMetricsRecorder;
  /** Where the HTTP API data plane records AWS/ApiGateway metrics of HTTP API stages. */
  httpApiMetrics: HttpApiMetricsRecorder;
  /** Where the WebSocket data plane and the @connections API record AWS/ApiGateway metrics of WebSocket API stages. */
  webSocketMetrics: WebSocketMetricsRecorder;
  /** Where CloudWatch Logs metric filters (and embedded metric format records) record what they extract; `storageResolution: 1` keeps seconds. */
  logMetrics: LogMetricsRecorder;
  /** Where alarm actions that name a Lambda function are invoked (Lambda is created after CloudWatch). */
  runAlarmActionsOn(target: AlarmActionTarget): void;
  /** Stores what is recorded so far (the flush timer calls it too). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createCloudWatchModule(store: CloudWatchStore, options: CloudWatchOptions): CloudWatchModule {
  const now = options.now ?? Date.now;
  const aggregator = new MetricAggregator();
  // High-resolution samples (log metrics at StorageResolution 1) per second, besides their minutes.
  const seconds = new MetricAggregator();
  const pending: Pending = { minute: aggregator, second: seconds };
  const reader = new MetricReader(store, pending, now);
  const transitions = new AlarmTransitions(store, now);
  const dashboards = options.dashboards ? dashboardHandlers({ store: options.dashboards, now }) : {};
  const handlers = {
    ...metricHandlers({ store, reader, now }), ...alarmHandlers({ store, now, transitions }), ...compositeAlarmHandlers({ store, now, transitions }), ...alarmHistoryHandlers({ store }), ...dashboards,
    ...tagHandlers({ store, dashboards: options.dashboards }),
  } as Record<string, OperationHandler>;
  const model = loadModel('cloudwatch-2010-08-01');
  // CloudWatch checks statistics itself, with its own error (InvalidParameterValue).
  const skipEnumFor = new Set(['Statistic']);
  const query = new QueryService(model, handlers, 'cloudwatch', { skipEnumFor });
  const json = new JsonRpcService(model, handlers, {
    service: 'cloudwatch',
    maxBody: 1024 * 1024,
    tooLarge: (limit) => awsError('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes.`),
    invalid: validationError,
    skipEnumFor,
    queryCompatible: true,
  });

  let flushing: Promise<void> = Promise.resolve();
  const flushOnce = async () => {
    for (const resolution of ['minute', 'second'] as const) {
      const points = pending[resolution].drain();
      if (!points.length) continue;
      try {
        await store.addDatapoints(points, resolution);
      } catch (e) {
        pending[resolution].restore(points.slice(-MAX_UNFLUSHED));
        logger.warn('storing CloudWatch metrics failed; kept for the next flush', { error: e instanceof Error ? e.message : String(e) });
      }
    }
  };
  // One flush at a time: a slow store must not let two write the same minutes twice.
  const flush = () => (flushing = flushing.then(flushOnce));
  // Each round stores what was recorded, then evaluates the alarms.
  const evaluator = new AlarmEvaluator(store, reader, now, transitions);
  let round: Promise<void> | undefined;
  const runRound = async () => {
    await flush();
    try {
      await evaluator.evaluateAll();
    } catch (e) {
      logger.warn('alarm evaluation failed', { error: e instanceof Error ? e.message : String(e) });
    }
  };
  // A round that outlasts the interval is not joined by another.
  const flushTimer = setInterval(() => {
    round ??= runRound().finally(() => (round = undefined));
  }, options.intervalMs);
  flushTimer.unref();
  const purge = async () => {
    try {
      await store.purgeDatapoints(now() - RETENTION_MS);
      await store.purgeDatapoints(now() - HIGH_RESOLUTION_RETENTION_MS, 'second');
      await store.purgeAlarmHistory(now() - HISTORY_RETENTION_MS);
    } catch (e) {
      logger.warn('CloudWatch retention purge failed', { error: e instanceof Error ? e.message : String(e) });
    }
  };
  const purgeTimer = setInterval(() => void purge(), PURGE_INTERVAL_MS);
  purgeTimer.unref();

  const service: ServiceModule = {
    signingNames: ['monitoring'],
    authErrorStyle: 'query',
    claims: (req: IncomingMessage, url: URL) => json.claims(req) || (url.searchParams.has('Action') && url.searchParams.get('Version') === API_VERSION),
    handle: (req, res, url, ctx) => (req.headers['x-amz-target'] !== undefined ? json.handle(req, res, url, ctx) : query.handle(req, res, url, ctx)),
  };

  return {
    service,
    lambdaMetrics: new LambdaMetricsRecorder(aggregator, now),
    apiGatewayMetrics: new ApiGatewayMetricsRecorder(aggregator, now),
    httpApiMetrics: new HttpApiMetricsRecorder(aggregator, now),
    webSocketMetrics: new WebSocketMetricsRecorder(aggregator, now),
    logMetrics: new LogMetricsRecorder(aggregator, seconds),
    runAlarmActionsOn: (target) => transitions.connect(target),
    flush,
    async close() {
      clearInterval(flushTimer);
      clearInterval(purgeTimer);
      await round;
      await flush();
    },
  };
}
