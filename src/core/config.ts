// One place for configuration: the schema, its defaults, and the parsed type code receives.
import { z } from 'zod';

export const configSchema = z.object({
  port: z.number().int().min(0).max(65535).default(4566),
  host: z.string().default('127.0.0.1'),
  dataDir: z.string().default('./.stagecraft'),
  /** postgres://… selects the PostgreSQL store (cluster mode); unset means embedded SQLite. */
  database: z.string().optional(),
  /**
   * Access key id → secret access key. When set, every AWS API request must carry a valid SigV4
   * signature made with one of them (and AWS_IAM methods of API stages verify theirs); unset,
   * any credentials are accepted, as local emulators do.
   */
  credentials: z.record(z.string().min(1)).optional(),
  accountId: z.string().regex(/^\d{12}$/).default('000000000000'),
  defaultRegion: z.string().default('us-east-1'),
  /** auto: bubblewrap when present, else unsandboxed with a warning; required: refuse to run without it; off: never. */
  sandbox: z.enum(['auto', 'required', 'off']).default('auto'),
  /**
   * isolated: each sandboxed environment gets its own network namespace (pasta), reaching other
   * hosts and this server's port but not the host's other loopback services; where that is
   * unavailable, the host's network with a warning (none at all when the sandbox is required).
   * host: environments share the host's network.
   */
  functionNetwork: z.enum(['isolated', 'host']).default('isolated'),
  /** Ports of the host's loopback that isolated environments reach besides this server's (e.g. a local database emulator's). */
  functionHostPorts: z.array(z.number().int().min(1).max(65535)).default([]),
  /** Upper bound on concurrently running execution environments on this host. */
  maxEnvironments: z.number().int().min(1).default(64),
  /** Idle environments are reaped after this many milliseconds. */
  environmentIdleMs: z.number().int().min(1000).default(5 * 60_000),
  /**
   * Pre-started generic runtime processes kept per (runtime family, memory size) to make cold
   * starts fast (nodejs at 128 MB from the start, others once used); 0 disables them.
   */
  prewarm: z.number().int().min(0).max(16).default(1),
  /**
   * paced: an invocation that finds every environment of its version busy waits for one when that
   * should be quicker than a cold start; eager: it always gets a new one at once, as on AWS.
   */
  scaleOut: z.enum(['paced', 'eager']).default('paced'),
  /**
   * batch: environments run under SCHED_BATCH (where chrt allows), so their wake-ups never
   * preempt the server; normal: under the same policy as the server.
   */
  scheduling: z.enum(['batch', 'normal']).default('batch'),
  /** Lambda's account-wide concurrency limit (GetAccountSettings ConcurrentExecutions). */
  accountConcurrency: z.number().int().min(1).default(1000),
  /** Enforce Lambda resource policies for API Gateway invocations (AWS behaviour). */
  enforcePermissions: z.boolean().default(true),
  /**
   * Waits in ms before the second and the third attempt of an asynchronous invocation whose
   * function returned an error: AWS waits 1 and 2 minutes; tests shorten them.
   */
  asyncRetryDelaysMs: z.tuple([z.number().int().min(0), z.number().int().min(0)]).default([60_000, 120_000]),
  /**
   * SNS: waits in ms before each retry of a failed HTTP/S (or Lambda) delivery. AWS's default
   * delivery policy retries 3 times, 20 seconds apart; tests shorten them.
   */
  snsRetryDelaysMs: z.array(z.number().int().min(0)).min(1).max(100).default([20_000, 20_000, 20_000]),
  /**
   * WebSocket APIs: a connection the client leaves idle this long is closed (AWS: 10 minutes), and
   * any connection this long after it opened (AWS: 2 hours).
   */
  webSocketTimeoutsMs: z.object({ idle: z.number().int().min(100), max: z.number().int().min(100) }).default({ idle: 10 * 60_000, max: 2 * 60 * 60_000 }),
  /**
   * A client must have sent its whole request (headers and body) this long after it began, else it
   * gets 408 and the connection closes: a body that never ends holds no socket and buffer forever.
   * Answers may take as long as they need; the default is Node's own.
   */
  requestTimeoutMs: z.number().int().min(100).default(300_000),
  /**
   * How long an on-demand function's init may take before it runs again with the invocation
   * waiting for it (AWS: 10 s). Shortened only by tests.
   */
  initTimeoutMs: z.number().int().min(100).default(10_000),
  /**
   * CloudWatch: how often recorded metrics are flushed to the store and metric alarms evaluated
   * (AWS evaluates alarms once a minute). Shortened by tests.
   */
  cloudWatchIntervalMs: z.number().int().min(100).default(10_000),
  /**
   * DynamoDB: how often tables with time to live enabled are swept for expired items (AWS deletes
   * them within a few days of expiry). Shortened by tests.
   */
  dynamoDbTtlIntervalMs: z.number().int().min(100).default(60_000),
  /**
   * EventBridge's scheduler clock, for tests: from `anchorMs` (epoch ms) on, schedule time runs
   * `scale` times faster than the wall clock (every node given the same anchor agrees on it).
   */
  eventsClock: z.object({ anchorMs: z.number().int().min(0), scale: z.number().int().min(1).max(3600) }).optional(),
  /**
   * Logs Insights: queries of an account and region running at once (AWS: 30), how often a running
   * query stores its progress and partial results, and how long it may run before it ends
   * `Timeout` (AWS: 60 minutes). Lowered by tests.
   */
  insightsLimits: z.object({
    concurrency: z.number().int().min(1),
    heartbeatMs: z.number().int().min(50),
    timeoutMs: z.number().int().min(100),
  }).default({ concurrency: 30, heartbeatMs: 1_000, timeoutMs: 3_600_000 }),
  /**
   * Blob collection: how old an unreferenced zip or tree must be before it is removed (an upload
   * whose reference is not committed yet is younger), and how often the collector runs. Lowered by tests.
   */
  blobCollection: z.object({
    graceMs: z.number().int().min(0),
    intervalMs: z.number().int().min(100),
  }).default({ graceMs: 900_000, intervalMs: 600_000 }),
  /**
   * Request bytes held in memory at once across the server, in MiB: bodies being read and used,
   * and S3 objects held for a GetObject answer. A request past it is refused with its service's
   * throttling error (S3: 503 SlowDown), which SDKs retry; a request alone in flight may pass it.
   */
  maxRequestMemoryMiB: z.number().int().min(1).default(1024),
  /** Asynchronous invocations run side by side at most; the rest wait in the queue. */
  asyncWorkers: z.number().int().min(1).max(256).default(8),
  /**
   * Where COGNITO_USER_POOLS authorizers find user pools: a pool's issuer is {this}/{poolId}
   * (default https://cognito-idp.{region}.amazonaws.com); set for a local user pool emulator.
   */
  cognitoEndpoint: z.string().regex(/^https?:\/\/[^\s/]+/).optional(),
  /**
   * Where the other nodes of a cluster reach this one (they forward @connections calls for the
   * WebSocket connections it holds); default http://{host, or 127.0.0.1 for a wildcard}:{port}.
   */
  advertiseUrl: z.string().regex(/^https?:\/\/[^\s/]+/).optional(),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;

export function parseConfig(input: ConfigInput = {}): Config {
  return configSchema.parse(input);
}
