// Bucket subresources as tools read them (the AWS CLI's s3api, as Terraform's aws_s3_bucket reads
// them on each refresh) for a bucket never configured; bucket tagging through the CLI and object
// tagging through @aws-sdk/client-s3, stored on SQLite and on PostgreSQL, with S3's limits and errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, CopyObjectCommand, GetObjectTaggingCommand, PutObjectTaggingCommand,
  DeleteObjectTaggingCommand, CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, GetObjectAclCommand, DeleteObjectCommand,
} from '@aws-sdk/client-s3';
import { TestServer } from '../src/testing/fixture.js';
import { awsCli, s3Client } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';

let db: TestDatabase | undefined;
after(async () => {
  await db?.drop();
});

/** The S3 error code the CLI printed (`An error occurred (Code) when calling …`). */
const errorCode = (stderr: string) => /An error occurred \(([^)]+)\)/.exec(stderr)?.[1];

async function unconfigured(url: string): Promise<void> {
  const cli = (...args: string[]) => awsCli(url, ['s3api', ...args]);
  assert.equal((await cli('create-bucket', '--bucket', 'conf')).code, 0);
  const eu = await cli('create-bucket', '--bucket', 'conf-eu', '--create-bucket-configuration', 'LocationConstraint=eu-west-1');
  assert.equal(eu.code, 0, eu.stderr);

  assert.equal((await cli('get-bucket-location', '--bucket', 'conf')).json().LocationConstraint, null, 'us-east-1: the empty constraint');
  assert.equal((await cli('get-bucket-location', '--bucket', 'conf-eu')).json().LocationConstraint, 'eu-west-1');

  const versioning = await cli('get-bucket-versioning', '--bucket', 'conf');
  assert.equal(versioning.code, 0, versioning.stderr);
  assert.equal(versioning.stdout.trim(), '', 'never versioned: no Status');
  const raw = await (await fetch(`${url}/conf?versioning`, { headers: { authorization: AUTH } })).text();
  assert.match(raw, /<VersioningConfiguration xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><\/VersioningConfiguration>$/);

  assert.deepEqual((await cli('get-bucket-encryption', '--bucket', 'conf')).json().ServerSideEncryptionConfiguration, {
    Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
  });
  const acl = (await cli('get-bucket-acl', '--bucket', 'conf')).json();
  assert.ok(acl.Owner.ID);
  assert.deepEqual(acl.Grants, [{ Grantee: { ID: acl.Owner.ID, DisplayName: acl.Owner.DisplayName, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }]);
  assert.deepEqual((await cli('get-public-access-block', '--bucket', 'conf')).json().PublicAccessBlockConfiguration, {
    BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true,
  });
  assert.deepEqual((await cli('get-bucket-ownership-controls', '--bucket', 'conf')).json().OwnershipControls, { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  assert.equal((await cli('get-bucket-request-payment', '--bucket', 'conf')).json().Payer, 'BucketOwner');
  for (const read of ['get-bucket-logging', 'get-bucket-accelerate-configuration', 'get-bucket-notification-configuration']) {
    const r = await cli(read, '--bucket', 'conf');
    assert.equal(r.code, 0, `${read}: ${r.stderr}`);
  }

  const missing: [string, string, string][] = [
    ['get-bucket-policy', 'NoSuchBucketPolicy', 'The bucket policy does not exist'],
    ['get-bucket-cors', 'NoSuchCORSConfiguration', 'The CORS configuration does not exist'],
    ['get-bucket-website', 'NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration'],
    ['get-bucket-lifecycle-configuration', 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist'],
    ['get-bucket-replication', 'ReplicationConfigurationNotFoundError', 'The replication configuration was not found'],
    ['get-object-lock-configuration', 'ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket'],
    ['get-bucket-tagging', 'NoSuchTagSet', 'The TagSet does not exist'],
  ];
  for (const [read, code, message] of missing) {
    const r = await cli(read, '--bucket', 'conf');
    assert.notEqual(r.code, 0, read);
    assert.equal(errorCode(r.stderr), code, `${read}: ${r.stderr}`);
    assert.ok(r.stderr.includes(message), `${read}: ${r.stderr}`);
  }
  const policy = await fetch(`${url}/conf?policy`, { headers: { authorization: AUTH } });
  assert.equal(policy.status, 404);
  assert.match(await policy.text(), /<Code>NoSuchBucketPolicy<\/Code><Message>The bucket policy does not exist<\/Message><BucketName>conf<\/BucketName>/);

  for (const read of ['get-bucket-versioning', 'get-bucket-location', 'get-bucket-acl', 'get-bucket-tagging', 'get-bucket-policy']) {
    assert.equal(errorCode((await cli(read, '--bucket', 'no-such-bucket')).stderr), 'NoSuchBucket', read);
  }
}

async function bucketTagging(url: string): Promise<void> {
  const cli = (...args: string[]) => awsCli(url, ['s3api', ...args]);
  const put = await cli('put-bucket-tagging', '--bucket', 'conf', '--tagging', 'TagSet=[{Key=env,Value=dev},{Key=team name,Value=a b+c=d@e:/.}]');
  assert.equal(put.code, 0, put.stderr);
  assert.deepEqual((await cli('get-bucket-tagging', '--bucket', 'conf')).json().TagSet, [{ Key: 'env', Value: 'dev' }, { Key: 'team name', Value: 'a b+c=d@e:/.' }]);
  // Replaced whole.
  const only = await cli('put-bucket-tagging', '--bucket', 'conf', '--tagging', '{"TagSet":[{"Key":"only","Value":""}]}');
  assert.equal(only.code, 0, only.stderr);
  assert.deepEqual((await cli('get-bucket-tagging', '--bucket', 'conf')).json().TagSet, [{ Key: 'only', Value: '' }]);

  const refused = async (tagging: string, code: string, message: string) => {
    const r = await cli('put-bucket-tagging', '--bucket', 'conf', '--tagging', tagging);
    assert.equal(errorCode(r.stderr), code, r.stderr);
    assert.ok(r.stderr.includes(message), r.stderr);
  };
  await refused('TagSet=[{Key=aws:cloudformation:stack-name,Value=x}]', 'InvalidTag', 'System tags cannot be added/updated by requester');
  await refused('TagSet=[{Key=k,Value=1},{Key=k,Value=2}]', 'InvalidTag', 'Cannot provide multiple Tags with the same key');
  await refused(`TagSet=[{Key=${'k'.repeat(129)},Value=1}]`, 'InvalidTag', 'The TagKey you have provided is too long, max 128');
  await refused(`TagSet=[{Key=k,Value=${'v'.repeat(257)}}]`, 'InvalidTag', 'The TagValue you have provided is too long, max 256');
  await refused('TagSet=[{Key=k*,Value=1}]', 'InvalidTag', 'The TagKey you have provided is invalid');
  await refused(`TagSet=[${Array.from({ length: 51 }, (_, i) => `{Key=k${i},Value=v}`).join(',')}]`, 'BadRequest', 'Bucket tag count cannot be greater than 50');
  assert.deepEqual((await cli('get-bucket-tagging', '--bucket', 'conf')).json().TagSet, [{ Key: 'only', Value: '' }], 'a refused set changes nothing');
  const fifty = await cli('put-bucket-tagging', '--bucket', 'conf', '--tagging', `TagSet=[${Array.from({ length: 50 }, (_, i) => `{Key=k${i},Value=v}`).join(',')}]`);
  assert.equal(fifty.code, 0, fifty.stderr);

  assert.equal((await cli('delete-bucket-tagging', '--bucket', 'conf')).code, 0);
  assert.equal(errorCode((await cli('get-bucket-tagging', '--bucket', 'conf')).stderr), 'NoSuchTagSet');
  assert.equal(errorCode((await cli('put-bucket-tagging', '--bucket', 'no-such-bucket', '--tagging', 'TagSet=[{Key=a,Value=b}]')).stderr), 'NoSuchBucket');

  // A bucket deleted and created again starts without tags.
  assert.equal((await cli('put-bucket-tagging', '--bucket', 'conf-eu', '--tagging', 'TagSet=[{Key=a,Value=b}]')).code, 0);
  assert.equal((await cli('delete-bucket', '--bucket', 'conf-eu')).code, 0);
  assert.equal((await cli('create-bucket', '--bucket', 'conf-eu', '--create-bucket-configuration', 'LocationConstraint=eu-west-1')).code, 0);
  assert.equal(errorCode((await cli('get-bucket-tagging', '--bucket', 'conf-eu')).stderr), 'NoSuchTagSet');
}

async function objectTagging(s3: S3Client, url: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: 'tags' }));
  await s3.send(new PutObjectCommand({ Bucket: 'tags', Key: 'code.zip', Body: 'zip', Tagging: 'stage=dev&note=two%20words' }));
  const tagSet = async (Key: string) => (await s3.send(new GetObjectTaggingCommand({ Bucket: 'tags', Key }))).TagSet;
  assert.deepEqual(await tagSet('code.zip'), [{ Key: 'stage', Value: 'dev' }, { Key: 'note', Value: 'two words' }]);
  assert.equal((await s3.send(new GetObjectCommand({ Bucket: 'tags', Key: 'code.zip' }))).TagCount, 2);
  const head = await fetch(`${url}/tags/code.zip`, { method: 'HEAD', headers: { authorization: AUTH } });
  assert.equal(head.headers.get('x-amz-tagging-count'), '2', 'HeadObject too (botocore models its TagCount)');

  await s3.send(new PutObjectTaggingCommand({ Bucket: 'tags', Key: 'code.zip', Tagging: { TagSet: [{ Key: 'replaced', Value: 'yes' }] } }));
  assert.deepEqual(await tagSet('code.zip'), [{ Key: 'replaced', Value: 'yes' }]);

  await s3.send(new CopyObjectCommand({ Bucket: 'tags', Key: 'copied.zip', CopySource: 'tags/code.zip' }));
  assert.deepEqual(await tagSet('copied.zip'), [{ Key: 'replaced', Value: 'yes' }], 'copied by default');
  await s3.send(new CopyObjectCommand({ Bucket: 'tags', Key: 'copied.zip', CopySource: 'tags/code.zip', TaggingDirective: 'REPLACE', Tagging: 'c=3' }));
  assert.deepEqual(await tagSet('copied.zip'), [{ Key: 'c', Value: '3' }]);

  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'tags', Key: 'multi.zip', Tagging: 'from=upload' }));
  const part = await s3.send(new UploadPartCommand({ Bucket: 'tags', Key: 'multi.zip', UploadId, PartNumber: 1, Body: 'only part' }));
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'tags', Key: 'multi.zip', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
  assert.deepEqual(await tagSet('multi.zip'), [{ Key: 'from', Value: 'upload' }]);

  await s3.send(new DeleteObjectTaggingCommand({ Bucket: 'tags', Key: 'code.zip' }));
  assert.deepEqual(await tagSet('code.zip') ?? [], [], 'no tags: an empty TagSet, not an error');
  assert.equal((await s3.send(new GetObjectCommand({ Bucket: 'tags', Key: 'code.zip' }))).TagCount, undefined);
  await s3.send(new PutObjectCommand({ Bucket: 'tags', Key: 'copied.zip', Body: 'again' }));
  assert.deepEqual(await tagSet('copied.zip') ?? [], [], 'a new write without tags has none');

  const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  await expectAwsError(s3.send(new PutObjectTaggingCommand({ Bucket: 'tags', Key: 'code.zip', Tagging: { TagSet: eleven } })), 'BadRequest', 'Object tags cannot be greater than 10', 400);
  await expectAwsError(s3.send(new PutObjectTaggingCommand({ Bucket: 'tags', Key: 'code.zip', Tagging: { TagSet: [{ Key: 'aws:x', Value: 'v' }] } })),
    'InvalidTag', 'Your TagKey cannot be prefixed with aws:', 400);
  await expectAwsError(s3.send(new PutObjectCommand({ Bucket: 'tags', Key: 'dup', Body: 'x', Tagging: 'a=1&a=2' })), 'InvalidArgument',
    "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.", 400);
  await expectAwsError(s3.send(new GetObjectTaggingCommand({ Bucket: 'tags', Key: 'missing' })), 'NoSuchKey', undefined, 404);
  await expectAwsError(s3.send(new PutObjectTaggingCommand({ Bucket: 'tags', Key: 'missing', Tagging: { TagSet: [] } })), 'NoSuchKey', undefined, 404);
  await expectAwsError(s3.send(new GetObjectTaggingCommand({ Bucket: 'no-such-bucket', Key: 'x' })), 'NoSuchBucket', undefined, 404);

  const acl = await s3.send(new GetObjectAclCommand({ Bucket: 'tags', Key: 'code.zip' }));
  assert.equal(acl.Grants?.[0]?.Permission, 'FULL_CONTROL');
  await s3.send(new DeleteObjectCommand({ Bucket: 'tags', Key: 'code.zip' }));
  await s3.send(new PutObjectCommand({ Bucket: 'tags', Key: 'code.zip', Body: 'zip' }));
  assert.deepEqual(await tagSet('code.zip') ?? [], [], 'deleted with its object');
}

async function suite(server: TestServer): Promise<void> {
  try {
    await unconfigured(server.url);
    await bucketTagging(server.url);
    await objectTagging(s3Client(server.url), server.url);
  } finally {
    await server.stop();
  }
}

test('SQLite: bucket configurations read, bucket and object tagging', { timeout: 120_000 }, async () => {
  await suite(await TestServer.start());
});

test('PostgreSQL: bucket configurations read, bucket and object tagging', { timeout: 120_000 }, async () => {
  db = await createTestDatabase();
  await suite(await TestServer.start({ args: ['--database', db.url] }));
});
