// Builds each feature module and lists what the edge serves. One line per module: adding a
// service means writing its module folder and registering it here.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Metrics } from '../metrics/metrics.js';
import { ConsoleSessions, createConsoleSessionFront } from './console-session.js';
import { createVerifier, type SigV4Verifier } from '../aws/sigv4-verify.js';
import { BodyBudget } from '../aws/body-budget.js';
import { functionCredentials } from './function-credentials.js';
import type { Config } from '../core/config.js';
import type { Storage } from './storage.js';
import type { ServiceModule } from './service-module.js';
import type { FrontHandler } from './edge.js';
import { createLogsModule } from '../logs/module.js';
import { lambdaDestination } from '../logs/lambda-destination.js';
import { createStsModule } from '../sts/module.js';
import { createSqsModule } from '../sqs/module.js';
import { createIamModule } from '../iam/module.js';
import { createCloudWatchModule } from '../cloudwatch/module.js';
import { lambdaActionTarget } from '../cloudwatch/lambda-action-target.js';
import { createEventsModule } from '../events/module.js';
import { lambdaTarget } from '../events/lambda-target.js';
import { createCodeDeployModule } from '../codedeploy/module.js';
import { HookExecutions } from '../codedeploy/hook-executions.js';
import { createStackExportsEndpoint } from '../cloudformation/stack-exports.js';
import { createCloudFormationModule } from '../cloudformation/module.js';
import { StackEngine } from '../cloudformation/stack-engine.js';
import { loopbackCredentials } from '../cloudformation/loopback-credentials.js';
import { s3TemplateReader } from '../cloudformation/s3-template-reader.js';
import { FunctionCache } from '../lambda/function-cache.js';
import { ConcurrencyTracker } from '../lambda/concurrency-tracker.js';
import { createLambdaModule } from '../lambda/module.js';
import { createS3Module } from '../s3/module.js';
import { S3Objects } from '../s3/objects.js';
import { lambdaNotificationDestination } from '../s3/lambda-destination.js';
import type { Invoker } from '../lambda/invoke.js';
import { EnvironmentPool } from '../runtime/environment-pool.js';
import { BlobCollector } from '../store/blob-collector.js';
import { join } from 'node:path';
import { createApiGateway } from '../apigateway/module.js';
import { createHttpApiModule } from '../apigatewayv2/module.js';
import { HttpApiRuntime } from '../apigatewayv2/runtime.js';
import { DomainRuntime } from '../apigateway/domain-runtime.js';
import { createExecuteApi, type ExecuteApi } from '../execute-api/module.js';
import { createConsoleFront } from './console.js';
import { createFunctionUrlFront } from '../function-urls/front.js';
import { WebSocketExecutionLogs } from '../execute-api/websocket/execution-log.js';
import { WebSocketGateway } from '../execute-api/websocket/gateway.js';
import { UsageMeter } from '../execute-api/usage-meter.js';
import { RouteThrottle } from '../execute-api/http-api/route-throttle.js';
import { AccessLogger } from '../execute-api/access-log.js';
import { createConnectionsApi } from '../execute-api/websocket/management.js';
import { NodeForwarder } from '../execute-api/websocket/forwarding.js';
import { stopEnvironmentsOfRemoteDeletions } from '../lambda/remote-deletions.js';
import { prebuildJavaRuntime } from '../runtime/java-runtime.js';
import { startSns } from '../sns/server-wiring.js';
import { wireMessaging } from './messaging-wiring.js';
import { alarmPublisher } from '../sns/service-publish.js';
import { createDynamoDbModule } from '../dynamodb/module.js';
import { createSsmModule } from '../ssm/module.js';
import { createSecretsManagerModule } from '../secretsmanager/module.js';

