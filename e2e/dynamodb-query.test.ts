// DynamoDB Query and Scan through the AWS SDK v3: sort key order by type (S by UTF-8 bytes, N
// numerically, B bytewise), key conditions, filters, projections, paging, COUNT, indexes, segments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTableCommand, PutItemCommand, QueryCommand, ScanCommand, type AttributeValue, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { useServer } from '../src/testing/fixture.js';
import { failure } from '../src/testing/aws.js';
import { dynamoDbClients } from '../src/testing/dynamodb.js';

const server = useServer();
const { ddb, doc: documents } = dynamoDbClients(server);

const numbers = ['-1e3', '-2.5', '-2', '-0.001', '0', '0.5', '1', '2', '10', '1e2', '123.456'];
// UTF-8 byte order: U+FF21 before U+1F600 (UTF-16 code units would put the emoji first).
const strings = ['A', 'Z', 'a', 'aa', 'ab', 'b', 'é', '中', 'Ａ', '😀'];
const binaries = [[0], [0, 1], [1], [127], [128], [255]];

server.setup(async () => {
  const table = (name: string, sortType: 'S' | 'N' | 'B', extra: object = {}) => ddb().send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: sortType }, { AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['extra'] } }],
    LocalSecondaryIndexes: [{ IndexName: 'by-l', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    ...extra,
  }));
  await table('q-num', 'N');
  await table('q-str', 'S');
  await table('q-bin', 'B');
  // Written in a shuffled order: the answers' order is the database's.
  for (const [i, n] of [...numbers].reverse().entries()) {
    await ddb().send(new PutItemCommand({ TableName: 'q-num', Item: { pk: { S: 'p' }, sk: { N: n }, i: { N: String(i) }, ...(i % 2 ? { g: { S: 'odd' }, l: { N: String(100 - i) }, extra: { S: `x${i}` } } : {}), other: { S: 'o' } } }));
  }
  await ddb().send(new PutItemCommand({ TableName: 'q-num', Item: { pk: { S: 'other' }, sk: { N: '5' } } }));
  for (const s of [...strings].reverse()) await ddb().send(new PutItemCommand({ TableName: 'q-str', Item: { pk: { S: 'p' }, sk: { S: s } } }));
  for (const b of [...binaries].reverse()) await ddb().send(new PutItemCommand({ TableName: 'q-bin', Item: { pk: { S: 'p' }, sk: { B: new Uint8Array(b) } } }));
});

const query = (input: Omit<QueryCommandInput, 'TableName'> & { TableName?: string }) => ddb().send(new QueryCommand({ TableName: 'q-num', ...input } as QueryCommandInput));
const sks = (items: Record<string, AttributeValue>[] | undefined) => (items ?? []).map((i) => i.sk.N ?? i.sk.S ?? [...i.sk.B!].join(','));
const partition = { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } };

test('a partition comes back in DynamoDB\'s sort key order for N, S and B, and reversed', async () => {
  assert.deepEqual(sks((await query(partition)).Items), ['-1000', '-2.5', '-2', '-0.001', '0', '0.5', '1', '2', '10', '100', '123.456']);
  assert.deepEqual(sks((await query({ ...partition, ScanIndexForward: false, Limit: 3 })).Items), ['123.456', '100', '10']);
  assert.deepEqual(sks((await query({ ...partition, TableName: 'q-str' })).Items), strings);
  assert.deepEqual(sks((await query({ ...partition, TableName: 'q-bin' })).Items), binaries.map((b) => b.join(',')));
});

