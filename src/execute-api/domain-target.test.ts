import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BasePathMappingRecord } from '../store/apigateway-store.js';
import { hostName } from '../apigateway/domain-runtime.js';
import { domainRoutes, domainTarget } from './domain-target.js';

const mappings = (...list: BasePathMappingRecord[]) => domainRoutes(list);

test('the first segment picks the mapping; the rest, raw, is the resource path', () => {
  const m = mappings({ basePath: 'v1', restApiId: 'a', stage: 'dev' });
  assert.deepEqual(domainTarget(m, '/v1/pets/%2F?x=1'), { apiId: 'a', stage: 'dev', rawPath: '/pets/%2F', rawQuery: 'x=1', basePath: '/v1' });
  assert.deepEqual(domainTarget(m, '//v1'), { apiId: 'a', stage: 'dev', rawPath: '/', rawQuery: '', basePath: '/v1' });
  assert.equal(domainTarget(m, '/v1x/pets'), undefined);
  assert.equal(domainTarget(m, '/'), undefined);
});

test("'(none)' takes every path no other mapping takes, whole", () => {
  const m = mappings({ basePath: '(none)', restApiId: 'n', stage: 'prod' }, { basePath: 'v1', restApiId: 'a', stage: 'dev' });
  assert.deepEqual(domainTarget(m, '/pets'), { apiId: 'n', stage: 'prod', rawPath: '/pets', rawQuery: '', basePath: '' });
  assert.deepEqual(domainTarget(m, '/'), { apiId: 'n', stage: 'prod', rawPath: '/', rawQuery: '', basePath: '' });
  assert.deepEqual(domainTarget(m, '/(none)/x'), { apiId: 'n', stage: 'prod', rawPath: '/(none)/x', rawQuery: '', basePath: '' }, '(none) is not a path segment');
  assert.equal(domainTarget(m, '/v1/x')?.apiId, 'a');
});

test('a mapping without a stage takes it from the next segment', () => {
  const m = mappings({ basePath: 'any', restApiId: 'a' });
  assert.deepEqual(domainTarget(m, '/any/prod/pets'), { apiId: 'a', stage: 'prod', rawPath: '/pets', rawQuery: '', basePath: '/any/prod' });
  assert.deepEqual(domainTarget(m, '/any'), { apiId: 'a', stage: '', rawPath: '/', rawQuery: '', basePath: '/any/' });
});

test('the longest matching run of whole segments picks a multi-level mapping, as AWS documents', () => {
  // AWS's example: (none) → 1, orders → 2, orders/v1/items → 3, orders/v2/items → 4, orders/v2/items/categories → 5.
  const m = mappings(
    { basePath: '(none)', restApiId: '1', stage: 's' }, { basePath: 'orders', restApiId: '2', stage: 's' }, { basePath: 'orders/v1/items', restApiId: '3', stage: 's' },
    { basePath: 'orders/v2/items', restApiId: '4', stage: 's' }, { basePath: 'orders/v2/items/categories', restApiId: '5', stage: 's' },
  );
  assert.equal(m.depth, 4);
  // AWS's table of requests and the API each selects ('/ordersandmore': whole segments only).
  const selected: Record<string, string> = {
    '/orders': '2', '/orders/v1/items': '3', '/orders/v2/items': '4', '/orders/v2/items/categories/5': '5',
    '/orders/v1/items/123': '3', '/orders/items/35': '2', '/ordersandmore': '1', '/customers': '1',
  };
  for (const [url, apiId] of Object.entries(selected)) assert.equal(domainTarget(m, url)?.apiId, apiId, url);
  assert.deepEqual(domainTarget(m, '/orders/v1/items/123?a=b'), { apiId: '3', stage: 's', rawPath: '/123', rawQuery: 'a=b', basePath: '/orders/v1/items' });
  assert.deepEqual(domainTarget(m, '/orders/v1/items/'), { apiId: '3', stage: 's', rawPath: '/', rawQuery: '', basePath: '/orders/v1/items' });
  assert.deepEqual(domainTarget(m, '/orders/v1'), { apiId: '2', stage: 's', rawPath: '/v1', rawQuery: '', basePath: '/orders' });
});

test('a Host header is matched without its port, in lower case', () => {
  assert.equal(hostName('API.Example.com:8080'), 'api.example.com');
  assert.equal(hostName('api.example.com'), 'api.example.com');
  assert.equal(hostName('[::1]:80'), '[::1]');
});
