import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue, Item } from '../attribute-value.js';
import { expressions, updatedAttributes } from './index.js';
import { refuses, scopeOf } from './test-helpers.js';

function update(expression: string, item: Item, values?: Record<string, AttributeValue>, names?: Record<string, string>): Item {
  return expressions.update(expression, scopeOf(values, names)).apply(item);
}

function compile(expression: string, values?: Record<string, AttributeValue>, names?: Record<string, string>): void {
  expressions.update(expression, scopeOf(values, names));
}

test('SET assigns top-level and nested attributes and list elements', () => {
  const item: Item = { m: { M: { a: { N: '1' } } }, l: { L: [{ S: 'a' }, { S: 'b' }] } };
  const result = update('SET x = :s, m.b = :n, l[1] = :s, l[9] = :n', item, { ':s': { S: 'z' }, ':n': { N: '2' } });
  assert.deepEqual(result, {
    x: { S: 'z' },
    m: { M: { a: { N: '1' }, b: { N: '2' } } },
    l: { L: [{ S: 'a' }, { S: 'z' }, { N: '2' }] },
  });
  // The original is untouched.
  assert.deepEqual(item.l, { L: [{ S: 'a' }, { S: 'b' }] });
});

test('SET arithmetic, if_not_exists and list_append', () => {
  const item: Item = { n: { N: '10' }, l: { L: [{ N: '1' }] } };
  const values = { ':one': { N: '1' }, ':half': { N: '0.5' }, ':l': { L: [{ N: '2' }] } };
  assert.deepEqual(
    update('SET a = n + :one, b = n - :half, c = if_not_exists(n, :one), d = if_not_exists(nope, :half), l = list_append(l, :l)', item, values),
    { n: { N: '10' }, a: { N: '11' }, b: { N: '9.5' }, c: { N: '10' }, d: { N: '0.5' }, l: { L: [{ N: '1' }, { N: '2' }] } },
  );
  assert.deepEqual(update('SET l = list_append(:l, l)', item, { ':l': { L: [{ N: '0' }] } }).l, { L: [{ N: '0' }, { N: '1' }] });
  assert.deepEqual(update('SET c = if_not_exists(c, :z) + :one', {}, { ':z': { N: '0' }, ':one': { N: '1' } }), { c: { N: '1' } });
  assert.deepEqual(update('SET a = (n + :one), b = (n) - :one, c = n + (:one)', { n: { N: '1' } }, { ':one': { N: '1' } }), {
    n: { N: '1' }, a: { N: '2' }, b: { N: '0' }, c: { N: '2' },
  });
  // Every operand reads the item as it was before the update.
  assert.deepEqual(update('SET a = b, b = a', { a: { S: 'A' }, b: { S: 'B' } }), { a: { S: 'B' }, b: { S: 'A' } });
});

test('REMOVE drops attributes, map entries and list elements by their original index', () => {
  const item: Item = { a: { S: '1' }, m: { M: { x: { S: 'x' }, y: { S: 'y' } } }, l: { L: [{ N: '0' }, { N: '1' }, { N: '2' }, { N: '3' }] } };
  assert.deepEqual(update('REMOVE a, m.x, l[1], l[3], l[7], nope', item), {
    m: { M: { y: { S: 'y' } } },
    l: { L: [{ N: '0' }, { N: '2' }] },
  });
});

test('ADD adds numbers and unites sets, creating missing attributes', () => {
  const item: Item = { n: { N: '1.5' }, ss: { SS: ['a'] }, ns: { NS: ['1'] } };
  assert.deepEqual(update('ADD n :n, ss :ss, ns :ns, fresh :n', item, { ':n': { N: '2' }, ':ss': { SS: ['a', 'b'] }, ':ns': { NS: ['1.0', '2'] } }), {
    n: { N: '3.5' },
    ss: { SS: ['a', 'b'] },
    ns: { NS: ['1', '2'] },
    fresh: { N: '2' },
  });
  refuses(() => update('ADD ss :n', item, { ':n': { N: '1' } }), 'An operand in the update expression has an incorrect data type');
  refuses(() => update('ADD ns :s', item, { ':s': { SS: ['x'] } }), 'An operand in the update expression has an incorrect data type');
});

