// Server-side CloudFormation stacks through the AWS SDK v3 (CreateStack and friends, without
// change sets), on SQLite and on PostgreSQL: the stack's function answers; one operation at a time
// per stack; templates and parameters as CloudFormation checks them; a create the server was
// running when it stopped (or crashed) rolls back after the restart (fails, without rollback).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, DescribeStackResourcesCommand, GetTemplateCommand,
  GetTemplateSummaryCommand, ListStacksCommand, UpdateStackCommand, ValidateTemplateCommand, waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete, waitUntilStackUpdateComplete, type Stack,
} from '@aws-sdk/client-cloudformation';
import { InvokeCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { TestServer } from '../src/testing/fixture.js';
import { testCredentials, testRegion } from '../src/testing/server.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { HELLO_TEMPLATE, functionsTemplate } from '../src/testing/cloudformation-templates.js';

const databases: TestDatabase[] = [];
after(async () => {
  for (const d of databases) await d.drop();
});

const cfnClient = (url: string) => new CloudFormationClient({ endpoint: url, region: testRegion, credentials: testCredentials, maxAttempts: 1 });
const waiting = (client: CloudFormationClient) => ({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 1 });
const CAPS = ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;

async function describe(cfn: CloudFormationClient, name: string): Promise<Stack> {
  return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0];
}

async function invokeBody(server: TestServer, name: string): Promise<string> {
  const out = await server.lambda.send(new InvokeCommand({ FunctionName: name }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return JSON.parse(Buffer.from(out.Payload!).toString()).body;
}

async function stackLifecycle(server: TestServer): Promise<void> {
  const cfn = cfnClient(server.url);
  try {
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'sdk', TemplateBody: HELLO_TEMPLATE, Capabilities: ['CAPABILITY_IAM'] })),
      { name: 'InsufficientCapabilitiesException', message: 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]' });
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'sdk', TemplateBody: HELLO_TEMPLATE, Capabilities: [...CAPS], Parameters: [{ ParameterKey: 'Nope', ParameterValue: 'x' }] })),
      { name: 'ValidationError', message: 'Parameters: [Nope] do not exist in the template' });
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'sdk', TemplateBody: 'Resources: [', Capabilities: [...CAPS] })),
      (e: Error) => e.name === 'ValidationError' && e.message.startsWith('Template format error:'));

    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'sdk', TemplateBody: HELLO_TEMPLATE, Capabilities: [...CAPS], Tags: [{ Key: 'team', Value: 'web' }] }));
    assert.match(StackId!, /^arn:aws:cloudformation:us-east-1:\d{12}:stack\/sdk\/[0-9a-f-]{36}$/);
    // One operation at a time; the name is taken.
    await assert.rejects(cfn.send(new UpdateStackCommand({ StackName: 'sdk', TemplateBody: HELLO_TEMPLATE, Capabilities: [...CAPS], Parameters: [{ ParameterKey: 'Greeting', ParameterValue: 'x' }] })),
      { name: 'ValidationError', message: `Stack:${StackId} is in CREATE_IN_PROGRESS state and can not be updated.` });
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'sdk', TemplateBody: HELLO_TEMPLATE, Capabilities: [...CAPS] })),
      { name: 'AlreadyExistsException', message: 'Stack [sdk] already exists' });
    await waitUntilStackCreateComplete(waiting(cfn), { StackName: 'sdk' });
    const created = await describe(cfn, 'sdk');
    assert.equal(created.StackStatus, 'CREATE_COMPLETE');
    assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'web' }]);
    assert.equal(created.Outputs!.find((o) => o.OutputKey === 'StackId')?.OutputValue, StackId, 'AWS::StackId is the stack\'s ID');
    assert.equal(await invokeBody(server, 'sdk-HelloFunction'), 'hello');

    await assert.rejects(cfn.send(new UpdateStackCommand({ StackName: 'sdk', UsePreviousTemplate: true, Capabilities: [...CAPS] })),
      { name: 'ValidationError', message: 'No updates are to be performed.' });
    await cfn.send(new UpdateStackCommand({ StackName: StackId, UsePreviousTemplate: true, Capabilities: [...CAPS], Parameters: [{ ParameterKey: 'Greeting', ParameterValue: 'hi' }] }));
    await waitUntilStackUpdateComplete(waiting(cfn), { StackName: 'sdk' });
    assert.equal(await invokeBody(server, 'sdk-HelloFunction'), 'hi');
    assert.deepEqual((await describe(cfn, 'sdk')).Tags, [{ Key: 'team', Value: 'web' }], 'an update without Tags keeps them');

    assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'sdk' }))).TemplateBody, HELLO_TEMPLATE);
    const summary = await cfn.send(new GetTemplateSummaryCommand({ StackName: 'sdk' }));
    assert.deepEqual(summary.Parameters!.map((p) => [p.ParameterKey, p.DefaultValue, p.ParameterType]), [['Greeting', 'hello', 'String']]);
    assert.deepEqual(summary.DeclaredTransforms, ['AWS::Serverless-2016-10-31']);
    const validated = await cfn.send(new ValidateTemplateCommand({ TemplateBody: HELLO_TEMPLATE }));
    assert.equal(validated.Description, 'hello stack');
    assert.deepEqual(validated.Capabilities, ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND']);
    const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'sdk', LogicalResourceId: 'HelloFunction' }))).StackResources!;
    assert.deepEqual(resources.map((r) => [r.PhysicalResourceId, r.ResourceStatus]), [['sdk-HelloFunction', 'UPDATE_COMPLETE']]);

    await cfn.send(new DeleteStackCommand({ StackName: 'sdk' }));
    await waitUntilStackDeleteComplete(waiting(cfn), { StackName: 'sdk' });
    await assert.rejects(describe(cfn, 'sdk'), { name: 'ValidationError', message: 'Stack with id sdk does not exist' });
    await assert.rejects(server.lambda.send(new InvokeCommand({ FunctionName: 'sdk-HelloFunction' })), { name: 'ResourceNotFoundException' });
    const listed = (await cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }))).StackSummaries!;
    assert.deepEqual(listed.map((s) => [s.StackId, s.StackStatus]), [[StackId, 'DELETE_COMPLETE']]);
    // The name is free again.
    await cfn.send(new CreateStackCommand({ StackName: 'sdk', TemplateBody: functionsTemplate(1), Capabilities: [...CAPS] }));
    await waitUntilStackCreateComplete(waiting(cfn), { StackName: 'sdk' });
  } finally {
    cfn.destroy();
  }
}

