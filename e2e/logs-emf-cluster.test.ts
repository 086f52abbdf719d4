// Embedded metric format in a cluster: each node extracts EMF from what it ingests (function output
// and PutLogEvents) and publishes into the shared per-minute store, so either node answers the sum.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
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

const directives = [{ Namespace: 'ClusterShop', Dimensions: [['service']], Metrics: [{ Name: 'Sold', Unit: 'Count' }] }];
const FUNCTION = `exports.handler = async () => {
  process.stdout.write(JSON.stringify({ _aws: { Timestamp: Date.now(), CloudWatchMetrics: ${JSON.stringify(directives)} }, service: 'orders', Sold: [1, 2] }) + '\\n');
  return 1;
};
`;

test('two nodes: EMF ingested by each is summed in either node\'s answer', { timeout: 60_000 }, async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url, '--cloudwatch-interval', '200'] });
  const [a, b] = [await start(), await start()];
  const sold = async (node: TestServer) => ((await cloudWatchClient(node.url).send(new GetMetricStatisticsCommand({
    Namespace: 'ClusterShop', MetricName: 'Sold', Dimensions: [{ Name: 'service', Value: 'orders' }], Period: 3600, Statistics: ['Sum'],
    StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(Date.now() + 60_000),
  }))).Datapoints ?? []).reduce((n, p) => n + (p.Sum ?? 0), 0);
  try {
    await createNodeFunction(a.lambda, 'emf-cluster-fn', FUNCTION);
    await b.lambda.send(new InvokeCommand({ FunctionName: 'emf-cluster-fn' }));
    await a.logs.send(new CreateLogGroupCommand({ logGroupName: 'emf-manual' }));
    await a.logs.send(new CreateLogStreamCommand({ logGroupName: 'emf-manual', logStreamName: 's' }));
    const message = JSON.stringify({ _aws: { Timestamp: Date.now(), CloudWatchMetrics: directives }, service: 'orders', Sold: 4 });
    await a.logs.send(new PutLogEventsCommand({ logGroupName: 'emf-manual', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message }] }));
    // A node answers its own samples at once and the other's once that node has flushed them (every 200 ms here).
    await waitFor('both nodes\' samples in node A\'s answer', async () => ((await sold(a)) === 7 ? true : undefined), 15_000);
    await waitFor('both nodes\' samples in node B\'s answer', async () => ((await sold(b)) === 7 ? true : undefined), 15_000);
  } finally {
    await b.stop();
    await a.stop();
  }
});
