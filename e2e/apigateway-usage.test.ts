// Usage-plan quotas kept in the store, and the usage operations: requests past the quota answer
// 429 Limit Exceeded, and still do after a restart; GetUsage shows the counts per key and day
// as [used, remaining]; UpdateUsage extends the remaining quota of the current period;
// ImportApiKeys (CSV) creates keys that are usable at once. SDK v3 and the AWS CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiKeyCommand, CreateDeploymentCommand, CreateRestApiCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetApiKeysCommand,
  GetUsageCommand, GetUsagePlanKeysCommand, ImportApiKeysCommand, UpdateUsageCommand,
} from '@aws-sdk/client-api-gateway';
import { awsCli } from '../src/testing/aws.js';
import { putMockGet } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHost } from '../src/execute-api/testing.js';

const env = useServer();
let apiId: string;

const today = () => new Date().toISOString().slice(0, 10);
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const call = async (key: string, stage: string) => (await invokeHost(env.url, apiId, stage, '/metered', { headers: { 'x-api-key': key } })).status;

/** A plan for `stage` with the given daily quota, and an enabled key in it. */
async function planWithKey(stage: string, limit: number) {
  const plan = await env.apigw.send(new CreateUsagePlanCommand({ name: stage, apiStages: [{ apiId, stage }], quota: { limit, period: 'DAY' } }));
  const key = await env.apigw.send(new CreateApiKeyCommand({ name: stage, enabled: true }));
  await env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
  return { planId: plan.id!, keyId: key.id!, value: key.value! };
}

const rejects = async (promise: Promise<unknown>, status: number, name: string, message?: RegExp) => {
  await assert.rejects(promise, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (message) assert.match(e.message, message);
    return true;
  });
};

env.setup(async () => {
  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'usage' }))).id!;
  await putMockGet(env.apigw, apiId, 'metered', { apiKeyRequired: true });
  for (const stageName of ['dev', 'imported', 'cli']) await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName }));
});

test('a used-up quota stays used up across a restart; GetUsage shows it per day; UpdateUsage lets more requests through', async () => {
  const { planId, keyId, value } = await planWithKey('dev', 3);
  for (let i = 0; i < 3; i++) assert.equal(await call(value, 'dev'), 200);
  assert.equal(await call(value, 'dev'), 429, 'the fourth request of the day');

  await env.restart();
  assert.equal(await call(value, 'dev'), 429, 'still used up after the restart');
  const day = today();
  const usage = await env.apigw.send(new GetUsageCommand({ usagePlanId: planId, startDate: dayBefore(day), endDate: day }));
  assert.equal(usage.usagePlanId, planId);
  assert.equal(usage.startDate, dayBefore(day));
  assert.equal(usage.endDate, day);
  assert.deepEqual(usage.items, { [keyId]: [[0, 3], [3, 0]] }, 'refused requests are not counted');

  const extended = await env.apigw.send(new UpdateUsageCommand({ usagePlanId: planId, keyId, patchOperations: [{ op: 'replace', path: '/remaining', value: '2' }] }));
  assert.deepEqual(extended.items, { [keyId]: [[3, 2]] });
  assert.equal(await call(value, 'dev'), 200);
  assert.equal(await call(value, 'dev'), 200);
  assert.equal(await call(value, 'dev'), 429, 'the extension is used up');
  const after = await env.apigw.send(new GetUsageCommand({ usagePlanId: planId, keyId, startDate: day, endDate: day }));
  assert.deepEqual(after.items, { [keyId]: [[5, 0]] });
});

