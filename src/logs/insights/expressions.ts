// Evaluating Logs Insights expressions against one record: comparisons (numeric when both sides
// are numbers), `like` (substring or regular expression), `in [...]`, boolean logic, arithmetic
// and the scalar functions served.
import type { Expr } from './query-parser.js';
import type { LogRecord, Value } from './discovered-fields.js';

const UNITS: Record<string, number> = {
  ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000, d: 86_400_000, w: 604_800_000,
  mon: 2_592_000_000, y: 31_536_000_000,
};

/** `5m`, `1h`, `30s` in milliseconds; undefined for anything else. */
export function durationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|sec|m|min|h|hr|d|w|mon|y)$/i.exec(text);
  return m ? Number(m[1]) * UNITS[m[2].toLowerCase()] : undefined;
}

export function toNumber(v: Value): number | undefined {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export const toText = (v: Value): string | undefined => (v === undefined ? undefined : v instanceof Date ? formatTime(v) : String(v));

/** AWS's way of showing a time in results: `2024-05-01 12:00:00.000`. */
export const formatTime = (d: Date): string => d.toISOString().replace('T', ' ').replace('Z', '');

export function truthy(v: Value): boolean {
  return v !== undefined && v !== 0 && v !== '' && v !== 'false';
}

function compare(a: Value, b: Value): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  const s = toText(a)!;
  const t = toText(b)!;
  return s < t ? -1 : s > t ? 1 : 0;
}

function like(v: Value, pattern: Expr, record: LogRecord): boolean {
  const text = toText(v);
  if (text === undefined) return false;
  if (pattern.kind === 'regex') return pattern.regex.test(text);
  const p = toText(evaluate(pattern, record));
  return p !== undefined && text.includes(p);
}

const numeric = (f: (...n: number[]) => number) => (args: Value[]) => {
  const ns = args.map(toNumber);
  return ns.some((n) => n === undefined) ? undefined : f(...(ns as number[]));
};
const textual = (f: (s: string) => Value) => (args: Value[]) => {
  const s = toText(args[0]);
  return s === undefined ? undefined : f(s);
};

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  ispresent: (a) => (a[0] === undefined ? 0 : 1),
  isempty: (a) => (a[0] === undefined || a[0] === '' ? 1 : 0),
  isblank: (a) => (a[0] === undefined || toText(a[0])!.trim() === '' ? 1 : 0),
  coalesce: (a) => a.find((v) => v !== undefined),
  strlen: textual((s) => s.length),
  tolower: textual((s) => s.toLowerCase()),
  toupper: textual((s) => s.toUpperCase()),
  trim: textual((s) => s.trim()),
  ltrim: textual((s) => s.trimStart()),
  rtrim: textual((s) => s.trimEnd()),
  concat: (a) => a.map((v) => toText(v) ?? '').join(''),
  strcontains: (a) => (toText(a[0]) !== undefined && toText(a[1]) !== undefined && toText(a[0])!.includes(toText(a[1])!) ? 1 : 0),
  substr: (a) => {
    const s = toText(a[0]);
    const from = toNumber(a[1]) ?? 0;
    const len = toNumber(a[2]);
    return s === undefined ? undefined : s.substr(from, len);
  },
  replace: (a) => {
    const [s, from, to] = a.map(toText);
    return s === undefined || from === undefined ? s : s.split(from).join(to ?? '');
  },
  abs: numeric(Math.abs),
  floor: numeric(Math.floor),
  ceil: numeric(Math.ceil),
  round: numeric((n, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits),
  sqrt: numeric(Math.sqrt),
  log: numeric(Math.log),
  greatest: numeric(Math.max),
  least: numeric(Math.min),
};

/** The function names an expression may call, for the parse-time check. */
export const SCALAR_FUNCTIONS = new Set([...Object.keys(FUNCTIONS), 'bin']);

export function binStart(ms: number, period: number): Date {
  return new Date(Math.floor(ms / period) * period);
}

export function evaluate(e: Expr, r: LogRecord): Value {
  switch (e.kind) {
    case 'literal': return e.value;
    case 'field': return r[e.name];
    case 'regex': return undefined;
    case 'list': return undefined;
    case 'unary':
      if (e.op === 'not') return truthy(evaluate(e.arg, r)) ? 0 : 1;
      { const n = toNumber(evaluate(e.arg, r)); return n === undefined ? undefined : -n; }
    case 'call': {
      if (e.name === 'bin') {
        const period = durationMs(String(e.args[0]?.kind === 'literal' ? e.args[0].value : ''))!;
        const t = toNumber(r['@timestamp']);
        return t === undefined ? undefined : binStart(t, period);
      }
      return FUNCTIONS[e.name](e.args.map((a) => evaluate(a, r)));
    }
    case 'binary': {
      switch (e.op) {
        case 'and': return truthy(evaluate(e.left, r)) && truthy(evaluate(e.right, r)) ? 1 : 0;
        case 'or': return truthy(evaluate(e.left, r)) || truthy(evaluate(e.right, r)) ? 1 : 0;
        case 'like': return like(evaluate(e.left, r), e.right, r) ? 1 : 0;
        case 'in': {
          const v = evaluate(e.left, r);
          const items = e.right.kind === 'list' ? e.right.items : [];
          return items.some((i) => compare(v, evaluate(i, r)) === 0) ? 1 : 0;
        }
      }
      const a = evaluate(e.left, r);
      const b = evaluate(e.right, r);
      const c = compare(a, b);
      switch (e.op) {
        case '=': return c === 0 ? 1 : 0;
        case '!=': return c !== undefined && c !== 0 ? 1 : 0;
        case '<': return c !== undefined && c < 0 ? 1 : 0;
        case '<=': return c !== undefined && c <= 0 ? 1 : 0;
        case '>': return c !== undefined && c > 0 ? 1 : 0;
        case '>=': return c !== undefined && c >= 0 ? 1 : 0;
      }
      const x = toNumber(a);
      const y = toNumber(b);
      if (x === undefined || y === undefined) return undefined;
      switch (e.op) {
        case '+': return x + y;
        case '-': return x - y;
        case '*': return x * y;
        case '/': return y === 0 ? undefined : x / y;
        case '%': return y === 0 ? undefined : x % y;
        case '^': return x ** y;
      }
      return undefined;
    }
  }
}
