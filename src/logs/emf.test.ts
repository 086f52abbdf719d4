// What one log event gives under the embedded metric format: samples, nothing (not EMF), or a
// parse or validation failure, at the specification's limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readEmf } from './emf.js';

const NOW = 1_800_000_000_000;
const doc = (directive: Record<string, unknown>, root: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => JSON.stringify({
  _aws: { Timestamp: NOW, CloudWatchMetrics: [{ Namespace: 'N', Dimensions: [], Metrics: [{ Name: 'M' }], ...directive }], ...meta }, M: 1, ...root,
});
const kind = (message: string, lambda = false) => readEmf(message, NOW, lambda)?.kind;
const reason = (message: string) => {
  const r = readEmf(message, NOW, false);
  return r?.kind === 'invalid' ? r.reason : r?.kind;
};

test('events that are not EMF are passed over without an error', () => {
  assert.equal(kind('plain text'), undefined);
  assert.equal(kind('{"level":"INFO"}'), undefined);
  assert.equal(kind('mentions "_aws" but is not JSON'), undefined);
  assert.equal(kind('{"nested":{"_aws":1}}'), undefined);
  assert.equal(kind('{"_aws": {'), 'parse-error');
});

test('values, units, dimension sets and the Lambda runtime prefix', () => {
  const r = readEmf(`2026-01-01T00:00:00.000Z\treq\tINFO\t${doc({ Dimensions: [['A'], ['A', 'B'], ['A']], Metrics: [{ Name: 'M', Unit: 'Bytes', StorageResolution: 1 }] }, { A: 'a', B: 'b', M: [1, 2] })}\n`, NOW, true);
  assert.equal(r?.kind, 'samples');
  const samples = r.kind === 'samples' ? r.samples : [];
  // The repeated set ['A'] is recorded once.
  assert.deepEqual(samples.map((s) => [JSON.stringify(s.dimensions), s.value, s.unit, s.timestampMs]), [
    ['{"A":"a"}', 1, 'Bytes', NOW], ['{"A":"a"}', 2, 'Bytes', NOW], ['{"A":"a","B":"b"}', 1, 'Bytes', NOW], ['{"A":"a","B":"b"}', 2, 'Bytes', NOW],
  ]);
  // StorageResolution 1 reaches the metric store (per-second data); absent, the default 60.
  assert.deepEqual(new Set(samples.map((s) => s.storageResolution)), new Set([1]));
  const standard = readEmf(doc({ Metrics: [{ Name: 'M' }] }, { M: 1 }), NOW, false);
  assert.deepEqual(standard?.kind === 'samples' ? standard.samples.map((s) => s.storageResolution) : [], [60]);
  // Events put with PutLogEvents must be the JSON object alone.
  assert.equal(kind(`2026-01-01T00:00:00.000Z\treq\tINFO\t${doc({})}`), undefined);
  assert.equal(readEmf(doc({ Dimensions: [[]] }), NOW, false)?.kind, 'samples');
});

test('limits and types the specification sets', () => {
  const metrics = (n: number) => Array.from({ length: n }, () => ({ Name: 'M' }));
  assert.equal(reason(doc({ Metrics: metrics(100) })), 'samples');
  assert.match(reason(doc({ Metrics: metrics(101) }))!, /at most 100 metrics/);
  const dims = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`d${i}`, 'v']));
  assert.equal(reason(doc({ Dimensions: [Object.keys(dims(30))] }, dims(30))), 'samples');
  assert.match(reason(doc({ Dimensions: [Object.keys(dims(31))] }, dims(31)))!, /at most 30 dimensions/);
  assert.equal(reason(doc({}, { M: Array(100).fill(1) })), 'samples');
  assert.match(reason(doc({}, { M: Array(101).fill(1) }))!, /more than 100 values/);
  assert.match(reason(doc({}, { M: '1' }))!, /number or an array/);
  assert.match(reason(doc({}, { M: [] }))!, /number or an array/);
  assert.match(reason(doc({}).replace('"M":1', '"M":1e400'))!, /number or an array/);
  assert.match(reason(doc({}).replace('"M":1', '"M":[1,1e400]'))!, /number or an array/);
  assert.match(reason(doc({}, { M: undefined }))!, /number or an array/);
  assert.match(reason(doc({ Dimensions: [['A']] }, { A: 1 }))!, /dimension A/);
  assert.match(reason(doc({ Dimensions: [['A']] }))!, /dimension A/);
  assert.match(reason(doc({ Metrics: [{ Name: 'M', Unit: 'Furlongs' }] }))!, /Unit Furlongs/);
  assert.match(reason(doc({ Metrics: [{ Name: 'M', StorageResolution: 5 }] }))!, /StorageResolution/);
  assert.match(reason(doc({ Namespace: 'AWS/Lambda' }))!, /Namespace/);
  assert.match(reason(doc({ Namespace: '' }))!, /Namespace/);
  assert.match(reason(doc({ Dimensions: undefined }))!, /Dimensions/);
  assert.match(reason(doc({}, {}, { Timestamp: undefined }))!, /Timestamp/);
  assert.match(reason(doc({}, {}, { Timestamp: NOW - 15 * 86_400_000 }))!, /window/);
  assert.match(reason(doc({}, {}, { Timestamp: NOW + 3 * 3_600_000 }))!, /window/);
  assert.match(reason(JSON.stringify({ _aws: { Timestamp: NOW } }))!, /CloudWatchMetrics/);
});
