import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpApiRouter } from './router.js';
import type { RouteRecord } from '../store/httpapi-store.js';

const route = (routeKey: string): RouteRecord => ({ routeId: routeKey, routeKey, authorizationType: 'NONE', apiKeyRequired: false });
const keyOf = (router: HttpApiRouter, method: string, path: string) => router.match(method, path)?.route.routeKey;

test('the most specific route wins: literal over {param} over {proxy+}, a method over ANY', () => {
  const router = new HttpApiRouter(['ANY /{proxy+}', 'GET /items/{id}', 'GET /items/special', 'ANY /items/{id}', 'POST /items', 'GET /'].map(route));
  assert.equal(keyOf(router, 'GET', '/items/special'), 'GET /items/special');
  assert.equal(keyOf(router, 'GET', '/items/42'), 'GET /items/{id}');
  assert.equal(keyOf(router, 'DELETE', '/items/42'), 'ANY /items/{id}');
  assert.equal(keyOf(router, 'POST', '/items'), 'POST /items');
  assert.equal(keyOf(router, 'GET', '/items'), 'ANY /{proxy+}');
  assert.equal(keyOf(router, 'GET', '/'), 'GET /');
  assert.equal(keyOf(router, 'PUT', '/a/b/c'), 'ANY /{proxy+}');
  assert.deepEqual(router.match('GET', '/a/b%20c/d')?.pathParameters, { proxy: 'a/b c/d' });
  assert.deepEqual(router.match('GET', '/items/x%2Fy')?.pathParameters, { id: 'x/y' });
});

test('nothing matches without $default; $default catches everything else', () => {
  const strict = new HttpApiRouter([route('GET /pets')]);
  assert.equal(strict.match('POST', '/pets'), undefined);
  assert.equal(strict.match('GET', '/pets/1'), undefined);
  assert.equal(keyOf(strict, 'GET', '/pets/'), 'GET /pets', 'a trailing slash is ignored');
  const withDefault = new HttpApiRouter([route('GET /pets'), route('$default')]);
  assert.deepEqual(withDefault.match('POST', '/anything'), { route: route('$default'), path: '$default', pathParameters: {} });
  // A greedy parameter needs at least one segment.
  assert.equal(keyOf(new HttpApiRouter([route('ANY /{proxy+}')]), 'GET', '/'), undefined);
});