test('sort key conditions are ranges; filters, projections and COUNT; Count and ScannedCount', async () => {
  const range = async (cond: string, values: Record<string, AttributeValue>, table = 'q-num') =>
    sks((await query({ TableName: table, KeyConditionExpression: `pk = :p AND ${cond}`, ExpressionAttributeValues: { ':p': { S: 'p' }, ...values } })).Items);
  assert.deepEqual(await range('sk BETWEEN :a AND :b', { ':a': { N: '-2' }, ':b': { N: '1' } }), ['-2', '-0.001', '0', '0.5', '1']);
  assert.deepEqual(await range('sk < :a', { ':a': { N: '-2' } }), ['-1000', '-2.5']);
  assert.deepEqual(await range('sk >= :a', { ':a': { N: '10' } }), ['10', '100', '123.456']);
  assert.deepEqual(await range('sk = :a', { ':a': { N: '1E2' } }), ['100']);
  assert.deepEqual(await range('begins_with(sk, :a)', { ':a': { S: 'a' } }, 'q-str'), ['a', 'aa', 'ab']);
  const filtered = await query({ ...partition, FilterExpression: 'attribute_exists(g)', ProjectionExpression: 'sk, g' });
  assert.equal(filtered.Count, 5);
  assert.equal(filtered.ScannedCount, 11);
  assert.deepEqual(filtered.Items![0], { sk: { N: '-2.5' }, g: { S: 'odd' } });
  const counted = await query({ ...partition, Select: 'COUNT' });
  assert.deepEqual([counted.Items, counted.Count], [undefined, 11]);
  const capacity = await query({ ...partition, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' });
  assert.deepEqual(capacity.ConsumedCapacity, { TableName: 'q-num', CapacityUnits: 1 }, 'the items read, in 4 KB units');
  const countAndProjection = await failure(query({ ...partition, Select: 'COUNT', ProjectionExpression: 'sk' }));
  assert.deepEqual([countAndProjection.name, countAndProjection.message], ['ValidationException', '1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count']);
  const scanCount = await failure(ddb().send(new ScanCommand({ TableName: 'q-num', Select: 'COUNT', ProjectionExpression: 'sk' })));
  assert.equal(scanCount.message, 'Cannot specify the ProjectionExpression when choosing to get only the Count');
  const between = await failure(query({ KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { N: '5' }, ':b': { N: '1' } } }));
  assert.equal(between.name, 'ValidationException');
  assert.match(between.message, /^Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound/);
  const noKey = await failure(query({}));
  assert.deepEqual([noKey.name, noKey.message], ['ValidationException', 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.']);
  const noIndex = await failure(query({ ...partition, IndexName: 'nope' }));
  assert.deepEqual([noIndex.name, noIndex.message], ['ValidationException', 'The table does not have the specified index: nope']);
});

test('Limit pages with LastEvaluatedKey, both ways; the DocumentClient paginator reads them all', async () => {
  const seen: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  let pages = 0;
  do {
    const page = await query({ ...partition, Limit: 4, ScanIndexForward: false, ExclusiveStartKey: start });
    seen.push(...sks(page.Items));
    start = page.LastEvaluatedKey;
    pages++;
  } while (start);
  assert.deepEqual(seen, ['123.456', '100', '10', '2', '1', '0.5', '0', '-0.001', '-2', '-2.5', '-1000']);
  assert.equal(pages, 3);
  const doc = documents();
  const all: number[] = [];
  for await (const page of paginateQuery({ client: doc, pageSize: 2 }, { TableName: 'q-num', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p' } })) {
    all.push(...page.Items!.map((i) => i.sk as number));
  }
  assert.deepEqual(all, [-1000, -2.5, -2, -0.001, 0, 0.5, 1, 2, 10, 100, 123.456]);
});

test('a global secondary index answers its projection in its own order; a local one its keys', async () => {
  const byG = await query({ IndexName: 'by-g', KeyConditionExpression: 'g = :g AND l > :l', ExpressionAttributeValues: { ':g': { S: 'odd' }, ':l': { N: '92' } } });
  assert.deepEqual(byG.Items!.map((i) => i.l.N), ['93', '95', '97', '99']);
  assert.deepEqual(Object.keys(byG.Items![0]).sort(), ['extra', 'g', 'l', 'pk', 'sk'], 'the keys and the INCLUDEd attribute');
  const page = await query({ IndexName: 'by-g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'odd' } }, Limit: 2 });
  assert.deepEqual(Object.keys(page.LastEvaluatedKey!).sort(), ['g', 'l', 'pk', 'sk']);
  const next = await query({ IndexName: 'by-g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'odd' } }, ExclusiveStartKey: page.LastEvaluatedKey });
  assert.deepEqual([page.Items!, next.Items!].map((items) => items.map((i) => i.l.N)), [['91', '93'], ['95', '97', '99']]);
  const consistent = await failure(query({ IndexName: 'by-g', ConsistentRead: true, KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'odd' } } }));
  assert.deepEqual([consistent.name, consistent.message], ['ValidationException', 'Consistent reads are not supported on global secondary indexes']);
  const all = await failure(query({ IndexName: 'by-g', Select: 'ALL_ATTRIBUTES', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'odd' } } }));
  assert.equal(all.message, 'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index by-g because its projection type is not ALL');
  const byL = await query({ IndexName: 'by-l', ...partition });
  assert.deepEqual(byL.Items!.map((i) => Object.keys(i).sort().join()), ['l,pk,sk', 'l,pk,sk', 'l,pk,sk', 'l,pk,sk', 'l,pk,sk']);
});

test('Scan reads every item, pages, filters, and splits the table into segments', async () => {
  const doc = documents();
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: doc, pageSize: 3 }, { TableName: 'q-num' })) items.push(...page.Items!);
  assert.equal(items.length, 12);
  const filtered = await ddb().send(new ScanCommand({ TableName: 'q-num', FilterExpression: 'pk = :o', ExpressionAttributeValues: { ':o': { S: 'other' } } }));
  assert.deepEqual([filtered.Count, filtered.ScannedCount], [1, 12]);
  const segments = await Promise.all([0, 1, 2].map((Segment) => ddb().send(new ScanCommand({ TableName: 'q-num', Segment, TotalSegments: 3 }))));
  assert.equal(segments.reduce((n, s) => n + s.Count!, 0), 12, 'the segments share the items out');
  const bad = await failure(ddb().send(new ScanCommand({ TableName: 'q-num', Segment: 3, TotalSegments: 3 })));
  assert.deepEqual([bad.name, bad.message], ['ValidationException', 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than TotalSegments: 3']);
  const onIndex = await ddb().send(new ScanCommand({ TableName: 'q-num', IndexName: 'by-g' }));
  assert.equal(onIndex.Count, 5, 'a sparse index holds only the items with its keys');
});

test('a page stops once it has read 1 MB of items', async () => {
  for (let i = 0; i < 5; i++) {
    await ddb().send(new PutItemCommand({ TableName: 'q-str', Item: { pk: { S: 'big' }, sk: { S: `k${i}` }, data: { S: 'x'.repeat(300 * 1024) } } }));
  }
  const first = await query({ TableName: 'q-str', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'big' } } });
  assert.deepEqual(sks(first.Items), ['k0', 'k1', 'k2', 'k3'], 'the fourth item passes 1 MB');
  assert.deepEqual(first.LastEvaluatedKey, { pk: { S: 'big' }, sk: { S: 'k3' } });
  const second = await query({ TableName: 'q-str', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'big' } }, ExclusiveStartKey: first.LastEvaluatedKey });
  assert.deepEqual([sks(second.Items), second.LastEvaluatedKey], [['k4'], undefined]);
});
