// DynamoDB's legacy parameters through the AWS SDK v3: Expected, AttributesToGet, KeyConditions,
// QueryFilter, ScanFilter, AttributeUpdates and ConditionalOperator behave as the expressions
// they stand for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand, type ExpectedAttributeValue } from '@aws-sdk/client-dynamodb';
import { useServer } from '../src/testing/fixture.js';
import { failure } from '../src/testing/aws.js';
import { dynamoDbClients } from '../src/testing/dynamodb.js';

const server = useServer();
const { ddb } = dynamoDbClients(server);

server.setup(async () => {
  await ddb().send(new CreateTableCommand({
    TableName: 'legacy', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }));
  for (let i = 1; i <= 5; i++) {
    await ddb().send(new PutItemCommand({ TableName: 'legacy', Item: { pk: { S: 'p' }, sk: { N: String(i) }, color: { S: i % 2 ? 'red' : 'blue' }, extra: { S: 'x' } } }));
  }
});

test('Expected guards writes (Exists, Value, ComparisonOperator, ConditionalOperator)', async () => {
  const item = { pk: { S: 'e' }, sk: { N: '1' }, v: { N: '1' } };
  await ddb().send(new PutItemCommand({ TableName: 'legacy', Item: item, Expected: { pk: { Exists: false } } }));
  const again = await failure(ddb().send(new PutItemCommand({ TableName: 'legacy', Item: item, Expected: { pk: { Exists: false } } })));
  assert.equal(again.name, 'ConditionalCheckFailedException');
  await ddb().send(new PutItemCommand({ TableName: 'legacy', Item: { ...item, v: { N: '2' } }, Expected: { v: { Value: { N: '1' } } } }));
  const either: Record<string, ExpectedAttributeValue> = { v: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '5' }] }, nope: { ComparisonOperator: 'NULL' } };
  await ddb().send(new PutItemCommand({ TableName: 'legacy', Item: { ...item, v: { N: '3' } }, Expected: either, ConditionalOperator: 'OR' }));
  const both = await failure(ddb().send(new PutItemCommand({ TableName: 'legacy', Item: item, Expected: either, ConditionalOperator: 'AND' })));
  assert.equal(both.name, 'ConditionalCheckFailedException');
  assert.deepEqual((await ddb().send(new GetItemCommand({ TableName: 'legacy', Key: { pk: { S: 'e' }, sk: { N: '1' } }, AttributesToGet: ['v'] }))).Item, { v: { N: '3' } });
});

test('AttributeUpdates puts, adds and deletes; KeyConditions, QueryFilter and ScanFilter read', async () => {
  const key = { pk: { S: 'u' }, sk: { N: '1' } };
  const out = await ddb().send(new UpdateItemCommand({
    TableName: 'legacy', Key: key, ReturnValues: 'ALL_NEW',
    AttributeUpdates: { name: { Value: { S: 'n' } }, count: { Action: 'ADD', Value: { N: '2' } }, tags: { Action: 'ADD', Value: { SS: ['a', 'b'] } } },
  }));
  assert.deepEqual(out.Attributes, { ...key, name: { S: 'n' }, count: { N: '2' }, tags: { SS: ['a', 'b'] } });
  const next = await ddb().send(new UpdateItemCommand({
    TableName: 'legacy', Key: key, ReturnValues: 'ALL_NEW', AttributeUpdates: { name: { Action: 'DELETE' }, tags: { Action: 'DELETE', Value: { SS: ['a'] } } },
  }));
  assert.deepEqual(next.Attributes, { ...key, count: { N: '2' }, tags: { SS: ['b'] } });

  const queried = await ddb().send(new QueryCommand({
    TableName: 'legacy', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '2' }, { N: '5' }] } },
    QueryFilter: { color: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'red' }] } }, AttributesToGet: ['sk'],
  }));
  assert.deepEqual(queried.Items, [{ sk: { N: '3' } }, { sk: { N: '5' } }]);
  assert.equal(queried.ScannedCount, 4);
  const scanned = await ddb().send(new ScanCommand({ TableName: 'legacy', ScanFilter: { color: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'blue' }] } } }));
  assert.deepEqual(scanned.Items!.map((i) => i.sk.N), ['2', '4']);
  const mixed = await failure(ddb().send(new ScanCommand({ TableName: 'legacy', ScanFilter: { color: { ComparisonOperator: 'NOT_NULL' } }, FilterExpression: 'attribute_exists(color)' })));
  assert.deepEqual([mixed.name, mixed.message], ['ValidationException', 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}']);
});
