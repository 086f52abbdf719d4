// Choice rules: the comparison operators (each with its `…Path` twin comparing to another input
// value), the type tests (IsNull, IsPresent, …) and And / Or / Not, as the States Language defines them.
import { select, type Json } from './jsonpath.js';
import { StatesError } from './errors.js';

export type ChoiceRule = Record<string, Json>;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isTimestamp = (v: unknown): v is string => typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
const COMPARISONS = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'] as const;

/** Every operator a rule may carry (a rule with none of them is not a valid rule). */
export const OPERATORS: string[] = [
  ...(['String', 'Numeric', 'Timestamp'] as const).flatMap((k) => COMPARISONS.flatMap((c) => [`${k}${c}`, `${k}${c}Path`])),
  'BooleanEquals', 'BooleanEqualsPath', 'StringMatches', 'IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp', 'And', 'Or', 'Not',
];

/** StringMatches: `*` matches any run of characters; `\*` and `\\` are literal. */
export function matches(value: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') re += '.*';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's').test(value);
}

function typeOk(kind: Kind, v: unknown): boolean {
  if (kind === 'String') return typeof v === 'string';
  if (kind === 'Numeric') return typeof v === 'number';
  if (kind === 'Boolean') return typeof v === 'boolean';
  return isTimestamp(v);
}

function compare(kind: Kind, op: string, a: Json, b: Json): boolean {
  if (!typeOk(kind, a) || !typeOk(kind, b)) return false;
  const x = kind === 'Timestamp' ? Date.parse(a as string) : (a as string | number | boolean);
  const y = kind === 'Timestamp' ? Date.parse(b as string) : (b as string | number | boolean);
  switch (op) {
    case 'Equals': return x === y;
    case 'LessThan': return x < y;
    case 'GreaterThan': return x > y;
    case 'LessThanEquals': return x <= y;
    default: return x >= y;
  }
}

/** Whether a rule matches the Choice state's input. */
export function evaluateRule(rule: ChoiceRule, input: Json, context: Json): boolean {
  if (Array.isArray(rule.And)) return (rule.And as ChoiceRule[]).every((r) => evaluateRule(r, input, context));
  if (Array.isArray(rule.Or)) return (rule.Or as ChoiceRule[]).some((r) => evaluateRule(r, input, context));
  if (rule.Not !== undefined) return !evaluateRule(rule.Not as ChoiceRule, input, context);
  const variable = rule.Variable as string;
  const value = select(variable, input, context);
  if ('IsPresent' in rule) return (value !== undefined) === rule.IsPresent;
  const needs = (v: Json | undefined): Json => {
    if (v === undefined) throw new StatesError('States.Runtime', `Invalid path '${variable}': The choice state's condition path references an invalid value.`);
    return v;
  };
  if ('IsNull' in rule) return (needs(value) === null) === rule.IsNull;
  if ('IsNumeric' in rule) return (typeof needs(value) === 'number') === rule.IsNumeric;
  if ('IsString' in rule) return (typeof needs(value) === 'string') === rule.IsString;
  if ('IsBoolean' in rule) return (typeof needs(value) === 'boolean') === rule.IsBoolean;
  if ('IsTimestamp' in rule) return isTimestamp(needs(value)) === rule.IsTimestamp;
  if ('StringMatches' in rule) {
    const v = needs(value);
    return typeof v === 'string' && matches(v, rule.StringMatches as string);
  }
  for (const [key, operand] of Object.entries(rule)) {
    const m = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/.exec(key);
    if (!m) continue;
    let other: Json | undefined = operand;
    if (m[3]) {
      other = select(operand as string, input, context);
      if (other === undefined) throw new StatesError('States.Runtime', `Invalid path '${operand as string}': The choice state's condition path references an invalid value.`);
    }
    return compare(m[1] as Kind, m[2], needs(value), other);
  }
  return false;
}
