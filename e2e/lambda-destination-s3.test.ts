// Lambda OnFailure destinations in an S3 bucket through SDK v3: the record of an event that failed
// every attempt is written as an object under AWS's key,
// aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<UUID>, its body the invocation record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { useServer } from '../src/testing/fixture.js';
import { s3Client } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { waitFor } from '../src/testing/wait.js';

const env = useServer({ args: ['--async-retry-delays', '100,100'] });
let s3: S3Client;
env.setup(() => {
  s3 = s3Client(env.url);
});

const FAILS = 'exports.handler = async () => { throw new Error("intentional failure"); };';

test('OnFailure to an S3 bucket: the record is an object under aws/lambda/async/<function>/…', { timeout: 90_000 }, async () => {
  await s3.send(new CreateBucketCommand({ Bucket: 'failure-records' }));
  await createNodeFunction(env.lambda, 'to-bucket', FAILS);
  await env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'to-bucket', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failure-records' } } }));
  const before = new Date();
  const invoked = await env.lambda.send(new InvokeCommand({ FunctionName: 'to-bucket', InvocationType: 'Event', Payload: Buffer.from('{"tag":"s3"}') }));
  const key = await waitFor('the failure record in the bucket', async () => {
    const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: 'failure-records', Prefix: 'aws/lambda/async/to-bucket/' }));
    return Contents?.[0]?.Key;
  }, 60_000);
  const m = /^aws\/lambda\/async\/to-bucket\/(\d{4})\/(\d\d)\/(\d\d)\/(\d{4})-(\d\d)-(\d\d)T(\d\d)\.(\d\d)\.(\d\d)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.exec(key);
  assert.ok(m, key);
  assert.deepEqual([m[1], m[2], m[3]], [m[4], m[5], m[6]], 'the folders are the date of the name');
  const written = new Date(`${m[4]}-${m[5]}-${m[6]}T${m[7]}:${m[8]}:${m[9]}Z`);
  assert.ok(written.getTime() >= Math.floor(before.getTime() / 1000) * 1000, 'named by the time of the record (UTC)');
  const object = await s3.send(new GetObjectCommand({ Bucket: 'failure-records', Key: key }));
  const record = JSON.parse(await object.Body!.transformToString());
  assert.deepEqual(Object.keys(record), ['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
  assert.deepEqual(record.requestContext, {
    requestId: invoked.$metadata.requestId, functionArn: `arn:aws:lambda:${testRegion}:${testAccount}:function:to-bucket:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 2,
  });
  assert.deepEqual(record.requestPayload, { tag: 's3' });
  assert.equal(record.responseContext.functionError, 'Unhandled');
  assert.equal(record.responsePayload.errorMessage, 'intentional failure');
});
