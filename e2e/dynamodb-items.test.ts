// DynamoDB items through the AWS SDK v3 and lib-dynamodb's DocumentClient: PutItem, GetItem,
// UpdateItem, DeleteItem with conditions and ReturnValues, key checks in AWS's wording, item size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { useServer } from '../src/testing/fixture.js';
import { failure } from '../src/testing/aws.js';
import { dynamoDbClients } from '../src/testing/dynamodb.js';

const server = useServer();
const { ddb, doc } = dynamoDbClients(server);

server.setup(async () => {
  await ddb().send(new CreateTableCommand({
    TableName: 'items', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  }));
});

test('the DocumentClient puts, gets (with a projection), updates and deletes native values', async () => {
  const item = { pk: 'doc', sk: 1, name: 'Ada', tags: new Set(['a', 'b']), nested: { things: [1, 'two', true, null], bytes: new Uint8Array([1, 2, 3]) } };
  await doc().send(new PutCommand({ TableName: 'items', Item: item }));
  const got = (await doc().send(new GetCommand({ TableName: 'items', Key: { pk: 'doc', sk: 1 }, ConsistentRead: true }))).Item!;
  assert.equal(got.name, 'Ada');
  assert.deepEqual(got.tags, new Set(['a', 'b']));
  assert.deepEqual(got.nested.things, [1, 'two', true, null]);
  assert.deepEqual([...got.nested.bytes], [1, 2, 3]);
  const projected = (await doc().send(new GetCommand({ TableName: 'items', Key: { pk: 'doc', sk: 1 }, ProjectionExpression: '#n, nested.things[1]', ExpressionAttributeNames: { '#n': 'name' } }))).Item;
  assert.deepEqual(projected, { name: 'Ada', nested: { things: ['two'] } });

  const updated = await doc().send(new UpdateCommand({
    TableName: 'items', Key: { pk: 'doc', sk: 1 }, UpdateExpression: 'SET visits = if_not_exists(visits, :zero) + :one, #n = :n REMOVE nested',
    ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':n': 'Grace' }, ReturnValues: 'UPDATED_NEW',
  }));
  assert.deepEqual(updated.Attributes, { visits: 1, name: 'Grace' });
  const old = await doc().send(new UpdateCommand({ TableName: 'items', Key: { pk: 'doc', sk: 1 }, UpdateExpression: 'ADD visits :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'UPDATED_OLD' }));
  assert.deepEqual(old.Attributes, { visits: 1 });
  const nested = await doc().send(new UpdateCommand({
    TableName: 'items', Key: { pk: 'doc', sk: 1 }, UpdateExpression: 'SET deep = :d', ExpressionAttributeValues: { ':d': { a: 1, b: { c: 2 } } },
  }));
  assert.equal(nested.Attributes, undefined);
  const path = await doc().send(new UpdateCommand({
    TableName: 'items', Key: { pk: 'doc', sk: 1 }, UpdateExpression: 'SET deep.b.c = :three', ExpressionAttributeValues: { ':three': 3 }, ReturnValues: 'UPDATED_OLD',
  }));
  assert.deepEqual(path.Attributes, { deep: { b: { c: 2 } } }, 'only the updated path');
  await doc().send(new UpdateCommand({ TableName: 'items', Key: { pk: 'doc', sk: 1 }, UpdateExpression: 'REMOVE deep' }));
  const all = await doc().send(new UpdateCommand({ TableName: 'items', Key: { pk: 'doc', sk: 1 }, UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': 'y' }, ReturnValues: 'ALL_NEW' }));
  assert.deepEqual(all.Attributes, { pk: 'doc', sk: 1, name: 'Grace', tags: new Set(['a', 'b']), visits: 2, x: 'y' });

  const deleted = await doc().send(new DeleteCommand({ TableName: 'items', Key: { pk: 'doc', sk: 1 }, ReturnValues: 'ALL_OLD' }));
  assert.equal(deleted.Attributes!.x, 'y');
  assert.equal((await doc().send(new GetCommand({ TableName: 'items', Key: { pk: 'doc', sk: 1 } }))).Item, undefined);
});

test('UpdateItem creates an item that does not exist; PutItem answers ALL_OLD; numbers are normalised', async () => {
  const created = await ddb().send(new UpdateItemCommand({
    TableName: 'items', Key: { pk: { S: 'up' }, sk: { N: '2.50' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '007' } }, ReturnValues: 'ALL_NEW',
  }));
  assert.deepEqual(created.Attributes, { pk: { S: 'up' }, sk: { N: '2.5' }, n: { N: '7' } });
  const again = await ddb().send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'up' }, sk: { N: '2.5' } }, ReturnValues: 'ALL_OLD' }));
  assert.deepEqual(again.Attributes, { pk: { S: 'up' }, sk: { N: '2.5' }, n: { N: '7' } });
  const big = await ddb().send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'cap' }, sk: { N: '1' }, data: { S: 'x'.repeat(5000) } }, ReturnConsumedCapacity: 'TOTAL' }));
  assert.deepEqual(big.ConsumedCapacity, { TableName: 'items', CapacityUnits: 5 }, 'a write unit per 1 KB');
  const read = await ddb().send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'cap' }, sk: { N: '1' } }, ReturnConsumedCapacity: 'INDEXES' }));
  assert.deepEqual(read.ConsumedCapacity, { TableName: 'items', CapacityUnits: 1, Table: { CapacityUnits: 1 } }, 'two 4 KB units, halved for an eventually consistent read');
  assert.equal((await ddb().send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'cap' }, sk: { N: '1' } } }))).ConsumedCapacity, undefined);
  const bad = await failure(ddb().send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'up' }, sk: { N: '1' } }, ReturnValues: 'ALL_NEW' })));
  assert.deepEqual([bad.name, bad.message], ['ValidationException', 'ReturnValues can only be ALL_OLD or NONE']);
});

