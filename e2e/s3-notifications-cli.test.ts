// S3 event notifications to Lambda through the AWS CLI v2: `aws lambda add-permission` for
// s3.amazonaws.com with the bucket as source, `aws s3api put/get-bucket-notification-configuration`,
// then `aws s3 cp` (one PUT, a multipart upload, a copy), `aws s3api` tagging and `aws s3 rm`
// each reach the function as S3's event, within the prefix filter; with the permission removed,
// the configuration is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';
import { testAccount } from '../src/testing/server.js';
import { createS3EventReceiver, functionArn, S3_PRINCIPAL, waitForS3Events } from '../src/testing/s3-event-receiver.js';

const env = useServer();
const dir = mkdtempSync(join(tmpdir(), 's3-notify-cli-'));
const cli = (...args: string[]) => awsCli(env.url, args[0] === 's3' && ['cp', 'rm'].includes(args[1]) ? [...args, '--only-show-errors'] : args, { cwd: dir });
const ok = async (...args: string[]) => {
  const r = await cli(...args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r;
};

test('aws s3 cp, copy, tagging and rm reach the function allowed with `aws lambda add-permission`; removing it refuses the configuration', { timeout: 180_000 }, async () => {
  const bucket = 'notify-cli';
  const fn = 's3-cli-receiver';
  await ok('s3', 'mb', `s3://${bucket}`);
  await createS3EventReceiver(env.lambda, fn, null);
  await ok('lambda', 'add-permission', '--function-name', fn, '--statement-id', 's3', '--action', 'lambda:InvokeFunction',
    '--principal', S3_PRINCIPAL, '--source-arn', `arn:aws:s3:::${bucket}`, '--source-account', testAccount);
  const configuration = {
    LambdaFunctionConfigurations: [{
      Id: 'uploads', LambdaFunctionArn: functionArn(fn), Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*', 's3:ObjectTagging:*'],
      Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'uploads/' }] } },
    }],
  };
  writeFileSync(join(dir, 'notification.json'), JSON.stringify(configuration));
  await ok('s3api', 'put-bucket-notification-configuration', '--bucket', bucket, '--notification-configuration', 'file://notification.json');
  assert.deepEqual((await ok('s3api', 'get-bucket-notification-configuration', '--bucket', bucket)).json(), configuration);

  const small = Buffer.from('small file\n');
  const big = randomBytes(9 * 1024 * 1024);
  writeFileSync(join(dir, 'small.txt'), small);
  writeFileSync(join(dir, 'big.bin'), big);
  await ok('s3', 'cp', 'small.txt', `s3://${bucket}/outside.txt`);
  await ok('s3', 'cp', 'small.txt', `s3://${bucket}/uploads/small file.txt`);
  await ok('s3', 'cp', 'big.bin', `s3://${bucket}/uploads/big.bin`);
  await ok('s3', 'cp', `s3://${bucket}/uploads/small file.txt`, `s3://${bucket}/uploads/copy.txt`);
  await ok('s3api', 'put-object-tagging', '--bucket', bucket, '--key', 'uploads/copy.txt', '--tagging', 'TagSet=[{Key=k,Value=v}]');
  await ok('s3api', 'delete-object-tagging', '--bucket', bucket, '--key', 'uploads/copy.txt');
  await ok('s3', 'rm', `s3://${bucket}/uploads/copy.txt`);

  const records = await waitForS3Events(env.logs, fn, 6);
  const smallTag = createHash('md5').update(small).digest('hex');
  const described = records.map((r) => JSON.stringify([r.eventName, r.s3.object.key, r.s3.object.size ?? null, r.s3.object.eTag?.replace(/^[0-9a-f]{32}-2$/, 'multipart') ?? null]));
  assert.deepEqual(described.sort(), [
    ['ObjectCreated:Put', 'uploads/small+file.txt', small.length, smallTag],
    ['ObjectCreated:CompleteMultipartUpload', 'uploads/big.bin', big.length, 'multipart'],
    ['ObjectCreated:Copy', 'uploads/copy.txt', small.length, smallTag],
    ['ObjectTagging:Put', 'uploads/copy.txt', null, smallTag],
    ['ObjectTagging:Delete', 'uploads/copy.txt', null, smallTag],
    ['ObjectRemoved:Delete', 'uploads/copy.txt', null, null],
  ].map((d) => JSON.stringify(d)).sort(), 'a multipart ETag of 2 parts (8 MiB parts)');
  assert.ok(records.every((r) => r.eventSource === 'aws:s3' && r.s3.configurationId === 'uploads' && r.s3.bucket.arn === `arn:aws:s3:::${bucket}`));

  await ok('lambda', 'remove-permission', '--function-name', fn, '--statement-id', 's3');
  const refused = await cli('s3api', 'put-bucket-notification-configuration', '--bucket', bucket, '--notification-configuration', 'file://notification.json');
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /An error occurred \(InvalidArgument\) when calling the PutBucketNotificationConfiguration operation(?: \(reached max retries: \d+\))?: Unable to validate the following destination configurations/);
});
