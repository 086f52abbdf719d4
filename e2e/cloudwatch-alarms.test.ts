// CloudWatch metric alarms through SDK v3 and the AWS CLI: create, describe (filters, paging),
// set state, delete; bad parameters; and an alarm on a function's Errors that goes to ALARM
// after failing invocations, evaluated by the server on a short interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteAlarmsCommand, DescribeAlarmsCommand, DescribeAlarmsForMetricCommand, DisableAlarmActionsCommand, PutMetricAlarmCommand, SetAlarmStateCommand,
  type CloudWatchClient, type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, cloudWatchClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { waitFor } from '../src/testing/wait.js';

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
let cw: CloudWatchClient;
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const errorsAlarm = (name: string, fn: string, extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: name, Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: fn }],
  Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching', ...extra,
});

test('an alarm on Errors goes from OK to ALARM after a failing invocation, with AWS-style reason and timestamps', async () => {
  const fn = 'cw-alarm-fn';
  await createNodeFunction(env.lambda, fn, "exports.handler = async (e) => { if (e.fail) throw new Error('boom'); return 'ok'; };");
  const settings = { AlarmDescription: 'errors of the function', AlarmActions: ['arn:aws:sns:us-east-1:000000000000:ops'] };
  // Missing data treated as missing: without data the alarm stays INSUFFICIENT_DATA, as created.
  await cw.send(new PutMetricAlarmCommand(errorsAlarm('fn-errors', fn, { ...settings, TreatMissingData: 'missing' })));
  const describe = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['fn-errors'] }))).MetricAlarms![0];
  await new Promise((r) => setTimeout(r, 600)); // a few evaluation rounds
  const created = await describe();
  assert.equal(created.StateValue, 'INSUFFICIENT_DATA');
  assert.equal(created.StateReason, 'Unchecked: Initial alarm creation');
  await cw.send(new PutMetricAlarmCommand(errorsAlarm('fn-errors', fn, settings)));
  assert.equal(created.AlarmArn, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:fn-errors');
  assert.deepEqual(created.AlarmActions, ['arn:aws:sns:us-east-1:000000000000:ops']);
  assert.equal(created.ActionsEnabled, true);
  // No data, treated as not breaching: OK.
  await waitFor('the alarm to be OK', async () => ((await describe()).StateValue === 'OK' ? true : undefined), 10_000);
  await env.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{"fail":false}') }));
  await env.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{"fail":true}') }));
  await waitFor('the alarm to fire', async () => ((await describe()).StateValue === 'ALARM' ? true : undefined), 10_000);
  const fired = await describe();
  assert.match(fired.StateReason!, /^Threshold Crossed: 1 datapoint \[1\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:00\)\] was greater than or equal to the threshold \(1\.0\)/);
  const data = JSON.parse(fired.StateReasonData!);
  assert.deepEqual(data.recentDatapoints, [1]);
  assert.equal(data.threshold, 1);
  assert.ok(fired.StateUpdatedTimestamp!.getTime() >= created.StateUpdatedTimestamp!.getTime());

  const cli = await awsCli(env.url, ['cloudwatch', 'describe-alarms', '--state-value', 'ALARM']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual(cli.json().MetricAlarms.map((a: { AlarmName: string }) => a.AlarmName), ['fn-errors']);
  const forMetric = await cw.send(new DescribeAlarmsForMetricCommand({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: fn }] }));
  assert.deepEqual(forMetric.MetricAlarms!.map((a) => a.AlarmName), ['fn-errors']);
});

