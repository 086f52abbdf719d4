// EventBridge's event pattern language: a pattern is compiled once (validated, with AWS's
// InvalidEventPatternException reasons) into a matcher tree, then matched against events.
// A pattern names fields (nested objects follow the event's nesting) whose leaves are arrays of
// alternatives: exact values, or one-key objects (prefix, suffix, anything-but, numeric, exists,
// cidr, equals-ignore-case, wildcard); `$or` lists alternative sub-patterns. A field whose event
// value is an array matches when any of its elements does.
import { awsError, type AwsError } from '../core/errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const invalidEventPattern = (reason: string): AwsError => awsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`);

type ValueTest = (value: Json) => boolean;

interface FieldRule {
  kind: 'leaf';
  key: string;
  tests: ValueTest[];
  /** `{"exists": false}` among the alternatives: an absent field matches. */
  absentMatches: boolean;
}

interface NestedRule {
  kind: 'nested';
  key: string;
  pattern: CompiledPattern;
}

interface OrRule {
  kind: 'or';
  alternatives: CompiledPattern[];
}

export interface CompiledPattern {
  rules: (FieldRule | NestedRule | OrRule)[];
}

/** Parses and validates a pattern's JSON text; throws InvalidEventPatternException in AWS's words. */
export function compileEventPattern(text: string): CompiledPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw invalidEventPattern(`${(e as Error).message}`);
  }
  if (!isObject(parsed)) throw invalidEventPattern('Filter is not an object');
  return compileObject(parsed as Record<string, Json>);
}

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compileObject(obj: Record<string, Json>): CompiledPattern {
  const keys = Object.keys(obj);
  if (!keys.length) throw invalidEventPattern('Empty objects are not allowed');
  const rules: CompiledPattern['rules'] = [];
  for (const key of keys) {
    const value = obj[key];
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw invalidEventPattern('Value of $or must be an array of at least two objects');
      rules.push({ kind: 'or', alternatives: value.map((alt) => {
        if (!isObject(alt)) throw invalidEventPattern('Value of $or must be an array of objects');
        return compileObject(alt);
      }) });
    } else if (Array.isArray(value)) {
      rules.push(compileLeaf(key, value));
    } else if (isObject(value)) {
      rules.push({ kind: 'nested', key, pattern: compileObject(value) });
    } else {
      throw invalidEventPattern(`"${key}" must be an object or an array`);
    }
  }
  return { rules };
}

function compileLeaf(key: string, alternatives: Json[]): FieldRule {
  if (!alternatives.length) throw invalidEventPattern('Empty arrays are not allowed');
  const tests: ValueTest[] = [];
  let absentMatches = false;
  for (const alt of alternatives) {
    if (Array.isArray(alt)) throw invalidEventPattern('Match value must be String, number, true, false, or null');
    if (!isObject(alt)) {
      tests.push(exactTest(alt));
      continue;
    }
    const names = Object.keys(alt);
    if (names.length !== 1) throw invalidEventPattern('Only one key allowed in match expression');
    const [name] = names;
    const arg = alt[name];
    if (name === 'exists') {
      if (typeof arg !== 'boolean') throw invalidEventPattern('exists match pattern must be either true or false.');
      if (arg) tests.push(() => true);
      else absentMatches = true;
    } else {
      tests.push(compileMatcher(name, arg));
    }
  }
  return { kind: 'leaf', key, tests, absentMatches };
}

/** Numbers compare by value (5 and 5.0 are one), strings by their text. */
function exactTest(expected: Json): ValueTest {
  return (v) => v === expected;
}

function compileMatcher(name: string, arg: Json): ValueTest {
  switch (name) {
    case 'prefix':
    case 'suffix':
      return affixTest(name, arg);
    case 'equals-ignore-case': {
      const s = requireString(arg, 'equals-ignore-case match pattern must be a string');
      const folded = s.toLowerCase();
      return (v) => typeof v === 'string' && v.toLowerCase() === folded;
    }
    case 'wildcard':
      return wildcardTest(arg);
    case 'anything-but':
      return anythingButTest(arg);
    case 'numeric':
      return numericTest(arg);
    case 'cidr':
      return cidrTest(arg);
    default:
      throw invalidEventPattern(`Unrecognized match type ${name}`);
  }
}

