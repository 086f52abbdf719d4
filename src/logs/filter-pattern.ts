// CloudWatch Logs filter patterns (FilterLogEvents, `aws logs tail --filter-pattern`), compiled
// once into a predicate over event messages. Supported, after AWS's "Filter and pattern syntax":
//   terms        ERROR Exception          every term occurs (case-sensitive substring)
//   phrases      "Failed to process"      quoted text occurs as written
//   OR           ?ERROR ?WARN             at least one of the ?terms occurs
//   exclusion    ERROR -DEBUG, - "x"      the term does not occur
//   regex        %ERROR [0-9]+%           a JavaScript regular expression (AWS's subset of it)
//   JSON         { $.level = "ERROR" && ($.latency > 500 || $.user.id = 1) }
//                = != < > <= >=, "*" wildcards in strings, IS NULL, IS TRUE, IS FALSE, NOT EXISTS
//   delimited    [ip, user, ..., status = 4*, bytes > 1000]
// Anything else is rejected with InvalidParameterException "Invalid filter pattern", as AWS does.

import { linearRegExp } from '../core/linear-regex.js';

export type MessageMatcher = (message: string) => boolean;

export class FilterPatternError extends Error {}

const matchAll: MessageMatcher = () => true;

/** What a matching message yields to a metric filter: its fields, and the value a `$...` reference names. */
export interface MatchedFields {
  /** TestMetricFilter's `extractedValues`: `$name` per delimited field, `$.path` per JSON selector of the pattern. */
  extracted: Record<string, string>;
  /** The field a metric value or dimension names (`$status`, `$.latency`); undefined when absent or not a value. */
  value(ref: string): string | undefined;
}

/** A compiled pattern: `test` for FilterLogEvents, `fields` (undefined when no match) for metric filters. */
export interface CompiledPattern {
  test: MessageMatcher;
  fields(message: string): MatchedFields | undefined;
  /** Whether a `$...` reference can name a field of this pattern's matches. */
  canReference(ref: string): boolean;
}

export function compileFilterPattern(pattern: string | undefined): MessageMatcher {
  return compilePattern(pattern).test;
}

export function compilePattern(pattern: string | undefined): CompiledPattern {
  const text = (pattern ?? '').trim();
  if (text === '' || /^"\s*"$/.test(text)) return withoutFields(matchAll);
  if (text.startsWith('{')) return compileJsonPattern(text);
  if (text.startsWith('[')) return compileDelimitedPattern(text);
  return withoutFields(compileTermPattern(text));
}

const NO_FIELDS: MatchedFields = { extracted: {}, value: () => undefined };

function withoutFields(test: MessageMatcher): CompiledPattern {
  return { test, fields: (m) => (test(m) ? NO_FIELDS : undefined), canReference: () => false };
}

// ---------------------------------------------------------------- terms, phrases, regex

interface Term {
  kind: 'required' | 'optional' | 'excluded';
  test: (message: string) => boolean;
}

function compileTermPattern(text: string): MessageMatcher {
  const terms: Term[] = [];
  let i = 0;
  let pendingKind: Term['kind'] | undefined;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let kind: Term['kind'] = pendingKind ?? 'required';
    if ((c === '?' || c === '-') && pendingKind === undefined) {
      kind = c === '?' ? 'optional' : 'excluded';
      i++;
      if (i >= text.length || /\s/.test(text[i])) {
        pendingKind = kind; // "- term": the sign applies to the next term
        continue;
      }
    }
    pendingKind = undefined;
    let test: (m: string) => boolean;
    if (text[i] === '"') {
      const { value, end } = readQuoted(text, i);
      i = end;
      test = (m) => m.includes(value);
    } else if (text[i] === '%') {
      const end = text.indexOf('%', i + 1);
      if (end < 0) throw new FilterPatternError('unterminated regular expression');
      const re = compileRegex(text.slice(i + 1, end));
      i = end + 1;
      test = (m) => re.test(m);
    } else {
      let end = i;
      while (end < text.length && !/\s/.test(text[end])) end++;
      const word = text.slice(i, end);
      i = end;
      test = (m) => m.includes(word);
    }
    terms.push({ kind, test });
  }
  if (pendingKind !== undefined) throw new FilterPatternError('operator without a term');
  const required = terms.filter((t) => t.kind === 'required');
  const optional = terms.filter((t) => t.kind === 'optional');
  const excluded = terms.filter((t) => t.kind === 'excluded');
  return (m) => required.every((t) => t.test(m))
    && (optional.length === 0 || optional.some((t) => t.test(m)))
    && !excluded.some((t) => t.test(m));
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
      continue;
    }
    if (c === '"') return { value, end: i + 1 };
    value += c;
    i++;
  }
  throw new FilterPatternError('unterminated quoted string');
}

