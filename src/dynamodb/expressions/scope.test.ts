import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expressions } from './index.js';
import { refuses, scopeOf } from './test-helpers.js';

test('placeholders are checked when the scope is made', () => {
  refuses(() => scopeOf(undefined, {}), 'ExpressionAttributeNames must not be empty');
  refuses(() => scopeOf({}), 'ExpressionAttributeValues must not be empty');
  refuses(() => scopeOf(undefined, { a: 'a' }), 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"');
  refuses(() => scopeOf({ b: { S: 'a' } }), 'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"');
  refuses(
    () => scopeOf({ ':b': { SS: [] } }),
    'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :b',
  );
  refuses(
    () => scopeOf({ ':b': { S: 'a', N: '1' } }),
    'ExpressionAttributeValues contains invalid value: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes for key :b',
  );
  refuses(() => scopeOf({ ':b': { N: 'b' } }), 'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: b for key :b');
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
