import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuePump } from './due-pump.js';

interface Item { id: number; dueMs: number }

/** An in-memory store of items; a pass takes the due ones not running. */
function memoryWork(items: Item[], now: () => number, ran: number[], hold?: Promise<void>) {
  return {
    name: 'test queue',
    take: async (limit: number, running: ReadonlySet<number>) => items.filter((i) => i.dueMs <= now() && !running.has(i.id)).slice(0, limit),
    nextDueMs: async (running: ReadonlySet<number>) => items.filter((i) => !running.has(i.id)).reduce<number | undefined>((m, i) => (m === undefined ? i.dueMs : Math.min(m, i.dueMs)), undefined),
    keyOf: (i: Item) => i.id,
    run: async (i: Item) => {
      await hold;
      ran.push(i.id);
      items.splice(items.indexOf(i), 1);
    },
  };
}

test('runs due items, then the ones that come due later, on its timer', async () => {
  const start = Date.now();
  const items = [{ id: 1, dueMs: start }, { id: 2, dueMs: start + 50 }, { id: 3, dueMs: start }];
  const ran: number[] = [];
  const pump = new DuePump(memoryWork(items, Date.now, ran), { workers: 2 });
  pump.start();
  const deadline = Date.now() + 10_000;
  while (ran.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(ran.slice(0, 2).sort(), [1, 3]);
  assert.equal(ran[2], 2);
  assert.equal(await pump.close(100), 0);
});

test('never runs more than its workers at once; close answers what still runs', async () => {
  let release!: () => void;
  const hold = new Promise<void>((r) => (release = r));
  const items = [1, 2, 3].map((id) => ({ id, dueMs: 0 }));
  const ran: number[] = [];
  const pump = new DuePump(memoryWork(items, Date.now, ran, hold), { workers: 2 });
  pump.start();
  const deadline = Date.now() + 10_000;
  while (pump.running < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(pump.running, 2);
  assert.equal(await pump.close(20), 2);
  release();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(ran.length, 2, 'nothing new starts once closing');
});
