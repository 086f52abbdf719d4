// PgDb.tx against a real server: transactions that keep colliding with other writers answer a
// throttle, and a transaction whose connection is ended under it runs again on a new one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isAwsError, StorageLimitError } from '../../core/errors.js';
import { PgDb } from './database.js';
import { createTestDatabase, type TestDatabase } from './testing.js';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database?.drop());

const open = () => new PgDb(database.url, { max: 2 });

test('a transaction that keeps meeting serialization failures is retried, then answered as TooManyRequestsException', async () => {
  const db = open();
  try {
    let runs = 0;
    const failing = db.tx(async (sql) => {
      runs++;
      await sql.run("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'serialization_failure'; END $$");
    });
    await assert.rejects(failing, (e) => isAwsError(e) && e.code === 'TooManyRequestsException' && e.status === 429);
    assert.equal(runs, 3);
    let deadlocks = 0;
    assert.equal(await db.tx(async (sql) => {
      if (deadlocks++ === 0) await sql.run("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'deadlock_detected'; END $$");
      return 'second run';
    }), 'second run');
  } finally {
    await db.close();
  }
});

test('a transaction whose connection is terminated before it commits runs again, and the process lives on', async () => {
  const db = open();
  try {
    await db.run('CREATE TABLE t (n INT)');
    let runs = 0;
    await db.tx(async (sql) => {
      runs++;
      await sql.run('INSERT INTO t VALUES (?)', [runs]);
      if (runs === 1) await sql.run('SELECT pg_terminate_backend(pg_backend_pid())');
    });
    assert.equal(runs, 2);
    assert.deepEqual(await db.all('SELECT n FROM t'), [{ n: 2 }], 'only the second run committed');
  } finally {
    await db.close();
  }
});

test('values PostgreSQL cannot hold (an index entry too large, a number beyond its column) are StorageLimitErrors, the caller\'s fault', async () => {
  const db = open();
  try {
    await db.run('CREATE TABLE limits (name TEXT PRIMARY KEY, n INT)');
    const long = Array.from({ length: 20_000 }, (_, i) => i.toString(36)).join(''); // incompressible enough to stay over the index limit
    await assert.rejects(db.run('INSERT INTO limits (name) VALUES (?)', [long]), (e) => e instanceof StorageLimitError && /too long to be stored/.test(e.message));
    await assert.rejects(db.tx((sql) => sql.run('INSERT INTO limits (name, n) VALUES (?, ?)', ['a', 2 ** 40])), (e) => e instanceof StorageLimitError && /out of range/.test(e.message));
    await db.run('INSERT INTO limits (name, n) VALUES (?, ?)', ['b', 1]);
    assert.equal((await db.get<{ n: number }>('SELECT n FROM limits WHERE name = ?', ['b']))?.n, 1);
  } finally {
    await db.close();
  }
});
