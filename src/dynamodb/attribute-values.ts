// Attribute values from the wire: validation with AWS's messages (numbers come back normalised),
// equality and ordering as DynamoDB defines them, and item sizes as DynamoDB counts them.
import type { AttributeValue, Item } from './attribute-value.js';
import { compareNumbers, normaliseNumber, numberSize, type ValueLayer } from './numbers.js';
import { DynamoDbValidationError } from './validation-error.js';

export type AttributeType = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';
export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];

/** The largest item DynamoDB stores (400 KB, names included). */
export const MAX_ITEM_SIZE = 400 * 1024;

const INVALID = 'One or more parameter values were invalid: ';

/** The value's one type key. */
export function typeOf(value: AttributeValue): AttributeType {
  return Object.keys(value)[0] as AttributeType;
}

/** The value's payload, loosely typed for code that has already switched on the type. */
export function payload(value: AttributeValue): unknown {
  return (value as Record<string, unknown>)[typeOf(value)];
}

function presentKeys(value: object): string[] {
  return Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined && (value as Record<string, unknown>)[key] !== null);
}

/**
 * AWS's refusal of a set with a repeated member. The current layer quotes the members, listing those
 * before the first repeat in byte order, then the repeat, then the rest as sent; the older layer
 * prints them as sent. Neither names the members of a number set.
 */
function duplicateMessage(type: 'SS' | 'NS' | 'BS', members: string[], repeat: number, layer: ValueLayer): string {
  if (type === 'NS') return layer === 'current' ? `${INVALID}Input collection contains duplicates.` : 'Input collection contains duplicates';
  const suffix = type === 'BS' ? 'of type BS' : '';
  if (layer === 'older') return `${INVALID}Input collection [${members.join(', ')}]${suffix} contains duplicates.`;
  const bytes = (m: string) => (type === 'BS' ? Buffer.from(m, 'base64') : Buffer.from(m, 'utf8'));
  const before = members.slice(0, repeat).sort((a, b) => Buffer.compare(bytes(a), bytes(b)));
  const listed = [...before, ...members.slice(repeat)].map((m) => `"${m}"`);
  return `${INVALID}Input collection [${listed.join(type === 'BS' ? ',' : ', ')}]${suffix} contains duplicates.`;
}

function checkDuplicates(type: 'SS' | 'NS' | 'BS', members: string[], layer: ValueLayer, shown = members): void {
  const seen = new Set<string>();
  members.forEach((member, index) => {
    const key = setKey(type, member);
    if (seen.has(key)) throw new DynamoDbValidationError(duplicateMessage(type, shown, index, layer));
    seen.add(key);
  });
}

/** A null member's refusal: DynamoDB's wording for string sets; the others follow its pattern (unconfirmed). */
const NULL_MEMBER: Record<string, string> = {
  SS: 'An string set may not have a null string as a member',
  NS: 'An number set may not have a null number as a member',
  BS: 'An binary set may not have a null binary as a member',
};

function checkStrings(members: unknown, type: string): string[] {
  if (!Array.isArray(members)) throw new DynamoDbValidationError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (members.some((member) => member === null || member === undefined)) throw new DynamoDbValidationError(`${INVALID}${NULL_MEMBER[type]}`);
  if (members.some((member) => typeof member !== 'string')) {
    throw new DynamoDbValidationError(`${INVALID}Supplied AttributeValue has an invalid ${type}`);
  }
  return members as string[];
}

/**
 * Validates a value from the wire and returns it with its numbers normalised. Throws
 * DynamoDbValidationError with AWS's message for an empty or multi-typed value, an empty set,
 * duplicate set members, a malformed number or a NULL that is not true.
 */
export function checkAttributeValue(value: unknown, layer: ValueLayer = 'current'): AttributeValue {
  const checked = checkValue(value, layer);
  if (nestingOf(checked) > MAX_NESTING) throw new DynamoDbValidationError(TOO_DEEP);
  return checked;
}