function requireString(arg: Json, message: string): string {
  if (typeof arg !== 'string') throw invalidEventPattern(message);
  return arg;
}

function affixTest(name: 'prefix' | 'suffix', arg: Json): ValueTest {
  let ignoreCase = false;
  let text: string;
  if (isObject(arg) && Object.keys(arg).length === 1 && 'equals-ignore-case' in arg) {
    ignoreCase = true;
    text = requireString(arg['equals-ignore-case'], `equals-ignore-case match pattern must be a string`);
  } else {
    text = requireString(arg, `${name} match pattern must be a string`);
  }
  const wanted = ignoreCase ? text.toLowerCase() : text;
  return (v) => {
    if (typeof v !== 'string') return false;
    const s = ignoreCase ? v.toLowerCase() : v;
    return name === 'prefix' ? s.startsWith(wanted) : s.endsWith(wanted);
  };
}

function wildcardTest(arg: Json): ValueTest {
  const pattern = requireString(arg, 'wildcard match pattern must be a string');
  const pos = pattern.indexOf('**');
  if (pos >= 0) throw invalidEventPattern(`Consecutive wildcard characters at pos ${pos + 1}`);
  // `\*` is a literal star, `\\` a literal backslash; anything else after a backslash is refused.
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') throw invalidEventPattern(`Invalid escape character at pos ${i}`);
      source += `\\${next}`;
      i++;
    } else if (c === '*') {
      source += '.*';
    } else {
      source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const re = new RegExp(`^${source}$`, 's');
  return (v) => typeof v === 'string' && re.test(v);
}

function anythingButTest(arg: Json): ValueTest {
  if (isObject(arg)) {
    const names = Object.keys(arg);
    if (names.length !== 1 || !['prefix', 'suffix', 'equals-ignore-case', 'wildcard'].includes(names[0])) {
      throw invalidEventPattern(`Unsupported anything-but pattern: ${names[0] ?? ''}`);
    }
    const inner = compileAnythingButInner(names[0], arg[names[0]]);
    return (v) => typeof v === 'string' && !inner(v);
  }
  const values = Array.isArray(arg) ? arg : [arg];
  if (!values.length) throw invalidEventPattern('Empty arrays are not allowed');
  const strings = values.every((x) => typeof x === 'string');
  const numbers = values.every((x) => typeof x === 'number');
  if (!strings && !numbers) throw invalidEventPattern('Inside anything but list, start|null|boolean is not supported.');
  return (v) => (typeof v === 'string' || typeof v === 'number') && !(values as Json[]).includes(v);
}

