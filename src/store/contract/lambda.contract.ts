// The LambdaStore contract: compare-and-swap writes, versions and aliases; asynchronous invocation
// settings per qualifier, replaced whole and gone with the version, alias or function they belong
// to; layer versions whose numbers never come back, newest-first listings, and policies replaced
// only against the revision they were read at. Every backend (src/store/*/stores.test.ts) runs these cases.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionUrlRecord, LambdaStore, LayerKey, LayerVersionRecord, StoredConfig } from '../lambda-store.js';
import type { OpenedStores, StoreBackend } from './backend.js';

const fn = { accountId: '000000000000', region: 'us-east-1', name: 'fn' };
const url = (qualifier: string, urlId: string): FunctionUrlRecord => ({ ...fn, qualifier, urlId, authType: 'NONE', creationTime: 't', lastModifiedTime: 't' });
const layer = (name: string): LayerKey => ({ accountId: '000000000000', region: 'us-east-1', name });
const build = (key: LayerKey, description: string) => (version: number): LayerVersionRecord => ({
  ...key, version, description, codeHash: 'h', codeSha256: 'b64', codeSize: 10, createdDate: 'd', compatibleRuntimes: ['nodejs20.x'],
});

export function lambdaStoreContract(backend: StoreBackend): void {
  const name = backend.name;
  let current: OpenedStores | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const fresh = async (): Promise<LambdaStore> => (current = await backend.open()).lambda;

  test(`${name}: $LATEST is replaced only against the revision it was read at; versions are numbered under the same check`, async () => {
    const store = await fresh();
    const latest = { RevisionId: 'r1', CodeHash: 'h', Version: '$LATEST' } as StoredConfig;
    assert.equal(await store.updateLatest(fn, 'r1', { ...latest, RevisionId: 'r2' }), 'not-found');
    assert.equal(await store.createFunction({ ...fn, latest, lastVersion: 0, tags: { a: '1' }, createdAt: 'c' }), 'ok');
    assert.equal(await store.createFunction({ ...fn, latest, lastVersion: 0, tags: {}, createdAt: 'c' }), 'conflict');
    assert.equal(await store.updateLatest(fn, 'r0', { ...latest, RevisionId: 'r2' }), 'revision-mismatch');
    assert.equal(await store.updateLatest(fn, 'r1', { ...latest, RevisionId: 'r2' }), 'ok');
    assert.equal((await store.getFunction(fn))?.latest.RevisionId, 'r2');
    assert.deepEqual((await store.publishVersion(fn, 'r1', (v) => ({ ...latest, Version: v }))).result, 'revision-mismatch');
    const published = await store.publishVersion(fn, 'r2', (v) => ({ ...latest, Version: v, RevisionId: `v${v}` }));
    assert.equal(published.config?.Version, '1');
    assert.equal((await store.publishVersion(fn, 'r2', (v) => ({ ...latest, Version: v }))).config?.Version, '2');
    assert.deepEqual((await store.listVersions(fn)).map((c) => c.Version), ['1', '2']);
    assert.equal(await store.getVersion(fn, 'x'), undefined);
    assert.equal(await store.deleteVersion(fn, '2'), true);
    assert.equal((await store.publishVersion(fn, 'r2', (v) => ({ ...latest, Version: v }))).config?.Version, '3', 'numbers are never reused');
    const same = await store.publishVersion(fn, 'r2', (v) => ({ ...latest, Version: v }), (newest) => newest.Version === '3');
    assert.deepEqual([same.result, same.config?.Version], ['unchanged', '3'], 'an unchanged $LATEST answers the newest version');
    assert.equal((await store.publishVersion(fn, 'r2', (v) => ({ ...latest, Version: v }), () => false)).config?.Version, '4');
    assert.equal((await store.getFunction(fn))?.lastVersion, 4);
    assert.deepEqual((await store.getFunction(fn))?.tags, { a: '1' });
    assert.equal(await store.changeTags(fn, (tags) => ({ ...tags, b: '2' })), true);
    await assert.rejects(store.changeTags(fn, () => { throw new Error('refused'); }), /refused/);
    assert.deepEqual((await store.getFunction(fn))?.tags, { a: '1', b: '2' }, 'a refused change leaves the tags');
    assert.equal(await store.changeTags({ ...fn, name: 'nope' }, () => ({})), false);
  });

  test(`${name}: aliases and policies are compare-and-swap writes; listing orders names byte by byte`, async () => {
    const store = await fresh();
    const latest = { RevisionId: 'r1', CodeHash: 'h' } as StoredConfig;
    assert.equal(await store.createAlias(fn, { Name: 'live', FunctionVersion: '1', RevisionId: 'a1' }), 'not-found');
    await store.createFunction({ ...fn, latest, lastVersion: 0, tags: {}, createdAt: '' });
    await store.createFunction({ ...fn, name: 'Zeta', latest, lastVersion: 0, tags: {}, createdAt: '' });
    await store.createFunction({ ...fn, name: 'alpha', latest, lastVersion: 0, tags: {}, createdAt: '' });
    assert.deepEqual((await store.listFunctions(fn.accountId, fn.region, undefined, 10)).map((f) => f.name), ['Zeta', 'alpha', 'fn']);
    assert.deepEqual((await store.listFunctions(fn.accountId, fn.region, 'Zeta', 1)).map((f) => f.name), ['alpha']);
    assert.equal(await store.countFunctions(fn.accountId, fn.region), 3);
    assert.equal(await store.createAlias(fn, { Name: 'live', FunctionVersion: '1', RevisionId: 'a1' }), 'ok');
    assert.equal(await store.createAlias(fn, { Name: 'live', FunctionVersion: '1', RevisionId: 'a1' }), 'conflict');
    assert.equal(await store.updateAlias(fn, 'zz', { Name: 'live', FunctionVersion: '2', RevisionId: 'a2' }), 'revision-mismatch');
    assert.equal(await store.updateAlias(fn, 'a1', { Name: 'live', FunctionVersion: '2', RevisionId: 'a2' }), 'ok');
    assert.equal(await store.updateAlias(fn, 'a1', { Name: 'gone', FunctionVersion: '2', RevisionId: 'a2' }), 'not-found');
    assert.equal((await store.getAlias(fn, 'live'))?.FunctionVersion, '2');

    const statement = { Sid: 's1', Effect: 'Allow' as const, Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: 'arn' };
    assert.equal(await store.putPolicy(fn, '', undefined, { statements: [statement], revisionId: 'p1' }), 'ok');
    assert.equal(await store.putPolicy(fn, '', 'p0', { statements: [], revisionId: 'p2' }), 'revision-mismatch');
    assert.equal(await store.putPolicy(fn, '', null, { statements: [], revisionId: 'p2' }), 'revision-mismatch', 'null expects no policy yet');
    assert.deepEqual(await store.getPolicy(fn, ''), { statements: [statement], revisionId: 'p1' });
    assert.equal(await store.putPolicy(fn, '', 'p1', { statements: [], revisionId: 'p2' }), 'ok');
    assert.equal(await store.getPolicy(fn, ''), undefined);
    assert.equal(await store.putPolicy(fn, 'x', null, { statements: [statement], revisionId: 'p3' }), 'ok');
    assert.equal(await store.putPolicy(fn, 'x', 'p3', { statements: [], revisionId: 'p4' }), 'ok');
    assert.equal(await store.putPolicy({ ...fn, name: 'nope' }, '', undefined, { statements: [statement], revisionId: 'p1' }), 'not-found');

    assert.equal(await store.setReservedConcurrency(fn, 5), true);
    assert.equal(await store.setReservedConcurrency({ ...fn, name: 'alpha' }, 7), true);
    assert.equal(await store.totalReserved(fn.accountId, fn.region), 12);
    assert.equal(await store.totalReserved(fn.accountId, fn.region, 'fn'), 7);
    assert.equal(await store.deleteFunction(fn), true);
    assert.equal(await store.getAlias(fn, 'live'), undefined);
    assert.equal(await store.deleteFunction(fn), false);
  });

  test(`${name}: settings per qualifier are replaced whole and dropped with their version, alias or function`, async () => {
    const store = await fresh();
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
  });

  test(`${name}: versions count from 1 per layer and are never reused, even after every version is deleted`, async () => {
    const store = await fresh();
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

  test(`${name}: a layer version policy is replaced against its revision and removed when empty`, async () => {
    const store = await fresh();
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

  test(`${name}: a layer version number beyond any published one (a long in AWS's model) names no version`, async () => {
    const store = await fresh();
    const a = layer('a');
    await store.publishLayerVersion(a, build(a, ''));
    for (const version of [2_147_483_648, 2 ** 53]) {
      assert.equal(await store.getLayerVersion(a, version), undefined);
      assert.equal(await store.deleteLayerVersion(a, version), false);
      assert.equal(await store.putLayerVersionPolicy(a, version, undefined, { statements: [], revisionId: 'r' }), 'not-found');
    }
    assert.equal((await store.getLayerVersion(a, 1))?.version, 1);
  });

  test(`${name}: one function URL per function or alias, found by url-id; alias deletion keeps it, function deletion drops all`, async () => {
    const store = await fresh();
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

  test(`${name}: provisioned concurrency per version or alias, replaced in place, listed everywhere, gone with its version, alias or function`, async () => {
    const store = await fresh();
    assert.equal(await store.putProvisionedConcurrency(fn, { qualifier: '1', requested: 1, lastModifiedMs: 1 }), 'not-found');
    const latest = { RevisionId: 'r1', CodeHash: 'h' } as StoredConfig;
    await store.createFunction({ ...fn, latest, lastVersion: 0, tags: {}, createdAt: '' }, { ...latest, Version: '1' });
    await store.createAlias(fn, { Name: 'live', FunctionVersion: '1', RevisionId: 'a1' });
    assert.equal(await store.putProvisionedConcurrency(fn, { qualifier: 'live', requested: 2, lastModifiedMs: 10 }), 'ok');
    assert.equal(await store.putProvisionedConcurrency(fn, { qualifier: '1', requested: 1, lastModifiedMs: 11 }), 'ok');
    assert.equal(await store.putProvisionedConcurrency(fn, { qualifier: 'live', requested: 3, lastModifiedMs: 12 }), 'ok');
    assert.deepEqual(await store.getProvisionedConcurrency(fn, 'live'), { qualifier: 'live', requested: 3, lastModifiedMs: 12 });
    assert.deepEqual((await store.listProvisionedConcurrency(fn)).map((r) => r.qualifier), ['1', 'live']);
    assert.deepEqual((await store.listAllProvisionedConcurrency()).map((r) => [r.name, r.qualifier, r.requested]), [['fn', '1', 1], ['fn', 'live', 3]]);
    await store.deleteAlias(fn, 'live');
    assert.equal(await store.getProvisionedConcurrency(fn, 'live'), undefined);
    assert.equal(await store.deleteProvisionedConcurrency(fn, '1'), true);
    assert.equal(await store.deleteProvisionedConcurrency(fn, '1'), false);
    assert.equal(await store.putProvisionedConcurrency(fn, { qualifier: '1', requested: 1, lastModifiedMs: 13 }), 'ok');
    await store.deleteFunction(fn);
    assert.deepEqual(await store.listAllProvisionedConcurrency(), []);
  });
  test(`${name}: recursion and runtime management settings: per function, per qualifier, gone with the function`, async () => {
    const store = await fresh();
    const latest = { RevisionId: 'r1', CodeHash: 'h' } as StoredConfig;
    assert.equal(await store.setRecursiveLoop(fn, 'Allow'), false);
    assert.equal(await store.setRuntimeManagement(fn, '$LATEST', { updateRuntimeOn: 'Auto' }), false);
    await store.createFunction({ ...fn, latest, lastVersion: 0, tags: {}, createdAt: '' });
    const created = await store.getFunction(fn);
    assert.equal(created?.recursiveLoop, undefined);
    assert.equal(created?.runtimeManagement, undefined);
    assert.equal(await store.setRecursiveLoop(fn, 'Allow'), true);
    const manual = { updateRuntimeOn: 'Manual', runtimeVersionArn: 'arn:aws:lambda:us-east-1::runtime:abc' };
    // Concurrent writes to different qualifiers both land (each replaces only its own).
    assert.deepEqual(await Promise.all([
      store.setRuntimeManagement(fn, '$LATEST', manual),
      store.setRuntimeManagement(fn, '1', { updateRuntimeOn: 'FunctionUpdate' }),
    ]), [true, true]);
    assert.equal(await store.setRuntimeManagement(fn, '1', { updateRuntimeOn: 'Auto' }), true);
    const got = await store.getFunction(fn);
    assert.equal(got?.recursiveLoop, 'Allow');
    assert.deepEqual(got?.runtimeManagement, { $LATEST: manual, 1: { updateRuntimeOn: 'Auto' } });
    assert.equal(await store.updateLatest(fn, 'r1', { ...latest, RevisionId: 'r2' }), 'ok');
    assert.equal((await store.getFunction(fn))?.recursiveLoop, 'Allow', 'a configuration update keeps the settings');
    await store.deleteFunction(fn);
    await store.createFunction({ ...fn, latest, lastVersion: 0, tags: {}, createdAt: '' });
    assert.equal((await store.getFunction(fn))?.recursiveLoop, undefined);
    assert.equal((await store.getFunction(fn))?.runtimeManagement, undefined);
  });
  test(`${name}: code signing configs: attached only while they exist, not deleted while in use, detached with the function`, async () => {
    const store = await fresh();
    const latest = { RevisionId: 'r1', CodeHash: 'h' } as StoredConfig;
    const csc = { accountId: fn.accountId, region: fn.region, id: 'csc-0123456789abcdef0' };
    const record = { ...csc, description: 'd', signingProfileVersionArns: ['arn:p'], untrustedArtifactOnDeployment: 'Warn', lastModified: 't1' };
    assert.equal(await store.setFunctionCodeSigningConfig(fn, csc.id), 'config-not-found');
    await store.createCodeSigningConfig(record);
    await store.createCodeSigningConfig({ ...record, id: 'csc-00000000000000000' });
    assert.deepEqual(await store.getCodeSigningConfig(csc), record);
    assert.equal(await store.getCodeSigningConfig({ ...csc, region: 'eu-west-1' }), undefined);
    assert.deepEqual((await store.listCodeSigningConfigs(fn.accountId, fn.region)).map((r) => r.id), ['csc-00000000000000000', csc.id]);
    assert.equal(await store.setFunctionCodeSigningConfig(fn, csc.id), 'function-not-found');

    await store.createFunction({ ...fn, latest, lastVersion: 0, tags: {}, createdAt: '', codeSigningConfigId: csc.id });
    await store.createFunction({ ...fn, name: 'other', latest, lastVersion: 0, tags: {}, createdAt: '' });
    assert.equal((await store.getFunction(fn))?.codeSigningConfigId, csc.id);
    assert.equal(await store.setFunctionCodeSigningConfig({ ...fn, name: 'other' }, csc.id), 'ok');
    assert.deepEqual(await store.listFunctionsByCodeSigningConfig(csc), ['fn', 'other']);
    assert.equal(await store.deleteCodeSigningConfig(csc), 'in-use');
    assert.equal(await store.setFunctionCodeSigningConfig({ ...fn, name: 'other' }, undefined), 'ok');
    assert.equal((await store.getFunction({ ...fn, name: 'other' }))?.codeSigningConfigId, undefined);

    const updated = await store.updateCodeSigningConfig(csc, (current) => ({ ...current, untrustedArtifactOnDeployment: 'Enforce', lastModified: 't2', id: 'ignored' }));
    assert.deepEqual(updated, { ...record, untrustedArtifactOnDeployment: 'Enforce', lastModified: 't2' });
    assert.deepEqual(await store.getCodeSigningConfig(csc), updated);
    assert.equal(await store.updateCodeSigningConfig({ ...csc, id: 'csc-fffffffffffffffff' }, (c) => c), undefined);

    assert.equal(await store.deleteFunction(fn), true);
    assert.deepEqual(await store.listFunctionsByCodeSigningConfig(csc), []);
    assert.equal(await store.deleteCodeSigningConfig(csc), 'ok');
    assert.equal(await store.deleteCodeSigningConfig(csc), 'not-found');
    assert.equal(await store.getCodeSigningConfig(csc), undefined);
  });
}
