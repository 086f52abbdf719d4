// DeploymentPreference as deploy reads it, without a server: CodeDeploy's schedules, Enabled,
// a missing Type, the no-effect properties' warnings, durations for --traffic-shift-interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from './intrinsics.js';
import { formatIssue } from './issues.js';
import { deploymentPreferenceSpec } from './deployment-preference.js';
import { checkProperties } from './property-checks.js';
import { stackModelOf } from './testing.js';
import { formatDuration, parseDuration } from './traffic-shift.js';

const template = (preference: string, alias = '      AutoPublishAlias: live\n') => `Transform: AWS::Serverless-2016-10-31
Parameters:
  Shift: { Type: String, Default: 'false' }
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: x
      Handler: index.handler
      Runtime: nodejs20.x
${alias}      DeploymentPreference:
${preference}`;

function read(preference: string, alias?: string) {
  const { model } = stackModelOf(template(preference, alias));
  const r = model.byId.get('Fn')!;
  const warnings: string[] = [];
  const scope = model.scope(() => undefined);
  const spec = deploymentPreferenceSpec(r, scope, alias === '' ? undefined : 'live', (m) => warnings.push(m));
  return { spec, warnings, model };
}

test("CodeDeploy's schedules: a canary's 10% then all, linear 10% more per interval, AllAtOnce at once", () => {
  assert.deepEqual(read('        Type: Canary10Percent15Minutes\n').spec?.steps, [0.1]);
  assert.equal(read('        Type: Canary10Percent15Minutes\n').spec?.intervalMs, 15 * 60_000);
  const linear = read('        Type: CodeDeployDefault.LambdaLinear10PercentEvery3Minutes\n').spec!;
  assert.equal(linear.type, 'Linear10PercentEvery3Minutes');
  assert.deepEqual(linear.steps, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  assert.equal(linear.intervalMs, 3 * 60_000);
  assert.deepEqual(read('        Type: AllAtOnce\n').spec?.steps, []);
});

test('Enabled false (also from a parameter) and a missing Type move at once; hooks are kept unevaluated', () => {
  assert.equal(read('        Type: AllAtOnce\n        Enabled: false\n').spec, undefined);
  assert.equal(read('        Type: AllAtOnce\n        Enabled: !Ref Shift\n').spec, undefined);
  const untyped = read('        Enabled: true\n');
  assert.equal(untyped.spec, undefined);
  assert.match(untyped.warnings[0], /has no Type, so the alias moves to each new version at once/);
  const hooked = read('        Type: AllAtOnce\n        Hooks:\n          PreTraffic: !GetAtt Fn.Arn\n');
  assert.deepEqual(Object.keys(hooked.spec!.hooks), ['PreTraffic']);
  assert.equal(evaluate(hooked.spec!.hooks.PreTraffic!, hooked.model.scope((id, attribute) => `${id}.${attribute} deployed`)), 'Fn.Arn deployed');
});

test('no AutoPublishAlias, or a configuration CodeDeploy does not predefine, is an error', () => {
  assert.throws(() => read('        Type: AllAtOnce\n', ''), /DeploymentPreference needs AutoPublishAlias/);
  assert.throws(() => read('        Type: Canary5Percent1Minute\n'), /is not one of CodeDeploy's predefined Lambda configurations/);
});

test('TriggerConfigurations, Role and PassthroughCondition warn; unknown keys are errors', () => {
  const { model } = read('        Type: AllAtOnce\n        Alarms: [A]\n        TriggerConfigurations: []\n        Role: r\n        PassthroughCondition: true\n        Hooks:\n          PreTrafic: x\n');
  checkProperties(model.resources, model.issues);
  const messages = model.issues.list.map(formatIssue);
  assert.ok(!model.issues.warnings.some((w) => w.message.startsWith('Alarms ')), 'Alarms are honoured');
  for (const key of ['TriggerConfigurations', 'Role', 'PassthroughCondition']) {
    assert.ok(model.issues.warnings.some((w) => w.message.startsWith(`${key} has no effect: `)), `${key}: ${messages.join('\n')}`);
  }
  assert.ok(messages.some((m) => /unknown DeploymentPreference.Hooks property 'PreTrafic'.*PreTraffic/.test(m)), messages.join('\n'));
});

test('durations: units ms, s, m, h (seconds without one), shown the short way', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('2'), 2000);
  assert.equal(parseDuration('1.5m'), 90_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('soon'), undefined);
  assert.equal(parseDuration('-1s'), undefined);
  assert.equal(formatDuration(1500), '1.5s');
  assert.equal(formatDuration(90_000), '1m30s');
  assert.equal(formatDuration(3_600_000), '1h');
});
