// API keys and usage plans through the AWS SDK: AWS's defaults, field sets and messages as recorded
// on AWS (CreateApiKey disabled by default with a 40-character value, `tags: {}` on Get/Update,
// nameQuery as a case-sensitive prefix, newest keys first), usage plans with API stages checked,
// PATCH of throttle, quota and API stages, plan keys, and tags on keys and plans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiKeyCommand, CreateDeploymentCommand, CreateRestApiCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, DeleteApiKeyCommand,
  DeleteUsagePlanCommand, DeleteUsagePlanKeyCommand, GetApiKeyCommand, GetApiKeysCommand, GetTagsCommand, GetUsagePlanCommand,
  GetUsagePlanKeyCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand, PutIntegrationCommand, PutMethodCommand, TagResourceCommand,
  UntagResourceCommand, UpdateApiKeyCommand, UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();
let apiId: string;

env.setup(async () => {
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'usage' }));
  apiId = api.id!;
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
});

const fieldsOf = (o: object) => Object.keys(o).filter((k) => k !== '$metadata').sort();

/** Deletes a plan the way AWS requires: its API stages removed first. */
async function deletePlan(usagePlanId: string | undefined): Promise<void> {
  const plan = await env.apigw.send(new GetUsagePlanCommand({ usagePlanId }));
  const patchOperations = plan.apiStages!.map((s) => ({ op: 'remove' as const, path: '/apiStages', value: `${s.apiId}:${s.stage}` }));
  if (patchOperations.length) await env.apigw.send(new UpdateUsagePlanCommand({ usagePlanId, patchOperations }));
  await env.apigw.send(new DeleteUsagePlanCommand({ usagePlanId }));
}

test('CreateApiKey: disabled, a generated 40-character value, empty stageKeys; 201', async () => {
  const key = await env.apigw.send(new CreateApiKeyCommand({ name: 'defaults-key' }));
  assert.equal(key.$metadata.httpStatusCode, 201);
  assert.deepEqual(fieldsOf(key), ['createdDate', 'enabled', 'id', 'lastUpdatedDate', 'name', 'stageKeys', 'value']);
  assert.equal(key.enabled, false);
  assert.match(key.value!, /^[A-Za-z0-9]{40}$/);
  assert.match(key.id!, /^[a-z0-9]{10}$/);
  assert.deepEqual(key.stageKeys, []);

  // An empty name or value is no name and a generated value (recorded).
  const bare = await env.apigw.send(new CreateApiKeyCommand({ name: '', value: '' }));
  assert.deepEqual(fieldsOf(bare), ['createdDate', 'enabled', 'id', 'lastUpdatedDate', 'stageKeys', 'value']);
  const given = await env.apigw.send(new CreateApiKeyCommand({ value: 'my-own-value-of-twenty+', enabled: true, customerId: 'c1', description: 'd', tags: { team: 'a' } }));
  assert.equal(given.value, 'my-own-value-of-twenty+');
  assert.equal(given.enabled, true);
  assert.deepEqual(given.tags, { team: 'a' });
  await expectAwsError(env.apigw.send(new CreateApiKeyCommand({ value: 'my-own-value-of-twenty+' })), 'ConflictException', 'API Key already exists', 409);
  for (const id of [key.id, bare.id, given.id]) await env.apigw.send(new DeleteApiKeyCommand({ apiKey: id }));
});

