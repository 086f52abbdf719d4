// `stagecraft deploy` of an alarm whose actions name the stack's function (!GetAtt Fn.Arn) and its
// alias (!Ref Fn.Alias), with AWS::Lambda::Permission resources letting CloudWatch alarms invoke
// them: the alarm's state changes run the function, as on AWS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeAlarmsCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';
import { ALARM_ACTIONS_PRINCIPAL, ALARM_RECEIVER_CODE, waitForAlarmEvents } from '../src/testing/alarm-receiver.js';
import { gateAlarm, liveFunction, runCli, SAM_HEADER, unique, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();

test('a template\'s alarm with the function and its alias as actions: deployed, then each state change invokes them', { timeout: 120_000 }, async () => {
  const fn = unique('alarm-action-fn');
  const alarm = unique('deploy-action-alarm');
  const permission = (logicalId: string, target: string) => `  ${logicalId}:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: ${target}
      Action: lambda:InvokeFunction
      Principal: ${ALARM_ACTIONS_PRINCIPAL}
      SourceAccount: !Ref AWS::AccountId
`;
  const template = SAM_HEADER + liveFunction(fn) + permission('AlarmInvokesFunction', '!GetAtt Hello.Arn') + permission('AlarmInvokesAlias', '!Ref Hello.Alias')
    + gateAlarm('ActionAlarm', alarm) + '      AlarmActions: [!GetAtt Hello.Arn]\n      OKActions: [!Ref Hello.Alias]\n';
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template, 'src/index.js': ALARM_RECEIVER_CODE }));
  const deployed = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 0, deployed.output);

  const cw = cloudWatchClient(env.url);
  try {
    const [described] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [alarm] }))).MetricAlarms!;
    const arn = `arn:aws:lambda:us-east-1:${testAccount}:function:${fn}`;
    assert.deepEqual([described.AlarmActions, described.OKActions], [[arn], [`${arn}:live`]]);
    await cw.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'ALARM', StateReason: 'deployed alarm' }));
    await waitForAlarmEvents(env.logs, fn, 1);
    await cw.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: 'OK', StateReason: 'recovered' }));
    const events = await waitForAlarmEvents(env.logs, fn, 2);
    assert.deepEqual(events.map((e) => [e.alarmData.alarmName, e.alarmData.state.value, e.alarmData.state.reason]), [[alarm, 'ALARM', 'deployed alarm'], [alarm, 'OK', 'recovered']]);
  } finally {
    cw.destroy();
  }
});
