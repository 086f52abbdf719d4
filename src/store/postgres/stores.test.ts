// The store contract suites on PostgreSQL, each case in a throwaway database; then what only a
// shared database has to get right: two nodes on one asynchronous queue, the change feed, and the
// per-API write lock across nodes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPostgres, type PgDb } from './database.js';
import { allPostgresMigrations } from './migrations.js';
import { PgLambdaStore } from './lambda-store.js';
import { PgAsyncQueueStore } from './async-queue-store.js';
import { PgApiGatewayStore } from './apigateway-store.js';
import { PgLogsStore } from './logs-store.js';
import { PgHttpApiStore } from './httpapi-store.js';
import { PgFunctionCredentialsStore } from './function-credentials-store.js';
import { PgHookExecutionsStore } from './hook-executions-store.js';
import { PgDocumentationStore } from './documentation-store.js';
import { PgVpcLinkStore } from './vpc-link-store.js';
import { PgClientCertificateStore } from './client-certificate-store.js';
import { PgChangeFeed, LISTENER_NAME_PREFIX } from './change-feed.js';
import pg from 'pg';
import { PgAdvisoryLock } from './advisory-lock.js';
import { PgConcurrencyLeases } from './concurrency-leases.js';
import { createTestDatabase, type TestDatabase } from './testing.js';
import type { StoreBackend } from '../contract/backend.js';
import type { ApiGatewayChange } from '../apigateway-store.js';
import type { StoredConfig } from '../lambda-store.js';
import { lambdaStoreContract } from '../contract/lambda.contract.js';
import { asyncQueueStoreContract } from '../contract/async-queue.contract.js';
import { apiGatewayStoreContract } from '../contract/apigateway.contract.js';
import { logsStoreContract } from '../contract/logs.contract.js';
import { metricFilterStoreContract } from '../contract/metric-filters.contract.js';
import { subscriptionFilterStoreContract } from '../contract/subscription-filters.contract.js';
import { httpApiStoreContract } from '../contract/httpapi.contract.js';
import { functionCredentialsStoreContract } from '../contract/function-credentials.contract.js';
import { hookExecutionsStoreContract } from '../contract/hook-executions.contract.js';
import { stackExportsRaceContract, stackExportsStoreContract } from '../contract/stack-exports.contract.js';
import { SqlS3Store } from '../rows/s3.js';
import { s3StoreContract } from '../contract/s3.contract.js';
import { SqlSqsStore } from '../rows/sqs.js';
import { sqsStoreContract } from '../contract/sqs.contract.js';
import { SqlEventsStore } from '../rows/events.js';
import { eventsStoreContract } from '../contract/events.contract.js';
import { pgAtomically, SqlDynamoDbStore } from '../rows/dynamodb.js';
import { dynamodbStoreContract } from '../contract/dynamodb.contract.js';
import { SqlSnsStore } from '../rows/sns.js';
import { snsStoreContract } from '../contract/sns.contract.js';
import { SqlEventSourceMappingStore } from '../rows/event-source-mappings.js';
import { SqlNamedDocuments } from '../rows/named-documents.js';
import { ssmSecretsStoreContract } from '../contract/ssm-secrets.contract.js';
import { eventSourceMappingStoreContract } from '../contract/event-source-mappings.contract.js';
import { PgStackExportsStore } from './stack-exports-store.js';
import { documentationStoreContract } from '../contract/documentation.contract.js';
import { vpcLinkStoreContract } from '../contract/vpc-links.contract.js';
import { clientCertificateStoreContract } from '../contract/client-certificates.contract.js';
import { cloudWatchStoreContract } from '../contract/cloudwatch.contract.js';
import { PgCloudWatchStore } from './cloudwatch-store.js';
import { dashboardStoreContract } from '../contract/dashboards.contract.js';
import { iamStoreContract } from '../contract/iam.contract.js';
import { pgIamStore } from './iam-store.js';
import { insightsQueryStoreContract } from '../contract/insights-queries.contract.js';
import { pgInsightsQueryStore } from './insights-queries.js';
import { pgCloudFormationStacksStore } from './cloudformation-stacks.js';
import { cloudFormationStacksStoreContract } from '../contract/cloudformation-stacks.contract.js';
import { PgDashboardStore } from './dashboard-store.js';

