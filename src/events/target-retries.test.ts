// Targets' RetryPolicy on the events module with a real (SQLite) store and target kinds that fail
// as told: retriable failures are retried until delivered, until MaximumRetryAttempts or until
// MaximumEventAgeInSeconds, then the dead-letter queue gets AWS's attributes; a refusal is not
// retried. Event time runs 1000 times faster (`--events-clock`), so a 1 s backoff is 1 ms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsError } from '../core/errors.js';
import { DeliveryRefused } from '../core/resource-policy.js';
import { openSqlite } from '../store/sqlite/database.js';
import { allMigrations } from '../store/sqlite/migrations.js';
import { sqliteRunner } from '../store/sqlite/logs-store.js';
import { SqlEventsStore } from '../store/rows/events.js';
import type { StoredTarget } from '../store/events-store.js';
import { waitFor } from '../testing/wait.js';
import { createEventsModule } from './module.js';
import { backoffMs, retryPolicyOf } from './target-retries.js';

const scope = { accountId: '123456789012', region: 'eu-west-1' };
const QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:q';
const DLQ = 'arn:aws:sqs:eu-west-1:123456789012:dlq';
const throttled = () => awsError('TooManyRequestsException', 'Rate Exceeded.');

/** An events module whose `sqs` targets fail with `failure()` while it answers an error; runs `fn`, then closes. */
async function withEvents(failure: (tries: number) => unknown, target: Partial<StoredTarget>, fn: (h: {
  publish: () => Promise<string>; tries: () => number; delivered: string[]; deadLetters: { body: string; attributes: Record<string, string> }[];
}) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-event-retries-'));
  const db = openSqlite(dir, allMigrations);
  const events = createEventsModule(new SqlEventsStore(sqliteRunner(db)), { clock: { anchorMs: Date.now(), scale: 1000 }, nodeId: 'n1' });
  try {
    let tries = 0;
    const delivered: string[] = [];
    const deadLetters: { body: string; attributes: Record<string, string> }[] = [];
    events.targets.register('sqs', {
      deliver: async (d) => {
        const error = failure(++tries);
        if (error) throw error;
        delivered.push(d.payload);
      },
    });
    events.targets.sendDeadLettersTo({ send: async (arn, letter) => void (arn === DLQ && deadLetters.push(letter)) });
    const store = new SqlEventsStore(sqliteRunner(db));
    await store.putRule(scope, { busName: 'default', name: 'r', eventPattern: '{"source":["t"]}', state: 'ENABLED', tags: [], createdMs: 0, lastTickMs: 0 });
    await store.putTargets(scope, 'default', 'r', [{ Id: 'q', Arn: QUEUE, DeadLetterConfig: { Arn: DLQ }, ...target }]);
    events.start();
    await fn({ publish: () => events.publisher.putEvent(scope, { source: 't', detailType: 'd', detail: { n: 1 } }), tries: () => tries, delivered, deadLetters });
  } finally {
    await events.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a target throttled three times gets the event on the fourth try', async () => {
  await withEvents((n) => (n <= 3 ? throttled() : undefined), {}, async ({ publish, tries, delivered, deadLetters }) => {
    await publish();
    await waitFor('the delivery', () => delivered[0]);
    assert.equal(tries(), 4);
    assert.equal(deadLetters.length, 0);
  });
});

test('a target that keeps failing: MaximumRetryAttempts retries, then the DLQ with RETRY_ATTEMPTS and the error', async () => {
  await withEvents(() => new Error('socket hang up'), { RetryPolicy: { MaximumRetryAttempts: 3 } }, async ({ publish, tries, deadLetters }) => {
    const id = await publish();
    const [letter] = await waitFor('the dead letter', () => (deadLetters.length ? deadLetters : undefined));
    assert.equal(tries(), 4);
    assert.equal(JSON.parse(letter.body).id, id);
    assert.deepEqual(letter.attributes, {
      RULE_ARN: 'arn:aws:events:eu-west-1:123456789012:rule/r', TARGET_ARN: QUEUE, ERROR_CODE: 'INTERNAL_ERROR', ERROR_MESSAGE: 'socket hang up', RETRY_ATTEMPTS: '3',
    });
  });
});

