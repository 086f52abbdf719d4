// Lambda code from S3: `aws s3 cp` a zip, then `aws lambda create-function --code S3Bucket=…,S3Key=…`;
// UpdateFunctionCode and PublishLayerVersion from S3 through the SDK; Lambda's errors for a
// missing bucket, key or object version, and the zip checks as for ZipFile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand, PublishLayerVersionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { awsCli, s3Client } from '../src/testing/aws.js';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testFunctionRole } from '../src/testing/functions.js';

const env = useServer();
const dirs = useTempDirs();
const handler = (text: string) => `exports.handler = async () => ${JSON.stringify(text)};\n`;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('base64');

async function invoke(name: string): Promise<unknown> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name }));
  return JSON.parse(Buffer.from(out.Payload!).toString());
}

test('aws s3 cp a zip, then aws lambda create-function --code S3Bucket=…,S3Key=… runs it', async () => {
  const dir = dirs.make('s3-code-');
  const cli = (...args: string[]) => awsCli(env.url, args, { cwd: dir });
  const zip = await makeZip({ 'index.js': handler('from s3') });
  writeFileSync(join(dir, 'function.zip'), zip);
  assert.equal((await cli('s3', 'mb', 's3://artifacts')).code, 0);
  assert.equal((await cli('s3', 'cp', 'function.zip', 's3://artifacts/function.zip', '--only-show-errors')).code, 0);
  const created = await cli('lambda', 'create-function', '--function-name', 'from-s3', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
    '--role', testFunctionRole, '--code', 'S3Bucket=artifacts,S3Key=function.zip');
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.json().CodeSha256, sha256(zip));
  assert.equal(created.json().CodeSize, zip.length);
  assert.equal(await invoke('from-s3'), 'from s3');
  const got = await env.lambda.send(new GetFunctionCommand({ FunctionName: 'from-s3' }));
  assert.match(got.Code!.Location!, /\/_stagecraft\/code\/[0-9a-f]{64}\.zip$/, "GetFunction's Location stays this server's download URL");
});

test('UpdateFunctionCode and PublishLayerVersion read S3 too', async () => {
  const s3 = s3Client(env.url);
  const v2 = await makeZip({ 'index.js': handler('version 2') });
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'builds/v2.zip', Body: v2 }));
  const updated = await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'from-s3', S3Bucket: 'artifacts', S3Key: 'builds/v2.zip', S3ObjectVersion: 'null' }));
  assert.equal(updated.CodeSha256, sha256(v2));
  assert.equal(await invoke('from-s3'), 'version 2');

  const layerZip = await makeZip({ 'nodejs/node_modules/greeting/index.js': 'module.exports = "hi from a layer";' });
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'layer.zip', Body: layerZip }));
  const layer = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'greeting', Content: { S3Bucket: 'artifacts', S3Key: 'layer.zip' }, CompatibleRuntimes: ['nodejs20.x'] }));
  assert.equal(layer.Content?.CodeSha256, sha256(layerZip));
  const fnZip = await makeZip({ 'index.js': 'exports.handler = async () => require("greeting");' });
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'uses-layer.zip', Body: fnZip }));
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: 'uses-layer', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: testFunctionRole, Code: { S3Bucket: 'artifacts', S3Key: 'uses-layer.zip' }, Layers: [layer.LayerVersionArn!],
  }));
  assert.equal(await invoke('uses-layer'), 'hi from a layer');
});

test("Lambda's errors for S3 code: a missing bucket, key or version, and a bad zip", async () => {
  const create = (Code: { S3Bucket: string; S3Key: string; S3ObjectVersion?: string }) =>
    env.lambda.send(new CreateFunctionCommand({ FunctionName: 'broken', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: testFunctionRole, Code }));
  await expectAwsError(create({ S3Bucket: 'artifacts', S3Key: 'missing.zip' }), 'InvalidParameterValueException',
    'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.', 400);
  await expectAwsError(create({ S3Bucket: 'no-such-bucket', S3Key: 'function.zip' }), 'InvalidParameterValueException',
    'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist', 400);
  await expectAwsError(create({ S3Bucket: 'artifacts', S3Key: 'function.zip', S3ObjectVersion: '3HL4kqtJlcpXroDTDmJ' }), 'InvalidParameterValueException',
    'Error occurred while GetObject. S3 Error Code: NoSuchVersion. S3 Error Message: The specified version does not exist.', 400);
  const s3 = s3Client(env.url);
  await s3.send(new CreateBucketCommand({ Bucket: 'other' }));
  await s3.send(new PutObjectCommand({ Bucket: 'other', Key: 'not-a.zip', Body: 'plain text' }));
  await expectAwsError(create({ S3Bucket: 'other', S3Key: 'not-a.zip' }), 'InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.', 400);
  await expectAwsError(env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'from-s3', S3Bucket: 'artifacts', S3Key: 'nope.zip' })), 'InvalidParameterValueException',
    'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.', 400);
  assert.equal(await invoke('from-s3'), 'version 2', 'a failed update changes nothing');
});
