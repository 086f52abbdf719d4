// DynamoDB through boto3 (e2e/python/dynamodb_table_resource.py): the client and the Table
// resource, waiters, batch_writer, query paging with Key/Attr conditions, a cancelled transaction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boto3Skip, runBoto3Script } from '../src/testing/boto3.js';
import { useServer } from '../src/testing/fixture.js';

const server = useServer();

test('boto3 creates a table, writes in batches, queries page by page, and sees AWS\'s errors', { skip: boto3Skip, timeout: 90_000 }, async () => {
  const r = await runBoto3Script(server.url, 'dynamodb_table_resource.py');
  assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
  assert.deepEqual(r.report(), { pages: 5, count: 25 });
});