test('MaximumEventAgeInSeconds ends the retries before MaximumRetryAttempts does', async () => {
  await withEvents(() => throttled(), { RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 } }, async ({ publish, tries, deadLetters }) => {
    await publish();
    const [letter] = await waitFor('the dead letter', () => (deadLetters.length ? deadLetters : undefined));
    // Waits of at least 0.5, 1, 2, 4, 8, 16, 32 s: no more than 7 retries fit in a minute.
    const retries = Number(letter.attributes.RETRY_ATTEMPTS);
    assert.ok(retries >= 1 && retries <= 7, `retries: ${retries}`);
    assert.equal(tries(), retries + 1);
    assert.equal(letter.attributes.ERROR_CODE, 'THROTTLING');
  });
});

test('a refusal (no permission) is not retried: the DLQ at once with RETRY_ATTEMPTS 0', async () => {
  await withEvents(() => new DeliveryRefused('refused', QUEUE, 'events.amazonaws.com'), { RetryPolicy: { MaximumRetryAttempts: 10 } }, async ({ publish, tries, deadLetters }) => {
    await publish();
    const [letter] = await waitFor('the dead letter', () => (deadLetters.length ? deadLetters : undefined));
    assert.equal(tries(), 1);
    assert.equal(letter.attributes.ERROR_CODE, 'NO_PERMISSIONS');
    assert.equal(letter.attributes.RETRY_ATTEMPTS, '0');
  });
});

test('MaximumRetryAttempts 0: a retriable failure goes to the DLQ at once', async () => {
  await withEvents(() => throttled(), { RetryPolicy: { MaximumRetryAttempts: 0 } }, async ({ publish, tries, deadLetters }) => {
    await publish();
    const [letter] = await waitFor('the dead letter', () => (deadLetters.length ? deadLetters : undefined));
    assert.equal(tries(), 1);
    assert.equal(letter.attributes.RETRY_ATTEMPTS, '0');
  });
});

test('the defaults and the backoff: 185 retries over 24 hours, doubling from 1 s to 5 minutes with half of each wait random', () => {
  assert.deepEqual(retryPolicyOf({ Id: 'a', Arn: QUEUE }), { maxRetries: 185, maxAgeMs: 86_400_000 });
  assert.deepEqual([1, 2, 3, 10, 100].map((n) => backoffMs(n, () => 1)), [1_000, 2_000, 4_000, 300_000, 300_000]);
  assert.deepEqual([1, 2, 10].map((n) => backoffMs(n, () => 0)), [500, 1_000, 150_000]);
});

test('a retry waiting in the database survives a restart: the next server delivers it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-event-retries-'));
  const db = openSqlite(dir, allMigrations);
  const store = new SqlEventsStore(sqliteRunner(db));
  // Event time 10 times faster: the first retry waits 50 to 100 ms, long after the first server closed.
  const open = (deliver: (payload: string) => Promise<void>) => {
    const events = createEventsModule(store, { clock: { anchorMs: Date.now(), scale: 10 }, nodeId: 'n1' });
    events.targets.register('sqs', { deliver: (d) => deliver(d.payload) });
    events.start();
    return events;
  };
  try {
    await store.putRule(scope, { busName: 'default', name: 'r', eventPattern: '{"source":["t"]}', state: 'ENABLED', tags: [], createdMs: 0, lastTickMs: 0 });
    await store.putTargets(scope, 'default', 'r', [{ Id: 'q', Arn: QUEUE }]);
    let refused = 0;
    const first = open(async () => {
      refused++;
      throw throttled();
    });
    await first.publisher.putEvent(scope, { source: 't', detailType: 'd', detail: { n: 1 } });
    await first.close();
    assert.equal(refused, 1);
    const delivered: string[] = [];
    const second = open(async (payload) => void delivered.push(payload));
    try {
      const [payload] = await waitFor('the retried delivery', () => (delivered.length ? delivered : undefined));
      assert.deepEqual(JSON.parse(payload).detail, { n: 1 });
      assert.equal(await store.nextRetryDueMs('n1', new Set()), undefined, 'the retry is finished');
    } finally {
      await second.close();
    }
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
