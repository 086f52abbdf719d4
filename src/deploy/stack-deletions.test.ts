import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calleeOf, DELETION_ORDER, layerDeletions, orderDeletions, planDeletions, type ServerInventory } from './stack-deletions.js';
import { layerMarkStatementId } from './layer-ownership.js';
import { qualifierOf } from './stack-inventory.js';

const mine = { 'stagecraft:stack': 'shop' };
const theirs = { 'stagecraft:stack': 'blog' };

const inventory = (): ServerInventory => ({
  domains: [
    { domainName: 'api.shop.test', tags: mine, basePaths: ['(none)', 'v1'], apiMappings: [] },
    { domainName: 'http.shop.test', tags: mine, basePaths: [], apiMappings: [{ id: 'm1', key: 'v2' }] },
    { domainName: 'blog.test', tags: theirs, basePaths: ['(none)'], apiMappings: [] },
    { domainName: 'hand-made.test', tags: undefined, basePaths: [], apiMappings: [] },
  ],
  usagePlans: [{ id: 'p1', name: 'shop-ApiUsagePlan', tags: mine, apiStages: ['r1:dev'] }, { id: 'p2', name: 'blog-plan', tags: theirs, apiStages: [] }],
  apiKeys: [{ id: 'k1', name: 'shop-ApiApiKey', tags: mine }, { id: 'k2', name: 'mine-by-hand', tags: {} }],
  restApis: [{ id: 'r1', name: 'shop', tags: mine, callees: [{ functionName: 'shop-orders', qualifier: 'live' }, { functionName: 'auth' }, { functionName: 'auth' }] }, { id: 'r2', name: 'blog', tags: theirs }],
  httpApis: [{ id: 'h1', name: 'shop-http', tags: mine, callees: [{ functionName: 'auth', qualifier: '*' }] }, { id: 'h2', name: 'other', tags: undefined }],
  functions: [{ name: 'shop-orders', tags: mine, urls: [undefined, 'live'], eventInvokeConfigs: ['live'], provisioned: ['live'], aliases: ['live'] }],
  layers: [],
  alarms: [{ name: 'shop-ErrorsAlarm-ABC', tags: mine }, { name: 'blog-alarm', tags: theirs }, { name: 'by-hand', tags: {} }],
  metricFilters: [{ logGroupName: '/aws/lambda/shop-orders', filterName: 'errors', stackName: 'shop' }, { logGroupName: '/blog', filterName: 'x', stackName: 'blog' }],
  subscriptionFilters: [{ logGroupName: '/aws/lambda/shop-orders', filterName: 'ship', stackName: 'shop' }, { logGroupName: '/blog', filterName: 'y', stackName: 'blog' }],
});

test('a stack\'s deletions: only what carries its tag, in dependency order', () => {
  const plan = planDeletions('shop', inventory());
  const names = plan.map((d) => ('id' in d ? d.id : 'domainName' in d ? d.domainName : 'functionName' in d ? d.functionName : ''));
  assert.ok(!names.some((n) => ['blog.test', 'hand-made.test', 'p2', 'k2', 'r2', 'h2'].includes(n)), names.join(' '));
  assert.deepEqual(plan.map((d) => d.kind), [
    'metric-alarm', 'metric-filter', 'subscription-filter',
    'base-path-mapping', 'base-path-mapping', 'api-mapping', 'domain-name', 'domain-name',
    'usage-plan', 'api-key', 'rest-api', 'http-api', 'api-grants', 'api-grants',
    'function-url', 'function-url', 'event-invoke-config', 'provisioned-concurrency', 'alias', 'function',
  ]);
  assert.deepEqual(plan.filter((d) => d.kind === 'metric-alarm'), [{ kind: 'metric-alarm', name: 'shop-ErrorsAlarm-ABC' }]);
  assert.deepEqual(plan.filter((d) => d.kind === 'metric-filter'), [{ kind: 'metric-filter', logGroupName: '/aws/lambda/shop-orders', filterName: 'errors' }]);
  assert.deepEqual(plan.filter((d) => d.kind === 'subscription-filter'), [{ kind: 'subscription-filter', logGroupName: '/aws/lambda/shop-orders', filterName: 'ship' }]);
  // Grants on functions outside the stack are withdrawn, once per API and target; the stack's own functions go whole.
  assert.deepEqual(plan.filter((d) => d.kind === 'api-grants'), [
    { kind: 'api-grants', apiId: 'r1', functionName: 'auth', qualifier: undefined },
    { kind: 'api-grants', apiId: 'h1', functionName: 'auth', qualifier: '*' },
  ]);
  const plan0 = plan.find((d) => d.kind === 'usage-plan');
  assert.deepEqual(plan0, { kind: 'usage-plan', id: 'p1', name: 'shop-ApiUsagePlan', apiStages: ['r1:dev'] });
});

