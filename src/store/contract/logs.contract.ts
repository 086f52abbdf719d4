// The LogsStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { LogsScope, LogsStore } from '../logs-store.js';

const A: LogsScope = { accountId: '000000000000', region: 'us-east-1' };
const B: LogsScope = { accountId: '000000000000', region: 'eu-west-1' };
const group = (name: string, createdMs = 1) => ({ name, createdMs, logGroupClass: 'STANDARD', tags: {} });

export function logsStoreContract(backend: StoreBackend): void {
  const name = backend.name;
  const open = async () => {
    const opened = await backend.open();
    return { store: opened.logs, close: () => opened.close() };
  };
  let current: { store: LogsStore; close(): Promise<void> } | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const fresh = async () => (current = await open()).store;

  test(`${name}: groups are unique per account and region, listed in name order with prefix, substring and keyset paging`, async () => {
    const store = await fresh();
    assert.equal(await store.createGroup(A, group('/aws/lambda/b')), true);
    assert.equal(await store.createGroup(A, group('/aws/lambda/b')), false);
    assert.equal(await store.createGroup(B, group('/aws/lambda/b')), true);
    await store.createGroup(A, group('/aws/lambda/a'));
    await store.createGroup(A, group('/app/Data'));
    const names = async (q: Parameters<LogsStore['listGroups']>[1]) => (await store.listGroups(A, q)).map((g) => g.name);
    assert.deepEqual(await names({ limit: 10 }), ['/app/Data', '/aws/lambda/a', '/aws/lambda/b']);
    assert.deepEqual(await names({ prefix: '/aws/', limit: 10 }), ['/aws/lambda/a', '/aws/lambda/b']);
    assert.deepEqual(await names({ contains: 'Data', limit: 10 }), ['/app/Data']);
    assert.deepEqual(await names({ contains: 'data', limit: 10 }), []);
    assert.deepEqual(await names({ afterName: '/aws/lambda/a', limit: 10 }), ['/aws/lambda/b']);
    assert.deepEqual(await names({ limit: 1 }), ['/app/Data']);
    assert.equal(await store.deleteGroup(A, '/aws/lambda/b'), true);
    assert.equal(await store.deleteGroup(A, '/aws/lambda/b'), false);
    assert.ok(await store.getGroup(B, '/aws/lambda/b'));
  });

  test(`${name}: retention and tags`, async () => {
    const store = await fresh();
    await store.createGroup(A, { ...group('g'), tags: { a: '1', b: '2' } });
    assert.equal(await store.setRetention(A, 'g', 7), true);
    assert.equal((await store.getGroup(A, 'g'))?.retentionDays, 7);
    await store.setRetention(A, 'g', undefined);
    assert.equal((await store.getGroup(A, 'g'))?.retentionDays, undefined);
    assert.equal(await store.updateTags(A, 'g', { c: '3', a: 'x' }, ['b']), true);
    assert.deepEqual((await store.getGroup(A, 'g'))?.tags, { a: 'x', c: '3' });
    assert.equal(await store.updateTags(A, 'missing', {}, []), false);
    assert.equal(await store.setRetention(A, 'missing', 1), false);
  });

  test(`${name}: streams, their statistics, and listing by name or last event time`, async () => {
    const store = await fresh();
    await store.createGroup(A, group('g'));
    assert.equal(await store.createStream(A, 'g', 's1', 10), 'created');
    assert.equal(await store.createStream(A, 'g', 's1', 10), 'exists');
    assert.equal(await store.createStream(A, 'nope', 's1', 10), 'no-group');
    await store.createStream(A, 'g', 's2', 11);
    await store.createStream(A, 'g', 'x3', 12);
    assert.equal(await store.putEvents(A, [{ groupName: 'g', streamName: 's1', events: [{ timestamp: 300, message: 'héllo' }, { timestamp: 400, message: 'b' }] }],
      { ingestionMs: 500, createMissing: false }), 'ok');
    await store.putEvents(A, [{ groupName: 'g', streamName: 's2', events: [{ timestamp: 200, message: 'c' }] }], { ingestionMs: 600, createMissing: false });
    const s1 = await store.getStream(A, 'g', 's1');
    assert.deepEqual(s1, { name: 's1', createdMs: 10, firstEventMs: 300, lastEventMs: 400, lastIngestionMs: 500, storedBytes: 7 });
    assert.equal((await store.getGroup(A, 'g'))?.storedBytes, 8);
    const list = async (q: Partial<Parameters<LogsStore['listStreams']>[2]>) =>
      (await store.listStreams(A, 'g', { orderBy: 'LogStreamName', descending: false, limit: 10, ...q })).map((s) => s.name);
    assert.deepEqual(await list({}), ['s1', 's2', 'x3']);
    assert.deepEqual(await list({ prefix: 's' }), ['s1', 's2']);
    assert.deepEqual(await list({ descending: true }), ['x3', 's2', 's1']);
    assert.deepEqual(await list({ after: { key: 's1', name: 's1' } }), ['s2', 'x3']);
    assert.deepEqual(await list({ orderBy: 'LastEventTime' }), ['x3', 's2', 's1']);
    assert.deepEqual(await list({ orderBy: 'LastEventTime', descending: true }), ['s1', 's2', 'x3']);
    assert.deepEqual(await list({ orderBy: 'LastEventTime', descending: true, after: { key: 400, name: 's1' }, limit: 1 }), ['s2']);
    assert.equal(await store.deleteStream(A, 'g', 's1'), true);
    assert.equal(await store.deleteStream(A, 'g', 's1'), false);
    assert.equal((await store.getGroup(A, 'g'))?.storedBytes, 1);
  });

  test(`${name}: putEvents stores nothing when a target is missing, unless asked to create it`, async () => {
    const store = await fresh();
    await store.createGroup(A, group('g'));
    await store.createStream(A, 'g', 's', 1);
    const batches = [
      { groupName: 'g', streamName: 's', events: [{ timestamp: 1, message: 'kept?' }] },
      { groupName: 'g', streamName: 'missing', events: [{ timestamp: 1, message: 'x' }] },
    ];
    assert.equal(await store.putEvents(A, batches, { ingestionMs: 1, createMissing: false }), 'no-stream');
    assert.deepEqual(await store.readStream(A, 'g', 's', { direction: 'forward', limit: 10 }), []);
    assert.equal(await store.putEvents(A, [{ ...batches[0], groupName: 'other' }], { ingestionMs: 1, createMissing: false }), 'no-group');
    assert.equal(await store.putEvents(A, batches, { ingestionMs: 1, createMissing: true }), 'ok');
    assert.equal((await store.readStream(A, 'g', 'missing', { direction: 'forward', limit: 10 })).length, 1);
  });

  test(`${name}: reading a stream forward and backward from a position, within a time range`, async () => {
    const store = await fresh();
    await store.appendMany([{ scope: A, batch: { groupName: 'g', streamName: 's', events: [30, 10, 20, 20, 40].map((t, i) => ({ timestamp: t, message: `m${i}` })) } }], 99);
    const read = async (q: Partial<Parameters<LogsStore['readStream']>[3]>) =>
      (await store.readStream(A, 'g', 's', { direction: 'forward', limit: 100, ...q })).map((e) => e.message);
    assert.deepEqual(await read({}), ['m1', 'm2', 'm3', 'm0', 'm4']);
    assert.deepEqual(await read({ direction: 'backward', limit: 2 }), ['m0', 'm4']);
    assert.deepEqual(await read({ startTime: 20, endTime: 40 }), ['m2', 'm3', 'm0']);
    const all = await store.readStream(A, 'g', 's', { direction: 'forward', limit: 100 });
    assert.deepEqual(await read({ from: all[1] }), ['m3', 'm0', 'm4']);
    assert.deepEqual(await read({ from: all[2], direction: 'backward' }), ['m1', 'm2']);
    assert.deepEqual(await read({ from: all[4] }), []);
  });

  test(`${name}: filtering interleaves streams, honours names, prefix, bounds, a predicate, limits and a scan budget`, async () => {
    const store = await fresh();
    await store.appendMany([
      { scope: A, batch: { groupName: 'g', streamName: 'a1', events: [{ timestamp: 1, message: 'ERROR one' }, { timestamp: 4, message: 'ok four' }] } },
      { scope: A, batch: { groupName: 'g', streamName: 'a2', events: [{ timestamp: 2, message: 'ok two' }, { timestamp: 3, message: 'ERROR three' }] } },
      { scope: A, batch: { groupName: 'g', streamName: 'b1', events: [{ timestamp: 5, message: 'ERROR five' }] } },
      { scope: B, batch: { groupName: 'g', streamName: 'a1', events: [{ timestamp: 1, message: 'ERROR elsewhere' }] } },
    ], 10);
    const filter = async (q: Partial<Parameters<LogsStore['filterEvents']>[2]>) => {
      const r = await store.filterEvents(A, 'g', { limit: 100, scanLimit: 1000, ...q });
      return { messages: r.events.map((e) => `${e.streamName}:${e.message}`), resume: r.resumeAfter };
    };
    assert.deepEqual((await filter({})).messages, ['a1:ERROR one', 'a2:ok two', 'a2:ERROR three', 'a1:ok four', 'b1:ERROR five']);
    assert.equal((await filter({})).resume, undefined);
    assert.deepEqual((await filter({ streamNames: ['a2', 'b1'] })).messages, ['a2:ok two', 'a2:ERROR three', 'b1:ERROR five']);
    assert.deepEqual((await filter({ streamPrefix: 'a' })).messages, ['a1:ERROR one', 'a2:ok two', 'a2:ERROR three', 'a1:ok four']);
    assert.deepEqual((await filter({ startTime: 2, endTime: 4 })).messages, ['a2:ok two', 'a2:ERROR three', 'a1:ok four']);
    const errors = (m: string) => m.startsWith('ERROR');
    const page1 = await filter({ match: errors, limit: 2 });
    assert.deepEqual(page1.messages, ['a1:ERROR one', 'a2:ERROR three']);
    assert.ok(page1.resume);
    const page2 = await filter({ match: errors, limit: 2, after: page1.resume });
    assert.deepEqual(page2.messages, ['b1:ERROR five']);
    const budget = await filter({ match: errors, scanLimit: 2 });
    assert.deepEqual(budget.messages, ['a1:ERROR one']);
    assert.equal(budget.resume?.timestamp, 2);
  });

  test(`${name}: retention purge removes only expired events of groups with a policy`, async () => {
    const store = await fresh();
    const day = 86_400_000;
    const now = 100 * day;
    await store.appendMany([
      { scope: A, batch: { groupName: 'kept', streamName: 's', events: [{ timestamp: now - 50 * day, message: 'old but no policy' }] } },
      { scope: A, batch: { groupName: 'short', streamName: 's', events: [{ timestamp: now - 2 * day, message: 'old' }, { timestamp: now - 1000, message: 'new' }] } },
    ], now);
    await store.setRetention(A, 'short', 1);
    assert.equal(await store.purgeExpired(now), 1);
    assert.deepEqual((await store.readStream(A, 'short', 's', { direction: 'forward', limit: 10 })).map((e) => e.message), ['new']);
    assert.equal((await store.getStream(A, 'short', 's'))?.firstEventMs, now - 1000);
    assert.equal((await store.getGroup(A, 'short'))?.storedBytes, 3);
    assert.equal((await store.readStream(A, 'kept', 's', { direction: 'forward', limit: 10 })).length, 1);
  });
}

