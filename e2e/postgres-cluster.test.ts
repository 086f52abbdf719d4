// Stagecraft on PostgreSQL (`stagecraft serve --database postgres://…`): one node passes the SDK
// flow and its state (code included) survives a restart on a fresh data dir; then two nodes on
// one database act as one: what is written through either is served by the other at once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAliasCommand, GetFunctionCommand, InvokeCommand, type InvokeCommandOutput, PublishVersionCommand, PutFunctionConcurrencyCommand, UpdateAliasCommand, UpdateFunctionCodeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand, GetRestApisCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { TestServer } from '../src/testing/fixture.js';
import { apiGatewayInvokeRole, createNodeFunction, putLambdaProxyMethod } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';
import { invokePath } from '../src/execute-api/testing.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { runCli } from '../src/cli/testing.js';

const databases: TestDatabase[] = [];
after(async () => {
  for (const d of databases) await d.drop();
});

async function database(): Promise<string> {
  const d = await createTestDatabase();
  databases.push(d);
  return d.url;
}

const node = (url: string) => TestServer.start({ args: ['--database', url] });
const answering = (text: string) => `exports.handler = async () => ({ statusCode: 200, body: ${JSON.stringify(text)} });`;

async function invokeText(lambda: LambdaClient, name: string): Promise<string> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return JSON.parse(Buffer.from(out.Payload!).toString()).body;
}

/** A REST API with GET /hello calling `fn` (AWS_PROXY, with the invoke role), deployed to stage `dev`. */
async function deployApi(apigw: APIGatewayClient, name: string, fn: string): Promise<string> {
  const api = await apigw.send(new CreateRestApiCommand({ name }));
  const root = (await apigw.send(new GetResourcesCommand({ restApiId: api.id! }))).items!.find((r) => r.path === '/')!;
  const hello = await apigw.send(new CreateResourceCommand({ restApiId: api.id!, parentId: root.id!, pathPart: 'hello' }));
  await putLambdaProxyMethod(apigw, { restApiId: api.id!, resourceId: hello.id!, httpMethod: 'GET' }, fn, { credentials: apiGatewayInvokeRole });
  await apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'dev' }));
  return api.id!;
}

test('one node on PostgreSQL: functions, aliases, APIs and logs work and survive a restart on a fresh data dir', async () => {
  const url = await database();
  const first = await node(url);
  let apiId: string;
  try {
    const health = await (await fetch(`${first.url}/_stagecraft/health`)).json() as { store: string; cluster: { nodeId: string; changeFeed: string } };
    assert.equal(health.store, 'postgres');
    assert.equal(health.cluster.changeFeed, 'listening');
    assert.match(health.cluster.nodeId, /^[0-9a-f-]{36}$/);
    await createNodeFunction(first.lambda, 'greeter', answering('hello from postgres'), { Publish: true });
    await first.lambda.send(new CreateAliasCommand({ FunctionName: 'greeter', Name: 'live', FunctionVersion: '1' }));
    assert.equal(await invokeText(first.lambda, 'greeter:live'), 'hello from postgres');
    apiId = await deployApi(first.apigw, 'greeter-api', 'greeter:live');
    const answer = await invokePath(first.url, apiId, 'dev', '/hello');
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.text, 'hello from postgres');
  } finally {
    await first.stop(); // removes its data dir: the next node has only the database
  }

  const second = await node(url);
  try {
    const fn = await second.lambda.send(new GetFunctionCommand({ FunctionName: 'greeter', Qualifier: 'live' }));
    assert.equal(fn.Configuration!.Version, '1');
    assert.equal(await invokeText(second.lambda, 'greeter:live'), 'hello from postgres', 'the code comes from the database');
    const download = await fetch(fn.Code!.Location!);
    assert.equal(download.status, 200);
    assert.equal(createHash('sha256').update(Buffer.from(await download.arrayBuffer())).digest('base64'), fn.Configuration!.CodeSha256);
    assert.deepEqual((await second.apigw.send(new GetRestApisCommand({}))).items!.map((a) => a.name), ['greeter-api']);
    const answer = await invokePath(second.url, apiId, 'dev', '/hello');
    assert.equal(answer.text, 'hello from postgres');
    // The first node's log lines were stored in the database before it stopped.
    const logs = await second.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/greeter', filterPattern: 'REPORT' }));
    assert.ok((logs.events ?? []).length >= 2, `REPORT lines of the first node's invocations: ${JSON.stringify(logs.events)}`);
  } finally {
    await second.stop();
  }
});

