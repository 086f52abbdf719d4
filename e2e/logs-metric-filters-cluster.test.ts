// Metric filters in a cluster: a filter put through one node applies at once to events the other
// node ingests (the change feed tells it), and each node publishes what it ingests into the shared
// per-minute store, so either node answers the sum.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
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

test('two nodes: a filter put on one counts what both ingest', { timeout: 60_000 }, async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url, '--cloudwatch-interval', '200'] });
  const [a, b] = [await start(), await start()];
  const sum = async (node: TestServer, MetricName = 'ClusterErrors') => ((await cloudWatchClient(node.url).send(new GetMetricStatisticsCommand({
    Namespace: 'MyApp', MetricName, Period: 3600, Statistics: ['Sum'],
    StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(Date.now() + 60_000),
  }))).Datapoints ?? []).reduce((n, p) => n + (p.Sum ?? 0), 0);
  try {
    const fn = 'mf-cluster-fn';
    const group = `/aws/lambda/${fn}`;
    await createNodeFunction(a.lambda, fn, 'exports.handler = async () => { console.log("ERROR one"); console.log("ERROR two"); return 1; };\n');
    await a.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await a.logs.send(new PutMetricFilterCommand({
      logGroupName: group, filterName: 'errors', filterPattern: 'ERROR',
      metricTransformations: [{ metricName: 'ClusterErrors', metricNamespace: 'MyApp', metricValue: '1' }],
    }));
    // Node B learns of filters through the change feed, which takes its time on a busy machine: a
    // probe filter put after the one under test tells when B has loaded both (it reloads them all).
    await a.logs.send(new CreateLogGroupCommand({ logGroupName: 'probe' }));
    await a.logs.send(new CreateLogStreamCommand({ logGroupName: 'probe', logStreamName: 'probe' }));
    await a.logs.send(new PutMetricFilterCommand({
      logGroupName: 'probe', filterName: 'probe', filterPattern: 'probe',
      metricTransformations: [{ metricName: 'Probe', metricNamespace: 'MyApp', metricValue: '1' }],
    }));
    await waitFor('node B applies the filters put through node A', async () => {
      await b.logs.send(new PutLogEventsCommand({ logGroupName: 'probe', logStreamName: 'probe', logEvents: [{ timestamp: Date.now(), message: 'probe' }] }));
      return (await sum(b, 'Probe')) > 0 ? true : undefined;
    }, 15_000);
    await b.lambda.send(new InvokeCommand({ FunctionName: fn }));
    await a.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'manual' }));
    await a.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'manual', logEvents: [{ timestamp: Date.now(), message: 'ERROR by hand' }] }));
    await waitFor('both nodes\' counts in node A\'s answer', async () => ((await sum(a)) === 3 ? true : undefined), 15_000);
    assert.equal(await sum(b), 3);
  } finally {
    await b.stop();
    await a.stop();
  }
});
