// DynamoDB tables through the AWS SDK v3: create (with AWS's key schema and billing checks),
// describe (ACTIVE at once, counts, ARN), list with paging, update, tags, time to live, delete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTableCommand, DeleteTableCommand, DescribeContinuousBackupsCommand, DescribeEndpointsCommand, DescribeLimitsCommand, DescribeTableCommand,
  DescribeTimeToLiveCommand, ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand, TagResourceCommand, UntagResourceCommand, UpdateTableCommand,
  UpdateTimeToLiveCommand, waitUntilTableExists, type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { useServer } from '../src/testing/fixture.js';
import { failure } from '../src/testing/aws.js';
import { dynamoDbClients } from '../src/testing/dynamodb.js';
import { testAccount, testRegion } from '../src/testing/server.js';

const server = useServer();
const { ddb } = dynamoDbClients(server);

const simple = (name: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput => ({
  TableName: name, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST', ...extra,
});

test('CreateTable answers an ACTIVE table with indexes, stream and tags; DescribeTable counts its items', async () => {
  const created = (await ddb().send(new CreateTableCommand({
    TableName: 'tbl-orders',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'gk', AttributeType: 'S' }, { AttributeName: 'lk', AttributeType: 'B' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
    GlobalSecondaryIndexes: [{ IndexName: 'by-gk', KeySchema: [{ AttributeName: 'gk', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }],
    LocalSecondaryIndexes: [{ IndexName: 'by-lk', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'lk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    Tags: [{ Key: 'team', Value: 'orders' }],
  }))).TableDescription!;
  const arn = `arn:aws:dynamodb:${testRegion}:${testAccount}:table/tbl-orders`;
  assert.equal(created.TableStatus, 'ACTIVE');
  assert.equal(created.TableArn, arn);
  assert.match(created.TableId!, /^[0-9a-f-]{36}$/);
  assert.ok(created.CreationDateTime instanceof Date);
  assert.deepEqual(created.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 3 });
  assert.equal(created.GlobalSecondaryIndexes![0].IndexArn, `${arn}/index/by-gk`);
  assert.equal(created.GlobalSecondaryIndexes![0].IndexStatus, 'ACTIVE');
  assert.deepEqual(created.LocalSecondaryIndexes!.map((i) => i.IndexName), ['by-lk']);
  assert.match(created.LatestStreamArn!, new RegExp(`^${arn}/stream/`));
  assert.equal((await waitUntilTableExists({ client: ddb(), maxWaitTime: 30 }, { TableName: 'tbl-orders' })).state, 'SUCCESS', 'the waiter sees ACTIVE at its first look');

  await ddb().send(new PutItemCommand({ TableName: 'tbl-orders', Item: { pk: { S: 'a' }, sk: { N: '1' }, note: { S: 'hello' } } }));
  const described = (await ddb().send(new DescribeTableCommand({ TableName: 'tbl-orders' }))).Table!;
  assert.equal(described.ItemCount, 1);
  assert.ok(described.TableSizeBytes! > 0);
  assert.equal(described.TableId, created.TableId);
  assert.deepEqual((await ddb().send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'team', Value: 'orders' }]);

  const again = await failure(ddb().send(new CreateTableCommand(simple('tbl-orders'))));
  assert.deepEqual([again.name, again.message, again.status], ['ResourceInUseException', 'Table already exists: tbl-orders', 400]);
});

test('CreateTable refuses key schemas and billing as AWS does', async () => {
  const cases: [Partial<CreateTableCommandInput>, string][] = [
    [{ KeySchema: [{ AttributeName: 'pk', KeyType: 'RANGE' }] }, 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
    [{ KeySchema: [{ AttributeName: 'other', KeyType: 'HASH' }] },
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [other], AttributeDefinitions: [pk]'],
    [{ AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'S' }] },
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions'],
    [{ ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST'],
    [{ BillingMode: undefined }, 'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED'],
    [{ AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }], BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }] },
    'One or more parameter values were invalid: ProvisionedThroughput is not specified for index: by-g'],
  ];
  for (const [extra, message] of cases) {
    const e = await failure(ddb().send(new CreateTableCommand(simple('tbl-bad', extra))));
    assert.deepEqual([e.name, e.message], ['ValidationException', message]);
  }
  const missing = await failure(ddb().send(new DescribeTableCommand({ TableName: 'tbl-missing' })));
  assert.deepEqual([missing.name, missing.message, missing.status], ['ResourceNotFoundException', 'Requested resource not found: Table: tbl-missing not found', 400]);
});

test('ListTables pages by name; DeleteTable answers DELETING and the table is gone', async () => {
  for (const n of ['tbl-list-c', 'tbl-list-a', 'tbl-list-b']) await ddb().send(new CreateTableCommand(simple(n)));
  const all = (await ddb().send(new ListTablesCommand({}))).TableNames!.filter((n) => n.startsWith('tbl-list-'));
  assert.deepEqual(all, ['tbl-list-a', 'tbl-list-b', 'tbl-list-c']);
  const first = await ddb().send(new ListTablesCommand({ ExclusiveStartTableName: 'tbl-list-', Limit: 2 }));
  assert.deepEqual(first.TableNames, ['tbl-list-a', 'tbl-list-b']);
  assert.equal(first.LastEvaluatedTableName, 'tbl-list-b');
  const second = await ddb().send(new ListTablesCommand({ ExclusiveStartTableName: 'tbl-list-b', Limit: 2 }));
  assert.equal(second.TableNames![0], 'tbl-list-c');
  const deleted = (await ddb().send(new DeleteTableCommand({ TableName: 'tbl-list-a' }))).TableDescription!;
  assert.equal(deleted.TableStatus, 'DELETING');
  const gone = await failure(ddb().send(new DeleteTableCommand({ TableName: 'tbl-list-a' })));
  assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', 'Requested resource not found: Table: tbl-list-a not found']);
});

test('UpdateTable changes billing and adds and removes a global secondary index; tags, TTL and the rest', async () => {
  await ddb().send(new CreateTableCommand(simple('tbl-upd')));
  const updated = (await ddb().send(new UpdateTableCommand({
    TableName: 'tbl-upd', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 8 },
    AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'N' }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }],
  }))).TableDescription!;
  assert.equal(updated.BillingModeSummary, undefined);
  assert.equal(updated.ProvisionedThroughput!.ReadCapacityUnits, 7);
  assert.deepEqual(updated.GlobalSecondaryIndexes!.map((i) => i.IndexName), ['by-g']);
  await ddb().send(new UpdateTableCommand({ TableName: 'tbl-upd', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-g' } }] }));
  assert.equal((await ddb().send(new DescribeTableCommand({ TableName: 'tbl-upd' }))).Table!.GlobalSecondaryIndexes, undefined);
  const ghost = await failure(ddb().send(new UpdateTableCommand({ TableName: 'tbl-upd', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-g' } }] })));
  assert.deepEqual([ghost.name, ghost.message, ghost.status], ['ResourceNotFoundException', 'Requested resource not found: Index by-g for table tbl-upd', 400]);

  const arn = `arn:aws:dynamodb:${testRegion}:${testAccount}:table/tbl-upd`;
  await ddb().send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
  await ddb().send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
  assert.deepEqual((await ddb().send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'b', Value: '2' }]);
  const noArn = await failure(ddb().send(new ListTagsOfResourceCommand({ ResourceArn: `${arn}-nope` })));
  assert.equal(noArn.name, 'ResourceNotFoundException');

  assert.deepEqual((await ddb().send(new DescribeTimeToLiveCommand({ TableName: 'tbl-upd' }))).TimeToLiveDescription, { TimeToLiveStatus: 'DISABLED' });
  await ddb().send(new UpdateTimeToLiveCommand({ TableName: 'tbl-upd', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
  assert.deepEqual((await ddb().send(new DescribeTimeToLiveCommand({ TableName: 'tbl-upd' }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
  const twice = await failure(ddb().send(new UpdateTimeToLiveCommand({ TableName: 'tbl-upd', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })));
  assert.deepEqual([twice.name, twice.message], ['ValidationException', 'TimeToLive is already enabled']);

  assert.equal((await ddb().send(new DescribeContinuousBackupsCommand({ TableName: 'tbl-upd' }))).ContinuousBackupsDescription!.ContinuousBackupsStatus, 'ENABLED');
  assert.equal((await ddb().send(new DescribeEndpointsCommand({}))).Endpoints!.length, 1);
  assert.equal((await ddb().send(new DescribeLimitsCommand({}))).TableMaxReadCapacityUnits, 40000);
});
