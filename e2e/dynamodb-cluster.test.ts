// DynamoDB in a cluster: two nodes on one PostgreSQL database. Conditional writes to one item
// from both nodes at once: exactly one creator wins, and counters updated under a version
// condition lose no increment (each write is a compare-and-set in the database).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ConditionalCheckFailedException, CreateTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TestServer } from '../src/testing/fixture.js';
import { dynamoDbClient } from '../src/testing/aws.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

/** Reads the version, then writes version + 1 under the condition that it is unchanged; again on a lost race. */
async function increment(client: DynamoDBClient, key: Record<string, { S: string }>): Promise<number> {
  for (let lost = 0; ; lost++) {
    const v = Number((await client.send(new GetItemCommand({ TableName: 'cluster-items', Key: key, ConsistentRead: true }))).Item!.v.N);
    try {
      await client.send(new UpdateItemCommand({
        TableName: 'cluster-items', Key: key, UpdateExpression: 'SET v = :next', ConditionExpression: 'v = :seen',
        ExpressionAttributeValues: { ':next': { N: String(v + 1) }, ':seen': { N: String(v) } },
      }));
      return lost;
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }
}

test('two nodes: of concurrent conditional creates of one item exactly one wins; guarded increments lose nothing', { timeout: 180_000 }, async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url] });
  const [a, b] = [await start(), await start()];
  const [ddbA, ddbB] = [dynamoDbClient(a.url), dynamoDbClient(b.url)];
  try {
    await ddbA.send(new CreateTableCommand({
      TableName: 'cluster-items', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    for (let round = 0; round < 5; round++) {
      const key = { id: { S: `lock-${round}` } };
      const attempts = Array.from({ length: 8 }, (_, i) => (i % 2 ? ddbB : ddbA).send(new PutItemCommand({
        TableName: 'cluster-items', Item: { ...key, owner: { S: `writer-${i}` } }, ConditionExpression: 'attribute_not_exists(id)',
      })).then(() => `writer-${i}`, (e: Error) => {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
        return undefined;
      }));
      const winners = (await Promise.all(attempts)).filter((w) => w !== undefined);
      assert.equal(winners.length, 1, `round ${round}: one writer wins`);
      const stored = await ddbB.send(new GetItemCommand({ TableName: 'cluster-items', Key: key, ConsistentRead: true }));
      assert.equal(stored.Item!.owner.S, winners[0], 'the winner\'s item is the one stored');
    }

    const counter = { id: { S: 'counter' } };
    await ddbA.send(new PutItemCommand({ TableName: 'cluster-items', Item: { ...counter, v: { N: '0' } } }));
    const perWorker = 10;
    const workers = [ddbA, ddbA, ddbB, ddbB].map(async (client) => {
      let lost = 0;
      for (let i = 0; i < perWorker; i++) lost += await increment(client, counter);
      return lost;
    });
    const lost = (await Promise.all(workers)).reduce((x, y) => x + y, 0);
    const final = await ddbB.send(new GetItemCommand({ TableName: 'cluster-items', Key: counter, ConsistentRead: true }));
    assert.equal(final.Item!.v.N, String(4 * perWorker), `every increment landed once (${lost} lost races were retried)`);
  } finally {
    ddbA.destroy();
    ddbB.destroy();
    await a.stop();
    await b.stop();
  }
});
