import { test } from 'node:test';
import assert from 'node:assert/strict';
import { javaMatches, javaRegExp, javaReplace, javaSplit, translateJavaRegex } from './java-regex.js';
import { isLinear } from '../core/linear-regex.js';

test('Java regex syntax is translated to JavaScript', () => {
  assert.deepEqual(translateJavaRegex('(?i)a\\s+b'), { source: '[Aa][\\x09-\\x0d\\x20]+[Bb]', flags: '', tails: [] }, '(?i) folds ASCII letters: no i flag on the linear engine');
  assert.equal(translateJavaRegex('(?is)[a-fX_]\\x4a(?<nAme>z)\\k<nAme>\\Qq\\E').source, '[A-FX_a-fx][Jj](?<nAme>[Zz])\\k<nAme>[Qq]');
  assert.equal(translateJavaRegex('\\Qa.b*\\E+').source, 'a\\x2eb\\x2a+');
  assert.equal(translateJavaRegex('[\\p{Digit}_]\\P{Upper}').source, '[0-9_](?:[\\ud800-\\udbff][\\udc00-\\udfff]|[^A-Z\\ud800-\\udfff])', 'a negated class matches a surrogate pair as one character, never half of one');
  assert.equal(translateJavaRegex('a*+(?>b)c{2}+\\++').source, 'a*(?:b)c{2}\\x2b+');
  assert.equal(translateJavaRegex('[]a]').source, '[\\x5da]', 'a leading ] in a class is a literal in Java');
  assert.equal(translateJavaRegex('\\x{1F600}+').source, '(?:\\ud83d[\\ude00])+', 'a code point beyond the BMP is quantified whole');
  for (const bad of ['\\p{Foo}', '\\p{IsFoo}', '\\p{InFoo}', '\\p{sc=Foo}', 'a\\', 'a{', '[a', '(a', 'a)', '\\X', '\\G', '(?q)']) {
    assert.throws(() => translateJavaRegex(bad), SyntaxError, bad);
  }
});

test('character classes: unions, intersections and negation as java.util.regex.Pattern', () => {
  const all = (p: string, s: string) => javaReplace(s, p, '*', true);
  assert.equal(all('[a-d[m-p]]', 'abemnq'), '**e**q', 'union');
  assert.equal(all('[a-z&&[def]]', 'abdefg'), 'ab***g', 'intersection');
  assert.equal(all('[a-z&&[^bc]]', 'abcdZ'), '*bc*Z', 'subtraction');
  assert.equal(all('[a-z&&[^m-p]]', 'lmpq'), '*mp*');
  assert.equal(all('[a-z&&def]', 'adz'), 'a*z', 'an operand without brackets');
  assert.equal(all('[\\w&&[^\\d_]]', 'a1_B'), '*1_*');
  assert.equal(all('[a-z&&[^aeiou]&&[^xyz]]', 'bexy'), '*exy', 'several intersections');
  assert.equal(all('[^a[b]]', 'abc'), 'ab*', 'the negation covers the nested class (Java 9 and later)');
  assert.equal(all('[^a-z&&[^d]]', 'adZ'), 'a**');
  assert.equal(all('(?i)[a-c&&[^B]]', 'aAbBcC'), '**bB**', 'folded before the intersection');
  assert.equal(all('[\\p{L}&&[^\\p{IsLatin}]]', 'aαжZ'), 'a**Z');
  assert.equal(all('[^a]', 'a\u{1F600}'), 'a*', 'a character beyond the BMP is one character');
  assert.equal(all('[😀-😂]', 'x😁y'), 'x*y');
  assert.equal(javaRegExp('[a-z&&[^aeiou]]+', 'whole').test('bcd'), true);
  assert.equal(javaRegExp('[a-z&&[^aeiou]]+', 'whole').test('bad'), false);
});

test('inline flags anywhere in the pattern, scoped as Java scopes them', () => {
  const first = (p: string, s: string) => javaReplace(s, p, '_', false);
  assert.equal(first('a(?i)b', 'aBc'), '_c');
  assert.equal(first('a(?i)b', 'ABc'), 'ABc', 'a is still case-sensitive');
  assert.equal(first('(?i:ab)c', 'ABc'), '_');
  assert.equal(first('(?i:ab)c', 'ABC'), 'ABC', 'the flag ends with its group');
  assert.equal(first('(a(?i)b)c', 'aBc'), '_', '(?i) inside a group lasts to its end');
  assert.equal(first('(a(?i)b)c', 'aBC'), 'aBC');
  assert.equal(first('(?i)a(?-i)b', 'Ab'), '_');
  assert.equal(first('(?i)a(?-i)b', 'AB'), 'AB');
  assert.equal(first('(?i)x|y', 'Y'), '_', 'a flag lasts across alternatives');
  assert.equal(first('a(?s:.)b(.)', 'a\nb\n'), 'a\nb\n', '(?s:…) is scoped');
  assert.equal(first('a(?s:.)b', 'a\nb'), '_');
  assert.equal(javaReplace('a\nb\n', 'x|(?m)b$', '_', true), 'a\n_\n', '(?m) mid-pattern');
  assert.equal(first('(?iu)k', '\u212a'), '_', 'UNICODE_CASE: the Kelvin sign is a k');
  assert.equal(first('(?i)k', '\u212a'), '\u212a', 'without it only ASCII folds');
  assert.equal(first('(?x) a b # comment\n c', 'abc'), '_', 'COMMENTS');
  assert.equal(first('(?d).', '\r'), '_', 'UNIX_LINES: only \\n ends a line');
});

