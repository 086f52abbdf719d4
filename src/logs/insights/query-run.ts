// A Logs Insights query compiled and run over records fed one at a time: the commands before
// `stats` apply to each record; `stats` groups and aggregates; sort, limit and display shape the
// rows at the end. Without `sort`, rows come newest first; without `limit`, at most the default.
import { parseQuery, QuerySyntaxError, type Command, type Expr, type Named } from './query-parser.js';
import { durationMs, evaluate, formatTime, SCALAR_FUNCTIONS, toNumber, toText, truthy } from './expressions.js';
import type { LogRecord, Value } from './discovered-fields.js';
import { linearRegExp } from '../../core/linear-regex.js';

const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'pct', 'percentile', 'count_distinct']);
const DEFAULT_FIELDS = ['@timestamp', '@message', '@logStream', '@log'];
/** Distinct groups one stats command may hold (Stagecraft's bound on memory). */
const MAX_GROUPS = 10_000;
/** Rows a query returns at most, whatever its limit (AWS's maximum `limit`). */
const MAX_ROWS = 100_000;

export interface ResultField { field: string; value: string }

type Aggregate = { call: Extract<Expr, { kind: 'call' }>; key: string };

interface Stats {
  items: { name: string; expr: Expr }[];
  by: Named[];
  aggregates: Aggregate[];
}

/** Walks an expression, replacing aggregate calls by references to their slots. */
function extractAggregates(e: Expr, into: Aggregate[]): Expr {
  switch (e.kind) {
    case 'call':
      if (AGGREGATES.has(e.name)) {
        const key = `\u0000agg${into.length}`;
        into.push({ call: e, key });
        return { kind: 'field', name: key };
      }
      return { ...e, args: e.args.map((a) => extractAggregates(a, into)) };
    case 'unary': return { ...e, arg: extractAggregates(e.arg, into) };
    case 'binary': return { ...e, left: extractAggregates(e.left, into), right: extractAggregates(e.right, into) };
    default: return e;
  }
}

/** Rejects what parses but cannot run: unknown functions, aggregates outside stats, bad bins. */
function check(e: Expr, inStats: boolean): void {
  if (e.kind === 'call') {
    const aggregate = AGGREGATES.has(e.name);
    if (!aggregate && !SCALAR_FUNCTIONS.has(e.name)) throw new QuerySyntaxError(`unknown function: ${e.name}`, e.start, e.end);
    if (aggregate && !inStats) throw new QuerySyntaxError(`${e.name} may only be used in stats`, e.start, e.end);
    if (e.name === 'bin' && (e.args[0]?.kind !== 'literal' || durationMs(String(e.args[0].value)) === undefined)) {
      throw new QuerySyntaxError('bin takes a period such as 5m', e.start, e.end);
    }
    if (e.star && e.name !== 'count') throw new QuerySyntaxError(`${e.name}(*) is not valid`, e.start, e.end);
    for (const a of e.args) check(a, false);
  } else if (e.kind === 'unary') check(e.arg, inStats);
  else if (e.kind === 'binary') { check(e.left, inStats); check(e.right, inStats); }
  else if (e.kind === 'list') e.items.forEach((i) => check(i, inStats));
}

export interface CompiledQuery {
  before: Command[];
  stats?: Stats;
  after: Command[];
}

export function compileQuery(text: string): CompiledQuery {
  const commands = parseQuery(text);
  const at = commands.findIndex((c) => c.kind === 'stats');
  if (commands.filter((c) => c.kind === 'stats').length > 1) throw new QuerySyntaxError('only one stats command is supported', 0, text.length);
  const before = at < 0 ? commands : commands.slice(0, at);
  const after = at < 0 ? [] : commands.slice(at + 1);
  for (const c of commands) {
    if (c.kind === 'fields' || c.kind === 'display') c.items.forEach((i) => check(i.expr, false));
    if (c.kind === 'filter') check(c.expr, false);
    if (c.kind === 'sort') c.keys.forEach((k) => check(k.expr, false));
  }
  let stats: Stats | undefined;
  if (at >= 0) {
    const s = commands[at] as Extract<Command, { kind: 'stats' }>;
    const aggregates: Aggregate[] = [];
    const items = s.aggregates.map((a) => {
      check(a.expr, true);
      const before = aggregates.length;
      const expr = extractAggregates(a.expr, aggregates);
      if (aggregates.length === before) throw new QuerySyntaxError(`stats takes aggregate functions: ${a.name}`, 0, text.length);
      return { name: a.name, expr };
    });
    s.by.forEach((b) => check(b.expr, false));
    stats = { items, by: s.by, aggregates };
  }
  return { before, stats, after };
}

