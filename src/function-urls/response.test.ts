// Function results as function URL answers: the recorded response-format cases and HTTP responses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerFor, streamedAnswer } from './response.js';

const answer = (value: unknown) => answerFor(Buffer.from(JSON.stringify(value)));

test('a JSON value without statusCode is a 200 application/json with that value as the body (a string as itself)', () => {
  for (const [value, body] of [[{ hello: 'world' }, '{"hello":"world"}'], [['hello', 3, true], '["hello",3,true]'], ['hello', 'hello'], [3, '3'], [3.1, '3.1'], [true, 'true'], [null, 'null']] as const) {
    const a = answer(value)!;
    assert.equal(a.status, 200);
    assert.deepEqual(a.headers, { 'content-type': 'application/json' });
    assert.equal(a.body.toString(), body);
  }
  assert.equal(answer({ body: 'x' })!.body.toString(), '{"body":"x"}', 'without statusCode even a body member is data');
});

test('an object with statusCode is an HTTP response: status, headers, cookies, base64 bodies', () => {
  const a = answer({ statusCode: '418', headers: { 'X-One': 'a', 'Content-Type': 'text/plain', n: 5 }, cookies: ['a=1', 'b=2'], body: 'teapot' })!;
  assert.equal(a.status, 418);
  assert.deepEqual(a.headers, { 'x-one': 'a', 'content-type': 'text/plain', n: '5' });
  assert.deepEqual(a.cookies, ['a=1', 'b=2']);
  assert.equal(a.body.toString(), 'teapot');
  assert.deepEqual(answer({ statusCode: 200, body: 'AP8=', isBase64Encoded: true })!.body, Buffer.from([0, 255]));
  assert.deepEqual(answer({ statusCode: 204 })!, { status: 204, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.alloc(0) });
  assert.equal(answer({ statusCode: 200, body: { a: 1 } })!.body.toString(), '{"a":1}');
});

test('an impossible status code or headers is no answer (the URL answers 502)', () => {
  assert.equal(answer({ statusCode: 'abc' }), undefined);
  for (const statusCode of [100, 101, '103', 199, 600]) assert.equal(answer({ statusCode }), undefined, `interim or out of range: ${statusCode}`);
  const deep = '['.repeat(200_000) + ']'.repeat(200_000);
  for (const text of [deep, `{"statusCode":200,"body":${deep}}`, `{"statusCode":200,"headers":{"x":${deep}}}`]) assert.equal(answerFor(Buffer.from(text)), undefined);
  assert.equal(answer({ statusCode: 99 }), undefined);
  assert.equal(answer({ statusCode: 200, headers: ['x'] }), undefined);
});

test('RESPONSE_STREAM: the bytes written are the body, after an HttpResponseStream prelude when there is one', () => {
  const prelude = Buffer.from(JSON.stringify({ statusCode: 201, headers: { 'X-A': 'b' }, cookies: ['c=1'] }));
  const streamed = streamedAnswer(Buffer.concat([prelude, Buffer.alloc(8), Buffer.from('chunk1chunk2')]))!;
  assert.equal(streamed.status, 201);
  assert.deepEqual(streamed.headers, { 'x-a': 'b', 'content-type': 'application/octet-stream' });
  assert.deepEqual(streamed.cookies, ['c=1']);
  assert.equal(streamed.body.toString(), 'chunk1chunk2');
  const plain = streamedAnswer(Buffer.from('{"statusCode":200,"body":"x"}'))!;
  assert.equal(plain.status, 200);
  assert.equal(plain.body.toString(), '{"statusCode":200,"body":"x"}', 'a plain result is not interpreted (recorded on AWS)');
  assert.equal(streamedAnswer(Buffer.concat([Buffer.from('{"statusCode":"x"}'), Buffer.alloc(8)])), undefined);
});
