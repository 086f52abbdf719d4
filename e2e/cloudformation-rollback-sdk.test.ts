// CloudFormation rollback through the AWS SDK v3, on SQLite and on PostgreSQL: a create whose second
// resource fails rolls back (ROLLBACK_COMPLETE, nothing left), or deletes the stack (OnFailure
// DELETE), or stays CREATE_FAILED (DO_NOTHING, DisableRollback); a failed update deploys the
// previous template again (UPDATE_ROLLBACK_COMPLETE) and deletes what it added; RollbackStack,
// ContinueUpdateRollback; an update cut off by a crash rolls back after the restart; the event
// sequences and statuses as CloudFormation's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudFormationClient, ContinueUpdateRollbackCommand, CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStacksCommand,
  GetTemplateCommand, RollbackStackCommand, UpdateStackCommand, waitUntilStackCreateComplete, waitUntilStackDeleteComplete, waitUntilStackRollbackComplete,
  waitUntilStackUpdateComplete, type Stack,
} from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, InvokeCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { TestServer } from '../src/testing/fixture.js';
import { apiGatewayClient, s3Client } from '../src/testing/aws.js';
import { testCredentials, testRegion } from '../src/testing/server.js';
import { nodeHandlerZip } from '../src/testing/zip.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { MISSING_LAYER, samFunction, samTemplate } from '../src/testing/cloudformation-templates.js';

const databases: TestDatabase[] = [];
after(async () => {
  for (const d of databases) await d.drop();
});

const CAPS = ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;
const BROKEN = `      Layers: [${MISSING_LAYER}]\n`;
const HTTP_API = '  Http:\n    Type: AWS::Serverless::HttpApi\n';
const API_EVENT = '      Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: /x\n            Method: get\n';
const cfnClient = (url: string) => new CloudFormationClient({ endpoint: url, region: testRegion, credentials: testCredentials, maxAttempts: 1 });
const waiting = (client: CloudFormationClient) => ({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 });

const describe = async (cfn: CloudFormationClient, name: string): Promise<Stack> => (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0];

/** The stack once no operation runs on it (no SDK waiter waits for a create's rollback to end). */
async function settled(cfn: CloudFormationClient, name: string): Promise<Stack> {
  for (let i = 0; i < 120; i++) {
    const stack = await describe(cfn, name);
    if (!stack.StackStatus!.endsWith('_IN_PROGRESS')) return stack;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name} is still in progress`);
}

/** The stack's events oldest first, as `logicalId status` (with `: reason` where `reasons` asks). */
async function eventLines(cfn: CloudFormationClient, stackId: string, reasons = false): Promise<string[]> {
  const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }))).StackEvents!;
  return events.reverse().map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}${reasons && e.ResourceStatusReason ? `: ${e.ResourceStatusReason}` : ''}`);
}

