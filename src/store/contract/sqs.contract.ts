// The SqsStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { NewMessage, StoredQueue } from '../sqs-store.js';

const queue = (name: string, extra: Partial<StoredQueue> = {}): StoredQueue => ({
  accountId: '111', region: 'us-east-1', name, arn: `arn:aws:sqs:us-east-1:111:${name}`, attributes: { VisibilityTimeout: '30' }, tags: {}, createdMs: 1, modifiedMs: 1, ...extra,
});

const message = (queueArn: string, id: string, extra: Partial<NewMessage> = {}): NewMessage => ({
  queueArn, messageId: id, body: `body ${id}`, attributes: '{}', systemAttributes: '{}', md5OfBody: 'md5', senderId: 'AIDA', sentMs: 1000, visibleMs: 1000, ...extra,
});

export function sqsStoreContract(backend: StoreBackend): void {
  test(`${backend.name}: sqs: queues per account and region, kept across a reopen`, async () => {
    const opened = await backend.open();
    const store = opened.sqs;
    assert.equal(await store.createQueue(queue('b')), true);
    assert.equal(await store.createQueue(queue('a', { tags: { team: 'x' } })), true);
    assert.equal(await store.createQueue(queue('a')), false, 'names are unique');
    assert.equal(await store.createQueue(queue('a', { region: 'eu-west-1', arn: 'arn:aws:sqs:eu-west-1:111:a' })), true, 'per region');
    assert.deepEqual((await store.listQueues('111', 'us-east-1', '')).map((q) => q.name), ['a', 'b']);
    assert.deepEqual((await store.listQueues('111', 'us-east-1', 'b')).map((q) => q.name), ['b']);
    assert.deepEqual(await store.listQueues('222', 'us-east-1', ''), []);
    assert.deepEqual((await store.getQueue({ accountId: '111', region: 'us-east-1', name: 'a' }))?.tags, { team: 'x' });
    assert.equal(await store.updateQueue(queue('b', { attributes: { VisibilityTimeout: '5' }, modifiedMs: 9 })), true);
    const stored = (await store.getQueueByArn(queue('a').arn))!.attributes;
    assert.equal(await store.replaceAttributesIf(queue('a').arn, stored, { ...stored, Policy: 'p1' }, 5), true);
    assert.equal(await store.replaceAttributesIf(queue('a').arn, stored, { ...stored, Policy: 'p2' }, 6), false, 'the attributes changed since they were read');
    assert.equal((await store.getQueueByArn(queue('a').arn))!.attributes.Policy, 'p1');
    await store.send(message(queue('b').arn, 'm1'));
    await opened.close({ keep: true });
    const reopened = await backend.open(opened.location);
    try {
      const again = reopened.sqs;
      const b = await again.getQueueByArn(queue('b').arn);
      assert.deepEqual([b?.attributes, b?.modifiedMs], [{ VisibilityTimeout: '5' }, 9]);
      assert.deepEqual((await again.candidates(queue('b').arn, 2000, 10, false)).map((m) => m.messageId), ['m1'], 'messages survive a reopen');
      assert.equal(await again.deleteQueue({ accountId: '111', region: 'us-east-1', name: 'b' }), true);
      assert.equal(await again.deleteQueue({ accountId: '111', region: 'us-east-1', name: 'b' }), false);
      assert.deepEqual(await again.candidates(queue('b').arn, 2000, 10, false), [], 'its messages went with it');
    } finally {
      await reopened.close();
    }
  });

  test(`${backend.name}: sqs: a message is claimed once per visibility, made visible again, moved to a dead-letter queue`, async () => {
    const opened = await backend.open();
    const store = opened.sqs;
    try {
      const arn = queue('q').arn;
      await store.send(message(arn, 'm1'));
      await store.send(message(arn, 'later', { visibleMs: 5000 }));
      const [m1, ...rest] = await store.candidates(arn, 2000, 10, false);
      assert.deepEqual([m1.messageId, m1.body, m1.receiveCount, rest.length], ['m1', 'body m1', 0, 0], 'a delayed message is not a candidate');
      assert.deepEqual(await store.counts(arn, 2000), { visible: 1, inFlight: 0, delayed: 1 });
      assert.equal(await store.claim(m1.seq, 0, 2000, 3000), true);
      assert.equal(await store.claim(m1.seq, 0, 2000, 3000), false, 'a second receiver that read the same message gets nothing');
      assert.deepEqual(await store.counts(arn, 2000), { visible: 0, inFlight: 1, delayed: 1 });
      assert.equal(await store.changeVisibility(arn, m1.seq, 2000, 2500), true);
      const [back] = await store.candidates(arn, 2600, 10, false);
      assert.deepEqual([back.messageId, back.receiveCount, back.firstReceiveMs], ['m1', 1, 2000]);
      assert.equal(await store.changeVisibility(arn, m1.seq, 2600, 9000), false, 'not in flight any more');
      const dlq = queue('dlq').arn;
      assert.equal(await store.moveToDeadLetter(back.seq, 1, 2600, dlq), true);
      const [moved] = await store.candidates(dlq, 2600, 10, false);
      assert.deepEqual([moved.messageId, moved.receiveCount, moved.firstReceiveMs, moved.sentMs, moved.originArn], ['m1', 0, undefined, 1000, arn]);
      assert.equal(await store.deleteMessage(arn, moved.seq), false, 'it left its queue');
      assert.equal(await store.moveMessage(moved.seq, dlq, arn, 2700), true, 'a move task sends it back');
      assert.equal(await store.moveMessage(moved.seq, dlq, arn, 2700), false, 'once');
      const [returned] = await store.candidates(arn, 2700, 10, false);
      assert.deepEqual([returned.messageId, returned.originArn], ['m1', undefined]);
      assert.equal(await store.moveMessage(returned.seq, arn, dlq, 2700), true);
      assert.equal(await store.deleteMessage(dlq, moved.seq), true);
      await store.expireMessages(arn, 1000);
      assert.deepEqual(await store.counts(arn, 9000), { visible: 0, inFlight: 0, delayed: 0 });
    } finally {
      await opened.close();
    }
  });

  test(`${backend.name}: sqs: FIFO groups wait for their message in flight; deduplication ids answer the first send`, async () => {
    const opened = await backend.open();
    const store = opened.sqs;
    try {
      const arn = queue('f.fifo').arn;
      const first = await store.send(message(arn, 'a1', { groupId: 'a', deduplicationId: 'd1' }), 0);
      const dup = await store.send(message(arn, 'a1-again', { groupId: 'a', deduplicationId: 'd1' }), 0);
      assert.deepEqual([dup.duplicate, dup.messageId, dup.seq], [true, 'a1', first.seq]);
      const after = await store.send(message(arn, 'a1-later', { groupId: 'a', deduplicationId: 'd1', sentMs: 400_000, visibleMs: 400_000 }), 100_000);
      assert.equal(after.duplicate, false, 'past the window the id is new again');
      await store.send(message(arn, 'b1', { groupId: 'b' }));
      const ids = async (now: number) => (await store.candidates(arn, now, 10, true)).map((m) => m.messageId);
      assert.deepEqual(await ids(2000), ['a1', 'b1']);
      assert.equal(await store.claim(first.seq, 0, 2000, 3000), true);
      assert.deepEqual(await ids(2000), ['b1'], 'group a waits while a1 is in flight');
      await store.deleteMessage(arn, first.seq);
      assert.deepEqual(await ids(2000), ['b1'], 'a1-later is not yet visible at 2000');
      assert.deepEqual(await ids(400_000), ['a1-later', 'b1']);
      await store.purgeMessages(arn);
      assert.deepEqual(await ids(400_000), []);
    } finally {
      await opened.close();
    }
  });

  test(`${backend.name}: sqs: message move tasks: one running per source, claimed under a lease, cancelled`, async () => {
    const opened = await backend.open();
    const tasks = opened.sqs.moveTasks;
    try {
      const task = { taskId: 't1', sourceArn: 'arn:aws:sqs:us-east-1:111:dlq', status: 'RUNNING' as const, moved: 0, toMove: 3, startedMs: 100, maxPerSecond: 2 };
      assert.equal(await tasks.create(task, 0), true);
      assert.equal(await tasks.create({ ...task, taskId: 't2', startedMs: 200 }, 0), false, 'one running task per source queue');
      const claimed = await tasks.claim('node-a', 1000, 31_000);
      assert.deepEqual(claimed, task);
      assert.equal(await tasks.claim('node-b', 1000, 31_000), undefined, 'held by node-a');
      assert.equal((await tasks.claim('node-a', 1000, 31_000))?.taskId, 't1', 'node-a takes its own task back after a restart');
      assert.equal(await tasks.update('t1', 'node-b', 1, 'RUNNING', 40_000), false, 'only its holder updates it');
      assert.equal(await tasks.update('t1', 'node-a', 2, 'RUNNING', 40_000), true);
      assert.equal((await tasks.claim('node-b', 40_000, 70_000))?.moved, 2, 'taken over once the lease ran out');
      assert.equal(await tasks.cancel('t1'), true);
      assert.equal(await tasks.cancel('t1'), false);
      assert.equal(await tasks.update('t1', 'node-b', 3, 'COMPLETED', 0), false, 'a cancelled task stays cancelled');
      assert.equal(await tasks.create({ ...task, taskId: 't3', startedMs: 300, destinationArn: 'arn:aws:sqs:us-east-1:111:q' }, 0), true);
      assert.deepEqual((await tasks.list(task.sourceArn, 10)).map((t) => [t.taskId, t.status, t.destinationArn]), [['t3', 'RUNNING', 'arn:aws:sqs:us-east-1:111:q'], ['t1', 'CANCELLED', undefined]]);
      assert.equal((await tasks.get('t1'))?.status, 'CANCELLED');
    } finally {
      await opened.close();
    }
  });
}