test('two nodes on one database: what is written through one is served by the other on its next request', async () => {
  const url = await database();
  const [a, b] = await Promise.all([node(url), node(url)]);
  try {
    await createNodeFunction(a.lambda, 'shared', answering('one'), { Publish: true });
    assert.equal(await invokeText(b.lambda, 'shared'), 'one', 'created on A, invoked on B');
    await a.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'shared', ZipFile: await makeZip({ 'index.js': answering('two') }) }));
    assert.equal(await invokeText(b.lambda, 'shared'), 'two', 'code updated on A runs on B');
    await a.lambda.send(new PublishVersionCommand({ FunctionName: 'shared' }));
    await a.lambda.send(new CreateAliasCommand({ FunctionName: 'shared', Name: 'live', FunctionVersion: '1' }));
    assert.equal(await invokeText(b.lambda, 'shared:live'), 'one', 'B caches the alias now');

    await a.lambda.send(new UpdateAliasCommand({ FunctionName: 'shared', Name: 'live', FunctionVersion: '2' }));
    assert.equal(await invokeText(b.lambda, 'shared:live'), 'two', 'the alias moved on A routes to the new version on B');

    const apiId = await deployApi(a.apigw, 'shared-api', 'shared:live');
    const answer = await invokePath(b.url, apiId, 'dev', '/hello');
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.text, 'two', 'deployed on A, called on B');

    await a.lambda.send(new UpdateAliasCommand({ FunctionName: 'shared', Name: 'live', FunctionVersion: '1' }));
    assert.equal((await invokePath(b.url, apiId, 'dev', '/hello')).text, 'one', 'the stage on B follows the alias moved on A');
    await b.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev', description: 'from B' }));
    assert.equal((await invokePath(a.url, apiId, 'dev', '/hello')).text, 'one', 'redeployed on B, served on A');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

test('serve refuses a database URL that is not PostgreSQL, and says which server it could not reach', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stagecraft-pg-'));
  try {
    const wrong = await runCli(['serve', '--port', '0', '--data-dir', dataDir, '--database', 'mysql://root@127.0.0.1/db']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--database must be a PostgreSQL URL \(postgres:\/\/user@host:5432\/dbname\), got 'mysql:\/\/root@127\.0\.0\.1\/db'/);
    // Port 1 has no server: the message names it, with the password hidden.
    const unreachable = await runCli(['serve', '--port', '0', '--data-dir', dataDir], { env: { STAGECRAFT_DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/db' } });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /could not start: cannot connect to PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db/);
    assert.doesNotMatch(unreachable.stderr, /secret/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('two nodes share the asynchronous queue: every attempt of every event runs once, on either node', async () => {
  const url = await database();
  const args = ['--database', url, '--async-retry-delays', '50,50'];
  const [a, b] = await Promise.all([TestServer.start({ args }), TestServer.start({ args })]);
  const tags = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'];
  try {
    // Fails every attempt, so each event runs three times (AWS's two retries) and then is dropped.
    await createNodeFunction(a.lambda, 'flaky', 'exports.handler = async (event) => { console.log("ATTEMPT " + event.tag); throw new Error("no"); };');
    for (const [i, tag] of tags.entries()) {
      const out = await (i % 2 ? b : a).lambda.send(new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ tag })) }));
      assert.equal(out.StatusCode, 202);
    }
    // The queue is one table: both nodes report it empty once every event is finished.
    for (;;) {
      const states = await Promise.all([a, b].map(async (n) => ((await (await fetch(`${n.url}/_stagecraft/health`)).json()) as { asyncInvocations: { queued: number; running: number } }).asyncInvocations));
      if (states.every((s) => s.queued === 0 && s.running === 0)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]); // stopping flushes each node's log lines to the database
  }
  const reader = await node(url);
  try {
    const events = (await reader.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/flaky', filterPattern: 'ATTEMPT' }))).events ?? [];
    const attempts = events.map((e) => /ATTEMPT (\w+)/.exec(e.message!)![1]).sort();
    assert.deepEqual(attempts, tags.flatMap((t) => [t, t, t]));
  } finally {
    await reader.stop();
  }
});

test("two nodes share a function's reserved concurrency: while one runs its only slot, the other throttles", async () => {
  const url = await database();
  const [a, b] = await Promise.all([node(url), node(url)]);
  try {
    await createNodeFunction(a.lambda, 'single', 'exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms)); return "done"; };', { Timeout: 10 });
    await a.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'single', ReservedConcurrentExecutions: 1 }));
    // A's long invocation takes the one slot (it tries again if one of B's probes holds it at that moment).
    const invokeOnA = async (): Promise<InvokeCommandOutput> => {
      for (;;) {
        try {
          return await a.lambda.send(new InvokeCommand({ FunctionName: 'single', Payload: Buffer.from('{"ms":4000}') }));
        } catch (e) {
          if ((e as Error).name !== 'TooManyRequestsException') throw e;
        }
      }
    };
    const long = invokeOnA();
    // B's quick probes run while the slot is free, and are throttled once A's invocation holds it; with
    // a slot of its own, B would never be throttled in the 3 s that A's invocation surely runs for.
    let throttled: (Error & { Reason?: string; $metadata?: { httpStatusCode?: number } }) | undefined;
    const until = Date.now() + 3_000;
    while (!throttled && Date.now() < until) {
      try {
        await b.lambda.send(new InvokeCommand({ FunctionName: 'single', Payload: Buffer.from('{"ms":1}') }));
      } catch (e) {
        if ((e as Error).name !== 'TooManyRequestsException') throw e;
        throttled = e as typeof throttled;
      }
    }
    assert.ok(throttled);
    assert.equal(throttled.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    assert.equal(throttled.$metadata?.httpStatusCode, 429);
    assert.equal(Buffer.from((await long).Payload!).toString(), '"done"');
    // The slot is back: B runs now.
    const out = await b.lambda.send(new InvokeCommand({ FunctionName: 'single', Payload: Buffer.from('{"ms":1}') }));
    assert.equal(Buffer.from(out.Payload!).toString(), '"done"');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});
