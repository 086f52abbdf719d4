// The asynchronous invocation queue contract: queue order, skipping running events, reschedules,
// completion with a follow-up in one transaction, and events that outlive the process. Every
// backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewAsyncEvent } from '../async-queue-store.js';
import type { StoredConfig } from '../lambda-store.js';
import type { StoreBackend } from './backend.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };

export function asyncQueueStoreContract(backend: StoreBackend): void {
  const name = backend.name;
  async function open(location?: string) {
    const stores = await backend.open(location);
    const createFunction = (fn: string) => stores.lambda.createFunction({
      ...scope, name: fn, latest: { RevisionId: 'r1', CodeHash: 'h' } as StoredConfig, lastVersion: 0, tags: {}, createdAt: new Date().toISOString(),
    });
    return { ...stores, db: { close: () => stores.close() }, dataDir: stores.location, createFunction };
  }

  const event = (fn: string, dueMs: number, requestId = `req-${fn}-${dueMs}`): NewAsyncEvent => ({
    ...scope, name: fn, requestId, payload: Buffer.from('{"n":1}'), enqueuedMs: dueMs, dueMs,
  });

  test(`${name}: events come out due and in queue order, leaving out running ones; they survive reopening`, async () => {
    const { close, queue, dataDir, createFunction } = await open();
    await createFunction('fn');
    assert.equal(await queue.enqueue(event('fn', 200)), true);
    assert.equal(await queue.enqueue(event('fn', 100)), true);
    assert.equal(await queue.enqueue(event('fn', 100, 'second-at-100')), true);
    assert.equal(await queue.enqueue(event('fn', 900)), true);
    const due = await queue.due(500, 10, new Set());
    assert.deepEqual(due.map((e) => e.requestId), ['req-fn-100', 'second-at-100', 'req-fn-200']);
    assert.deepEqual(due[0].payload, Buffer.from('{"n":1}'));
    assert.equal(due[0].attempts, 0);
    assert.deepEqual((await queue.due(500, 1, new Set([due[0].seq]))).map((e) => e.requestId), ['second-at-100']);
    assert.equal(await queue.nextDueMs(new Set(due.map((e) => e.seq))), 900);
    await close({ keep: true });

    const reopened = await open(dataDir);
    assert.equal(await reopened.queue.count(), 4);
    assert.equal((await reopened.queue.due(1000, 10, new Set())).length, 4);
    await reopened.close();
  });

  test(`${name}: reschedule keeps the attempt state; complete removes the event and queues its follow-up atomically`, async () => {
    const { db, queue, createFunction } = await open();
    await createFunction('source');
    await createFunction('destination');
    await queue.enqueue(event('source', 100));
    const [first] = await queue.due(100, 1, new Set());
    await queue.reschedule(first.seq, { dueMs: 5000, attempts: 1, throttles: 0, lastResponse: { statusCode: 200, functionError: 'Unhandled', payload: '{}' } });
    assert.equal((await queue.due(4999, 10, new Set())).length, 0);
    const [again] = await queue.due(5000, 10, new Set());
    assert.equal(again.attempts, 1);
    assert.deepEqual(again.lastResponse, { statusCode: 200, functionError: 'Unhandled', payload: '{}' });

    assert.equal(await queue.complete(again.seq, event('destination', 6000, 'record')), true);
    const left = await queue.due(10_000, 10, new Set());
    assert.deepEqual(left.map((e) => [e.name, e.requestId]), [['destination', 'record']]);
    assert.equal(await queue.complete(left[0].seq, event('gone', 7000)), false, 'no follow-up for a function that does not exist');
    assert.equal(await queue.count(), 0, 'the finished event is removed anyway');
    await db.close();
  });

  test(`${name}: a function that does not exist takes no events, and deleting a function drops its queued events`, async () => {
    const { db, lambda, queue, createFunction } = await open();
    assert.equal(await queue.enqueue(event('missing', 1)), false);
    await createFunction('short-lived');
    await queue.enqueue(event('short-lived', 1));
    assert.equal(await queue.count(), 1);
    await lambda.deleteFunction({ ...scope, name: 'short-lived' });
    assert.equal(await queue.count(), 0);
    await db.close();
  });
}
