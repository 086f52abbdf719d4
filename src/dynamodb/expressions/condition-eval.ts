// Evaluates a parsed condition against an item as DynamoDB does: a comparison with a missing
// attribute or between different types is false (so `<>` is true), only S, N and B are ordered.
import type { AttributeValue, Item } from '../attribute-value.js';
import { compareValues, payload, setHas, typeOf, valuesEqual } from '../attribute-values.js';
import type { Condition, Operand } from './condition-ast.js';
import { valueAt } from './paths.js';

export function evaluate(condition: Condition, item: Item | undefined): boolean {
  switch (condition.type) {
    case 'and':
      return evaluate(condition.left, item) && evaluate(condition.right, item);
    case 'or':
      return evaluate(condition.left, item) || evaluate(condition.right, item);
    case 'not':
      return !evaluate(condition.operand, item);
    case 'group':
      return evaluate(condition.inner, item);
    case 'compare':
      return compare(condition.op, resolve(condition.left, item), resolve(condition.right, item));
    case 'between': {
      const value = resolve(condition.operand, item);
      return compare('>=', value, resolve(condition.low, item)) && compare('<=', value, resolve(condition.high, item));
    }
    case 'in': {
      const value = resolve(condition.operand, item);
      return condition.list.some((candidate) => compare('=', value, resolve(candidate, item)));
    }
    case 'function':
      return callFunction(condition.name, condition.args.map((arg) => resolve(arg, item)));
  }
}

/** An operand's value against the item; undefined when the attribute is missing or has no size. */
export function resolve(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (operand.type) {
    case 'value':
      return operand.value;
    case 'path':
      return valueAt(item, operand.path);
    case 'size': {
      const value = resolve(operand.operand, item);
      const size = value === undefined ? undefined : sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
  }
}

/** size(): UTF-16 code units of a string (as DynamoDB counts), bytes of a binary, members of a set, list or map. */
function sizeOf(value: AttributeValue): number | undefined {
  const data = payload(value);
  switch (typeOf(value)) {
    case 'S':
      return (data as string).length;
    case 'B':
      return Buffer.from(data as string, 'base64').length;
    case 'SS':
    case 'NS':
    case 'BS':
    case 'L':
      return (data as unknown[]).length;
    case 'M':
      return Object.keys(data as object).length;
    default:
      return undefined;
  }
}

/** A comparison as DynamoDB evaluates it; a missing operand only satisfies `<>`. */
export function compare(op: string, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  if (op === '<>') return !(left !== undefined && right !== undefined && valuesEqual(left, right));
  if (left === undefined || right === undefined) return false;
  if (op === '=') return valuesEqual(left, right);
  const order = compareValues(left, right);
  if (order === undefined) return false;
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    default:
      return order >= 0;
  }
}

function callFunction(name: string, args: (AttributeValue | undefined)[]): boolean {
  const [first, second] = args;
  switch (name) {
    case 'attribute_exists':
      return first !== undefined;
    case 'attribute_not_exists':
      return first === undefined;
    case 'attribute_type':
      return first !== undefined && second !== undefined && 'S' in second && typeOf(first) === second.S;
    case 'begins_with':
      return beginsWith(first, second);
    default:
      return contains(first, second);
  }
}

export function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (value === undefined || prefix === undefined) return false;
  if ('S' in value && 'S' in prefix) return Buffer.from(value.S).subarray(0, Buffer.byteLength(prefix.S)).equals(Buffer.from(prefix.S));
  if ('B' in value && 'B' in prefix) {
    const bytes = Buffer.from(value.B, 'base64');
    const start = Buffer.from(prefix.B, 'base64');
    return bytes.subarray(0, start.length).equals(start);
  }
  return false;
}

/** contains(): a substring of a string, a member of a set, or an element of a list. */
function contains(value: AttributeValue | undefined, operand: AttributeValue | undefined): boolean {
  if (value === undefined || operand === undefined) return false;
  if ('S' in value) return 'S' in operand && value.S.includes(operand.S);
  if ('L' in value) return value.L.some((element) => valuesEqual(element, operand));
  return setHas(value, operand);
}
