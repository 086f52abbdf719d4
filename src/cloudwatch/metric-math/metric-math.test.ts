// Metric math: the parser's tree and errors, and the evaluator's rules for scalars, series and
// arrays (alignment, missing values as 0, dropped non-numeric datapoints) and its functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, references, usesMetrics } from './parser.js';
import { evaluate, type MathContext } from './evaluator.js';
import { DropCounter, MathError, type Series, type Value } from './values.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 27, 8, 0);
/** A one-minute series from values per minute after T0 (undefined: no datapoint). */
const series = (label: string, values: (number | undefined)[]): Series => {
  const points = values.flatMap((v, i) => (v === undefined ? [] : [[T0 + i * MIN, v] as const]));
  return { label, periodMs: MIN, timestamps: points.map((p) => p[0]), values: points.map((p) => p[1]) };
};

const data: Record<string, Series> = {
  m1: series('Errors', [30, 20, 0, 0]),
  m2: series('Invocations', [20, undefined, 20, undefined]),
  errors: series('Errors', [1, 0, 2, undefined]),
  invocations: series('Invocations', [4, 0, 8, 5]),
};

function run(expression: string, minutes = 4): { value: Value; dropped: number } {
  const ctx: MathContext = {
    resolve: (id) => {
      if (!data[id]) throw new MathError(`no ${id}`);
      return { kind: 'series', series: data[id] };
    },
    metrics: () => Object.entries(data).map(([id, s]) => ({ id, series: s })),
    grid: { startMs: T0, endMs: T0 + minutes * MIN, periodMs: MIN },
    drops: new DropCounter(),
  };
  return { value: evaluate(parse(expression), ctx), dropped: ctx.drops.dropped };
}

/** The values per minute of a series result (undefined where it has no datapoint). */
function perMinute(expression: string, minutes = 4): (number | undefined)[] {
  const { value } = run(expression, minutes);
  assert.equal(value.kind, 'series', `${expression} gives ${value.kind}`);
  const s = (value as { series: Series }).series;
  return Array.from({ length: minutes }, (_, i) => {
    const at = s.timestamps.indexOf(T0 + i * MIN);
    return at < 0 ? undefined : s.values[at];
  });
}
const scalarOf = (expression: string): number => {
  const { value } = run(expression);
  assert.equal(value.kind, 'scalar');
  return (value as { value: number }).value;
};

test('parser: precedence, associativity, arrays, strings, keywords', () => {
  assert.deepEqual(parse('100 * errors / invocations'), {
    kind: 'binary', op: '/',
    left: { kind: 'binary', op: '*', left: { kind: 'number', value: 100 }, right: { kind: 'id', name: 'errors' } },
    right: { kind: 'id', name: 'invocations' },
  });
  assert.equal(scalarOf('1 + 2 * 3 ^ 2'), 19);
  assert.equal(scalarOf('2 ^ 3 ^ 2'), 512);
  assert.equal(scalarOf('-2 ^ 2'), -4);
  assert.equal(scalarOf('(1 + 2) * 3'), 9);
  assert.equal(scalarOf('1 < 2 AND 3 >= 3'), 1);
  assert.equal(scalarOf('0 || 1 && 0'), 0);
  assert.equal(scalarOf('1.5e2 + .5'), 150.5);
  assert.deepEqual(parse('FILL(METRICS("err"), REPEAT)'), {
    kind: 'call', name: 'FILL', args: [{ kind: 'call', name: 'METRICS', args: [{ kind: 'string', value: 'err' }] }, { kind: 'keyword', name: 'REPEAT' }],
  });
  assert.deepEqual([...references(parse('SUM([m1, m2]) / AVG(m_3) + m1'))], ['m1', 'm2', 'm_3']);
  assert.equal(usesMetrics(parse('SUM(METRICS())')), true);
  assert.equal(usesMetrics(parse('m1 + 1')), false);
});

test('parser: syntax errors name what is wrong and where', () => {
  const message = (source: string) => {
    try {
      parse(source);
    } catch (e) {
      assert.ok(e instanceof MathError);
      return e.message;
    }
    assert.fail(`${source} parsed`);
  };
  assert.equal(message('m1 +'), 'Unexpected end of expression.');
  assert.equal(message('m1 + * m2'), "Unexpected '*' at position 6.");
  assert.equal(message('(m1 + m2'), 'Unexpected end of expression.');
  assert.equal(message('m1 m2'), "Unexpected 'm2' at position 4.");
  assert.equal(message('m1 % 2'), "Unexpected character '%' at position 4.");
  assert.equal(message('avg(m1)'), "Unknown function 'avg' at position 1: functions are written in upper case.");
  assert.equal(message('METRICS("x)'), 'Unterminated string at position 9.');
  assert.equal(message(''), 'Unexpected end of expression.');
});

