// The retry rules of asynchronous invocations, against a fixed clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isExpired, nextStep, retrySettings } from './async-retry.js';

const T0 = 1_000_000;
const aws = retrySettings(undefined, [60_000, 120_000]);

test('defaults are AWS defaults: 2 retries, 6 hours, no destinations', () => {
  assert.equal(aws.maximumRetryAttempts, 2);
  assert.equal(aws.maximumEventAgeMs, 21_600_000);
  assert.equal(aws.onSuccess, undefined);
  const configured = retrySettings({ qualifier: '$LATEST', maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60, onFailure: 'arn:x', lastModifiedMs: 0 }, [1, 2]);
  assert.deepEqual(configured, { maximumRetryAttempts: 0, maximumEventAgeMs: 60_000, retryDelaysMs: [1, 2], onSuccess: undefined, onFailure: 'arn:x' });
});

test('a success is done at once', () => {
  assert.deepEqual(nextStep('success', { enqueuedMs: T0, attempts: 1, throttles: 0 }, aws, T0), { kind: 'done', condition: 'Success' });
});

test('function errors retry after 1 then 2 minutes, then the retries are exhausted', () => {
  assert.deepEqual(nextStep('function-error', { enqueuedMs: T0, attempts: 1, throttles: 0 }, aws, T0 + 100), { kind: 'retry', dueMs: T0 + 60_100 });
  assert.deepEqual(nextStep('function-error', { enqueuedMs: T0, attempts: 2, throttles: 0 }, aws, T0 + 60_200), { kind: 'retry', dueMs: T0 + 180_200 });
  assert.deepEqual(nextStep('function-error', { enqueuedMs: T0, attempts: 3, throttles: 0 }, aws, T0 + 180_300), { kind: 'done', condition: 'RetriesExhausted' });
  const none = { ...aws, maximumRetryAttempts: 0 };
  assert.deepEqual(nextStep('function-error', { enqueuedMs: T0, attempts: 1, throttles: 0 }, none, T0), { kind: 'done', condition: 'RetriesExhausted' });
});

test('an event is given up as soon as its next try would come after its maximum age (as AWS does)', () => {
  const sixtySeconds = { ...aws, maximumEventAgeMs: 60_000 };
  // AWS's recorded case: age 60 s, the first retry would come 60 s after a failure that took some time.
  assert.deepEqual(nextStep('function-error', { enqueuedMs: T0, attempts: 1, throttles: 0 }, sixtySeconds, T0 + 500), { kind: 'done', condition: 'EventAgeExceeded' });
  // Age 90 s: one retry fits, the second would not.
  const ninety = { ...aws, maximumEventAgeMs: 90_000 };
  assert.equal(nextStep('function-error', { enqueuedMs: T0, attempts: 1, throttles: 0 }, ninety, T0 + 500).kind, 'retry');
  assert.deepEqual(nextStep('function-error', { enqueuedMs: T0, attempts: 2, throttles: 0 }, ninety, T0 + 61_000), { kind: 'done', condition: 'EventAgeExceeded' });
  assert.equal(isExpired(T0, sixtySeconds, T0 + 60_000), false);
  assert.equal(isExpired(T0, sixtySeconds, T0 + 60_001), true);
});

test('throttled tries back off from 1 second, doubling up to 5 minutes, until the age runs out', () => {
  const due = (throttles: number) => nextStep('throttled', { enqueuedMs: T0, attempts: 0, throttles }, aws, T0);
  assert.deepEqual(due(1), { kind: 'retry', dueMs: T0 + 1000 });
  assert.deepEqual(due(2), { kind: 'retry', dueMs: T0 + 2000 });
  assert.deepEqual(due(4), { kind: 'retry', dueMs: T0 + 8000 });
  assert.deepEqual(due(30), { kind: 'retry', dueMs: T0 + 300_000 });
  const late = nextStep('throttled', { enqueuedMs: T0, attempts: 0, throttles: 30 }, aws, T0 + 21_500_000);
  assert.deepEqual(late, { kind: 'done', condition: 'EventAgeExceeded' });
});
