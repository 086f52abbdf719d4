// Function URL configs in the Lambda store: one per function or alias, found by url-id, kept when
// their alias is deleted, gone with their function.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqlite } from './database.js';
import { allMigrations } from './migrations.js';
import { SqliteLambdaStore } from './lambda-store.js';
import type { FunctionUrlRecord, StoredConfig } from '../lambda-store.js';
import { useTempDirs } from '../../testing/temp-dirs.js';

const dirs = useTempDirs();
const fn = { accountId: '000000000000', region: 'us-east-1', name: 'fn' };
const url = (qualifier: string, urlId: string): FunctionUrlRecord => ({ ...fn, qualifier, urlId, authType: 'NONE', creationTime: 't', lastModifiedTime: 't' });

test('one URL per function or alias, found by url-id; alias deletion keeps it, function deletion drops all', async () => {
  const store = new SqliteLambdaStore(openSqlite(dirs.make(), allMigrations));
  assert.equal(await store.createFunctionUrlConfig(url('', 'a'.repeat(32))), 'not-found');
  const latest = { RevisionId: 'r1', CodeHash: 'h' } as StoredConfig;
  await store.createFunction({ ...fn, latest, lastVersion: 0, tags: {}, createdAt: '' }, { ...latest, Version: '1' });
  await store.createAlias(fn, { Name: 'live', FunctionVersion: '1', RevisionId: 'a1' });

  assert.equal(await store.createFunctionUrlConfig(url('', 'a'.repeat(32))), 'ok');
  assert.equal(await store.createFunctionUrlConfig(url('', 'c'.repeat(32))), 'conflict');
  assert.equal(await store.createFunctionUrlConfig({ ...url('live', 'b'.repeat(32)), cors: { AllowOrigins: ['*'] }, invokeMode: 'BUFFERED' }), 'ok');
  assert.deepEqual(await store.getFunctionUrlConfigById('b'.repeat(32)), { ...url('live', 'b'.repeat(32)), cors: { AllowOrigins: ['*'] }, invokeMode: 'BUFFERED' });
  assert.deepEqual((await store.listFunctionUrlConfigs(fn)).map((r) => r.qualifier), ['', 'live']);

  const changed = await store.updateFunctionUrlConfig(fn, 'live', (current) => ({ ...current, authType: 'AWS_IAM', urlId: 'ignored', lastModifiedTime: 'u' }));
  assert.equal(changed?.urlId, 'b'.repeat(32), 'the url-id never changes');
  const updated = await store.getFunctionUrlConfig(fn, 'live');
  assert.equal(updated?.authType, 'AWS_IAM');
  assert.equal(updated?.urlId, 'b'.repeat(32));
  assert.deepEqual(updated?.cors, { AllowOrigins: ['*'] }, 'what the change keeps stays');
  assert.equal(await store.updateFunctionUrlConfig(fn, 'other', (c) => c), undefined);

  await store.deleteAlias(fn, 'live');
  assert.ok(await store.getFunctionUrlConfig(fn, 'live'), 'AWS keeps an alias URL config after the alias is deleted');
  assert.equal(await store.deleteFunctionUrlConfig(fn, ''), true);
  assert.equal(await store.deleteFunctionUrlConfig(fn, ''), false);
  await store.deleteFunction(fn);
  assert.equal(await store.getFunctionUrlConfigById('b'.repeat(32)), undefined);
});
