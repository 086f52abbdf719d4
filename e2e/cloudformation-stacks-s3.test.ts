// Server-side CloudFormation stacks with S3: function code uploaded to this server's S3 (as `aws
// cloudformation package` would upload it: the AWS CLI here, 2.9, cannot point package's S3 client at
// a custom endpoint, so the tests upload the zips themselves and write the s3:// locations into the
// templates) is deployed by `aws cloudformation deploy` (SAM CodeUri with an API) and by CreateStack
// (AWS::Lambda::Function Code {S3Bucket, S3Key}); new code under a new key updates the stack.
// TemplateURL reads templates from this server's S3, with CloudFormation's refusals and limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CloudFormationClient, CreateChangeSetCommand, GetTemplateSummaryCommand, ValidateTemplateCommand, waitUntilChangeSetCreateComplete,
} from '@aws-sdk/client-cloudformation';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, s3Client } from '../src/testing/aws.js';
import { testCredentials, testRegion } from '../src/testing/server.js';
import { makeZip } from '../src/testing/zip.js';
import { invokePath } from '../src/execute-api/testing.js';
import { HELLO_TEMPLATE } from '../src/testing/cloudformation-templates.js';

const server = useServer();
const BUCKET = 'cfn-artifacts';

const handlerZip = (answer: string) => makeZip({ 'index.js': `exports.handler = async () => ({ statusCode: 200, body: ${JSON.stringify(answer)} });` });

async function upload(key: string, body: Buffer | string): Promise<void> {
  const s3 = s3Client(server.url);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

function templateFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-cfn-s3-'));
  writeFileSync(join(dir, 'template.yaml'), text);
  return join(dir, 'template.yaml');
}

/** SAM's function on GET /hello of its implicit API, its code in S3 (what `package` would write). */
const samTemplate = (key: string) => HELLO_TEMPLATE.replace(/InlineCode: \|\n.*\n/, `CodeUri: s3://${BUCKET}/${key}\n`);

const plainTemplate = (key: string) => `Resources:
  Plain:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: cfn-s3-plain
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::000000000000:role/lambda-role
      Code: { S3Bucket: ${BUCKET}, S3Key: ${key} }
`;

