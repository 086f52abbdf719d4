// Resolves a KeyConditionExpression against a key schema: equality on the partition key, and at
// most one condition (= < <= > >= BETWEEN begins_with) on the sort key, joined by AND in any order.
import type { AttributeValue } from '../attribute-value.js';
import { DynamoDbValidationError } from '../validation-error.js';
import type { CompiledKeyCondition } from './api.js';
import type { Condition, Operand } from './condition-ast.js';
import { beginsWith, compare } from './condition-eval.js';
import { parseCondition } from './condition-parser.js';
import type { Scope } from './scope.js';

type SortOp = NonNullable<CompiledKeyCondition['sort']>['op'];

interface KeyTerm {
  name: string;
  op: SortOp;
  values: AttributeValue[];
}

const FLIPPED: Record<string, SortOp> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function invalid(message: string): never {
  throw new DynamoDbValidationError(message);
}

/** The terms joined by AND; OR and NOT are refused. */
function terms(condition: Condition, into: Condition[] = []): Condition[] {
  if (condition.type === 'group') return terms(condition.inner, into);
  if (condition.type === 'and') {
    terms(condition.left, into);
    return terms(condition.right, into);
  }
  if (condition.type === 'or') invalid('Invalid operator used in KeyConditionExpression: OR');
  if (condition.type === 'not') invalid('Invalid operator used in KeyConditionExpression: NOT');
  into.push(condition);
  return into;
}

/** The one key attribute a term names, and the values it compares it with. */
function keyTerm(condition: Condition): KeyTerm {
  let operands: readonly Operand[];
  let op: SortOp;
  switch (condition.type) {
    case 'compare':
      if (condition.op === '<>') invalid('Invalid operator used in KeyConditionExpression: <>');
      operands = [condition.left, condition.right];
      op = condition.op;
      break;
    case 'between':
      operands = [condition.operand, condition.low, condition.high];
      op = 'BETWEEN';
      break;
    case 'function':
      if (condition.name !== 'begins_with') invalid(`Invalid operator used in KeyConditionExpression: ${condition.name}`);
      operands = condition.args;
      op = 'BEGINS_WITH';
      break;
    case 'in':
      return invalid('Invalid operator used in KeyConditionExpression: IN');
    default:
      return invalid('Query key condition not supported');
  }
  if (operands.some((operand) => operand.type === 'size')) invalid('KeyConditionExpressions cannot contain nested operations');
  const paths = operands.filter((operand) => operand.type === 'path');
  if (paths.length > 1) invalid('Invalid condition in KeyConditionExpression: multiple attribute names used in one condition');
  if (paths.length === 0) invalid('Invalid condition in KeyConditionExpression: No key attribute specified');
  const path = paths[0].type === 'path' ? paths[0].path : [];
  if (path.length > 1) invalid('Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes');
  // `:v < sk` reads as `sk > :v`; only a plain comparison may put the value first.
  if (operands[0].type !== 'path') {
    if (condition.type !== 'compare') {
      const name = condition.type === 'between' ? 'BETWEEN' : 'begins_with';
      invalid(`Invalid condition in KeyConditionExpression: ${name} operator must have the key attribute as its first operand`);
    }
    op = FLIPPED[op];
  }
  const values = operands.flatMap((operand) => (operand.type === 'value' ? [operand.value] : []));
  return { name: path[0] as string, op, values };
}

export function compileKeyCondition(
  expression: string,
  scope: Scope,
  keySchema: { partition: string; sort?: string },
): CompiledKeyCondition {
  const found = terms(parseCondition('KeyConditionExpression', expression, scope)).map(keyTerm);
  if (new Set(found.map((term) => term.name)).size < found.length) {
    invalid('Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key');
  }
  const keyCount = keySchema.sort === undefined ? 1 : 2;
  if (found.length > keyCount) {
    invalid(`The number of query conditions (${found.length}) exceeds the number of key attributes defined in the schema (${keyCount})`);
  }
  const partition = found.find((term) => term.name === keySchema.partition);
  if (!partition) invalid(`Query condition missed key schema element: ${keySchema.partition}`);
  if (partition.op !== '=') invalid('Query key condition not supported');
  const other = found.find((term) => term !== partition);
  if (!other) return { partition: partition.values[0] };
  if (other.name !== keySchema.sort) invalid(`Query condition missed key schema element: ${keySchema.sort}`);
  return { partition: partition.values[0], sort: { op: other.op, values: other.values } };
}

/** Whether a sort key value satisfies a compiled sort key condition (for the Query handler). */
export function sortKeyMatches(sort: NonNullable<CompiledKeyCondition['sort']>, value: AttributeValue): boolean {
  const [first, second] = sort.values;
  if (sort.op === 'BEGINS_WITH') return beginsWith(value, first);
  if (sort.op === 'BETWEEN') return compare('>=', value, first) && compare('<=', value, second);
  return compare(sort.op, value, first);
}
