// What the Lambda operations need, handed in by the composition root.
import type { InvocationMetrics } from '../metrics/metrics.js';
import type { LambdaMetricsRecorder } from '../cloudwatch/lambda-metrics.js';
import type { Config } from '../core/config.js';
import type { LambdaStore } from '../store/lambda-store.js';
import type { BlobStore } from '../store/blobs.js';
import type { AsyncQueueStore } from '../store/async-queue-store.js';
import type { FunctionSpec, InvokeRequest, InvokeResult } from '../runtime/types.js';
import type { FunctionCache } from './function-cache.js';
import type { ConcurrencyTracker } from './concurrency-tracker.js';
import type { S3ObjectReader } from '../s3/objects.js';
import type { EventSourceMappingStore } from '../store/event-source-mapping-store.js';
import type { QueuePoller } from '../sqs/queue-sender.js';
import type { ChangeFeed } from '../store/change-feed.js';

/** Runs code: the environment pool in production. */
export interface Executor {
  invoke(spec: FunctionSpec, request: InvokeRequest): Promise<InvokeResult>;
  /** Drops idle environments whose spec key starts with the prefix. */
  evict(keyPrefix: string): void;
  /** Keeps `count` initialised environments per key (provisioned concurrency); replaces the previous targets. */
  provision(targets: Map<string, { spec: FunctionSpec; count: number }>): void;
  /** How many provisioned environments of a key are initialised, and why provisioning gave up, if it did. */
  provisionState(key: string): { ready: number; failure?: string };
}

/** Where invocation log lines go (CloudWatch Logs storage). */
export interface LogWriter {
  append(accountId: string, region: string, logGroupName: string, logStreamName: string, lines: string[], timestampMs?: number): void;
}

export interface LambdaDeps {
  config: Config;
  store: LambdaStore;
  /** The queue of accepted Event invocations. */
  asyncEvents: AsyncQueueStore;
  /** Set when other nodes share the queue: how often to look for their events (ms). */
  asyncPollMs?: number;
  blobs: BlobStore;
  cache: FunctionCache;
  concurrency: ConcurrencyTracker;
  executor: Executor;
  logs: LogWriter;
  /** Invocation counts and durations for /_stagecraft/metrics. */
  metrics?: InvocationMetrics;
  /** S3 objects, read for code given as S3Bucket/S3Key. */
  s3?: S3ObjectReader;
  /** AWS/Lambda metrics for the CloudWatch API and alarms. */
  cloudWatch?: LambdaMetricsRecorder;
  /** Event source mappings: where they are stored, the queues they poll, the cluster's feed. */
  mappings?: { store: EventSourceMappingStore; queues: QueuePoller; feed?: ChangeFeed };
}
