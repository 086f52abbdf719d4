// Stage caching in a cluster: two nodes on one PostgreSQL database. Each node keeps its own stage
// caches; FlushStageCache called on one node empties the stage's cache on the other too, through
// the change feed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDeploymentCommand, CreateRestApiCommand, FlushStageCacheCommand, GetResourcesCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { TestServer } from '../src/testing/fixture.js';
import { createNonceFunction, putNonceMethod } from '../src/testing/nonce-api.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { invokeHost } from '../src/execute-api/testing.js';

let db: TestDatabase | undefined;
after(async () => {
  await db?.drop();
});

test('FlushStageCache on one node empties the stage cache of the other', async () => {
  db = await createTestDatabase();
  const a = await TestServer.start({ args: ['--database', db.url] });
  const b = await TestServer.start({ args: ['--database', db.url] });
  try {
    await createNonceFunction(a.lambda);
    const restApiId = (await a.apigw.send(new CreateRestApiCommand({ name: 'cached' }))).id!;
    const root = (await a.apigw.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!.id!;
    await putNonceMethod(a.apigw, restApiId, root, 'plain', 'GET');
    await a.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'live', cacheClusterEnabled: true }));
    await a.apigw.send(new UpdateStageCommand({ restApiId, stageName: 'live', patchOperations: [{ op: 'replace', path: '/*/*/caching/enabled', value: 'true' }] }));
    const nonce = async (node: TestServer): Promise<string> => {
      const r = await invokeHost(node.url, restApiId, 'live', '/plain');
      assert.equal(r.status, 200, r.text);
      return r.json().nonce;
    };
    const onB = await nonce(b);
    assert.equal(await nonce(b), onB);
    const onA = await nonce(a);
    assert.notEqual(onA, onB, 'each node keeps its own cache');

    await a.apigw.send(new FlushStageCacheCommand({ restApiId, stageName: 'live' }));
    assert.notEqual(await nonce(b), onB, 'b\'s cache was flushed by a call to a');
    assert.notEqual(await nonce(a), onA);
  } finally {
    await a.stop();
    await b.stop();
  }
});