export interface Modules {
  /** The one invoke pipeline (API Gateway and the console call functions through it). */
  invoker: Invoker;
  services: ServiceModule[];
  fronts: FrontHandler[];
  /** Prometheus metrics for /_stagecraft/metrics. */
  metrics: Metrics;
  /** Checks SigV4 signatures when credentials are configured (AWS APIs and AWS_IAM methods). */
  verifier: SigV4Verifier | undefined;
  consoleSessions: ConsoleSessions | undefined;
  /** Request bytes held in memory at once across the server (the edge gives each AWS API request a lease of it). */
  bodyBudget: BodyBudget;
  /** Facts for /_stagecraft/health and the banner. */
  health(): Record<string, unknown>;
  /** Takes a WebSocket upgrade to a WebSocket API (true), or leaves it to the request handlers (false). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean>;
  /** Closes WebSocket connections (1001, with their $disconnect calls): first at shutdown, since the port's close waits for their sockets. */
  closeWebSockets(): Promise<void>;
  /** At shutdown, before the port closes: work that calls this server over loopback (CloudFormation stacks) stops writing outcomes its failing calls would cause. */
  stopping(): void;
  /**
   * Once the port is open: functions get AWS_ENDPOINT_URL (`url`), so their AWS SDK calls (a CodeDeploy hook's) reach this
   * server; in a cluster, the other nodes reach this one at `advertiseUrl`.
   */
  listening(url: string, advertiseUrl: string): void;
  close(): Promise<void>;
}

/** In a cluster, how often a node looks for asynchronous events queued by the others. */
const CLUSTER_QUEUE_POLL_MS = 2000;

