import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCanaryPercent, planStagePromotion, planStageRollback, formatStageHistory, parseStageHistory, StagePromotionError, MAX_STAGE_HISTORY, type StageView } from './stage-promotion-plan.js';

const dev: StageView = { name: 'dev', deploymentId: 'd2' };
const prod: StageView = { name: 'prod', deploymentId: 'd1' };

test('promotion points the target at the source deployment, or creates it', () => {
  assert.deepEqual(planStagePromotion({ stages: [dev, prod], from: 'dev', to: 'prod' }),
    { action: 'promote', deploymentId: 'd2', before: 'd1', operations: [{ op: 'replace', path: '/deploymentId', value: 'd2' }] });
  assert.deepEqual(planStagePromotion({ stages: [dev], from: 'dev', to: 'prod' }), { action: 'create', deploymentId: 'd2' });
  assert.deepEqual(planStagePromotion({ stages: [dev, { ...prod, deploymentId: 'd2' }], from: 'dev', to: 'prod' }), { action: 'unchanged', deploymentId: 'd2' });
});

test('a canary names the source deployment and share; promoting again finishes it as the console does', () => {
  const plan = planStagePromotion({ stages: [dev, prod], from: 'dev', to: 'prod', canaryPercent: 10 });
  assert.deepEqual(plan, {
    action: 'canary', deploymentId: 'd2', before: 'd1', percentTraffic: 10,
    operations: [{ op: 'replace', path: '/canarySettings/deploymentId', value: 'd2' }, { op: 'replace', path: '/canarySettings/percentTraffic', value: '10' }],
  });
  const withCanary: StageView = { ...prod, canary: { deploymentId: 'd2', percentTraffic: 10, stageVariableOverrides: { b: '2', a: '1' } } };
  assert.deepEqual(planStagePromotion({ stages: [dev, withCanary], from: 'dev', to: 'prod' }), {
    action: 'finish-canary', deploymentId: 'd2', before: 'd1',
    operations: [
      { op: 'replace', path: '/deploymentId', value: 'd2' },
      { op: 'replace', path: '/variables/a', value: '1' },
      { op: 'replace', path: '/variables/b', value: '2' },
      { op: 'remove', path: '/canarySettings' },
    ],
  });
  // A canary of another deployment is not dropped silently.
  assert.throws(() => planStagePromotion({ stages: [dev, { ...prod, canary: { deploymentId: 'd9' } }], from: 'dev', to: 'prod' }), /runs a canary of deployment d9/);
  assert.throws(() => planStagePromotion({ stages: [dev], from: 'dev', to: 'prod', canaryPercent: 10 }), /doesn't exist yet/);
});

test('refusals: same stage, unknown source, no deployment, autoDeploy target, HTTP canary, bad name', () => {
  const refuses = (args: Parameters<typeof planStagePromotion>[0], re: RegExp) => assert.throws(() => planStagePromotion(args), (e: unknown) => e instanceof StagePromotionError && re.test(e.message));
  refuses({ stages: [dev, prod], from: 'prod', to: 'prod' }, /both prod/);
  refuses({ stages: [prod], from: 'dev', to: 'prod' }, /no stage dev/);
  refuses({ stages: [{ name: 'dev' }, prod], from: 'dev', to: 'prod' }, /serves no deployment/);
  refuses({ stages: [dev, { ...prod, autoDeploy: true }], from: 'dev', to: 'prod', kind: 'http' }, /automatic deployment/);
  refuses({ stages: [dev, prod], from: 'dev', to: 'prod', kind: 'http', canaryPercent: 5 }, /HTTP APIs have no canary/);
  refuses({ stages: [dev, prod], from: 'dev', to: 'prod', kind: 'websocket', canaryPercent: 5 }, /WebSocket APIs have no canary/);
  refuses({ stages: [dev, { ...prod, autoDeploy: true }], from: 'dev', to: 'prod', kind: 'websocket' }, /automatic deployment/);
  refuses({ stages: [dev], from: 'dev', to: 'pr od' }, /not a valid stage name/);
});

test('rollback cancels a canary first, then walks back the history', () => {
  assert.deepEqual(planStageRollback({ ...prod, canary: { deploymentId: 'd2' } }, ['d0'], undefined),
    { action: 'cancel-canary', deploymentId: 'd1', operations: [{ op: 'remove', path: '/canarySettings' }] });
  assert.deepEqual(planStageRollback(prod, ['d0', 'd1'], undefined),
    { action: 'rollback', deploymentId: 'd0', before: 'd1', operations: [{ op: 'replace', path: '/deploymentId', value: 'd0' }], remaining: [] });
  assert.equal(planStageRollback(prod, ['d0'], 'd7').deploymentId, 'd7');
  assert.throws(() => planStageRollback(prod, ['d1'], undefined), /no earlier deployment/);
});

test('history is bounded and canary shares parse like the alias command', () => {
  const many = Array.from({ length: 15 }, (_, i) => `d${i}`);
  assert.deepEqual(parseStageHistory(formatStageHistory(many)), many.slice(-MAX_STAGE_HISTORY));
  assert.deepEqual(parseStageHistory(undefined), []);
  assert.equal(parseCanaryPercent('10%'), 10);
  assert.equal(parseCanaryPercent('0.25'), 25);
  assert.equal(parseCanaryPercent('50'), 50);
  assert.throws(() => parseCanaryPercent('100%'));
  assert.throws(() => parseCanaryPercent('x'));
});