function compileRegex(source: string): RegExp {
  if (/[()]/.test(source)) throw new FilterPatternError('parentheses are not supported in regular expressions');
  try {
    return linearRegExp(source);
  } catch {
    throw new FilterPatternError('invalid regular expression');
  }
}

// ---------------------------------------------------------------- JSON patterns

type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
const MISSING = Symbol('missing');
type Selected = JsonValue | typeof MISSING;

type Expr =
  | { op: 'and' | 'or'; left: Expr; right: Expr }
  | { op: 'cmp'; selector: PathStep[]; cmp: Comparator; value: Literal }
  | { op: 'is'; selector: PathStep[]; what: 'NULL' | 'TRUE' | 'FALSE' | 'NOT EXISTS' | 'EXISTS' };

type PathStep = string | number;
type Comparator = '=' | '!=' | '<' | '>' | '<=' | '>=';
type Literal = { kind: 'number'; value: number; text: string } | { kind: 'string'; value: string; glob: RegExp | undefined } | { kind: 'regex'; re: RegExp };

class Tokens {
  pos = 0;
  constructor(readonly text: string) {}
  skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }
  peek(s: string): boolean {
    this.skip();
    return this.text.startsWith(s, this.pos);
  }
  eat(s: string): boolean {
    if (!this.peek(s)) return false;
    this.pos += s.length;
    return true;
  }
  expect(s: string): void {
    if (!this.eat(s)) throw new FilterPatternError(`expected '${s}' at ${this.pos}`);
  }
  keyword(word: string): boolean {
    this.skip();
    const slice = this.text.slice(this.pos, this.pos + word.length);
    if (slice.toUpperCase() !== word || /[A-Za-z0-9_]/.test(this.text[this.pos + word.length] ?? '')) return false;
    this.pos += word.length;
    return true;
  }
  done(): boolean {
    this.skip();
    return this.pos >= this.text.length;
  }
}

function compileJsonPattern(text: string): CompiledPattern {
  const t = new Tokens(text);
  t.expect('{');
  const expr = parseOr(t);
  t.expect('}');
  if (!t.done()) throw new FilterPatternError('text after the closing brace');
  const selectors = new Map<string, PathStep[]>();
  collectSelectors(expr, selectors);
  return {
    test: (message) => {
      const doc = parseJsonMessage(message);
      return doc !== MISSING && evaluate(expr, doc);
    },
    fields: (message) => {
      const doc = parseJsonMessage(message);
      if (doc === MISSING || !evaluate(expr, doc)) return undefined;
      const extracted: Record<string, string> = {};
      for (const [name, steps] of selectors) {
        const v = scalarText(select(doc, steps));
        if (v !== undefined) extracted[name] = v;
      }
      return { extracted, value: (ref) => (ref.startsWith('$.') ? scalarText(select(doc, selectorOf(ref))) : undefined) };
    },
    canReference: (ref) => ref.startsWith('$.') && tryParse(() => selectorOf(ref)),
  };
}

