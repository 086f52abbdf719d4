import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesAttributes, matchesBody, parseFilterPolicy } from './filter-policy.js';

const attrs = (o: Record<string, [string, string]>) => Object.fromEntries(Object.entries(o).map(([k, [type, value]]) => [k, { type, value }]));
const onAttributes = (policy: object, a: Record<string, [string, string]>) => matchesAttributes(parseFilterPolicy(JSON.stringify(policy), 'MessageAttributes'), attrs(a));
const onBody = (policy: object, body: object) => matchesBody(parseFilterPolicy(JSON.stringify(policy), 'MessageBody'), JSON.stringify(body));

test('exact strings and numbers, every key must match, any value of a key may', () => {
  assert.equal(onAttributes({ color: ['red', 'blue'] }, { color: ['String', 'blue'] }), true);
  assert.equal(onAttributes({ color: ['red'] }, { color: ['String', 'blue'] }), false);
  assert.equal(onAttributes({ color: ['red'], size: ['L'] }, { color: ['String', 'red'] }), false);
  assert.equal(onAttributes({ price: [100] }, { price: ['Number', '100.0'] }), true);
  assert.equal(onAttributes({ price: [100] }, { price: ['String', '100'] }), false);
});

test('prefix, suffix, equals-ignore-case, anything-but', () => {
  assert.equal(onAttributes({ k: [{ prefix: 'ab' }] }, { k: ['String', 'abc'] }), true);
  assert.equal(onAttributes({ k: [{ suffix: 'bc' }] }, { k: ['String', 'abc'] }), true);
  assert.equal(onAttributes({ k: [{ 'equals-ignore-case': 'ABC' }] }, { k: ['String', 'aBc'] }), true);
  assert.equal(onAttributes({ k: [{ 'anything-but': ['x', 'y'] }] }, { k: ['String', 'z'] }), true);
  assert.equal(onAttributes({ k: [{ 'anything-but': 'x' }] }, { k: ['String', 'x'] }), false);
  assert.equal(onAttributes({ k: [{ 'anything-but': { prefix: 'in' } }] }, { k: ['String', 'internal'] }), false);
  assert.equal(onAttributes({ k: [{ 'anything-but': 'x' }] }, {}), false, 'an absent attribute matches no anything-but');
});

test('numeric ranges and exists', () => {
  assert.equal(onAttributes({ n: [{ numeric: ['>', 0, '<=', 150] }] }, { n: ['Number', '150'] }), true);
  assert.equal(onAttributes({ n: [{ numeric: ['>', 0, '<=', 150] }] }, { n: ['Number', '151'] }), false);
  assert.equal(onAttributes({ n: [{ exists: true }] }, { n: ['String', 'x'] }), true);
  assert.equal(onAttributes({ n: [{ exists: false }] }, {}), true);
  assert.equal(onAttributes({ n: [{ exists: false }] }, { n: ['String', 'x'] }), false);
});

test('String.Array attributes match when any element does; $or', () => {
  assert.equal(onAttributes({ tags: ['b'] }, { tags: ['String.Array', '["a","b"]'] }), true);
  assert.equal(onAttributes({ $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: ['String', '2'] }), true);
  assert.equal(onAttributes({ $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: ['String', '3'] }), false);
});

test('MessageBody scope: nested keys, arrays, a body that is not JSON', () => {
  assert.equal(onBody({ order: { kind: ['book'], price: [{ numeric: ['<', 10] }] } }, { order: { kind: 'book', price: 5 } }), true);
  assert.equal(onBody({ order: { kind: ['book'] } }, { order: { kind: 'pen' } }), false);
  assert.equal(onBody({ tags: ['x'] }, { tags: ['y', 'x'] }), true);
  assert.equal(matchesBody(parseFilterPolicy('{"a":["b"]}', 'MessageBody'), 'not json'), false);
});

test('malformed policies are refused with AWS InvalidParameter', () => {
  assert.throws(() => parseFilterPolicy('[', 'MessageAttributes'), { code: 'InvalidParameter' });
  assert.throws(() => parseFilterPolicy('{"a":"b"}', 'MessageAttributes'), { code: 'InvalidParameter' });
  assert.throws(() => parseFilterPolicy('{"a":{"b":["c"]}}', 'MessageAttributes'), { code: 'InvalidParameter' });
  assert.throws(() => parseFilterPolicy('{"a":[{"numeric":["~",1]}]}', 'MessageAttributes'), { code: 'InvalidParameter' });
  assert.throws(() => parseFilterPolicy('{"a":[{"nope":1}]}', 'MessageAttributes'), { code: 'InvalidParameter' });
});
