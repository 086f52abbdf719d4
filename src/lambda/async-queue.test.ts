// The asynchronous invocation queue with a scripted function in place of the invoke pipeline:
// bounded parallelism, retries, throttling backoff, records to destinations, and shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { awsError } from '../core/errors.js';
import { openSqlite } from '../store/sqlite/database.js';
import { allMigrations } from '../store/sqlite/migrations.js';
import { SqliteAsyncQueueStore } from '../store/sqlite/async-queue-store.js';
import { SqliteLambdaStore } from '../store/sqlite/lambda-store.js';
import type { AsyncEvent } from '../store/async-queue-store.js';
import type { StoredConfig } from '../store/lambda-store.js';
import { useTempDirs } from '../testing/temp-dirs.js';
import type { InvokeOutcome } from './invoke.js';
import { AsyncQueue } from './async-queue.js';
import { MetricAggregator } from '../cloudwatch/aggregator.js';
import { AsyncEventMetrics } from '../cloudwatch/lambda-async-metrics.js';

const dirs = useTempDirs();
const scope = { accountId: '000000000000', region: 'us-east-1' };

type Script = (event: AsyncEvent) => Promise<InvokeOutcome>;

async function setup(script: Script, options: { workers?: number; drainMs?: number; metrics?: AsyncEventMetrics; deadLetterTarget?: () => Promise<string | undefined> } = {}) {
  const db = openSqlite(dirs.make(), allMigrations);
  const lambda = new SqliteLambdaStore(db);
  const store = new SqliteAsyncQueueStore(db);
  for (const name of ['fn', 'recorder']) {
    await lambda.createFunction({ ...scope, name, latest: { RevisionId: 'r', CodeHash: 'h' } as StoredConfig, lastVersion: 0, tags: {}, createdAt: '' });
  }
  const runs: AsyncEvent[] = [];
  const queue = new AsyncQueue({
    store, lambda, workers: options.workers ?? 4, retryDelaysMs: [20, 40], drainMs: options.drainMs, metrics: options.metrics, deadLetterTarget: options.deadLetterTarget,
    run: (event) => {
      runs.push(event);
      return script(event);
    },
  });
  queue.start();
  const accept = (name: string, payload: unknown) =>
    queue.enqueue({ ...scope, name, requestId: `req-${runs.length}-${Math.random()}`, payload: Buffer.from(JSON.stringify(payload)) });
  // Idle once nothing runs or waits in the store and the queue's own count (refreshed after the last
  // attempt finishes, a moment later) has caught up.
  const idle = async () => {
    const busy = async () => queue.stats().running > 0 || queue.stats().queued > 0 || (await store.count()) > 0;
    for (let i = 0; i < 200 && (await busy()); i++) await new Promise((r) => setTimeout(r, 10));
  };
  return { db, lambda, store, queue, runs, accept, idle };
}

