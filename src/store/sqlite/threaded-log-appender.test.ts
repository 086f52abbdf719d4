// ThreadedLogAppender against a real SQLite file: batches stored by the worker thread are what
// the server's own connection reads, in order; a worker that cannot run hands its work (and all
// later work) to the main-thread store, so no line is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openSqlite, type SqliteDb } from './database.js';
import { logsMigrations } from './migrations/logs.js';
import { SqliteLogsStore } from './logs-store.js';
import { ThreadedLogAppender } from './threaded-log-appender.js';
import type { EventBatch, LogsScope } from '../logs-store.js';
import { useTempDirs } from '../../testing/temp-dirs.js';

const dirs = useTempDirs();
const scope: LogsScope = { accountId: '000000000000', region: 'us-east-1' };
const batch = (stream: string, from: number, n: number): { scope: LogsScope; batch: EventBatch } => ({
  scope,
  batch: { groupName: '/aws/lambda/fn', streamName: stream, events: Array.from({ length: n }, (_, i) => ({ timestamp: 1_000 + from + i, message: `line ${from + i}` })) },
});

function open(): { db: SqliteDb; store: SqliteLogsStore } {
  const db = openSqlite(dirs.make(), logsMigrations);
  return { db, store: new SqliteLogsStore(db) };
}

const lines = async (store: SqliteLogsStore, stream: string) =>
  (await store.readStream(scope, '/aws/lambda/fn', stream, { direction: 'forward', limit: 10_000 })).map((e) => e.message);

test('batches are stored by the worker thread, in order, and read back through the server connection', async () => {
  const { db, store } = open();
  let mainThreadWrites = 0;
  const appender = new ThreadedLogAppender(db, { appendMany: (items, ms) => (mainThreadWrites++, store.appendMany(items, ms)) });
  assert.equal(appender.threaded, true);
  const writes = [];
  for (let i = 0; i < 20; i++) writes.push(appender.appendMany([batch('a', i * 10, 10), batch('b', i, 1)], 5_000));
  await Promise.all(writes);
  assert.deepEqual(await lines(store, 'a'), Array.from({ length: 200 }, (_, i) => `line ${i}`));
  assert.deepEqual(await lines(store, 'b'), Array.from({ length: 20 }, (_, i) => `line ${i}`));
  assert.equal(mainThreadWrites, 0);
  const streamA = await store.getStream(scope, '/aws/lambda/fn', 'a');
  assert.equal(streamA?.lastIngestionMs, 5_000);
  await appender.close();
  db.close();
});

test('close() waits for what was given; later batches are stored on the main thread', async () => {
  const { db, store } = open();
  const appender = new ThreadedLogAppender(db, store);
  const pending = appender.appendMany([batch('a', 0, 500)], 1);
  await appender.close();
  assert.equal((await lines(store, 'a')).length, 500, 'stored before close() returned');
  await pending;
  assert.equal(appender.threaded, false);
  await appender.appendMany([batch('a', 500, 1)], 2);
  assert.equal((await lines(store, 'a')).length, 501);
  db.close();
});

test('a worker that cannot open the database hands every batch to the main-thread store', async () => {
  const { db, store } = open();
  // The worker opens this path and fails (no such directory); the fallback writes to `db`.
  const broken = { memory: false, name: join(dirs.make(), 'missing', 'stagecraft.db') } as unknown as SqliteDb;
  const appender = new ThreadedLogAppender(broken, store);
  await appender.appendMany([batch('a', 0, 3)], 1);
  await appender.appendMany([batch('a', 3, 2)], 1);
  assert.deepEqual(await lines(store, 'a'), ['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
  assert.equal(appender.threaded, false);
  await appender.close();
  db.close();
});
