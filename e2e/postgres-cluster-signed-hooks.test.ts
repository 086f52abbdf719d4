// Two nodes verifying signatures on one PostgreSQL database: both accept the functions' temporary
// credentials, whichever node runs the function; a traffic-shift hook execution registered on one
// node takes the report a function sends, signed, to the other, and both answer its status.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ListFunctionsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { TestServer } from '../src/testing/fixture.js';
import { testRegion } from '../src/testing/server.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { createSigningFunction } from '../src/testing/signing-function.js';
import { signedFetch } from '../src/deploy/clients.js';

const databases: TestDatabase[] = [];
after(async () => {
  for (const d of databases) await d.drop();
});

const node = (url: string, args: string[] = []) =>
  TestServer.start({ args: ['--database', url, ...args], env: { STAGECRAFT_CREDENTIALS: 'test:test' } });

test('a cluster accepts its functions\' credentials on every node, and a hook may report to any node', async () => {
  const database = await createTestDatabase();
  databases.push(database);
  // Both nodes listen on this host's loopback, which functions' network namespaces cannot reach but
  // for their own server's port: node A's functions are given node B's (on separate hosts, the
  // other node is reached through the functions' outbound network).
  const b = await node(database.url);
  const a = await node(database.url, ['--function-host-ports', new URL(b.url).port]);
  try {
    const invokeOnA = await createSigningFunction(a.lambda, 'cluster-hook');
    // Signed with the credentials node A gave the function, sent to node B.
    const listed = await invokeOnA({ endpoint: b.url });
    assert.equal(listed.status, 200, JSON.stringify(listed.answer));
    assert.ok(listed.answer.Functions.some((f: { FunctionName: string }) => f.FunctionName === 'cluster-hook'));
    const onB = new LambdaClient({ endpoint: b.url, region: testRegion, credentials: listed.credentials, maxAttempts: 1 });
    try {
      assert.ok((await onB.send(new ListFunctionsCommand({}))).Functions!.length >= 1);
    } finally {
      onB.destroy();
    }

    const deploymentId = 'd-CLUSTER01';
    const executionId = 'exec-on-a';
    const key = { accessKeyId: 'test', secretAccessKey: 'test' };
    const registered = await signedFetch({ endpoint: a.url, region: testRegion, credentials: key }, 'codedeploy', new URL('/_stagecraft/codedeploy/hook-executions', a.url), {
      method: 'POST', body: JSON.stringify({ deploymentId, executionId, ttlMs: 60_000 }),
    });
    assert.equal(registered.status, 201);
    const report = await invokeOnA({
      endpoint: b.url,
      target: 'CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus',
      input: { deploymentId, lifecycleEventHookExecutionId: executionId, status: 'Failed' },
    });
    assert.equal(report.status, 200, JSON.stringify(report.answer));
    const query = `?${new URLSearchParams({ deploymentId, executionId })}`;
    for (const n of [a, b]) {
      const res = await signedFetch({ endpoint: n.url, region: testRegion, credentials: key }, 'codedeploy', new URL(`/_stagecraft/codedeploy/hook-executions${query}`, n.url), { method: 'GET' });
      assert.deepEqual(await res.json(), { status: 'Failed' });
    }
  } finally {
    await a.stop();
    await b.stop();
  }
});
