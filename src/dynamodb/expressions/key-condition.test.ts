import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeValue } from '../attribute-value.js';
import { expressions, sortKeyMatches } from './index.js';
import { refuses, scopeOf } from './test-helpers.js';

const schema = { partition: 'pk', sort: 'sk' };
const values: Record<string, AttributeValue> = { ':p': { S: 'p' }, ':a': { N: '1' }, ':b': { N: '2' }, ':s': { S: 'pre' } };

function key(expression: string, keySchema: { partition: string; sort?: string } = schema, names?: Record<string, string>) {
  return expressions.keyCondition(expression, scopeOf(values, names), keySchema);
}

test('partition key equality alone, or with one sort key condition in either order', () => {
  assert.deepEqual(key('pk = :p'), { partition: { S: 'p' } });
  assert.deepEqual(key(':p = pk'), { partition: { S: 'p' } });
  assert.deepEqual(key('pk = :p AND sk = :a'), { partition: { S: 'p' }, sort: { op: '=', values: [{ N: '1' }] } });
  assert.deepEqual(key('sk < :a and pk = :p'), { partition: { S: 'p' }, sort: { op: '<', values: [{ N: '1' }] } });
  assert.deepEqual(key('pk = :p AND sk <= :a').sort?.op, '<=');
  assert.deepEqual(key('pk = :p AND sk > :a').sort?.op, '>');
  assert.deepEqual(key('pk = :p AND :a > sk').sort?.op, '<');
  assert.deepEqual(key('pk = :p AND sk >= :a').sort?.op, '>=');
  assert.deepEqual(key('pk = :p AND sk BETWEEN :a AND :b').sort, { op: 'BETWEEN', values: [{ N: '1' }, { N: '2' }] });
  assert.deepEqual(key('begins_with(sk, :s) AND pk = :p').sort, { op: 'BEGINS_WITH', values: [{ S: 'pre' }] });
  assert.deepEqual(key('(#k = :p) AND (#r = :a)', schema, { '#k': 'pk', '#r': 'sk' }).sort?.op, '=');
});

test('refuses what a key condition cannot express, with AWS\'s messages', () => {
  refuses(() => key('sk = :a'), 'Query condition missed key schema element: pk');
  refuses(() => key('pk = :p AND colour = :a'), 'Query condition missed key schema element: sk');
  refuses(() => key('pk < :p'), 'Query key condition not supported');
  refuses(() => key('begins_with(pk, :s)'), 'Query key condition not supported');
  refuses(() => key('pk = :p AND sk = :a', { partition: 'pk' }), 'The number of query conditions (2) exceeds the number of key attributes defined in the schema (1)');
  refuses(() => key('pk = :p OR sk = :a'), 'Invalid operator used in KeyConditionExpression: OR');
  refuses(() => key('pk = :p AND NOT sk = :a'), 'Invalid operator used in KeyConditionExpression: NOT');
  refuses(() => key('pk = :p AND sk <> :a'), 'Invalid operator used in KeyConditionExpression: <>');
  refuses(() => key('pk = :p AND sk IN (:a, :b)'), 'Invalid operator used in KeyConditionExpression: IN');
  refuses(() => key('pk = :p AND attribute_exists(sk)'), 'Invalid operator used in KeyConditionExpression: attribute_exists');
  refuses(() => key('pk = :p AND sk = pk'), 'Invalid condition in KeyConditionExpression: multiple attribute names used in one condition');
  refuses(() => key('pk = :p AND sk = :a AND sk = :b'), 'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key');
  refuses(() => key('pk = :p AND sk = :a AND colour = :b'), 'The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)');
  refuses(() => key('pk = :p AND colour = :b', { partition: 'pk' }), 'The number of query conditions (2) exceeds the number of key attributes defined in the schema (1)');
  const operand = (op: string, type: string) =>
    `Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${type}`;
  const typed = (expression: string, extra: Record<string, AttributeValue>) => expressions.keyCondition(expression, scopeOf({ ...values, ...extra }), schema);
  refuses(() => typed('pk = :p AND begins_with(sk, :v)', { ':v': { BOOL: true } }), operand('begins_with', 'BOOL'));
  refuses(() => typed('pk = :p AND sk < :v', { ':v': { BOOL: true } }), operand('<', 'BOOL'));
  refuses(() => typed('pk = :p AND :v >= sk', { ':v': { BOOL: true } }), operand('>=', 'BOOL'));
  refuses(() => typed('pk = :p AND sk BETWEEN :f AND :t', { ':f': { BOOL: false }, ':t': { BOOL: true } }), operand('BETWEEN', 'BOOL'));
  // Undefined values and bad operands are reported in the order they are written.
  refuses(() => typed('pk = :missing AND begins_with(sk, :a)', {}), 'Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing');
  refuses(() => typed('begins_with(sk, :a) AND pk = :missing', {}), operand('begins_with', 'N'));
  refuses(() => key('pk = :p AND size(sk) > :a'), 'KeyConditionExpressions cannot contain nested operations');
  const nested = 'Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes';
  refuses(() => key('pk = :p AND sk.x > :a'), nested);
  refuses(() => key('pk[0] > :p'), nested);
  refuses(() => key('colour.x = :p'), nested);
  refuses(() => key('pk = :p AND :a < sk.x'), nested);
  refuses(() => key('data.x = :p'), 'Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: data');
  refuses(() => key('pk = :p AND :a > :b'), 'Invalid condition in KeyConditionExpression: No key attribute specified');
  refuses(() => key('pk = :p AND begins_with(:s, sk)'), 'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand');
  refuses(() => key('pk = :p AND :a BETWEEN sk AND :b'), 'Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand');
  refuses(
    () => key('pk = :p AND sk BETWEEN :b AND :p'),
    'Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {S:p}',
  );
  refuses(
    () => key('pk = :p AND sk BETWEEN :b AND :a'),
    'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}',
  );
  refuses(() => key('pk = :p AND pk = :p'), 'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key');
  refuses(() => key('pk = :x'), 'Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x');
  refuses(() => key('pk = :p AND sk = :a AND'), 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "AND"');
  refuses(() => key(''), 'Invalid KeyConditionExpression: The expression can not be empty;');
});

test('sortKeyMatches applies a sort key condition to a value', () => {
  const sort = (expression: string) => key(`pk = :p AND ${expression}`).sort!;
  assert.equal(sortKeyMatches(sort('sk = :a'), { N: '1.0' }), true);
  assert.equal(sortKeyMatches(sort('sk < :b'), { N: '1' }), true);
  assert.equal(sortKeyMatches(sort('sk <= :a'), { N: '2' }), false);
  assert.equal(sortKeyMatches(sort('sk > :a'), { N: '10' }), true);
  assert.equal(sortKeyMatches(sort('sk >= :b'), { N: '2' }), true);
  assert.equal(sortKeyMatches(sort('sk BETWEEN :a AND :b'), { N: '1.5' }), true);
  assert.equal(sortKeyMatches(sort('sk BETWEEN :a AND :b'), { N: '3' }), false);
  assert.equal(sortKeyMatches(sort('begins_with(sk, :s)'), { S: 'prefix' }), true);
  assert.equal(sortKeyMatches(sort('begins_with(sk, :s)'), { S: 'pr' }), false);
  assert.equal(sortKeyMatches(sort('sk = :a'), { S: '1' }), false);
});
