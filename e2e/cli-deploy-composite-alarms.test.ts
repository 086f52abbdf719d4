// `stagecraft deploy` with a template's AWS::CloudWatch::CompositeAlarm against a real server: put
// after the alarms its rule names (!Ref and !GetAtt Alarm.Arn in a !Sub), watched by a
// DeploymentPreference (its ALARM during the canary rolls the alias back), updated, removed with
// the template, and deleted with the stack before the alarms it names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { DescribeAlarmsCommand, SetAlarmStateCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { gateAlarm, liveFunction, runCli, SAM_HEADER, startCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';
import { defaultStackName } from '../src/deploy/deploy.js';

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
const dirs = useTempDirs();
let cw: CloudWatchClient;
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const composite = (name: string, rule: string) => `  Release:
    Type: AWS::CloudWatch::CompositeAlarm
    Properties:
      AlarmName: ${name}
      AlarmRule: ${rule}
      AlarmDescription: any gate closed
      ActionsEnabled: "false"
      ActionsSuppressor: !Ref Manual
      ActionsSuppressorWaitPeriod: "60"
      ActionsSuppressorExtensionPeriod: 120
`;
const template = (fn: string, alarms: string, resources: string) =>
  SAM_HEADER + liveFunction(fn, `      DeploymentPreference:\n        Type: Canary10Percent5Minutes\n        Alarms: ${alarms}\n`) + resources;

async function aliasState(fn: string): Promise<{ version?: string; weights: Record<string, number> }> {
  const a = await env.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }));
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {} };
}
const describe = async (name: string) => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] })));
const setState = (name: string, state: 'OK' | 'ALARM', reason: string) => cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }));

test('a template\'s composite alarm is put after its children, rolls a canary back when in ALARM, and goes with the template and the stack', async () => {
  const fn = unique('composite-canary');
  const [manual, tests, release] = [`${fn}-manual`, `${fn}-tests`, `${fn}-release`];
  // The rule names one child by !Ref (its name) and one by !GetAtt .Arn; the composite is written before them.
  const rule = `!Sub 'ALARM(\${Manual}) OR ALARM("\${Tests.Arn}")'`;
  const resources = composite(release, rule) + gateAlarm('Manual', manual) + gateAlarm('Tests', tests);
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(fn, '[!Ref Release]', resources), 'src/index.js': "exports.handler = async () => 'v1';\n" }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  assert.match(first.stdout, new RegExp(`CloudWatch alarm ${release} on rule ALARM\\(${manual}\\) OR ALARM\\("arn:aws:cloudwatch:us-east-1:000000000000:alarm:${tests}"\\) \\[created\\]`));
  const [created] = (await describe(release)).CompositeAlarms!;
  assert.equal(created.AlarmRule, `ALARM(${manual}) OR ALARM("arn:aws:cloudwatch:us-east-1:000000000000:alarm:${tests}")`);
  assert.equal(created.AlarmDescription, 'any gate closed');
  assert.equal(created.ActionsEnabled, false);
  assert.equal(created.ActionsSuppressor, manual);
  assert.equal(created.ActionsSuppressorWaitPeriod, 60);
  assert.equal(created.StateValue, 'OK');

  // A new release; the composite fires during the canary (a child set to ALARM): the alias rolls back.
  writeFiles(dir, { 'src/index.js': "exports.handler = async () => 'v2';\n" });
  const deploy = startCli(['deploy', '--traffic-shift-interval', '60s'], { cwd: dir, endpoint: env.url });
  await deploy.waitFor(/next step in 1m/);
  assert.deepEqual(await aliasState(fn), { version: '1', weights: { 2: 0.1 } });
  assert.match(deploy.stdout(), new RegExp(`watching CloudWatch alarms ${release}:`));
  await setState(tests, 'ALARM', 'integration tests failed');
  const code = await new Promise<number>((resolve) => deploy.child.on('close', (c) => resolve(c ?? 1)));
  const output = deploy.stdout() + deploy.stderr();
  assert.notEqual(code, 0, output);
  assert.match(output, new RegExp(`alarm ${release} is in ALARM \\(arn:aws:cloudwatch:us-east-1:000000000000:alarm:${tests} transitioned to ALARM at [^)]+ UTC\\)`));
  assert.match(output, new RegExp(`${fn}:live was rolled back to version 1`));
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} });

  // A changed rule is put again (the composite updated, evaluated at once).
  await setState(tests, 'OK', 'fixed');
  writeFiles(dir, { 'template.yaml': template(fn, '[]', composite(release, `"ALARM(${manual})"`) + gateAlarm('Manual', manual) + gateAlarm('Tests', tests)) });
  const updated = await runCli(['deploy', '--traffic-shift-interval', '300ms'], { cwd: dir, endpoint: env.url });
  assert.equal(updated.code, 0, updated.output);
  assert.match(updated.stdout, new RegExp(`CloudWatch alarm ${release} on rule ALARM\\(${manual}\\) \\[updated\\]`));
  assert.equal((await describe(release)).CompositeAlarms![0].AlarmRule, `ALARM(${manual})`);

  // Dropped from the template with the child it names: both go, the composite first.
  writeFiles(dir, { 'template.yaml': template(fn, '[]', gateAlarm('Tests', tests)) });
  const dropped = await runCli(['deploy', '--traffic-shift-interval', '300ms'], { cwd: dir, endpoint: env.url });
  assert.equal(dropped.code, 0, dropped.output);
  assert.match(dropped.stdout, new RegExp(`CloudWatch alarm ${release} \\[removed\\][\\s\\S]*CloudWatch alarm ${manual} \\[removed\\]`));
  assert.deepEqual((await describe(release)).CompositeAlarms, []);

  // `stagecraft delete`: a composite and the alarms it names, in that order.
  writeFiles(dir, { 'template.yaml': template(fn, '[]', composite(release, `"ALARM(${manual}) AND OK(${tests})"`) + gateAlarm('Manual', manual) + gateAlarm('Tests', tests)) });
  const again = await runCli(['deploy', '--traffic-shift-interval', '300ms'], { cwd: dir, endpoint: env.url });
  assert.equal(again.code, 0, again.output);
  const deleted = await runCli(['delete', '--stack-name', defaultStackName(join(dir, 'template.yaml')), '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  for (const name of [release, manual, tests]) {
    const left = await describe(name);
    assert.deepEqual([...left.MetricAlarms!, ...left.CompositeAlarms!], [], `${name} deleted`);
  }
});