const databases = new Map<string, TestDatabase>();
after(async () => {
  for (const d of databases.values()) await d.drop();
});

async function database(location?: string): Promise<{ url: string; db: PgDb }> {
  let url = location;
  if (!url) {
    const created = await createTestDatabase();
    databases.set(created.url, created);
    url = created.url;
  }
  return { url, db: await openPostgres(url, allPostgresMigrations, { max: 4 }) };
}

const postgres: StoreBackend = {
  name: 'postgres',
  async open(location?: string) {
    const { url, db } = await database(location);
    const queue = new PgAsyncQueueStore(db, { nodeId: 'contract-node' });
    return {
      lambda: new PgLambdaStore(db),
      queue,
      apigateway: new PgApiGatewayStore(db),
      httpapi: new PgHttpApiStore(db),
      logs: new PgLogsStore(db),
      functionCredentials: new PgFunctionCredentialsStore(db),
      hookExecutions: new PgHookExecutionsStore(db),
      stackExports: new PgStackExportsStore(db),
      documentation: new PgDocumentationStore(db),
      vpcLinks: new PgVpcLinkStore(db),
      clientCertificates: new PgClientCertificateStore(db),
      cloudwatch: new PgCloudWatchStore(db),
      dashboards: new PgDashboardStore(db),
      insightsQueries: pgInsightsQueryStore(db),
      iam: pgIamStore(db),
      cloudformationStacks: pgCloudFormationStacksStore(db),
      s3: new SqlS3Store(db),
      sqs: new SqlSqsStore(db),
      events: new SqlEventsStore(db),
      sns: new SqlSnsStore(db),
      dynamodb: new SqlDynamoDbStore(db, pgAtomically(db)),
      eventSourceMappings: new SqlEventSourceMappingStore(db),
      ssm: new SqlNamedDocuments(db, 'ssm_parameters'),
      secrets: new SqlNamedDocuments(db, 'secretsmanager_secrets'),
      location: url,
      async close(options = {}) {
        queue.close();
        await db.close();
        if (!options.keep) {
          await databases.get(url)?.drop();
          databases.delete(url);
        }
      },
    };
  },
};

lambdaStoreContract(postgres);
asyncQueueStoreContract(postgres);
apiGatewayStoreContract(postgres);
logsStoreContract(postgres);
metricFilterStoreContract(postgres);
subscriptionFilterStoreContract(postgres);
httpApiStoreContract(postgres);
functionCredentialsStoreContract(postgres);
hookExecutionsStoreContract(postgres);
stackExportsStoreContract(postgres);
stackExportsRaceContract(postgres);
documentationStoreContract(postgres);
vpcLinkStoreContract(postgres);
clientCertificateStoreContract(postgres);
dashboardStoreContract(postgres);
iamStoreContract(postgres);
insightsQueryStoreContract(postgres);
cloudFormationStacksStoreContract(postgres);
s3StoreContract(postgres);
sqsStoreContract(postgres);
eventsStoreContract(postgres);
dynamodbStoreContract(postgres);
ssmSecretsStoreContract(postgres);
snsStoreContract(postgres);
eventSourceMappingStoreContract(postgres);

const scope = { accountId: '000000000000', region: 'us-east-1' };
const latest = { RevisionId: 'r1', CodeHash: 'h' } as StoredConfig;

