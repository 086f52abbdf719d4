// Rollback as the AWS CLI sees it: `aws cloudformation deploy` of a template whose second resource
// fails reports the failure as it does against AWS, the stack is ROLLBACK_COMPLETE with nothing left,
// `wait stack-create-complete` fails on it, and deploying to it again is refused until it is deleted;
// `--disable-rollback` leaves CREATE_FAILED, which `rollback-stack` then rolls back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { MISSING_LAYER, samFunction, samTemplate } from '../src/testing/cloudformation-templates.js';

const server = useServer();

const FAILING = samTemplate(samFunction('First', 'one'), samFunction('Second', 'two', `      Layers: [${MISSING_LAYER}]\n`));
const GOOD = samTemplate(samFunction('First', 'one'));

function templateFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-cfn-rollback-'));
  writeFileSync(join(dir, 'template.yaml'), text);
  return join(dir, 'template.yaml');
}

const deploy = (name: string, text: string, ...extra: string[]) =>
  awsCli(server.url, ['cloudformation', 'deploy', '--template-file', templateFile(text), '--stack-name', name, '--capabilities', 'CAPABILITY_IAM', ...extra]);

async function describe(name: string): Promise<{ StackId: string; StackStatus: string; StackStatusReason?: string; DisableRollback: boolean }> {
  const out = await awsCli(server.url, ['cloudformation', 'describe-stacks', '--stack-name', name]);
  assert.equal(out.code, 0, out.stderr);
  return out.json().Stacks[0];
}

