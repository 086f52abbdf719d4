import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseS3ObjectUrl } from './object-url.js';

test('S3 object URLs in every style name their bucket and key', () => {
  const want = { bucket: 'my-bucket', key: 'dir/template v1.yaml' };
  for (const url of [
    's3://my-bucket/dir/template v1.yaml',
    'https://my-bucket.s3.amazonaws.com/dir/template%20v1.yaml',
    'https://my-bucket.s3.eu-west-1.amazonaws.com/dir/template%20v1.yaml',
    'https://my-bucket.s3-eu-west-1.amazonaws.com/dir/template%20v1.yaml',
    'https://s3.amazonaws.com/my-bucket/dir/template%20v1.yaml',
    'https://s3.eu-west-1.amazonaws.com/my-bucket/dir/template%20v1.yaml',
    'http://localhost:4566/my-bucket/dir/template%20v1.yaml',
    'http://my-bucket.s3.localhost:4566/dir/template%20v1.yaml',
  ]) assert.deepEqual(parseS3ObjectUrl(url), want, url);
  for (const url of ['not a url', 'https://example.com/only-bucket', 's3://bucket', 'ftp://host/b/k', 'https://my-bucket.s3.amazonaws.com/']) {
    assert.equal(parseS3ObjectUrl(url), undefined, url);
  }
});
