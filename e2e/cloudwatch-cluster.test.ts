// CloudWatch in a cluster: two nodes on one PostgreSQL database each record the invocations they
// run; their per-minute statistic sets and histograms add up in the database, so either node
// answers the sum and the percentiles of all samples, and an alarm evaluated on the shared data
// sees both nodes' errors, each of its transitions recorded once in its history, as are those of a
// composite alarm above it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeAlarmHistoryCommand, DescribeAlarmsCommand, GetMetricStatisticsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { TestServer } from '../src/testing/fixture.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { waitFor } from '../src/testing/wait.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

test('two nodes: invocations on each add up in the shared store; an alarm sees the sum', async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url, '--cloudwatch-interval', '200'] });
  const [a, b] = [await start(), await start()];
  const [cwA, cwB] = [cloudWatchClient(a.url), cloudWatchClient(b.url)];
  try {
    const fn = 'cw-cluster-fn';
    await createNodeFunction(a.lambda, fn, "exports.handler = async (e) => { if (e.fail) throw new Error('boom'); return 'ok'; };");
    await cwA.send(new PutMetricAlarmCommand({
      AlarmName: 'cluster-errors', Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: fn }],
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }));
    await cwB.send(new PutCompositeAlarmCommand({ AlarmName: 'cluster-any', AlarmRule: 'ALARM(cluster-errors) OR FALSE' }));
    const fail = (node: TestServer) => node.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{"fail":true}') }));
    await fail(a);
    await fail(b);
    await b.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{}') }));
    const total = async (client: typeof cwA, MetricName: string) => ((await client.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Lambda', MetricName, Dimensions: [{ Name: 'FunctionName', Value: fn }], Period: 3600, Statistics: ['Sum'],
      StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000),
    }))).Datapoints ?? []).reduce((n, p) => n + (p.Sum ?? 0), 0);
    // Each node flushes its own counts (a node's answer also holds its own counts not flushed yet), so
    // both answer the sum once both have flushed: node A's answer alone does not say node A flushed.
    for (const [node, client] of [['A', cwA], ['B', cwB]] as const) {
      await waitFor(`both nodes' invocations in node ${node}'s answer`, async () => ((await total(client, 'Invocations')) === 3 ? true : undefined), 10_000);
    }
    assert.equal(await total(cwB, 'Errors'), 2);
    // One error on each node: only their sum reaches the threshold of 2.
    // Duration's histograms from both nodes merge: percentiles cover all three samples.
    const durations = async (client: typeof cwA) => (await client.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: [{ Name: 'FunctionName', Value: fn }], Period: 3600, Statistics: ['Minimum', 'Maximum', 'SampleCount'],
      StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000),
    }))).Datapoints ?? [];
    const [basic] = await waitFor('three durations', async () => ((await durations(cwA)).reduce((n, p) => n + (p.SampleCount ?? 0), 0) === 3 ? durations(cwA) : undefined), 10_000);
    const pctl = (await cwB.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: [{ Name: 'FunctionName', Value: fn }], Period: 3600, ExtendedStatistics: ['p0', 'p100'],
      StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000),
    }))).Datapoints ?? [];
    assert.deepEqual(pctl.map((p) => p.ExtendedStatistics), [{ p0: basic.Minimum, p100: basic.Maximum }]);
    // Values published to each node for the same minute: one distribution.
    const Timestamp = new Date();
    const half = (from: number) => Array.from({ length: 50 }, (_, i) => from + i);
    await cwA.send(new PutMetricDataCommand({ Namespace: 'ClusterPctl', MetricData: [{ MetricName: 'Wait', Values: half(1), Timestamp }] }));
    await cwB.send(new PutMetricDataCommand({ Namespace: 'ClusterPctl', MetricData: [{ MetricName: 'Wait', Values: half(51), Timestamp }] }));
    const merged = (await cwA.send(new GetMetricStatisticsCommand({
      Namespace: 'ClusterPctl', MetricName: 'Wait', Period: 60, ExtendedStatistics: ['p50', 'p99'], StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000),
    }))).Datapoints ?? [];
    assert.equal(merged.length, 1);
    assert.ok(Math.abs(merged[0].ExtendedStatistics!.p50 - 50) <= 0.5 && Math.abs(merged[0].ExtendedStatistics!.p99 - 99) <= 1, JSON.stringify(merged));
    await waitFor('the alarm to fire', async () => ((await cwB.send(new DescribeAlarmsCommand({ AlarmNames: ['cluster-errors'] }))).MetricAlarms?.[0].StateValue === 'ALARM' ? true : undefined), 10_000);
    // Both nodes evaluate; the compare-and-set winner alone records each transition.
    await new Promise((r) => setTimeout(r, 600));
    const transitions = ((await cwA.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cluster-errors', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }))).AlarmHistoryItems ?? [])
      .map((h) => h.HistorySummary);
    assert.match(transitions[transitions.length - 1] ?? '', /^Alarm updated from (OK|INSUFFICIENT_DATA) to ALARM$/, JSON.stringify(transitions));
    transitions.forEach((t, i) => assert.notEqual(t, transitions[i - 1], `recorded twice: ${JSON.stringify(transitions)}`));
    const created = (await cwB.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cluster-errors', HistoryItemType: 'ConfigurationUpdate' }))).AlarmHistoryItems ?? [];
    assert.deepEqual(created.map((h) => h.HistorySummary), ['Alarm "cluster-errors" created']);
    // The composite above it followed once, whichever node's evaluation won.
    assert.equal((await cwA.send(new DescribeAlarmsCommand({ AlarmNames: ['cluster-any'], AlarmTypes: ['CompositeAlarm'] }))).CompositeAlarms?.[0].StateValue, 'ALARM');
    const composite = ((await cwA.send(new DescribeAlarmHistoryCommand({ AlarmName: 'cluster-any', AlarmTypes: ['CompositeAlarm'], HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }))).AlarmHistoryItems ?? [])
      .map((h) => h.HistorySummary);
    assert.equal(composite[composite.length - 1], 'Alarm updated from OK to ALARM', JSON.stringify(composite));
    composite.forEach((t, i) => assert.notEqual(t, composite[i - 1], `recorded twice: ${JSON.stringify(composite)}`));
  } finally {
    cwA.destroy();
    cwB.destroy();
    await a.stop();
    await b.stop();
  }
});