async function functionNames(server: TestServer, prefix: string): Promise<string[]> {
  return ((await server.lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName!).filter((n) => n.startsWith(prefix)).sort();
}

async function invokeBody(server: TestServer, name: string): Promise<string> {
  const out = await server.lambda.send(new InvokeCommand({ FunctionName: name }));
  return JSON.parse(Buffer.from(out.Payload!).toString()).body;
}

async function createFailureRollsBack(server: TestServer, cfn: CloudFormationClient): Promise<void> {
  const template = samTemplate(samFunction('First', 'one', API_EVENT), samFunction('Second', 'two', BROKEN));
  const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'rb', TemplateBody: template, Capabilities: [...CAPS] }));
  // As AWS's waiter: ROLLBACK_COMPLETE is a failure of stack-create-complete.
  await assert.rejects(waitUntilStackCreateComplete(waiting(cfn), { StackName: 'rb' }), /FAILURE/);
  const stack = await describe(cfn, 'rb');
  assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
  assert.equal(stack.StackStatusReason, 'The following resource(s) failed to create: [Second]. Rollback requested by user.');
  assert.equal(stack.DisableRollback, false);
  assert.deepEqual(stack.Outputs, []);
  const lines = await eventLines(cfn, StackId!);
  assert.equal(lines[0], 'rb CREATE_IN_PROGRESS');
  const at = (line: string) => {
    const i = lines.indexOf(line);
    assert.ok(i >= 0, `${line} in ${lines.join(', ')}`);
    return i;
  };
  assert.ok(at('First CREATE_COMPLETE') < at('Second CREATE_FAILED'));
  assert.ok(at('Second CREATE_FAILED') < at('rb ROLLBACK_IN_PROGRESS'));
  assert.ok(at('rb ROLLBACK_IN_PROGRESS') < at('First DELETE_IN_PROGRESS'));
  assert.ok(at('First DELETE_IN_PROGRESS') < at('First DELETE_COMPLETE'));
  assert.equal(lines.at(-1), 'rb ROLLBACK_COMPLETE');
  assert.ok(!lines.includes('rb CREATE_FAILED'), 'a create that rolls back has no stack CREATE_FAILED event');
  assert.match((await eventLines(cfn, StackId!, true)).find((l) => l.startsWith('Second CREATE_FAILED'))!, /Layer version .* does not exist/);
  // Nothing is left of it.
  assert.deepEqual(await functionNames(server, 'rb-'), []);
  const apis = apiGatewayClient(server.url);
  assert.deepEqual(((await apis.send(new GetRestApisCommand({}))).items ?? []).filter((a) => a.name === 'rb'), []);
  apis.destroy();
  // As AWS: a ROLLBACK_COMPLETE stack can't be updated (nor rolled back, nor continued), only deleted.
  await assert.rejects(cfn.send(new UpdateStackCommand({ StackName: 'rb', TemplateBody: samTemplate(samFunction('First', 'one')), Capabilities: [...CAPS] })),
    { name: 'ValidationError', message: `Stack:${StackId} is in ROLLBACK_COMPLETE state and can not be updated.` });
  await assert.rejects(cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'rb' })), { name: 'ValidationError' });
  await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'rb', TemplateBody: template, Capabilities: [...CAPS] })), { name: 'AlreadyExistsException' });
  await cfn.send(new DeleteStackCommand({ StackName: 'rb' }));
  await waitUntilStackDeleteComplete(waiting(cfn), { StackName: 'rb' });
  const deleted = await eventLines(cfn, StackId!);
  assert.deepEqual(deleted.slice(-2), ['rb DELETE_IN_PROGRESS', 'rb DELETE_COMPLETE'], 'its resources went with the rollback');
  await assert.rejects(describe(cfn, 'rb'), { name: 'ValidationError', message: 'Stack with id rb does not exist' });
}

