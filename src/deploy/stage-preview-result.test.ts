import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentSummaryOf, previewStagePromotionWith, type StageReader } from './stage-preview-result.js';
import type { StageView } from './stage-promotion-plan.js';

const docs: Record<string, unknown> = {
  d1: { paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } } } },
  d2: { paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } }, '/b': { post: {} } } },
};

/** Stages as given, each serving the document of its deployment. */
function reader(stages: StageView[]): StageReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readStages: async () => stages,
    deployment: async (id) => deploymentSummaryOf(id, `deployment ${id}`, 1_700_000_000),
    exportOf: async (stage) => {
      reads.push(stage);
      return docs[stages.find((s) => s.name === stage)!.deploymentId!] as never;
    },
  };
}

const api = { kind: 'rest' as const, id: 'a1', name: 'shop' };

test('a promotion: both deployments, the routes that differ, variables kept', async () => {
  const p = await previewStagePromotionWith(reader([{ name: 'dev', deploymentId: 'd2' }, { name: 'prod', deploymentId: 'd1' }]), api, 'dev', 'prod');
  assert.equal(p.action, 'promote');
  assert.deepEqual(p.current, { id: 'd1', description: 'deployment d1', createdDate: '2023-11-14T22:13:20.000Z' });
  assert.equal(p.target.id, 'd2');
  assert.deepEqual(p.routes.added, [{ route: 'POST /b', integration: '' }]);
  assert.equal(p.routes.unchanged, 1);
  assert.deepEqual([p.stageVariables, p.changes], [{ effect: 'kept', overrides: [] }, true]);
});

test('a new stage: nothing served now, every route added, no variables', async () => {
  const r = reader([{ name: 'dev', deploymentId: 'd2' }]);
  const p = await previewStagePromotionWith(r, api, 'dev', 'qa');
  assert.deepEqual([p.action, p.current, p.routes.added.length, p.stageVariables.effect], ['create', null, 2, 'none']);
  assert.deepEqual(r.reads, ['dev'], 'no export of a stage that does not exist');
});

test("finishing a canary names the overrides that become the stage's variables; a canary gives its share", async () => {
  const stages: StageView[] = [{ name: 'dev', deploymentId: 'd2' }, { name: 'prod', deploymentId: 'd1', canary: { deploymentId: 'd2', percentTraffic: 10, stageVariableOverrides: { b: '2', a: '1' } } }];
  const finish = await previewStagePromotionWith(reader(stages), api, 'dev', 'prod');
  assert.deepEqual([finish.action, finish.stageVariables], ['finish-canary', { effect: 'overridden', overrides: ['a', 'b'] }]);
  const canary = await previewStagePromotionWith(reader([stages[0], { name: 'prod', deploymentId: 'd1' }]), api, 'dev', 'prod', 25);
  assert.deepEqual([canary.action, canary.percentTraffic], ['canary', 25]);
  const same = await previewStagePromotionWith(reader([stages[0], { name: 'prod', deploymentId: 'd2' }]), api, 'dev', 'prod');
  assert.deepEqual([same.action, same.changes], ['unchanged', false]);
});

test('what the promotion refuses, the preview refuses', async () => {
  await assert.rejects(previewStagePromotionWith(reader([{ name: 'dev', deploymentId: 'd2' }, { name: 'auto', deploymentId: 'd1', autoDeploy: true }]), { ...api, kind: 'http' }, 'dev', 'auto'),
    /stage auto has automatic deployment on/);
});