test('postgres: two nodes never take the same event; a dead node\'s events are taken once its lease runs out', async () => {
  const { url, db } = await database();
  const other = await openPostgres(url, allPostgresMigrations);
  try {
    const a = new PgAsyncQueueStore(db, { nodeId: 'node-a', leaseMs: 1000 });
    const b = new PgAsyncQueueStore(other, { nodeId: 'node-b', leaseMs: 1000 });
    await new PgLambdaStore(db).createFunction({ ...scope, name: 'fn', latest, lastVersion: 0, tags: {}, createdAt: '' });
    for (let i = 0; i < 40; i++) {
      await a.enqueue({ ...scope, name: 'fn', requestId: `r${i}`, payload: Buffer.from(String(i)), enqueuedMs: 100, dueMs: 100 });
    }
    // Both nodes take at the same moment: every event goes to exactly one of them.
    const [takenA, takenB] = await Promise.all([a.due(200, 25, new Set()), b.due(200, 25, new Set())]);
    const ids = [...takenA, ...takenB].map((e) => e.requestId).sort();
    assert.equal(ids.length, 40);
    assert.equal(new Set(ids).size, 40);
    assert.ok(takenA.length > 0 && takenB.length > 0, 'both nodes took events');

    // Node A dies holding its events: B sees them due when the lease runs out, and takes them then.
    assert.deepEqual(await b.due(300, 100, new Set(takenB.map((e) => e.seq))), []);
    assert.equal(await b.nextDueMs(new Set(takenB.map((e) => e.seq))), 200 + 1000 + 1);
    const rescued = await b.due(1201, 100, new Set(takenB.map((e) => e.seq)));
    assert.deepEqual(rescued.map((e) => e.requestId).sort(), takenA.map((e) => e.requestId).sort());

    // A node that restarts under the same id takes its own events back at once.
    const b2 = new PgAsyncQueueStore(db, { nodeId: 'node-b', leaseMs: 1000 });
    assert.equal((await b2.due(1202, 100, new Set())).length, 40);
    // A rescheduled event is free for any node.
    await b2.reschedule(rescued[0].seq, { dueMs: 1300, attempts: 1, throttles: 0 });
    assert.deepEqual((await a.due(1300, 100, new Set())).map((e) => e.seq), [rescued[0].seq]);
    // A node that shuts down releases its claims: the others take its events at once.
    await b2.release();
    assert.equal((await a.due(1301, 100, new Set([rescued[0].seq]))).length, 39);
    for (const s of [a, b, b2]) s.close();
  } finally {
    await other.close();
    await db.close();
  }
});

/** Two nodes on one database, each with its own pool and change feed. */
async function withTwoNodes(fn: (a: { db: PgDb; feed: PgChangeFeed }, b: { db: PgDb; feed: PgChangeFeed }) => Promise<void>): Promise<void> {
  const { url, db } = await database();
  const other = await openPostgres(url, allPostgresMigrations);
  const feedA = new PgChangeFeed(db);
  const feedB = new PgChangeFeed(other);
  await feedA.start();
  await feedB.start();
  try {
    await fn({ db, feed: feedA }, { db: other, feed: feedB });
  } finally {
    await feedA.close();
    await feedB.close();
    await other.close();
    await db.close();
  }
}

test('postgres: committed writes reach the other nodes through the change feed; rolled-back ones do not', () => withTwoNodes(async ({ db, feed: feedA }, { db: other, feed: feedB }) => {
  const lambdaA = new PgLambdaStore(db, feedA);
  const heardB: unknown[] = [];
  const heardA: unknown[] = [];
  const told = new Promise<void>((resolve) => feedB.subscribe('lambda', (m) => {
    heardB.push(m);
    if (heardB.length === 2) resolve();
  }, () => undefined));
  feedA.subscribe('lambda', (m) => heardA.push(m), () => undefined);
  await lambdaA.createFunction({ ...scope, name: 'fn', latest, lastVersion: 0, tags: {}, createdAt: '' });
  assert.equal(await lambdaA.createFunction({ ...scope, name: 'fn', latest, lastVersion: 0, tags: {}, createdAt: '' }), 'conflict');
  await lambdaA.changeTags({ ...scope, name: 'fn' }, () => ({ t: '1' }));
  await told;
  assert.deepEqual(heardB, [{ ...scope, name: 'fn' }, { ...scope, name: 'fn' }], 'one message per committed write, none for the conflict');
  assert.deepEqual(heardA, [], 'a node does not hear itself');

  const apisA = new PgApiGatewayStore(db, feedA);
  const apisB = new PgApiGatewayStore(other, feedB);
  const changes: ApiGatewayChange[] = [];
  const staged = new Promise<void>((resolve) => apisB.onChange((c) => {
    changes.push(c);
    if (c.kind === 'stage') resolve();
  }));
  const api = { ...scope, id: 'api1', name: 'n', createdDate: 1, rootResourceId: 'root', binaryMediaTypes: [], apiKeySource: 'HEADER' as const,
    endpointConfiguration: { types: ['EDGE' as const], ipAddressType: 'ipv4' as const }, disableExecuteApiEndpoint: false, tags: {} };
  await apisA.createRestApi(api, [{ id: 'root', path: '/' }]);
  await apisA.createDeployment('api1', { id: 'd1', createdDate: 1, snapshot: { api: { binaryMediaTypes: [], apiKeySource: 'HEADER', disableExecuteApiEndpoint: false }, resources: [] } },
    { stageName: 'dev', deploymentId: 'd1', cacheClusterEnabled: false, methodSettings: {}, tracingEnabled: false, createdDate: 1, lastUpdatedDate: 1 });
  await staged;
  assert.deepEqual(changes.map((c) => `${c.kind}:${c.apiId}:${c.stageName ?? ''}`), ['api:api1:', 'deployment:api1:', 'stage:api1:dev']);
}));

