// DynamoDB time to live: with TTL enabled, items whose TTL attribute (epoch seconds) has passed are
// deleted by the background sweep (every 200 ms here); future, missing, non-numeric and far-past
// values stay, and so does every item of a table without TTL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, GetItemCommand, PutItemCommand, ScanCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { useServer } from '../src/testing/fixture.js';
import { dynamoDbClients } from '../src/testing/dynamodb.js';

const server = useServer({ args: ['--dynamodb-ttl-interval', '200'] });
const { ddb } = dynamoDbClients(server);

const create = (name: string) => ddb().send(new CreateTableCommand({
  TableName: name, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
}));

test('expired items are deleted; the others stay', { timeout: 60_000 }, async () => {
  await create('ttl-on');
  await create('ttl-off');
  await ddb().send(new UpdateTimeToLiveCommand({ TableName: 'ttl-on', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
  const nowSeconds = Math.floor(Date.now() / 1000);
  const items: Record<string, Record<string, { N: string } | { S: string }>> = {
    expired: { expires: { N: String(nowSeconds - 60) } },
    future: { expires: { N: String(nowSeconds + 3600) } },
    missing: {},
    text: { expires: { S: String(nowSeconds - 60) } },
    ancient: { expires: { N: String(nowSeconds - 6 * 365 * 24 * 3600) } },
  };
  for (const table of ['ttl-on', 'ttl-off']) {
    for (const [id, extra] of Object.entries(items)) await ddb().send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, ...extra } }));
  }
  const deadline = Date.now() + 30_000;
  while ((await ddb().send(new GetItemCommand({ TableName: 'ttl-on', Key: { id: { S: 'expired' } } }))).Item) {
    assert.ok(Date.now() < deadline, 'the expired item was not deleted in time');
    await new Promise((r) => setTimeout(r, 100));
  }
  const ids = async (table: string) => ((await ddb().send(new ScanCommand({ TableName: table }))).Items ?? []).map((i) => i.id.S).sort();
  assert.deepEqual(await ids('ttl-on'), ['ancient', 'future', 'missing', 'text']);
  assert.deepEqual(await ids('ttl-off'), ['ancient', 'expired', 'future', 'missing', 'text']);
});
