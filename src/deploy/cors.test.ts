// SAM's Cors, read and turned into preflight header mappings as SAM's translator does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedMethods, corsSpec, preflightRoutes } from './cors.js';
import type { Value } from './intrinsics.js';

const fail = (key: string, message: string): never => {
  throw new Error(`${key}: ${message}`);
};
const read = (v: Value) => corsSpec(v, fail);

test('a string is the allowed origin; a map takes the five properties; MaxAge may be a number', () => {
  assert.deepEqual(read("'*'"), { allowOrigin: "'*'", allowCredentials: false });
  assert.deepEqual(read({ AllowOrigin: "'https://a.example'", AllowHeaders: "'X-A'", AllowMethods: "'GET'", MaxAge: 600, AllowCredentials: true }), {
    allowOrigin: "'https://a.example'", allowHeaders: "'X-A'", allowMethods: "'GET'", maxAge: "'600'", allowCredentials: true,
  });
  assert.equal(read({ AllowOrigin: "'*'", MaxAge: "'0'" }).maxAge, "'0'");
});

test('refuses what API Gateway or SAM would refuse, saying how to write it', () => {
  assert.throws(() => read('*'), /AllowOrigin must be a quoted string such as "'\*'"/);
  assert.throws(() => read({ AllowHeaders: "'X'" }), /Cors needs AllowOrigin/);
  assert.throws(() => read({ AllowOrigin: "'*'", AllowOrigins: "'*'" }), /Cors has no property AllowOrigins/);
  assert.throws(() => read({ AllowOrigin: "'*'", MaxAge: 'soon' }), /MaxAge is a whole number of seconds/);
  assert.throws(() => read(['x']), /Cors is the allowed origin/);
});

test("each path without an OPTIONS route gets a preflight listing its methods (all of them for ANY), sorted, with OPTIONS", () => {
  assert.equal(allowedMethods(['POST', 'GET']), 'GET,OPTIONS,POST');
  assert.equal(allowedMethods(['ANY']), 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT');
  const routes = [{ method: 'GET', resourcePath: '/a' }, { method: 'DELETE', resourcePath: '/a' }, { method: 'OPTIONS', resourcePath: '/b' }, { method: 'GET', resourcePath: '/b' }];
  const preflights = preflightRoutes(read({ AllowOrigin: "'*'", AllowCredentials: false }), routes, { name: 'Auth', id: 'abc123', type: 'CUSTOM' });
  assert.deepEqual(preflights, [{
    resourcePath: '/a',
    authorizer: { name: 'Auth', id: 'abc123', type: 'CUSTOM' },
    responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'", 'method.response.header.Access-Control-Allow-Methods': "'DELETE,GET,OPTIONS'" },
  }]);
});