test('arithmetic between series: aligned by timestamp, a missing value is 0, division by zero drops the datapoint', () => {
  assert.deepEqual(perMinute('m1 + m2'), [50, 20, 20, 0]);
  assert.deepEqual(perMinute('m1 - m2'), [10, 20, -20, 0]);
  assert.deepEqual(perMinute('5 * m1'), [150, 100, 0, 0]);
  assert.deepEqual(perMinute('-m1'), [-30, -20, -0, -0]);
  assert.deepEqual(perMinute('m1 ^ 2'), [900, 400, 0, 0]);
  // The canary error rate: 0 invocations (0/0) and no datapoint at all give no value.
  const rate = run('100 * errors / invocations');
  assert.deepEqual(perMinute('100 * errors / invocations'), [25, undefined, 25, 0]);
  assert.equal(rate.dropped, 1);
  assert.deepEqual(perMinute('m1 / m2'), [1.5, undefined, 0, undefined]);
  assert.equal(run('m1 / 0').dropped, 4);
});

test('comparison and logical operators give 0 or 1 per datapoint (the guide\'s table)', () => {
  assert.deepEqual(perMinute('m1 < m2'), [0, 0, 1, 0]);
  assert.deepEqual(perMinute('m1 >= 30'), [1, 0, 0, 0]);
  assert.deepEqual(perMinute('m1 > 15 AND m2 > 15'), [1, 0, 0, 0]);
  assert.deepEqual(perMinute('m1 == 0 || m2 == 20'), [1, 0, 1, 1]);
});

test('reducers: of a series a number, of an array a series', () => {
  assert.equal(scalarOf('SUM(m1)'), 50);
  assert.equal(scalarOf('AVG(m1)'), 12.5);
  assert.equal(scalarOf('MAX(m1)'), 30);
  assert.equal(scalarOf('MIN(m2)'), 20);
  assert.equal(scalarOf('DATAPOINT_COUNT(m2)'), 2);
  assert.equal(scalarOf('STDDEV(m2)'), 0);
  assert.equal(scalarOf('METRIC_COUNT(METRICS())'), 4);
  assert.deepEqual(perMinute('m1 - AVG(m1)'), [17.5, 7.5, -12.5, -12.5]);
  assert.deepEqual(perMinute('SUM([m1, m2])'), [50, 20, 20, 0]);
  assert.deepEqual(perMinute('AVG([m1, m2])'), [25, 10, 10, 0]);
  assert.deepEqual(perMinute('MAX([m1, m2])'), [30, 20, 20, 0]);
  assert.deepEqual(perMinute('MIN([m1, m2])'), [20, 20, 0, 0]);
  assert.deepEqual(perMinute('SUM(METRICS("errors"))'), [1, 0, 2, undefined]);
  assert.deepEqual(perMinute('DATAPOINT_COUNT([m1, m2])'), [2, 1, 2, 1]);
  assert.deepEqual(perMinute('TIME_SERIES(MAX(m1))'), [30, 30, 30, 30]);
});

test('series functions: ABS, CEIL, FLOOR, DIFF, DIFF_TIME, RATE, RUNNING_SUM, PERIOD', () => {
  assert.deepEqual(perMinute('ABS(m2 - m1)'), [10, 20, 20, 0]);
  assert.deepEqual(perMinute('CEIL(m1 / 7)'), [5, 3, 0, 0]);
  assert.deepEqual(perMinute('FLOOR(m1 / 7)'), [4, 2, 0, 0]);
  assert.deepEqual(perMinute('DIFF(m1)'), [undefined, -10, -20, 0]);
  assert.deepEqual(perMinute('DIFF_TIME(m2)'), [undefined, undefined, 120, undefined]);
  assert.deepEqual(perMinute('RATE(invocations)'), [undefined, -4 / 60, 8 / 60, -3 / 60]);
  assert.deepEqual(perMinute('RUNNING_SUM(m1)'), [30, 50, 50, 50]);
  assert.deepEqual(perMinute('m1 / PERIOD(m1)'), [0.5, 20 / 60, 0, 0]);
});

