// Layer versions in the Lambda store: numbers that never come back, newest-first listings, and
// policies replaced only against the revision they were read at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqlite } from './database.js';
import { allMigrations } from './migrations.js';
import { SqliteLambdaStore } from './lambda-store.js';
import type { LayerKey, LayerVersionRecord } from '../lambda-store.js';
import { useTempDirs } from '../../testing/temp-dirs.js';

const dirs = useTempDirs();
const layer = (name: string): LayerKey => ({ accountId: '000000000000', region: 'us-east-1', name });
const build = (key: LayerKey, description: string) => (version: number): LayerVersionRecord => ({
  ...key, version, description, codeHash: 'h', codeSha256: 'b64', codeSize: 10, createdDate: 'd', compatibleRuntimes: ['nodejs20.x'],
});

test('versions count from 1 per layer and are never reused, even after every version is deleted', async () => {
  const store = new SqliteLambdaStore(openSqlite(dirs.make(), allMigrations));
  const a = layer('a');
  assert.equal((await store.publishLayerVersion(a, build(a, 'one'))).version, 1);
  assert.equal((await store.publishLayerVersion(a, build(a, 'two'))).version, 2);
  assert.equal((await store.publishLayerVersion(layer('b'), build(layer('b'), 'b1'))).version, 1);
  assert.deepEqual((await store.listLayerVersions(a)).map((v) => [v.version, v.description]), [[2, 'two'], [1, 'one']]);
  assert.deepEqual((await store.listAllLayerVersions('000000000000', 'us-east-1')).map((v) => `${v.name}:${v.version}`), ['a:2', 'a:1', 'b:1']);
  assert.deepEqual((await store.listAllLayerVersions('000000000000', 'eu-west-1')), []);

  assert.equal(await store.deleteLayerVersion(a, 1), true);
  assert.equal(await store.deleteLayerVersion(a, 1), false);
  assert.equal(await store.deleteLayerVersion(a, 2), true);
  assert.deepEqual(await store.listLayerVersions(a), []);
  assert.equal((await store.publishLayerVersion(a, build(a, 'three'))).version, 3);
  const got = await store.getLayerVersion(a, 3);
  assert.deepEqual(got, { ...a, version: 3, description: 'three', codeHash: 'h', codeSha256: 'b64', codeSize: 10, createdDate: 'd', compatibleRuntimes: ['nodejs20.x'], policy: undefined });
});

test('a layer version policy is replaced against its revision and removed when empty', async () => {
  const store = new SqliteLambdaStore(openSqlite(dirs.make(), allMigrations));
  const a = layer('a');
  await store.publishLayerVersion(a, build(a, ''));
  const statement = { Sid: 's1', Effect: 'Allow' as const, Principal: '*', Action: 'lambda:GetLayerVersion', Resource: 'arn' };
  assert.equal(await store.putLayerVersionPolicy(a, 2, undefined, { statements: [statement], revisionId: 'r1' }), 'not-found');
  assert.equal(await store.putLayerVersionPolicy(a, 1, 'r0', { statements: [statement], revisionId: 'r1' }), 'revision-mismatch');
  assert.equal(await store.putLayerVersionPolicy(a, 1, undefined, { statements: [statement], revisionId: 'r1' }), 'ok');
  assert.deepEqual((await store.getLayerVersion(a, 1))?.policy, { statements: [statement], revisionId: 'r1' });
  assert.equal(await store.putLayerVersionPolicy(a, 1, undefined, { statements: [statement], revisionId: 'r2' }), 'revision-mismatch');
  assert.equal(await store.putLayerVersionPolicy(a, 1, 'r1', { statements: [], revisionId: 'r2' }), 'ok');
  assert.equal((await store.getLayerVersion(a, 1))?.policy, undefined);
});