test('GetUsage and UpdateUsage refuse what AWS refuses', async () => {
  const { planId, keyId } = await planWithKey('dev', 1);
  const day = today();
  await rejects(env.apigw.send(new GetUsageCommand({ usagePlanId: 'nosuch', startDate: day, endDate: day })), 404, 'NotFoundException', /Invalid Usage Plan ID specified/);
  await rejects(env.apigw.send(new GetUsageCommand({ usagePlanId: planId, startDate: '2026-13-01', endDate: day })), 400, 'BadRequestException', /startDate/);
  await rejects(env.apigw.send(new GetUsageCommand({ usagePlanId: planId, startDate: day, endDate: dayBefore(day) })), 400, 'BadRequestException');
  await rejects(env.apigw.send(new GetUsageCommand({ usagePlanId: planId, keyId: 'nosuchkey0', startDate: day, endDate: day })), 404, 'NotFoundException',
    /Invalid API Key identifier specified/);
  await rejects(env.apigw.send(new UpdateUsageCommand({ usagePlanId: planId, keyId, patchOperations: [{ op: 'replace', path: '/used', value: '1' }] })),
    400, 'BadRequestException', /Invalid patch path \/used/);
  await rejects(env.apigw.send(new UpdateUsageCommand({ usagePlanId: planId, keyId, patchOperations: [{ op: 'replace', path: '/remaining', value: 'lots' }] })),
    400, 'BadRequestException');
});

test('ImportApiKeys: keys from a CSV file join their plans and are usable at once; warnings, and failOnWarnings imports nothing', async () => {
  const plan = await env.apigw.send(new CreateUsagePlanCommand({ name: 'imported', apiStages: [{ apiId, stage: 'imported' }], quota: { limit: 10, period: 'DAY' } }));
  const first = 'imported-key-0000000000001';
  const second = 'imported-key-0000000000002';
  const csv = [
    'Key,name,Description,Enabled,UsagePlanIds,ignored',
    `${first},first,"An imported key, with a comma",TRUE,"${plan.id},nosuch"`,
    `${second},second,,false,'${plan.id}'`,
    'short,bad,,,',
  ].join('\n');
  await rejects(env.apigw.send(new ImportApiKeysCommand({ format: 'csv', body: Buffer.from(csv), failOnWarnings: true })), 400, 'BadRequestException', /line 4/);
  assert.equal((await env.apigw.send(new GetApiKeysCommand({ nameQuery: 'first' }))).items?.length, 0, 'nothing imported');

  const imported = await env.apigw.send(new ImportApiKeysCommand({ format: 'csv', body: Buffer.from(csv) }));
  assert.equal(imported.ids?.length, 2);
  assert.equal(imported.warnings?.length, 2, JSON.stringify(imported.warnings));
  assert.equal(await call(first, 'imported'), 200, 'usable at once');
  assert.equal(await call(second, 'imported'), 403, 'imported disabled');
  const members = await env.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }));
  assert.deepEqual(members.items?.map((k) => k.value).sort(), [first, second]);

  // The same value again overwrites the key, keeping its id.
  const again = await env.apigw.send(new ImportApiKeysCommand({ format: 'csv', body: Buffer.from(`name,key\nrenamed,${second}\n`) }));
  assert.equal(again.ids?.[0], imported.ids?.[1]);
  assert.equal(await call(second, 'imported'), 200, 'enabled by default');
  await rejects(env.apigw.send(new ImportApiKeysCommand({ format: 'csv', body: Buffer.from('value,name\nx,y\n') })), 400, 'BadRequestException', /Name and Key/);
});

test('AWS CLI: get-usage lists the day\'s count of each key', async () => {
  const { planId, keyId, value } = await planWithKey('cli', 5);
  assert.equal(await call(value, 'cli'), 200);
  assert.equal(await call(value, 'cli'), 200);
  const day = today();
  const r = await awsCli(env.url, ['apigateway', 'get-usage', '--usage-plan-id', planId, '--start-date', day, '--end-date', day]);
  assert.equal(r.code, 0, r.stderr);
  const usage = r.json();
  assert.equal(usage.usagePlanId, planId);
  assert.deepEqual(usage.items, { [keyId]: [[2, 3]] });
});
