// PgZipStorage.collect against a real server: a row older than the grace goes only when nothing
// references it at the moment of the DELETE (a reference committed after the collector read its
// set still saves it), and a node touching the row while the DELETE waits on it saves it too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { openPostgres, type PgDb } from './database.js';
import { allPostgresMigrations } from './migrations.js';
import { PgZipStorage } from './zip-storage.js';
import { createTestDatabase, type TestDatabase } from './testing.js';

let database: TestDatabase;
let db: PgDb;
before(async () => {
  database = await createTestDatabase();
  db = await openPostgres(database.url, allPostgresMigrations, { max: 4 });
});
after(async () => {
  await db?.close();
  await database?.drop();
});

const HASH = 'a'.repeat(64);
const old = () => db.run('INSERT INTO code_blobs (hash, zip, created_ms) VALUES (?, ?, 0) ON CONFLICT (hash) DO UPDATE SET created_ms = 0', [HASH, Buffer.from('zip bytes')]);
const present = async () => (await db.get('SELECT 1 FROM code_blobs WHERE hash = ?', [HASH])) !== undefined;

test('a reference committed after the collector read its set keeps the row; without one it goes', async () => {
  const storage = new PgZipStorage(db);
  await old();
  await db.run("INSERT INTO lambda_functions (account_id, region, name, latest, revision_id, created_at) VALUES ('1', 'r', 'f', ?, 'rev', 'now')", [JSON.stringify({ CodeHash: HASH })]);
  assert.deepEqual(await storage.collect(new Set(), Date.now()), { count: 0, bytes: 0 });
  assert.ok(await present());
  await db.run("DELETE FROM lambda_functions WHERE name = 'f'");
  await db.run("INSERT INTO s3_parts (upload_id, part_number, blob, size, etag) VALUES ('u', 1, ?, 9, 'e')", [HASH]);
  assert.equal((await storage.collect(new Set(), Date.now())).count, 0, 'an upload part keeps it');
  await db.run('DELETE FROM s3_parts WHERE blob = ?', [HASH]);
  assert.deepEqual(await storage.collect(new Set(), Date.now()), { count: 1, bytes: 9 });
  assert.ok(!(await present()));
  assert.equal(await storage.touch(HASH), false, 'a node touching a deleted row is told to insert it again');
});

test('a touch committed while the DELETE waits on the row saves it', async () => {
  const storage = new PgZipStorage(db);
  await old();
  const other = new pg.Client({ connectionString: database.url });
  await other.connect();
  try {
    await other.query('BEGIN');
    await other.query('UPDATE code_blobs SET created_ms = $1 WHERE hash = $2', [Date.now(), HASH]);
    const collecting = storage.collect(new Set(), Date.now() - 60_000);
    await new Promise((r) => setTimeout(r, 300));
    await other.query('COMMIT');
    assert.equal((await collecting).count, 0);
    assert.ok(await present());
  } finally {
    await other.end();
  }
});