test('CreateApiKey and UpdateApiKey refuse what AWS refuses, in its words', async () => {
  await expectAwsError(env.apigw.send(new CreateApiKeyCommand({ name: 'a'.repeat(1025) })), 'BadRequestException', 'Invalid API Key name, can be at most 1024 characters.', 400);
  await expectAwsError(env.apigw.send(new CreateApiKeyCommand({ value: 'short' })), 'BadRequestException', 'API Key value should be at least 20 characters');
  await expectAwsError(env.apigw.send(new CreateApiKeyCommand({ value: 'a'.repeat(129) })), 'BadRequestException', 'API Key value exceeds maximum size of 128 characters');
  await expectAwsError(env.apigw.send(new CreateApiKeyCommand({ description: 'a'.repeat(125001) })), 'BadRequestException', 'Invalid API Key description specified.');
  const key = await env.apigw.send(new CreateApiKeyCommand({}));
  await expectAwsError(env.apigw.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/description', value: 'a'.repeat(125001) }] })),
    'BadRequestException', 'Invalid API Key description specified.');
  await expectAwsError(env.apigw.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/id', value: 'new-id' }] })),
    'BadRequestException', "Invalid patch path  '/id' specified for op 'replace'. Must be one of: [/description, /enabled, /name, /customerId]");
  for (const call of [
    new GetApiKeyCommand({ apiKey: 'nosuchkey0' }), new DeleteApiKeyCommand({ apiKey: 'nosuchkey0' }),
    new UpdateApiKeyCommand({ apiKey: 'nosuchkey0', patchOperations: [{ op: 'replace', path: '/name', value: 'x' }] }),
  ]) await expectAwsError(env.apigw.send(call as any), 'NotFoundException', 'Invalid API Key identifier specified', 404);
  await env.apigw.send(new DeleteApiKeyCommand({ apiKey: key.id }));
});

test('GetApiKey, UpdateApiKey: the value only when asked for, tags always, enabled parsed as Java does', async () => {
  const key = await env.apigw.send(new CreateApiKeyCommand({ name: 'get-me', enabled: true }));
  const got = await env.apigw.send(new GetApiKeyCommand({ apiKey: key.id }));
  assert.equal(got.value, undefined);
  assert.deepEqual(got.tags, {});
  assert.equal((await env.apigw.send(new GetApiKeyCommand({ apiKey: key.id, includeValue: true }))).value, key.value);
  const updated = await env.apigw.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [
    { op: 'replace', path: '/name', value: 'renamed' }, { op: 'replace', path: '/enabled', value: 'not-a-boolean' },
    { op: 'replace', path: '/customerId', value: 'cust' }, { op: 'replace', path: '/description', value: 'about' },
  ] }));
  assert.deepEqual(fieldsOf(updated), ['createdDate', 'customerId', 'description', 'enabled', 'id', 'lastUpdatedDate', 'name', 'stageKeys', 'tags']);
  assert.equal(updated.name, 'renamed');
  assert.equal(updated.enabled, false);
  assert.deepEqual(updated.tags, {});
  await env.apigw.send(new DeleteApiKeyCommand({ apiKey: key.id }));
  await expectAwsError(env.apigw.send(new GetApiKeyCommand({ apiKey: key.id })), 'NotFoundException', 'Invalid API Key identifier specified');
});

test('GetApiKeys: newest first, nameQuery a case-sensitive prefix, customerId, includeValues, paging', async () => {
  const first = await env.apigw.send(new CreateApiKeyCommand({ name: 'test-key-one', customerId: 'acme' }));
  const second = await env.apigw.send(new CreateApiKeyCommand({ name: 'test-key-two' }));
  const names = async (input: object) => (await env.apigw.send(new GetApiKeysCommand(input))).items!.map((k) => k.name);
  assert.deepEqual(await names({ nameQuery: 'test-key' }), ['test-key-two', 'test-key-one']);
  assert.deepEqual(await names({ nameQuery: 'test-key-one' }), ['test-key-one']);
  assert.deepEqual(await names({ nameQuery: 'TEST-KEY' }), []);
  assert.deepEqual(await names({ nameQuery: 'key-one' }), [], 'not an infix');
  assert.deepEqual(await names({ customerId: 'acme' }), ['test-key-one']);
  const listed = await env.apigw.send(new GetApiKeysCommand({ nameQuery: 'test-key' }));
  assert.deepEqual(fieldsOf(listed.items![0]), ['createdDate', 'enabled', 'id', 'lastUpdatedDate', 'name', 'stageKeys']);
  const withValues = await env.apigw.send(new GetApiKeysCommand({ nameQuery: 'test-key', includeValues: true }));
  assert.deepEqual(withValues.items!.map((k) => k.value), [second.value, first.value]);
  const page1 = await env.apigw.send(new GetApiKeysCommand({ nameQuery: 'test-key', limit: 1 }));
  assert.deepEqual(page1.items!.map((k) => k.id), [second.id]);
  assert.ok(page1.position);
  const page2 = await env.apigw.send(new GetApiKeysCommand({ nameQuery: 'test-key', limit: 1, position: page1.position }));
  assert.deepEqual(page2.items!.map((k) => k.id), [first.id]);
  assert.equal(page2.position, undefined);
  for (const k of [first, second]) await env.apigw.send(new DeleteApiKeyCommand({ apiKey: k.id }));
});

