// `stagecraft deploy` with composite alarms of one template where one is the other's
// ActionsSuppressor without either rule naming the other: the suppressor is put first (CloudWatch
// refuses a suppressor that does not exist yet), whichever order the template lists them in, and
// `stagecraft delete` removes the suppressed composite first. Composites that suppress each other
// are refused before anything is deployed, as CloudFormation refuses a circular dependency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { gateAlarm, liveFunction, runCli, SAM_HEADER, unique, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();
let cw: CloudWatchClient;
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

/** A composite alarm resource on one gate alarm, its actions suppressed by `suppressor` (YAML) when given. */
const composite = (logicalId: string, name: string, child: string, suppressor?: string) => `  ${logicalId}:
    Type: AWS::CloudWatch::CompositeAlarm
    Properties:
      AlarmName: ${name}
      AlarmRule: !Sub 'ALARM(\${${child}})'
${suppressor ? `      ActionsSuppressor: ${suppressor}\n      ActionsSuppressorWaitPeriod: 60\n      ActionsSuppressorExtensionPeriod: 120\n` : ''}`;

const composites = async (names: string[]) =>
  (await cw.send(new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] }))).CompositeAlarms ?? [];

test('a composite alarm is put after the composite that suppresses its actions, and deleted before it', async () => {
  const fn = unique('suppressed');
  const [release, maintenance] = [`${fn}-release`, `${fn}-maintenance`];
  // Release comes first in the template and names Maintenance (by its ARN) only as its suppressor.
  const resources = composite('Release', release, 'Tests', '!GetAtt Maintenance.Arn') + composite('Maintenance', maintenance, 'Window')
    + gateAlarm('Tests', `${fn}-tests`) + gateAlarm('Window', `${fn}-window`);
  const dir = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + liveFunction(fn) + resources, 'src/index.js': "exports.handler = async () => 'ok';\n" }));
  const deployed = await runCli(['deploy', '--stack-name', fn], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 0, deployed.output);
  assert.match(deployed.stdout, new RegExp(`CloudWatch alarm ${maintenance} on rule ALARM\\(${fn}-window\\) \\[created\\][\\s\\S]*CloudWatch alarm ${release} on rule`));
  const [put] = await composites([release]);
  assert.equal(put.ActionsSuppressor, `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${maintenance}`);
  assert.equal(put.ActionsSuppressorExtensionPeriod, 120);

  // A redeploy puts them again in the same order (both exist: an update).
  const again = await runCli(['deploy', '--stack-name', fn], { cwd: dir, endpoint: env.url });
  assert.equal(again.code, 0, again.output);
  assert.match(again.stdout, new RegExp(`CloudWatch alarm ${maintenance} on rule ALARM\\(${fn}-window\\) \\[updated\\][\\s\\S]*CloudWatch alarm ${release} on rule ALARM\\(${fn}-tests\\) \\[updated\\]`));

  const deleted = await runCli(['delete', '--stack-name', fn, '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  assert.match(deleted.output, new RegExp(`CloudWatch alarm ${release}\\b[\\s\\S]*CloudWatch alarm ${maintenance}\\b`));
  assert.deepEqual(await composites([release, maintenance]), []);
});

test('composite alarms that suppress each other are refused before anything is deployed', async () => {
  const fn = unique('suppress-cycle');
  const [release, maintenance] = [`${fn}-release`, `${fn}-maintenance`];
  const resources = composite('Release', release, 'Tests', '!Ref Maintenance') + composite('Maintenance', maintenance, 'Tests', '!GetAtt Release.Arn')
    + gateAlarm('Tests', `${fn}-tests`);
  const dir = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + liveFunction(fn) + resources, 'src/index.js': "exports.handler = async () => 'ok';\n" }));
  const refused = await runCli(['deploy', '--stack-name', fn], { cwd: dir, endpoint: env.url });
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.stderr, /Circular dependency between resources: \[Release, Maintenance\]: composite alarms whose ActionsSuppressor \(or AlarmRule\) name each other in a cycle/);
  assert.match(refused.stderr, /Resources\.Release\.Properties/);
  await assert.rejects(env.lambda.send(new GetFunctionCommand({ FunctionName: fn })), { name: 'ResourceNotFoundException' });
  const left = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: fn, AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] }));
  assert.deepEqual([...left.MetricAlarms!, ...left.CompositeAlarms!], []);
});
