import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeploymentSnapshot, MethodRecord, SnapshotResource } from '../apigateway/stage-runtime.js';
import { compileRoutes, matchRoute, routeTableFor } from './router.js';

const method = (httpMethod: string): MethodRecord => ({ httpMethod, authorizationType: 'NONE', methodIntegration: { type: 'MOCK' } });

function snapshot(routes: Record<string, string[]>): DeploymentSnapshot {
  const resources: SnapshotResource[] = Object.entries(routes).map(([path, methods], i) => ({
    id: `r${i}`,
    path,
    resourceMethods: Object.fromEntries(methods.map((m) => [m, method(m)])),
  }));
  if (!routes['/']) resources.push({ id: 'root', path: '/', resourceMethods: {} });
  return { api: { binaryMediaTypes: [], apiKeySource: 'HEADER', disableExecuteApiEndpoint: false }, resources };
}

const match = (snap: DeploymentSnapshot, m: string, path: string) => {
  const r = matchRoute(compileRoutes(snap), m, path);
  return r && { path: r.resource.path, method: r.method.httpMethod, params: r.pathParameters };
};

test('a literal segment wins over a {param}, which wins over a {greedy+}', () => {
  const s = snapshot({ '/pets/mine': ['GET'], '/pets/{id}': ['GET'], '/{proxy+}': ['ANY'] });
  assert.deepEqual(match(s, 'GET', '/pets/mine'), { path: '/pets/mine', method: 'GET', params: null });
  assert.deepEqual(match(s, 'GET', '/pets/7'), { path: '/pets/{id}', method: 'GET', params: { id: '7' } });
  assert.deepEqual(match(s, 'GET', '/pets/7/toys'), { path: '/{proxy+}', method: 'ANY', params: { proxy: 'pets/7/toys' } });
  assert.deepEqual(match(s, 'GET', '/other'), { path: '/{proxy+}', method: 'ANY', params: { proxy: 'other' } });
});

test('ANY answers methods a resource does not define; a missing method falls through to the next candidate', () => {
  const s = snapshot({ '/items': ['GET'], '/items/{id}': ['ANY', 'DELETE'], '/{proxy+}': ['POST'] });
  assert.equal(match(s, 'GET', '/items/1')?.method, 'ANY');
  assert.equal(match(s, 'DELETE', '/items/1')?.method, 'DELETE');
  assert.deepEqual(match(s, 'POST', '/items'), { path: '/{proxy+}', method: 'POST', params: { proxy: 'items' } }, 'POST /items is not defined on /items');
  assert.equal(match(s, 'PUT', '/items'), undefined, 'no resource answers PUT /items');
});

test('the root and trailing, leading and doubled slashes', () => {
  const s = snapshot({ '/': ['GET'], '/hello': ['GET'], '/{proxy+}': ['GET'] });
  assert.equal(match(s, 'GET', '/')?.path, '/');
  assert.equal(match(s, 'GET', '/hello/')?.path, '/hello', 'a trailing slash is ignored');
  assert.equal(match(s, 'GET', '//hello')?.path, '/hello', 'leading slashes collapse');
  assert.deepEqual(match(s, 'GET', '/proxy-value//double-slash')?.params, { proxy: 'proxy-value//double-slash' });
  assert.deepEqual(match(s, 'GET', '/proxy-value/')?.params, { proxy: 'proxy-value' });
  assert.equal(match(snapshot({ '/{proxy+}': ['GET'] }), 'GET', '/'), undefined, 'a greedy parameter needs at least one segment');
});

test('an empty segment never fills a {param}; encoded and dot segments stay literal text', () => {
  const s = snapshot({ '/a/{x}/b': ['GET'], '/files/{name}': ['GET'] });
  assert.equal(match(s, 'GET', '/a//b'), undefined);
  assert.deepEqual(match(s, 'GET', '/files/a%2Fb')?.params, { name: 'a%2Fb' });
  assert.deepEqual(match(s, 'GET', '/files/..')?.params, { name: '..' });
  assert.equal(match(s, 'GET', '/files/../a/x/b'), undefined, '.. is not resolved');
});

test('nested parameters and several at once', () => {
  const s = snapshot({ '/users/{userId}/orders/{orderId}': ['GET'], '/users/{userId}/orders/latest': ['GET'], '/users/{userId}/{rest+}': ['GET'] });
  assert.deepEqual(match(s, 'GET', '/users/u1/orders/o2'), { path: '/users/{userId}/orders/{orderId}', method: 'GET', params: { userId: 'u1', orderId: 'o2' } });
  assert.deepEqual(match(s, 'GET', '/users/u1/orders/latest')?.params, { userId: 'u1' });
  assert.deepEqual(match(s, 'GET', '/users/u1/a/b/c')?.params, { userId: 'u1', rest: 'a/b/c' });
  assert.deepEqual(match(s, 'GET', '/users/u1/orders/o2/x')?.params, { userId: 'u1', rest: 'orders/o2/x' }, 'backtracks from the params branch');
});

test('compiled tables are cached per snapshot object', () => {
  const s = snapshot({ '/a': ['GET'] });
  assert.equal(routeTableFor(s), routeTableFor(s));
  assert.notEqual(routeTableFor(s), routeTableFor(snapshot({ '/a': ['GET'] })));
});

test('1,000 routes match in flat time', () => {
  const routes: Record<string, string[]> = {};
  for (let i = 0; i < 500; i++) routes[`/svc${i}/items`] = ['GET'];
  for (let i = 0; i < 500; i++) routes[`/svc${i}/items/{id}`] = ['GET'];
  const table = routeTableFor(snapshot(routes));
  const started = process.hrtime.bigint();
  for (let i = 0; i < 20_000; i++) {
    assert.ok(matchRoute(table, 'GET', `/svc${i % 500}/items/${i}`));
    assert.ok(matchRoute(table, 'GET', `/svc${i % 500}/items`));
  }
  const perMatchUs = Number(process.hrtime.bigint() - started) / 40_000 / 1000;
  assert.ok(perMatchUs < 50, `${perMatchUs.toFixed(2)} µs per match`);
});

test('very long and deep paths are handled without blowing up', () => {
  const s = snapshot({ '/{proxy+}': ['GET'], '/a/{b}': ['GET'] });
  const deep = '/' + Array.from({ length: 5000 }, (_, i) => `s${i}`).join('/');
  assert.equal(match(s, 'GET', deep)?.path, '/{proxy+}');
  assert.equal(match(snapshot({ '/a/{b}': ['GET'] }), 'GET', deep), undefined);
  assert.equal(match(s, 'GET', '/a/' + 'x'.repeat(100_000))?.path, '/a/{b}');
});
