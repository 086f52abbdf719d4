// Versions and staging labels: AWSCURRENT moving on with AWSPREVIOUS behind it, labels leaving the
// version that had them, and picking a version by id or stage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredSecret, StoredSecretVersion } from '../store/secrets-store.js';
import { pickVersion, withVersion } from './resources.js';

const version = (versionId: string, stages: string[]): StoredSecretVersion => ({ versionId, secretString: versionId, stages, createdMs: 0 });
const stagesOf = (versions: StoredSecretVersion[]) => Object.fromEntries(versions.map((v) => [v.versionId, v.stages]));

test('withVersion: a new AWSCURRENT makes the old one AWSPREVIOUS and clears the one before', () => {
  let versions = [version('a', ['AWSCURRENT'])];
  versions = withVersion(versions, version('b', ['AWSCURRENT']));
  assert.deepEqual(stagesOf(versions), { a: ['AWSPREVIOUS'], b: ['AWSCURRENT'] });
  versions = withVersion(versions, version('c', ['AWSCURRENT', 'blue']));
  assert.deepEqual(stagesOf(versions), { a: [], b: ['AWSPREVIOUS'], c: ['AWSCURRENT', 'blue'] });
  versions = withVersion(versions, version('d', ['blue']));
  assert.deepEqual(stagesOf(versions), { a: [], b: ['AWSPREVIOUS'], c: ['AWSCURRENT'], d: ['blue'] });
});

test('withVersion keeps 100 versions, dropping the oldest without a label', () => {
  let versions = [version('v0', ['AWSCURRENT'])];
  for (let i = 1; i <= 120; i++) versions = withVersion(versions, version(`v${i}`, ['AWSCURRENT']));
  assert.equal(versions.length, 100);
  assert.equal(versions[versions.length - 1].versionId, 'v120');
  assert.deepEqual(versions.filter((v) => v.stages.length).map((v) => v.versionId), ['v119', 'v120']);
});

test('pickVersion by id, by stage, by both; AWS\'s errors for what is missing', () => {
  const secret = { versions: [version('a', ['AWSPREVIOUS']), version('b', ['AWSCURRENT'])] } as StoredSecret;
  assert.equal(pickVersion(secret, undefined, undefined).versionId, 'b');
  assert.equal(pickVersion(secret, 'a', undefined).versionId, 'a');
  assert.equal(pickVersion(secret, undefined, 'AWSPREVIOUS').versionId, 'a');
  assert.throws(() => pickVersion(secret, 'a', 'AWSCURRENT'), { message: 'Secrets Manager can\'t find the specified secret value for VersionId: a' });
  assert.throws(() => pickVersion(secret, undefined, 'AWSPENDING'), { message: 'Secrets Manager can\'t find the specified secret value for staging label: AWSPENDING' });
});
