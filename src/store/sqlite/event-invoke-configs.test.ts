// Asynchronous invocation settings in the Lambda store: per qualifier, replaced whole, and gone
// with the version, alias or function they belong to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqlite } from './database.js';
import { allMigrations } from './migrations.js';
import { SqliteLambdaStore } from './lambda-store.js';
import type { StoredConfig } from '../lambda-store.js';
import { useTempDirs } from '../../testing/temp-dirs.js';

const dirs = useTempDirs();
const fn = { accountId: '000000000000', region: 'us-east-1', name: 'fn' };

test('settings per qualifier are replaced whole and dropped with their version, alias or function', async () => {
  const db = openSqlite(dirs.make(), allMigrations);
  const store = new SqliteLambdaStore(db);
  const latest = { RevisionId: 'r1', CodeHash: 'h' } as StoredConfig;
  assert.equal(await store.putEventInvokeConfig(fn, { qualifier: '$LATEST', maximumRetryAttempts: 1, lastModifiedMs: 1 }), 'not-found');
  await store.createFunction({ ...fn, latest, lastVersion: 0, tags: {}, createdAt: '' }, { ...latest, Version: '1' });
  await store.createAlias(fn, { Name: 'live', FunctionVersion: '1', RevisionId: 'a1' });

  assert.equal(await store.putEventInvokeConfig(fn, { qualifier: '$LATEST', maximumRetryAttempts: 1, onFailure: 'arn:aws:sqs:us-east-1:000000000000:q', lastModifiedMs: 1 }), 'ok');
  assert.equal(await store.putEventInvokeConfig(fn, { qualifier: '$LATEST', maximumEventAgeInSeconds: 60, lastModifiedMs: 2 }), 'ok');
  assert.deepEqual(await store.getEventInvokeConfig(fn, '$LATEST'), { qualifier: '$LATEST', maximumEventAgeInSeconds: 60, lastModifiedMs: 2 });
  await store.putEventInvokeConfig(fn, { qualifier: '1', maximumRetryAttempts: 0, lastModifiedMs: 3 });
  await store.putEventInvokeConfig(fn, { qualifier: 'live', maximumRetryAttempts: 0, lastModifiedMs: 4 });
  assert.deepEqual((await store.listEventInvokeConfigs(fn)).map((c) => c.qualifier), ['$LATEST', '1', 'live']);

  await store.deleteAlias(fn, 'live');
  await store.deleteVersion(fn, '1');
  assert.deepEqual((await store.listEventInvokeConfigs(fn)).map((c) => c.qualifier), ['$LATEST']);
  assert.equal(await store.deleteEventInvokeConfig(fn, '$LATEST'), true);
  assert.equal(await store.deleteEventInvokeConfig(fn, '$LATEST'), false);
  await store.putEventInvokeConfig(fn, { qualifier: '$LATEST', maximumRetryAttempts: 2, lastModifiedMs: 5 });
  await store.deleteFunction(fn);
  assert.equal(await store.getEventInvokeConfig(fn, '$LATEST'), undefined);
  db.close();
});