/** Maps and lists may wrap a value 31 times: with the attribute itself, 32 levels. */
const MAX_NESTING = 31;

export const TOO_DEEP = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

/** Levels of maps and lists; a loop, not spread arguments: a list may hold a million elements. */
function nestingOf(value: AttributeValue): number {
  const children = 'M' in value ? Object.values(value.M) : 'L' in value ? value.L : undefined;
  if (!children) return 0;
  let deepest = 0;
  for (const child of children) deepest = Math.max(deepest, nestingOf(child));
  return 1 + deepest;
}

function checkValue(value: unknown, layer: ValueLayer): AttributeValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DynamoDbValidationError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
  const keys = presentKeys(value);
  const known = keys.filter((key) => (ATTRIBUTE_TYPES as readonly string[]).includes(key));
  if (known.length > 1) {
    throw new DynamoDbValidationError('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  }
  if (known.length === 0) {
    throw new DynamoDbValidationError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
  const type = known[0] as AttributeType;
  const raw = (value as Record<string, unknown>)[type];
  switch (type) {
    case 'S':
    case 'B':
      if (typeof raw !== 'string') throw new DynamoDbValidationError(`${INVALID}Supplied AttributeValue has an invalid ${type}`);
      return { [type]: raw } as AttributeValue;
    case 'N':
      return { N: normaliseNumber(String(raw), layer) };
    case 'SS':
    case 'BS': {
      const members = checkStrings(raw, type);
      if (members.length === 0) {
        throw new DynamoDbValidationError(type === 'SS' ? `${INVALID}An string set  may not be empty` : `${INVALID}Binary sets should not be empty`);
      }
      checkDuplicates(type, members, layer);
      return { [type]: [...members] } as AttributeValue;
    }
    case 'NS': {
      const members = checkStrings(raw, type);
      if (members.length === 0) throw new DynamoDbValidationError(`${INVALID}An number set  may not be empty`);
      const normalised = members.map((member) => normaliseNumber(member, layer));
      checkDuplicates('NS', normalised, layer, members);
      return { NS: normalised };
    }
    case 'M': {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new DynamoDbValidationError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
      }
      return { M: Object.fromEntries(Object.entries(raw).map(([name, entry]) => [name, checkValue(entry, layer)])) };
    }
    case 'L':
      if (!Array.isArray(raw)) throw new DynamoDbValidationError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
      return { L: raw.map((element) => checkValue(element, layer)) };
    case 'NULL':
      if (raw !== true) throw new DynamoDbValidationError(`${INVALID}Null attribute value types must have the value of true`);
      return { NULL: true };
    case 'BOOL':
      if (typeof raw !== 'boolean') throw new DynamoDbValidationError(`${INVALID}Supplied AttributeValue has an invalid BOOL`);
      return { BOOL: raw };
  }
}

/** Validates every value of an item (or map) and returns a normalised copy. */
export function checkItem(item: Record<string, unknown>, layer: ValueLayer = 'current'): Item {
  const result: Item = {};
  for (const [name, value] of Object.entries(item)) result[name] = checkAttributeValue(value, layer);
  return result;
}

function bytesOf(type: 'S' | 'B', text: string): Buffer {
  return type === 'S' ? Buffer.from(text, 'utf8') : Buffer.from(text, 'base64');
}

function setKey(type: AttributeType, member: string): string {
  return type === 'NS' ? normaliseNumber(member) : type === 'BS' ? Buffer.from(member, 'base64').toString('hex') : member;
}

/** Deep equality as DynamoDB sees it: numbers numerically, binaries by bytes, sets unordered. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  const x = payload(a);
  const y = payload(b);
  switch (type) {
    case 'S':
    case 'BOOL':
    case 'NULL':
      return x === y;
    case 'N':
      return compareNumbers(x as string, y as string) === 0;
    case 'B':
      return bytesOf('B', x as string).equals(bytesOf('B', y as string));
    case 'SS':
    case 'NS':
    case 'BS': {
      const left = new Set((x as string[]).map((m) => setKey(type, m)));
      const right = new Set((y as string[]).map((m) => setKey(type, m)));
      return left.size === right.size && [...left].every((m) => right.has(m));
    }
    case 'L': {
      const left = x as AttributeValue[];
      const right = y as AttributeValue[];
      return left.length === right.length && left.every((v, i) => valuesEqual(v, right[i]));
    }
    case 'M': {
      const left = x as Item;
      const right = y as Item;
      const names = Object.keys(left);
      return names.length === Object.keys(right).length && names.every((n) => n in right && valuesEqual(left[n], right[n]));
    }
  }
}

/**
 * Orders two scalar values of the same type (S by UTF-8 bytes, N numerically, B by bytes);
 * undefined when they cannot be ordered (different or non-scalar types).
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  const type = typeOf(a);
  if (type !== typeOf(b)) return undefined;
  if (type === 'N') return compareNumbers((a as { N: string }).N, (b as { N: string }).N);
  if (type === 'S' || type === 'B') return Buffer.compare(bytesOf(type, payload(a) as string), bytesOf(type, payload(b) as string));
  return undefined;
}

/** Whether a set (SS/NS/BS) holds a scalar of its member type. */
export function setHas(set: AttributeValue, member: AttributeValue): boolean {
  const type = typeOf(set);
  if (type !== 'SS' && type !== 'NS' && type !== 'BS') return false;
  if (typeOf(member) !== type[0]) return false;
  const key = setKey(type, payload(member) as string);
  return (payload(set) as string[]).some((m) => setKey(type, m) === key);
}

/** Set union and difference that keep DynamoDB's member identity (numbers by value, binaries by bytes). */
export function setUnion(type: 'SS' | 'NS' | 'BS', left: string[], right: string[]): string[] {
  const keys = new Set(left.map((m) => setKey(type, m)));
  const result = [...left];
  for (const member of right) {
    const key = setKey(type, member);
    if (!keys.has(key)) {
      keys.add(key);
      result.push(member);
    }
  }
  return result;
}

export function setDifference(type: 'SS' | 'NS' | 'BS', left: string[], right: string[]): string[] {
  const removed = new Set(right.map((m) => setKey(type, m)));
  return left.filter((m) => !removed.has(setKey(type, m)));
}

/** A value's size in bytes by DynamoDB's rules (names of nested map entries included). */
export function valueSize(value: AttributeValue): number {
  const type = typeOf(value);
  const data = payload(value);
  switch (type) {
    case 'S':
    case 'B':
      return bytesOf(type, data as string).length;
    case 'N':
      return numberSize(data as string);
    case 'SS':
    case 'BS':
      return (data as string[]).reduce((total, m) => total + bytesOf(type === 'SS' ? 'S' : 'B', m).length, 0);
    case 'NS':
      return (data as string[]).reduce((total, m) => total + numberSize(m), 0);
    case 'NULL':
    case 'BOOL':
      return 1;
    case 'L':
      // 3 bytes for the list, 1 byte of overhead for each element.
      return 3 + (data as AttributeValue[]).reduce((total, v) => total + 1 + valueSize(v), 0);
    case 'M':
      return 3 + Object.entries(data as Item).reduce((total, [n, v]) => total + 1 + Buffer.byteLength(n, 'utf8') + valueSize(v), 0);
  }
}

/** An item's size in bytes: each attribute name's UTF-8 length plus its value's size. */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((total, [name, value]) => total + Buffer.byteLength(name, 'utf8') + valueSize(value), 0);
}

/** Throws AWS's message when an item exceeds 400 KB. */
export function assertItemSize(item: Item, message = 'Item size has exceeded the maximum allowed size'): void {
  if (itemSize(item) > MAX_ITEM_SIZE) throw new DynamoDbValidationError(message);
}
