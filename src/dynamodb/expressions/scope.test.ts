import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExpressionAttributeValues, expressions } from './index.js';
import { refuses, scopeOf } from './test-helpers.js';

test('placeholders are checked when the scope is made', () => {
  refuses(() => scopeOf(undefined, {}), 'ExpressionAttributeNames must not be empty');
  refuses(() => scopeOf({}), 'ExpressionAttributeValues must not be empty');
  refuses(() => scopeOf(undefined, { a: 'a' }), 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"');
  refuses(() => scopeOf({ b: { S: 'a' } }), 'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"');
  refuses(() => scopeOf(undefined, { '#': 'a' }), 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#"');
  refuses(() => scopeOf(undefined, { '#a-b': 'a' }), 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"');
  refuses(
    () => scopeOf(undefined, { [`#${'a'.repeat(255)}-x`]: 'a' }),
    'ExpressionAttributeNames contains invalid key: The expression attribute map contains a key that is too long; size of key: 258',
  );
  assert.doesNotThrow(() => scopeOf(undefined, { [`#${'a'.repeat(254)}`]: 'a' }));
  refuses(() => scopeOf({ [`:${'a'.repeat(255)}`]: { S: 'x' } }), 'ExpressionAttributeValues contains invalid key: The expression attribute map contains a key that is too long;');
  refuses(() => scopeOf(undefined, { '#a': '' }), 'ExpressionAttributeNames contains invalid value: Empty attribute name for key #a');
  refuses(
    () => checkExpressionAttributeValues({ ':v': {} as never }, 'older'),
    'ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v',
  );
  // The current layer reports a bad value as it is.
  refuses(() => scopeOf({ ':b': { SS: [] } }), 'One or more parameter values were invalid: An string set  may not be empty');
  refuses(() => scopeOf({ ':b': { N: 'b' } }), 'The parameter cannot be converted to a numeric value: b');
  // The older layer wraps it, naming the placeholder.
  refuses(
    () => checkExpressionAttributeValues({ ':b': { SS: [] } }, 'older'),
    'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b',
  );
  refuses(
    () => checkExpressionAttributeValues({ ':b': { S: 'a', N: '1' } } as never, 'older'),
    'ExpressionAttributeValues contains invalid value: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes for key :b',
  );
  refuses(() => checkExpressionAttributeValues({ ':b': { N: '' } }, 'older'), 'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value for key :b');
  // Values are normalised: 1.50 equals 1.5 and travels as "1.5".
  assert.deepEqual(scopeOf({ ':n': { N: '1.50' } }).values, { ':n': { N: '1.5' } });
});

test('names and values the request\'s expressions do not use are refused', () => {
  const scope = scopeOf({ ':a': { S: 'a' }, ':b': { S: 'b' }, ':c': { S: 'c' } }, { '#a': 'a', '#b': 'b' });
  expressions.update('REMOVE #a', scope);
  expressions.condition('x = :b', 'ConditionExpression', scope);
  refuses(() => scope.assertAllUsed(), 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}');
  expressions.projection('#b', scope);
  refuses(() => scope.assertAllUsed(), 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}');
  expressions.keyCondition('pk = :a AND sk = :c', scope, { partition: 'pk', sort: 'sk' });
  assert.doesNotThrow(() => scope.assertAllUsed());
});
