// Step Functions through the AWS CLI (`aws stepfunctions …`): a state machine created, an
// execution started and described, its history read, and an error as the CLI shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';

const fixture = useServer();

test('aws stepfunctions: create-state-machine, start-execution, describe-execution, get-execution-history, errors', { timeout: 120_000 }, async () => {
  const cli = (...args: string[]) => awsCli(fixture.url, ['stepfunctions', ...args]);
  const definition = JSON.stringify({ StartAt: 'Greet', States: { Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('hello {}', $.who)" }, End: true } } });
  const created = await cli('create-state-machine', '--name', 'cli-hello', '--definition', definition, '--role-arn', `arn:aws:iam::${testAccount}:role/sfn`);
  assert.equal(created.code, 0, created.stderr);
  const arn = created.json().stateMachineArn;
  assert.equal(arn, `arn:aws:states:${testRegion}:${testAccount}:stateMachine:cli-hello`);
  const started = await cli('start-execution', '--state-machine-arn', arn, '--name', 'first', '--input', '{"who":"cli"}');
  assert.equal(started.code, 0, started.stderr);
  const executionArn = started.json().executionArn;
  let described;
  do described = (await cli('describe-execution', '--execution-arn', executionArn)).json();
  while (described.status === 'RUNNING');
  assert.equal(described.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(described.output), { greeting: 'hello cli' });
  const history = await cli('get-execution-history', '--execution-arn', executionArn);
  assert.deepEqual(history.json().events.map((e: { type: string }) => e.type), ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  const listed = await cli('list-executions', '--state-machine-arn', arn);
  assert.deepEqual(listed.json().executions.map((e: { name: string }) => e.name), ['first']);
  const bad = await cli('create-state-machine', '--name', 'cli-bad', '--definition', '{"StartAt":"X","States":{}}', '--role-arn', `arn:aws:iam::${testAccount}:role/sfn`);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /An error occurred \(InvalidDefinition\) when calling the CreateStateMachine operation(?: \(reached max retries: \d+\))?: Invalid State Machine Definition: /);
  const missing = await cli('describe-execution', '--execution-arn', `${executionArn}-nope`);
  assert.match(missing.stderr, /\(ExecutionDoesNotExist\)/);
});
