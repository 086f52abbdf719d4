// `stagecraft deploy` with code in S3: SAM's `CodeUri: s3://bucket/key`, a layer's
// `ContentUri: {Bucket, Key}`, and CloudFormation's AWS::Lambda::Function `Code: {S3Bucket, S3Key}`
// are handed to Lambda as S3Bucket/S3Key; a second deploy of unchanged objects changes nothing, a
// new object under the same key updates the code, and a missing object fails before anything changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { s3Client } from '../src/testing/aws.js';
import { makeZip } from '../src/testing/zip.js';
import { runCli, writeProject } from '../src/cli/testing.js';

const env = useServer();
const deploy = (dir: string) => runCli(['deploy'], { cwd: dir, endpoint: env.url });

const SAM = `Transform: AWS::Serverless-2016-10-31
Resources:
  Greet:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: s3-greet
      ContentUri: { Bucket: artifacts, Key: layers/greet.zip }
      CompatibleRuntimes: [nodejs20.x]
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: s3-hello
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: s3://artifacts/functions/hello.zip
      Layers: [!Ref Greet]
`;

const CFN = `Resources:
  Plain:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: s3-plain
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::000000000000:role/lambda-role
      Code: { S3Bucket: artifacts, S3Key: functions/plain.zip }
`;

async function invoke(name: string): Promise<unknown> {
  return JSON.parse(Buffer.from((await env.lambda.send(new InvokeCommand({ FunctionName: name }))).Payload!).toString());
}

test('SAM CodeUri s3:// and ContentUri {Bucket, Key}: Lambda reads the objects; unchanged objects deploy nothing, a new one updates', async () => {
  const s3 = s3Client(env.url);
  await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'layers/greet.zip', Body: await makeZip({ 'nodejs/node_modules/greet/index.js': 'module.exports = (n) => "hello " + n;' }) }));
  const handler = (who: string) => makeZip({ 'index.js': `exports.handler = async () => require("greet")(${JSON.stringify(who)});` });
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'functions/hello.zip', Body: await handler('s3') }));
  const dir = writeProject({ 'template.yaml': SAM });
  let run = await deploy(dir);
  assert.equal(run.code, 0, run.output);
  assert.equal(await invoke('s3-hello'), 'hello s3');

  run = await deploy(dir);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /function s3-hello \(code sha256 [0-9a-f]{12}\)/, 'unchanged');
  assert.doesNotMatch(run.output, /updated/);

  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'functions/hello.zip', Body: await handler('again') }));
  run = await deploy(dir);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /code of s3-hello \(sha256 [0-9a-f]{12} → [0-9a-f]{12}, from s3:\/\/artifacts\/functions\/hello\.zip\)/);
  assert.equal(await invoke('s3-hello'), 'hello again');
});

test('CloudFormation AWS::Lambda::Function Code {S3Bucket, S3Key}; a missing object fails the deploy before anything changes', async () => {
  const s3 = s3Client(env.url);
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'functions/plain.zip', Body: await makeZip({ 'index.js': 'exports.handler = async () => "plain";' }) }));
  let run = await deploy(writeProject({ 'template.yaml': CFN }));
  assert.equal(run.code, 0, run.output);
  assert.equal(await invoke('s3-plain'), 'plain');

  run = await deploy(writeProject({ 'template.yaml': CFN.replace('s3-plain', 's3-missing').replace('functions/plain.zip', 'functions/missing.zip') }));
  assert.equal(run.code, 1, run.output);
  assert.match(run.stderr, /template\.yaml:9:13 \(Resources\.Plain\.Properties\.Code\): s3:\/\/artifacts\/functions\/missing\.zip can't be read from S3: NoSuchKey: The specified key does not exist\. Nothing was deployed/);
  assert.match(run.stderr, /Nothing was deployed/);
});