test('Unicode categories, scripts, blocks, binary and java… properties', () => {
  const all = (p: string, s: string) => javaReplace(s, p, '*', true);
  assert.equal(all('\\p{L}+', 'Ünï 42 żółw'), '* 42 *');
  assert.equal(all('\\pL', 'a1'), '*1', 'a one-letter name without braces');
  assert.equal(all('\\p{Lu}', 'aÄb'), 'a*b');
  assert.equal(all('(?i)\\p{Lu}', 'aÄ1'), '**1', 'Lu under CASE_INSENSITIVE is every cased letter, as Java');
  assert.equal(all('\\p{IsAlphabetic}+', 'x² Ⅻ'), '*² *');
  assert.equal(all('\\p{IsLatin}+', 'abc αβγ'), '* αβγ');
  assert.equal(all('\\p{IsGreek}+|\\p{script=Cyrillic}+', 'αβ жз ab'), '* * ab');
  assert.equal(all('\\p{InGreek}', 'αa'), '*a', 'a block');
  assert.equal(all('\\p{InBasicLatin}|\\p{block=Latin-1 Supplement}|\\p{InLATIN_EXTENDED_A}', 'aéŁж'), '***ж', 'the block names Java accepts');
  assert.equal(all('\\p{javaLowerCase}', 'aA'), '*A');
  assert.equal(all('\\p{javaWhitespace}', 'a\u00a0\u2003'), 'a\u00a0*', 'no-break spaces are not Java whitespace');
  assert.equal(all('\\P{L}', 'a1\u{10400}\u{1F600}'), 'a*\u{10400}*', '\\P{…} across the whole code space');
  assert.equal(all('\\p{Alpha}', 'aé'), '*é', 'the POSIX classes stay ASCII');
  assert.equal(all('\\p{IsPunctuation}', '!¿'), '**');
  assert.equal(all('\\p{gc=Nd}', '1٣'), '**');
});

test('large Unicode classes run over a rewritten input, with the same matches and groups', () => {
  const text = 'Ünïcode 😀 Ωμέγα \u{10400}x Жук 42\n'.repeat(2000);
  const words = javaReplace(text, '\\p{L}+', 'w', true);
  assert.equal(words.slice(0, 14), 'w 😀 w w w 42\n', 'U+10400 is a letter: 𐐀x is one word');
  assert.equal(javaReplace('Ωμέγα Жук', '(\\p{Lu})(\\p{Ll}+)', '$2$1', true), 'μέγαΩ укЖ', 'groups are found again in the input itself');
  assert.equal(javaReplace('a😀b\u{10400}', '[^\\p{L}]', '_', true), 'a_b\u{10400}');
  assert.deepEqual(javaSplit('αβ, γδ;ε', '[\\p{P}\\s]+'), ['αβ', 'γδ', 'ε']);
  assert.equal(javaReplace('end\u2028', '\\p{L}+$', 'E', true), 'E\u2028', 'with a final $ too');
  assert.equal(javaMatches('Ωμέγα', '\\p{IsGreek}+'), true);
  assert.equal(javaMatches('Ωμέγαx', '\\p{IsGreek}+'), false);
  const start = performance.now();
  javaReplace('héllo wörld 😀 '.repeat(20000), '(\\p{L}+)+$', 'x', true);
  assert.ok(performance.now() - start < 5000, 'a nested quantifier over a Unicode class stays linear and quick');
});

test('`$` before a final line terminator and `.` that stops at every Java line terminator', () => {
  assert.equal(javaReplace('a\n', '$', 'X', true), 'aX\nX', '$ matches before the final terminator and at the end');
  assert.equal(javaReplace('ab\r\n', 'b$', '<$0>', true), 'a<b>\r\n', '\\r\\n is one terminator');
  assert.equal(javaReplace('ab\n', '(b)$', '[$1]', true), 'a[b]\n', 'the capture groups stay Java\'s');
  assert.equal(javaReplace('ab\u2028', 'b$', 'B', true), 'aB\u2028');
  assert.equal(javaReplace('ab\nc', 'b$', 'B', true), 'ab\nc', 'only a final terminator');
  assert.equal(javaReplace('ab\n', 'b\\Z', 'Z', true), 'aZ\n');
  assert.equal(javaReplace('ab\n', 'b\\z', 'Z', true), 'ab\n');
  assert.deepEqual(javaSplit('a1b\n', '\\d|$'), ['a', 'b', '\n']);
  assert.equal(javaRegExp('a$', 'whole').test('a\n'), false, 'matches() is still the whole input');
  for (const t of ['\n', '\r', '\u0085', '\u2028', '\u2029']) assert.equal(javaReplace(`a${t}b`, '.', 'x', true), `x${t}x`, JSON.stringify(t));
  assert.equal(javaReplace('a\u0085b', '(?s).', 'x', true), 'xxx', 'DOTALL');
  assert.equal(javaReplace('\u{1F600}', '.', 'x', true), 'x', 'a surrogate pair is one character');
});

test('Java regexes run on the linear engine; anchors keep their Java meaning', () => {
  for (const p of ['(a+)+$', '\\s+', '(?i)x|y', '\\Aa\\z', '[a-z&&[^e]]+$', 'a(?i)b(?s:.)', '\\p{L}+\\P{IsLatin}', '(\\p{InGreek}+)+$']) {
    assert.ok(isLinear(javaRegExp(p, 'global')), p);
  }
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