test('a stack with nothing on the server plans nothing', () => {
  assert.deepEqual(planDeletions('unknown', inventory()), []);
});

test('deletions are ordered by kind, keeping their order within a kind', () => {
  const ordered = orderDeletions([
    { kind: 'layer-version', layerName: 'l', version: 1 },
    { kind: 'function', functionName: 'b' },
    { kind: 'alias', functionName: 'b', name: 'live' },
    { kind: 'function', functionName: 'a' },
    { kind: 'domain-name', domainName: 'd' },
    { kind: 'rest-api', id: 'r', name: 'r' },
  ]);
  assert.deepEqual(ordered.map((d) => `${d.kind}:${'functionName' in d ? d.functionName : ''}`), ['domain-name:', 'rest-api:', 'alias:b', 'function:b', 'function:a', 'layer-version:']);
  assert.equal(new Set(DELETION_ORDER).size, DELETION_ORDER.length);
});

test('layer versions: the stack\'s marked ones, its unmarked older ones, never another stack\'s', () => {
  const shop = layerMarkStatementId('shop');
  const blog = layerMarkStatementId('blog');
  const deletions = layerDeletions('shop', [
    // Only this stack marks it: every version goes, the one from before marks too.
    { name: 'shop-libs', versions: [{ version: 1, statementIds: [] }, { version: 2, statementIds: [shop, 'public-read'] }] },
    // Shared by name with another stack: its own versions go, the shared one loses the mark, theirs and unmarked ones stay.
    { name: 'Common', versions: [{ version: 1, statementIds: [] }, { version: 2, statementIds: [shop] }, { version: 3, statementIds: [shop, blog] }, { version: 4, statementIds: [blog] }] },
    // Another stack's or nobody's.
    { name: 'blog-libs', versions: [{ version: 1, statementIds: [blog] }] },
    { name: 'by-hand', versions: [{ version: 1, statementIds: [] }] },
  ]);
  assert.deepEqual(deletions, [
    { kind: 'layer-version', layerName: 'shop-libs', version: 1 },
    { kind: 'layer-version', layerName: 'shop-libs', version: 2 },
    { kind: 'layer-version', layerName: 'Common', version: 2 },
    { kind: 'layer-mark', layerName: 'Common', version: 3, statementId: shop },
  ]);
});

test('layer marks are valid statement IDs for any stack name', () => {
  assert.equal(layerMarkStatementId('shop'), 'stagecraft-stack-shop');
  for (const name of ['shop', 'a'.repeat(128), 'with space/and:colons']) assert.match(layerMarkStatementId(name), /^[A-Za-z0-9_-]{1,100}$/);
  assert.notEqual(layerMarkStatementId('a b'), layerMarkStatementId('a c'));
});

test('the qualifier of a function ARN', () => {
  assert.equal(qualifierOf('arn:aws:lambda:us-east-1:000000000000:function:f'), undefined);
  assert.equal(qualifierOf('arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST'), undefined);
  assert.equal(qualifierOf('arn:aws:lambda:us-east-1:000000000000:function:f:live'), 'live');
});

test('the function an integration or authorizer URI calls', () => {
  const fn = 'arn:aws:lambda:us-east-1:000000000000:function:orders';
  const uri = (arn: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;
  assert.deepEqual(calleeOf(uri(fn)), { functionName: 'orders', qualifier: undefined });
  assert.deepEqual(calleeOf(uri(`${fn}:live`)), { functionName: 'orders', qualifier: 'live' });
  assert.deepEqual(calleeOf(uri(`${fn}:\${stageVariables.alias}`)), { functionName: 'orders', qualifier: '*' });
  assert.deepEqual(calleeOf(`${fn}:$LATEST`), { functionName: 'orders', qualifier: undefined });
  assert.equal(calleeOf('https://example.com/orders'), undefined);
  assert.equal(calleeOf(undefined), undefined);
});