export async function buildModules(config: Config, storage: Storage): Promise<Modules> {
  const services: ServiceModule[] = [];
  const fronts: FrontHandler[] = [];
  const closers: (() => Promise<void> | void)[] = [];
  const healthParts: (() => Record<string, unknown>)[] = [];
  // Functions sign their own AWS calls with temporary credentials the verifier accepts too.
  const functionCreds = await functionCredentials(config.credentials !== undefined, storage.functionCredentials);
  const verifier = createVerifier(config.credentials, functionCreds);
  const consoleSessions = config.credentials ? new ConsoleSessions(config.credentials) : undefined;
  const bodyBudget = new BodyBudget(config.maxRequestMemoryMiB * 1024 * 1024);
  healthParts.push(() => ({ requestMemory: { inFlightBytes: bodyBudget.inFlight, limitBytes: bodyBudget.limit } }));

  // CloudWatch Logs first: it is closed last, after the modules that write function logs to its sink.
  const logsModule = createLogsModule(storage.logs, { feed: storage.feed, insights: config.insightsLimits });
  services.push(logsModule.service);
  healthParts.push(logsModule.health);
  closers.push(() => logsModule.close());
  // IAM before STS: an unsigned IAM call names its version in the query string, and STS claims any unsigned form POST.
  services.push(createIamModule(storage.iam));
  // SQS before STS too: an unsigned SQS query call names its version (or a queue URL's path).
  const sqs = createSqsModule(storage.sqs, { feed: storage.feed, nodeId: storage.logs.nodeId });
  services.push(sqs.service);
  closers.push(() => sqs.close());
  services.push(createStsModule());
  // SSM Parameter Store: configuration functions read at AWS_ENDPOINT_URL.
  services.push(createSsmModule(storage.ssm));
  // Secrets Manager: secrets and their versions, on the same endpoint.
  services.push(createSecretsManagerModule(storage.secrets));
  // CloudWatch before Lambda: closed after it, it stores the last metrics invocations recorded.
  const cloudWatch = createCloudWatchModule(storage.cloudwatch, { intervalMs: config.cloudWatchIntervalMs, dashboards: storage.dashboards });
  services.push(cloudWatch.service);
  closers.push(() => cloudWatch.close());
  logsModule.publishMetricsTo((sample) => cloudWatch.logMetrics.record(sample));
  // Closed before CloudWatch: the last log lines' metric filter samples reach it before its final flush.
  closers.push(() => logsModule.sink.flush());
  // CodeDeploy: only what traffic-shifting hooks of `stagecraft deploy` need.
  const codedeploy = createCodeDeployModule(new HookExecutions(storage.hookExecutions), verifier);
  services.push(codedeploy.service);
  fronts.push(codedeploy.front);
  // Stack exports and imports `stagecraft deploy` records (Fn::ImportValue across stacks).
  fronts.push(createStackExportsEndpoint(storage.stackExports, verifier));
  // CloudFormation stacks run on this node with the deploy engine, which calls this server over loopback (`loopback`, once listening).
  let loopback = '';
  // S3: buckets and objects (code artifacts Lambda reads by S3Bucket/S3Key, TemplateURL templates), bytes kept as blobs.
  const s3 = new S3Objects(storage.s3, storage.blobs);
  const cloudformation = createCloudFormationModule({
    exports: storage.stackExports, stacks: storage.cloudformationStacks, nodeId: storage.logs.nodeId, templateReader: s3TemplateReader(s3),
    engineFor: (scope) => new StackEngine(() => ({ endpoint: loopback, region: scope.region, credentials: loopbackCredentials(config.credentials) })),
  });
  services.push(cloudformation.service);
  await cloudformation.start();
  healthParts.push(() => storage.health());

  const { blobs, lambda: lambdaStore, feed } = storage;
  services.push(createS3Module(s3, verifier).service);
  const cache = new FunctionCache(lambdaStore, undefined, feed);
  const pool = new EnvironmentPool({
    maxEnvironments: config.maxEnvironments,
    idleMs: config.environmentIdleMs,
    sandbox: config.sandbox,
    functionNetwork: config.functionNetwork,
    functionHostPorts: config.functionHostPorts,
    workDir: join(config.dataDir, 'environments'),
    prewarm: config.prewarm,
    initTimeoutMs: config.initTimeoutMs,
    scaleOut: config.scaleOut,
    scheduling: config.scheduling,
    credentials: functionCreds,
    shutdownLines: (spec, stream, lines) => logsModule.sink.append(spec.accountId, spec.region, spec.logGroupName, stream, lines),
  });
  await pool.start();
  closers.push(() => pool.close());
  // Unreferenced code and S3 bytes leave the data dir (and the cluster's database) on a timer, off the request path.
  const collector = new BlobCollector({
    blobs, references: () => storage.blobReferences(), inUse: () => pool.treesInUse(),
    graceMs: config.blobCollection.graceMs, intervalMs: config.blobCollection.intervalMs,
  });
  collector.start();
  closers.push(() => collector.close());
  prebuildJavaRuntime();
  if (feed) stopEnvironmentsOfRemoteDeletions(feed, lambdaStore, pool);
  healthParts.push(() => ({ sandbox: pool.sandboxStatus(), functionNetwork: pool.networkStatus(), scheduling: pool.schedulingStatus(), environments: pool.stats() }));
  // (the async queue is built with the Lambda module below: the gauge reads it at scrape time)
  let queueStats: () => { queued: number; running: number } = () => ({ queued: 0, running: 0 });
  const metrics = new Metrics({
    environments: () => pool.stats(), asyncInvocations: () => queueStats(),
    requestMemory: () => ({ inFlight: bodyBudget.inFlight, limit: bodyBudget.limit, refusals: bodyBudget.refusals }),
  });
  const lambda = createLambdaModule({
    metrics, cloudWatch: cloudWatch.lambdaMetrics, config, store: lambdaStore, asyncEvents: storage.asyncEvents, asyncPollMs: storage.feed ? CLUSTER_QUEUE_POLL_MS : undefined, blobs, cache,
    concurrency: new ConcurrencyTracker(config.accountConcurrency, storage.concurrencyLeases), executor: pool, logs: logsModule.sink, s3,
    mappings: { store: storage.eventSourceMappings, queues: sqs.queues, feed },
  });
  services.push(lambda.service);
  logsModule.deliverSubscriptionsTo(lambdaDestination(lambda.invoker));
  // S3 event notifications to functions: invoked as s3.amazonaws.com through the async queue.
  s3.notifications.deliverTo('lambda', lambdaNotificationDestination(lambda.invoker));
  fronts.push(lambda.codeDownloads);
  // Provisioned concurrency set before a restart starts its environments again.
  void lambda.provisioning.reconcile();
  closers.push(() => lambda.asyncQueue.close());
  // Event source mappings poll their queues from here; they stop before the async queue and the environments do.
  lambda.eventSourceMappings?.start();
  closers.push(() => lambda.eventSourceMappings?.close());
  // EventBridge: rules deliver to Lambda through its async queue; its scheduler stops before the queue does.
  const events = createEventsModule(storage.events, { clock: config.eventsClock, nodeId: storage.logs.nodeId, retryPollMs: feed ? CLUSTER_QUEUE_POLL_MS : undefined });
  services.push(events.service);
  const dynamodb = createDynamoDbModule(storage.dynamodb, { ttlIntervalMs: config.dynamoDbTtlIntervalMs });
  services.push(dynamodb.service);
  closers.push(() => dynamodb.close());
  events.targets.register('lambda', lambdaTarget(lambda.invoker));
  closers.push(() => events.close());
  healthParts.push(() => ({ asyncInvocations: lambda.asyncQueue.stats() }));
  // SNS: topics, subscriptions and durable deliveries (to functions as sns.amazonaws.com, HTTP/S endpoints); closed before Lambda.
  const sns = startSns({ store: storage.sns, nodeId: storage.logs.nodeId, retryDelaysMs: config.snsRetryDelaysMs, pollMs: feed ? CLUSTER_QUEUE_POLL_MS : undefined, invoker: lambda.invoker, services, closers });
  // SNS → SQS, EventBridge → SQS/SNS, S3 → SQS/SNS/EventBridge; the scheduler starts once every target kind is registered.
  wireMessaging({ sqs, sns, snsStore: storage.sns, events, s3: s3.notifications, s3Objects: s3, asyncQueue: lambda.asyncQueue, baseUrl: () => loopback });
  events.start();
  // Events queued before a restart (or a crash) run again from here, once their destinations are wired; at shutdown
  // the queue stops before the environments do, and what it has not finished stays queued in the database.
  lambda.asyncQueue.start();
  // Alarm actions: functions invoked as lambda.alarms.cloudwatch.amazonaws.com, topics published to as cloudwatch.amazonaws.com.
  cloudWatch.runAlarmActionsOn({ ...lambdaActionTarget(lambda.invoker), publish: alarmPublisher(sns, storage.sns, () => loopback) });
  queueStats = () => lambda.asyncQueue.stats();

  // API Gateway control plane; `apiGateway.stages` is the read API the execute-api front uses.
  // TestInvokeMethod runs through the execute-api chain, which is built just below, and
  // FlushStageAuthorizersCache and FlushStageCache empty that chain's authorizer and stage caches,
  // on every node of a cluster.
  let executeApi: ExecuteApi | undefined;
  const FLUSH_TOPIC = 'authorizer-flush';
  const STAGE_CACHE_FLUSH_TOPIC = 'stage-cache-flush';
  const onFlush = (flush: (api: ExecuteApi, apiId: string, stageName: string) => void) => (m: unknown) => {
    const { apiId, stageName } = m as { apiId: string; stageName: string };
    if (executeApi) flush(executeApi, apiId, stageName);
  };
  // A missed flush: cached authorizer results expire by their TTL; stage caches, which a user
  // flushes to serve changed data at once, are emptied.
  feed?.subscribe(FLUSH_TOPIC, onFlush((api, id, stage) => api.flushAuthorizerCache(id, stage)), () => undefined);
  feed?.subscribe(STAGE_CACHE_FLUSH_TOPIC, onFlush((api, id, stage) => api.flushStageCache(id, stage)), () => executeApi?.flushAllStageCaches());
  const apiGateway = createApiGateway({
    store: storage.apiGateway,
    documentation: storage.apiDocumentation,
    vpcLinks: storage.vpcLinks,
    clientCertificates: storage.clientCertificates,
    locks: storage.apiLocks,
    webSockets: {
      isApi: async (scope, apiId) => (await storage.httpApis.getApi(scope, apiId))?.protocolType === 'WEBSOCKET',
      hasStage: async (scope, apiId, stageName) =>
        (await storage.httpApis.getApi(scope, apiId))?.protocolType === 'WEBSOCKET' && (await storage.httpApis.getItem(apiId, 'stage', stageName)) !== undefined,
    },
    dataPlane: {
      testInvoke: (input) => executeApi!.testInvoke(input),
      testInvokeAuthorizer: (input) => executeApi!.testInvokeAuthorizer(input),
      flushAuthorizerCache: async (apiId, stageName) => {
        executeApi!.flushAuthorizerCache(apiId, stageName);
        await feed?.publish(FLUSH_TOPIC, { apiId, stageName });
      },
      flushStageCache: async (apiId, stageName) => {
        executeApi!.flushStageCache(apiId, stageName);
        await feed?.publish(STAGE_CACHE_FLUSH_TOPIC, { apiId, stageName });
      },
    },
  });
  services.push(apiGateway.service);
  closers.push(() => apiGateway.close());
  // HTTP APIs (API Gateway v2): the control plane under /v2/apis.
  services.push(createHttpApiModule({ store: storage.httpApis, locks: storage.apiLocks, domains: storage.apiGateway, vpcLinks: storage.vpcLinks }));
  const httpApis = await HttpApiRuntime.start(storage.httpApis);
  closers.push(() => httpApis.close());
  // Custom domain names: requests by their Host, routed by base path mappings.
  const domains = await DomainRuntime.start(storage.apiGateway);
  closers.push(() => domains.close());

  // WebSocket APIs: connections upgraded on their endpoints, held by this node, managed through the @connections API.
  // In a cluster each node records the connections it holds, and sends calls for the others' on to them.
  let advertised = '';
  const held = storage.webSocketConnections;
  const forwarder = held && new NodeForwarder();
  if (forwarder) closers.push(() => forwarder.close());
  // One meter of usage plans' throttles for REST and WebSocket APIs: a plan may list stages of both.
  const usageMeter = new UsageMeter(apiGateway.usage);
  const webSockets = new WebSocketGateway({
    runtime: httpApis, domains, apiKeys: apiGateway.apiKeys, usageMeter, routeThrottle: new RouteThrottle(), invoker: lambda.invoker, enforcePermissions: config.enforcePermissions, verifier,
    idleTimeoutMs: config.webSocketTimeoutsMs.idle, maxConnectionMs: config.webSocketTimeoutsMs.max, accessLogger: new AccessLogger(logsModule.sink), metrics,
    cloudWatch: cloudWatch.webSocketMetrics, executionLogs: new WebSocketExecutionLogs(logsModule.sink),
    directory: held && { store: held, nodeUrl: () => advertised },
  });
  healthParts.push(() => ({ webSocketConnections: webSockets.connectionCount }));
  const connections = createConnectionsApi({
    gateway: webSockets, verifier, accountId: config.accountId, region: config.defaultRegion, cloudWatch: cloudWatch.webSocketMetrics, cluster: held && forwarder && { store: held, forwarder },
  });

  // The API Gateway data plane: invocations by {apiId}.execute-api host, /restapis/{id}/{stage}/_user_request_/ or a custom domain's Host.
  executeApi = createExecuteApi({ stages: apiGateway.stages, apiKeys: apiGateway.apiKeys, usageMeter, invoker: lambda.invoker, enforcePermissions: config.enforcePermissions, verifier,
    logSink: logsModule.sink, metrics, cloudWatch: cloudWatch.apiGatewayMetrics, httpApiCloudWatch: cloudWatch.httpApiMetrics, httpApis, domains, connections, cognitoEndpoint: config.cognitoEndpoint, vpcLinks: storage.vpcLinks,
  });
  fronts.push(executeApi.front);
  // The @connections API on the server's own endpoint (AWS_ENDPOINT_URL in functions): connection ids are unique.
  fronts.push(connections.front);

  // Lambda function URLs: invocations by {url-id}.lambda-url.{region} host or /lambda-url/{url-id}/.
  fronts.push(createFunctionUrlFront({ store: lambdaStore, invoker: lambda.invoker, enforcePermissions: config.enforcePermissions, verifier }));

  // The web console's static files (it calls the AWS APIs above from the browser).
  fronts.push(createConsoleSessionFront(consoleSessions));
  fronts.push(createConsoleFront());

  // Closed first: stack operations still running are marked failed before the services they call stop.
  closers.push(() => cloudformation.close());

  return {
    invoker: lambda.invoker,
    services,
    fronts,
    metrics,
    verifier,
    consoleSessions,
    bodyBudget,
    health: () => Object.assign({}, ...healthParts.map((h) => h())),
    upgrade: (req, socket, head) => webSockets.upgrade(req, socket, head),
    closeWebSockets: () => webSockets.close(),
    stopping: () => cloudformation.stopping(),
    listening: (url, advertiseUrl) => {
      pool.setDefaultEnvironment({ AWS_ENDPOINT_URL: url });
      loopback = url;
      advertised = advertiseUrl;
      cloudformation.resume();
    },
    async close() {
      for (const c of closers.reverse()) await c();
    },
  };
}