async function updateFailureRollsBack(server: TestServer, cfn: CloudFormationClient): Promise<void> {
  const before = samTemplate(samFunction('First', 'v1'));
  const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'up', TemplateBody: before, Capabilities: [...CAPS], Parameters: [{ ParameterKey: 'Greeting', ParameterValue: 'old' }] }));
  await waitUntilStackCreateComplete(waiting(cfn), { StackName: 'up' });
  const failing = samTemplate(samFunction('First', 'v2', `      MemorySize: 256\n${API_EVENT}`), samFunction('Added', 'added'), HTTP_API, samFunction('Second', 'two', BROKEN));
  await cfn.send(new UpdateStackCommand({ StackName: 'up', TemplateBody: failing, Capabilities: [...CAPS], Parameters: [{ ParameterKey: 'Greeting', ParameterValue: 'new' }] }));
  await assert.rejects(waitUntilStackUpdateComplete(waiting(cfn), { StackName: 'up' }), /FAILURE/);
  const stack = await describe(cfn, 'up');
  assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
  assert.equal(stack.StackStatusReason, 'The following resource(s) failed to create: [Second].');
  // The previous template, parameters and outputs; the function as it was; what the update added is gone.
  assert.deepEqual(stack.Parameters, [{ ParameterKey: 'Greeting', ParameterValue: 'old' }]);
  assert.deepEqual(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]), [['Greeting', 'old']]);
  assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'up' }))).TemplateBody, before);
  assert.equal(await invokeBody(server, 'up-First'), 'v1');
  assert.equal((await server.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'up-First' }))).MemorySize, 128);
  assert.deepEqual(await functionNames(server, 'up-'), ['up-First']);
  // The REST API of First's new event and the HTTP API the update added went with the cleanup too.
  assert.deepEqual(((await server.apigw.send(new GetRestApisCommand({}))).items ?? []).filter((a) => a.tags?.['stagecraft:stack'] === 'up'), []);
  assert.deepEqual(((await server.apigwv2.send(new GetApisCommand({}))).Items ?? []).filter((a) => a.Tags?.['stagecraft:stack'] === 'up'), []);
  const lines = await eventLines(cfn, StackId!);
  const update = lines.slice(lines.indexOf('up UPDATE_IN_PROGRESS'));
  assert.ok(update.indexOf('Added CREATE_COMPLETE') < update.indexOf('Second CREATE_FAILED'));
  assert.ok(update.indexOf('Http CREATE_COMPLETE') >= 0 && update.indexOf('Http CREATE_COMPLETE') < update.indexOf('Second CREATE_FAILED'), update.join(', '));
  const rollback = update.slice(update.indexOf('up UPDATE_ROLLBACK_IN_PROGRESS'));
  assert.ok(rollback.length > 0 && update.indexOf('Second CREATE_FAILED') < update.indexOf('up UPDATE_ROLLBACK_IN_PROGRESS'), update.join(', '));
  assert.ok(rollback.includes('First UPDATE_COMPLETE'), 'the function is restored during the rollback');
  const cleanup = rollback.slice(rollback.indexOf('up UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'));
  assert.deepEqual(cleanup, ['up UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'Added DELETE_COMPLETE', 'Http DELETE_COMPLETE', 'Second DELETE_COMPLETE', 'up UPDATE_ROLLBACK_COMPLETE']);
  // UPDATE_ROLLBACK_COMPLETE can be updated.
  await cfn.send(new UpdateStackCommand({ StackName: 'up', TemplateBody: samTemplate(samFunction('First', 'v3')), Capabilities: [...CAPS] }));
  await waitUntilStackUpdateComplete(waiting(cfn), { StackName: 'up' });
  assert.equal(await invokeBody(server, 'up-First'), 'v3');
}

for (const backend of ['SQLite', 'PostgreSQL'] as const) {
  test(`a failed create rolls back and a failed update restores the previous stack (${backend})`, { timeout: 240_000 }, async () => {
    const db = backend === 'PostgreSQL' ? await createTestDatabase() : undefined;
    if (db) databases.push(db);
    const server = await TestServer.start(db ? { args: ['--database', db.url] } : {});
    const cfn = cfnClient(server.url);
    try {
      await createFailureRollsBack(server, cfn);
      await updateFailureRollsBack(server, cfn);
    } finally {
      cfn.destroy();
      await server.stop();
    }
  });
}

test('OnFailure DELETE deletes the stack; DO_NOTHING and DisableRollback leave CREATE_FAILED; RollbackStack rolls it back', { timeout: 240_000 }, async () => {
  const server = await TestServer.start();
  const cfn = cfnClient(server.url);
  const template = samTemplate(samFunction('First', 'one'), samFunction('Second', 'two', BROKEN));
  try {
    const { StackId: deletedId } = await cfn.send(new CreateStackCommand({ StackName: 'gone', TemplateBody: template, Capabilities: [...CAPS], OnFailure: 'DELETE' }));
    await assert.rejects(waitUntilStackCreateComplete(waiting(cfn), { StackName: deletedId }), /FAILURE/);
    await assert.rejects(describe(cfn, 'gone'), { name: 'ValidationError', message: 'Stack with id gone does not exist' });
    const deleted = await describe(cfn, deletedId!);
    assert.equal(deleted.StackStatus, 'DELETE_COMPLETE');
    const lines = await eventLines(cfn, deletedId!, true);
    assert.deepEqual(lines.filter((l) => l.startsWith('gone ')), [
      'gone CREATE_IN_PROGRESS: User Initiated', 'gone DELETE_IN_PROGRESS: The following resource(s) failed to create: [Second]. Delete requested by user.', 'gone DELETE_COMPLETE',
    ]);
    assert.deepEqual(await functionNames(server, 'gone-'), []);

    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'x', TemplateBody: template, Capabilities: [...CAPS], OnFailure: 'DELETE', DisableRollback: true })),
      { name: 'ValidationError', message: 'Either DisableRollback or OnFailure can be specified, not both.' });
    for (const [name, options] of [['kept', { OnFailure: 'DO_NOTHING' as const }], ['disabled', { DisableRollback: true }]] as const) {
      await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: template, Capabilities: [...CAPS], ...options }));
      await assert.rejects(waitUntilStackCreateComplete(waiting(cfn), { StackName: name }), /FAILURE/);
      const stack = await describe(cfn, name);
      assert.deepEqual([stack.StackStatus, stack.DisableRollback], ['CREATE_FAILED', true]);
      assert.deepEqual(await functionNames(server, `${name}-`), [`${name}-First`], 'what the create made stays');
    }
    // RollbackStack from CREATE_FAILED: no stable state to go back to, so what the create made is deleted.
    const kept = await describe(cfn, 'kept');
    assert.deepEqual(await cfn.send(new RollbackStackCommand({ StackName: 'kept' })).then((o) => o.StackId), kept.StackId);
    assert.equal((await settled(cfn, 'kept')).StackStatus, 'ROLLBACK_COMPLETE');
    assert.deepEqual(await functionNames(server, 'kept-'), []);
    await assert.rejects(cfn.send(new RollbackStackCommand({ StackName: 'kept' })),
      { name: 'ValidationError', message: `Stack:${kept.StackId} is in ROLLBACK_COMPLETE state and can not be rolled back.` });
  } finally {
    cfn.destroy();
    await server.stop();
  }
});

