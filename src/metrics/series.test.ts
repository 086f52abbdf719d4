// The hot-path series read through prom-client's registry as its own metrics would be.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { CounterSeries, HistogramSeries } from './series.js';

const line = (text: string, start: string): string | undefined => text.split('\n').find((l) => l.startsWith(start));

describe('metric series', () => {
  it('counts per label set and exposes the counter in the text format', async () => {
    const registry = new Registry();
    const counter = new CounterSeries(registry, 'x_total', 'Things');
    (counter.get('a') ?? counter.add('a', { k: 'a' })).value++;
    (counter.get('a') ?? counter.add('a', { k: 'a' })).value++;
    (counter.get('b') ?? counter.add('b', { k: 'b"q' })).value++;
    const text = await registry.metrics();
    assert.match(text, /# HELP x_total Things\n# TYPE x_total counter\n/);
    assert.equal(line(text, 'x_total{k="a"}'), 'x_total{k="a"} 2');
    assert.equal(line(text, 'x_total{k="b\\"q"}'), 'x_total{k="b\\"q"} 1', 'label values escaped by the registry');
  });

  it('keeps cumulative buckets, +Inf, sum and count for a histogram', async () => {
    const registry = new Registry();
    const histogram = new HistogramSeries(registry, 'd_seconds', 'Durations', [0.01, 0.1, 1]);
    const child = histogram.add('f', { fn: 'f' });
    for (const v of [0.005, 0.01, 0.05, 0.5, 5]) child.observe(v);
    const text = await registry.metrics();
    assert.match(text, /# TYPE d_seconds histogram\n/);
    assert.equal(line(text, 'd_seconds_bucket{fn="f",le="0.01"}'), 'd_seconds_bucket{fn="f",le="0.01"} 2', 'a bound is inclusive');
    assert.equal(line(text, 'd_seconds_bucket{fn="f",le="0.1"}'), 'd_seconds_bucket{fn="f",le="0.1"} 3');
    assert.equal(line(text, 'd_seconds_bucket{fn="f",le="1"}'), 'd_seconds_bucket{fn="f",le="1"} 4');
    assert.equal(line(text, 'd_seconds_bucket{fn="f",le="+Inf"}'), 'd_seconds_bucket{fn="f",le="+Inf"} 5');
    assert.equal(line(text, 'd_seconds_count{fn="f"}'), 'd_seconds_count{fn="f"} 5');
    assert.ok(Math.abs(Number(line(text, 'd_seconds_sum{fn="f"}')!.split(' ')[1]) - 5.565) < 1e-9);
    assert.equal(histogram.get('f'), child);
    registry.resetMetrics();
    assert.equal(histogram.get('f'), undefined);
  });
});
