// `stagecraft deploy` with DeploymentPreference Alarms against a real server: the template's
// AWS::CloudWatch::Alarm resources are put into CloudWatch (removed with the template or the
// stack); an alarm that goes to ALARM during a
// canary stops the shift and rolls the alias back to the old version; an alarm already in ALARM
// stops it before any traffic moves; an alarm CloudWatch does not have fails the deploy. A metric
// math alarm on the canary's error rate (by ExecutedVersion) rolls back too. An alarm put again
// takes the template's tags (and the stack's), which PutMetricAlarm alone keeps as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetAliasCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { SetAlarmStateCommand, DescribeAlarmsCommand, ListTagsForResourceCommand, PutMetricAlarmCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { waitFor } from '../src/testing/wait.js';
import { gateAlarm, liveFunction, runCli, SAM_HEADER, startCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';
import { defaultStackName } from '../src/deploy/deploy.js';
import { STACK_TAG } from '../src/deploy/functions.js';
import { join } from 'node:path';

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
const dirs = useTempDirs();
let cw: CloudWatchClient;
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const template = (fn: string, alarms: string, extra = '') =>
  SAM_HEADER + liveFunction(fn, `      DeploymentPreference:\n        Type: Canary10Percent5Minutes\n        Alarms: ${alarms}\n`) + extra;

const WORKING = "exports.handler = async () => 'ok';\n";
const FAILING = "exports.handler = async () => { throw new Error('broken release'); };\n";

async function aliasState(fn: string): Promise<{ version?: string; weights: Record<string, number> }> {
  const a = await env.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }));
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {} };
}

/** The template's alarm on the function's Errors (Sum >= 1 in a minute; no data is fine), its name generated. */
const ERRORS_ALARM = `  ErrorsAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions:
        - Name: FunctionName
          Value: !Ref Hello
      Statistic: Sum
      Period: 60
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: notBreaching
`;

/** A project deployed once (version 1 on live, working), its code now the failing release. */
async function deployedOnce(fn: string, yaml: string): Promise<string> {
  const dir = dirs.removeLater(writeProject({ 'template.yaml': yaml, 'src/index.js': WORKING }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} });
  writeFiles(dir, { 'src/index.js': FAILING });
  return dir;
}

test('the template\'s alarm is created; when it fires during the canary, the shift stops and the alias rolls back', async () => {
  const fn = unique('alarm-canary');
  const dir = await deployedOnce(fn, template(fn, '[!Ref ErrorsAlarm]', ERRORS_ALARM));
  const created = (await cw.send(new DescribeAlarmsCommand({ MaxRecords: 100 }))).MetricAlarms ?? [];
  const mine = created.find((a) => a.Dimensions?.[0]?.Value === fn);
  assert.ok(mine, JSON.stringify(created));
  const alarm = mine.AlarmName!;
  assert.match(alarm, /-ErrorsAlarm-[A-Z0-9]{13}$/, 'CloudFormation\'s generated name');
  assert.equal(mine.Threshold, 1);
  const deploy = startCli(['deploy', '--traffic-shift-interval', '60s'], { cwd: dir, endpoint: env.url });
  await deploy.waitFor(/next step in 1m/);
  assert.deepEqual(await aliasState(fn), { version: '1', weights: { 2: 0.1 } });
  assert.match(deploy.stdout(), new RegExp(`watching CloudWatch alarms ${alarm}: any in ALARM stops the shift and rolls ${fn}:live back to version 1`));
  // The canary's traffic fails.
  const failed = await env.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: '2' }));
  assert.equal(failed.FunctionError, 'Unhandled');
  const code = await new Promise<number>((resolve) => deploy.child.on('close', (c) => resolve(c ?? 1)));
  const output = deploy.stdout() + deploy.stderr();
  assert.notEqual(code, 0, output);
  assert.match(output, new RegExp(`alarm ${alarm} is in ALARM \\(Threshold Crossed: 1 datapoint \\[1\\.0 [^)]*\\)\\] was greater than or equal to the threshold \\(1\\.0\\)`));
  assert.match(output, new RegExp(`${fn}:live was rolled back to version 1`));
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} }, 'all traffic back on the old version');
});

/** A metric of the new version's canary traffic: the alias's invocations that ran ExecutedVersion. */
const canaryMetric = (id: string, name: string) => `        - Id: ${id}
          ReturnData: false
          MetricStat:
            Metric:
              Namespace: AWS/Lambda
              MetricName: ${name}
              Dimensions:
                - Name: FunctionName
                  Value: !Ref Hello
                - Name: Resource
                  Value: !Sub "\${Hello}:live"
                - Name: ExecutedVersion
                  Value: !GetAtt Hello.Version.Version
            Period: 60
            Stat: Sum
`;
/** The canary's error rate (metric math), above 10% in a minute. */
const ERROR_RATE_ALARM = `  CanaryErrorRate:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Metrics:
${canaryMetric('errors', 'Errors')}${canaryMetric('invocations', 'Invocations')}        - Id: rate
          Expression: 100 * errors / invocations
          Label: Canary error rate (%)
          ReturnData: true
      EvaluationPeriods: 1
      Threshold: 10
      ComparisonOperator: GreaterThanThreshold
      TreatMissingData: notBreaching
`;