test('an update without rollback stays UPDATE_FAILED until RollbackStack; a failed rollback goes on with ContinueUpdateRollback', { timeout: 240_000 }, async () => {
  const server = await TestServer.start();
  const cfn = cfnClient(server.url);
  const s3 = s3Client(server.url);
  try {
    await cfn.send(new CreateStackCommand({ StackName: 'nr', TemplateBody: samTemplate(samFunction('First', 'v1')), Capabilities: [...CAPS] }));
    await waitUntilStackCreateComplete(waiting(cfn), { StackName: 'nr' });
    const failing = samTemplate(samFunction('First', 'v2'), samFunction('Second', 'two', BROKEN));
    await cfn.send(new UpdateStackCommand({ StackName: 'nr', TemplateBody: failing, Capabilities: [...CAPS], DisableRollback: true }));
    await assert.rejects(waitUntilStackUpdateComplete(waiting(cfn), { StackName: 'nr' }), /FAILURE/);
    const failed = await describe(cfn, 'nr');
    assert.deepEqual([failed.StackStatus, failed.DisableRollback], ['UPDATE_FAILED', true]);
    assert.equal(await invokeBody(server, 'nr-First'), 'v2', 'what the update changed stays');
    await cfn.send(new RollbackStackCommand({ StackName: 'nr' }));
    await waitUntilStackRollbackComplete(waiting(cfn), { StackName: 'nr' });
    assert.equal((await describe(cfn, 'nr')).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.equal(await invokeBody(server, 'nr-First'), 'v1');

    // A rollback that can't deploy the previous template (its code is gone from S3) fails; once the code is back it goes on.
    await s3.send(new CreateBucketCommand({ Bucket: 'code' }));
    await s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'v1.zip', Body: await nodeHandlerZip('exports.handler = async () => ({ body: "s3-v1" });') }));
    await s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'v2.zip', Body: await nodeHandlerZip('exports.handler = async () => ({ body: "s3-v2" });') }));
    const fromS3 = (key: string) => samFunction('First', 'unused').replace(/InlineCode: \|\n.*\n/, `CodeUri: s3://code/${key}\n`);
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'cont', TemplateBody: samTemplate(fromS3('v1.zip')), Capabilities: [...CAPS] }));
    await waitUntilStackCreateComplete(waiting(cfn), { StackName: 'cont' });
    await s3.send(new DeleteObjectCommand({ Bucket: 'code', Key: 'v1.zip' }));
    await cfn.send(new UpdateStackCommand({ StackName: 'cont', TemplateBody: samTemplate(fromS3('v2.zip'), samFunction('Second', 'two', BROKEN)), Capabilities: [...CAPS] }));
    await assert.rejects(waitUntilStackUpdateComplete(waiting(cfn), { StackName: 'cont' }), /FAILURE/);
    const stuck = await describe(cfn, 'cont');
    assert.equal(stuck.StackStatus, 'UPDATE_ROLLBACK_FAILED');
    assert.equal(await invokeBody(server, 'cont-First'), 's3-v2');
    await assert.rejects(cfn.send(new UpdateStackCommand({ StackName: 'cont', TemplateBody: samTemplate(fromS3('v2.zip')), Capabilities: [...CAPS] })),
      { name: 'ValidationError', message: `Stack:${StackId} is in UPDATE_ROLLBACK_FAILED state and can not be updated.` });
    await s3.send(new PutObjectCommand({ Bucket: 'code', Key: 'v1.zip', Body: await nodeHandlerZip('exports.handler = async () => ({ body: "s3-v1" });') }));
    await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'cont', ResourcesToSkip: ['First'] }));
    await assert.rejects(waitUntilStackUpdateComplete(waiting(cfn), { StackName: 'cont' }), /FAILURE/);
    assert.equal((await describe(cfn, 'cont')).StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.equal(await invokeBody(server, 'cont-First'), 's3-v1');
    assert.deepEqual(await functionNames(server, 'cont-'), ['cont-First']);
    const lines = await eventLines(cfn, StackId!);
    const tail = lines.slice(lines.indexOf('cont UPDATE_ROLLBACK_FAILED'));
    assert.deepEqual([tail[0], tail[1], tail.at(-1)], ['cont UPDATE_ROLLBACK_FAILED', 'cont UPDATE_ROLLBACK_IN_PROGRESS', 'cont UPDATE_ROLLBACK_COMPLETE']);
  } finally {
    s3.destroy();
    cfn.destroy();
    await server.stop();
  }
});