function compileAnythingButInner(name: string, arg: Json): ValueTest {
  if (name === 'equals-ignore-case' && Array.isArray(arg)) {
    const folded = arg.map((x) => requireString(x, 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.').toLowerCase());
    return (v) => typeof v === 'string' && folded.includes(v.toLowerCase());
  }
  if ((name === 'prefix' || name === 'suffix') && typeof arg === 'string' && arg === '') throw invalidEventPattern(`Null ${name} not allowed`);
  return compileMatcher(name, arg);
}

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

function numericTest(arg: Json): ValueTest {
  if (!Array.isArray(arg)) throw invalidEventPattern('Value of numeric must be an array.');
  if (!arg.length || arg.length % 2 !== 0 || arg.length > 4) throw invalidEventPattern('Bad numeric range');
  const checks: ((n: number) => boolean)[] = [];
  let lower = false;
  let upper = false;
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const bound = arg[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPERATORS.has(op)) throw invalidEventPattern(`Unrecognized numeric range operator: ${JSON.stringify(op)}`);
    if (typeof bound !== 'number') throw invalidEventPattern(`Value of ${op} must be numeric`);
    if (op === '=') {
      if (arg.length !== 2) throw invalidEventPattern('Bad numeric range');
      checks.push((n) => n === bound);
    } else if (op === '>' || op === '>=') {
      if (lower) throw invalidEventPattern('Bad numeric range');
      lower = true;
      checks.push(op === '>' ? (n) => n > bound : (n) => n >= bound);
    } else {
      if (upper) throw invalidEventPattern('Bad numeric range');
      upper = true;
      checks.push(op === '<' ? (n) => n < bound : (n) => n <= bound);
    }
  }
  if (lower && upper) {
    const lo = arg[1] as number;
    const hi = arg[3] as number;
    const [low, high] = NUMERIC_OPERATORS.has(arg[0] as string) && (arg[0] === '>' || arg[0] === '>=') ? [lo, hi] : [hi, lo];
    if (low >= high) throw invalidEventPattern('Bad numeric range');
  }
  return (v) => typeof v === 'number' && checks.every((c) => c(v));
}

function cidrTest(arg: Json): ValueTest {
  const text = requireString(arg, 'cidr match pattern must be a string');
  const slash = text.indexOf('/');
  const base = parseIp(slash >= 0 ? text.slice(0, slash) : text);
  const bits = slash >= 0 ? Number(text.slice(slash + 1)) : base?.length === 4 ? 32 : 128;
  if (!base || !Number.isInteger(bits) || bits < 0 || bits > base.length * 8 || (slash >= 0 && !/^\d+$/.test(text.slice(slash + 1)))) {
    throw invalidEventPattern(`Nonstandard IP address: ${text}`);
  }
  return (v) => {
    if (typeof v !== 'string') return false;
    const ip = parseIp(v);
    return ip !== undefined && ip.length === base.length && prefixEqual(ip, base, bits);
  };
}

function prefixEqual(a: number[], b: number[], bits: number): boolean {
  for (let i = 0; i < a.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}

/** An IPv4 or IPv6 address as its bytes. */
function parseIp(text: string): number[] | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    return parts.every((p) => p <= 255) ? parts : undefined;
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((g) => g.length === 0 || g.length > 4)) return undefined;
  return all.flatMap((g) => { const n = parseInt(g, 16); return [n >> 8, n & 0xff]; });
}

/** True when the event (parsed JSON) matches the pattern. */
export function matchesPattern(pattern: CompiledPattern, event: unknown): boolean {
  return matchObject(pattern, event as Json);
}

function matchObject(pattern: CompiledPattern, value: Json): boolean {
  if (!isObject(value)) return false;
  return pattern.rules.every((rule) => {
    if (rule.kind === 'or') return rule.alternatives.some((alt) => matchObject(alt, value));
    const field = Object.hasOwn(value, rule.key) ? value[rule.key] : undefined;
    if (rule.kind === 'nested') {
      if (field === undefined) return nestedAbsentMatches(rule.pattern);
      const candidates = Array.isArray(field) ? field : [field];
      return candidates.some((c) => matchObject(rule.pattern, c));
    }
    const leaves = field === undefined ? [] : (Array.isArray(field) ? field : [field]).filter((x) => !isObject(x) && !Array.isArray(x));
    if (!leaves.length) return rule.absentMatches && (field === undefined || (Array.isArray(field) && field.length === 0));
    return leaves.some((leaf) => rule.tests.some((t) => t(leaf)));
  });
}

/** A missing object matches a sub-pattern only when all its fields may be absent (`exists: false`). */
function nestedAbsentMatches(pattern: CompiledPattern): boolean {
  return pattern.rules.every((rule) => {
    if (rule.kind === 'leaf') return rule.absentMatches;
    if (rule.kind === 'nested') return nestedAbsentMatches(rule.pattern);
    return rule.alternatives.some(nestedAbsentMatches);
  });
}
