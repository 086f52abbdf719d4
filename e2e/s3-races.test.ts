// S3 under concurrent writers, on SQLite and on PostgreSQL: PutObjects to one key leave one whole
// write (its body under its ETag), a DeleteBucket racing PutObjects leaves no object in a deleted
// bucket, and an AbortMultipartUpload racing UploadParts leaves no part behind.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { TestServer } from '../src/testing/fixture.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';
const md5 = (data: string) => createHash('md5').update(data).digest('hex');

let db: TestDatabase | undefined;
after(async () => {
  await db?.drop();
});

async function races(server: TestServer): Promise<void> {
  const s3 = (path: string, init: { method?: string; body?: string } = {}) =>
    fetch(`${server.url}${path}`, { method: init.method ?? 'GET', headers: { authorization: AUTH }, body: init.body });

  // Concurrent writers to one key, with readers among them: every read is one write, whole, under its own ETag.
  assert.equal((await s3('/race', { method: 'PUT' })).status, 200);
  const bodies = Array.from({ length: 24 }, (_, i) => `writer ${i} `.repeat(1000 + i));
  const reads: Promise<void>[] = [];
  await Promise.all(bodies.map(async (body, i) => {
    assert.equal((await s3('/race/one', { method: 'PUT', body })).status, 200);
    if (i % 3 === 0) {
      reads.push(s3('/race/one').then(async (res) => {
        const got = await res.text();
        assert.ok(bodies.includes(got), 'a whole write');
        assert.equal(res.headers.get('etag'), `"${md5(got)}"`, 'the ETag of the body served');
      }));
    }
  }));
  await Promise.all(reads);
  const last = await s3('/race/one');
  const text = await last.text();
  assert.equal(last.headers.get('etag'), `"${md5(text)}"`);

  // A NUL in a key (PostgreSQL's text cannot hold one) is answered the same on both stores.
  for (const path of ['/race/a%00b', '/race?list-type=2&prefix=%00', `/race?list-type=2&continuation-token=${Buffer.from('k:\0').toString('base64url')}`]) {
    const res = await s3(path, { method: path.includes('?') ? 'GET' : 'PUT', body: path.includes('?') ? undefined : 'x' });
    assert.equal(res.status, 400, `${path}: ${await res.text()}`);
  }
  const nulRef = await s3('/race?delete', { method: 'POST', body: '<Delete><Object><Key>a&#0;b</Key></Object></Delete>' });
  assert.equal(nulRef.status, 400);

  // DeleteBucket racing PutObjects: when the bucket is gone, no object of it is left.
  for (let round = 0; round < 8; round++) {
    const bucket = `gone-${round}`;
    assert.equal((await s3(`/${bucket}`, { method: 'PUT' })).status, 200);
    const puts = Array.from({ length: 6 }, (_, i) => s3(`/${bucket}/k${i}`, { method: 'PUT', body: `v${i}` }).then((r) => r.status));
    const deletion = s3(`/${bucket}`, { method: 'DELETE' }).then((r) => r.status);
    const [statuses, deleted] = [await Promise.all(puts), await deletion];
    for (const s of statuses) assert.ok(s === 200 || s === 404, `put answered ${s}`);
    assert.ok(deleted === 204 || deleted === 409, `delete answered ${deleted}`);
    if (deleted === 204) {
      assert.equal((await s3(`/${bucket}`, { method: 'PUT' })).status, 200);
      assert.doesNotMatch(await (await s3(`/${bucket}?list-type=2`)).text(), /<Key>/, `round ${round}: a recreated bucket starts empty`);
    }
  }

  // The same upload completed twice at once: each answer is the object or NoSuchUpload, and the object is whole.
  // (A completion that finds the parts taken by another finds the upload gone too: never InvalidPart.)
  for (let round = 0; round < 6; round++) {
    const twice = /<UploadId>([^<]+)<\/UploadId>/.exec(await (await s3('/race/twice?uploads', { method: 'POST' })).text())![1];
    const etag = (await s3(`/race/twice?uploadId=${twice}&partNumber=1`, { method: 'PUT', body: `only part ${round}` })).headers.get('etag');
    const doc = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
    const completions = await Promise.all([1, 2, 3].map(() => s3(`/race/twice?uploadId=${twice}`, { method: 'POST', body: doc }).then((r) => r.status)));
    assert.ok(completions.includes(200) && completions.every((st) => st === 200 || st === 404), `completions answered ${completions}`);
    assert.equal(await (await s3('/race/twice')).text(), `only part ${round}`);
  }

  // AbortMultipartUpload racing UploadParts: afterwards the upload and its parts are gone.
  const initiate = await (await s3('/race/mp?uploads', { method: 'POST' })).text();
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(initiate)![1];
  const parts = Array.from({ length: 6 }, (_, i) => s3(`/race/mp?uploadId=${uploadId}&partNumber=${i + 1}`, { method: 'PUT', body: `part ${i}` }).then((r) => r.status));
  const abort = s3(`/race/mp?uploadId=${uploadId}`, { method: 'DELETE' }).then((r) => r.status);
  for (const s of await Promise.all(parts)) assert.ok(s === 200 || s === 404, `part answered ${s}`);
  assert.equal(await abort, 204);
  const late = await s3(`/race/mp?uploadId=${uploadId}&partNumber=9`, { method: 'PUT', body: 'late' });
  assert.equal(late.status, 404);
  const complete = await s3(`/race/mp?uploadId=${uploadId}`, { method: 'POST', body: '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>' });
  assert.equal(complete.status, 404);
}

test('SQLite: concurrent writers, DeleteBucket racing PutObject, abort racing parts', async () => {
  const server = await TestServer.start();
  try {
    await races(server);
  } finally {
    await server.stop();
  }
});

test('PostgreSQL: concurrent writers, DeleteBucket racing PutObject, abort racing parts', async () => {
  db = await createTestDatabase();
  const server = await TestServer.start({ args: ['--database', db.url] });
  try {
    await races(server);
  } finally {
    await server.stop();
  }
});
