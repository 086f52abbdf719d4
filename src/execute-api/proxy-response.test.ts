// The Lambda proxy response cases AWS was recorded answering (test_aws_proxy_response_payload_format_validation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProxyResponse } from './proxy-response.js';
import { isGatewayError } from './errors.js';

const parse = (v: unknown) => parseProxyResponse(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)));
const headersOf = (v: unknown) => Object.fromEntries([...parse(v).headers.values()].map((h) => [h.name, h.values]));
const is502 = (v: unknown) => {
  assert.throws(() => parse(v), (e: unknown) => isGatewayError(e) && e.status === 502 && e.body().toString() === '{"message": "Internal server error"}');
};

test('statusCode is optional (200), may be a numeric string, must be a status', () => {
  assert.equal(parse({ statusCode: 200 }).status, 200);
  assert.equal(parse({ statusCode: '201' }).status, 201);
  assert.equal(parse({ headers: { 'test-header': 'value' } }).status, 200);
  assert.equal(parse({ statusCode: 200 }).body, '');
  is502({ statusCode: 'test' });
  is502({ statusCode: 20.5 });
  is502({ statusCode: 1000 });
});

test('only the five proxy fields are allowed; the payload must be a JSON object', () => {
  is502({ statusCode: 200, wrongValue: 'value' });
  is502('justAString');
  is502('"justAString"');
  is502('not json');
  is502('null');
  is502('[1]');
  is502({ errorMessage: 'boom', errorType: 'Error' });
});

test('headers: booleans and numbers become strings, null headers are fine', () => {
  assert.deepEqual(headersOf({ statusCode: 200, headers: { 'test-header': 'value', 'header-bool': true, n: 5 } }), { 'test-header': ['value'], 'header-bool': ['true'], n: ['5'] });
  assert.deepEqual(headersOf({ statusCode: 200, headers: null }), {});
  is502({ statusCode: 200, headers: { a: { nested: 1 } } });
  is502({ statusCode: 200, headers: 'x' });
});

test('multiValueHeaders must be lists; merged with headers, multi first, its casing kept', () => {
  assert.deepEqual(headersOf({ statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } }), { 'test-multi': ['value1', 'value2'] });
  assert.deepEqual(headersOf({ statusCode: 200, multiValueHeaders: { 'test-multi': ['value-multi'] }, headers: { 'test-multi': 'value-solo' } }), { 'test-multi': ['value-multi', 'value-solo'] });
  assert.deepEqual(headersOf({ statusCode: 200, multiValueHeaders: { 'tesT-Multi': ['value-multi'] }, headers: { 'test-multi': 'value-solo' } }), { 'tesT-Multi': ['value-multi', 'value-solo'] });
  is502({ statusCode: 200, multiValueHeaders: { 'test-multi-invalid': 'value1' } });
});

test('body and isBase64Encoded', () => {
  assert.deepEqual(parse({ statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true }), { status: 200, headers: new Map(), body: 'dGVzdC1kYXRh', isBase64Encoded: true });
  assert.equal(parse({ body: 'x', isBase64Encoded: false }).isBase64Encoded, false);
  is502({ body: { an: 'object' } });
  is502({ body: 'x', isBase64Encoded: 'maybe' });
});
