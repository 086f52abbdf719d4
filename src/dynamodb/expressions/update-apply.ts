// Applies parsed update actions to a copy of an item. SET's operands all read the item as it was
// before the update (as in DynamoDB); list elements removed by index go highest index first, so
// every index names the element it named in the original item.
import type { AttributeValue, Item } from '../attribute-value.js';
import { setDifference, setUnion, typeOf } from '../attribute-values.js';
import { addNumbers, subtractNumbers } from '../numbers.js';
import { DynamoDbValidationError } from '../validation-error.js';
import { valueAt, type DocumentPath } from './paths.js';
import type { SetValue, UpdateAction } from './update-ast.js';

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const BAD_TYPE = 'An operand in the update expression has an incorrect data type';
const MISSING = 'The provided expression refers to an attribute that does not exist in the item';

type Container =
  | { kind: 'map'; target: Record<string, AttributeValue>; key: string }
  | { kind: 'list'; target: AttributeValue[]; index: number };

function invalid(message: string): never {
  throw new DynamoDbValidationError(message);
}

/** The map or list that holds a path's last element; every step before it must exist. */
function containerOf(item: Item, path: DocumentPath): Container {
  let holder: AttributeValue | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (i === 0) {
      if (last) return { kind: 'map', target: item, key: segment as string };
      holder = item[segment as string];
      continue;
    }
    if (typeof segment === 'number') {
      if (!holder || !('L' in holder)) invalid(INVALID_PATH);
      if (last) return { kind: 'list', target: holder.L, index: segment };
      holder = holder.L[segment];
    } else {
      if (!holder || !('M' in holder)) invalid(INVALID_PATH);
      if (last) return { kind: 'map', target: holder.M, key: segment };
      holder = Object.hasOwn(holder.M, segment) ? holder.M[segment] : undefined;
    }
  }
  return invalid(INVALID_PATH);
}

function read(container: Container): AttributeValue | undefined {
  if (container.kind === 'list') return container.target[container.index];
  return Object.hasOwn(container.target, container.key) ? container.target[container.key] : undefined;
}

/** Writes a value; an index past a list's end appends, as DynamoDB does. */
function write(container: Container, value: AttributeValue): void {
  if (container.kind === 'map') container.target[container.key] = value;
  else if (container.index >= container.target.length) container.target.push(value);
  else container.target[container.index] = value;
}

function evaluate(value: SetValue, item: Item): AttributeValue {
  switch (value.type) {
    case 'value':
      return value.value;
    case 'path':
      return valueAt(item, value.path) ?? invalid(MISSING);
    case 'if_not_exists':
      return valueAt(item, value.path) ?? evaluate(value.fallback, item);
    case 'list_append': {
      const left = evaluate(value.left, item);
      const right = evaluate(value.right, item);
      if (!('L' in left) || !('L' in right)) invalid(BAD_TYPE);
      return { L: [...left.L, ...right.L] };
    }
    default: {
      const left = evaluate(value.left, item);
      const right = evaluate(value.right, item);
      if (!('N' in left) || !('N' in right)) invalid(BAD_TYPE);
      return { N: value.type === '+' ? addNumbers(left.N, right.N) : subtractNumbers(left.N, right.N) };
    }
  }
}

function add(existing: AttributeValue | undefined, operand: AttributeValue): AttributeValue {
  if (existing === undefined) return operand;
  const type = typeOf(operand);
  if (typeOf(existing) !== type) invalid(BAD_TYPE);
  if ('N' in existing && 'N' in operand) return { N: addNumbers(existing.N, operand.N) };
  const set = type as 'SS' | 'NS' | 'BS';
  return { [set]: setUnion(set, (existing as Record<string, string[]>)[set], (operand as Record<string, string[]>)[set]) } as AttributeValue;
}

/** The set left after DELETE, or undefined when nothing is left (the attribute goes away). */
function remove(existing: AttributeValue, operand: AttributeValue): AttributeValue | undefined {
  const set = typeOf(operand) as 'SS' | 'NS' | 'BS';
  if (typeOf(existing) !== set) invalid(BAD_TYPE);
  const left = setDifference(set, (existing as Record<string, string[]>)[set], (operand as Record<string, string[]>)[set]);
  return left.length === 0 ? undefined : ({ [set]: left } as AttributeValue);
}

export function applyUpdate(actions: readonly UpdateAction[], original: Item): Item {
  const item = structuredClone(original);
  const newValues = actions.map((action) => (action.action === 'SET' ? evaluate(action.value, original) : undefined));
  const removals: Container[] = [];
  actions.forEach((action, i) => {
    const container = containerOf(item, action.path);
    switch (action.action) {
      case 'SET':
        write(container, newValues[i] as AttributeValue);
        break;
      case 'REMOVE':
        removals.push(container);
        break;
      case 'ADD':
        write(container, add(read(container), action.value));
        break;
      case 'DELETE': {
        const existing = read(container);
        if (existing === undefined) break;
        const left = remove(existing, action.value);
        if (left) write(container, left);
        else removals.push(container);
        break;
      }
    }
  });
  for (const container of removals) if (container.kind === 'map') delete container.target[container.key];
  const fromLists = removals.filter((c): c is Extract<Container, { kind: 'list' }> => c.kind === 'list');
  for (const container of fromLists.sort((a, b) => b.index - a.index)) {
    if (container.index < container.target.length) container.target.splice(container.index, 1);
  }
  return item;
}