const pathText = (steps: PathStep[]): string => `$${steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;

function collectSelectors(expr: Expr, into: Map<string, PathStep[]>): void {
  if ('left' in expr) {
    collectSelectors(expr.left, into);
    collectSelectors(expr.right, into);
  } else {
    into.set(pathText(expr.selector), expr.selector);
  }
}

/** A whole `$.a.b[0]` reference as path steps. */
function selectorOf(ref: string): PathStep[] {
  const t = new Tokens(ref);
  const steps = parseSelector(t);
  if (t.pos !== ref.length) throw new FilterPatternError(`invalid selector '${ref}'`);
  return steps;
}

function tryParse(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

function scalarText(v: Selected): string | undefined {
  if (v === MISSING || (v !== null && typeof v === 'object')) return undefined;
  return String(v);
}

function parseOr(t: Tokens): Expr {
  let left = parseAnd(t);
  while (t.eat('||')) left = { op: 'or', left, right: parseAnd(t) };
  return left;
}

function parseAnd(t: Tokens): Expr {
  let left = parseUnary(t);
  while (t.eat('&&')) left = { op: 'and', left, right: parseUnary(t) };
  return left;
}

function parseUnary(t: Tokens): Expr {
  if (t.eat('(')) {
    const inner = parseOr(t);
    t.expect(')');
    return inner;
  }
  const selector = parseSelector(t);
  if (t.keyword('IS')) {
    for (const what of ['NULL', 'TRUE', 'FALSE'] as const) if (t.keyword(what)) return { op: 'is', selector, what };
    throw new FilterPatternError('expected NULL, TRUE or FALSE after IS');
  }
  if (t.keyword('NOT')) {
    if (!t.keyword('EXISTS')) throw new FilterPatternError('expected EXISTS after NOT');
    return { op: 'is', selector, what: 'NOT EXISTS' };
  }
  if (t.keyword('EXISTS')) return { op: 'is', selector, what: 'EXISTS' };
  const cmp = parseComparator(t);
  const value = parseLiteral(t, cmp);
  return { op: 'cmp', selector, cmp, value };
}

function parseSelector(t: Tokens): PathStep[] {
  t.skip();
  if (t.text[t.pos] !== '$') throw new FilterPatternError(`expected a selector ($...) at ${t.pos}`);
  t.pos++;
  const steps: PathStep[] = [];
  for (;;) {
    const c = t.text[t.pos];
    if (c === '.') {
      t.pos++;
      const m = /^[A-Za-z0-9_\-@$]+|^\*/.exec(t.text.slice(t.pos));
      if (!m) throw new FilterPatternError(`expected a property name at ${t.pos}`);
      steps.push(m[0]);
      t.pos += m[0].length;
    } else if (c === '[') {
      const m = /^\[(\d+)\]/.exec(t.text.slice(t.pos));
      if (!m) throw new FilterPatternError(`expected an array index at ${t.pos}`);
      steps.push(Number(m[1]));
      t.pos += m[0].length;
    } else {
      return steps;
    }
  }
}

function parseComparator(t: Tokens): Comparator {
  for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) if (t.eat(op)) return op;
  throw new FilterPatternError(`expected a comparison operator at ${t.pos}`);
}

function parseLiteral(t: Tokens, cmp: Comparator): Literal {
  t.skip();
  const rest = t.text.slice(t.pos);
  if (rest.startsWith('"')) {
    const { value, end } = readQuoted(t.text, t.pos);
    t.pos = end;
    return stringLiteral(value);
  }
  if (rest.startsWith('%')) {
    const end = t.text.indexOf('%', t.pos + 1);
    if (end < 0) throw new FilterPatternError('unterminated regular expression');
    const re = compileRegex(t.text.slice(t.pos + 1, end));
    t.pos = end + 1;
    return { kind: 'regex', re };
  }
  const num = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?(?![A-Za-z0-9_.*])/.exec(rest);
  if (num) {
    t.pos += num[0].length;
    return { kind: 'number', value: Number(num[0]), text: num[0] };
  }
  const bare = /^[^\s()&|}]+/.exec(rest);
  if (!bare) throw new FilterPatternError(`expected a value at ${t.pos}`);
  if (cmp !== '=' && cmp !== '!=') throw new FilterPatternError('numeric comparison needs a number');
  t.pos += bare[0].length;
  return stringLiteral(bare[0]);
}

function stringLiteral(value: string): Literal {
  return { kind: 'string', value, glob: value.includes('*') ? globToRegExp(value) : undefined };
}

function globToRegExp(glob: string): RegExp {
  return linearRegExp(`^${glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

function parseJsonMessage(message: string): JsonValue | typeof MISSING {
  const attempt = (s: string): JsonValue | typeof MISSING => {
    try {
      return JSON.parse(s) as JsonValue;
    } catch {
      return MISSING;
    }
  };
  const trimmed = message.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return attempt(trimmed);
  // Lambda's text log format prefixes the logged JSON with timestamp, request id and level.
  const brace = trimmed.indexOf('{');
  return brace > 0 && trimmed.endsWith('}') ? attempt(trimmed.slice(brace)) : MISSING;
}

function select(doc: JsonValue, steps: PathStep[]): Selected {
  let node: Selected = doc;
  for (const step of steps) {
    if (node === MISSING || node === null || typeof node !== 'object') return MISSING;
    if (typeof step === 'number') {
      if (!Array.isArray(node)) return MISSING;
      node = step < node.length ? node[step] : MISSING;
    } else {
      if (Array.isArray(node)) return MISSING;
      node = Object.hasOwn(node, step) ? node[step] : MISSING;
    }
  }
  return node;
}

function evaluate(expr: Expr, doc: JsonValue): boolean {
  switch (expr.op) {
    case 'and':
      return evaluate(expr.left, doc) && evaluate(expr.right, doc);
    case 'or':
      return evaluate(expr.left, doc) || evaluate(expr.right, doc);
    case 'is':
      return checkIs(select(doc, expr.selector), expr.what);
    case 'cmp': {
      const v = select(doc, expr.selector);
      // Only value nodes can be compared; objects, arrays and absent members never match.
      if (v === MISSING || (v !== null && typeof v === 'object')) return false;
      return compareScalar(v, expr.cmp, expr.value);
    }
  }
}

function checkIs(v: Selected, what: Extract<Expr, { op: 'is' }>['what']): boolean {
  switch (what) {
    case 'NULL': return v === null;
    case 'TRUE': return v === true;
    case 'FALSE': return v === false;
    case 'NOT EXISTS': return v === MISSING;
    case 'EXISTS': return v !== MISSING;
  }
}

function compareScalar(v: null | boolean | number | string, cmp: Comparator, lit: Literal): boolean {
  if (lit.kind === 'regex') {
    if (v === null || typeof v === 'boolean') return false;
    const hit = lit.re.test(String(v));
    return cmp === '!=' ? !hit : cmp === '=' && hit;
  }
  if (lit.kind === 'number') {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isNaN(n)) return cmp === '!=' && v !== null;
    switch (cmp) {
      case '=': return n === lit.value;
      case '!=': return n !== lit.value;
      case '<': return n < lit.value;
      case '>': return n > lit.value;
      case '<=': return n <= lit.value;
      case '>=': return n >= lit.value;
    }
  }
  if (v === null) return false;
  const s = String(v);
  const hit = lit.glob ? lit.glob.test(s) : s === lit.value;
  return cmp === '!=' ? !hit : hit;
}