test('FILL: a value, a series, REPEAT and LINEAR over the whole range', () => {
  assert.deepEqual(perMinute('FILL(m2, 0)', 5), [20, 0, 20, 0, 0]);
  assert.deepEqual(perMinute('FILL(m2, m1)'), [20, 20, 20, 0]);
  data.gappy = series('g', [undefined, 10, undefined, undefined, 40, undefined]);
  try {
    assert.deepEqual(perMinute('FILL(gappy, REPEAT)', 6), [10, 10, 10, 10, 40, 40]);
    assert.deepEqual(perMinute('FILL(gappy, LINEAR)', 6), [10, 10, 20, 30, 40, 40]);
    const filled = run('FILL(METRICS("gap"), 7)', 6).value;
    assert.equal(filled.kind, 'array');
  } finally {
    delete data.gappy;
  }
});

test('IF: the guide\'s examples', () => {
  data.c = series('c', [1, 1, 0, 0, undefined]);
  data.a = series('a', [30, undefined, 0, 0, 30]);
  data.b = series('b', [0, 0, 20, undefined, 20]);
  try {
    assert.deepEqual(perMinute('IF(c, a, b)', 5), [30, 0, 20, undefined, undefined]);
    assert.deepEqual(perMinute('IF(c, 5, b)', 5), [5, 5, 20, undefined, undefined]);
    assert.deepEqual(perMinute('IF(c, a, 5)', 5), [30, 0, 5, 5, undefined]);
    assert.deepEqual(perMinute('IF(c, a)', 5), [30, 0, undefined, undefined, undefined]);
    assert.deepEqual(perMinute('IF(m1 < 25, m1)'), [undefined, 20, 0, 0]);
    assert.deepEqual(perMinute('IF(1, a, b)', 5), [30, undefined, 0, 0, 30]);
    assert.deepEqual(perMinute('IF(0, a)', 5), [undefined, undefined, undefined, undefined, undefined]);
  } finally {
    delete data.a; delete data.b; delete data.c;
  }
});

test('arrays: METRICS() with a filter, operators on each series, SORT, SLICE, FIRST, LAST, REMOVE_EMPTY, time functions', () => {
  const labels = (expression: string) => {
    const { value } = run(expression);
    assert.equal(value.kind, 'array');
    return (value as { items: Series[] }).items.map((s) => s.label);
  };
  assert.deepEqual(labels('METRICS()'), ['Errors', 'Invocations', 'Errors', 'Invocations']);
  assert.deepEqual(labels('METRICS("m") / 100'), ['Errors', 'Invocations']);
  assert.deepEqual(labels('SORT(METRICS(), SUM, DESC, 2)'), ['Errors', 'Invocations']);
  assert.deepEqual(labels('SLICE(SORT([errors, m2, m1], MAX, ASC), 1)'), ['Invocations', 'Errors']);
  assert.deepEqual(perMinute('FIRST(SORT([errors, m1], SUM, ASC))'), [1, 0, 2, undefined]);
  assert.deepEqual(perMinute('LAST([errors, m1])'), [30, 20, 0, 0]);
  assert.deepEqual(labels('REMOVE_EMPTY([m1, IF(m1 > 100, m1)])'), ['Errors']);
  assert.deepEqual(perMinute('MINUTE(m2)'), [0, 1, 2, 3]);
  assert.deepEqual(perMinute('HOUR(m2)'), [8, 8, 8, 8]);
  assert.deepEqual(perMinute('DAY(m2)'), [5, 5, 5, 5], '27 Nov 2026 is a Friday');
  assert.deepEqual(perMinute('MONTH(m2) + DATE(m2) + YEAR(m2) - YEAR(m2)'), [38, 38, 38, 38]);
  assert.deepEqual(perMinute('EPOCH(m1)'), [0, 1, 2, 3].map((i) => (T0 + i * MIN) / 1000));
});

test('evaluation errors: wrong argument kinds and counts, unknown and unsupported functions', () => {
  const fails = (expression: string, message: string) => assert.throws(() => run(expression), (e: unknown) => e instanceof MathError && e.message === message);
  fails('NOPE(m1)', 'Unknown function NOPE.');
  fails('SEARCH(\'{AWS/Lambda} Errors\', \'Sum\')', 'The function SEARCH is not supported by Stagecraft.');
  fails('ABS(1)', 'ABS takes a time series or an array of time series, not a number.');
  fails('FILL(m1)', 'FILL takes 2 arguments, not 1.');
  fails('FILL(m1, SOMETIMES)', 'FILL expects one of REPEAT, LINEAR here.');
  fails('METRICS() + METRICS()', 'The operator + does not apply to two arrays of time series.');
  fails('m1 + "x"', 'The operator + does not apply to a string.');
  fails('[m1, 2]', 'An array holds time series, not a number.');
  fails('PERIOD(3)', 'PERIOD takes a metric, not a number.');
  fails('METRIC_COUNT(m1)', 'METRIC_COUNT takes an array of time series, not a time series.');
});
