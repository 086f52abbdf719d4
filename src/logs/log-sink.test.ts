// LogSink against a real SQLite database in a temporary directory.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDb } from '../store/sqlite/database.js';
import { logsMigrations } from '../store/sqlite/migrations/logs.js';
import { SqliteLogsStore } from '../store/sqlite/logs-store.js';
import type { LogsScope, LogsStore } from '../store/logs-store.js';
import { LogSink } from './log-sink.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const scope: LogsScope = { accountId: ACCOUNT, region: REGION };
const GROUP = '/aws/lambda/fn';
const STREAM = '2024/01/01/[$LATEST]abc';

let dir: string;
let db: SqliteDb;
let store: SqliteLogsStore;
let sinks: LogSink[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-logsink-'));
  db = openSqlite(dir, logsMigrations);
  store = new SqliteLogsStore(db);
  sinks = [];
});

afterEach(async () => {
  for (const s of sinks) await s.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function sink(target: LogsStore = store, options: ConstructorParameters<typeof LogSink>[1] = {}): LogSink {
  const s = new LogSink(target, options);
  sinks.push(s);
  return s;
}

const messages = async (group = GROUP, stream = STREAM, where: LogsScope = scope) =>
  (await store.readStream(where, group, stream, { direction: 'forward', limit: 10_000 })).map((e) => e.message);

/** Counts write transactions (appendMany calls) going to the real store. */
function counting(): { target: LogsStore; calls: () => number } {
  let calls = 0;
  const target = Object.create(store) as LogsStore;
  target.appendMany = (items, ingestionMs) => {
    calls++;
    return store.appendMany(items, ingestionMs);
  };
  return { target, calls: () => calls };
}

test('append returns at once and writes nothing; flush makes the lines visible, creating group and stream', async () => {
  const s = sink(store, { flushIntervalMs: 60_000 });
  s.append(ACCOUNT, REGION, GROUP, STREAM, ['START RequestId: 1 Version: $LATEST', 'hello', 'END RequestId: 1'], 1_700_000_000_000);
  assert.equal(await store.getGroup(scope, GROUP), undefined);
  assert.equal(s.stats().queued, 3);
  await s.flush();
  assert.deepEqual(await messages(), ['START RequestId: 1 Version: $LATEST', 'hello', 'END RequestId: 1']);
  const group = await store.getGroup(scope, GROUP);
  assert.ok(group);
  assert.equal(group.retentionDays, undefined);
  const stream = await store.getStream(scope, GROUP, STREAM);
  assert.equal(stream?.firstEventMs, 1_700_000_000_000);
  assert.equal(stream?.lastEventMs, 1_700_000_000_000);
  assert.deepEqual(s.stats(), { queued: 0, written: 3, dropped: 0 });
});

test('lines become visible on their own within about 100 ms', async () => {
  const s = sink();
  s.append(ACCOUNT, REGION, GROUP, STREAM, ['one']);
  const started = Date.now();
  while ((await messages()).length === 0) {
    assert.ok(Date.now() - started < 500, 'lines were not written in time');
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(Date.now() - started <= 150, `took ${Date.now() - started} ms`);
});

test('everything queued within one interval is written in one transaction', async () => {
  const { target, calls } = counting();
  const s = sink(target, { flushIntervalMs: 60_000 });
  for (let i = 0; i < 50; i++) s.append(ACCOUNT, REGION, `/aws/lambda/fn${i % 5}`, `stream${i % 3}`, [`line ${i}`]);
  await s.flush();
  assert.equal(calls(), 1);
  let total = 0;
  for (let g = 0; g < 5; g++) for (let st = 0; st < 3; st++) total += (await messages(`/aws/lambda/fn${g}`, `stream${st}`)).length;
  assert.equal(total, 50);
});

test('a full batch is written without waiting for the interval', async () => {
  const { target, calls } = counting();
  const s = sink(target, { flushIntervalMs: 60_000, batchSize: 100 });
  s.append(ACCOUNT, REGION, GROUP, STREAM, Array.from({ length: 100 }, (_, i) => `line ${i}`));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(calls(), 1);
  assert.equal((await messages()).length, 100);
});

test('order of lines is kept across appends with equal timestamps, and scopes stay apart', async () => {
  const s = sink(store, { flushIntervalMs: 60_000 });
  s.append(ACCOUNT, REGION, GROUP, STREAM, ['a', 'b'], 5);
  s.append(ACCOUNT, 'eu-west-1', GROUP, STREAM, ['other region'], 5);
  s.append(ACCOUNT, REGION, GROUP, STREAM, ['c'], 5);
  s.append('111111111111', REGION, GROUP, STREAM, ['other account'], 5);
  await s.flush();
  assert.deepEqual(await messages(), ['a', 'b', 'c']);
  assert.deepEqual(await messages(GROUP, STREAM, { accountId: ACCOUNT, region: 'eu-west-1' }), ['other region']);
  assert.deepEqual(await messages(GROUP, STREAM, { accountId: '111111111111', region: REGION }), ['other account']);
});

test('close flushes what is queued and drops (and counts) later lines', async () => {
  const s = sink(store, { flushIntervalMs: 60_000 });
  s.append(ACCOUNT, REGION, GROUP, STREAM, ['before close']);
  await s.close();
  assert.deepEqual(await messages(), ['before close']);
  s.append(ACCOUNT, REGION, GROUP, STREAM, ['after close']);
  await s.flush();
  assert.deepEqual(await messages(), ['before close']);
  assert.equal(s.stats().dropped, 1);
});

test('a failing store never throws into the caller; the lines are counted as dropped', async () => {
  const broken = Object.create(store) as LogsStore;
  broken.appendMany = () => Promise.reject(new Error('disk full'));
  const s = sink(broken, { flushIntervalMs: 60_000 });
  s.append(ACCOUNT, REGION, GROUP, STREAM, ['x', 'y']);
  await s.flush();
  assert.deepEqual(s.stats(), { queued: 0, written: 0, dropped: 2 });
});

test('beyond maxQueued, new lines are dropped rather than buffered without bound', async () => {
  const s = sink(store, { flushIntervalMs: 60_000, batchSize: 1_000_000, maxQueued: 3 });
  s.append(ACCOUNT, REGION, GROUP, STREAM, ['1', '2']);
  s.append(ACCOUNT, REGION, GROUP, STREAM, ['3', '4']);
  await s.flush();
  assert.deepEqual(await messages(), ['1', '2']);
  assert.equal(s.stats().dropped, 2);
});

test('stores a batch longer than one multi-row insert in order, with the stream and group sizes', async () => {
  const lines = Array.from({ length: 37 }, (_, i) => `line ${i} ${'é'.repeat(i % 3)}`);
  const s = sink();
  s.append(ACCOUNT, REGION, GROUP, STREAM, lines, 1_000);
  await s.flush();
  assert.deepEqual(await messages(), lines);
  const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l), 0);
  const [stream] = await store.listStreams(scope, GROUP, { orderBy: 'LogStreamName', descending: false, limit: 10 });
  assert.equal(stream.storedBytes, bytes);
  assert.equal(stream.firstEventMs, 1_000);
});

test('observe sees each batch once it is stored, never lines that failed to store', async () => {
  const seen: string[] = [];
  const observe = (s: LogsScope, group: string, events: readonly { message: string }[]) => seen.push(...events.map((e) => `${s.region}${group}:${e.message}`));
  const s = sink(store, { observe });
  s.append(ACCOUNT, REGION, GROUP, STREAM, ['a', 'b']);
  assert.deepEqual(seen, [], 'nothing before the flush');
  await s.flush();
  assert.deepEqual(seen, [`${REGION}${GROUP}:a`, `${REGION}${GROUP}:b`]);
  const failing = sink({ ...store, appendMany: async () => { throw new Error('disk full'); } } as unknown as LogsStore, { observe });
  failing.append(ACCOUNT, REGION, GROUP, STREAM, ['c']);
  await failing.flush();
  assert.equal(seen.length, 2);
});
