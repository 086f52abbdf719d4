// Shared by the expression language's unit tests.
import assert from 'node:assert/strict';
import type { AttributeValue, Item } from '../attribute-value.js';
import { expressions } from './index.js';
import type { ExpressionScope } from './api.js';

/** Asserts that fn throws DynamoDbValidationError with exactly this message. */
export function refuses(fn: () => unknown, message: string): void {
  assert.throws(fn, { name: 'DynamoDbValidationError', message });
}

export function scopeOf(values?: Record<string, AttributeValue>, names?: Record<string, string>): ExpressionScope {
  return expressions.scope(names, values);
}

/** Compiles a ConditionExpression and evaluates it against an item. */
export function matches(expression: string, item: Item | undefined, values?: Record<string, AttributeValue>, names?: Record<string, string>): boolean {
  return expressions.condition(expression, 'ConditionExpression', scopeOf(values, names)).matches(item);
}

export function compileCondition(expression: string, values?: Record<string, AttributeValue>, names?: Record<string, string>): void {
  expressions.condition(expression, 'ConditionExpression', scopeOf(values, names));
}
