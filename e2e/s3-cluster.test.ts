// S3 in a cluster: two nodes on one PostgreSQL database. An object one node stores (its bytes go
// to the database) is read by the other, listed there, and becomes a function's code there.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { TestServer } from '../src/testing/fixture.js';
import { s3Client } from '../src/testing/aws.js';
import { makeZip } from '../src/testing/zip.js';
import { testFunctionRole } from '../src/testing/functions.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let db: TestDatabase | undefined;
after(async () => {
  await db?.drop();
});

test('two nodes on PostgreSQL share buckets and objects; Lambda on one reads code stored through the other', async () => {
  db = await createTestDatabase();
  const a = await TestServer.start({ args: ['--database', db.url] });
  const b = await TestServer.start({ args: ['--database', db.url] });
  try {
    const s3a = s3Client(a.url);
    const s3b = s3Client(b.url);
    await s3a.send(new CreateBucketCommand({ Bucket: 'shared' }));
    const data = randomBytes(300_000);
    await s3a.send(new PutObjectCommand({ Bucket: 'shared', Key: 'data.bin', Body: data }));
    const got = Buffer.from(await (await s3b.send(new GetObjectCommand({ Bucket: 'shared', Key: 'data.bin' }))).Body!.transformToByteArray());
    assert.ok(got.equals(data), 'the other node serves the bytes');

    await s3a.send(new PutObjectCommand({ Bucket: 'shared', Key: 'fn.zip', Body: await makeZip({ 'index.js': 'exports.handler = async () => "clustered";' }) }));
    assert.deepEqual((await s3b.send(new ListObjectsV2Command({ Bucket: 'shared' }))).Contents?.map((c) => c.Key), ['data.bin', 'fn.zip']);
    await b.lambda.send(new CreateFunctionCommand({ FunctionName: 'clustered', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: testFunctionRole, Code: { S3Bucket: 'shared', S3Key: 'fn.zip' } }));
    const out = await a.lambda.send(new InvokeCommand({ FunctionName: 'clustered' }));
    assert.equal(Buffer.from(out.Payload!).toString(), '"clustered"');
    await assert.rejects(s3b.send(new DeleteBucketCommand({ Bucket: 'shared' })), { name: 'BucketNotEmpty' });
    s3a.destroy();
    s3b.destroy();
  } finally {
    await a.stop();
    await b.stop();
  }
});
