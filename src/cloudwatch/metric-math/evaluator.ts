// Evaluates a metric math syntax tree against the request's other queries: operators with
// CloudWatch's rules for scalars, series and arrays of series; functions in functions.ts.
import type { BinaryOp, Node } from './parser.js';
import { FUNCTIONS } from './functions.js';
import {
  MathError, arrayValue, combineSeries, describe, mapSeries, scalar, seriesValue, type DropCounter, type Series, type Value,
} from './values.js';

export interface MathContext {
  /** The value of the query `id` (a metric's series or another expression's result). */
  resolve(id: string): Value;
  /** The request's metrics (MetricStat queries), in request order, for METRICS(). */
  metrics(): { id: string; series: Series }[];
  /** The request's time range and the expression's period, for functions that make series. */
  grid: { startMs: number; endMs: number; periodMs: number };
  drops: DropCounter;
}

const truthy = (x: number): boolean => x !== 0;
const bool = (b: boolean): number => (b ? 1 : 0);

const OPERATIONS: Record<BinaryOp, (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '^': (x, y) => x ** y,
  '==': (x, y) => bool(x === y),
  '!=': (x, y) => bool(x !== y),
  '<': (x, y) => bool(x < y),
  '<=': (x, y) => bool(x <= y),
  '>': (x, y) => bool(x > y),
  '>=': (x, y) => bool(x >= y),
  AND: (x, y) => bool(truthy(x) && truthy(y)),
  OR: (x, y) => bool(truthy(x) || truthy(y)),
};

export function evaluate(node: Node, ctx: MathContext): Value {
  switch (node.kind) {
    case 'number': return scalar(node.value);
    case 'string': return { kind: 'string', value: node.value };
    case 'keyword': return { kind: 'keyword', name: node.name };
    case 'id': return ctx.resolve(node.name);
    case 'array': return arrayValue(node.items.flatMap((item) => {
      const v = evaluate(item, ctx);
      if (v.kind === 'series') return [v.series];
      if (v.kind === 'array') return v.items;
      throw new MathError(`An array holds time series, not ${describe(v)}.`);
    }));
    case 'negate': return binary('*', scalar(-1), evaluate(node.operand, ctx), ctx);
    case 'binary': return binary(node.op, evaluate(node.left, ctx), evaluate(node.right, ctx), ctx);
    case 'call': {
      const fn = FUNCTIONS[node.name];
      if (!fn) throw new MathError(`Unknown function ${node.name}.`);
      return fn(node.args.map((a) => evaluate(a, ctx)), ctx);
    }
  }
}

/** An operator between two values: scalars, a series and a scalar, two series, or an array with either. */
export function binary(op: BinaryOp, left: Value, right: Value, ctx: Pick<MathContext, 'drops'>): Value {
  const f = OPERATIONS[op];
  for (const side of [left, right]) {
    if (side.kind === 'string' || side.kind === 'keyword') throw new MathError(`The operator ${op} does not apply to ${describe(side)}.`);
  }
  if (left.kind === 'array' && right.kind === 'array') throw new MathError(`The operator ${op} does not apply to two arrays of time series.`);
  if (left.kind === 'array') return arrayValue(left.items.map((s) => onSeries(f, s, right, false, ctx.drops)));
  if (right.kind === 'array') return arrayValue(right.items.map((s) => onSeries(f, s, left, true, ctx.drops)));
  if (left.kind === 'series') return seriesValue(onSeries(f, left.series, right, false, ctx.drops));
  if (right.kind === 'series') return seriesValue(onSeries(f, right.series, left, true, ctx.drops));
  return scalar(f((left as { value: number }).value, (right as { value: number }).value));
}

/** `s op other` (or `other op s` when `swapped`), `other` a scalar or a series. */
function onSeries(f: (x: number, y: number) => number, s: Series, other: Value, swapped: boolean, drops: DropCounter): Series {
  const g = swapped ? (x: number, y: number) => f(y, x) : f;
  if (other.kind === 'scalar') return mapSeries(s, (v) => g(v, other.value), drops);
  if (other.kind === 'series') return combineSeries(s, other.series, g, drops);
  throw new MathError(`The operator does not apply to ${describe(other)}.`);
}
