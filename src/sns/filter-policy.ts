// SNS subscription filter policies: AWS's policy language, checked when set and matched when a
// message is published. Scope MessageAttributes matches the message attributes (String,
// String.Array and Number types; flat keys); scope MessageBody matches the JSON message body
// (nested keys; an array matches when any element does). Operators: exact strings and numbers,
// prefix, suffix, equals-ignore-case, anything-but (values, prefix or suffix), numeric ranges,
// exists, and $or. SNS's own semantics, kept apart from other pattern languages on purpose.
import { invalidParameter } from './errors.js';

export type FilterScope = 'MessageAttributes' | 'MessageBody';
type Policy = Record<string, unknown>;

/** A message attribute as filters see it (Binary attributes are never matched). */
export interface FilterAttribute { type: string; value: string }

const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;
const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

const fail = (reason: string) => invalidParameter(`FilterPolicy: ${reason}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and checks a policy; throws AWS's InvalidParameter for a malformed one. */
export function parseFilterPolicy(text: string, scope: FilterScope): Policy {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw fail('failed to parse JSON.');
  }
  if (!isObject(policy)) throw fail('Filter policy must be a JSON object');
  const combinations = checkObject(policy, scope, 0);
  if (combinations > MAX_COMBINATIONS) throw fail('Filter policy is too complex');
  return policy;
}

/** Checks a (nested) policy object; answers its number of value combinations. */
function checkObject(policy: Record<string, unknown>, scope: FilterScope, depth: number): number {
  let combinations = 1;
  const keys = Object.keys(policy).filter((k) => k !== '$or');
  if (depth === 0 && keys.length > MAX_KEYS && scope === 'MessageAttributes') throw fail('Filter policy can not have more than 5 keys');
  for (const [key, value] of Object.entries(policy)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) throw fail('$or must be an array of at least 2 objects');
      combinations *= value.reduce((n: number, p) => n + checkObject(p as Policy, scope, depth), 0);
    } else if (isObject(value)) {
      if (scope !== 'MessageBody') throw fail(`"${key}" must be an object or an array`);
      combinations *= checkObject(value, scope, depth + 1);
    } else if (Array.isArray(value)) {
      if (!value.length) throw fail(`Empty arrays are not allowed`);
      value.forEach(checkCondition);
      combinations *= value.length;
    } else {
      throw fail(`"${key}" must be an object or an array`);
    }
  }
  return combinations;
}

function checkCondition(c: unknown): void {
  if (c === null || typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean') return;
  if (!isObject(c) || Object.keys(c).length !== 1) throw fail('Match value must be String, number, true, false, or null');
  const [op, arg] = Object.entries(c)[0];
  switch (op) {
    case 'prefix': case 'suffix': case 'equals-ignore-case':
      if (typeof arg !== 'string') throw fail(`${op} match pattern must be a string`);
      return;
    case 'exists':
      if (typeof arg !== 'boolean') throw fail('exists match pattern must be either true or false.');
      return;
    case 'anything-but': {
      if (isObject(arg)) {
        const [inner, v] = Object.entries(arg)[0] ?? [];
        if ((inner !== 'prefix' && inner !== 'suffix') || typeof v !== 'string') throw fail('Unsupported anything-but pattern');
        return;
      }
      const values = Array.isArray(arg) ? arg : [arg];
      if (!values.length || !values.every((v) => typeof v === 'string' || typeof v === 'number')) throw fail('anything-but: Inside anything but list, start|null|boolean is not supported.');
      return;
    }
    case 'numeric': {
      if (!Array.isArray(arg) || !arg.length || arg.length % 2 !== 0) throw fail('Value of numeric must be an array.');
      for (let i = 0; i < arg.length; i += 2) {
        if (!NUMERIC_OPERATORS.has(String(arg[i]))) throw fail(`Unrecognized numeric range operator: ${String(arg[i])}`);
        if (typeof arg[i + 1] !== 'number') throw fail(`Value of ${String(arg[i])} must be numeric`);
      }
      return;
    }
    default:
      throw fail(`Unrecognized match type ${op}`);
  }
}

/** Does a message's attributes (scope MessageAttributes) match the policy? */
export function matchesAttributes(policy: Policy, attributes: Record<string, FilterAttribute>): boolean {
  return matchObject(policy, (key) => {
    const a = attributes[key];
    if (!a || a.type.startsWith('Binary')) return undefined;
    if (a.type.startsWith('String.Array')) {
      try {
        const parsed: unknown = JSON.parse(a.value);
        return Array.isArray(parsed) ? parsed : [a.value];
      } catch {
        return [a.value];
      }
    }
    return [a.type.startsWith('Number') ? Number(a.value) : a.value];
  });
}

/** Does a message body (scope MessageBody) match the policy? A body that is not a JSON object never does. */
export function matchesBody(policy: Policy, body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  return isObject(parsed) && matchBody(policy, parsed);
}

function matchBody(policy: Policy, body: Record<string, unknown>): boolean {
  return Object.entries(policy).every(([key, condition]) => {
    if (key === '$or') return (condition as Policy[]).some((p) => matchBody(p, body));
    const value = body[key];
    if (isObject(condition)) {
      const nested = Array.isArray(value) ? value.filter(isObject) : isObject(value) ? [value] : [];
      return nested.some((v) => matchBody(condition, v));
    }
    const values = value === undefined ? undefined : Array.isArray(value) ? value : [value];
    return matchKey(condition as unknown[], values);
  });
}

function matchObject(policy: Policy, valuesOf: (key: string) => unknown[] | undefined): boolean {
  return Object.entries(policy).every(([key, condition]) =>
    key === '$or' ? (condition as Policy[]).some((p) => matchObject(p, valuesOf)) : matchKey(condition as unknown[], valuesOf(key)));
}

/** One key's conditions (any may match) against its values (undefined: the key is absent). */
function matchKey(conditions: unknown[], values: unknown[] | undefined): boolean {
  return conditions.some((c) => {
    if (isObject(c) && 'exists' in c) return c.exists === (values !== undefined);
    if (values === undefined) return false;
    return isObject(c) && 'anything-but' in c ? values.every((v) => !matchOne(c['anything-but'], v, true)) : values.some((v) => matchOne(c, v, false));
  });
}

function matchOne(c: unknown, v: unknown, inAnythingBut: boolean): boolean {
  if (inAnythingBut && Array.isArray(c)) return c.some((x) => matchOne(x, v, true));
  if (c === null || typeof c === 'boolean') return v === c;
  if (typeof c === 'string') return v === c;
  if (typeof c === 'number') return typeof v === 'number' && v === c;
  if (!isObject(c)) return false;
  const [op, arg] = Object.entries(c)[0];
  switch (op) {
    case 'prefix': return typeof v === 'string' && v.startsWith(arg as string);
    case 'suffix': return typeof v === 'string' && v.endsWith(arg as string);
    case 'equals-ignore-case': return typeof v === 'string' && v.toLowerCase() === (arg as string).toLowerCase();
    case 'numeric': return typeof v === 'number' && Number.isFinite(v) && inRange(arg as (string | number)[], v);
    default: return false;
  }
}

function inRange(range: (string | number)[], v: number): boolean {
  for (let i = 0; i < range.length; i += 2) {
    const bound = range[i + 1] as number;
    const ok = { '=': v === bound, '<': v < bound, '<=': v <= bound, '>': v > bound, '>=': v >= bound }[range[i] as '='];
    if (!ok) return false;
  }
  return true;
}
