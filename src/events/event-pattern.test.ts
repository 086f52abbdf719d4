import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileEventPattern, matchesPattern } from './event-pattern.js';

const matches = (pattern: unknown, event: unknown): boolean => matchesPattern(compileEventPattern(JSON.stringify(pattern)), event);
const refusal = (pattern: string): string => {
  try {
    compileEventPattern(pattern);
  } catch (e) {
    assert.equal((e as Error).name, 'InvalidEventPatternException');
    return (e as Error).message;
  }
  throw new Error(`pattern accepted: ${pattern}`);
};

const event = {
  source: 'com.example.orders', 'detail-type': 'Order Placed', resources: ['arn:aws:s3:::bucket-a', 'arn:aws:s3:::bucket-b'],
  detail: { state: 'running', count: 5, price: 10.5, ip: '10.0.0.7', ip6: '2001:db8::1', tags: ['a', 'b'], ok: true, none: null,
    items: [{ sku: 'x', qty: 1 }, { sku: 'y', qty: 3 }], location: { city: 'Paris' }, file: 'dir/app.jar', Name: 'Alice' },
};

test('exact values: arrays are alternatives, numbers by value, null and booleans', () => {
  assert.ok(matches({ source: ['com.example.orders'] }, event));
  assert.ok(matches({ source: ['other', 'com.example.orders'] }, event));
  assert.ok(!matches({ source: ['other'] }, event));
  assert.ok(matches({ detail: { count: [5.0] } }, event));
  assert.ok(!matches({ detail: { count: ['5'] } }, event), 'a string is not a number');
  assert.ok(matches({ detail: { ok: [true], none: [null] } }, event));
  assert.ok(!matches({ detail: { missing: [null] } }, event), 'null does not match an absent field');
  assert.ok(matches({ source: ['com.example.orders'], 'detail-type': ['Order Placed'] }, event), 'all fields must match');
  assert.ok(!matches({ source: ['com.example.orders'], 'detail-type': ['Other'] }, event));
});

test('nested fields and matching inside arrays', () => {
  assert.ok(matches({ detail: { location: { city: ['Paris'] } } }, event));
  assert.ok(!matches({ detail: { location: { city: ['Lyon'] } } }, event));
  assert.ok(matches({ resources: ['arn:aws:s3:::bucket-b'] }, event), 'any element of an array');
  assert.ok(matches({ detail: { tags: ['b', 'z'] } }, event));
  assert.ok(matches({ detail: { items: { sku: ['y'] } } }, event), 'objects in an array');
  assert.ok(!matches({ detail: { items: { sku: ['x'], qty: [3] } } }, event), 'both fields of one element');
  assert.ok(matches({ detail: { items: { sku: ['y'], qty: [3] } } }, event));
  assert.ok(!matches({ detail: { location: ['Paris'] } }, event), 'an object is not a leaf value');
});

test('prefix and suffix, plain and ignoring case', () => {
  assert.ok(matches({ source: [{ prefix: 'com.example' }] }, event));
  assert.ok(!matches({ source: [{ prefix: 'COM.example' }] }, event));
  assert.ok(matches({ source: [{ prefix: { 'equals-ignore-case': 'COM.EXAMPLE' } }] }, event));
  assert.ok(matches({ detail: { file: [{ suffix: '.jar' }] } }, event));
  assert.ok(matches({ detail: { file: [{ suffix: { 'equals-ignore-case': '.JAR' } }] } }, event));
  assert.ok(!matches({ detail: { count: [{ prefix: '5' }] } }, event), 'prefix applies to strings only');
});

test('anything-but: values, numbers, prefix, suffix, equals-ignore-case, wildcard', () => {
  assert.ok(matches({ detail: { state: [{ 'anything-but': 'stopped' }] } }, event));
  assert.ok(!matches({ detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } }, event));
  assert.ok(matches({ detail: { count: [{ 'anything-but': [1, 2] }] } }, event));
  assert.ok(!matches({ detail: { count: [{ 'anything-but': 5 }] } }, event));
  assert.ok(!matches({ detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, event));
  assert.ok(matches({ detail: { state: [{ 'anything-but': { prefix: 'stop' } }] } }, event));
  assert.ok(!matches({ detail: { file: [{ 'anything-but': { suffix: '.jar' } }] } }, event));
  assert.ok(!matches({ detail: { Name: [{ 'anything-but': { 'equals-ignore-case': ['ALICE', 'bob'] } }] } }, event));
  assert.ok(!matches({ detail: { file: [{ 'anything-but': { wildcard: 'dir/*' } }] } }, event));
  assert.ok(!matches({ detail: { missing: [{ 'anything-but': 'x' }] } }, event), 'an absent field is not anything but');
});

