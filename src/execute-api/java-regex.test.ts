import { test } from 'node:test';
import assert from 'node:assert/strict';
import { javaRegExp, javaReplace, javaSplit, translateJavaRegex } from './java-regex.js';
import { isLinear } from '../core/linear-regex.js';

test('Java regex syntax is translated to JavaScript', () => {
  assert.deepEqual(translateJavaRegex('(?i)a\\s+b'), { source: '[aA][ \\t\\n\\x0B\\f\\r]+[bB]', flags: '' }, '(?i) folds ASCII letters: no i flag on the linear engine');
  assert.deepEqual(translateJavaRegex('(?is)[a-fX_]\\x4a(?<nAme>z)\\k<nAme>\\Qq\\E'), { source: '[a-fA-FXx_]\\x4a(?<nAme>[zZ])\\k<nAme>[qQ]', flags: 's' });
  assert.deepEqual(translateJavaRegex('\\Qa.b*\\E+'), { source: 'a\\.b\\*+', flags: '' });
  assert.deepEqual(translateJavaRegex('[\\p{Digit}_]\\P{Upper}'), { source: '[0-9_][^A-Z]', flags: '' });
  assert.deepEqual(translateJavaRegex('a*+(?>b)c{2}+\\++'), { source: 'a*(?:b)c{2}\\++', flags: '' });
  assert.deepEqual(translateJavaRegex('[]a]'), { source: '[\\]a]', flags: '' }, 'a leading ] in a class is a literal in Java');
  assert.throws(() => translateJavaRegex('\\p{L}'), SyntaxError);
  assert.throws(() => translateJavaRegex('a\\'), SyntaxError);
});

test('Java regexes run on the linear engine; anchors keep their Java meaning', () => {
  for (const p of ['(a+)+$', '\\s+', '(?i)x|y', '\\Aa\\z']) assert.ok(isLinear(javaRegExp(p, 'global')), p);
  assert.ok(isLinear(javaRegExp('(a|aa)*b', 'whole')));
  assert.equal(javaRegExp('(?m)a$', 'whole').test('a\na'), false, 'matches() is the whole input even under (?m)');
  assert.equal(javaRegExp('(?m)a$\\s+a', 'whole').test('a\na'), true);
  assert.equal(javaRegExp('\\Aab\\z', 'find').test('xab'), false);
  assert.equal(javaRegExp('b\\Z', 'find').test('ab\n'), true);
});

test('Java replacement strings and split rules', () => {
  assert.equal(javaReplace('a1b22', '(\\d)', '<$1>', true), 'a<1>b<2><2>');
  assert.equal(javaReplace('abcdefghijk', '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)', '$11-$12', true), 'k-a2', '$12 is group 1 then "2" when there is no group 12');
  assert.equal(javaReplace('a', 'a', '\\$\\\\', true), '$\\');
  assert.equal(javaReplace('ab', '(x)?b', '[$1]', true), 'a[]', 'an unmatched group is empty');
  assert.throws(() => javaReplace('a', 'a', '$', true), /group index is missing/);
  assert.throws(() => javaReplace('a', 'a', '$x', true), /Illegal group reference/);
  assert.throws(() => javaReplace('a', 'a', '\\', true), /escaped/);
  assert.throws(() => javaReplace('a', 'a', '${n}', true), /No group with name/);
  assert.deepEqual(javaSplit('', ','), ['']);
  assert.deepEqual(javaSplit('boo:and:foo', 'o'), ['b', '', ':and:f']);
  assert.deepEqual(javaSplit('boo:and:foo', 'o', -1), ['b', '', ':and:f', '', '']);
  assert.deepEqual(javaSplit('boo:and:foo', ':', 2), ['boo', 'and:foo']);
  assert.deepEqual(javaSplit('abc', ''), ['a', 'b', 'c']);
  assert.deepEqual(javaSplit(',,', ','), []);
});
