// A cluster node whose PostgreSQL goes silent (a network partition: packets dropped, sockets left
// open) or refuses connections: requests that need the database fail in bounded time with AWS's
// ServiceException instead of hanging, warm invocations keep being served from the node's caches,
// the change feed notices and reconnects, and once the database is back the node serves what
// another node wrote meanwhile. The node reaches PostgreSQL through a TCP relay the test controls.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, ListFunctionsCommand, UpdateFunctionCodeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { TestServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';
import { waitFor } from '../src/testing/wait.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { PostgresRelay } from '../src/testing/postgres-relay.js';

const databases: TestDatabase[] = [];
const relays: PostgresRelay[] = [];
after(async () => {
  for (const r of relays) await r.close();
  for (const d of databases) await d.drop();
});

const answering = (text: string) => `exports.handler = async () => ${JSON.stringify(text)};`;

async function invokeText(lambda: LambdaClient, name: string): Promise<string> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return JSON.parse(Buffer.from(out.Payload!).toString());
}

interface ClusterHealth {
  nodeId: string;
  changeFeed: string;
  unresponsiveNodes: string[];
}

async function cluster(url: string): Promise<ClusterHealth> {
  return ((await (await fetch(`${url}/_stagecraft/health`)).json()) as { cluster: ClusterHealth }).cluster;
}

const changeFeed = async (url: string): Promise<string> => (await cluster(url)).changeFeed;

/** The error a call ends with; it must end (not hang) within `limitMs`. */
async function failure(call: (signal: AbortSignal) => Promise<unknown>, limitMs: number): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  const signal = AbortSignal.timeout(limitMs);
  try {
    await call(signal);
  } catch (e) {
    assert.ok(!signal.aborted, `the call hung for ${limitMs} ms instead of failing`);
    return e as Error;
  }
  assert.fail('the call succeeded while the database was unreachable');
}

test('a node whose database goes silent or down answers ServiceException in bounded time, keeps serving warm functions, and catches up once it is back', async () => {
  const db = await createTestDatabase();
  databases.push(db);
  const relay = await PostgresRelay.start(new URL(db.url));
  relays.push(relay);
  // The node's queries give up after 2 s.
  const [a, b] = await Promise.all([TestServer.start({ args: ['--database', relay.url(db.url, 2000)] }), TestServer.start({ args: ['--database', db.url] })]);
  try {
    await createNodeFunction(b.lambda, 'steady', answering('before'));
    assert.equal(await invokeText(a.lambda, 'steady'), 'before');
    assert.equal(await changeFeed(a.url), 'listening');

    relay.mode = 'silent';
    const silent = await failure((abortSignal) => a.lambda.send(new ListFunctionsCommand({}), { abortSignal }), 30_000);
    assert.equal(silent.name, 'ServiceException');
    assert.equal(silent.$metadata?.httpStatusCode, 500);
    assert.equal(await invokeText(a.lambda, 'steady'), 'before', 'a warm function is served from the node\'s caches');
    // The change feed's heartbeat goes unanswered: the node knows it no longer hears changes.
    await waitFor('the change feed to notice the silence', async () => ((await changeFeed(a.url)) === 'reconnecting' ? true : undefined));
    // Another node changes the function meanwhile; this node cannot hear of it. The writer waits for
    // its confirmation once, then stops waiting for it (its old connection is still listed as listening).
    await b.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'steady', ZipFile: await makeZip({ 'index.js': answering('after') }) }));
    const nodeA = (await cluster(a.url)).nodeId;
    assert.deepEqual((await cluster(b.url)).unresponsiveNodes, [nodeA]);

    relay.refuse();
    const down = await failure((abortSignal) => a.lambda.send(new ListFunctionsCommand({}), { abortSignal }), 30_000);
    assert.equal(down.name, 'ServiceException');
    assert.equal(down.$metadata?.httpStatusCode, 500);

    relay.mode = 'forward';
    await waitFor('the change feed to reconnect', async () => ((await changeFeed(a.url)) === 'listening' ? true : undefined));
    assert.deepEqual((await a.lambda.send(new ListFunctionsCommand({}))).Functions!.map((f) => f.FunctionName), ['steady']);
    assert.equal(await invokeText(a.lambda, 'steady'), 'after', 'the change made during the outage is served once the node is back');
    // The next change B makes is confirmed by A again: B waits for it from then on.
    await b.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'steady', ZipFile: await makeZip({ 'index.js': answering('again') }) }));
    await waitFor('B to hear from A again', async () => ((await cluster(b.url)).unresponsiveNodes.length === 0 ? true : undefined));
    assert.equal(await invokeText(a.lambda, 'steady'), 'again');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});
