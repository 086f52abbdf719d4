// User and filter-pattern regexes on the linear-time engine: same matches, no catastrophic backtracking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLinear, linearRegExp, userRegExp } from './linear-regex.js';

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

test('counted groups are split as one atom', () => {
  const re = linearRegExp('^(?:ab){20}$');
  assert.equal(re.test('ab'.repeat(20)), true);
  assert.equal(re.test('ab'.repeat(19)), false);
  assert.equal(re.test(`${'ab'.repeat(19)}a`), false);
  const captured = linearRegExp('^x(a|bc){2,18}y$');
  assert.equal(captured.test(`x${'bc'.repeat(18)}y`), true);
  assert.equal(captured.test(`x${'a'.repeat(19)}y`), false);
  assert.equal(captured.test('xay'), false);
  assert.equal(linearRegExp('^[a{]{17}$').test('{'.repeat(17)), true, 'a brace inside a class is no count');
});

test('user regexes run on the linear engine whenever it can run them', () => {
  for (const [source, flags] of [['^(?:(a+)+$)$', ''], ['^(?:[a-z]+)$', 's'], ['^\\d{3}-\\d{40}$', ''], ['^(a+)+$', 'u']]) {
    assert.equal(isLinear(userRegExp(source, flags)), true, `/${source}/${flags}`);
  }
  const started = Date.now();
  assert.equal(userRegExp('^(?:(a+)+$)$').test(`${'a'.repeat(40)}!`), false);
  assert.equal(userRegExp('^(a|aa)+$', 'u').test(`${'a'.repeat(5_000)}!`), false);
  assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
});

test('what the linear engine cannot run still works, on the backtracking engine', () => {
  const backreference = userRegExp('^(?:(a)\\1+!)$');
  assert.equal(isLinear(backreference), false);
  assert.equal(backreference.test('aaa!'), true);
  const lookahead = userRegExp('^(?=.*\\d)[a-z0-9]+$');
  assert.equal(isLinear(lookahead), false);
  assert.equal(lookahead.test('abc1'), true);
  assert.equal(lookahead.test('abc'), false);
  // \p{…} means something only with the u flag, which the linear engine does not take.
  const letters = userRegExp('^\\p{L}+$', 'u');
  assert.equal(isLinear(letters), false);
  assert.equal(letters.test('héllo'), true);
  assert.throws(() => userRegExp('('), SyntaxError);
  assert.throws(() => userRegExp('\\-', 'u'), SyntaxError, 'what the u flag refuses stays refused');
});
