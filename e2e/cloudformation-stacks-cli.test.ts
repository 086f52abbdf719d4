// `aws cloudformation deploy` against Stagecraft: a SAM template with inline code and an API is
// created, updated and deleted as a server-side stack; the API and the function answer over HTTP;
// an unchanged template makes an empty change set; templates the server can't run are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { invokePath } from '../src/execute-api/testing.js';
import { HELLO_TEMPLATE } from '../src/testing/cloudformation-templates.js';

const server = useServer();

function templateFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-cfn-'));
  writeFileSync(join(dir, 'template.yaml'), text);
  return join(dir, 'template.yaml');
}

const outputsOf = (stack: { Outputs: { OutputKey: string; OutputValue: string }[] }) => Object.fromEntries(stack.Outputs.map((o) => [o.OutputKey, o.OutputValue]));

test('aws cloudformation deploy creates, updates and deletes a SAM stack', { timeout: 240_000 }, async () => {
  const file = templateFile(HELLO_TEMPLATE);
  const created = await awsCli(server.url, ['cloudformation', 'deploy', '--template-file', file, '--stack-name', 'app', '--capabilities', 'CAPABILITY_IAM']);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /Successfully created\/updated stack - app/);

  const described = await awsCli(server.url, ['cloudformation', 'describe-stacks', '--stack-name', 'app']);
  const stack = described.json().Stacks[0];
  assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
  assert.match(stack.StackId, /^arn:aws:cloudformation:us-east-1:\d{12}:stack\/app\/[0-9a-f-]{36}$/);
  assert.deepEqual(stack.Parameters, [{ ParameterKey: 'Greeting', ParameterValue: 'hello' }]);
  const outputs = outputsOf(stack);
  assert.equal(outputs.FunctionName, 'app-HelloFunction');
  assert.equal((await invokePath(server.url, outputs.ApiId, 'Prod', '/hello')).body.toString(), 'hello');

  const resources = (await awsCli(server.url, ['cloudformation', 'list-stack-resources', '--stack-name', 'app'])).json().StackResourceSummaries;
  assert.deepEqual(resources.map((r: { LogicalResourceId: string; PhysicalResourceId: string; ResourceType: string }) => [r.LogicalResourceId, r.ResourceType, r.PhysicalResourceId]).sort(),
    [['HelloFunction', 'AWS::Lambda::Function', 'app-HelloFunction'], ['ServerlessRestApi', 'AWS::ApiGateway::RestApi', outputs.ApiId]]);
  const events = (await awsCli(server.url, ['cloudformation', 'describe-stack-events', '--stack-name', 'app'])).json().StackEvents;
  assert.deepEqual([events.at(-1).LogicalResourceId, events.at(-1).ResourceStatus], ['app', 'CREATE_IN_PROGRESS']);
  assert.deepEqual([events[0].LogicalResourceId, events[0].ResourceStatus], ['app', 'CREATE_COMPLETE']);
  assert.ok(events.some((e: { LogicalResourceId: string; ResourceStatus: string }) => e.LogicalResourceId === 'HelloFunction' && e.ResourceStatus === 'CREATE_COMPLETE'));

  // The same template again: an empty change set, an error with --fail-on-empty-changeset only.
  const same = await awsCli(server.url, ['cloudformation', 'deploy', '--template-file', file, '--stack-name', 'app', '--capabilities', 'CAPABILITY_IAM', '--fail-on-empty-changeset']);
  assert.equal(same.code, 255);
  assert.match(same.stderr, /No changes to deploy\. Stack app is up to date/);
  // The CLI names change sets by the second: the next one must not reuse the name.
  await new Promise((r) => setTimeout(r, 1100));
  const tolerated = await awsCli(server.url, ['cloudformation', 'deploy', '--template-file', file, '--stack-name', 'app', '--capabilities', 'CAPABILITY_IAM', '--no-fail-on-empty-changeset']);
  assert.equal(tolerated.code, 0, tolerated.stderr);
  const changeSets = (await awsCli(server.url, ['cloudformation', 'list-change-sets', '--stack-name', 'app'])).json().Summaries;
  // As CloudFormation: the executed change set stays, EXECUTE_COMPLETE; the empty ones FAILED.
  const statuses = changeSets.map((c: { Status: string; ExecutionStatus: string }) => `${c.Status}/${c.ExecutionStatus}`);
  assert.deepEqual(statuses.filter((s: string) => s !== 'FAILED/UNAVAILABLE'), ['CREATE_COMPLETE/EXECUTE_COMPLETE']);
  assert.ok(statuses.includes('FAILED/UNAVAILABLE'));

  await new Promise((r) => setTimeout(r, 1100));
  const updated = await awsCli(server.url, ['cloudformation', 'deploy', '--template-file', file, '--stack-name', 'app', '--capabilities', 'CAPABILITY_IAM', '--parameter-overrides', 'Greeting=bonjour']);
  assert.equal(updated.code, 0, updated.stderr);
  const after = (await awsCli(server.url, ['cloudformation', 'describe-stacks', '--stack-name', 'app'])).json().Stacks[0];
  assert.equal(after.StackStatus, 'UPDATE_COMPLETE');
  assert.ok(after.LastUpdatedTime);
  assert.equal((await invokePath(server.url, outputs.ApiId, 'Prod', '/hello')).body.toString(), 'bonjour');

  const deleted = await awsCli(server.url, ['cloudformation', 'delete-stack', '--stack-name', 'app']);
  assert.equal(deleted.code, 0, deleted.stderr);
  const waited = await awsCli(server.url, ['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', 'app']);
  assert.equal(waited.code, 0, waited.stderr);
  await assert.rejects(server.lambda.send(new GetFunctionCommand({ FunctionName: 'app-HelloFunction' })), { name: 'ResourceNotFoundException' });
  const gone = await awsCli(server.url, ['cloudformation', 'describe-stacks', '--stack-name', 'app']);
  assert.equal(gone.code, 254);
  assert.match(gone.stderr, /ValidationError.*Stack with id app does not exist/);
  const byId = (await awsCli(server.url, ['cloudformation', 'describe-stacks', '--stack-name', stack.StackId])).json().Stacks[0];
  assert.equal(byId.StackStatus, 'DELETE_COMPLETE');
});

test('refusals: missing capabilities, a local CodeUri, a TemplateURL of a missing bucket', { timeout: 120_000 }, async () => {
  const file = templateFile(HELLO_TEMPLATE);
  const noCaps = await awsCli(server.url, ['cloudformation', 'deploy', '--template-file', file, '--stack-name', 'nocaps']);
  assert.notEqual(noCaps.code, 0);
  assert.match(noCaps.stderr, /InsufficientCapabilitiesException.*Requires capabilities : \[CAPABILITY_IAM\]/);

  const local = templateFile(HELLO_TEMPLATE.replace(/InlineCode: \|\n.*\n/, 'CodeUri: ./src\n'));
  const refused = await awsCli(server.url, ['cloudformation', 'deploy', '--template-file', local, '--stack-name', 'local', '--capabilities', 'CAPABILITY_IAM']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Status: FAILED\. Reason: Transform AWS::Serverless-2016-10-31 failed with: .*Resource with id \[HelloFunction\] is invalid\. 'CodeUri' is not a valid S3 Uri/);

  const url = await awsCli(server.url, ['cloudformation', 'create-stack', '--stack-name', 'byurl', '--template-url', 'https://bucket.s3.amazonaws.com/template.yaml']);
  assert.equal(url.code, 254);
  assert.match(url.stderr, /ValidationError.*S3 error: The specified bucket does not exist/);
});