/** Accumulated values of one aggregate in one group. */
class Accumulator {
  count = 0;
  sum = 0;
  min?: Value;
  max?: Value;
  values?: number[];
  distinct?: Set<string>;

  constructor(readonly name: string) {
    if (name === 'pct' || name === 'percentile') this.values = [];
    if (name === 'count_distinct') this.distinct = new Set();
  }

  add(v: Value, star: boolean): void {
    if (star) { this.count++; return; }
    if (v === undefined) return;
    this.count++;
    const n = toNumber(v);
    if (n !== undefined) { this.sum += n; this.values?.push(n); }
    this.distinct?.add(toText(v)!);
    if (this.min === undefined || (toNumber(v) ?? 0) < (toNumber(this.min) ?? 0)) this.min = v;
    if (this.max === undefined || (toNumber(v) ?? 0) > (toNumber(this.max) ?? 0)) this.max = v;
  }

  result(percentile: number): Value {
    switch (this.name) {
      case 'count': return this.count;
      case 'sum': return this.count ? this.sum : undefined;
      case 'avg': return this.count ? this.sum / this.count : undefined;
      case 'min': return this.min;
      case 'max': return this.max;
      case 'count_distinct': return this.distinct!.size;
      default: {
        const sorted = this.values!.sort((a, b) => a - b);
        if (!sorted.length) return undefined;
        return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((percentile / 100) * sorted.length) - 1))];
      }
    }
  }
}

function applyRow(c: Command, r: LogRecord): boolean {
  switch (c.kind) {
    case 'fields':
    case 'display':
      for (const i of c.items) if (i.expr.kind !== 'field' || i.name !== i.expr.name) r[i.name] = evaluate(i.expr, r);
      return true;
    case 'filter': return truthy(evaluate(c.expr, r));
    case 'parse': {
      const text = toText(evaluate(c.source, r));
      if (text === undefined) return true;
      if (c.regex) {
        const m = c.regex.exec(text);
        for (const [k, v] of Object.entries(m?.groups ?? {})) if (v !== undefined) r[k] = v;
      } else if (c.glob) {
        const m = globRegex(c.glob.parts).exec(text);
        if (m) c.glob.names.forEach((n, i) => { r[n] = m[i + 1]; });
      }
      return true;
    }
    default: return true;
  }
}

const globCache = new Map<string, RegExp>();
function globRegex(parts: string[]): RegExp {
  const key = parts.join('\u0000');
  let re = globCache.get(key);
  if (!re) {
    re = linearRegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.*?)')}$`, 's');
    if (globCache.size < 1000) globCache.set(key, re);
  }
  return re;
}

