// DynamoDB's expression language behind the contract in api.ts.
//
// Supported: ConditionExpression/FilterExpression (= <> < <= > >=, BETWEEN, IN up to 100 operands,
// AND/OR/NOT with AWS's precedence, parentheses around conditions and operands, attribute_exists,
// attribute_not_exists, attribute_type, begins_with, contains, size); KeyConditionExpression
// (partition key equality plus one sort key condition: = < <= > >= BETWEEN begins_with, either order);
// UpdateExpression (SET with + - if_not_exists list_append, REMOVE incl. list elements, ADD numbers
// and sets, DELETE from sets); ProjectionExpression (nested paths, list elements). Document paths up
// to 32 levels, #name and :value placeholders, the 573 reserved words, AWS's messages and the order
// in which AWS reports them, and the 4 KB expression size limit. Also exported for the handlers:
// sortKeyMatches, updatedAttributes (ReturnValues UPDATED_*) and checkExpressionAttributeValues (the
// older validation layer's wording). Known difference: the 300-operator limit is not enforced.
import type { AttributeValue, Item } from '../attribute-value.js';
import type { CompiledUpdate, ExpressionLanguage, ExpressionScope } from './api.js';
import { evaluate } from './condition-eval.js';
import { parseCondition } from './condition-parser.js';
import { compileKeyCondition } from './key-condition.js';

export { sortKeyMatches } from './key-condition.js';
export { checkExpressionAttributeValues } from './scope.js';
import type { DocumentPath } from './paths.js';
import { compileProjection, projectPaths } from './projection.js';
import { Scope } from './scope.js';
import { applyUpdate } from './update-apply.js';
import { parseUpdate } from './update-parser.js';

const updatePaths = new WeakMap<CompiledUpdate, DocumentPath[]>();

/**
 * The parts of an item (before or after the update) at the paths an update names: what
 * ReturnValues UPDATED_OLD and UPDATED_NEW return.
 */
export function updatedAttributes(update: CompiledUpdate, item: Item): Item {
  const paths = updatePaths.get(update);
  if (!paths) throw new TypeError('updates come from expressions.update()');
  return projectPaths(paths, item);
}

function ours(scope: ExpressionScope): Scope {
  if (!(scope instanceof Scope)) throw new TypeError('expression scopes come from expressions.scope()');
  return scope;
}

export const expressions: ExpressionLanguage = {
  scope(names: Record<string, string> | undefined, values: Record<string, AttributeValue> | undefined) {
    return new Scope(names, values);
  },
  condition(expression, kind, scope) {
    const condition = parseCondition(kind, expression, ours(scope));
    return { matches: (item) => evaluate(condition, item) };
  },
  keyCondition(expression, scope, keySchema) {
    return compileKeyCondition(expression, ours(scope), keySchema);
  },
  update(expression, scope) {
    const actions = parseUpdate(expression, ours(scope));
    const update: CompiledUpdate = {
      topLevelNames: [...new Set(actions.map((action) => action.path[0] as string))],
      apply: (item) => applyUpdate(actions, item),
    };
    updatePaths.set(update, actions.map((action) => action.path));
    return update;
  },
  projection(expression, scope) {
    return compileProjection(expression, ours(scope));
  },
};
