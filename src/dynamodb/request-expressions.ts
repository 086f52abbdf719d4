// A request's expressions, compiled once against its ExpressionAttributeNames and -Values: the
// names and values must all be used (and given only with an expression), as AWS checks. The legacy
// parameters that predate expressions arrive here rewritten as expressions (legacy-parameters.ts).
import type { AttributeValue } from './attribute-value.js';
import type { CompiledCondition, CompiledKeyCondition, CompiledProjection, CompiledUpdate, ExpressionScope } from './expressions/api.js';
import { expressions } from './expressions/index.js';
import { validation } from './errors.js';
import { translateLegacy } from './legacy-parameters.js';

export interface ExpressionInput {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
  ConditionExpression?: string;
  FilterExpression?: string;
  KeyConditionExpression?: string;
  UpdateExpression?: string;
  ProjectionExpression?: string;
}

export interface Compiled {
  condition?: CompiledCondition;
  filter?: CompiledCondition;
  update?: CompiledUpdate;
  projection?: CompiledProjection;
  keyCondition?: CompiledKeyCondition;
}

export function compileExpressions(given: ExpressionInput, keySchema?: { partition: string; sort?: string }): Compiled {
  const input = translateLegacy(given as ExpressionInput & Record<string, unknown>);
  const any = input.ConditionExpression !== undefined || input.FilterExpression !== undefined || input.KeyConditionExpression !== undefined
    || input.UpdateExpression !== undefined || input.ProjectionExpression !== undefined;
  if (!any) {
    if (input.ExpressionAttributeNames) throw validation('ExpressionAttributeNames can only be specified when using expressions');
    if (input.ExpressionAttributeValues) throw validation('ExpressionAttributeValues can only be specified when using expressions');
    return {};
  }
  const scope: ExpressionScope = expressions.scope(input.ExpressionAttributeNames, input.ExpressionAttributeValues);
  const out: Compiled = {};
  if (input.KeyConditionExpression !== undefined && keySchema) out.keyCondition = expressions.keyCondition(input.KeyConditionExpression, scope, keySchema);
  if (input.UpdateExpression !== undefined) out.update = expressions.update(input.UpdateExpression, scope);
  if (input.ConditionExpression !== undefined) out.condition = expressions.condition(input.ConditionExpression, 'ConditionExpression', scope);
  if (input.FilterExpression !== undefined) out.filter = expressions.condition(input.FilterExpression, 'FilterExpression', scope);
  if (input.ProjectionExpression !== undefined) out.projection = expressions.projection(input.ProjectionExpression, scope);
  scope.assertAllUsed();
  return out;
}