test('CreateUsagePlan, GetUsagePlan(s): API stages checked, quota offset filled in, tags on Get', async () => {
  const plan = await env.apigw.send(new CreateUsagePlanCommand({
    name: 'gold', description: 'Test Usage Plan', quota: { limit: 10, period: 'DAY' }, throttle: { rateLimit: 10, burstLimit: 20 },
    apiStages: [{ apiId, stage: 'dev' }], tags: { tag_key: 'tag_value' },
  }));
  assert.equal(plan.$metadata.httpStatusCode, 201);
  assert.match(plan.id!, /^[a-z0-9]{6}$/);
  assert.deepEqual(fieldsOf(plan), ['apiStages', 'description', 'id', 'name', 'quota', 'tags', 'throttle']);
  assert.deepEqual(plan.apiStages, [{ apiId, stage: 'dev' }]);
  assert.deepEqual(plan.quota, { limit: 10, offset: 0, period: 'DAY' });
  assert.deepEqual(plan.throttle, { burstLimit: 20, rateLimit: 10 });

  const bare = await env.apigw.send(new CreateUsagePlanCommand({ name: 'bare' }));
  assert.deepEqual(fieldsOf(bare), ['apiStages', 'id', 'name']);
  assert.deepEqual(bare.apiStages, []);
  const got = await env.apigw.send(new GetUsagePlanCommand({ usagePlanId: bare.id }));
  assert.deepEqual(got.tags, {});
  const listed = (await env.apigw.send(new GetUsagePlansCommand({}))).items!;
  assert.deepEqual(listed.map((p) => p.id), [plan.id, bare.id]);
  assert.deepEqual(fieldsOf(listed[1]), ['apiStages', 'id', 'name']);

  await expectAwsError(env.apigw.send(new CreateUsagePlanCommand({ name: 'x', apiStages: [{ apiId, stage: 'nostage' }] })),
    'NotFoundException', new RegExp(`^Invalid API Stage \\{api: ${apiId}, stage: nostage\\} specified for usageplan [a-z0-9]{6}$`), 404);
  await expectAwsError(env.apigw.send(new GetUsagePlanCommand({ usagePlanId: 'nosuch' })), 'NotFoundException', 'Invalid Usage Plan ID specified', 404);
  await expectAwsError(env.apigw.send(new CreateUsagePlanCommand({ name: 'x', apiStages: [{ stage: 'dev' }] })),
    'BadRequestException', 'Invalid API Stage {api: %s, stage: %s} specified for usageplan %s', 400);
  await expectAwsError(env.apigw.send(new DeleteUsagePlanCommand({ usagePlanId: 'nosuch' })), 'NotFoundException', 'Invalid Usage Plan ID specified', 404);
  await expectAwsError(env.apigw.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id })), 'BadRequestException',
    `Cannot delete Usage Plan ${plan.id} because there are API Stages associated with it, including ${apiId}:dev`, 400);
  for (const p of [plan, bare]) await deletePlan(p.id);
  assert.deepEqual((await env.apigw.send(new GetUsagePlansCommand({}))).items, []);
});

