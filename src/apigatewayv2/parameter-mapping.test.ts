import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileRequestParameters, compileResponseParameters, mergeParameterMap, mergeResponseParameters, parseMappingValue,
} from './parameter-mapping.js';

const refused = (f: () => unknown, pattern: RegExp) => assert.throws(f, (e: Error & { statusCode?: number }) => {
  assert.match(e.message, /^Invalid mapping expression specified: Validation Result: warnings : \[\], errors : \[/);
  assert.match(e.message, pattern);
  return true;
});

test('values split into literal text and expressions, bare or braced', () => {
  assert.deepEqual(parseMappingValue('static', 'request'), ['static']);
  assert.deepEqual(parseMappingValue('$request.header.X-Id', 'request'), [{ source: 'request.header', name: 'x-id' }]);
  assert.deepEqual(parseMappingValue('Bearer ${request.querystring.token}-$context.requestId', 'request'), [
    'Bearer ', { source: 'request.querystring', name: 'token' }, '-', { source: 'context', name: 'requestId' },
  ]);
  assert.deepEqual(parseMappingValue('${request.path.id}/${request.path}', 'request'), [
    { source: 'request.pathParameter', name: 'id' }, '/', { source: 'request.path', name: '' },
  ]);
  assert.deepEqual(parseMappingValue('$request.body.a.b[0]', 'request'), [{ source: 'request.body', name: 'a.b[0]' }]);
  assert.deepEqual(parseMappingValue('$request.body', 'request'), [{ source: 'request.body', name: '' }]);
  assert.deepEqual(parseMappingValue('$stageVariables.env', 'request'), [{ source: 'stageVariables', name: 'env' }]);
  assert.deepEqual(parseMappingValue('$context.authorizer.claims.sub', 'response'), [{ source: 'context', name: 'authorizer.claims.sub' }]);
  assert.deepEqual(parseMappingValue('$response.header.etag', 'response'), [{ source: 'response.header', name: 'etag' }]);
});

test('values that read what their side cannot, or that are no expression, are refused', () => {
  refused(() => parseMappingValue('$response.header.x', 'request'), /Request parameters cannot read \$response/);
  refused(() => parseMappingValue('$request.header.x', 'response'), /Response parameters cannot read \$request/);
  refused(() => parseMappingValue('$foo.bar', 'request'), /Invalid mapping expression specified: \$foo\.bar/);
  refused(() => parseMappingValue('$request.body..name', 'request'), /\$request\.body\.\.name/);
  refused(() => parseMappingValue('$request.header', 'request'), /\$request\.header/);
  refused(() => parseMappingValue('${context.a-b}', 'request'), /context\.a-b/);
});

test('request keys: header, query string and path mappings; reserved headers and unknown keys refused', () => {
  const compiled = compileRequestParameters({
    'append:header.X-Trace': '$context.requestId', 'remove:querystring.debug': '', 'overwrite:path': 'v2/$request.path.id',
  });
  assert.deepEqual(compiled.map((m) => [m.action, m.location, m.name]), [['append', 'header', 'X-Trace'], ['remove', 'querystring', 'debug'], ['overwrite', 'path', '']]);
  assert.deepEqual(compiled[1].value, [], 'a removal reads nothing');
  for (const name of ['Authorization', 'content-length', 'X-Amz-Date', 'x-amzn-foo', 'Access-Control-Allow-Origin', 'apigw-requestid', 'Via', 'X-Forwarded-For']) {
    refused(() => compileRequestParameters({ [`overwrite:header.${name}`]: 'x' }), /is reserved and cannot be mapped/);
  }
  refused(() => compileRequestParameters({ 'append:path': 'x' }), /Invalid request parameter key append:path/);
  refused(() => compileRequestParameters({ 'integration.request.header.x': 'x' }), /Invalid request parameter key/);
  refused(() => compileRequestParameters({ 'overwrite:header.bad name': 'x' }), /Invalid header name/);
  refused(() => compileRequestParameters({ 'overwrite:header.x': '' }), /empty/);
});

test('response keys: by status code 200-599, header mappings and overwrite:statuscode', () => {
  const compiled = compileResponseParameters({ 404: { 'overwrite:statuscode': '403', 'append:header.X-Error': '$response.header.x-reason' } });
  assert.deepEqual(compiled.get('404')!.map((m) => [m.action, m.target, m.name]), [['overwrite', 'statuscode', ''], ['append', 'header', 'X-Error']]);
  refused(() => compileResponseParameters({ 199: { 'overwrite:statuscode': '200' } }), /Invalid status code 199/);
  refused(() => compileResponseParameters({ abc: {} }), /Invalid status code abc/);
  refused(() => compileResponseParameters({ 200: { 'overwrite:statuscode': '700' } }), /Invalid status code 700 for overwrite:statuscode/);
  refused(() => compileResponseParameters({ 200: { 'overwrite:querystring.a': 'x' } }), /Invalid response parameter key/);
  refused(() => compileResponseParameters({ 200: { 'overwrite:header.Content-Length': '1' } }), /reserved/);
  assert.equal(compileResponseParameters({ 200: { 'overwrite:statuscode': '$response.header.x-status' } }).get('200')!.length, 1);
});

test('updates merge key by key; an empty value takes a mapping away', () => {
  assert.deepEqual(mergeParameterMap({ a: '1', b: '2' }, { b: '', c: '3' }), { a: '1', c: '3' });
  assert.equal(mergeParameterMap({ a: '1' }, { a: '' }), undefined);
  assert.deepEqual(mergeResponseParameters({ 200: { a: '1' }, 404: { b: '2' } }, { 404: {}, 500: { c: '3' } }), { 200: { a: '1' }, 500: { c: '3' } });
});
