// The doors other modules use: a target kind registered for a service receives the deliveries of
// its targets (after their input transformation), and the publisher puts events from another
// service on a bus, matched by rules as PutEvents' are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../store/sqlite/database.js';
import { allMigrations } from '../store/sqlite/migrations.js';
import { sqliteRunner } from '../store/sqlite/logs-store.js';
import { SqlEventsStore } from '../store/rows/events.js';
import { createEventsModule } from './module.js';
import type { TargetDelivery } from './delivery-targets.js';

test('a registered target kind gets its targets\' deliveries from published events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-events-'));
  const db = openSqlite(dir, allMigrations);
  try {
    const store = new SqlEventsStore(sqliteRunner(db));
    const events = createEventsModule(store, { now: () => Date.parse('2026-02-03T04:05:06.789Z') });
    const delivered: TargetDelivery[] = [];
    events.targets.register('sqs', { deliver: async (d) => void delivered.push(d) });
    const scope = { accountId: '123456789012', region: 'eu-west-1' };
    await store.putRule(scope, { busName: 'default', name: 'from-s3', eventPattern: '{"source":["aws.s3"],"detail":{"bucket":{"name":[{"prefix":"in-"}]}}}', state: 'ENABLED', tags: [], createdMs: 0, lastTickMs: 0 });
    await store.putTargets(scope, 'default', 'from-s3', [
      { Id: 'queue', Arn: 'arn:aws:sqs:eu-west-1:123456789012:q', InputPath: '$.detail.bucket' },
      { Id: 'topic', Arn: 'arn:aws:sns:eu-west-1:123456789012:t' },
    ]);
    const id = await events.publisher.putEvent(scope, { source: 'aws.s3', detailType: 'Object Created', detail: { bucket: { name: 'in-box' } }, resources: ['arn:aws:s3:::in-box'] });
    await events.publisher.putEvent(scope, { source: 'aws.s3', detailType: 'Object Created', detail: { bucket: { name: 'out-box' } } });
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(delivered, [{
      targetArn: 'arn:aws:sqs:eu-west-1:123456789012:q', ruleArn: 'arn:aws:events:eu-west-1:123456789012:rule/from-s3', accountId: '123456789012',
      payload: '{"name":"in-box"}', target: { Id: 'queue', Arn: 'arn:aws:sqs:eu-west-1:123456789012:q', InputPath: '$.detail.bucket' },
    }], 'the SNS target has no kind registered: it is skipped');
    await events.close();
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
