// `stagecraft serve`: runs the server until interrupted.
import { parseArgs } from 'node:util';
import type { Command } from './main.js';
import { startStagecraft } from '../server/app.js';
import { logger } from '../core/logger.js';
import { CredentialsFormatError, parseCredentials, readCredentialsFile } from '../core/credentials.js';
import { redact } from '../store/postgres/database.js';
import { reportUsageError } from './output.js';
import { STAGECRAFT_VERSION } from '../core/version.js';

const HELP = `Usage: stagecraft serve [options]

Runs the Stagecraft server: the AWS-compatible Lambda, API Gateway and CloudWatch Logs APIs
and API invocations, all on one port.

Options:
  --port <n>            Port to listen on (default 4566; 0 picks a free one)
  --host <addr>         Address to bind (default 127.0.0.1)
  --data-dir <dir>      Where state and code live (default ./.stagecraft; one server at a
                        time); with --database, this node's cache of extracted code (one per node)
  --database <url>      postgres://user@host:5432/db: keep state in PostgreSQL, shared by every
                        node started with the same URL (a cluster; also STAGECRAFT_DATABASE_URL).
                        Default: embedded SQLite in the data dir
  --sandbox <mode>      auto | required | off (default auto: bubblewrap when available)
  --function-network <mode>
                        isolated | host (default isolated: each sandboxed environment has
                        its own network namespace (pasta, from the passt package): other
                        hosts and this server's port, not the host's other loopback services;
                        the host's network with a warning where unavailable, none with
                        --sandbox required). host: environments share the host's network
  --function-host-ports <port,…>
                        With isolated networks: ports of the host's loopback functions may
                        reach besides this server's, e.g. a local database emulator's
  --prewarm <n>         Pre-started runtime processes per runtime and memory size, for
                        fast cold starts (default 1; 0 disables)
  --scale-out <mode>    paced | eager (default paced: when every environment of a version is
                        busy, wait for one if that is quicker than a cold start; eager: start
                        a new one for every concurrent invocation, as AWS does)
  --scheduling <policy> batch | normal (default batch: environments run under Linux's
                        SCHED_BATCH, so waking one never preempts the server; same CPU share)
  --credentials-file <path>
                        Verify the SigV4 signature of every AWS API request against these
                        access keys (one ACCESS_KEY_ID:SECRET_ACCESS_KEY per line; also
                        STAGECRAFT_CREDENTIALS=ID:SECRET,…). Unset: any credentials are accepted
  --no-enforce-permissions
                        Let API Gateway call any function without a resource policy
  --async-retry-delays <ms,ms>
                        Waits before the 2nd and 3rd attempt of a failed asynchronous
                        (Event) invocation (default 60000,120000, as AWS; also
                        STAGECRAFT_ASYNC_RETRY_DELAYS); shorten them for tests
  --sns-retry-delays <ms,...>
                        Waits before each retry of a failed SNS delivery (default
                        20000,20000,20000, AWS's default delivery policy); shorten
                        them for tests (an HTTP/S DeliveryPolicy's seconds scale alike)
  --async-workers <n>   Asynchronous invocations run side by side at most (default 8)
  --cognito-endpoint <url>
                        Where Cognito user pool authorizers find pools and their keys: a
                        pool's issuer is {url}/{poolId} (default https://cognito-idp.{region}
                        .amazonaws.com; also STAGECRAFT_COGNITO_ENDPOINT), e.g. a local emulator
  --advertise-url <url> With --database: where the other nodes reach this one, to send on the
                        @connections calls for WebSocket connections it holds (default
                        http://{--host, or 127.0.0.1 for 0.0.0.0 and ::}:{port}; also
                        STAGECRAFT_ADVERTISE_URL)
  --request-timeout <ms>
                        A client must have sent its whole request within this time, else it
                        gets 408 and the connection closes (default 300000; also
                        STAGECRAFT_REQUEST_TIMEOUT)
  --init-timeout <ms>   How long a function's init may take before it runs again with the
                        invocation waiting for it (default 10000, as AWS; also
                        STAGECRAFT_INIT_TIMEOUT); shorten it for tests
  --cloudwatch-interval <ms>
                        How often CloudWatch metrics are stored and alarms evaluated (default
                        10000; also STAGECRAFT_CLOUDWATCH_INTERVAL); shorten it for tests
  --dynamodb-ttl-interval <ms>
                        How often DynamoDB tables with time to live are swept for expired items
                        (default 60000; also STAGECRAFT_DYNAMODB_TTL_INTERVAL)
  --events-clock <anchor ms>x<scale>
                        For tests: EventBridge schedules, target retry waits and event age run
                        <scale> times faster than the wall clock from the epoch millisecond
                        <anchor> on (give every node of a cluster the same; also
                        STAGECRAFT_EVENTS_CLOCK)
  --websocket-timeouts <idle ms,max ms>
                        WebSocket APIs close connections idle this long, and any this long
                        after they opened (default 600000,7200000: 10 minutes and 2 hours,
                        as AWS; also STAGECRAFT_WEBSOCKET_TIMEOUTS)
  --insights-limits <queries,heartbeat ms,timeout ms>
                        Logs Insights queries running at once per account and region, how
                        often a running query stores its progress, how long it may run
                        (default 30,1000,3600000, as AWS; also STAGECRAFT_INSIGHTS_LIMITS)
  --blob-collection <grace ms,interval ms>
                        Code and S3 bytes nothing references any more are removed once this
                        old, by a collector running this often (default 900000,600000: 15
                        and 10 minutes; also STAGECRAFT_BLOB_COLLECTION)
  --max-request-memory <MiB>
                        Request bytes held in memory at once across the server: bodies
                        being read and S3 objects being sent (default 1024; also
                        STAGECRAFT_MAX_REQUEST_MEMORY). Past it, requests get their service's
                        throttling error (S3: 503 SlowDown), which SDKs and the CLI retry;
                        one request alone may pass it, up to its own size limit
  -h, --help            Show this help

Examples:
  stagecraft serve
  stagecraft serve --port 4567 --data-dir /var/lib/stagecraft
  stagecraft serve --database postgres://stagecraft@db.internal:5432/stagecraft
  aws --endpoint-url http://localhost:4566 lambda list-functions
`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the server (Lambda, API Gateway, Logs APIs and invoke URLs) on one port',
  async run(args) {
    let parsed;
    try {
      parsed = parseServeArgs(args);
    } catch (e) {
      return reportUsageError('serve', e);
    }
    const { values } = parsed;
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      process.stderr.write(`stagecraft serve: --port must be a whole number from 0 to 65535, got '${values.port}'.\n`);
      return 2;
    }
    const sandbox = values.sandbox as 'auto' | 'required' | 'off' | undefined;
    if (sandbox && !['auto', 'required', 'off'].includes(sandbox)) {
      process.stderr.write(`stagecraft serve: --sandbox must be auto, required or off, got '${sandbox}'.\n`);
      return 2;
    }
    const functionNetwork = values['function-network'] as 'isolated' | 'host' | undefined;
    if (functionNetwork && !['isolated', 'host'].includes(functionNetwork)) {
      process.stderr.write(`stagecraft serve: --function-network must be isolated or host, got '${functionNetwork}'.\n`);
      return 2;
    }
    const hostPortsText = values['function-host-ports'];
    const functionHostPorts = hostPortsText?.split(',').map((p) => Number(p.trim()));
    if (functionHostPorts && functionHostPorts.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      process.stderr.write(`stagecraft serve: --function-host-ports must be port numbers from 1 to 65535, comma-separated, e.g. 8000,6379, got '${hostPortsText}'.\n`);
      return 2;
    }
    const prewarm = values.prewarm === undefined ? undefined : Number(values.prewarm);
    if (prewarm !== undefined && (!Number.isInteger(prewarm) || prewarm < 0 || prewarm > 16)) {
      process.stderr.write(`stagecraft serve: --prewarm must be a whole number from 0 to 16, got '${values.prewarm}'.\n`);
      return 2;
    }
    const scaleOut = values['scale-out'] as 'paced' | 'eager' | undefined;
    if (scaleOut && !['paced', 'eager'].includes(scaleOut)) {
      process.stderr.write(`stagecraft serve: --scale-out must be paced or eager, got '${scaleOut}'.\n`);
      return 2;
    }
    const scheduling = values.scheduling as 'batch' | 'normal' | undefined;
    if (scheduling && !['batch', 'normal'].includes(scheduling)) {
      process.stderr.write(`stagecraft serve: --scheduling must be batch or normal, got '${scheduling}'.\n`);
      return 2;
    }
    const delaysText = values['async-retry-delays'] ?? process.env.STAGECRAFT_ASYNC_RETRY_DELAYS;
    const delays = delaysText?.split(',').map((d) => Number(d.trim()));
    if (delays && (delays.length !== 2 || delays.some((d) => !Number.isInteger(d) || d < 0))) {
      process.stderr.write(`stagecraft serve: --async-retry-delays must be two whole numbers of milliseconds, e.g. 60000,120000, got '${delaysText}'.\n`);
      return 2;
    }
    const snsDelaysText = values['sns-retry-delays'];
    const snsDelays = snsDelaysText?.split(',').map((d) => Number(d.trim()));
    if (snsDelays && (snsDelays.length < 1 || snsDelays.length > 100 || snsDelays.some((d) => !Number.isInteger(d) || d < 0))) {
      process.stderr.write(`stagecraft serve: --sns-retry-delays must be 1 to 100 whole numbers of milliseconds, e.g. 20000,20000,20000, got '${snsDelaysText}'.\n`);
      return 2;
    }
    const asyncWorkers = values['async-workers'] === undefined ? undefined : Number(values['async-workers']);
    if (asyncWorkers !== undefined && (!Number.isInteger(asyncWorkers) || asyncWorkers < 1 || asyncWorkers > 256)) {
      process.stderr.write(`stagecraft serve: --async-workers must be a whole number from 1 to 256, got '${values['async-workers']}'.\n`);
      return 2;
    }
    const timeoutsText = values['websocket-timeouts'] ?? process.env.STAGECRAFT_WEBSOCKET_TIMEOUTS;
    const timeouts = timeoutsText?.split(',').map((d) => Number(d.trim()));
    if (timeouts && (timeouts.length !== 2 || timeouts.some((d) => !Number.isInteger(d) || d < 100))) {
      process.stderr.write(`stagecraft serve: --websocket-timeouts must be two whole numbers of milliseconds (at least 100), e.g. 600000,7200000, got '${timeoutsText}'.\n`);
      return 2;
    }
    const insightsText = values['insights-limits'] ?? process.env.STAGECRAFT_INSIGHTS_LIMITS;
    const insights = insightsText?.split(',').map((d) => Number(d.trim()));
    if (insights && (insights.length !== 3 || insights.some((d) => !Number.isInteger(d) || d < 1) || insights[1] < 50 || insights[2] < 100)) {
      process.stderr.write(`stagecraft serve: --insights-limits must be three whole numbers: queries, heartbeat ms (at least 50), timeout ms (at least 100), e.g. 30,1000,3600000, got '${insightsText}'.\n`);
      return 2;
    }
    const collectionText = values['blob-collection'] ?? process.env.STAGECRAFT_BLOB_COLLECTION;
    const collection = collectionText?.split(',').map((d) => Number(d.trim()));
    if (collection && (collection.length !== 2 || collection.some((d) => !Number.isInteger(d) || d < 0) || collection[1] < 100)) {
      process.stderr.write(`stagecraft serve: --blob-collection must be two whole numbers: grace ms, interval ms (at least 100), e.g. 900000,600000, got '${collectionText}'.\n`);
      return 2;
    }
    const memoryText = values['max-request-memory'] ?? process.env.STAGECRAFT_MAX_REQUEST_MEMORY;
    const maxRequestMemoryMiB = memoryText === undefined ? undefined : Number(memoryText);
    if (maxRequestMemoryMiB !== undefined && (!Number.isInteger(maxRequestMemoryMiB) || maxRequestMemoryMiB < 1)) {
      process.stderr.write(`stagecraft serve: --max-request-memory must be a whole number of MiB (at least 1), e.g. 1024, got '${memoryText}'.\n`);
      return 2;
    }
    const requestTimeoutText = values['request-timeout'] ?? process.env.STAGECRAFT_REQUEST_TIMEOUT;
    const requestTimeoutMs = requestTimeoutText === undefined ? undefined : Number(requestTimeoutText);
    if (requestTimeoutMs !== undefined && (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 100)) {
      process.stderr.write(`stagecraft serve: --request-timeout must be a whole number of milliseconds (at least 100), got '${requestTimeoutText}'.\n`);
      return 2;
    }
    const initTimeoutText = values['init-timeout'] ?? process.env.STAGECRAFT_INIT_TIMEOUT;
    const initTimeoutMs = initTimeoutText === undefined ? undefined : Number(initTimeoutText);
    if (initTimeoutMs !== undefined && (!Number.isInteger(initTimeoutMs) || initTimeoutMs < 100)) {
      process.stderr.write(`stagecraft serve: --init-timeout must be a whole number of milliseconds (at least 100), got '${initTimeoutText}'.\n`);
      return 2;
    }
    const cloudWatchText = values['cloudwatch-interval'] ?? process.env.STAGECRAFT_CLOUDWATCH_INTERVAL;
    const cloudWatchIntervalMs = cloudWatchText === undefined ? undefined : Number(cloudWatchText);
    if (cloudWatchIntervalMs !== undefined && (!Number.isInteger(cloudWatchIntervalMs) || cloudWatchIntervalMs < 100)) {
      process.stderr.write(`stagecraft serve: --cloudwatch-interval must be a whole number of milliseconds (at least 100), got '${cloudWatchText}'.\n`);
      return 2;
    }
    const ttlText = values['dynamodb-ttl-interval'] ?? process.env.STAGECRAFT_DYNAMODB_TTL_INTERVAL;
    const dynamoDbTtlIntervalMs = ttlText === undefined ? undefined : Number(ttlText);
    if (dynamoDbTtlIntervalMs !== undefined && !(Number.isInteger(dynamoDbTtlIntervalMs) && dynamoDbTtlIntervalMs >= 100)) {
      process.stderr.write(`stagecraft serve: --dynamodb-ttl-interval must be a whole number of milliseconds (at least 100), got '${ttlText}'.\n`);
      return 2;
    }
    const eventsClockText = values['events-clock'] ?? process.env.STAGECRAFT_EVENTS_CLOCK;
    const eventsClockParts = eventsClockText === undefined ? undefined : /^(\d+)x(\d+)$/.exec(eventsClockText);
    if (eventsClockText !== undefined && !eventsClockParts) {
      process.stderr.write(`stagecraft serve: --events-clock must be <anchor ms>x<scale>, got '${eventsClockText}'.\n`);
      return 2;
    }
    const eventsClock = eventsClockParts ? { anchorMs: Number(eventsClockParts[1]), scale: Number(eventsClockParts[2]) } : undefined;
    let credentials: Record<string, string> | undefined;
    try {
      const fromFile = values['credentials-file'] === undefined ? undefined : readCredentialsFile(values['credentials-file']);
      const fromEnv = process.env.STAGECRAFT_CREDENTIALS ? parseCredentials(process.env.STAGECRAFT_CREDENTIALS, 'STAGECRAFT_CREDENTIALS') : undefined;
      if (fromFile || fromEnv) credentials = { ...fromEnv, ...fromFile };
    } catch (e) {
      if (!(e instanceof CredentialsFormatError)) throw e;
      process.stderr.write(`stagecraft serve: ${e.message}.\n`);
      return 2;
    }
    if (credentials && Object.keys(credentials).length === 0) {
      process.stderr.write('stagecraft serve: the credentials list is empty: no request could ever be accepted.\n');
      return 2;
    }
    const cognitoEndpoint = values['cognito-endpoint'] ?? (process.env.STAGECRAFT_COGNITO_ENDPOINT || undefined);
    if (cognitoEndpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(cognitoEndpoint)) {
      process.stderr.write(`stagecraft serve: --cognito-endpoint must be an http(s) URL such as http://localhost:9229, got '${cognitoEndpoint}'.\n`);
      return 2;
    }
    const advertiseUrl = values['advertise-url'] ?? (process.env.STAGECRAFT_ADVERTISE_URL || undefined);
    if (advertiseUrl !== undefined && !/^https?:\/\/[^\s/]+/.test(advertiseUrl)) {
      process.stderr.write(`stagecraft serve: --advertise-url must be an http(s) URL such as http://10.0.0.7:4566, got '${advertiseUrl}'.\n`);
      return 2;
    }
    const database = values.database ?? (process.env.STAGECRAFT_DATABASE_URL || undefined);
    if (database !== undefined && !/^postgres(ql)?:\/\//.test(database)) {
      process.stderr.write(`stagecraft serve: --database must be a PostgreSQL URL (postgres://user@host:5432/dbname), got '${database}'.\n`);
      return 2;
    }
    let app;
    try {
      app = await startStagecraft({
        port,
        host: values.host,
        dataDir: values['data-dir'],
        database,
        sandbox,
        functionNetwork,
        functionHostPorts,
        prewarm,
        scaleOut,
        scheduling,
        enforcePermissions: values['no-enforce-permissions'] ? false : undefined,
        asyncRetryDelaysMs: delays ? [delays[0], delays[1]] : undefined,
        asyncWorkers,
        snsRetryDelaysMs: snsDelays,
        webSocketTimeoutsMs: timeouts ? { idle: timeouts[0], max: timeouts[1] } : undefined,
        insightsLimits: insights ? { concurrency: insights[0], heartbeatMs: insights[1], timeoutMs: insights[2] } : undefined,
        blobCollection: collection ? { graceMs: collection[0], intervalMs: collection[1] } : undefined,
        maxRequestMemoryMiB,
        requestTimeoutMs,
        initTimeoutMs,
        cloudWatchIntervalMs,
        dynamoDbTtlIntervalMs,
        eventsClock,
        credentials,
        cognitoEndpoint,
        advertiseUrl,
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const hint = STARTUP_HINTS[err.code ?? ''] ?? '';
      process.stderr.write(`stagecraft serve: could not start: ${err.message}.${hint}\n`);
      return 1;
    }
    const health = app.modules.health();
    const lines = [
      `Stagecraft ${STAGECRAFT_VERSION} listening on ${app.url}`,
      `  AWS endpoint:   ${app.url}   (aws --endpoint-url ${app.url} lambda list-functions)`,
      `  Invoke URLs:    http://{apiId}.execute-api.localhost:${app.port}/{stage}/{path}`,
      `                  ${app.url}/restapis/{apiId}/{stage}/_user_request_/{path}`,
      `  WebSockets:     ws://{apiId}.execute-api.localhost:${app.port}/{stage}   (@connections: ${app.url}/@connections/{id})`,
      `  Console:        ${app.url}/_stagecraft/console`,
      `  Health:         ${app.url}/_stagecraft/health   Metrics: ${app.url}/_stagecraft/metrics`,
      `  Data dir:       ${app.config.dataDir}`,
      `  State:          ${app.config.database ? `PostgreSQL ${redact(app.config.database)} (shared by the cluster's nodes; they reach this one at ${app.advertiseUrl})` : 'SQLite in the data dir'}`,
      `  Sandbox:        ${describeSandbox(health.sandbox)}`,
      `  Network:        ${describeNetwork(health.functionNetwork)}`,
      `  Signatures:     ${credentials ? `verified (SigV4, ${Object.keys(credentials).length} access key${Object.keys(credentials).length === 1 ? '' : 's'})` : 'not verified (any credentials are accepted)'}`,
      `  Region:         ${app.config.defaultRegion} (default; clients choose theirs)   Account: ${app.config.accountId}`,
      '',
      app.port === 4566
        ? 'Next: stagecraft deploy   (in a directory with template.yaml; see stagecraft deploy --help)'
        : `Next: stagecraft deploy --endpoint-url ${app.url}   (or export AWS_ENDPOINT_URL=${app.url})`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    await new Promise<void>((resolveStop) => {
      const stop = (signal: string) => {
        logger.info(`received ${signal}, shutting down`);
        resolveStop();
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    await app.close();
    return 0;
  },
};

/** What a user can do about the errors a start most often meets (the data dir's own are worded in data-dir.ts). */
const STARTUP_HINTS: Record<string, string> = {
  EADDRINUSE: ' Another process uses that port: stop it or pass --port.',
  SQLITE_FULL: ' The disk holding the data dir is full: free some space or pass another --data-dir.',
  SQLITE_READONLY: ' The data dir\'s database cannot be written: check its permissions or pass another --data-dir.',
  SQLITE_CANTOPEN: ' The data dir\'s database cannot be opened: check its permissions or pass another --data-dir.',
  SQLITE_CORRUPT: ' The data dir\'s database (stagecraft.db) is damaged: restore it from a copy or pass another --data-dir.',
  SQLITE_NOTADB: ' The data dir\'s stagecraft.db is not a Stagecraft database: pass another --data-dir.',
};

function parseServeArgs(args: string[]) {
  return parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      database: { type: 'string' },
      sandbox: { type: 'string' },
      'function-network': { type: 'string' },
      'function-host-ports': { type: 'string' },
      prewarm: { type: 'string' },
      'scale-out': { type: 'string' },
      scheduling: { type: 'string' },
      'sns-retry-delays': { type: 'string' },
      'no-enforce-permissions': { type: 'boolean' },
      'async-retry-delays': { type: 'string' },
      'async-workers': { type: 'string' },
      'websocket-timeouts': { type: 'string' },
      'insights-limits': { type: 'string' },
      'blob-collection': { type: 'string' },
      'max-request-memory': { type: 'string' },
      'request-timeout': { type: 'string' },
      'init-timeout': { type: 'string' },
      'cloudwatch-interval': { type: 'string' },
      'dynamodb-ttl-interval': { type: 'string' },
      'events-clock': { type: 'string' },
      'credentials-file': { type: 'string' },
      'cognito-endpoint': { type: 'string' },
      'advertise-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

function describeNetwork(network: unknown): string {
  const n = network as { mode?: string; reason?: string } | undefined;
  if (!n?.mode) return 'unknown';
  if (n.mode === 'isolated') return 'one namespace per environment (the host\'s loopback is out of reach but for this server)';
  return `the host's (functions reach its loopback services)${n.reason ? ` (${n.reason})` : ''}`;
}

function describeSandbox(sandbox: unknown): string {
  const s = sandbox as { mode?: string; reason?: string } | undefined;
  if (!s?.mode) return 'unknown';
  if (s.mode === 'bubblewrap') return 'bubblewrap (functions run isolated)';
  return `NONE — functions run unsandboxed${s.reason ? ` (${s.reason})` : ''}`;
}
