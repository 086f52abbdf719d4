// S3 with boto3 (e2e/python/s3_objects.py): put/get with metadata, upload_file and download_file
// of 12 MB (multipart: boto3's threshold is 8 MB), listing with a delimiter, and S3's errors.
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
