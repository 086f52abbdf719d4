// Two nodes on one PostgreSQL database share usage-plan quotas: what either admits counts against
// the same total. Each node counts in memory and flushes to the database in batches; GetUsage
// flushes the node it is asked on, which makes the sharing observable without waiting on a timer.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiKeyCommand, CreateDeploymentCommand, CreateRestApiCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetUsageCommand,
} from '@aws-sdk/client-api-gateway';
import { TestServer } from '../src/testing/fixture.js';
import { putMockGet } from '../src/testing/functions.js';
import { invokeHost } from '../src/execute-api/testing.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

const databases: TestDatabase[] = [];
after(async () => {
  for (const d of databases) await d.drop();
});

test('two nodes on one database count one quota: requests admitted on either add up, and both refuse once it is used up', async () => {
  const db = await createTestDatabase();
  databases.push(db);
  const [a, b] = await Promise.all([TestServer.start({ args: ['--database', db.url] }), TestServer.start({ args: ['--database', db.url] })]);
  try {
    const apiId = (await a.apigw.send(new CreateRestApiCommand({ name: 'shared-quota' }))).id!;
    await putMockGet(a.apigw, apiId, 'metered', { apiKeyRequired: true });
    await a.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    const plan = await a.apigw.send(new CreateUsagePlanCommand({ name: 'shared', apiStages: [{ apiId, stage: 'dev' }], quota: { limit: 4, period: 'DAY' } }));
    const key = await a.apigw.send(new CreateApiKeyCommand({ name: 'shared', enabled: true }));
    await a.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    const call = async (node: TestServer) => (await invokeHost(node.url, apiId, 'dev', '/metered', { headers: { 'x-api-key': key.value! } })).status;

    assert.deepEqual([await call(a), await call(a), await call(b), await call(b)], [200, 200, 200, 200]);
    const day = new Date().toISOString().slice(0, 10);
    const usage = (node: TestServer) => node.apigw.send(new GetUsageCommand({ usagePlanId: plan.id, startDate: day, endDate: day }));
    // Each node writes its counts and re-reads the shared total when asked.
    await usage(a);
    assert.deepEqual((await usage(b)).items, { [key.id!]: [[4, 0]] }, 'two requests from each node');
    assert.deepEqual((await usage(a)).items, { [key.id!]: [[4, 0]] });
    assert.equal(await call(a), 429, 'node A refuses: the quota was used up across both nodes');
    assert.equal(await call(b), 429, 'so does node B');
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});
