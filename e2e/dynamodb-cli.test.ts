// DynamoDB through the AWS CLI v2: create-table and its waiter, put-item, get-item, query,
// update-item, scan, delete-table, and an error as the CLI prints it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';

const server = useServer();
const aws = (...args: string[]) => awsCli(server.url, ['dynamodb', ...args]);

async function ok(...args: string[]): Promise<any> {
  const r = await aws(...args);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim() ? r.json() : {};
}

test('the CLI creates a table, waits for it, writes, reads, queries, updates, scans and deletes', { timeout: 120_000 }, async () => {
  const created = await ok('create-table', '--table-name', 'cli-music',
    '--attribute-definitions', 'AttributeName=Artist,AttributeType=S', 'AttributeName=Song,AttributeType=S',
    '--key-schema', 'AttributeName=Artist,KeyType=HASH', 'AttributeName=Song,KeyType=RANGE',
    '--billing-mode', 'PAY_PER_REQUEST', '--tags', 'Key=team,Value=music');
  assert.equal(created.TableDescription.TableStatus, 'ACTIVE');
  assert.equal(created.TableDescription.BillingModeSummary.BillingMode, 'PAY_PER_REQUEST');
  await ok('wait', 'table-exists', '--table-name', 'cli-music');
  for (const song of ['Call Me Today', 'Happy Day', 'Another Song']) {
    await ok('put-item', '--table-name', 'cli-music', '--item', JSON.stringify({ Artist: { S: 'Acme Band' }, Song: { S: song }, Plays: { N: '0' } }));
  }
  const got = await ok('get-item', '--table-name', 'cli-music', '--key', JSON.stringify({ Artist: { S: 'Acme Band' }, Song: { S: 'Happy Day' } }));
  assert.deepEqual(got.Item, { Artist: { S: 'Acme Band' }, Song: { S: 'Happy Day' }, Plays: { N: '0' } });
  const queried = await ok('query', '--table-name', 'cli-music', '--key-condition-expression', 'Artist = :a AND begins_with(Song, :s)',
    '--expression-attribute-values', JSON.stringify({ ':a': { S: 'Acme Band' }, ':s': { S: 'A' } }));
  assert.deepEqual(queried.Items.map((i: any) => i.Song.S), ['Another Song']);
  const updated = await ok('update-item', '--table-name', 'cli-music', '--key', JSON.stringify({ Artist: { S: 'Acme Band' }, Song: { S: 'Happy Day' } }),
    '--update-expression', 'ADD Plays :one', '--expression-attribute-values', JSON.stringify({ ':one': { N: '1' } }), '--return-values', 'UPDATED_NEW');
  assert.deepEqual(updated.Attributes, { Plays: { N: '1' } });
  // The CLI pages through the scan itself (one item a page here).
  const scanned = await ok('scan', '--table-name', 'cli-music', '--page-size', '1');
  assert.deepEqual(scanned.Items.map((i: any) => i.Song.S), ['Another Song', 'Call Me Today', 'Happy Day']);
  assert.equal(scanned.Count, 3);
  const failed = await aws('put-item', '--table-name', 'cli-music', '--item', JSON.stringify({ Artist: { S: 'Acme Band' }, Song: { S: 'Happy Day' } }),
    '--condition-expression', 'attribute_not_exists(Song)');
  assert.notEqual(failed.code, 0);
  assert.match(failed.stderr, /An error occurred \(ConditionalCheckFailedException\) when calling the PutItem operation(?: \(reached max retries: \d+\))?: The conditional request failed/);
  assert.equal((await ok('delete-table', '--table-name', 'cli-music')).TableDescription.TableStatus, 'DELETING');
  await ok('wait', 'table-not-exists', '--table-name', 'cli-music');
  const gone = await aws('describe-table', '--table-name', 'cli-music');
  assert.match(gone.stderr, /\(ResourceNotFoundException\) when calling the DescribeTable operation(?: \(reached max retries: \d+\))?: Requested resource not found: Table: cli-music not found/);
});