test('conditional writes fail with ConditionalCheckFailedException, and return the item when asked', async () => {
  const key = { pk: { S: 'cond' }, sk: { N: '1' } };
  await ddb().send(new PutItemCommand({ TableName: 'items', Item: { ...key, v: { N: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' }));
  const twice = await failure(ddb().send(new PutItemCommand({ TableName: 'items', Item: { ...key, v: { N: '2' } }, ConditionExpression: 'attribute_not_exists(pk)' })));
  assert.deepEqual([twice.name, twice.message, twice.status], ['ConditionalCheckFailedException', 'The conditional request failed', 400]);
  try {
    await ddb().send(new UpdateItemCommand({
      TableName: 'items', Key: key, UpdateExpression: 'SET v = :two', ConditionExpression: 'v = :zero', ExpressionAttributeValues: { ':two': { N: '2' }, ':zero': { N: '0' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    assert.fail('expected a failure');
  } catch (e) {
    assert.deepEqual((e as { Item?: unknown }).Item, { ...key, v: { N: '1' } });
  }
  await ddb().send(new UpdateItemCommand({ TableName: 'items', Key: key, UpdateExpression: 'SET v = :two', ConditionExpression: 'v = :one', ExpressionAttributeValues: { ':two': { N: '2' }, ':one': { N: '1' } } }));
  const del = await failure(ddb().send(new DeleteItemCommand({ TableName: 'items', Key: key, ConditionExpression: 'v > :five', ExpressionAttributeValues: { ':five': { N: '5' } } })));
  assert.equal(del.name, 'ConditionalCheckFailedException');
  assert.deepEqual((await ddb().send(new GetItemCommand({ TableName: 'items', Key: key }))).Item?.v, { N: '2' });
});

test('keys are checked against the schema with AWS\'s messages; items over 400 KB are refused', async () => {
  const cases: [() => Promise<unknown>, string][] = [
    [() => ddb().send(new PutItemCommand({ TableName: 'items', Item: { sk: { N: '1' } } })), 'One or more parameter values were invalid: Missing the key pk in the item'],
    [() => ddb().send(new PutItemCommand({ TableName: 'items', Item: { pk: { N: '1' }, sk: { N: '1' } } })), 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N'],
    [() => ddb().send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'a' } } })), 'The provided key element does not match the schema'],
    [() => ddb().send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'a' }, sk: { S: '1' } } })), 'The provided key element does not match the schema'],
    [() => ddb().send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: '' }, sk: { N: '1' } } })),
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk'],
    [() => ddb().send(new UpdateItemCommand({ TableName: 'items', Key: { pk: { S: 'a' }, sk: { N: '1' } }, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'b' } } })),
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
    [() => ddb().send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'big' }, sk: { N: '1' }, blob: { S: 'x'.repeat(400 * 1024) } } })), 'Item size has exceeded the maximum allowed size'],
    [() => ddb().send(new GetItemCommand({ TableName: 'items', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ExpressionAttributeNames: { '#a': 'a' } })),
      'ExpressionAttributeNames can only be specified when using expressions'],
    [() => ddb().send(new PutItemCommand({ TableName: 'items', Item: { pk: { S: 'a' }, sk: { N: '1' } }, Expected: { a: { Exists: false } }, ConditionExpression: 'attribute_exists(a)' })),
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}'],
  ];
  for (const [call, message] of cases) {
    const e = await failure(call());
    assert.deepEqual([e.name, e.message, e.status], ['ValidationException', message, 400]);
  }
  const missing = await failure(ddb().send(new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'a' } } })));
  assert.deepEqual([missing.name, missing.message], ['ResourceNotFoundException', 'Requested resource not found']);
  const checkedFirst = await failure(ddb().send(new PutItemCommand({ TableName: 'no-such-table', Item: { pk: { S: 'a' } }, ReturnValues: 'ALL_NEW' })));
  assert.deepEqual([checkedFirst.name, checkedFirst.message], ['ValidationException', 'ReturnValues can only be ALL_OLD or NONE'], 'the request is checked before the table is looked up');
});