async function functionNames(prefix: string): Promise<string[]> {
  return ((await server.lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName!).filter((n) => n.startsWith(prefix));
}

const FAILED_DEPLOY = (name: string) => `Failed to create/update the stack. Run the following command\nto fetch the list of events leading up to the failure\naws cloudformation describe-stack-events --stack-name ${name}`;

test('aws cloudformation deploy of a failing template rolls back; the stack refuses updates until deleted', { timeout: 240_000 }, async () => {
  const failed = await deploy('clirb', FAILING);
  assert.equal(failed.code, 255);
  assert.ok(failed.stderr.includes(FAILED_DEPLOY('clirb')), failed.stderr);
  const stack = await describe('clirb');
  assert.deepEqual([stack.StackStatus, stack.StackStatusReason, stack.DisableRollback],
    ['ROLLBACK_COMPLETE', 'The following resource(s) failed to create: [Second]. Rollback requested by user.', false]);
  assert.deepEqual(await functionNames('clirb-'), []);

  const events = (await awsCli(server.url, ['cloudformation', 'describe-stack-events', '--stack-name', 'clirb'])).json().StackEvents as { LogicalResourceId: string; ResourceStatus: string }[];
  const statuses = events.reverse().filter((e) => e.LogicalResourceId === 'clirb' && e.ResourceStatus !== 'REVIEW_IN_PROGRESS').map((e) => e.ResourceStatus);
  assert.deepEqual(statuses, ['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE']);
  assert.ok(events.some((e) => e.LogicalResourceId === 'Second' && e.ResourceStatus === 'CREATE_FAILED'));
  assert.ok(events.some((e) => e.LogicalResourceId === 'First' && e.ResourceStatus === 'DELETE_COMPLETE'));

  const waited = await awsCli(server.url, ['cloudformation', 'wait', 'stack-create-complete', '--stack-name', 'clirb']);
  assert.equal(waited.code, 255);
  assert.match(waited.stderr, /Waiter StackCreateComplete failed: Waiter encountered a terminal failure state: For expression "Stacks\[\]\.StackStatus" we matched expected path: "ROLLBACK_COMPLETE"/);

  // As AWS: the CLI asks for an UPDATE change set, which a ROLLBACK_COMPLETE stack refuses.
  const again = await deploy('clirb', GOOD);
  assert.notEqual(again.code, 0);
  // (The CLI adds "(reached max retries: 0)" here as the tests run it with one attempt.)
  assert.match(again.stderr, /An error occurred \(ValidationError\) when calling the CreateChangeSet operation[^:]*: (.*)/);
  assert.ok(again.stderr.trim().endsWith(`: Stack:${stack.StackId} is in ROLLBACK_COMPLETE state and can not be updated.`), again.stderr);

  assert.equal((await awsCli(server.url, ['cloudformation', 'delete-stack', '--stack-name', 'clirb'])).code, 0);
  assert.equal((await awsCli(server.url, ['cloudformation', 'wait', 'stack-delete-complete', '--stack-name', 'clirb'])).code, 0);
  const fresh = await deploy('clirb', GOOD);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.deepEqual(await functionNames('clirb-'), ['clirb-First']);
});

test('aws cloudformation deploy --disable-rollback leaves CREATE_FAILED; rollback-stack rolls it back', { timeout: 240_000 }, async () => {
  const failed = await deploy('clinr', FAILING, '--disable-rollback');
  assert.equal(failed.code, 255);
  assert.ok(failed.stderr.includes(FAILED_DEPLOY('clinr')), failed.stderr);
  const stack = await describe('clinr');
  assert.deepEqual([stack.StackStatus, stack.DisableRollback], ['CREATE_FAILED', true]);
  assert.deepEqual(await functionNames('clinr-'), ['clinr-First']);

  const rolled = await awsCli(server.url, ['cloudformation', 'rollback-stack', '--stack-name', 'clinr']);
  assert.equal(rolled.code, 0, rolled.stderr);
  assert.equal(rolled.json().StackId, stack.StackId);
  let status = (await describe('clinr')).StackStatus;
  for (let i = 0; i < 120 && status.endsWith('_IN_PROGRESS'); i++) {
    await new Promise((r) => setTimeout(r, 500));
    status = (await describe('clinr')).StackStatus;
  }
  assert.equal(status, 'ROLLBACK_COMPLETE');
  assert.deepEqual(await functionNames('clinr-'), []);
  const continued = await awsCli(server.url, ['cloudformation', 'continue-update-rollback', '--stack-name', 'clinr']);
  assert.equal(continued.code, 254);
  assert.match(continued.stderr, /ValidationError.*is in ROLLBACK_COMPLETE state and can not be rolled back\./);
});

test('aws cloudformation deploy of a failing update rolls back to the previous template; the change set is EXECUTE_FAILED', { timeout: 240_000 }, async () => {
  const created = await deploy('cliup', GOOD);
  assert.equal(created.code, 0, created.stderr);
  const failed = await deploy('cliup', samTemplate(samFunction('First', 'two'), samFunction('Added', 'added'), samFunction('Second', 'two', `      Layers: [${MISSING_LAYER}]\n`)));
  assert.equal(failed.code, 255);
  assert.ok(failed.stderr.includes(FAILED_DEPLOY('cliup')), failed.stderr);
  const stack = await describe('cliup');
  assert.deepEqual([stack.StackStatus, stack.StackStatusReason], ['UPDATE_ROLLBACK_COMPLETE', 'The following resource(s) failed to create: [Second].']);
  assert.equal((await awsCli(server.url, ['cloudformation', 'get-template', '--stack-name', 'cliup'])).json().TemplateBody, GOOD);
  assert.deepEqual(await functionNames('cliup-'), ['cliup-First']);
  const changeSets = (await awsCli(server.url, ['cloudformation', 'list-change-sets', '--stack-name', 'cliup'])).json().Summaries;
  assert.deepEqual(changeSets.map((c: { ExecutionStatus: string }) => c.ExecutionStatus), ['EXECUTE_FAILED']);
  // UPDATE_ROLLBACK_COMPLETE takes the next deploy.
  const fixed = await deploy('cliup', samTemplate(samFunction('First', 'three')));
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.equal((await describe('cliup')).StackStatus, 'UPDATE_COMPLETE');
});