test('a metric math alarm on the new version\'s error rate (ExecutedVersion) rolls the canary back', async () => {
  const fn = unique('rate-canary');
  const dir = await deployedOnce(fn, template(fn, '[!Ref CanaryErrorRate]', ERROR_RATE_ALARM));
  const deploy = startCli(['deploy', '--traffic-shift-interval', '60s'], { cwd: dir, endpoint: env.url });
  await deploy.waitFor(/next step in 1m/);
  assert.match(deploy.stdout(), /CloudWatch alarm \S+-CanaryErrorRate-[A-Z0-9]{13} on metric math 100 \* errors \/ invocations \[updated\]/);
  const alarm = /watching CloudWatch alarms (\S+):/.exec(deploy.stdout())![1];
  const [described] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarm] }))).MetricAlarms!;
  assert.deepEqual(described.Metrics![0].MetricStat!.Metric!.Dimensions, [
    { Name: 'FunctionName', Value: fn }, { Name: 'Resource', Value: `${fn}:live` }, { Name: 'ExecutedVersion', Value: '2' },
  ], 'the alarm watches the new version');
  assert.equal(described.Metrics![2].Expression, '100 * errors / invocations');
  // Traffic through the alias until the canary (10%) has served some of it, and failed.
  let canaryFailures = 0;
  for (let i = 0; i < 300 && canaryFailures < 2; i++) {
    const r = await env.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: 'live' }));
    if (r.FunctionError) canaryFailures++;
  }
  assert.equal(canaryFailures, 2, 'the canary served traffic');
  const code = await new Promise<number>((resolve) => deploy.child.on('close', (c) => resolve(c ?? 1)));
  const output = deploy.stdout() + deploy.stderr();
  assert.notEqual(code, 0, output);
  assert.match(output, new RegExp(`alarm ${alarm} is in ALARM \\(Threshold Crossed: 1 datapoint \\[100\\.0 [^)]*\\)\\] was greater than the threshold \\(10\\.0\\)`));
  assert.match(output, new RegExp(`${fn}:live was rolled back to version 1`));
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} });
});

test('an alarm already in ALARM stops the shift before any traffic moves; a !Ref names the template\'s alarm', async () => {
  const fn = unique('alarm-before');
  const alarm = `${fn}-manual`;
  const extra = gateAlarm('Gate', alarm, 'Blocked');
  const dir = await deployedOnce(fn, template(fn, '[!Ref Gate]', extra));
  await cw.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: 'release blocked by hand' }));
  await waitFor('the alarm state', async () => ((await cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarm] }))).MetricAlarms?.[0].StateValue === 'ALARM' ? true : undefined));
  const blocked = await runCli(['deploy', '--traffic-shift-interval', '1s'], { cwd: dir, endpoint: env.url });
  assert.notEqual(blocked.code, 0, blocked.output);
  assert.match(blocked.output, new RegExp(`alarm ${alarm} is in ALARM \\(release blocked by hand\\); ${fn}:live stays on version 1`));
  assert.match(blocked.stdout, new RegExp(`CloudWatch alarm ${alarm} on Release Blocked \\[updated\\]`), 'the alarm is put again, its state kept');
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} });

  // Once the alarm is OK again, the same deploy shifts.
  await cw.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'unblocked' }));
  writeFiles(dir, { 'src/index.js': "exports.handler = async () => 'fixed';\n" });
  const shifted = await runCli(['deploy', '--traffic-shift-interval', '300ms'], { cwd: dir, endpoint: env.url });
  assert.equal(shifted.code, 0, shifted.output);
  assert.match(shifted.stdout, new RegExp(`alias ${fn}:live → version \\d \\(was version 1\\)`));

  // An alarm dropped from the template goes at the next deploy; `stagecraft delete` removes the rest.
  const exists = async (name: string) => ((await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms ?? []).length === 1;
  writeFiles(dir, { 'template.yaml': template(fn, '[]', extra.replace(/Gate:/, 'Gate2:').replace(`AlarmName: ${alarm}`, `AlarmName: ${alarm}-2`)) });
  const renamed = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(renamed.code, 0, renamed.output);
  assert.match(renamed.stdout, new RegExp(`CloudWatch alarm ${alarm} \\[removed\\]`));
  assert.equal(await exists(alarm), false);
  assert.equal(await exists(`${alarm}-2`), true);
  const deleted = await runCli(['delete', '--stack-name', defaultStackName(join(dir, 'template.yaml')), '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  assert.match(deleted.output, new RegExp(`CloudWatch alarm ${alarm}-2`));
  assert.equal(await exists(`${alarm}-2`), false);
});

test('an alarm CloudWatch does not have fails the deploy before the shift', async () => {
  const fn = unique('alarm-missing');
  const dir = await deployedOnce(fn, template(fn, '[no-such-alarm]'));
  const run = await runCli(['deploy', '--traffic-shift-interval', '1s'], { cwd: dir, endpoint: env.url });
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, /DeploymentPreference.Alarms names 'no-such-alarm', which CloudWatch does not have/);
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} });
});

test('an alarm put again takes the template\'s tags and the stack\'s: an existing alarm is adopted, a changed tag replaced', async () => {
  const fn = unique('alarm-tags');
  const name = `${fn}-adopted`;
  const arn = `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`;
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold', Tags: [{ Key: 'old', Value: 'x' }],
  }));
  const tagged = (team: string) => `  Adopted:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: ${name}
      Namespace: AWS/Lambda
      MetricName: Errors
      Statistic: Sum
      Period: 60
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      Tags:
        - Key: team
          Value: ${team}
`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(fn, '[]', tagged('a')), 'src/index.js': WORKING }));
  const stack = defaultStackName(join(dir, 'template.yaml'));
  const tags = async () => (await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags;
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  assert.deepEqual(await tags(), [{ Key: 'team', Value: 'a' }, { Key: STACK_TAG, Value: stack }]);
  writeFiles(dir, { 'template.yaml': template(fn, '[]', tagged('b')) });
  const second = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(second.code, 0, second.output);
  assert.deepEqual(await tags(), [{ Key: 'team', Value: 'b' }, { Key: STACK_TAG, Value: stack }]);
});
