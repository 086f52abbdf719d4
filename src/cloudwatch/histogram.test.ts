// The percentile histogram: its error bound, merging, its stored form, and the extended statistics
// estimated from it against exact answers on the same samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Histogram, RELATIVE_ERROR, bucketOf, bucketValue } from './histogram.js';
import { extendedStatistic, parseExtendedStatistic, tooFewSamples } from './extended-statistics.js';
import type { StatisticSet } from '../store/cloudwatch-store.js';

/** A deterministic generator (xorshift), so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

const setOf = (values: number[]): StatisticSet => {
  const histogram = new Histogram();
  for (const v of values) histogram.add(v);
  return { sum: values.reduce((a, b) => a + b, 0), sampleCount: values.length, min: Math.min(...values), max: Math.max(...values), histogram };
};

const exactPercentile = (sorted: number[], p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];

const stat = (name: string) => {
  const s = parseExtendedStatistic(name);
  assert.ok(s, name);
  return s;
};

test('every value is within the relative error bound of its bucket\'s value', () => {
  const next = random(7);
  for (let i = 0; i < 100_000; i++) {
    const v = Math.exp(next() * 60 - 30);
    const estimate = bucketValue(bucketOf(v));
    assert.ok(Math.abs(estimate - v) <= RELATIVE_ERROR * v, `${v} -> ${estimate}`);
  }
  assert.equal(bucketValue(bucketOf(0)), 0);
  assert.ok(bucketOf(1) < bucketOf(1.02) && bucketOf(1.02) < bucketOf(2), 'buckets keep the values\' order');
});

test('percentiles of a long-tailed distribution are within 1% of the exact ones', () => {
  const next = random(42);
  const values = Array.from({ length: 20_000 }, () => 5 + 1000 * Math.pow(next(), 8));
  const set = setOf(values);
  const sorted = [...values].sort((a, b) => a - b);
  for (const p of [0, 1, 10, 50, 90, 99, 99.9, 99.99, 100]) {
    const exact = exactPercentile(sorted, p);
    const estimate = extendedStatistic(set, stat(`p${p}`))!;
    assert.ok(Math.abs(estimate - exact) <= 0.01 * exact, `p${p}: ${estimate} vs ${exact}`);
  }
  assert.equal(extendedStatistic(set, stat('p100')), set.max);
  assert.equal(extendedStatistic(set, stat('p0')), set.min);
});

test('histograms merge by adding counts: two halves give the whole', () => {
  const next = random(3);
  const values = Array.from({ length: 5000 }, () => next() * 300);
  const whole = setOf(values);
  const a = setOf(values.slice(0, 2000)).histogram!;
  const b = setOf(values.slice(2000)).histogram!;
  a.merge(b);
  assert.deepEqual(new Map([...a.buckets].sort()), new Map([...whole.histogram!.buckets].sort()));
  assert.equal(a.count, 5000);
  const decoded = Histogram.decode(a.encode());
  assert.deepEqual(decoded.buckets, a.buckets);
  assert.equal(decoded.count, a.count);
});

test('trimmed and winsorized means, trimmed counts and sums, and percentile ranks', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
  const set = setOf(values);
  const near = (actual: number | undefined, expected: number, what: string) =>
    assert.ok(actual !== undefined && Math.abs(actual - expected) <= 0.01 * expected + 1e-9, `${what}: ${actual} vs ${expected}`);
  near(extendedStatistic(set, stat('tm90')), 45.5, 'tm90 (mean of 1..90)');
  near(extendedStatistic(set, stat('TM(10%:90%)')), 50.5, 'TM(10%:90%)');
  near(extendedStatistic(set, stat('IQM')), 50.5, 'IQM');
  near(extendedStatistic(set, stat('tc90')), 90, 'tc90');
  near(extendedStatistic(set, stat('ts90')), 4095, 'ts90');
  near(extendedStatistic(set, stat('TM(50.75:60.75)')), 55.5, 'TM(50.75:60.75): values in (50.75, 60.75]');
  near(extendedStatistic(set, stat('TC(:10.2)')), 10, 'TC(:10.2)');
  near(extendedStatistic(set, stat('PR(:25.75)')), 25, 'PR(:25.75)');
  near(extendedStatistic(set, stat('PR(10.2:20.3)')), 10, 'PR(10.2:20.3)');
  // Winsorized: 1..90, and the top ten counted as p90 (90).
  near(extendedStatistic(set, stat('wm90')), (4095 + 900) / 100, 'wm90');
  assert.equal(extendedStatistic(set, stat('TM(500:600)')), undefined, 'a mean of no samples');
});

test('no extended statistics for a set whose samples are not all in its histogram', () => {
  const set = setOf([1, 2, 3]);
  assert.ok(extendedStatistic(set, stat('p50')) !== undefined);
  assert.equal(extendedStatistic({ ...set, sampleCount: 4, sum: 10 }, stat('p50')), undefined, 'a statistic set added to it');
  assert.equal(extendedStatistic({ sum: 6, sampleCount: 3, min: 1, max: 3 }, stat('p50')), undefined, 'no histogram at all');
});

test('extended statistic names: what parses and what does not', () => {
  for (const ok of ['p0', 'p0.0', 'p99', 'p99.9', 'p99.99', 'p100', 'tm99', 'wm50', 'tc90', 'ts90', 'IQM', 'TM(2%:98%)', 'TM(150:1000)', 'TM(:95%)', 'TS(80%:)', 'WM(10%:90%)', 'PR(:300)', 'PR(100:2000)', 'TC(0.005:0.030)']) {
    assert.ok(parseExtendedStatistic(ok), ok);
  }
  for (const bad of ['p', 'p100.1', 'p101', 'p99.999', 'P99', 'Average', 'tm', 'TM()', 'TM(:)', 'TM(90%:10%)', 'PR(10%:20%)', 'WM(1:2)', 'TM(10%:200)', 'xx(1:2)', 'p-1']) {
    assert.equal(parseExtendedStatistic(bad), undefined, bad);
  }
});

test('the low-sample rule of percentile alarms (10/(1-q) above the median, 10/q below)', () => {
  assert.equal(tooFewSamples(stat('p99'), 999), true);
  assert.equal(tooFewSamples(stat('p99'), 1000), false);
  assert.equal(tooFewSamples(stat('p50'), 19), true);
  assert.equal(tooFewSamples(stat('p10'), 99), true);
  assert.equal(tooFewSamples(stat('p10'), 100), false);
  assert.equal(tooFewSamples(stat('p100'), 1), false);
  assert.equal(tooFewSamples(stat('tm99'), 1), false);
});
