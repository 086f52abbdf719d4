// High-resolution metrics in a cluster: two nodes on one PostgreSQL database. PutMetricData with
// StorageResolution 1 goes straight to the shared store, so each node's seconds add up in the
// same rows and either node answers them per second, and per minute.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { GetMetricStatisticsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { TestServer } from '../src/testing/fixture.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

test('two nodes: seconds put on each add up in the shared store; either reads them per second', async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url, '--cloudwatch-interval', '200'] });
  const [a, b] = [await start(), await start()];
  const [cwA, cwB] = [cloudWatchClient(a.url), cloudWatchClient(b.url)];
  try {
    const now = Date.now() - 5 * 60_000;
    const at = now - (now % 60_000);
    const put = (client: typeof cwA, s: number, Value: number) => client.send(new PutMetricDataCommand({
      Namespace: 'ClusterHighRes', MetricData: [{ MetricName: 'Depth', Value, Timestamp: new Date(at + s * 1000), StorageResolution: 1 }],
    }));
    await Promise.all([put(cwA, 2, 1), put(cwB, 2, 10), put(cwA, 7, 100), put(cwB, 44, 1000)]);
    const read = async (client: typeof cwA, Period: number) => ((await client.send(new GetMetricStatisticsCommand({
      Namespace: 'ClusterHighRes', MetricName: 'Depth', Period, Statistics: ['Sum', 'SampleCount', 'Maximum'], StartTime: new Date(at), EndTime: new Date(at + 60_000),
    }))).Datapoints ?? []).sort((x, y) => x.Timestamp!.getTime() - y.Timestamp!.getTime()).map((p) => [(p.Timestamp!.getTime() - at) / 1000, p.Sum, p.SampleCount, p.Maximum]);
    const perSecond = [[2, 11, 2, 10], [7, 100, 1, 100], [44, 1000, 1, 1000]];
    assert.deepEqual(await read(cwA, 1), perSecond);
    assert.deepEqual(await read(cwB, 1), perSecond);
    assert.deepEqual(await read(cwB, 5), [[0, 11, 2, 10], [5, 100, 1, 100], [40, 1000, 1, 1000]]);
    assert.deepEqual(await read(cwA, 60), [[0, 1111, 4, 1000]]);
  } finally {
    await a.stop();
    await b.stop();
  }
});