const ok = (payload: unknown): InvokeOutcome => ({ statusCode: 200, requestId: 'x', executedVersion: '$LATEST', payload: Buffer.from(JSON.stringify(payload)) });
const failed = (): InvokeOutcome => ({ statusCode: 200, requestId: 'x', executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"errorMessage":"no"}') });

test('runs accepted events, no more at once than it has workers', async () => {
  let running = 0;
  let peak = 0;
  const { db, queue, runs, accept, idle } = await setup(async () => {
    peak = Math.max(peak, ++running);
    await new Promise((r) => setTimeout(r, 20));
    running--;
    return ok(1);
  }, { workers: 2 });
  for (let i = 0; i < 6; i++) assert.equal(await accept('fn', { i }), true);
  assert.equal(await accept('missing', {}), false);
  await idle();
  assert.equal(runs.length, 6);
  assert.equal(peak, 2);
  assert.deepEqual(queue.stats(), { queued: 0, running: 0 });
  await queue.close();
  db.close();
});

test('a function error is retried with the same request id; the failure record goes to the OnFailure function', async () => {
  const { db, lambda, queue, runs, accept, idle } = await setup(async (event) => (event.name === 'fn' ? failed() : ok('recorded')));
  await lambda.putEventInvokeConfig({ ...scope, name: 'fn' }, {
    qualifier: '$LATEST', maximumRetryAttempts: 1, onFailure: 'arn:aws:lambda:us-east-1:000000000000:function:recorder', lastModifiedMs: 0,
  });
  await accept('fn', { tag: 1 });
  await idle();
  const attempts = runs.filter((r) => r.name === 'fn');
  assert.equal(attempts.length, 2);
  assert.equal(attempts[0].requestId, attempts[1].requestId);
  const delivered = runs.filter((r) => r.name === 'recorder');
  assert.equal(delivered.length, 1);
  const record = JSON.parse(delivered[0].payload.toString());
  assert.equal(record.requestContext.condition, 'RetriesExhausted');
  assert.equal(record.requestContext.approximateInvokeCount, 2);
  assert.equal(record.requestContext.requestId, attempts[0].requestId);
  assert.deepEqual(record.requestPayload, { tag: 1 });
  assert.deepEqual(record.responsePayload, { errorMessage: 'no' });
  await queue.close();
  db.close();
});

test('throttled events back off and run once the function can take them; caller errors discard the event', async () => {
  let throttles = 1;
  const { db, queue, runs, accept, idle } = await setup(async (event) => {
    if (JSON.parse(event.payload.toString()).gone) throw awsError('ResourceNotFoundException', 'Function not found');
    if (throttles-- > 0) throw awsError('TooManyRequestsException', 'Rate Exceeded.');
    return ok(1);
  });
  const started = Date.now();
  await accept('fn', {});
  await idle();
  assert.equal(runs.length, 2, 'one throttled try, then the run');
  assert.ok(Date.now() - started >= 900, 'the first backoff is about a second');
  await accept('fn', { gone: true });
  await idle();
  assert.equal(runs.length, 3, 'not retried');
  await queue.close();
  db.close();
});

test('close() waits for running attempts up to the drain time and leaves the rest queued', async () => {
  const { db, store, queue, accept } = await setup(() => new Promise(() => {}), { drainMs: 50 });
  await accept('fn', {});
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(queue.stats().running, 1);
  await queue.close();
  assert.equal(await store.count(), 1, 'still queued for the next start');
  db.close();
});

test('metrics: events received, the age at each attempt, drops, dead-letter errors and undeliverable records', async () => {
  const agg = new MetricAggregator();
  const { db, lambda, queue, accept, idle } = await setup(async (event) => (event.name === 'fn' ? failed() : ok('recorded')), {
    metrics: new AsyncEventMetrics(agg),
    deadLetterTarget: async () => 'arn:aws:sqs:us-east-1:000000000000:dlq',
  });
  await lambda.putEventInvokeConfig({ ...scope, name: 'fn' }, { qualifier: '$LATEST', maximumRetryAttempts: 1, onFailure: 'arn:aws:sqs:us-east-1:000000000000:lost', lastModifiedMs: 0 });
  await lambda.putEventInvokeConfig({ ...scope, name: 'recorder' }, { qualifier: '$LATEST', onSuccess: 'arn:aws:lambda:us-east-1:000000000000:function:gone', lastModifiedMs: 0 });
  await accept('fn', {});
  await accept('recorder', {});
  await idle();
  const points = agg.drain();
  const sum = (metricName: string, name: string, dimensions = `[{"Name":"FunctionName","Value":"${name}"}]`) =>
    points.filter((p) => p.metricName === metricName && p.dimensions === dimensions).reduce((n, p) => n + p.sum, 0);
  const count = (metricName: string, name: string) => points.filter((p) => p.metricName === metricName && p.dimensions.includes(`"${name}"`)).reduce((n, p) => n + p.sampleCount, 0);
  assert.equal(sum('AsyncEventsReceived', 'fn'), 1);
  assert.equal(count('AsyncEventAge', 'fn'), 2, 'an age per attempt');
  assert.ok(sum('AsyncEventAge', 'fn') >= 20, 'the retry waited 20 ms');
  assert.equal(sum('AsyncEventsDropped', 'fn'), 1);
  assert.equal(sum('DeadLetterErrors', 'fn'), 1, 'no senders are registered: nothing can receive it');
  assert.equal(sum('DestinationDeliveryFailures', 'fn'), 1, 'an SQS destination');
  assert.equal(sum('DestinationDeliveryFailures', 'recorder'), 1, 'a destination function that does not exist');
  assert.equal(sum('DestinationDeliveryFailures', '', '[]'), 2);
  assert.equal(sum('AsyncEventsDropped', 'recorder'), 0, 'a success is not dropped');
  await queue.close();
  db.close();
});

test('records and dead letters go to the registered senders; their failures count, their deliveries do not', async () => {
  const agg = new MetricAggregator();
  const { db, lambda, queue, accept, idle } = await setup(async (event) => (event.name === 'fn' ? failed() : ok('fine')), {
    metrics: new AsyncEventMetrics(agg),
    deadLetterTarget: async () => 'arn:aws:sqs:us-east-1:000000000000:dlq',
  });
  const records: [string, unknown][] = [];
  const letters: [string, unknown][] = [];
  let refuse = false;
  queue.sendRecordsTo({
    sendRecord: async (arn, record) => { if (refuse) throw new Error('no such queue'); records.push([arn, record]); },
    sendDeadLetter: async (arn, letter) => { if (refuse) throw new Error('no such queue'); letters.push([arn, letter]); },
  });
  await lambda.putEventInvokeConfig({ ...scope, name: 'fn' }, { qualifier: '$LATEST', maximumRetryAttempts: 0, onFailure: 'arn:aws:sns:us-east-1:000000000000:failures', lastModifiedMs: 0 });
  await lambda.putEventInvokeConfig({ ...scope, name: 'recorder' }, { qualifier: '$LATEST', onSuccess: 'arn:aws:events:us-east-1:000000000000:event-bus/default', lastModifiedMs: 0 });
  await accept('fn', { n: 1 });
  await accept('recorder', {});
  await idle();
  assert.deepEqual(records.map(([arn, r]) => [arn, (r as { requestContext: { condition: string } }).requestContext.condition]).sort(), [
    ['arn:aws:events:us-east-1:000000000000:event-bus/default', 'Success'], ['arn:aws:sns:us-east-1:000000000000:failures', 'RetriesExhausted'],
  ]);
  assert.equal(letters.length, 1);
  const [arn, letter] = letters[0] as [string, { payload: Buffer; errorCode: number; errorMessage: string }];
  assert.equal(arn, 'arn:aws:sqs:us-east-1:000000000000:dlq');
  assert.equal(letter.payload.toString(), '{"n":1}');
  assert.equal(letter.errorCode, 200);
  let points = agg.drain();
  const sum = (metricName: string) => points.filter((p) => p.metricName === metricName && p.dimensions === '[]').reduce((n, p) => n + p.sum, 0);
  assert.equal(sum('DeadLetterErrors'), 0);
  assert.equal(sum('DestinationDeliveryFailures'), 0);
  refuse = true;
  await accept('fn', { n: 2 });
  await idle();
  points = agg.drain();
  assert.equal(sum('DeadLetterErrors'), 1);
  assert.equal(sum('DestinationDeliveryFailures'), 1);
  await queue.close();
  db.close();
});
