// What one log event gives a metric filter's metric: literal and extracted values, dimensions,
// defaultValue for events that do not match, and the fields TestMetricFilter reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricTransformationRecord } from '../store/metric-filter-store.js';
import { CompiledMetricFilter } from './metric-transformation.js';
import { compilePattern } from './filter-pattern.js';

const filter = (pattern: string, t: Partial<MetricTransformationRecord>) => new CompiledMetricFilter({
  groupName: '/g', name: 'f', pattern, createdMs: 0,
  transformations: [{ metricName: 'M', metricNamespace: 'N', metricValue: '1', ...t }],
});

test('a literal value counts matching events; defaultValue is given for events that do not match', () => {
  const f = filter('ERROR', { defaultValue: 0 });
  assert.deepEqual(f.sample('ERROR boom'), { value: 1, dimensions: {} });
  assert.deepEqual(f.sample('INFO fine'), { value: 0, dimensions: {} });
  assert.equal(filter('ERROR', {}).sample('INFO fine'), undefined);
});

test('a JSON field gives the value; an event whose field is not a number gives nothing', () => {
  const f = filter('{ $.latency > 0 }', { metricValue: '$.latency' });
  assert.deepEqual(f.sample('{"latency": 42.5}'), { value: 42.5, dimensions: {} });
  assert.deepEqual(f.sample('{"latency": "17"}'), { value: 17, dimensions: {} });
  assert.equal(f.sample('{"latency": "x"}'), undefined);
  assert.equal(f.sample('{"other": 1}'), undefined);
});

test('space-delimited fields give the value and the dimensions', () => {
  const f = filter('[ip, user, status, bytes]', { metricValue: '$bytes', dimensions: { Status: '$status' } });
  assert.deepEqual(f.sample('10.0.0.1 bob 404 512'), { value: 512, dimensions: { Status: '404' } });
  assert.equal(f.sample('too few fields'), undefined);
  const j = filter('{ $.level = "ERROR" }', { dimensions: { Service: '$.svc' } });
  assert.deepEqual(j.sample('{"level":"ERROR","svc":"api"}'), { value: 1, dimensions: { Service: 'api' } });
  assert.equal(j.sample('{"level":"ERROR"}'), undefined, 'no series without the dimension value');
});

test('extracted values: $name per delimited field, $.path per selector of a JSON pattern, none for terms', () => {
  assert.deepEqual(compilePattern('[ip, ..., status = 5*, bytes]').fields('1.2.3.4 - - 503 10')?.extracted, { $ip: '1.2.3.4', $status: '503', $bytes: '10' });
  assert.deepEqual(compilePattern('{ $.a.b = 1 && $.c[0] = "x" }').fields('{"a":{"b":1},"c":["x"]}')?.extracted, { '$.a.b': '1', '$.c[0]': 'x' });
  assert.deepEqual(compilePattern('ERROR').fields('ERROR x')?.extracted, {});
  assert.equal(compilePattern('ERROR').fields('fine'), undefined);
  assert.equal(compilePattern('[a, b]').canReference('$b'), true);
  assert.equal(compilePattern('[a, b]').canReference('$c'), false);
  assert.equal(compilePattern('{ $.x = 1 }').canReference('$.y.z'), true);
});