function sortRows(rows: LogRecord[], keys: { expr: Expr; descending: boolean }[]): void {
  const keyed = rows.map((r) => ({ r, k: keys.map((k) => evaluate(k.expr, r)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.k[i];
      const y = b.k[i];
      if (x === undefined || y === undefined) { if (x !== y) return x === undefined ? 1 : -1; continue; }
      const nx = toNumber(x);
      const ny = toNumber(y);
      // As AWS sorts: in ascending order every value that is not a number comes before the numbers.
      const c = nx !== undefined && ny !== undefined ? nx - ny
        : nx !== undefined ? 1 : ny !== undefined ? -1 : toText(x)! < toText(y)! ? -1 : toText(x)! > toText(y)! ? 1 : 0;
      if (c !== 0) return keys[i].descending ? -c : c;
    }
    return 0;
  });
  keyed.forEach((k, i) => { rows[i] = k.r; });
}

/** One run of a compiled query: feed records, then take the results. */
export class QueryRun {
  matched = 0;
  #rows: LogRecord[] = [];
  #groups = new Map<string, { keys: LogRecord; accumulators: Accumulator[] }>();
  readonly #limit: number;
  readonly #sorted: boolean;

  constructor(readonly query: CompiledQuery, defaultLimit: number) {
    const all = [...query.before, ...query.after];
    const limit = all.filter((c) => c.kind === 'limit').pop();
    this.#limit = Math.min(limit?.kind === 'limit' ? limit.count : defaultLimit, MAX_ROWS);
    this.#sorted = all.some((c) => c.kind === 'sort');
  }

  add(record: LogRecord): void {
    for (const c of this.query.before) if (!applyRow(c, record)) return;
    this.matched++;
    const stats = this.query.stats;
    if (!stats) {
      this.#rows.push(record);
      // Newest first and no sort asked for: only the latest rows can be answered.
      if (!this.#sorted && this.#rows.length > 2 * this.#limit) {
        sortRows(this.#rows, [{ expr: { kind: 'field', name: '@timestamp' }, descending: true }]);
        this.#rows.length = this.#limit;
      }
      return;
    }
    const keys: LogRecord = {};
    for (const b of stats.by) keys[b.name] = evaluate(b.expr, record);
    const id = JSON.stringify(stats.by.map((b) => toText(keys[b.name]) ?? null));
    let group = this.#groups.get(id);
    if (!group) {
      if (this.#groups.size >= MAX_GROUPS) return;
      group = { keys, accumulators: stats.aggregates.map((a) => new Accumulator(a.call.name)) };
      this.#groups.set(id, group);
    }
    const g = group;
    stats.aggregates.forEach((a, i) => g.accumulators[i].add(a.call.star ? 1 : evaluate(a.call.args[0], record), a.call.star === true));
  }

  /** The rows as GetQueryResults lists them; `ptr` gives each event row its `@ptr`. */
  results(ptr: (r: LogRecord) => string): ResultField[][] {
    const stats = this.query.stats;
    let rows = this.#rows;
    let columns: string[];
    if (stats) {
      rows = [...this.#groups.values()].map(({ keys, accumulators }) => {
        const row: LogRecord = { ...keys };
        stats.aggregates.forEach((a, i) => {
          const pct = a.call.args[1]?.kind === 'literal' ? Number(a.call.args[1].value) : 50;
          row[a.key] = accumulators[i].result(pct);
        });
        for (const item of stats.items) row[item.name] = evaluate(item.expr, row);
        return row;
      });
      columns = [...stats.by.map((b) => b.name), ...stats.items.map((i) => i.name)];
      rows = rows.filter((r) => this.query.after.every((c) => applyRow(c, r)));
    } else {
      columns = [];
      for (const c of this.query.before) if (c.kind === 'fields') columns.push(...c.items.map((i) => i.name));
      if (!columns.length) columns = DEFAULT_FIELDS;
    }
    const display = [...this.query.before, ...this.query.after].filter((c) => c.kind === 'display').pop();
    if (display?.kind === 'display') columns = display.items.map((i) => i.name);
    const sort = [...this.query.before, ...this.query.after].filter((c) => c.kind === 'sort').pop();
    if (sort?.kind === 'sort') sortRows(rows, sort.keys);
    else if (!stats) sortRows(rows, [{ expr: { kind: 'field', name: '@timestamp' }, descending: true }]);
    columns = [...new Set(columns)];
    return rows.slice(0, this.#limit).map((r) => {
      const fields: ResultField[] = [];
      for (const c of columns) {
        const v = r[c];
        if (v !== undefined) fields.push({ field: c, value: v instanceof Date ? formatTime(v) : String(v) });
      }
      if (!stats) fields.push({ field: '@ptr', value: ptr(r) });
      return fields;
    });
  }
}
