import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue, Item } from '../attribute-value.js';
import { expressions } from './index.js';
import { compileCondition, matches, refuses, scopeOf } from './test-helpers.js';

const item: Item = {
  id: { S: 'abc' },
  n: { N: '10' },
  s: { S: 'hello world' },
  b: { B: Buffer.from('xyz').toString('base64') },
  ss: { SS: ['red', 'blue'] },
  ns: { NS: ['1', '2.5'] },
  l: { L: [{ S: 'x' }, { N: '3' }, { M: { deep: { S: 'd' } } }] },
  m: { M: { child: { M: { v: { N: '7' } } }, 'dotted.key': { BOOL: true } } },
  nothing: { NULL: true },
  flag: { BOOL: false },
};

const v = (value: AttributeValue): Record<string, AttributeValue> => ({ ':v': value });

test('comparators on numbers, strings and binaries', () => {
  assert.equal(matches('n = :v', item, v({ N: '10.0' })), true);
  assert.equal(matches('n <> :v', item, v({ N: '10' })), false);
  assert.equal(matches('n < :v', item, v({ N: '9' })), false);
  assert.equal(matches('n <= :v', item, v({ N: '10' })), true);
  assert.equal(matches('n > :v', item, v({ N: '9' })), true);
  assert.equal(matches('n >= :v', item, v({ N: '11' })), false);
  assert.equal(matches('s > :v', item, v({ S: 'hello' })), true);
  assert.equal(matches('b < :v', item, v({ B: Buffer.from('xz').toString('base64') })), true);
  assert.equal(matches(':v = n', item, v({ N: '10' })), true);
});

test('comparisons across types, with missing attributes and on unordered types', () => {
  assert.equal(matches('n = :v', item, v({ S: '10' })), false);
  assert.equal(matches('n <> :v', item, v({ S: '10' })), true);
  assert.equal(matches('n < :v', item, v({ S: '99' })), false);
  assert.equal(matches('absent = :v', item, v({ S: 'x' })), false);
  assert.equal(matches('absent <> :v', item, v({ S: 'x' })), true);
  assert.equal(matches('absent <> gone', item), true);
  assert.equal(matches('absent = gone', item), false);
  assert.equal(matches('flag < nothing', item), false);
  assert.equal(matches('ss > l', item), false);
  refuses(
    () => compileCondition('flag < :v', v({ BOOL: true })),
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL',
  );
  assert.equal(matches('ss = :v', item, v({ SS: ['blue', 'red'] })), true);
  assert.equal(matches('id = :v', undefined, v({ S: 'abc' })), false);
});