test('UpdateUsagePlan: throttle and quota members, API stages added and removed, AWS errors for bad stages', async () => {
  const plan = await env.apigw.send(new CreateUsagePlanCommand({ name: 'silver', apiStages: [{ apiId, stage: 'dev' }] }));
  const update = (...patchOperations: { op: 'add' | 'remove' | 'replace'; path: string; value?: string }[]) =>
    env.apigw.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations }));
  const updated = await update(
    { op: 'replace', path: '/throttle/burstLimit', value: '100' }, { op: 'replace', path: '/throttle/rateLimit', value: '200' },
    { op: 'replace', path: '/quota/limit', value: '5000' }, { op: 'replace', path: '/quota/period', value: 'MONTH' },
  );
  assert.deepEqual(updated.throttle, { burstLimit: 100, rateLimit: 200 });
  assert.deepEqual(updated.quota, { limit: 5000, offset: 0, period: 'MONTH' });
  assert.deepEqual(updated.tags, {});
  assert.deepEqual((await update({ op: 'add', path: '/apiStages', value: `${apiId}:prod` })).apiStages, [{ apiId, stage: 'dev' }, { apiId, stage: 'prod' }]);
  assert.deepEqual((await update({ op: 'remove', path: '/apiStages', value: `${apiId}:dev` })).apiStages, [{ apiId, stage: 'prod' }]);
  assert.equal((await update({ op: 'remove', path: '/throttle' })).throttle, undefined);

  await expectAwsError(env.apigw.send(new UpdateUsagePlanCommand({ usagePlanId: 'nosuch', patchOperations: [{ op: 'replace', path: '/name', value: 'x' }] })),
    'NotFoundException', 'Invalid Usage Plan ID specified', 404);
  await expectAwsError(update({ op: 'remove', path: '/apiStages' }), 'BadRequestException', 'Invalid API Stage specified', 400);
  await expectAwsError(update({ op: 'remove', path: '/apiStages', value: 'wrongvalue' }), 'BadRequestException', 'Invalid API Stage specified', 400);
  await expectAwsError(update({ op: 'remove', path: '/apiStages', value: `${apiId}b:dev` }), 'NotFoundException', `Invalid API Stage {api: ${apiId}b, stage: dev} specified for usageplan ${plan.id}`, 404);
  await expectAwsError(update({ op: 'add', path: '/apiStages', value: `${apiId}:fakestagename` }), 'NotFoundException', `Invalid API Stage {api: ${apiId}, stage: fakestagename} specified for usageplan ${plan.id}`, 404);
  await expectAwsError(update({ op: 'remove', path: `/apiStages/${apiId}:prod` }), 'BadRequestException', `Invalid patch path  '/apiStages/${apiId}:prod' specified for op 'remove'. `
    + 'Must be one of: [/apiStages, /quota, /throttle, /productCode, /apiStages/<apidId:stageName>/throttle/<resourcePath>/<httpMethod>, /apiStages/<apidId:stageName>/throttle]');
  await deletePlan(plan.id);
});