/** A hand-driven node on the feed's channel: it hears messages and confirms them when told to. */
async function manualListener(url: string, nodeId: string) {
  const client = new pg.Client({ connectionString: url, application_name: LISTENER_NAME_PREFIX + nodeId });
  const heard: { n: string; i: number }[] = [];
  client.on('notification', (n) => {
    const envelope = JSON.parse(n.payload!) as { n: string; i?: number };
    if (envelope.i !== undefined) heard.push({ n: envelope.n, i: envelope.i });
  });
  await client.connect();
  await client.query('LISTEN stagecraft_changes');
  return {
    heard,
    confirm: (m: { n: string; i: number }) => client.query('SELECT pg_notify($1, $2)', ['stagecraft_changes', JSON.stringify({ n: nodeId, to: m.n, a: m.i })]),
    close: () => client.end(),
  };
}

test('postgres: a write is answered only after every listening node has confirmed its change, and a silent node holds it up for a bounded time', async () => {
  const { url, db } = await database();
  const feedA = new PgChangeFeed(db);
  await feedA.start();
  const slow = await manualListener(url, 'slow-node');
  try {
    let done = false;
    const write = feedA.publish('t', { n: 1 }).then(() => void (done = true));
    while (slow.heard.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(done, false, 'the write waits for the node that has heard but not confirmed');
    await slow.confirm(slow.heard[0]);
    await write;
    assert.equal(done, true);

    // A node that never confirms delays the write by the bound (2 s), no longer.
    const started = Date.now();
    await feedA.publish('t', { n: 2 });
    const waited = Date.now() - started;
    assert.ok(waited >= 1900 && waited < 10_000, `waited ${waited} ms`);
  } finally {
    await slow.close();
    await feedA.close();
    await db.close();
  }
});

test('postgres: when a write on one node is answered, the other node has already acted on it', () => withTwoNodes(async ({ feed: feedA }, { feed: feedB }) => {
  const heardB: unknown[] = [];
  feedB.subscribe('t', (m) => heardB.push(m), () => undefined);
  for (let n = 0; n < 50; n++) {
    await feedA.publish('t', n);
    assert.equal(heardB.length, n + 1, `message ${n} acted on before the write was answered`);
  }
}));

test('postgres: reserved concurrency slots hold across nodes; slots of a node that died free themselves or at its restart', async () => {
  const { db } = await database();
  const a = new PgConcurrencyLeases(db, 'node-a');
  const b = new PgConcurrencyLeases(db, 'node-b');
  try {
    const fn = 'acct:region:fn';
    // Ten takes at once from two nodes for three slots: exactly three succeed.
    const takes = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).take(fn, 3, 1000, 60_000)));
    const held = takes.filter((t): t is string => t !== undefined);
    assert.equal(held.length, 3);
    assert.equal(await a.take(fn, 3, 1000, 60_000), undefined, 'all taken');
    assert.ok(await a.take('acct:region:other', 1, 1000, 60_000), 'another function has its own slots');
    await a.give(held[0]);
    const again = await b.take(fn, 3, 1000, 60_000);
    assert.ok(again, 'a slot given back is free');
    assert.equal(await b.take(fn, 3, 1000, 60_000), undefined);
    // Past their time, slots of a node that died are free for the others.
    assert.ok(await a.take(fn, 3, 60_001, 120_000));
    // A node that restarts gives up what it held.
    await b.releaseAll();
    assert.equal((await db.get<{ n: number }>("SELECT COUNT(*)::int AS n FROM lambda_concurrency_leases WHERE node_id = 'node-b'"))!.n, 0);
  } finally {
    await db.close();
  }
});