test('an update cut off by a crash rolls back after the restart: the previous code back, what it added gone', { timeout: 240_000 }, async () => {
  let server = await TestServer.start();
  let cfn = cfnClient(server.url);
  try {
    await cfn.send(new CreateStackCommand({ StackName: 'cut', TemplateBody: samTemplate(samFunction('Fn0', 'before')), Capabilities: [...CAPS] }));
    await waitUntilStackCreateComplete(waiting(cfn), { StackName: 'cut' });
    const many = Array.from({ length: 8 }, (_, i) => samFunction(`Fn${i}`, 'after')).join('');
    await cfn.send(new UpdateStackCommand({ StackName: 'cut', TemplateBody: samTemplate(many), Capabilities: [...CAPS] }));
    assert.equal((await describe(cfn, 'cut')).StackStatus, 'UPDATE_IN_PROGRESS');
    cfn.destroy();
    server = await server.restart({ crash: true });
    cfn = cfnClient(server.url);
    const stack = await settled(cfn, 'cut');
    assert.deepEqual([stack.StackStatus, stack.StackStatusReason], ['UPDATE_ROLLBACK_COMPLETE', 'The Stagecraft server running this operation stopped before it finished.']);
    assert.equal(await invokeBody(server, 'cut-Fn0'), 'before');
    assert.deepEqual(await functionNames(server, 'cut-'), ['cut-Fn0']);
    const lines = await eventLines(cfn, stack.StackId!);
    assert.deepEqual(lines.filter((l) => l.startsWith('cut ')).slice(-4),
      ['cut UPDATE_IN_PROGRESS', 'cut UPDATE_ROLLBACK_IN_PROGRESS', 'cut UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'cut UPDATE_ROLLBACK_COMPLETE']);
  } finally {
    cfn.destroy();
    await server.stop();
  }
});