test('usage plan keys: added, listed newest first with nameQuery, one plan per API stage, gone with the key', async () => {
  const plan = await env.apigw.send(new CreateUsagePlanCommand({ name: 'keys', apiStages: [{ apiId, stage: 'dev' }] }));
  const one = await env.apigw.send(new CreateApiKeyCommand({ name: 'test-key-1' }));
  const two = await env.apigw.send(new CreateApiKeyCommand({ name: 'test-key-2' }));
  const three = await env.apigw.send(new CreateApiKeyCommand({ name: 'other-key' }));
  assert.deepEqual((await env.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }))).items, []);
  const added = await env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: one.id, keyType: 'API_KEY' }));
  assert.equal(added.$metadata.httpStatusCode, 201);
  assert.deepEqual(fieldsOf(added), ['id', 'name', 'type', 'value']);
  assert.deepEqual([added.id, added.name, added.type, added.value], [one.id, 'test-key-1', 'API_KEY', one.value]);
  await env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: two.id, keyType: 'API_KEY' }));
  const keys = async (nameQuery?: string, usagePlanId = plan.id) => (await env.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId, nameQuery }))).items!.map((k) => k.id);
  assert.deepEqual(await keys(), [two.id, one.id]);
  assert.deepEqual(await keys('test-key'), [two.id, one.id]);
  assert.deepEqual(await keys('TEST-key'), []);
  assert.deepEqual(await keys('test-key-1'), [one.id]);
  assert.deepEqual(await keys(undefined, 'bad-id'), [], 'an unknown plan lists nothing (recorded)');
  assert.equal((await env.apigw.send(new GetUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: one.id }))).value, one.value);
  assert.deepEqual((await env.apigw.send(new GetUsagePlansCommand({ keyId: one.id }))).items!.map((p) => p.id), [plan.id]);

  await expectAwsError(env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: 'nosuchkey0', keyType: 'API_KEY' })), 'NotFoundException', 'Invalid API Key identifier specified');
  await expectAwsError(env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: 'nosuch', keyId: one.id, keyType: 'API_KEY' })), 'NotFoundException', 'Invalid Usage Plan ID specified');
  await expectAwsError(env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: one.id, keyType: 'API_KEY' })), 'ConflictException');
  const other = await env.apigw.send(new CreateUsagePlanCommand({ name: 'same-stage', apiStages: [{ apiId, stage: 'dev' }] }));
  await expectAwsError(env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: other.id, keyId: one.id, keyType: 'API_KEY' })), 'ConflictException',
    `Usage Plan ${other.id} cannot be added because API Key ${one.id} cannot reference multiple Usage Plans with the same API Stage: ${apiId}:dev`);

  // Nor may a plan take on a stage one of its keys already reaches through another plan.
  await env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: other.id, keyId: three.id, keyType: 'API_KEY' }));
  await env.apigw.send(new UpdateUsagePlanCommand({ usagePlanId: other.id, patchOperations: [{ op: 'remove', path: '/apiStages', value: `${apiId}:dev` }] }));
  await env.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: other.id, keyId: one.id, keyType: 'API_KEY' }));
  await expectAwsError(env.apigw.send(new UpdateUsagePlanCommand({ usagePlanId: other.id, patchOperations: [{ op: 'add', path: '/apiStages', value: `${apiId}:dev` }] })),
    'ConflictException', `Usage Plan ${other.id} cannot be added because API Key ${one.id} cannot reference multiple Usage Plans with the same API Stage: ${apiId}:dev`);
  await env.apigw.send(new DeleteUsagePlanKeyCommand({ usagePlanId: other.id, keyId: one.id }));

  await env.apigw.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: one.id }));
  assert.deepEqual(await keys(), [two.id]);
  await expectAwsError(env.apigw.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: one.id })), 'NotFoundException');
  await expectAwsError(env.apigw.send(new GetUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: one.id })), 'NotFoundException');
  await env.apigw.send(new DeleteApiKeyCommand({ apiKey: two.id }));
  assert.deepEqual(await keys(), [], 'deleting a key removes it from its plans (recorded)');
  for (const k of [one, three]) await env.apigw.send(new DeleteApiKeyCommand({ apiKey: k.id }));
  for (const p of [plan, other]) await deletePlan(p.id);
});

test('tags on API keys and usage plans by ARN', async () => {
  const key = await env.apigw.send(new CreateApiKeyCommand({ name: 'tagged', tags: { a: '1' } }));
  const plan = await env.apigw.send(new CreateUsagePlanCommand({ name: 'tagged' }));
  for (const arn of [`arn:aws:apigateway:${testRegion}::/apikeys/${key.id}`, `arn:aws:apigateway:${testRegion}::/usageplans/${plan.id}`]) {
    await env.apigw.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2' } }));
    await env.apigw.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
    assert.deepEqual((await env.apigw.send(new GetTagsCommand({ resourceArn: arn }))).tags, { b: '2' });
  }
  assert.deepEqual((await env.apigw.send(new GetApiKeyCommand({ apiKey: key.id }))).tags, { b: '2' });
  assert.deepEqual((await env.apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.id }))).tags, { b: '2' });
  await expectAwsError(env.apigw.send(new GetTagsCommand({ resourceArn: `arn:aws:apigateway:${testRegion}::/apikeys/nosuchkey0` })), 'NotFoundException', 'Invalid resource ARN specified');
  await env.apigw.send(new DeleteApiKeyCommand({ apiKey: key.id }));
  await env.apigw.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id }));
});
