// SAM's CanarySetting of an Api as deploy reads it, without a server: the canary's settings, the
// UpdateStage operations that make a stage's canary the template's (or remove it), and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIssue } from './issues.js';
import { validateStack } from './stack-validation.js';
import { stackModelOf } from './testing.js';
import { canaryOps } from './apis.js';
import { canaryStage } from './api-spec.js';
import { samApiTemplate } from '../cli/testing.js';

function stack(api: string) {
  const text = samApiTemplate('canary', `      Variables: { env: live }\n${api.replace(/^/gm, '      ')}`, '');
  const { issues, model } = stackModelOf(text);
  const { apis } = validateStack(model);
  return { errors: issues.errors.map(formatIssue), warnings: issues.warnings.map(formatIssue), api: apis[0] };
}

test('CanarySetting: percent, overrides and stage cache; the canary serves the stage with its variables overridden', () => {
  const { errors, warnings, api } = stack(`CanarySetting:
  PercentTraffic: 12.5
  StageVariableOverrides: { env: canary }
  UseStageCache: true
  DeploymentId: abc123`);
  assert.deepEqual(errors, []);
  assert.match(warnings.join('\n'), /DeploymentId has no effect: the canary serves the deployment the stage serves/);
  assert.deepEqual(api.canary, { percentTraffic: 12.5, stageVariableOverrides: { env: 'canary' }, useStageCache: true });
  assert.deepEqual(canaryStage(api, api.stages[0])?.variables, { env: 'canary' });
  assert.equal(canaryStage(stack('Description: none').api, api.stages[0]), undefined);
});

test('canary operations: created whole, changed where they differ, removed when the template has none', () => {
  const want = { percentTraffic: 100, stageVariableOverrides: { env: 'canary' }, useStageCache: false };
  assert.deepEqual(canaryOps(want, undefined, 'd1'), [
    { op: 'replace', path: '/canarySettings/deploymentId', value: 'd1' },
    { op: 'replace', path: '/canarySettings/percentTraffic', value: '100' },
    { op: 'replace', path: '/canarySettings/stageVariableOverrides/env', value: 'canary' },
  ]);
  const have = { deploymentId: 'd1', percentTraffic: 100, useStageCache: false, stageVariableOverrides: { env: 'canary' } };
  assert.deepEqual(canaryOps(want, have, 'd1'), []);
  assert.deepEqual(canaryOps({ ...want, stageVariableOverrides: {} }, { ...have, stageVariableOverrides: { env: 'canary', old: 'x' } }, 'd2'), [
    { op: 'replace', path: '/canarySettings/deploymentId', value: 'd2' },
    { op: 'remove', path: '/canarySettings/stageVariableOverrides/env' },
    { op: 'remove', path: '/canarySettings/stageVariableOverrides/old' },
  ]);
  assert.deepEqual(canaryOps(undefined, have, 'd1'), [{ op: 'remove', path: '/canarySettings' }]);
  assert.deepEqual(canaryOps(undefined, undefined, 'd1'), []);
});

test('bad CanarySetting values are located errors', () => {
  const at = (api: string) => stack(api).errors.join('\n');
  assert.match(at('CanarySetting: 50'), /CanarySetting is a map with PercentTraffic/);
  assert.match(at('CanarySetting: { PercentTraffic: 101 }'), /PercentTraffic is a number from 0 to 100, got 101/);
  assert.match(at('CanarySetting: { PercentTraffic: lots }'), /PercentTraffic is a number from 0 to 100, got "lots"/);
  assert.match(at('CanarySetting: { UseStageCache: sometimes }'), /UseStageCache must be true or false/);
  assert.match(at('CanarySetting: { StageVariableOverrides: [env] }'), /StageVariableOverrides is a map/);
  assert.match(at("CanarySetting: { StageVariableOverrides: { 'bad-name': x } }"), /stage variable name 'bad-name'/);
  assert.match(at('CanarySetting: { Percent: 5 }'), /unknown CanarySetting property 'Percent'/);
});
