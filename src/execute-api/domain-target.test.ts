import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BasePathMappingRecord } from '../store/apigateway-store.js';
import { hostName } from '../apigateway/domain-runtime.js';
import { domainTarget } from './domain-target.js';

const mappings = (...list: BasePathMappingRecord[]) => new Map(list.map((m) => [m.basePath, m]));

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

test('a Host header is matched without its port, in lower case', () => {
  assert.equal(hostName('API.Example.com:8080'), 'api.example.com');
  assert.equal(hostName('api.example.com'), 'api.example.com');
  assert.equal(hostName('[::1]:80'), '[::1]');
});
