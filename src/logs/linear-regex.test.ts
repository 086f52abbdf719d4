// Filter-pattern regexes on the linear-time engine: same matches, no catastrophic backtracking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearRegExp } from './linear-regex.js';

test('counted repetitions above 16 are split into runs with the same meaning', () => {
  const hex = linearRegExp('^[0-9a-f]{32}$');
  assert.equal(hex.test('0123456789abcdef0123456789abcdef'), true);
  assert.equal(hex.test('0123456789abcdef0123456789abcde'), false);
  const range = linearRegExp('^x\\d{2,40}y$');
  assert.equal(range.test(`x${'1'.repeat(2)}y`), true);
  assert.equal(range.test(`x${'1'.repeat(40)}y`), true);
  assert.equal(range.test(`x${'1'.repeat(41)}y`), false);
  assert.equal(range.test('x1y'), false);
  const open = linearRegExp('^a{20,}$');
  assert.equal(open.test('a'.repeat(19)), false);
  assert.equal(open.test('a'.repeat(500)), true);
  assert.equal(linearRegExp('^\\d{1,3}\\.\\d{1,3}$').test('10.200'), true);
  assert.equal(linearRegExp('^b{3}c{17}$').test(`bbb${'c'.repeat(17)}`), true);
});

test('patterns that backtrack for ever run in linear time', () => {
  const started = Date.now();
  assert.equal(linearRegExp('a*a*a*a*a*b').test('a'.repeat(200_000)), false);
  assert.equal(linearRegExp('^.*a.*a.*a.*b$', 's').test('a'.repeat(200_000)), false);
  assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
});
