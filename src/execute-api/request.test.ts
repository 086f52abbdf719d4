import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiIdFromHost, collapseLeadingSlashes, invokeTarget, isUserRequestPath, parseHeaders, parseQuery } from './request.js';

test('API ids come from {apiId}.execute-api.<anything> hosts', () => {
  assert.equal(apiIdFromHost('abc123defg.execute-api.localhost:4566'), 'abc123defg');
  assert.equal(apiIdFromHost('ABC123DEFG.execute-api.localhost'), 'abc123defg');
  assert.equal(apiIdFromHost('abc123defg.execute-api.localhost.localstack.cloud:4566'), 'abc123defg');
  assert.equal(apiIdFromHost('abc123defg-vpce-0123abcd.execute-api.us-east-1.amazonaws.com'), 'abc123defg');
  assert.equal(apiIdFromHost('localhost:4566'), undefined);
  assert.equal(apiIdFromHost('execute-api.localhost'), undefined);
  assert.equal(apiIdFromHost(undefined), undefined);
});

test('host form: /{stage}/{path}, leading slashes before the stage ignored', () => {
  assert.deepEqual(invokeTarget('/dev/hello?x=1', 'api'), { apiId: 'api', stage: 'dev', rawPath: '/hello', rawQuery: 'x=1' });
  assert.deepEqual(invokeTarget('//dev//hello/', 'api'), { apiId: 'api', stage: 'dev', rawPath: '//hello/', rawQuery: '' });
  assert.deepEqual(invokeTarget('/dev', 'api'), { apiId: 'api', stage: 'dev', rawPath: '/', rawQuery: '' });
  assert.deepEqual(invokeTarget('/', 'api'), { apiId: 'api', stage: '', rawPath: '/', rawQuery: '' });
  assert.deepEqual(invokeTarget('http://x.execute-api.localhost/dev/a?b', 'api'), { apiId: 'api', stage: 'dev', rawPath: '/a', rawQuery: 'b' });
});

test('path form: /restapis/{id}/{stage}/_user_request_/{path}', () => {
  assert.deepEqual(invokeTarget('/restapis/ApiId/prod/_user_request_/a/b?q=1', undefined), { apiId: 'apiid', stage: 'prod', rawPath: '/a/b', rawQuery: 'q=1' });
  assert.deepEqual(invokeTarget('/restapis/api/prod/_user_request_', undefined), { apiId: 'api', stage: 'prod', rawPath: '/', rawQuery: '' });
  assert.deepEqual(invokeTarget('/restapis/api/prod/_user_request_?a=b', undefined), { apiId: 'api', stage: 'prod', rawPath: '/', rawQuery: 'a=b' });
  assert.equal(invokeTarget('/restapis/api/prod/_user_request_x/a', undefined), undefined);
  assert.equal(isUserRequestPath('/restapis/api/prod/_user_request_/'), true);
  assert.equal(isUserRequestPath('/restapis/api/stages/prod'), false);
  assert.equal(isUserRequestPath('/restapis/api/resources/abc/methods/GET'), false);
  // Raw targets are never normalised: `..` stays inside the path it was sent in.
  assert.deepEqual(invokeTarget('/restapis/api/prod/_user_request_/../../other', undefined), { apiId: 'api', stage: 'prod', rawPath: '/../../other', rawQuery: '' });
  assert.deepEqual(invokeTarget('/dev/%2E%2E/%2Fetc', 'api'), { apiId: 'api', stage: 'dev', rawPath: '/%2E%2E/%2Fetc', rawQuery: '' });
});

test('collapseLeadingSlashes', () => {
  assert.equal(collapseLeadingSlashes('/a'), '/a');
  assert.equal(collapseLeadingSlashes('///a//b'), '/a//b');
  assert.equal(collapseLeadingSlashes('/'), '/');
  assert.equal(collapseLeadingSlashes('//'), '/');
});

test('query strings: decoded like AWS, the last value in the single map, every value in the multi map', () => {
  assert.deepEqual(parseQuery(''), { query: null, multiQuery: null });
  const { query, multiQuery } = parseQuery('category=electronics&category=books&email=test%2Balias%40gmail.com&plus=test+alias@gmail.com&empty&dt=2023-06-12T18:05:10.123456+00:00');
  assert.deepEqual(query, { category: 'books', email: 'test+alias@gmail.com', plus: 'test alias@gmail.com', empty: '', dt: '2023-06-12T18:05:10.123456 00:00' });
  assert.deepEqual(multiQuery!.category, ['electronics', 'books']);
  assert.equal(parseQuery('bad=%E0%A4%A&ok=1').query?.ok, '1', 'malformed escapes do not throw');
});

test('headers keep the client casing; repeated headers collect in the multi map', () => {
  const h = parseHeaders(['tEsT-HEADeR', 'aValUE', 'Accept', 'a/b', 'accept', 'c/d']);
  assert.deepEqual(h.headers, { 'tEsT-HEADeR': 'aValUE', Accept: 'c/d' });
  assert.deepEqual(h.multiHeaders, { 'tEsT-HEADeR': ['aValUE'], Accept: ['a/b', 'c/d'] });
  assert.equal(h.headerNames.get('accept'), 'Accept');
});
