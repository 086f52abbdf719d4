// The JSONPath subset the States Language uses: `$` (or `$$`, the context object) followed by
// `.name`, `['name']`, `[n]`, `[*]`, `.*` and `[a:b]`. A path with a wildcard or slice selects a
// list; a definite path selects one value or nothing. Reference paths (ResultPath) are definite.
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

type Step = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'slice'; from?: number; to?: number };

export interface ParsedPath {
  context: boolean;
  steps: Step[];
  definite: boolean;
}

const FIELD = /^[^.[\]\s]+/;

/** Parses a path; undefined when it is not one this subset reads. */
export function parsePath(path: string): ParsedPath | undefined {
  let rest: string;
  let context = false;
  if (path.startsWith('$$')) {
    context = true;
    rest = path.slice(2);
  } else if (path.startsWith('$')) rest = path.slice(1);
  else return undefined;
  const steps: Step[] = [];
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if (rest.startsWith('.*')) {
      steps.push({ kind: 'all' });
      rest = rest.slice(2);
    } else if (rest.startsWith('.') && (m = FIELD.exec(rest.slice(1)))) {
      steps.push({ kind: 'field', name: m[0] });
      rest = rest.slice(1 + m[0].length);
    } else if ((m = /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(rest)) || (m = /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest))) {
      steps.push({ kind: 'field', name: m[1].replace(/\\(.)/g, '$1') });
      rest = rest.slice(m[0].length);
    } else if ((m = /^\[\s*(-?\d+)\s*\]/.exec(rest))) {
      steps.push({ kind: 'index', index: Number(m[1]) });
      rest = rest.slice(m[0].length);
    } else if ((m = /^\[\s*\*\s*\]/.exec(rest))) {
      steps.push({ kind: 'all' });
      rest = rest.slice(m[0].length);
    } else if ((m = /^\[\s*(-?\d+)?\s*:\s*(-?\d+)?\s*\]/.exec(rest))) {
      steps.push({ kind: 'slice', ...(m[1] !== undefined ? { from: Number(m[1]) } : {}), ...(m[2] !== undefined ? { to: Number(m[2]) } : {}) });
      rest = rest.slice(m[0].length);
    } else return undefined;
  }
  return { context, steps, definite: steps.every((s) => s.kind === 'field' || s.kind === 'index') };
}

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

function step(values: Json[], s: Step): Json[] {
  const out: Json[] = [];
  for (const v of values) {
    if (s.kind === 'field') {
      if (isObject(v) && Object.prototype.hasOwnProperty.call(v, s.name)) out.push(v[s.name]);
    } else if (s.kind === 'index') {
      if (Array.isArray(v)) {
        const i = s.index < 0 ? v.length + s.index : s.index;
        if (i >= 0 && i < v.length) out.push(v[i]);
      }
    } else if (s.kind === 'all') {
      if (Array.isArray(v)) out.push(...v);
      else if (isObject(v)) out.push(...Object.values(v));
    } else if (Array.isArray(v)) {
      out.push(...v.slice(s.from ?? 0, s.to ?? v.length));
    }
  }
  return out;
}

/** The value a path selects (a list for an indefinite path), or undefined when a definite path finds nothing. */
export function select(path: string, input: Json, context: Json = {}): Json | undefined {
  const parsed = parsePath(path);
  if (!parsed) return undefined;
  let values: Json[] = [parsed.context ? context : input];
  for (const s of parsed.steps) values = step(values, s);
  if (parsed.definite) return values.length ? values[0] : undefined;
  return values;
}

/** A definite path in AWS's bracketed form (`$['a'][0]`), as its "No results for path" message names it. */
export function bracketed(path: string): string {
  const parsed = parsePath(path);
  if (!parsed) return path;
  return (parsed.context ? '$$' : '$') + parsed.steps.map((s) => (s.kind === 'field' ? `['${s.name}']` : s.kind === 'index' ? `[${s.index}]` : '[*]')).join('');
}

/**
 * Puts `value` into `input` at a reference path (ResultPath), creating objects along the way;
 * `$` replaces the input. Returns undefined when the path cannot be set (not definite, or it runs into a non-object).
 */
export function place(path: string, input: Json, value: Json): Json | undefined {
  const parsed = parsePath(path);
  if (!parsed || parsed.context || !parsed.definite) return undefined;
  if (parsed.steps.length === 0) return value;
  const root: Json = structuredClone(input);
  if (!isObject(root) && !Array.isArray(root)) return undefined;
  let node: Json = root;
  for (const [i, s] of parsed.steps.entries()) {
    const last = i === parsed.steps.length - 1;
    if (s.kind === 'field') {
      if (!isObject(node)) return undefined;
      if (last) node[s.name] = value;
      else {
        if (node[s.name] === undefined || node[s.name] === null) node[s.name] = {};
        node = node[s.name];
      }
    } else if (s.kind === 'index') {
      if (!Array.isArray(node) || s.index < 0 || s.index >= node.length) return undefined;
      if (last) node[s.index] = value;
      else node = node[s.index];
    }
  }
  return root;
}
