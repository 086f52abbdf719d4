// The cluster's directory of WebSocket connections: each node records what it holds, any node finds
// the holder, and a node forgets only its own rows (or a named dead node's).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPostgres } from './database.js';
import { allPostgresMigrations } from './migrations.js';
import { PgWebSocketConnectionsStore } from './websocket-connections-store.js';
import { createTestDatabase, type TestDatabase } from './testing.js';

let created: TestDatabase | undefined;
after(async () => {
  await created?.drop();
});

test('postgres: nodes record the WebSocket connections they hold; any node finds the holder', async () => {
  created = await createTestDatabase();
  const db = await openPostgres(created.url, allPostgresMigrations, { max: 2 });
  const a = new PgWebSocketConnectionsStore(db, 'node-a');
  const b = new PgWebSocketConnectionsStore(db, 'node-b');
  try {
    await a.add({ connectionId: 'c1', apiId: 'api1', stage: 'live', nodeUrl: 'http://127.0.0.1:4001', connectedAt: 1_700_000_000_000 });
    await a.add({ connectionId: 'c2', apiId: 'api1', stage: 'live', nodeUrl: 'http://127.0.0.1:4001', connectedAt: 1 });
    await b.add({ connectionId: 'c3', apiId: 'api2', stage: 'dev', nodeUrl: 'http://127.0.0.1:4002', connectedAt: 2 });
    assert.deepEqual(await b.find('c1'), { connectionId: 'c1', apiId: 'api1', stage: 'live', nodeId: 'node-a', nodeUrl: 'http://127.0.0.1:4001', connectedAt: 1_700_000_000_000 });
    assert.equal(await b.find('nope'), undefined);

    await b.remove('c1');
    assert.ok(await a.find('c1'), 'a node removes only the connections it holds');
    await b.remove('c1', 'node-a');
    assert.equal(await a.find('c1'), undefined, 'or those of the dead node it names');

    await a.releaseAll();
    assert.equal(await b.find('c2'), undefined);
    assert.ok(await a.find('c3'), 'the other node\'s connections stay');
  } finally {
    await db.close();
  }
});