test('AWS CLI: put-metric-alarm, describe-alarms with a prefix and paging, set-alarm-state, disable actions, delete-alarms', async () => {
  for (const name of ['page-a', 'page-b', 'page-c']) {
    const r = await awsCli(env.url, ['cloudwatch', 'put-metric-alarm', '--alarm-name', name, '--namespace', 'Shop', '--metric-name', 'Orders',
      '--statistic', 'Average', '--period', '300', '--evaluation-periods', '2', '--datapoints-to-alarm', '1', '--threshold', '10',
      '--comparison-operator', 'LessThanThreshold', '--treat-missing-data', 'ignore']);
    assert.equal(r.code, 0, r.stderr);
  }
  const first = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 2 }));
  assert.deepEqual(first.MetricAlarms!.map((a) => a.AlarmName), ['page-a', 'page-b']);
  assert.ok(first.NextToken);
  const second = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 2, NextToken: first.NextToken }));
  assert.deepEqual(second.MetricAlarms!.map((a) => a.AlarmName), ['page-c']);
  assert.equal(second.NextToken, undefined);
  // The CLI pages by itself.
  const all = await awsCli(env.url, ['cloudwatch', 'describe-alarms', '--alarm-name-prefix', 'page-', '--page-size', '1']);
  assert.equal(all.code, 0, all.stderr);
  const alarms = all.json().MetricAlarms;
  assert.deepEqual(alarms.map((a: { AlarmName: string }) => a.AlarmName), ['page-a', 'page-b', 'page-c']);
  assert.equal(alarms[0].Threshold, 10);
  assert.equal(alarms[0].DatapointsToAlarm, 1);
  assert.equal(alarms[0].TreatMissingData, 'ignore');

  // With TreatMissingData ignore and no data, the state set by hand stays.
  const set = await awsCli(env.url, ['cloudwatch', 'set-alarm-state', '--alarm-name', 'page-a', '--state-value', 'ALARM', '--state-reason', 'testing']);
  assert.equal(set.code, 0, set.stderr);
  const a = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['page-a'] }))).MetricAlarms![0];
  assert.equal(a.StateValue, 'ALARM');
  assert.equal(a.StateReason, 'testing');
  await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['page-a'] }));
  assert.equal((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['page-a'] }))).MetricAlarms![0].ActionsEnabled, false);

  const del = await awsCli(env.url, ['cloudwatch', 'delete-alarms', '--alarm-names', 'page-a', 'page-b', 'page-c']);
  assert.equal(del.code, 0, del.stderr);
  assert.deepEqual((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-' }))).MetricAlarms, []);
});

test('bad parameters: CloudWatch error codes and statuses on both wires', async () => {
  await expectAwsError(cw.send(new SetAlarmStateCommand({ AlarmName: 'nobody', StateValue: 'ALARM', StateReason: 'x' })), 'ResourceNotFound', 'Could not find alarm nobody.', 404);
  await expectAwsError(cw.send(new PutMetricAlarmCommand(errorsAlarm('bad', 'f', { Period: 45 }))), 'InvalidParameterValueException',
    'The parameter Period must be 10, 30 or a multiple of 60.', 400);
  await expectAwsError(cw.send(new PutMetricAlarmCommand(errorsAlarm('bad', 'f', { Statistic: undefined }))), 'InvalidParameterCombinationException', undefined, 400);
  await expectAwsError(cw.send(new PutMetricAlarmCommand(errorsAlarm('bad', 'f', { Threshold: undefined }))), 'MissingRequiredParameterException',
    'The parameter Threshold is required.', 400);
  await expectAwsError(cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })), 'InvalidParameterCombinationException', undefined, 400);
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['never-existed'] }));

  const cli = await awsCli(env.url, ['cloudwatch', 'set-alarm-state', '--alarm-name', 'nobody', '--state-value', 'OK', '--state-reason', 'x']);
  assert.equal(cli.code, 254);
  assert.match(cli.stderr, /\(ResourceNotFound\) when calling the SetAlarmState operation.*: Could not find alarm nobody\./);
  const raw = await fetch(env.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'GraniteServiceVersion20100801.SetAlarmState' },
    body: JSON.stringify({ AlarmName: 'nobody', StateValue: 'OK', StateReason: 'x' }),
  });
  assert.equal(raw.status, 404);
  assert.equal(raw.headers.get('x-amzn-query-error'), 'ResourceNotFound;Sender');
  assert.deepEqual(await raw.json(), { __type: 'ResourceNotFound', message: 'Could not find alarm nobody.' });
});
