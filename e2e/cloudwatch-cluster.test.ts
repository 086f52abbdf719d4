// CloudWatch in a cluster: two nodes on one PostgreSQL database each record the invocations they
// run; their per-minute statistic sets add up in the database, so either node answers the sum,
// and an alarm evaluated on the shared data sees both nodes' errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeAlarmsCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
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
    const fail = (node: TestServer) => node.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{"fail":true}') }));
    await fail(a);
    await fail(b);
    await b.lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{}') }));
    const total = async (client: typeof cwA, MetricName: string) => ((await client.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Lambda', MetricName, Dimensions: [{ Name: 'FunctionName', Value: fn }], Period: 3600, Statistics: ['Sum'],
      StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000),
    }))).Datapoints ?? []).reduce((n, p) => n + (p.Sum ?? 0), 0);
    // Each node flushes its own counts; both answer the sum once both have.
    await waitFor('both nodes\' invocations in node A\'s answer', async () => ((await total(cwA, 'Invocations')) === 3 ? true : undefined), 10_000);
    assert.equal(await total(cwB, 'Invocations'), 3);
    assert.equal(await total(cwB, 'Errors'), 2);
    // One error on each node: only their sum reaches the threshold of 2.
    await waitFor('the alarm to fire', async () => ((await cwB.send(new DescribeAlarmsCommand({ AlarmNames: ['cluster-errors'] }))).MetricAlarms?.[0].StateValue === 'ALARM' ? true : undefined), 10_000);
  } finally {
    cwA.destroy();
    cwB.destroy();
    await a.stop();
    await b.stop();
  }
});
