// `aws cloudformation deploy` of a template without a function and an HTTP API the stack had: the
// change set lists them as Remove; the update ends with CloudFormation's cleanup phase
// (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, DELETE_IN_PROGRESS and DELETE_COMPLETE for each, then
// UPDATE_COMPLETE); they are gone from the server and from the stack's resources. A function with
// DeletionPolicy: Retain is DELETE_SKIPPED and stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';

const server = useServer();

const fn = (id: string) => `  ${id}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => ({ statusCode: 200, body: '${id}' });"
`;

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
${fn('Stays')}${fn('Held').replace('    Properties:', '    DeletionPolicy: Retain\n    Properties:')}${fn('Goes')}      Events:
        Get:
          Type: HttpApi
          Properties: { ApiId: !Ref Http, Path: /goes, Method: GET }
  Http:
    Type: AWS::Serverless::HttpApi
`;

const SMALLER = `Transform: AWS::Serverless-2016-10-31
Resources:
${fn('Stays')}`;

interface StackEvent { LogicalResourceId: string; ResourceStatus: string; ResourceType: string; PhysicalResourceId?: string }

test('aws cloudformation deploy deletes what the new template no longer has, in the cleanup phase', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-cfn-cleanup-'));
  const file = join(dir, 'template.yaml');
  const deploy = () => awsCli(server.url, ['cloudformation', 'deploy', '--template-file', file, '--stack-name', 'tidy', '--capabilities', 'CAPABILITY_IAM']);
  const resourcesOf = async () => (await awsCli(server.url, ['cloudformation', 'list-stack-resources', '--stack-name', 'tidy'])).json().StackResourceSummaries as { LogicalResourceId: string; PhysicalResourceId: string }[];
  writeFileSync(file, TEMPLATE);
  const created = await deploy();
  assert.equal(created.code, 0, created.stderr);
  const before = await resourcesOf();
  const httpId = before.find((r) => r.LogicalResourceId === 'Http')?.PhysicalResourceId;
  assert.ok(httpId, JSON.stringify(before));
  await server.lambda.send(new GetFunctionCommand({ FunctionName: 'tidy-Goes' }));
  await server.apigwv2.send(new GetApiCommand({ ApiId: httpId }));

  // The change set says what goes.
  writeFileSync(file, SMALLER);
  const preview = await awsCli(server.url, ['cloudformation', 'deploy', '--template-file', file, '--stack-name', 'tidy', '--capabilities', 'CAPABILITY_IAM', '--no-execute-changeset']);
  assert.equal(preview.code, 0, preview.stderr);
  const changeSetName = (await awsCli(server.url, ['cloudformation', 'list-change-sets', '--stack-name', 'tidy'])).json().Summaries
    .find((c: { ExecutionStatus: string }) => c.ExecutionStatus === 'AVAILABLE').ChangeSetName as string;
  const changes = (await awsCli(server.url, ['cloudformation', 'describe-change-set', '--stack-name', 'tidy', '--change-set-name', changeSetName])).json().Changes
    .map((c: { ResourceChange: { Action: string; LogicalResourceId: string } }) => `${c.ResourceChange.Action} ${c.ResourceChange.LogicalResourceId}`).sort();
  assert.deepEqual(changes.filter((c: string) => c.startsWith('Remove')), ['Remove Goes', 'Remove Held', 'Remove Http']);

  await new Promise((r) => setTimeout(r, 1100));
  const updated = await deploy();
  assert.equal(updated.code, 0, updated.stderr);
  const stack = (await awsCli(server.url, ['cloudformation', 'describe-stacks', '--stack-name', 'tidy'])).json().Stacks[0];
  assert.equal(stack.StackStatus, 'UPDATE_COMPLETE');

  // Newest first: read oldest first from the update's start.
  const events = ((await awsCli(server.url, ['cloudformation', 'describe-stack-events', '--stack-name', 'tidy'])).json().StackEvents as StackEvent[]).reverse();
  const start = events.findIndex((e) => e.LogicalResourceId === 'tidy' && e.ResourceStatus === 'UPDATE_IN_PROGRESS');
  const update = events.slice(start).map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`);
  const at = (line: string) => {
    const i = update.indexOf(line);
    assert.ok(i >= 0, `${line} in\n${update.join('\n')}`);
    return i;
  };
  const cleanup = at('tidy UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  assert.ok(at('Stays UPDATE_COMPLETE') < cleanup || !update.includes('Stays UPDATE_COMPLETE'));
  for (const id of ['Goes', 'Http']) {
    assert.ok(cleanup < at(`${id} DELETE_IN_PROGRESS`) && at(`${id} DELETE_IN_PROGRESS`) < at(`${id} DELETE_COMPLETE`));
    assert.ok(at(`${id} DELETE_COMPLETE`) < at('tidy UPDATE_COMPLETE'));
  }
  assert.equal(update.at(-1), 'tidy UPDATE_COMPLETE');
  // DeletionPolicy: Retain: skipped, as CloudFormation reports it; the function stays, out of the stack.
  assert.ok(cleanup < at('Held DELETE_SKIPPED') && !update.includes('Held DELETE_COMPLETE'));
  const held = await server.lambda.send(new GetFunctionCommand({ FunctionName: 'tidy-Held' }));
  assert.equal(held.Tags?.['stagecraft:stack'], undefined);
  const goes = events.find((e) => e.LogicalResourceId === 'Goes' && e.ResourceStatus === 'DELETE_COMPLETE')!;
  assert.deepEqual([goes.ResourceType, goes.PhysicalResourceId], ['AWS::Lambda::Function', 'tidy-Goes']);

  assert.deepEqual((await resourcesOf()).map((r) => r.LogicalResourceId), ['Stays']);
  const described = (await awsCli(server.url, ['cloudformation', 'describe-stack-resources', '--stack-name', 'tidy'])).json().StackResources;
  assert.deepEqual(described.map((r: { LogicalResourceId: string }) => r.LogicalResourceId), ['Stays']);
  await expectAwsError(server.lambda.send(new GetFunctionCommand({ FunctionName: 'tidy-Goes' })), 'ResourceNotFoundException');
  await expectAwsError(server.apigwv2.send(new GetApiCommand({ ApiId: httpId })), 'NotFoundException');
  await server.lambda.send(new GetFunctionCommand({ FunctionName: 'tidy-Stays' }));
});