test('numeric ranges', () => {
  assert.ok(matches({ detail: { price: [{ numeric: ['>', 10, '<=', 11] }] } }, event));
  assert.ok(!matches({ detail: { price: [{ numeric: ['>', 10.5] }] } }, event));
  assert.ok(matches({ detail: { count: [{ numeric: ['=', 5] }] } }, event));
  assert.ok(matches({ detail: { count: [{ numeric: ['>=', 5, '<', 6] }] } }, event));
  assert.ok(!matches({ detail: { state: [{ numeric: ['>', 0] }] } }, event));
});

test('exists', () => {
  assert.ok(matches({ detail: { state: [{ exists: true }] } }, event));
  assert.ok(!matches({ detail: { missing: [{ exists: true }] } }, event));
  assert.ok(matches({ detail: { missing: [{ exists: false }] } }, event));
  assert.ok(!matches({ detail: { state: [{ exists: false }] } }, event));
  assert.ok(matches({ nothing: { deeper: [{ exists: false }] } }, event), 'absent parent object');
});

test('cidr, equals-ignore-case, wildcard', () => {
  assert.ok(matches({ detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, event));
  assert.ok(!matches({ detail: { ip: [{ cidr: '10.0.1.0/24' }] } }, event));
  assert.ok(matches({ detail: { ip6: [{ cidr: '2001:db8::/32' }] } }, event));
  assert.ok(matches({ detail: { Name: [{ 'equals-ignore-case': 'aLiCe' }] } }, event));
  assert.ok(matches({ detail: { file: [{ wildcard: 'dir/*.jar' }] } }, event));
  assert.ok(matches({ source: [{ wildcard: '*example*' }] }, event));
  assert.ok(!matches({ detail: { file: [{ wildcard: '*.war' }] } }, event));
});

test('$or', () => {
  assert.ok(matches({ $or: [{ source: ['nope'] }, { detail: { count: [5] } }] }, event));
  assert.ok(!matches({ $or: [{ source: ['nope'] }, { detail: { count: [6] } }] }, event));
  assert.ok(matches({ detail: { $or: [{ state: ['x'] }, { ok: [true] }] } }, event));
});

test('invalid patterns answer AWS\'s reasons', () => {
  assert.match(refusal('[]'), /^Event pattern is not valid\. Reason: Filter is not an object/);
  assert.match(refusal('{}'), /Empty objects are not allowed/);
  assert.match(refusal('{"source":"x"}'), /"source" must be an object or an array/);
  assert.match(refusal('{"source":[]}'), /Empty arrays are not allowed/);
  assert.match(refusal('{"source":[{"prefix":1}]}'), /prefix match pattern must be a string/);
  assert.match(refusal('{"source":[{"suffix":["a"]}]}'), /suffix match pattern must be a string/);
  assert.match(refusal('{"source":[{"prefixx":"a"}]}'), /Unrecognized match type prefixx/);
  assert.match(refusal('{"source":[{"exists":"yes"}]}'), /exists match pattern must be either true or false\./);
  assert.match(refusal('{"source":[{"numeric":[">",5,">",6]}]}'), /Bad numeric range/);
  assert.match(refusal('{"source":[{"numeric":[">",6,"<",5]}]}'), /Bad numeric range/);
  assert.match(refusal('{"source":[{"numeric":["~",5]}]}'), /Unrecognized numeric range operator/);
  assert.match(refusal('{"source":[{"cidr":"10.0.0.0/40"}]}'), /Nonstandard IP address/);
  assert.match(refusal('{"source":[{"wildcard":"a**b"}]}'), /Consecutive wildcard characters/);
  assert.match(refusal('{"source":[{"anything-but":[true]}]}'), /Inside anything but list/);
  assert.match(refusal('{"$or":[{"a":["b"]}]}'), /\$or/);
  assert.match(refusal('{"source":[["x"]]}'), /Match value must be String, number, true, false, or null/);
  assert.match(refusal('{not json'), /^Event pattern is not valid\. Reason: /);
});
