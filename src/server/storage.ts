// Opens the state the modules work on: embedded SQLite under the data dir (the default), or the
// PostgreSQL database a cluster of nodes shares (config.database). Both give the same stores; the
// cluster adds the change feed that keeps every node's caches current and a per-API write lock
// that holds across nodes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Config } from '../core/config.js';
import type { LambdaStore } from '../store/lambda-store.js';
import type { AsyncQueueStore } from '../store/async-queue-store.js';
import type { ApiGatewayStore } from '../store/apigateway-store.js';
import type { HttpApiStore } from '../store/httpapi-store.js';
import type { ChangeFeed } from '../store/change-feed.js';
import type { ConcurrencyLeases } from '../store/concurrency-leases.js';
import type { FunctionCredentialsStore } from '../store/function-credentials-store.js';
import type { HookExecutionsStore } from '../store/hook-executions-store.js';
import type { StackExportsStore } from '../store/stack-exports-store.js';
import type { CloudWatchStore } from '../store/cloudwatch-store.js';
import type { DashboardStore } from '../store/dashboard-store.js';
import type { DocumentationStore } from '../store/apigateway-documentation-store.js';
import type { VpcLinkStore } from '../store/vpc-link-store.js';
import type { WebSocketConnectionsStore } from '../store/websocket-connections-store.js';
import type { ClientCertificateStore } from '../store/client-certificate-store.js';
import type { IamStore } from '../store/iam-store.js';
import type { SqsStore } from '../store/sqs-store.js';
import { SqlSqsStore } from '../store/rows/sqs.js';
import type { LogsStorage } from '../logs/module.js';
import type { S3Store } from '../store/s3-store.js';
import { SqlS3Store } from '../store/rows/s3.js';
import { SqlEventsStore } from '../store/rows/events.js';
import type { EventsStore } from '../store/events-store.js';
import type { SnsStore } from '../store/sns-store.js';
import { SqlSnsStore } from '../store/rows/sns.js';
import type { EventSourceMappingStore } from '../store/event-source-mapping-store.js';
import { SqlEventSourceMappingStore } from '../store/rows/event-source-mappings.js';
import type { DynamoDbStore } from '../store/dynamodb-store.js';
import { pgAtomically, SqlDynamoDbStore, sqliteAtomically } from '../store/rows/dynamodb.js';
import { SqlNamedDocuments } from '../store/rows/named-documents.js';
import type { SsmStore } from '../store/ssm-store.js';
import type { SecretsStore } from '../store/secrets-store.js';
import { blobReferences, type BlobReferences } from '../store/rows/blob-references.js';
import { KeyedMutex, type KeyedLock } from '../apigateway/locks.js';
import { BlobStore } from '../store/blobs.js';
import { openSqlite } from '../store/sqlite/database.js';
import { allMigrations } from '../store/sqlite/migrations.js';
import { SqliteLambdaStore } from '../store/sqlite/lambda-store.js';
import { SqliteAsyncQueueStore } from '../store/sqlite/async-queue-store.js';
import { SqliteApiGatewayStore } from '../store/sqlite/apigateway-store.js';
import { SqliteHttpApiStore } from '../store/sqlite/httpapi-store.js';
import { SqliteLogsStore, sqliteRunner } from '../store/sqlite/logs-store.js';
import { SqlInsightsQueryStore } from '../store/rows/insights-queries.js';
import type { CloudFormationStacksStore } from '../store/cloudformation-stacks-store.js';
import { SqlCloudFormationStacksStore } from '../store/rows/cloudformation-stacks.js';
import { pgCloudFormationStacksStore } from '../store/postgres/cloudformation-stacks.js';
import { pgInsightsQueryStore } from '../store/postgres/insights-queries.js';
import { SqliteFunctionCredentialsStore } from '../store/sqlite/function-credentials-store.js';
import { SqliteHookExecutionsStore } from '../store/sqlite/hook-executions-store.js';
import { SqliteStackExportsStore } from '../store/sqlite/stack-exports-store.js';
import { SqliteCloudWatchStore } from '../store/sqlite/cloudwatch-store.js';
import { SqliteDashboardStore } from '../store/sqlite/dashboard-store.js';
import { SqliteDocumentationStore } from '../store/sqlite/documentation-store.js';
import { SqliteVpcLinkStore } from '../store/sqlite/vpc-link-store.js';
import { SqliteClientCertificateStore } from '../store/sqlite/client-certificate-store.js';
import { sqliteIamStore } from '../store/sqlite/iam-store.js';
import { ThreadedLogAppender } from '../store/sqlite/threaded-log-appender.js';
import { openPostgres } from '../store/postgres/database.js';
import { allPostgresMigrations } from '../store/postgres/migrations.js';
import { PgChangeFeed } from '../store/postgres/change-feed.js';
import { PgLambdaStore } from '../store/postgres/lambda-store.js';
import { PgAsyncQueueStore } from '../store/postgres/async-queue-store.js';
import { PgApiGatewayStore } from '../store/postgres/apigateway-store.js';
import { PgHttpApiStore } from '../store/postgres/httpapi-store.js';
import { PgLogsStore } from '../store/postgres/logs-store.js';
import { PgFunctionCredentialsStore } from '../store/postgres/function-credentials-store.js';
import { PgHookExecutionsStore } from '../store/postgres/hook-executions-store.js';
import { PgStackExportsStore } from '../store/postgres/stack-exports-store.js';
import { PgCloudWatchStore } from '../store/postgres/cloudwatch-store.js';
import { PgDashboardStore } from '../store/postgres/dashboard-store.js';
import { PgDocumentationStore } from '../store/postgres/documentation-store.js';
import { PgVpcLinkStore } from '../store/postgres/vpc-link-store.js';
import { PgClientCertificateStore } from '../store/postgres/client-certificate-store.js';
import { pgIamStore } from '../store/postgres/iam-store.js';
import { PgZipStorage } from '../store/postgres/zip-storage.js';
import { PgAdvisoryLock } from '../store/postgres/advisory-lock.js';
import { PgConcurrencyLeases } from '../store/postgres/concurrency-leases.js';
import { PgWebSocketConnectionsStore } from '../store/postgres/websocket-connections-store.js';

