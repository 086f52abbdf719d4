import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthorizerCache, type AuthorizerOutput } from './authorizer-cache.js';

const output: AuthorizerOutput = { principalId: 'me', policyDocument: {}, statements: [], context: {} };

test('entries live for their TTL; a TTL of 0 caches nothing', () => {
  let now = 1_000;
  const cache = new AuthorizerCache(() => now);
  const key = AuthorizerCache.key('api', 'prod', ['auth1', 'token']);
  cache.set(key, output, 300);
  cache.set(AuthorizerCache.key('api', 'prod', ['auth1', 'other']), output, 0);
  assert.equal(cache.get(key), output);
  assert.equal(cache.size, 1);
  now += 299_999;
  assert.equal(cache.get(key), output);
  now += 1;
  assert.equal(cache.get(key), undefined);
});

test('flushing a stage keeps the other stages', () => {
  const cache = new AuthorizerCache();
  const prod = AuthorizerCache.key('api', 'prod', ['a', 't']);
  const prod2 = AuthorizerCache.key('api', 'prod2', ['a', 't']);
  cache.set(prod, output, 60);
  cache.set(prod2, output, 60);
  cache.flushStage('api', 'prod');
  assert.equal(cache.get(prod), undefined);
  assert.equal(cache.get(prod2), output);
});