test('DELETE removes set members; an emptied set goes away', () => {
  const item: Item = { ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2'] } };
  assert.deepEqual(update('DELETE ss :a, ns :n', item, { ':a': { SS: ['a', 'z'] }, ':n': { NS: ['1', '2.0'] } }), { ss: { SS: ['b'] } });
  assert.deepEqual(update('DELETE nope :a', item, { ':a': { SS: ['a'] } }), item);
  refuses(() => update('DELETE ss :n', item, { ':n': { NS: ['1'] } }), 'An operand in the update expression has an incorrect data type');
});

test('clauses combine in any order and case; each at most once', () => {
  const values = { ':c': { SS: ['a', 'b'] }, ':d': { N: '5' }, ':f': { L: [{ S: 'a' }] } };
  const result = update('remove b DELETE c :c add d :d SET f = :f', { b: { S: 'x' }, c: { SS: ['a', 'b', 'c'] } }, values);
  assert.deepEqual(result, { c: { SS: ['c'] }, d: { N: '5' }, f: { L: [{ S: 'a' }] } });
  assert.deepEqual(expressions.update('SET a = :d REMOVE b.c ADD #e :d', scopeOf(values, { '#e': 'e' })).topLevelNames, ['a', 'b', 'e']);
  refuses(() => compile('set a = :d set c = :d', { ':d': { N: '1' } }), 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
  refuses(() => compile('remove a set b = :d remove c', { ':d': { N: '1' } }), 'Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;');
});

test('paths that overlap or conflict are refused', () => {
  const names = { '#c': 'c', '#d': '[3]' };
  refuses(
    () => compile('set d[1] = a, c[1].a = a, #c = if_not_exists(a, b)', undefined, names),
    'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [1], a], path two: [c]',
  );
  refuses(
    () => compile('set #c[3].#d = a, #c[3] = a', undefined, names),
    'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]',
  );
  refuses(() => compile('set a = b remove a'), 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]');
  refuses(
    () => compile('remove a.#c set a[1] = b', undefined, { '#c': 'c' }),
    'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]',
  );
});

test('operands of the wrong type are refused before anything is read', () => {
  const values: Record<string, AttributeValue> = { ':s': { S: 'a' }, ':n': { N: '1' }, ':b': { B: 'YQ==' }, ':m': { M: {} }, ':l': { L: [] }, ':t': { BOOL: true }, ':z': { NULL: true } };
  const cases: [string, string][] = [
    ['add a :s', 'operator: ADD, operand type: STRING'],
    ['add a :b', 'operator: ADD, operand type: BINARY'],
    ['add a :m', 'operator: ADD, operand type: MAP'],
    ['add a :l', 'operator: ADD, operand type: LIST'],
    ['add a :t', 'operator: ADD, operand type: BOOLEAN'],
    ['add a :z', 'operator: ADD, operand type: NULL'],
    ['delete a :n', 'operator: DELETE, operand type: NUMBER'],
    ['set a = list_append(:s, a)', 'operator or function: list_append, operand type: S'],
    ['set a = a + :s', 'operator or function: +, operand type: S'],
    ['set a = :b - a', 'operator or function: -, operand type: B'],
  ];
  for (const [expression, detail] of cases) {
    refuses(() => compile(expression, values), `Invalid UpdateExpression: Incorrect operand type for operator or function; ${detail}`);
  }
});

test('what the item does not hold, or holds with the wrong type, is refused when applied', () => {
  const item: Item = { s: { S: 'x' }, m: { M: {} }, l: { L: [{ S: 'a' }] }, n: { N: '1' } };
  const values = { ':a': { SS: ['a'] }, ':n': { N: '1' } };
  refuses(() => update('SET c = b', item), 'The provided expression refers to an attribute that does not exist in the item');
  refuses(() => update('SET c = list_append(b, l)', item), 'The provided expression refers to an attribute that does not exist in the item');
  for (const expression of ['set s.a = :n', 'set s[1] = :n', 'set y.a = :n', 'set m[0] = :n', 'set l.a = :n', 'remove y.a', 'remove s[1]', 'add y.a :n', 'delete y[0] :a']) {
    refuses(() => update(expression, item, expression.includes(':a') ? { ':a': values[':a'] } : { ':n': values[':n'] }), 'The document path provided in the update expression is invalid for update');
  }
  refuses(() => update('SET x = s + :n', item, { ':n': { N: '1' } }), 'An operand in the update expression has an incorrect data type');
  refuses(() => update('SET x = list_append(s, l)', item), 'An operand in the update expression has an incorrect data type');
  refuses(() => update('ADD s :n', item, { ':n': { N: '1' } }), 'An operand in the update expression has an incorrect data type');
  assert.deepEqual(update('REMOVE m.absent', item), item);
});

test('functions, syntax, names and values in update expressions', () => {
  refuses(() => compile('set a = if_not_exists(c)'), 'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1');
  refuses(() => compile('set a = list_append(c)'), 'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1');
  refuses(() => compile('set a = if_not_exists(:a, c)', { ':a': { S: 'a' } }), 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists');
  refuses(() => compile('set a = if_not_exist(a, b)'), 'Invalid UpdateExpression: Invalid function name; function: if_not_exist');
  refuses(() => compile('set a = size(b)'), 'Invalid UpdateExpression: The function is not allowed in an update expression; function: size');
  const deep = `a${'.b'.repeat(32)}`;
  refuses(() => compile(`remove ${deep}`), 'Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 33');
  refuses(() => compile('set #c = if_not_exist(:c) set c = d'), 'Invalid UpdateExpression: Invalid function name; function: if_not_exist');
  refuses(() => compile(' set #c = :c set abOrt = d '), 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt');
  refuses(() => compile('set a = #c set c = :d'), 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
  refuses(() => compile('SET #c = :a'), 'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #c');
  refuses(() => compile('SET a = :c', { ':a': { S: 'a' } }), 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :c');
  refuses(() => compile(''), 'Invalid UpdateExpression: The expression can not be empty;');
  for (const expression of ['whatever', 'set a', 'set a = b * c', 'set a = b + c + d', 'remove a = b', 'delete a b', 'set :a = b', 'add a = b', 'set a[x] = b']) {
    assert.throws(() => compile(expression, { ':a': { S: 'a' } }), { message: /^Invalid UpdateExpression: Syntax error; token: "/ }, expression);
  }
  assert.throws(() => compile('set a = add'), { message: /Syntax error; token: "add"/ });
  assert.throws(() => compile('set a = (b + c) + d'), { message: /Syntax error; token: "\+"/ });
  assert.throws(() => compile('set a = (b.c).d + e'), { message: /Syntax error/ });
  // Reserved words come before unknown functions here, and path clashes before operand types.
  refuses(() => compile('set a = foo(b), c = name'), 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name');
  refuses(() => compile('add a :s set a = :s', { ':s': { S: 'x' } }), 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]');
  assert.deepEqual(update('SET _a = :s', {}, { ':s': { S: 'x' } }), { _a: { S: 'x' } });
  // Messages seen from DynamoDB itself.
  refuses(() => compile('ADD hits : incr'), 'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"');
  refuses(() => compile('INVALID SYNTAX HERE'), 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"');
  refuses(() => compile('set a'), 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"');
});

test('updatedAttributes selects what UPDATED_OLD and UPDATED_NEW return', () => {
  const values = { ':x': { S: 'x' }, ':one': { N: '1' } };
  const compiled = expressions.update('SET a.b = :x, a.c = :x ADD n :one REMOVE gone', scopeOf(values));
  const before: Item = { a: { M: { existing: { S: 'e' }, b: { S: 'old' } } }, n: { N: '1' }, gone: { S: 'g' }, other: { S: 'o' } };
  const after = compiled.apply(before);
  assert.deepEqual(updatedAttributes(compiled, before), { a: { M: { b: { S: 'old' } } }, n: { N: '1' }, gone: { S: 'g' } });
  assert.deepEqual(updatedAttributes(compiled, after), { a: { M: { b: { S: 'x' }, c: { S: 'x' } } }, n: { N: '2' } });
});