export interface Storage {
  kind: 'sqlite' | 'postgres';
  lambda: LambdaStore;
  asyncEvents: AsyncQueueStore;
  apiGateway: ApiGatewayStore;
  /** REST APIs' documentation parts and versions. */
  apiDocumentation: DocumentationStore;
  /** API Gateway VPC links (REST and HTTP APIs'). */
  vpcLinks: VpcLinkStore;
  /** API Gateway client certificates (with their private keys). */
  clientCertificates: ClientCertificateStore;
  /** HTTP APIs (API Gateway v2). */
  httpApis: HttpApiStore;
  logs: LogsStorage;
  blobs: BlobStore;
  /** What functions sign with when signatures are verified. */
  functionCredentials: FunctionCredentialsStore;
  /** CodeDeploy lifecycle hook executions waited for by deploys. */
  hookExecutions: HookExecutionsStore;
  /** Stack exports and imports recorded by deploys (Fn::ImportValue). */
  stackExports: StackExportsStore;
  /** CloudFormation stacks run on the server. */
  cloudformationStacks: CloudFormationStacksStore;
  /** CloudWatch metric datapoints and alarms. */
  cloudwatch: CloudWatchStore;
  /** CloudWatch dashboards. */
  dashboards: DashboardStore;
  /** IAM roles and policies (global: per account). */
  iam: IamStore;
  /** S3 buckets, objects and uploads (their bytes are blobs). */
  s3: S3Store;
  /** SQS queues and their messages. */
  sqs: SqsStore;
  /** EventBridge buses, rules and targets. */
  events: EventsStore;
  /** SNS topics, subscriptions and queued deliveries. */
  sns: SnsStore;
  eventSourceMappings: EventSourceMappingStore;
  /** DynamoDB tables and items. */
  dynamodb: DynamoDbStore;
  /** SSM Parameter Store parameters (with their histories). */
  ssm: SsmStore;
  /** Secrets Manager secrets (with their versions). */
  secrets: SecretsStore;
  /** The blobs the stores reference now (the blob collector keeps them). */
  blobReferences(): Promise<BlobReferences>;
  /** Other nodes' changes (absent with one node). */
  feed?: ChangeFeed;
  /** Reserved concurrency shared by the nodes (absent with one node: it is counted in memory). */
  concurrencyLeases?: ConcurrencyLeases;
  /** Which node holds each WebSocket connection (absent with one node: it holds them all). */
  webSocketConnections?: WebSocketConnectionsStore;
  /** The API Gateway per-API write lock. */
  apiLocks: KeyedLock;
  /** Facts for /_stagecraft/health. */
  health(): Record<string, unknown>;
  /** Closes what the modules have not (call after they are closed). */
  close(): Promise<void>;
}

export function openStorage(config: Config): Promise<Storage> {
  return config.database ? openPostgresStorage(config, config.database) : Promise.resolve(openSqliteStorage(config));
}

