// S3 with boto3 (e2e/python/s3_objects.py): put/get with metadata, upload_file and download_file
// of 12 MB (multipart: boto3's threshold is 8 MB), listing with a delimiter, and S3's errors;
// (s3_multipart_listing.py) the list_parts and list_multipart_uploads paginators, bucket tagging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../src/testing/fixture.js';
import { boto3Skip, runBoto3Script } from '../src/testing/boto3.js';

const env = useServer();

test('boto3: objects up and down (multipart), metadata, listing, errors', { skip: boto3Skip, timeout: 90_000 }, async () => {
  const r = await runBoto3Script(env.url, 's3_objects.py');
  assert.equal(r.code, 0, `s3_objects.py failed:\n${r.stderr}\n${r.stdout}`);
  assert.deepEqual(r.report(), { size: 12 * 1024 * 1024, multipart: true, keys: ['hello.txt'], prefixes: ['big/'] });
});

test('boto3: list_parts and list_multipart_uploads paginators, bucket versioning, location and tagging', { skip: boto3Skip, timeout: 90_000 }, async () => {
  const r = await runBoto3Script(env.url, 's3_multipart_listing.py');
  assert.equal(r.code, 0, `s3_multipart_listing.py failed:\n${r.stderr}\n${r.stdout}`);
  assert.deepEqual(r.report(), {
    parts: [[[1, 1], [2, 2]], [[3, 3]]],
    uploads: ['top.bin'],
    prefixes: ['big/'],
    every: ['big/a.bin', 'big/b.bin', 'top.bin'],
    tags: [{ Key: 'team', Value: 'core' }],
    versioning: null,
    location: null,
  });
});
