import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conditionsHold, globMatch, inCidr, operatorHolds } from './iam-condition.js';

test('IpAddress: IPv4 and IPv6 CIDR blocks, bare addresses, IPv4-mapped callers; text that is no block never matches', () => {
  assert.ok(inCidr('10.0.0.0/8', '10.200.3.4'));
  assert.ok(!inCidr('10.0.0.0/8', '11.0.0.1'));
  assert.ok(inCidr('127.0.0.1/32', '127.0.0.1') && inCidr('127.0.0.1', '127.0.0.1') && !inCidr('127.0.0.1/32', '127.0.0.2'));
  assert.ok(inCidr('0.0.0.0/0', '203.0.113.9'));
  assert.ok(inCidr('2001:db8::/32', '2001:db8:1::7') && !inCidr('2001:db8::/32', '2001:db9::1'));
  assert.ok(inCidr('::1/128', '::1'));
  assert.ok(inCidr('192.0.2.0/24', '::ffff:192.0.2.44'));
  assert.ok(!inCidr('10.0.0.0/8', '::1') && !inCidr('::/0', '10.0.0.1'), 'families do not mix');
  for (const bad of ['10.0.0.0/33', '10.0.0/8', 'x', '10.0.0.0/8/1', '']) assert.ok(!inCidr(bad, '10.0.0.1'), bad);
});

test('a key absent from the request: false, except negated operators, …IfExists and Null', () => {
  for (const op of ['StringEquals', 'StringLike', 'IpAddress', 'Bool', 'DateLessThan', 'ArnLike', 'NumericEquals', 'ForAnyValue:StringEquals']) {
    assert.equal(operatorHolds(op, 'x', undefined), false, op);
  }
  for (const op of ['StringNotEquals', 'StringNotLike', 'NotIpAddress', 'ArnNotLike', 'StringEqualsIfExists', 'IpAddressIfExists', 'ForAllValues:StringEquals']) {
    assert.equal(operatorHolds(op, 'x', undefined), true, op);
  }
  assert.equal(operatorHolds('Null', 'true', undefined), true);
  assert.equal(operatorHolds('Null', 'false', undefined), false);
  assert.equal(operatorHolds('Null', 'false', 'v'), true);
});

test('values of a key are ORed, NORed for negated operators; IfExists checks a present key', () => {
  assert.ok(operatorHolds('StringEquals', ['a', 'b'], 'b'));
  assert.ok(!operatorHolds('StringNotEquals', ['a', 'b'], 'b'));
  assert.ok(operatorHolds('StringNotEquals', ['a', 'b'], 'c'));
  assert.ok(operatorHolds('StringLike', 'Mozilla/*', 'Mozilla/5.0') && !operatorHolds('StringLike', 'mozilla/*', 'Mozilla/5.0'));
  assert.ok(operatorHolds('StringEqualsIgnoreCase', 'ABC', 'abc'));
  assert.ok(!operatorHolds('StringEqualsIfExists', 'a', 'b'));
  assert.ok(operatorHolds('NotIpAddress', ['10.0.0.0/8', '192.168.0.0/16'], '127.0.0.1'));
  assert.ok(!operatorHolds('NotIpAddress', ['10.0.0.0/8', '127.0.0.0/8'], '127.0.0.1'));
  assert.ok(operatorHolds('Bool', 'false', 'false') && operatorHolds('Bool', false, 'false') && !operatorHolds('Bool', 'true', 'false'));
  assert.ok(operatorHolds('NumericLessThan', '10', '9') && !operatorHolds('NumericLessThan', '10', 'x'));
});

test('dates: ISO 8601 or epoch seconds on either side', () => {
  const now = '2026-11-26T12:00:00.000Z';
  assert.ok(operatorHolds('DateGreaterThan', '2026-01-01T00:00:00Z', now));
  assert.ok(!operatorHolds('DateLessThan', '2026-01-01T00:00:00Z', now));
  assert.ok(operatorHolds('DateLessThan', String(Date.parse('2027-01-01') / 1000), now));
  assert.ok(!operatorHolds('DateLessThan', 'not a date', now));
});

test('a condition element: operators and keys ANDed, key names case-insensitive; unknown operators never hold', () => {
  const context = (key: string) => ({ 'aws:sourceip': '127.0.0.1', 'aws:useragent': 'curl/8' } as Record<string, string>)[key];
  assert.ok(conditionsHold(undefined, context));
  assert.ok(conditionsHold({ IpAddress: { 'aws:SourceIp': '127.0.0.0/8' }, StringLike: { 'AWS:UserAgent': 'curl/*' } }, context));
  assert.ok(!conditionsHold({ IpAddress: { 'aws:SourceIp': '127.0.0.0/8' }, StringLike: { 'aws:UserAgent': 'wget/*' } }, context));
  assert.ok(conditionsHold({ StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }, context), 'absent key, negated operator');
  assert.ok(!conditionsHold({ StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } }, context));
  assert.ok(!conditionsHold({ StringFuzzy: { 'aws:UserAgent': 'curl/8' } }, context));
  assert.ok(!conditionsHold({ 'Sometimes:StringEquals': { 'aws:UserAgent': 'curl/8' } }, context));
});

test('StringLike: many wildcards against a long value answer in linear time, with the same matches', () => {
  const started = Date.now();
  assert.equal(globMatch('a*a*a*a*a*a*a*b', 'a'.repeat(20_000)), false);
  assert.equal(globMatch('*a*a*a*a*a*a*?c', `${'a'.repeat(20_000)}bc`), true);
  assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
  assert.equal(globMatch('arn:aws:s3:::bucket/{x}.*', 'arn:aws:s3:::bucket/{x}.txt'), true, 'regex characters stay literal');
  assert.equal(globMatch('a?c', 'a\nc'), true);
  assert.equal(globMatch('a?c', 'ac'), false);
  const cases: [string, string, boolean][] = [
    ['', '', true], ['', 'a', false], ['*', '', true], ['?', '', false], ['**', 'ab', true], ['*?', '', false], ['*?', 'a', true],
    ['a*b*c', 'aXbYc', true], ['a*b*c', 'acb', false], ['*ab', 'aab', true], ['*ab', 'aba', false], ['a*?b', 'ab', false], ['a*?b', 'axb', true],
    ['arn:aws:execute-api:*:*:abc/*/GET/*', 'arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/pets/7', true],
    ['arn:aws:execute-api:*:*:abc/*/GET/*', 'arn:aws:execute-api:us-east-1:000000000000:abc/prod/POST/pets', false],
  ];
  for (const [pattern, value, expected] of cases) assert.equal(globMatch(pattern, value), expected, `${pattern} ~ ${value}`);
});