// ---------------------------------------------------------------- space-delimited patterns

interface Slot {
  name: string;
  ellipsis: boolean;
}

interface DelimitedCondition {
  field: string;
  cmp: Comparator;
  value: Literal;
}

/** A slot's condition: an OR of ANDs of comparisons, e.g. `status = 4* && status != 403 || status = 500`. */
type ConditionGroup = DelimitedCondition[][];

function compileDelimitedPattern(text: string): CompiledPattern {
  if (!text.endsWith(']')) throw new FilterPatternError('expected ] at the end');
  const body = text.slice(1, -1);
  const slots: Slot[] = [];
  const conditions: ConditionGroup[] = [];
  for (const raw of splitTopLevel(body, ',')) {
    const part = raw.trim();
    if (part === '') {
      // An unnamed field, e.g. after a trailing comma: `[..., status_code = 4*,]` ends with one more field.
      if (!slots.length) throw new FilterPatternError('empty field');
      slots.push({ name: `$${slots.length + 1}`, ellipsis: false });
      continue;
    }
    if (part === '...') {
      slots.push({ name: '', ellipsis: true });
      continue;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(.*)$/s.exec(part);
    if (!m) throw new FilterPatternError(`invalid field '${part}'`);
    slots.push({ name: m[1], ellipsis: false });
    if (m[2]) conditions.push(parseDelimitedCondition(m[1], m[2]));
  }
  if (slots.filter((s) => s.ellipsis).length > 1) throw new FilterPatternError('only one ellipsis is supported');
  const matching = (message: string): Map<string, string> | undefined => {
    const bound = bindSlots(slots, splitFields(message));
    if (!bound) return undefined;
    const hit = conditions.every((group) => group.some((all) => all.every((c) => {
      const v = bound.get(c.field);
      return v !== undefined && compareScalar(v, c.cmp, c.value);
    })));
    return hit ? bound : undefined;
  };
  const named = new Set(slots.filter((s) => !s.ellipsis).map((s) => s.name));
  return {
    test: (message) => matching(message) !== undefined,
    fields: (message) => {
      const bound = matching(message);
      if (!bound) return undefined;
      const extracted: Record<string, string> = {};
      for (const [name, v] of bound) extracted[name.startsWith('$') ? name : `$${name}`] = v;
      return { extracted, value: (ref) => (ref.startsWith('$') ? bound.get(ref.slice(1)) ?? bound.get(ref) : undefined) };
    },
    canReference: (ref) => ref.startsWith('$') && (named.has(ref.slice(1)) || named.has(ref)),
  };
}

function parseDelimitedCondition(slotName: string, text: string): ConditionGroup {
  return text.split('||').map((alternative) => alternative.split('&&').map((piece) => {
    const trimmed = piece.trim();
    // A comparison names its field (`bytes > 1000`) or applies to the slot itself (`= 4*`).
    const named = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?=[=!<>])/.exec(trimmed);
    const t = new Tokens(named ? trimmed.slice(named[0].length) : trimmed);
    const cmp = parseComparator(t);
    const value = parseLiteral(t, cmp);
    if (!t.done()) throw new FilterPatternError(`unexpected text in '${trimmed}'`);
    return { field: named ? named[1] : slotName, cmp, value };
  }));
}

