// The parameters that predate expressions (Expected, AttributesToGet, KeyConditions, QueryFilter,
// ScanFilter, AttributeUpdates, ConditionalOperator), rewritten as the expressions they stand for
// with generated #names and :values, so one evaluator serves both. A request may not mix the two
// kinds, as on AWS.
import type { AttributeValue } from './attribute-value.js';
import type { ExpressionInput } from './request-expressions.js';
import { validation } from './errors.js';

export const LEGACY_PARAMETERS = ['Expected', 'ConditionalOperator', 'AttributesToGet', 'KeyConditions', 'QueryFilter', 'ScanFilter', 'AttributeUpdates'] as const;
const EXPRESSION_PARAMETERS = ['ConditionExpression', 'ProjectionExpression', 'KeyConditionExpression', 'FilterExpression', 'UpdateExpression'] as const;

interface Condition {
  ComparisonOperator?: string;
  AttributeValueList?: AttributeValue[];
  Value?: AttributeValue;
  Exists?: boolean;
}

interface AttributeUpdate {
  Value?: AttributeValue;
  Action?: 'ADD' | 'PUT' | 'DELETE';
}

/** Collects the generated placeholders of one request. */
class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  #n = 0;
  #v = 0;

  name(attribute: string): string {
    const existing = Object.entries(this.names).find(([, a]) => a === attribute);
    if (existing) return existing[0];
    const key = `#l${this.#n++}`;
    this.names[key] = attribute;
    return key;
  }

  value(v: AttributeValue): string {
    const key = `:l${this.#v++}`;
    this.values[key] = v;
    return key;
  }
}

const BINARY: Record<string, string> = { EQ: '=', NE: '<>', LE: '<=', LT: '<', GE: '>=', GT: '>' };

function comparison(p: Placeholders, attribute: string, op: string, list: AttributeValue[], parameter: string): string {
  const n = p.name(attribute);
  const arity = (count: number) => {
    if (list.length !== count) throw validation(`One or more parameter values were invalid: Invalid number of argument(s) for the ${op} ComparisonOperator`);
  };
  if (BINARY[op]) {
    arity(1);
    return `${n} ${BINARY[op]} ${p.value(list[0])}`;
  }
  switch (op) {
    case 'NOT_NULL': arity(0); return `attribute_exists(${n})`;
    case 'NULL': arity(0); return `attribute_not_exists(${n})`;
    case 'CONTAINS': arity(1); return `contains(${n}, ${p.value(list[0])})`;
    case 'NOT_CONTAINS': arity(1); return `NOT contains(${n}, ${p.value(list[0])})`;
    case 'BEGINS_WITH': arity(1); return `begins_with(${n}, ${p.value(list[0])})`;
    case 'BETWEEN': arity(2); return `${n} BETWEEN ${p.value(list[0])} AND ${p.value(list[1])}`;
    case 'IN':
      if (!list.length) throw validation(`One or more parameter values were invalid: Invalid number of argument(s) for the IN ComparisonOperator`);
      return `${n} IN (${list.map((v) => p.value(v)).join(', ')})`;
    default:
      throw validation(`1 validation error detected: Value '${op}' at '${parameter}' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]`);
  }
}

/** Expected entries (Value/Exists or ComparisonOperator), joined by ConditionalOperator. */
function conditions(p: Placeholders, given: Record<string, Condition>, operator: string | undefined, parameter: string): string {
  const parts = Object.entries(given).map(([attribute, c]) => {
    if (c.ComparisonOperator) return comparison(p, attribute, c.ComparisonOperator, c.AttributeValueList ?? (c.Value ? [c.Value] : []), parameter);
    if (c.Exists === false) {
      if (c.Value) throw validation('One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: ' + attribute);
      return `attribute_not_exists(${p.name(attribute)})`;
    }
    if (!c.Value) throw validation('One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: ' + attribute);
    return `${p.name(attribute)} = ${p.value(c.Value)}`;
  });
  return parts.map((x) => `(${x})`).join(operator === 'OR' ? ' OR ' : ' AND ');
}

function updates(p: Placeholders, given: Record<string, AttributeUpdate>): string {
  const clauses: Record<'SET' | 'REMOVE' | 'ADD' | 'DELETE', string[]> = { SET: [], REMOVE: [], ADD: [], DELETE: [] };
  for (const [attribute, u] of Object.entries(given)) {
    const n = p.name(attribute);
    const action = u.Action ?? 'PUT';
    if (action === 'PUT') {
      if (!u.Value) throw validation(`One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified: ${attribute}`);
      clauses.SET.push(`${n} = ${p.value(u.Value)}`);
    } else if (action === 'DELETE') {
      if (u.Value) clauses.DELETE.push(`${n} ${p.value(u.Value)}`);
      else clauses.REMOVE.push(n);
    } else {
      if (!u.Value) throw validation(`One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified: ${attribute}`);
      clauses.ADD.push(`${n} ${p.value(u.Value)}`);
    }
  }
  return Object.entries(clauses).filter(([, c]) => c.length).map(([k, c]) => `${k} ${c.join(', ')}`).join(' ');
}

/** The request with its legacy parameters rewritten as expressions (unchanged when it has none). */
export function translateLegacy<T extends ExpressionInput & Record<string, unknown>>(input: T): T {
  const legacy = LEGACY_PARAMETERS.filter((k) => input[k] !== undefined);
  if (!legacy.length) return input;
  const expressionsGiven = EXPRESSION_PARAMETERS.filter((k) => input[k] !== undefined);
  if (expressionsGiven.length) {
    throw validation(`Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacy.join(', ')}} Expression parameters: {${expressionsGiven.join(', ')}}`);
  }
  if (input.ExpressionAttributeNames) throw validation('ExpressionAttributeNames can only be specified when using expressions');
  if (input.ExpressionAttributeValues) throw validation('ExpressionAttributeValues can only be specified when using expressions');
  const p = new Placeholders();
  const out: Record<string, unknown> = { ...input };
  for (const k of LEGACY_PARAMETERS) delete out[k];
  const operator = input.ConditionalOperator as string | undefined;
  if (input.Expected) out.ConditionExpression = conditions(p, input.Expected as Record<string, Condition>, operator, 'expected');
  if (input.QueryFilter) out.FilterExpression = conditions(p, input.QueryFilter as Record<string, Condition>, operator, 'queryFilter');
  if (input.ScanFilter) out.FilterExpression = conditions(p, input.ScanFilter as Record<string, Condition>, operator, 'scanFilter');
  if (input.KeyConditions) out.KeyConditionExpression = conditions(p, input.KeyConditions as Record<string, Condition>, 'AND', 'keyConditions');
  if (input.AttributeUpdates) {
    const update = updates(p, input.AttributeUpdates as Record<string, AttributeUpdate>);
    if (update) out.UpdateExpression = update;
  }
  if (input.AttributesToGet) out.ProjectionExpression = (input.AttributesToGet as string[]).map((a) => p.name(a)).join(', ');
  if (Object.keys(p.names).length) out.ExpressionAttributeNames = p.names;
  if (Object.keys(p.values).length) out.ExpressionAttributeValues = p.values;
  return out as T;
}
