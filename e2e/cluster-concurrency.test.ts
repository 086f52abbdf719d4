// Two nodes on one PostgreSQL database under concurrency: the same request sent to both at once
// answers as AWS answers two racing callers, a function deleted through one node stops the other's
// environments of it, and connections the database drops under a request neither crash a node
// nor fail the request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { AddLayerVersionPermissionCommand, AddPermissionCommand, CreateAliasCommand, GetLayerVersionPolicyCommand, PublishLayerVersionCommand, DeleteFunctionCommand, GetFunctionCommand, GetPolicyCommand, InvokeCommand, ListTagsCommand, ListVersionsByFunctionCommand, TagResourceCommand, UntagResourceCommand, UpdateAliasCommand, PublishVersionCommand, RemovePermissionCommand, UpdateFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { TestServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let database: TestDatabase;
let a: TestServer;
let b: TestServer;
before(async () => {
  database = await createTestDatabase();
  [a, b] = await Promise.all([0, 1].map(() => TestServer.start({ args: ['--database', database.url] })));
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.drop();
});

const settle = <T>(p: Promise<T>) => p.then((value) => ({ value, error: undefined }), (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({ value: undefined, error }));
const grant = (lambda: LambdaClient, name: string, sid: string) =>
  lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: sid, Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
const sids = async (name: string) => (JSON.parse((await b.lambda.send(new GetPolicyCommand({ FunctionName: name }))).Policy!) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid).sort();

test('AddPermission with one statement id on both nodes at once: one 201, the other 409 ResourceConflictException', async () => {
  await createNodeFunction(a.lambda, 'granted', 'exports.handler = async () => 1;');
  // The first round races on a function without a policy yet, the others on an existing policy.
  for (const sid of ['first', 'second', 'third', 'fourth']) {
    const answers = await Promise.all([a, b].map((n) => settle(grant(n.lambda, 'granted', sid))));
    const failed = answers.filter((x) => x.error);
    assert.equal(failed.length, 1, `exactly one of the two fails for ${sid}: ${answers.map((x) => x.error?.message ?? 'ok').join(' | ')}`);
    assert.equal(failed[0].error!.name, 'ResourceConflictException');
    assert.equal(failed[0].error!.$metadata?.httpStatusCode, 409);
    assert.equal(failed[0].error!.message, `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  }
  assert.deepEqual(await sids('granted'), ['first', 'fourth', 'second', 'third']);
});

test('AddPermission and RemovePermission of different statements on both nodes at once: every change lands', async () => {
  await createNodeFunction(a.lambda, 'shared-policy', 'exports.handler = async () => 1;');
  for (let round = 0; round < 4; round++) {
    await Promise.all([grant(a.lambda, 'shared-policy', `a${round}`), grant(b.lambda, 'shared-policy', `b${round}`)]);
  }
  assert.deepEqual(await sids('shared-policy'), ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3']);
  await Promise.all(['a0', 'b1', 'a2', 'b3'].map((sid, i) => [a, b][i % 2].lambda.send(new RemovePermissionCommand({ FunctionName: 'shared-policy', StatementId: sid }))));
  assert.deepEqual(await sids('shared-policy'), ['a1', 'a3', 'b0', 'b2']);
});

test('a function deleted through one node answers 404 on the other, which stops its environments of it', async () => {
  await createNodeFunction(a.lambda, 'doomed', 'exports.handler = async () => "alive";');
  const environments = async () => ((await (await fetch(`${b.url}/_stagecraft/health`)).json()) as { environments: { environments: number } }).environments.environments;
  const idle = await environments();
  await b.lambda.send(new InvokeCommand({ FunctionName: 'doomed' }));
  assert.equal(await environments(), idle + 1);
  await a.lambda.send(new DeleteFunctionCommand({ FunctionName: 'doomed' }));
  await assert.rejects(b.lambda.send(new InvokeCommand({ FunctionName: 'doomed' })), { name: 'ResourceNotFoundException' });
  for (let waited = 0; (await environments()) > idle; waited += 50) {
    assert.ok(waited < 5000, "node B still runs an environment of a function deleted through node A");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

test('connections dropped by the database in the middle of a transaction: the node retries on a new one and keeps serving', async () => {
  await createNodeFunction(a.lambda, 'interrupted', 'exports.handler = async () => 1;');
  await a.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'interrupted', Description: 'to publish' }));
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  try {
    // Hold the function's row, so node A's PublishVersion waits inside its transaction.
    await admin.query('BEGIN');
    await admin.query("SELECT 1 FROM lambda_functions WHERE name = 'interrupted' FOR UPDATE");
    const publishing = a.lambda.send(new PublishVersionCommand({ FunctionName: 'interrupted' }));
    await waitForLockWaiter(admin);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    await admin.query('COMMIT');
    assert.equal((await publishing).Version, '1');
  } finally {
    await admin.end();
  }
  for (const n of [a, b]) {
    const out = await n.lambda.send(new InvokeCommand({ FunctionName: 'interrupted:1' }));
    assert.equal(Buffer.from(out.Payload!).toString(), '1');
  }
});

test('PublishVersion on both nodes at once: one version per change of $LATEST, numbered without gaps, each its own snapshot', async () => {
  await createNodeFunction(a.lambda, 'published', 'exports.handler = async () => 1;');
  for (let round = 1; round <= 4; round++) {
    await a.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'published', Description: `change ${round}` }));
    const answers = await Promise.all([a, b].map((n) => n.lambda.send(new PublishVersionCommand({ FunctionName: 'published' }))));
    assert.deepEqual(answers.map((v) => [v.Version, v.Description]), [[`${round}`, `change ${round}`], [`${round}`, `change ${round}`]],
      'both callers get the one version of this $LATEST');
  }
  const versions = (await b.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'published' }))).Versions!;
  assert.deepEqual(versions.map((v) => `${v.Version} ${v.Description}`), ['$LATEST change 4', '1 change 1', '2 change 2', '3 change 3', '4 change 4']);
});

test('updates without a RevisionId on both nodes at once all succeed, as AWS applies them one after the other', async () => {
  await createNodeFunction(a.lambda, 'updated', 'exports.handler = async () => 1;', { Publish: true });
  await a.lambda.send(new CreateAliasCommand({ FunctionName: 'updated', Name: 'live', FunctionVersion: '1' }));
  const arn = (await a.lambda.send(new GetFunctionCommand({ FunctionName: 'updated' }))).Configuration!.FunctionArn!;
  for (let round = 0; round < 4; round++) {
    await Promise.all([a, b].map((n, i) => n.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'updated', Description: `${round}${i}` }))));
    await Promise.all([a, b].map((n, i) => n.lambda.send(new UpdateAliasCommand({ FunctionName: 'updated', Name: 'live', Description: `${round}${i}` }))));
    await Promise.all([a, b].map((n, i) => n.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { [`tag${round}${i}`]: 'v' } }))));
  }
  const tags = (await b.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags!;
  assert.deepEqual(Object.keys(tags).sort(), ['tag00', 'tag01', 'tag10', 'tag11', 'tag20', 'tag21', 'tag30', 'tag31'], 'no tag is lost');
  await Promise.all([a, b].map((n, i) => n.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: [`tag0${i}`, `tag1${i}`] }))));
  assert.deepEqual(Object.keys((await a.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags!).sort(), ['tag20', 'tag21', 'tag30', 'tag31']);
});

test('AddLayerVersionPermission of different statements on both nodes at once: both land', async () => {
  const layer = await a.lambda.send(new PublishLayerVersionCommand({ LayerName: 'shared-layer', Content: { ZipFile: await makeZip({ 'nodejs/x.js': '' }) } }));
  for (let round = 0; round < 3; round++) {
    await Promise.all([a, b].map((n, i) => n.lambda.send(new AddLayerVersionPermissionCommand({
      LayerName: 'shared-layer', VersionNumber: layer.Version, StatementId: `s${round}${i}`, Action: 'lambda:GetLayerVersion', Principal: '*',
    }))));
  }
  const policy = await b.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared-layer', VersionNumber: layer.Version }));
  assert.deepEqual((JSON.parse(policy.Policy!) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid).sort(), ['s00', 's01', 's10', 's11', 's20', 's21']);
});

test('an Event invocation racing the deletion of its function answers 404, not 500', async () => {
  await createNodeFunction(a.lambda, 'vanishing', 'exports.handler = async () => 1;');
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  try {
    // The deletion under way, as DeleteFunction on another node runs it: the queue's insert waits for it.
    await admin.query('BEGIN');
    await admin.query("DELETE FROM lambda_functions WHERE name = 'vanishing'");
    const queued = settle(b.lambda.send(new InvokeCommand({ FunctionName: 'vanishing', InvocationType: 'Event' })));
    await waitForLockWaiter(admin);
    await admin.query('COMMIT');
    const { error } = await queued;
    assert.equal(error?.name, 'ResourceNotFoundException', error?.message);
  } finally {
    await admin.end();
  }
});

/** Resolves once a connection of the test database waits for a lock. */
async function waitForLockWaiter(admin: pg.Client): Promise<void> {
  for (let i = 0; ; i++) {
    const waiting = await admin.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    if (waiting.rowCount) return;
    assert.ok(i < 200, 'the request never waited for the lock');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test("the connection holding an API's write lock dropped while the locked work runs: the work is done once and answered", async () => {
  const api = await a.apigw.send(new CreateRestApiCommand({ name: 'locked' }));
  const root = (await a.apigw.send(new GetResourcesCommand({ restApiId: api.id! }))).items![0];
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  try {
    // New resources wait for this, while the node holds the API's advisory lock.
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE apigw_resources IN EXCLUSIVE MODE');
    const creating = settle(a.apigw.send(new CreateResourceCommand({ restApiId: api.id!, parentId: root.id!, pathPart: 'once' })));
    await waitForLockWaiter(admin);
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()");
    await admin.query('COMMIT');
    const { value, error } = await creating;
    assert.equal(error, undefined, error?.message);
    assert.equal(value!.path, '/once');
  } finally {
    await admin.end();
  }
  const paths = (await b.apigw.send(new GetResourcesCommand({ restApiId: api.id! }))).items!.map((r) => r.path).sort();
  assert.deepEqual(paths, ['/', '/once']);
});
