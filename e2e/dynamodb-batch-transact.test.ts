// DynamoDB batches and transactions through the AWS SDK v3 and the DocumentClient: BatchWriteItem
// and BatchGetItem with their limits, TransactWriteItems all or nothing with AWS's cancellation
// reasons, TransactGetItems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, GetItemCommand, TransactWriteItemsCommand, TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { useServer } from '../src/testing/fixture.js';
import { failure } from '../src/testing/aws.js';
import { dynamoDbClients } from '../src/testing/dynamodb.js';

const server = useServer();
const { ddb, doc } = dynamoDbClients(server);

server.setup(async () => {
  for (const name of ['bt-a', 'bt-b']) {
    await ddb().send(new CreateTableCommand({
      TableName: name, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
  }
});

test('BatchWriteItem puts and deletes across tables; BatchGetItem reads them back with a projection', async () => {
  const written = await doc().send(new BatchWriteCommand({
    RequestItems: {
      'bt-a': [1, 2, 3].map((n) => ({ PutRequest: { Item: { id: `a${n}`, n, secret: 's' } } })),
      'bt-b': [{ PutRequest: { Item: { id: 'b1' } } }],
    },
  }));
  assert.deepEqual(written.UnprocessedItems, {});
  const counted = await doc().send(new BatchWriteCommand({ RequestItems: { 'bt-b': [{ PutRequest: { Item: { id: 'b2' } } }] }, ReturnConsumedCapacity: 'TOTAL' }));
  assert.deepEqual(counted.ConsumedCapacity, [{ TableName: 'bt-b', CapacityUnits: 1 }]);
  await doc().send(new BatchWriteCommand({ RequestItems: { 'bt-a': [{ DeleteRequest: { Key: { id: 'a3' } } }] } }));
  const got = await doc().send(new BatchGetCommand({
    RequestItems: { 'bt-a': { Keys: [{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }], ProjectionExpression: 'id, n' }, 'bt-b': { Keys: [{ id: 'b1' }] } },
  }));
  assert.deepEqual(got.Responses!['bt-a'].sort((x, y) => x.n - y.n), [{ id: 'a1', n: 1 }, { id: 'a2', n: 2 }]);
  assert.deepEqual(got.Responses!['bt-b'], [{ id: 'b1' }]);
  assert.deepEqual(got.UnprocessedKeys, {});
});

test('batches refuse too many requests, duplicate keys and missing tables as AWS does', async () => {
  const tooMany = await failure(ddb().send(new BatchGetItemCommand({ RequestItems: { 'bt-a': { Keys: Array.from({ length: 101 }, (_, i) => ({ id: { S: `k${i}` } })) } } })));
  assert.deepEqual([tooMany.name, tooMany.message], ['ValidationException', 'Too many items requested for the BatchGetItem call']);
  const half = Array.from({ length: 13 }, (_, i) => ({ PutRequest: { Item: { id: { S: `k${i}` } } } }));
  const tooManyWrites = await failure(ddb().send(new BatchWriteItemCommand({ RequestItems: { 'bt-a': half, 'bt-b': half } })));
  assert.deepEqual([tooManyWrites.name, tooManyWrites.message], ['ValidationException', 'Too many items requested for the BatchWriteItem call']);
  const dup = await failure(ddb().send(new BatchWriteItemCommand({ RequestItems: { 'bt-a': [{ PutRequest: { Item: { id: { S: 'd' } } } }, { DeleteRequest: { Key: { id: { S: 'd' } } } }] } })));
  assert.deepEqual([dup.name, dup.message], ['ValidationException', 'Provided list of item keys contains duplicates']);
  assert.equal((await ddb().send(new GetItemCommand({ TableName: 'bt-a', Key: { id: { S: 'd' } } }))).Item, undefined, 'nothing of a refused batch is written');
  const missing = await failure(ddb().send(new BatchGetItemCommand({ RequestItems: { 'bt-nope': { Keys: [{ id: { S: 'x' } }] } } })));
  assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'Requested resource not found']);
});

test('TransactWriteItems writes all or nothing; a failed condition cancels it with a reason per action', async () => {
  await doc().send(new TransactWriteCommand({
    TransactItems: [
      { Put: { TableName: 'bt-a', Item: { id: 'acct-1', balance: 100 }, ConditionExpression: 'attribute_not_exists(id)' } },
      { Put: { TableName: 'bt-b', Item: { id: 'acct-2', balance: 0 } } },
    ],
  }));
  const transfer = (amount: number) => doc().send(new TransactWriteCommand({
    TransactItems: [
      { Update: { TableName: 'bt-a', Key: { id: 'acct-1' }, UpdateExpression: 'SET balance = balance - :a', ConditionExpression: 'balance >= :a', ExpressionAttributeValues: { ':a': amount } } },
      { Update: { TableName: 'bt-b', Key: { id: 'acct-2' }, UpdateExpression: 'SET balance = balance + :a', ExpressionAttributeValues: { ':a': amount } } },
      { ConditionCheck: { TableName: 'bt-b', Key: { id: 'acct-3' }, ConditionExpression: 'attribute_not_exists(id)' } },
    ],
  }));
  await transfer(60);
  const cost = await doc().send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: 'bt-b', Item: { id: 'cost' } } }], ReturnConsumedCapacity: 'TOTAL' }));
  assert.deepEqual(cost.ConsumedCapacity, [{ TableName: 'bt-b', CapacityUnits: 2 }], 'a transaction counts twice');
  const balances = async () => (await doc().send(new TransactGetCommand({
    TransactItems: [{ Get: { TableName: 'bt-a', Key: { id: 'acct-1' } } }, { Get: { TableName: 'bt-b', Key: { id: 'acct-2' }, ProjectionExpression: 'balance' } }, { Get: { TableName: 'bt-b', Key: { id: 'none' } } }],
  }))).Responses!.map((r) => r.Item?.balance);
  assert.deepEqual(await balances(), [40, 60, undefined]);
  try {
    await transfer(60);
    assert.fail('expected a cancellation');
  } catch (e) {
    assert.ok(e instanceof TransactionCanceledException, String(e));
    assert.equal(e.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, None]');
    assert.deepEqual(e.CancellationReasons?.map((r) => r.Code), ['ConditionalCheckFailed', 'None', 'None']);
  }
  assert.deepEqual(await balances(), [40, 60, undefined], 'nothing of a cancelled transaction is written');

  const withItem = await ddb().send(new TransactWriteItemsCommand({
    TransactItems: [{ ConditionCheck: { TableName: 'bt-a', Key: { id: { S: 'acct-1' } }, ConditionExpression: 'balance > :x', ExpressionAttributeValues: { ':x': { N: '1000' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } }],
  })).catch((e: TransactionCanceledException) => e);
  assert.deepEqual((withItem as TransactionCanceledException).CancellationReasons?.[0].Item, { id: { S: 'acct-1' }, balance: { N: '40' } });
  const twice = await failure(doc().send(new TransactWriteCommand({
    TransactItems: [{ Delete: { TableName: 'bt-a', Key: { id: 'acct-1' } } }, { Put: { TableName: 'bt-a', Item: { id: 'acct-1' } } }],
  })));
  assert.deepEqual([twice.name, twice.message], ['ValidationException', 'Transaction request cannot include multiple operations on one item']);
});