/**
 * Starts creating a stack and stops (or crashes) the server under it: after the restart the create rolls back
 * (ROLLBACK_COMPLETE, what it had made deleted), or without rollback is CREATE_FAILED.
 */
async function interrupted(server: TestServer, how: { crash?: boolean }, name: string, rollback = true): Promise<TestServer> {
  const cfn = cfnClient(server.url);
  await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: functionsTemplate(8), Capabilities: [...CAPS], DisableRollback: !rollback }));
  assert.equal((await describe(cfn, name)).StackStatus, 'CREATE_IN_PROGRESS');
  cfn.destroy();
  const restarted = await server.restart(how);
  const again = cfnClient(restarted.url);
  try {
    let stack = await describe(again, name);
    for (let i = 0; i < 120 && stack.StackStatus!.endsWith('_IN_PROGRESS'); i++) {
      await new Promise((r) => setTimeout(r, 500));
      stack = await describe(again, name);
    }
    assert.equal(stack.StackStatus, rollback ? 'ROLLBACK_COMPLETE' : 'CREATE_FAILED');
    assert.match(stack.StackStatusReason!, rollback ? /^The Stagecraft server running this operation stopped before it finished\. Rollback requested by user\.$/ : /stopped before it finished/);
    const left = ((await restarted.lambda.send(new ListFunctionsCommand({}))).Functions ?? []).filter((f) => f.FunctionName!.startsWith(`${name}-`));
    if (rollback) assert.deepEqual(left, [], 'the rollback deleted what the create had made');
    // A failed or rolled-back create can't be updated, only deleted.
    await assert.rejects(again.send(new UpdateStackCommand({ StackName: name, TemplateBody: functionsTemplate(1), Capabilities: [...CAPS] })),
      { name: 'ValidationError', message: `Stack:${stack.StackId} is in ${stack.StackStatus} state and can not be updated.` });
    await again.send(new DeleteStackCommand({ StackName: name }));
    await waitUntilStackDeleteComplete(waiting(again), { StackName: name });
  } finally {
    again.destroy();
  }
  return restarted;
}

test('stacks through the SDK on SQLite; creates interrupted by a stop or a crash roll back after the restart', { timeout: 240_000 }, async () => {
  let server = await TestServer.start();
  try {
    await stackLifecycle(server);
    server = await interrupted(server, {}, 'stopped');
    server = await interrupted(server, { crash: true }, 'crashed');
    server = await interrupted(server, { crash: true }, 'norollback', false);
  } finally {
    await server.stop();
  }
});

test('stacks through the SDK on PostgreSQL', { timeout: 240_000 }, async () => {
  const db = await createTestDatabase();
  databases.push(db);
  let server = await TestServer.start({ args: ['--database', db.url] });
  try {
    await stackLifecycle(server);
    server = await interrupted(server, { crash: true }, 'crashed');
  } finally {
    await server.stop();
  }
});

test('a server that verifies signatures runs stacks with its first configured credential', { timeout: 120_000 }, async () => {
  const server = await TestServer.start({ env: { STAGECRAFT_CREDENTIALS: 'AKIASTACKS0000000001:first-secret,test:test' } });
  const cfn = cfnClient(server.url);
  try {
    await cfn.send(new CreateStackCommand({ StackName: 'signed', TemplateBody: functionsTemplate(1, 'signed'), Capabilities: [...CAPS] }));
    await waitUntilStackCreateComplete(waiting(cfn), { StackName: 'signed' });
    assert.equal(await invokeBody(server, 'signed-Fn0'), 'signed');
  } finally {
    cfn.destroy();
    await server.stop();
  }
});