test('postgres: the per-API write lock holds across nodes, and only per key', async () => {
  const { url, db } = await database();
  const nodeA = new PgAdvisoryLock(url);
  const nodeB = new PgAdvisoryLock(url);
  try {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const aHolds = new Promise<void>((resolve) => (entered = resolve));
    const first = nodeA.run('api1', async () => {
      order.push('A starts');
      entered();
      await gate;
      order.push('A ends');
    });
    await aHolds;
    const second = nodeB.run('api1', async () => void order.push('B runs'));
    // Another key is not held up by api1's lock.
    await nodeB.run('api2', async () => void order.push('B runs api2'));
    // Wait until B's request for api1 is queued in PostgreSQL behind A's.
    while (!(await db.get("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))) await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, ['A starts', 'B runs api2']);
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['A starts', 'B runs api2', 'A ends', 'B runs']);
  } finally {
    await nodeA.close();
    await nodeB.close();
    await db.close();
  }
});

test('postgres: a node whose feed connection drops reconnects and tells its subscribers to drop everything', async () => {
  const { db } = await database();
  const feedA = new PgChangeFeed(db);
  const feedB = new PgChangeFeed(db);
  await feedA.start();
  await feedB.start();
  try {
    let resynced!: () => void;
    const resync = new Promise<void>((resolve) => (resynced = resolve));
    const heard: unknown[] = [];
    let got!: () => void;
    const message = new Promise<void>((resolve) => (got = resolve));
    feedB.subscribe('t', (m) => {
      heard.push(m);
      got();
    }, () => resynced());
    // Cut every listening connection (feedA's publish does not need its own: it uses the pool).
    await db.run('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND starts_with(application_name, ?)', [LISTENER_NAME_PREFIX]);
    await resync;
    await feedA.publish('t', { after: 'reconnect' });
    await message;
    assert.deepEqual(heard, [{ after: 'reconnect' }]);
  } finally {
    await feedA.close();
    await feedB.close();
    await db.close();
  }
});

test('postgres: nodes appending log lines to the same groups in opposite orders neither deadlock nor lose a line', async () => {
  const { url, db } = await database();
  const other = await openPostgres(url, allPostgresMigrations, { max: 4 });
  try {
    const [a, b] = [new PgLogsStore(db), new PgLogsStore(other)];
    const item = (group: string, stream: string, message: string) => ({ scope, batch: { groupName: group, streamName: stream, events: [{ timestamp: 1, message }] } });
    const forward = ['/g/1', '/g/2', '/g/3'];
    for (let round = 0; round < 20; round++) {
      await Promise.all([
        a.appendMany(forward.flatMap((g) => [item(g, 's1', 'x'), item(g, 's2', 'x')]), 10),
        b.appendMany([...forward].reverse().flatMap((g) => [item(g, 's2', 'y'), item(g, 's1', 'y')]), 10),
      ]);
    }
    for (const g of forward) {
      assert.equal((await a.getGroup(scope, g))?.storedBytes, 20 * 4, g);
      assert.equal((await a.readStream(scope, g, 's1', { direction: 'forward', limit: 100 })).length, 40);
    }
  } finally {
    await other.close();
    await db.close();
  }
});

test('postgres: usage counts added by two nodes on one database add up', async () => {
  const { url, db } = await database();
  const other = await openPostgres(url, allPostgresMigrations);
  try {
    const nodeA = new PgApiGatewayStore(db);
    const nodeB = new PgApiGatewayStore(other);
    await nodeA.createUsagePlan({ ...scope, id: 'p1', name: 'plan', apiStages: [], tags: {} });
    const day = '2026-03-01';
    // Both nodes flush batches touching the same rows at once, in opposite orders.
    const batch = (keys: string[]) => keys.map((keyId) => ({ planId: 'p1', keyId, day, count: 1 }));
    await Promise.all([
      ...Array.from({ length: 10 }, () => nodeA.addUsage(batch(['k1', 'k2']))),
      ...Array.from({ length: 10 }, () => nodeB.addUsage(batch(['k2', 'k1']))),
    ]);
    assert.deepEqual((await nodeB.listUsage('p1', day, day)).map((r) => [r.keyId, r.used]), [['k1', 20], ['k2', 20]]);
  } finally {
    await other.close();
    await db.close();
  }
});
cloudWatchStoreContract(postgres);
