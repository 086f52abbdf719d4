// Blob collection in a cluster: code_blobs rows nothing references leave the shared database after
// the grace, and each node's data-dir cache loses them too; referenced code stays on every node
// and runs; code uploaded again after its row went is stored again and runs on the other node.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { DeleteFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { TestServer } from '../src/testing/fixture.js';
import { s3Client } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';
import { waitFor } from '../src/testing/wait.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

const hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

test('two nodes: unreferenced rows and cached copies go; referenced code stays and runs on both', async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url, '--blob-collection', '1500,300'] });
  const [a, b] = [await start(), await start()];
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const s3 = s3Client(a.url);
  const rows = async (hashes: string[]) => (await db.query<{ hash: string }>('SELECT hash FROM code_blobs WHERE hash = ANY($1)', [hashes])).rows.map((r) => r.hash).sort();
  const cached = (node: TestServer, h: string) => existsSync(join(node.server.dataDir, 'code', 'zips', `${h}.zip`)) || existsSync(join(node.server.dataDir, 'code', 'trees', h));
  const invoke = async (node: TestServer, name: string) => {
    const r = await node.lambda.send(new InvokeCommand({ FunctionName: name }));
    assert.equal(r.FunctionError, undefined, Buffer.from(r.Payload!).toString());
    return JSON.parse(Buffer.from(r.Payload!).toString()) as unknown;
  };
  try {
    const goneZip = await makeZip({ 'index.js': 'exports.handler = async () => "gone";' });
    const keptZip = await makeZip({ 'index.js': 'exports.handler = async () => "kept";' });
    await createNodeFunction(a.lambda, 'cgc-gone', goneZip);
    await createNodeFunction(a.lambda, 'cgc-kept', keptZip);
    // Node B runs both, so its data dir caches both.
    assert.equal(await invoke(b, 'cgc-gone'), 'gone');
    assert.equal(await invoke(b, 'cgc-kept'), 'kept');
    await s3.send(new CreateBucketCommand({ Bucket: 'cgc-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'cgc-bucket', Key: 'deleted', Body: 'deleted in a cluster' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'cgc-bucket', Key: 'deleted' }));
    await a.lambda.send(new DeleteFunctionCommand({ FunctionName: 'cgc-gone' }));
    const [gone, kept, object] = [hex(goneZip), hex(keptZip), hex('deleted in a cluster')];
    assert.deepEqual(await rows([gone, kept, object]), [gone, kept, object].sort());

    await waitFor('unreferenced rows deleted', async () => ((await rows([gone, object])).length === 0 ? true : undefined), 15_000);
    await waitFor('both caches emptied of them', () => (![a, b].some((n) => cached(n, gone) || cached(n, object)) ? true : undefined), 15_000);
    assert.deepEqual(await rows([kept]), [kept]);
    assert.ok(cached(b, kept), 'node B keeps the code it runs');
    assert.equal(await invoke(b, 'cgc-kept'), 'kept');
    assert.equal(await invoke(a, 'cgc-kept'), 'kept');

    // The same code uploaded again on B: its row is written again, and A (whose cache lost it) runs it.
    await createNodeFunction(b.lambda, 'cgc-back', goneZip);
    assert.deepEqual(await rows([gone]), [gone]);
    assert.equal(await invoke(a, 'cgc-back'), 'gone');
  } finally {
    s3.destroy();
    await db.end();
    await a.stop();
    await b.stop();
  }
});
