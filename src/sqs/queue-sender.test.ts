// The internal queue interface other services use: send by ARN, then receive, change visibility
// and delete as a poller (a Lambda event source mapping) does, on a real SQLite store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../store/sqlite/database.js';
import { allMigrations } from '../store/sqlite/migrations.js';
import { sqliteRunner } from '../store/sqlite/logs-store.js';
import { SqlSqsStore } from '../store/rows/sqs.js';
import { MessageEngine } from './messages.js';
import { QueueWakeups } from './wakeups.js';
import { internalQueues } from './queue-sender.js';
import { defaultAttributes } from './queue-attributes.js';
import { md5OfAttributes } from './md5.js';

test('internal queues: send by ARN, receive with a visibility timeout, release one, delete the batch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-sqs-'));
  const db = openSqlite(dir, allMigrations);
  let now = 1_000_000;
  const store = new SqlSqsStore(sqliteRunner(db));
  const wakeups = new QueueWakeups();
  const queues = internalQueues(store, new MessageEngine(store, wakeups, () => now));
  try {
    const arn = 'arn:aws:sqs:us-east-1:111122223333:events';
    await store.createQueue({ accountId: '111122223333', region: 'us-east-1', name: 'events', arn, attributes: defaultAttributes(false), tags: {}, createdMs: now, modifiedMs: now });
    await assert.rejects(queues.send(`${arn}-missing`, { body: 'x' }), { code: 'AWS.SimpleQueueService.NonExistentQueue' });
    await assert.rejects(queues.send(arn, { body: '' }), { code: 'MissingParameter' });
    const attributes = { source: { DataType: 'String', StringValue: 'sns' } };
    const sent = await queues.send(arn, { body: 'one', attributes });
    assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes(attributes));
    await queues.send(arn, { body: 'two' });

    const batch = await queues.receive(arn, { maxMessages: 10, visibilityTimeoutSeconds: 30 });
    assert.deepEqual(batch.map((m) => m.Body), ['one', 'two']);
    assert.equal(batch[0].MessageAttributes?.source.StringValue, 'sns');
    assert.equal(batch[0].Attributes?.ApproximateReceiveCount, '1');
    assert.equal(batch[0].Attributes?.SenderId, '111122223333');
    assert.deepEqual(await queues.receive(arn, { maxMessages: 10 }), [], 'both in flight');

    await queues.changeVisibility(arn, batch[1].ReceiptHandle, 0);
    const again = await queues.receive(arn, { maxMessages: 10 });
    assert.deepEqual(again.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount]), [['two', '2']]);
    assert.deepEqual(await queues.deleteBatch(arn, [batch[0].ReceiptHandle, again[0].ReceiptHandle, 'not-a-handle']), { failed: ['not-a-handle'] });
    now += 60_000;
    assert.deepEqual(await queues.receive(arn, { maxMessages: 10 }), [], 'deleted, not back after the timeout');
    assert.equal((await queues.attributes(arn))?.VisibilityTimeout, '30');
  } finally {
    wakeups.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
