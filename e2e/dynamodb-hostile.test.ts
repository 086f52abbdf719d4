// DynamoDB under hostile input, found by the model fuzz and by hand: required members missing inside
// batches and transactions, values nested thousands deep or a million wide (sent raw: the SDK's own
// serializer overflows first), and AWS's limits pinned at their edges (400 KB items, 38 digits,
// 100 IN operands, 4 KB expressions, Limit 1 paging).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, PutItemCommand, QueryCommand, ScanCommand, TransactGetItemsCommand, TransactWriteItemsCommand,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import { useServer } from '../src/testing/fixture.js';
import { failure } from '../src/testing/aws.js';
import { dynamoDbClients } from '../src/testing/dynamodb.js';
import { sendSigned } from '../src/testing/fuzz/send.js';

const server = useServer();
const { ddb } = dynamoDbClients(server);
const TOO_DEEP = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

server.setup(async () => {
  await ddb().send(new CreateTableCommand({
    TableName: 'hx', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }));
  await ddb().send(new CreateTableCommand({
    TableName: 'hb', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'B' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }));
});

async function raw(operation: string, body: string): Promise<{ status: number; type: string; message: string }> {
  const res = await sendSigned(server.url, 'dynamodb', {
    method: 'POST', path: '/', query: [], body: Buffer.from(body),
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` },
  });
  const parsed = res.body.length ? JSON.parse(res.body.toString('utf8')) as { __type?: string; message?: string } : {};
  return { status: res.status, type: parsed.__type ?? '', message: parsed.message ?? '' };
}

test('a required member missing inside a batch or transaction is a ValidationException naming its path, not a crash', async () => {
  const noKeys = await failure(ddb().send(new BatchGetItemCommand({ RequestItems: { hx: { ProjectionExpression: 'pk' } as never } })));
  assert.deepEqual([noKeys.name, noKeys.status, noKeys.message],
    ['ValidationException', 400, "1 validation error detected: Value null at 'requestItems.hx.member.keys' failed to satisfy constraint: Member must not be null"]);
  const noGet = await failure(ddb().send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'hx', Key: { pk: { S: 'a' }, sk: { N: '1' } } } }, {} as never] })));
  assert.deepEqual([noGet.name, noGet.message],
    ['ValidationException', "1 validation error detected: Value null at 'transactItems.2.member.get' failed to satisfy constraint: Member must not be null"]);
  const noItem = await failure(ddb().send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'hx' } as never }] })));
  assert.deepEqual([noItem.name, noItem.message],
    ['ValidationException', "1 validation error detected: Value null at 'transactItems.1.member.put.item' failed to satisfy constraint: Member must not be null"]);
  const noPutItem = await failure(ddb().send(new BatchWriteItemCommand({ RequestItems: { hx: [{ PutRequest: {} as never }] } })));
  assert.deepEqual([noPutItem.name, noPutItem.message],
    ['ValidationException', "1 validation error detected: Value null at 'requestItems.hx.member.1.member.putRequest.item' failed to satisfy constraint: Member must not be null"]);
});

test('values nested 10,000 deep in an item, a key or ExpressionAttributeValues are refused as too deep; the server stays up', async () => {
  const deepMap = (n: number) => '{"M":{"a":'.repeat(n) + '{"S":"x"}' + '}}'.repeat(n);
  const deepList = (n: number) => '{"L":['.repeat(n) + '{"S":"x"}' + ']}'.repeat(n);
  const answers = [
    await raw('PutItem', `{"TableName":"hx","Item":{"pk":{"S":"d"},"sk":{"N":"1"},"v":${deepMap(10_000)}}}`),
    await raw('PutItem', `{"TableName":"hx","Item":{"pk":{"S":"d"},"sk":{"N":"1"},"v":${deepList(10_000)}}}`),
    await raw('GetItem', `{"TableName":"hx","Key":{"pk":${deepMap(10_000)},"sk":{"N":"1"}}}`),
    await raw('UpdateItem', `{"TableName":"hx","Key":{"pk":{"S":"d"},"sk":{"N":"1"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":${deepMap(10_000)}}}`),
    await raw('Scan', `{"TableName":"hx","FilterExpression":"v = :v","ExpressionAttributeValues":{":v":${deepList(10_000)}}}`),
    await raw('PutItem', `{"TableName":"hx","Item":{"pk":{"S":"d"},"sk":{"N":"1"},"v":${deepMap(33)}}}`),
  ];
  for (const answer of answers) assert.deepEqual(answer, { status: 400, type: 'ValidationException', message: TOO_DEEP });
  assert.equal((await raw('PutItem', `{"TableName":"hx","Item":{"pk":{"S":"d"},"sk":{"N":"1"},"v":${deepMap(31)}}}`)).status, 200, '32 levels are allowed');
});

test('a list of 200,000 elements is measured without overflowing; a million of them is over 400 KB', async () => {
  const list = (n: number) => `{"L":[${Array(n).fill('{"NULL":true}').join(',')}]}`;
  assert.equal((await raw('PutItem', `{"TableName":"hx","Item":{"pk":{"S":"w"},"sk":{"N":"1"},"v":${list(200_000)}}}`)).status, 200);
  assert.deepEqual(await raw('PutItem', `{"TableName":"hx","Item":{"pk":{"S":"w"},"sk":{"N":"2"},"v":${list(1_000_000)}}}`),
    { status: 400, type: 'ValidationException', message: 'Item size has exceeded the maximum allowed size' });
  assert.equal((await raw('Scan', `{"TableName":"hx","FilterExpression":"v = :v","ExpressionAttributeValues":{":v":${list(300_000)}}}`)).status, 200);
});

test('AWS limits at their edges: 400 KB items, 38 digits, 100 IN operands, 4 KB expressions', async () => {
  // pk "a" (2 + 1 bytes), sk 1 (2 + 2), v (1 + n): 400 KB in all at n = 409,592.
  const put = (n: number) => ddb().send(new PutItemCommand({ TableName: 'hx', Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x'.repeat(n) } } }));
  await put(409_592);
  const over = await failure(put(409_593));
  assert.deepEqual([over.name, over.message], ['ValidationException', 'Item size has exceeded the maximum allowed size']);

  await ddb().send(new PutItemCommand({ TableName: 'hx', Item: { pk: { S: 'n' }, sk: { N: '9'.repeat(38) } } }));
  const digits = await failure(ddb().send(new PutItemCommand({ TableName: 'hx', Item: { pk: { S: 'n' }, sk: { N: '9'.repeat(39) } } })));
  assert.deepEqual([digits.name, digits.message], ['ValidationException', 'Attempting to store more than 38 significant digits in a Number']);

  const operands = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`:v${i}`, { S: `x${i}` }]));
  const scanIn = (n: number) => ddb().send(new ScanCommand({ TableName: 'hx', FilterExpression: `pk IN (${Object.keys(operands(n)).join(', ')})`, ExpressionAttributeValues: operands(n) }));
  await scanIn(100);
  const tooMany = await failure(scanIn(101));
  assert.deepEqual([tooMany.name, tooMany.message], ['ValidationException', 'Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 101']);

  const filter = (n: number) => ddb().send(new ScanCommand({ TableName: 'hx', FilterExpression: 'pk = :v'.padEnd(n), ExpressionAttributeValues: { ':v': { S: 'a' } } }));
  assert.equal((await filter(4096)).Count, 1);
  const long = await failure(filter(4097));
  assert.deepEqual([long.name, long.message], ['ValidationException', 'Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 4097']);
});

test('binary keys round-trip every byte; keys over 2048 bytes (partition) or 1024 (sort) are refused on writes and reads', async () => {
  const id = Uint8Array.from([0, 255, 1, 128]);
  await ddb().send(new PutItemCommand({ TableName: 'hb', Item: { id: { B: id }, sk: { S: 's' } } }));
  assert.deepEqual((await ddb().send(new GetItemCommand({ TableName: 'hb', Key: { id: { B: id }, sk: { S: 's' } } }))).Item!.id.B, id);
  await ddb().send(new PutItemCommand({ TableName: 'hb', Item: { id: { B: new Uint8Array(2048).fill(7) }, sk: { S: 'é'.repeat(512) } } }));
  const hashKey = 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes';
  const rangeKey = 'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes';
  const refusals = [
    [await failure(ddb().send(new PutItemCommand({ TableName: 'hb', Item: { id: { B: new Uint8Array(2049) }, sk: { S: 's' } } }))), hashKey],
    [await failure(ddb().send(new PutItemCommand({ TableName: 'hx', Item: { pk: { S: 'é'.repeat(1024) + 'x' }, sk: { N: '1' } } }))), hashKey],
    [await failure(ddb().send(new GetItemCommand({ TableName: 'hx', Key: { pk: { S: 'p'.repeat(2049) }, sk: { N: '1' } } }))), hashKey],
    [await failure(ddb().send(new PutItemCommand({ TableName: 'hb', Item: { id: { B: id }, sk: { S: 'é'.repeat(512) + 'x' } } }))), rangeKey],
    [await failure(ddb().send(new BatchWriteItemCommand({ RequestItems: { hb: [{ DeleteRequest: { Key: { id: { B: id }, sk: { S: 's'.repeat(1025) } } } }] } }))), rangeKey],
  ] as const;
  for (const [error, message] of refusals) assert.deepEqual([error.name, error.message], ['ValidationException', message]);
});

test('Query with Limit 1 pages through 1,000 items in order; a BatchWriteItem of 25 items of 380 KB each is written whole', async () => {
  for (let start = 0; start < 1000; start += 25) {
    await ddb().send(new BatchWriteItemCommand({ RequestItems: { hx: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: 'many' }, sk: { N: String(start + i) } } } })) } }));
  }
  const seen: number[] = [];
  let startKey: Record<string, never> | undefined;
  do {
    const page = await ddb().send(new QueryCommand({ TableName: 'hx', Limit: 1, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'many' } }, ExclusiveStartKey: startKey }));
    seen.push(...page.Items!.map((item) => Number(item.sk.N)));
    startKey = page.LastEvaluatedKey as typeof startKey;
  } while (startKey);
  assert.deepEqual(seen, Array.from({ length: 1000 }, (_, i) => i));

  const big = 'y'.repeat(380 * 1024);
  const written = await ddb().send(new BatchWriteItemCommand({ RequestItems: { hx: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: 'big' }, sk: { N: String(i) }, v: { S: big } } } })) } }));
  assert.deepEqual(written.UnprocessedItems, {});
  const last = await ddb().send(new GetItemCommand({ TableName: 'hx', Key: { pk: { S: 'big' }, sk: { N: '24' } } }));
  assert.equal(last.Item!.v.S!.length, big.length);
});