function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && (c === '(' || c === '[')) depth++;
    else if (!quoted && (c === ')' || c === ']')) depth--;
    else if (!quoted && depth === 0 && c === sep) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Splits a message on whitespace; text inside [...] or "..." is one field (without the delimiters). */
function splitFields(message: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < message.length) {
    const c = message[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const close = c === '[' ? ']' : c === '"' ? '"' : undefined;
    if (close) {
      const end = message.indexOf(close, i + 1);
      if (end > 0) {
        fields.push(message.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let end = i;
    while (end < message.length && !/\s/.test(message[end])) end++;
    fields.push(message.slice(i, end));
    i = end;
  }
  return fields;
}

function bindSlots(slots: Slot[], fields: string[]): Map<string, string> | undefined {
  const bound = new Map<string, string>();
  const at = slots.findIndex((s) => s.ellipsis);
  if (at < 0) {
    if (fields.length !== slots.length) return undefined;
    slots.forEach((s, i) => bound.set(s.name, fields[i]));
    return bound;
  }
  const before = slots.slice(0, at);
  const after = slots.slice(at + 1);
  if (fields.length < before.length + after.length) return undefined;
  before.forEach((s, i) => bound.set(s.name, fields[i]));
  after.forEach((s, i) => bound.set(s.name, fields[fields.length - after.length + i]));
  return bound;
}