function openSqliteStorage(config: Config): Storage {
  const db = openSqlite(config.dataDir, allMigrations);
  const logs = new SqliteLogsStore(db);
  return {
    kind: 'sqlite',
    lambda: new SqliteLambdaStore(db),
    asyncEvents: new SqliteAsyncQueueStore(db),
    apiGateway: new SqliteApiGatewayStore(db),
    apiDocumentation: new SqliteDocumentationStore(db),
    vpcLinks: new SqliteVpcLinkStore(db),
    clientCertificates: new SqliteClientCertificateStore(db),
    httpApis: new SqliteHttpApiStore(db),
    // Function log lines are stored from a worker thread with its own connection to the file.
    logs: { store: logs, appender: new ThreadedLogAppender(db, logs), queries: new SqlInsightsQueryStore(sqliteRunner(db)), nodeId: 'local' },
    blobs: new BlobStore(config.dataDir),
    functionCredentials: new SqliteFunctionCredentialsStore(db),
    hookExecutions: new SqliteHookExecutionsStore(db),
    stackExports: new SqliteStackExportsStore(db),
    cloudformationStacks: new SqlCloudFormationStacksStore(sqliteRunner(db)),
    cloudwatch: new SqliteCloudWatchStore(db),
    dashboards: new SqliteDashboardStore(db),
    iam: sqliteIamStore(db),
    s3: new SqlS3Store(sqliteRunner(db)),
    sqs: new SqlSqsStore(sqliteRunner(db)),
    events: new SqlEventsStore(sqliteRunner(db)),
    sns: new SqlSnsStore(sqliteRunner(db)),
    dynamodb: new SqlDynamoDbStore(sqliteRunner(db), sqliteAtomically(db)),
    eventSourceMappings: new SqlEventSourceMappingStore(sqliteRunner(db)),
    ssm: new SqlNamedDocuments(sqliteRunner(db), 'ssm_parameters'),
    secrets: new SqlNamedDocuments(sqliteRunner(db), 'secretsmanager_secrets'),
    blobReferences: () => blobReferences(sqliteRunner(db)),
    apiLocks: new KeyedMutex(),
    health: () => ({}),
    async close() {
      db.close();
    },
  };
}

async function openPostgresStorage(config: Config, url: string): Promise<Storage> {
  const db = await openPostgres(url, allPostgresMigrations, { max: 16 });
  const node = nodeId(config.dataDir);
  const feed = new PgChangeFeed(db, node);
  await feed.start();
  const queue = new PgAsyncQueueStore(db, { nodeId: node });
  const apiLocks = new PgAdvisoryLock(url);
  const logs = new PgLogsStore(db);
  const concurrencyLeases = new PgConcurrencyLeases(db, node);
  // Slots this node held before a crash belong to invocations that ended with it.
  await concurrencyLeases.releaseAll();
  // So are the WebSocket connections it held.
  const webSocketConnections = new PgWebSocketConnectionsStore(db, node);
  await webSocketConnections.releaseAll();
  return {
    kind: 'postgres',
    lambda: new PgLambdaStore(db, feed),
    asyncEvents: queue,
    apiGateway: new PgApiGatewayStore(db, feed),
    apiDocumentation: new PgDocumentationStore(db),
    vpcLinks: new PgVpcLinkStore(db),
    clientCertificates: new PgClientCertificateStore(db),
    httpApis: new PgHttpApiStore(db, feed),
    // Log batches go straight to the pool: the database does the work on its own processes.
    logs: {
      store: logs,
      appender: { appendMany: (items, ms) => logs.appendMany(items, ms), close: async () => undefined },
      queries: pgInsightsQueryStore(db),
      nodeId: node,
    },
    blobs: new BlobStore(config.dataDir, new PgZipStorage(db)),
    functionCredentials: new PgFunctionCredentialsStore(db),
    hookExecutions: new PgHookExecutionsStore(db),
    stackExports: new PgStackExportsStore(db),
    cloudformationStacks: pgCloudFormationStacksStore(db),
    cloudwatch: new PgCloudWatchStore(db),
    dashboards: new PgDashboardStore(db),
    iam: pgIamStore(db),
    s3: new SqlS3Store(db),
    sqs: new SqlSqsStore(db),
    events: new SqlEventsStore(db),
    sns: new SqlSnsStore(db),
    dynamodb: new SqlDynamoDbStore(db, pgAtomically(db)),
    eventSourceMappings: new SqlEventSourceMappingStore(db),
    ssm: new SqlNamedDocuments(db, 'ssm_parameters'),
    secrets: new SqlNamedDocuments(db, 'secretsmanager_secrets'),
    blobReferences: () => blobReferences(db),
    feed,
    concurrencyLeases,
    webSocketConnections,
    apiLocks,
    health: () => ({ cluster: { nodeId: node, changeFeed: feed.listening ? 'listening' : 'reconnecting', unresponsiveNodes: feed.unresponsiveNodes } }),
    async close() {
      queue.close();
      // The modules are closed: events this node still claims run nowhere now.
      await queue.release().catch(() => undefined);
      // Its WebSocket connections are closed: none is held here any more.
      await webSocketConnections.releaseAll().catch(() => undefined);
      await feed.close();
      await apiLocks.close();
      await db.close();
    },
  };
}

/**
 * This node's id in the cluster, kept in its data dir so that after a restart it takes back the
 * asynchronous events it was running at once (each node needs a data dir of its own).
 */
function nodeId(dataDir: string): string {
  const file = join(dataDir, 'node-id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const id = randomUUID();
  writeFileSync(file, `${id}\n`);
  return id;
}