async function invokeBody(name: string): Promise<string> {
  const out = await server.lambda.send(new InvokeCommand({ FunctionName: name }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return JSON.parse(Buffer.from(out.Payload!).toString()).body;
}

const stackOf = async (name: string) => (await awsCli(server.url, ['cloudformation', 'describe-stacks', '--stack-name', name])).json().Stacks[0];

test('aws cloudformation deploy: SAM CodeUri s3:// with an API; new code under a new key updates the stack', { timeout: 240_000 }, async () => {
  await upload('sam/v1.zip', await handlerZip('sam v1'));
  const deploy = (key: string) => awsCli(server.url, ['cloudformation', 'deploy', '--template-file', templateFile(samTemplate(key)), '--stack-name', 'sams3', '--capabilities', 'CAPABILITY_IAM']);
  assert.match(samTemplate('sam/v1.zip'), /CodeUri: s3:\/\/cfn-artifacts\/sam\/v1\.zip\n/);
  const created = await deploy('sam/v1.zip');
  assert.equal(created.code, 0, created.stderr);
  const apiId = (await stackOf('sams3')).Outputs.find((o: { OutputKey: string }) => o.OutputKey === 'ApiId').OutputValue;
  assert.equal((await invokePath(server.url, apiId, 'Prod', '/hello')).body.toString(), 'sam v1');

  await upload('sam/v2.zip', await handlerZip('sam v2'));
  const updated = await deploy('sam/v2.zip');
  assert.equal(updated.code, 0, updated.stderr);
  assert.equal((await stackOf('sams3')).StackStatus, 'UPDATE_COMPLETE');
  assert.equal((await invokePath(server.url, apiId, 'Prod', '/hello')).body.toString(), 'sam v2');
});

test('create-stack and update-stack --template-url (this server path style, AWS virtual-host style) with Code {S3Bucket, S3Key}', { timeout: 240_000 }, async () => {
  await upload('plain/v1.zip', await handlerZip('plain v1'));
  await upload('templates/plain-v1.yaml', plainTemplate('plain/v1.zip'));
  const created = await awsCli(server.url, ['cloudformation', 'create-stack', '--stack-name', 'plains3', '--template-url', `${server.url}/${BUCKET}/templates/plain-v1.yaml`]);
  assert.equal(created.code, 0, created.stderr);
  const waited = await awsCli(server.url, ['cloudformation', 'wait', 'stack-create-complete', '--stack-name', 'plains3']);
  assert.equal(waited.code, 0, waited.stderr);
  assert.equal(await invokeBody('cfn-s3-plain'), 'plain v1');
  const got = await awsCli(server.url, ['cloudformation', 'get-template', '--stack-name', 'plains3']);
  assert.equal(got.json().TemplateBody, plainTemplate('plain/v1.zip'));

  await upload('plain/v2.zip', await handlerZip('plain v2'));
  await upload('templates/plain-v2.yaml', plainTemplate('plain/v2.zip'));
  const updated = await awsCli(server.url, ['cloudformation', 'update-stack', '--stack-name', 'plains3', '--template-url', `https://${BUCKET}.s3.amazonaws.com/templates/plain-v2.yaml`]);
  assert.equal(updated.code, 0, updated.stderr);
  const updateWaited = await awsCli(server.url, ['cloudformation', 'wait', 'stack-update-complete', '--stack-name', 'plains3']);
  assert.equal(updateWaited.code, 0, updateWaited.stderr);
  assert.equal(await invokeBody('cfn-s3-plain'), 'plain v2');

  // AWS's path style (s3.{region}.amazonaws.com/{bucket}/{key}) reads the same object; unchanged, nothing to do.
  const again = await awsCli(server.url, ['cloudformation', 'update-stack', '--stack-name', 'plains3', '--template-url', `https://s3.us-east-1.amazonaws.com/${BUCKET}/templates/plain-v2.yaml`]);
  assert.equal(again.code, 254);
  assert.match(again.stderr, /ValidationError.*No updates are to be performed\./);
});

test('TemplateURL refusals as CloudFormation words them: not S3, s3:// URIs, missing bucket or key', { timeout: 120_000 }, async () => {
  await upload('templates/exists.yaml', plainTemplate('plain/none.zip'));
  const create = (url: string) => awsCli(server.url, ['cloudformation', 'create-stack', '--stack-name', 'refused', '--template-url', url]);
  const cases: [string, RegExp][] = [
    ['https://example.com/templates/exists.yaml', /ValidationError.*: TemplateURL must be a supported URL\.$/m],
    [`https://example.com/${BUCKET}/templates/exists.yaml`, /ValidationError.*: TemplateURL must be a supported URL\.$/m],
    [`s3://${BUCKET}/templates/exists.yaml`, new RegExp(`ValidationError.*: S3 error: Domain name specified in ${BUCKET} is not a valid S3 domain$`, 'm')],
    [`${server.url}/${BUCKET}/templates/missing.yaml`, /ValidationError.*: S3 error: The specified key does not exist\.$/m],
    [`https://no-such-bucket.s3.amazonaws.com/templates/exists.yaml`, /ValidationError.*: S3 error: The specified bucket does not exist$/m],
  ];
  for (const [url, message] of cases) {
    const refused = await create(url);
    assert.equal(refused.code, 254, url);
    assert.match(refused.stderr, message, url);
  }
  // Nothing was recorded for the refused requests.
  const listed = (await awsCli(server.url, ['cloudformation', 'list-stacks'])).json().StackSummaries;
  assert.ok(!listed.some((s: { StackName: string }) => s.StackName === 'refused'));
});

test('ValidateTemplate, GetTemplateSummary and CreateChangeSet by TemplateURL; the 51,200 and 1,000,000 byte limits', { timeout: 120_000 }, async () => {
  const cfn = new CloudFormationClient({ endpoint: server.url, region: testRegion, credentials: testCredentials, maxAttempts: 1 });
  // A template over TemplateBody's limit but within TemplateURL's.
  const big = `Description: big\nResources:\n  Plain:\n    Type: AWS::Lambda::Function\n    Metadata:\n      Padding: ${'x'.repeat(60_000)}\n    Properties:\n      FunctionName: cfn-s3-big\n      Runtime: nodejs20.x\n      Handler: index.handler\n      Role: arn:aws:iam::000000000000:role/lambda-role\n      Code: { S3Bucket: ${BUCKET}, S3Key: plain/v1.zip }\n`;
  await upload('templates/big.yaml', big);
  const url = `${server.url}/${BUCKET}/templates/big.yaml`;
  assert.equal((await cfn.send(new ValidateTemplateCommand({ TemplateURL: url }))).Description, 'big');
  assert.deepEqual((await cfn.send(new GetTemplateSummaryCommand({ TemplateURL: url }))).ResourceTypes, ['AWS::Lambda::Function']);
  const changeSet = await cfn.send(new CreateChangeSetCommand({ StackName: 'bigs3', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateURL: url }));
  await waitUntilChangeSetCreateComplete({ client: cfn, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { ChangeSetName: changeSet.Id! });

  await assert.rejects(cfn.send(new ValidateTemplateCommand({ TemplateBody: big })), (e: Error) => {
    assert.equal(e.name, 'ValidationError');
    assert.ok(e.message.startsWith("1 validation error detected: Value 'Description: big"), e.message.slice(0, 80));
    assert.ok(e.message.endsWith("' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200"), e.message.slice(-120));
    return true;
  });
  const frame = (padding: string) => `Resources:\n  P:\n    Type: AWS::SNS::Topic\n    Metadata: { Padding: ${padding} }\n`;
  const exactly = frame('y'.repeat(51_200 - frame('').length));
  assert.equal(exactly.length, 51_200);
  await cfn.send(new ValidateTemplateCommand({ TemplateBody: exactly }));

  const huge = big.replace('x'.repeat(60_000), 'x'.repeat(1_000_001));
  await upload('templates/huge.yaml', huge);
  await assert.rejects(cfn.send(new ValidateTemplateCommand({ TemplateURL: `${server.url}/${BUCKET}/templates/huge.yaml` })),
    { name: 'ValidationError', message: 'Template may not exceed 1000000 bytes in size.' });
});