test('BETWEEN and IN', () => {
  assert.equal(matches('n BETWEEN :a AND :b', item, { ':a': { N: '10' }, ':b': { N: '20' } }), true);
  assert.equal(matches('n between :a and :b', item, { ':a': { N: '11' }, ':b': { N: '20' } }), false);
  assert.equal(matches('s BETWEEN :a AND :b', item, { ':a': { S: 'a' }, ':b': { S: 'z' } }), true);
  assert.equal(matches('n BETWEEN :a AND :b', item, { ':a': { S: 'a' }, ':b': { S: 'z' } }), false);
  assert.equal(matches('n IN (:a, :b)', item, { ':a': { N: '1' }, ':b': { N: '10' } }), true);
  assert.equal(matches('n IN (:a)', item, { ':a': { N: '1' } }), false);
  refuses(
    () => compileCondition('n BETWEEN :a AND :b', { ':a': { N: '5' }, ':b': { N: '1' } }),
    'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}',
  );
  refuses(
    () => compileCondition('n BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { S: 'a' } }),
    'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}',
  );
  refuses(
    () => compileCondition('n BETWEEN n AND :b', { ':b': { N: '1' } }),
    'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: BETWEEN, first operand: [n]',
  );
  const values: Record<string, AttributeValue> = {};
  for (let i = 0; i < 100; i++) values[`:v${i}`] = { N: String(i) };
  assert.equal(matches(`n IN (${Object.keys(values).join(', ')})`, item, values), true);
  values[':v100'] = { N: '100' };
  refuses(
    () => compileCondition(`n IN (${Object.keys(values).join(', ')})`, values),
    'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101',
  );
});

test('attribute_exists, attribute_not_exists and attribute_type', () => {
  assert.equal(matches('attribute_exists(id)', item), true);
  assert.equal(matches('attribute_exists(nope)', item), false);
  assert.equal(matches('attribute_not_exists(nope)', undefined), true);
  assert.equal(matches('attribute_exists(m.child.v)', item), true);
  assert.equal(matches('attribute_exists(l[5])', item), false);
  assert.equal(matches('attribute_type(n, :v)', item, v({ S: 'N' })), true);
  assert.equal(matches('attribute_type(nothing, :v)', item, v({ S: 'NULL' })), true);
  assert.equal(matches('attribute_type(ss, :v)', item, v({ S: 'L' })), false);
  refuses(
    () => compileCondition('attribute_type(n, :v)', v({ N: '1' })),
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N',
  );
  refuses(
    () => compileCondition('attribute_exists(:v)', v({ S: 'a' })),
    'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists',
  );
});

test('begins_with, contains and size', () => {
  assert.equal(matches('begins_with(s, :v)', item, v({ S: 'hell' })), true);
  assert.equal(matches('begins_with(s, :v)', item, v({ S: 'world' })), false);
  assert.equal(matches('begins_with(b, :v)', item, v({ B: Buffer.from('xy').toString('base64') })), true);
  assert.equal(matches('begins_with(n, :v)', item, v({ S: '1' })), false);
  assert.equal(matches('contains(s, :v)', item, v({ S: 'o w' })), true);
  assert.equal(matches('contains(ss, :v)', item, v({ S: 'red' })), true);
  assert.equal(matches('contains(ns, :v)', item, v({ N: '2.50' })), true);
  assert.equal(matches('contains(ss, :v)', item, v({ N: '1' })), false);
  assert.equal(matches('contains(l, :v)', item, v({ N: '3' })), true);
  assert.equal(matches('contains(s, id)', { s: { S: 'xabcx' }, id: { S: 'abc' } }), true);
  assert.equal(matches('size(s) = :v', item, v({ N: '11' })), true);
  assert.equal(matches('size(u) = :v', { u: { S: 'é\u{1D11E}' } }, v({ N: '3' })), true);
  assert.equal(matches('size(ss) = :v', item, v({ N: '2' })), true);
  assert.equal(matches('size(l) > :v', item, v({ N: '2' })), true);
  assert.equal(matches('size(m) = :v', item, v({ N: '2' })), true);
  assert.equal(matches('size(b) = :v', item, v({ N: '3' })), true);
  assert.equal(matches('size(n) = :v', item, v({ N: '2' })), false);
  assert.equal(matches('size(nope) < :v', item, v({ N: '2' })), false);
  refuses(
    () => compileCondition('begins_with(s, :v)', v({ N: '1' })),
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
  );
  refuses(
    () => compileCondition('begins_with(s)'),
    'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1',
  );
  refuses(() => compileCondition('size(s)'), 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size');
  refuses(
    () => compileCondition('n = attribute_exists(s)'),
    'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists',
  );
  refuses(() => compileCondition('frobnicate(s)'), 'Invalid ConditionExpression: Invalid function name; function: frobnicate');
  refuses(
    () => compileCondition('if_not_exists(s, :v)', v({ S: 'a' })),
    'Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists',
  );
  refuses(
    () => compileCondition('attribute_type(n, :v)', v({ S: 'STRING' })),
    'Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}',
  );
  assert.equal(matches('begins_with(:v, :w)', item, { ':v': { S: 'abc' }, ':w': { S: 'ab' } }), true);
});

test('precedence: NOT binds tighter than AND, AND tighter than OR; parentheses group', () => {
  const yes = { ':t': { BOOL: true } };
  const t = { a: { BOOL: true }, b: { BOOL: true } };
  const f = { a: { BOOL: true } };
  // a OR (b AND c): true because a holds.
  assert.equal(matches('a = :t OR b = :t AND c = :t', f, yes), true);
  assert.equal(matches('(a = :t OR b = :t) AND c = :t', f, yes), false);
  // NOT a AND b reads (NOT a) AND b.
  assert.equal(matches('NOT a = :t AND b = :t', t, yes), false);
  assert.equal(matches('NOT (a = :t AND c = :t)', t, yes), true);
  refuses(() => matches('NOT NOT a = :t', t, yes), 'Invalid ConditionExpression: Syntax error; token: "NOT", near: "NOT NOT a"');
  assert.equal(matches('NOT (NOT a = :t)', t, yes), true);
  assert.equal(matches('c = :t OR NOT c = :t', t, yes), true);
  assert.equal(matches('a = :t AND (b = :t OR c = :t) AND NOT c = :t', t, yes), true);
  // Parentheses may also wrap an operand.
  assert.equal(matches('(a) = :t AND (b = (:t))', t, yes), true);
  assert.equal(matches('(size(a)) BETWEEN (:one) AND :one', { a: { S: 'x' } }, { ':one': { N: '1' } }), true);
});

test('document paths: nested maps, list indexes and #name placeholders', () => {
  assert.equal(matches('m.child.v = :v', item, v({ N: '7' })), true);
  assert.equal(matches('l[2].deep = :v', item, v({ S: 'd' })), true);
  assert.equal(matches('l[0] = :v', item, v({ S: 'x' })), true);
  assert.equal(matches('m.#k = :v', item, v({ BOOL: true }), { '#k': 'dotted.key' }), true);
  assert.equal(matches('#m.#i.v = :v', item, v({ N: '7' }), { '#m': 'm', '#i': 'child' }), true);
  assert.equal(matches('n[0] = :v', item, v({ N: '10' })), false);
  assert.equal(matches('s.x = :v', item, v({ N: '10' })), false);
});

test('reserved words, undefined placeholders, syntax errors and empty expressions', () => {
  refuses(() => compileCondition('name = :v', v({ S: 'a' })), 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name');
  refuses(() => compileCondition('a.Size = :v', v({ S: 'a' })), 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Size');
  refuses(() => compileCondition('a = :x', v({ S: 'a' })), 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x');
  refuses(() => compileCondition('#x = :v', v({ S: 'a' })), 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x');
  refuses(() => compileCondition('a = :v AND', v({ S: 'a' })), 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"');
  refuses(() => compileCondition('a == :v', v({ S: 'a' })), 'Invalid ConditionExpression: Syntax error; token: "=", near: "== :v"');
  refuses(() => compileCondition('begins_with(a, G_M#)'), 'Invalid ConditionExpression: Syntax error; token: "#", near: "G_M#)"');
  refuses(() => compileCondition('contains()'), 'Invalid ConditionExpression: Syntax error; token: ")", near: "()"');
  refuses(() => compileCondition('_a = :v', v({ S: 'a' })), 'Invalid ConditionExpression: Syntax error; token: "_a", near: "_a ="');
  refuses(() => compileCondition('a = :v AND AND', v({ S: 'a' })), 'Invalid ConditionExpression: Syntax error; token: "AND", near: "AND AND"');
  // Redundant parentheses come first, then unknown functions, then reserved words.
  refuses(() => compileCondition('((name = :x)) AND foo(a)'), 'Invalid ConditionExpression: The expression has redundant parentheses;');
  refuses(() => compileCondition('name = :x AND foo(a)'), 'Invalid ConditionExpression: Invalid function name; function: foo');
  refuses(
    () => compileCondition('begins_with(a, a)'),
    'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [a]',
  );
  refuses(
    () => compileCondition('attribute_type(a, b)'),
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}',
  );
  refuses(
    () => compileCondition('size(:v) > :v', v({ N: '1' })),
    'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N',
  );
  assert.equal(matches('size(:w) = :v', item, { ':w': { S: 'abc' }, ':v': { N: '3' } }), true);
  refuses(() => compileCondition('   '), 'Invalid ConditionExpression: The expression can not be empty;');
  refuses(() => compileCondition('((a = :v))', v({ S: 'a' })), 'Invalid ConditionExpression: The expression has redundant parentheses;');
  refuses(() => compileCondition('((a)) = :v', v({ S: 'a' })), 'Invalid ConditionExpression: The expression has redundant parentheses;');
  refuses(
    () => compileCondition('a = a'),
    'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]',
  );
  // A reserved word is reported before an undefined placeholder that comes first.
  refuses(() => compileCondition('a = :x AND name = :v', v({ S: 'a' })), 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name');
  refuses(
    () => expressions.condition('', 'FilterExpression', scopeOf()),
    'Invalid FilterExpression: The expression can not be empty;',
  );
});
