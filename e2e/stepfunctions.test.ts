// Step Functions through the SDK on a real server with real functions: the control plane and its
// errors, executions through Pass/Task (both Lambda forms)/Choice/Wait/Parallel/Map/Fail with
// Retry and Catch, their history events, StopExecution and paging. Execution time runs 20 times
// faster (STAGECRAFT_STATES_CLOCK), so retry intervals and waits are short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateStateMachineCommand, DeleteStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand,
  ListExecutionsCommand, ListStateMachinesCommand, ListTagsForResourceCommand, StartExecutionCommand, StopExecutionCommand, TagResourceCommand,
  UntagResourceCommand, UpdateStateMachineCommand, type DescribeExecutionCommandOutput, type SFNClient,
} from '@aws-sdk/client-sfn';
import { useServer } from '../src/testing/fixture.js';
import { failure, sfnClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';

const fixture = useServer({ env: { STAGECRAFT_STATES_CLOCK: '20' } });
const role = `arn:aws:iam::${testAccount}:role/sfn`;
const fnArn = (name: string) => `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}`;

let sfn: SFNClient;
const client = () => (sfn ??= sfnClient(fixture.url));

async function finished(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (;;) {
    const d = await client().send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function run(name: string, definition: object, input: unknown): Promise<DescribeExecutionCommandOutput & { types: string[] }> {
  const { stateMachineArn } = await client().send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: role }));
  const { executionArn } = await client().send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  const d = await finished(executionArn!);
  const history = await client().send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return { ...d, types: history.events!.map((e) => e.type!) };
}

test('state machines: create, describe, list with paging, update, tags, delete, and their errors', { timeout: 60_000 }, async () => {
  const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
  const created = await client().send(new CreateStateMachineCommand({ name: 'cp-one', definition, roleArn: role, tags: [{ key: 'team', value: 'a' }] }));
  assert.equal(created.stateMachineArn, `arn:aws:states:${testRegion}:${testAccount}:stateMachine:cp-one`);
  await client().send(new CreateStateMachineCommand({ name: 'cp-two', definition, roleArn: role }));
  const exists = await failure(client().send(new CreateStateMachineCommand({ name: 'cp-one', definition, roleArn: `${role}-other` })));
  assert.equal(exists.name, 'StateMachineAlreadyExists');
  assert.equal(exists.status, 400);
  const bad = await failure(client().send(new CreateStateMachineCommand({ name: 'cp-bad', definition: '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Z"}}}', roleArn: role })));
  assert.equal(bad.name, 'InvalidDefinition');
  assert.equal(bad.message, "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Z at /States/A/Next'");
  assert.equal((await failure(client().send(new CreateStateMachineCommand({ name: 'bad name', definition, roleArn: role })))).name, 'InvalidName');
  const described = await client().send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
  assert.equal(described.definition, definition);
  assert.equal(described.status, 'ACTIVE');
  assert.equal(described.type, 'STANDARD');
  const first = await client().send(new ListStateMachinesCommand({ maxResults: 1 }));
  assert.equal(first.stateMachines!.length, 1);
  assert.ok(first.nextToken);
  const rest = await client().send(new ListStateMachinesCommand({ nextToken: first.nextToken }));
  const names = [...first.stateMachines!, ...rest.stateMachines!].map((m) => m.name);
  assert.ok(names.includes('cp-one') && names.includes('cp-two'));
  const update = await client().send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: definition.replace('Pass', 'Succeed').replace(',"End":true', '') }));
  assert.ok(update.revisionId);
  assert.match((await client().send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }))).definition!, /Succeed/);
  await client().send(new TagResourceCommand({ resourceArn: created.stateMachineArn, tags: [{ key: 'env', value: 'dev' }] }));
  await client().send(new UntagResourceCommand({ resourceArn: created.stateMachineArn, tagKeys: ['team'] }));
  assert.deepEqual((await client().send(new ListTagsForResourceCommand({ resourceArn: created.stateMachineArn }))).tags, [{ key: 'env', value: 'dev' }]);
  await client().send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
  const missing = await failure(client().send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })));
  assert.equal(missing.name, 'StateMachineDoesNotExist');
  assert.equal(missing.message, `State Machine Does Not Exist: '${created.stateMachineArn}'`);
  const badArn = await failure(client().send(new DescribeStateMachineCommand({ stateMachineArn: 'nope' })));
  assert.equal(badArn.name, 'InvalidArn');
  assert.equal(badArn.message, "Invalid Arn: 'Invalid ARN prefix: nope'");
});

test('a workflow of Lambda tasks (both resource forms), Choice, Map, Parallel and Pass succeeds with the expected output and history', { timeout: 120_000 }, async () => {
  await createNodeFunction(fixture.lambda, 'sfn-double', 'exports.handler = async (e) => ({ doubled: e.value * 2 });');
  const definition = {
    StartAt: 'Double',
    States: {
      Double: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'sfn-double', 'Payload.$': '$' }, ResultSelector: { 'v.$': '$.Payload.doubled' }, ResultPath: '$.first', Next: 'Big?' },
      'Big?': { Type: 'Choice', Choices: [{ Variable: '$.first.v', NumericGreaterThan: 5, Next: 'EachItem' }], Default: 'Small' },
      Small: { Type: 'Fail', Error: 'TooSmall', Cause: 'value was small' },
      EachItem: {
        Type: 'Map', ItemsPath: '$.items', ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' }, MaxConcurrency: 2, ResultPath: '$.mapped',
        ItemProcessor: { StartAt: 'Legacy', States: { Legacy: { Type: 'Task', Resource: fnArn('sfn-double'), End: true } } }, Next: 'Both',
      },
      Both: {
        Type: 'Parallel', ResultPath: '$.both', Next: 'Shape',
        Branches: [
          { StartAt: 'One', States: { One: { Type: 'Pass', Result: 1, End: true } } },
          { StartAt: 'Two', States: { Two: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.items)' }, End: true } } },
        ],
      },
      Shape: { Type: 'Pass', Parameters: { 'first.$': '$.first.v', 'mapped.$': '$.mapped[*].doubled', 'both.$': '$.both', 'msg.$': "States.Format('{} items', States.ArrayLength($.items))" }, End: true },
    },
  };
  const done = await run('workflow', definition, { value: 4, items: [1, 2, 3] });
  assert.equal(done.status, 'SUCCEEDED', `${done.error}: ${done.cause}`);
  assert.deepEqual(JSON.parse(done.output!), { first: 8, mapped: [2, 4, 6], both: [1, { n: 3 }], msg: '3 items' });
  assert.deepEqual(done.types.slice(0, 7), ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ChoiceStateEntered']);
  for (const t of ['MapStateEntered', 'MapStateStarted', 'MapIterationStarted', 'LambdaFunctionScheduled', 'LambdaFunctionSucceeded', 'MapIterationSucceeded', 'MapStateSucceeded', 'ParallelStateStarted', 'ParallelStateSucceeded', 'PassStateExited']) {
    assert.ok(done.types.includes(t), `history has ${t}: ${done.types.join(', ')}`);
  }
  assert.equal(done.types[done.types.length - 1], 'ExecutionSucceeded');

  const small = await run('workflow-small', definition, { value: 1, items: [] });
  assert.equal(small.status, 'FAILED');
  assert.equal(small.error, 'TooSmall');
  assert.equal(small.cause, 'value was small');
  assert.deepEqual(small.types.slice(-2), ['FailStateEntered', 'ExecutionFailed']);
});

test('a function error is retried, then caught with its errorType; an uncaught one fails the execution', { timeout: 120_000 }, async () => {
  await createNodeFunction(fixture.lambda, 'sfn-flaky', `
    let calls = 0;
    exports.handler = async (e) => {
      calls++;
      if (calls < 3) { const err = new Error('not yet ' + calls); err.name = 'NotYet'; throw err; }
      if (e.always) { const err = new Error('broken'); err.name = 'Broken'; throw err; }
      return { calls };
    };`);
  const retried = await run('retries', {
    StartAt: 'Call',
    States: { Call: { Type: 'Task', Resource: fnArn('sfn-flaky'), Retry: [{ ErrorEquals: ['NotYet'], IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 1 }], End: true } },
  }, {});
  assert.equal(retried.status, 'SUCCEEDED', `${retried.error}: ${retried.cause}`);
  assert.deepEqual(JSON.parse(retried.output!), { calls: 3 });
  assert.equal(retried.types.filter((t) => t === 'LambdaFunctionFailed').length, 2);

  const caught = await run('caught', {
    StartAt: 'Call',
    States: {
      Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: fnArn('sfn-flaky'), Payload: { always: true } }, Catch: [{ ErrorEquals: ['Broken'], ResultPath: '$.error', Next: 'Handled' }], End: true },
      Handled: { Type: 'Pass', End: true },
    },
  }, { keep: true });
  assert.equal(caught.status, 'SUCCEEDED');
  const out = JSON.parse(caught.output!);
  assert.equal(out.keep, true);
  assert.equal(out.error.Error, 'Broken');
  assert.equal(JSON.parse(out.error.Cause).errorMessage, 'broken');
  assert.ok(caught.types.includes('TaskFailed'));

  const uncaught = await run('uncaught', { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: fnArn('sfn-flaky'), End: true } } }, { always: true });
  assert.equal(uncaught.status, 'FAILED');
  assert.equal(uncaught.error, 'Broken');

  const missingFn = await run('missing-fn', { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: fnArn('sfn-nowhere'), End: true } } }, {});
  assert.equal(missingFn.status, 'FAILED');
  assert.equal(missingFn.error, 'Lambda.ResourceNotFoundException');

  const asyncInvoke = await run('async-invoke', { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'sfn-flaky', InvocationType: 'Event', Payload: {} }, OutputPath: '$.StatusCode', End: true } } }, {});
  assert.equal(asyncInvoke.status, 'SUCCEEDED');
  assert.equal(asyncInvoke.output, '202');

  const timedOut = await run('timed-out', { TimeoutSeconds: 10, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100000, End: true } } }, {});
  assert.equal(timedOut.status, 'TIMED_OUT');
  assert.deepEqual(timedOut.types, ['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);

  const badPath = await run('bad-path', { StartAt: 'P', States: { P: { Type: 'Pass', InputPath: '$.nope', End: true } } }, {});
  assert.equal(badPath.status, 'FAILED');
  assert.equal(badPath.error, 'States.Runtime');
});

test('executions: names, input checks, a Wait stopped by StopExecution, listing by status with paging', { timeout: 60_000 }, async () => {
  const { stateMachineArn } = await client().send(new CreateStateMachineCommand({
    name: 'waiting', roleArn: role, definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.wait', Next: 'Done' }, Done: { Type: 'Succeed' } } }),
  }));
  const bad = await failure(client().send(new StartExecutionCommand({ stateMachineArn, input: '{not json' })));
  assert.equal(bad.name, 'InvalidExecutionInput');
  const long = await client().send(new StartExecutionCommand({ stateMachineArn, name: 'long', input: '{"wait":100000}' }));
  assert.equal(long.executionArn, `arn:aws:states:${testRegion}:${testAccount}:execution:waiting:long`);
  // The same name and input while running answers the same execution; other input is refused.
  assert.equal((await client().send(new StartExecutionCommand({ stateMachineArn, name: 'long', input: '{"wait":100000}' }))).executionArn, long.executionArn);
  assert.equal((await failure(client().send(new StartExecutionCommand({ stateMachineArn, name: 'long', input: '{"wait":1}' })))).name, 'ExecutionAlreadyExists');
  const short = await client().send(new StartExecutionCommand({ stateMachineArn, input: '{"wait":1}' }));
  assert.match(short.executionArn!, /:execution:waiting:[0-9a-f-]{36}$/);
  assert.equal((await finished(short.executionArn!)).status, 'SUCCEEDED');
  await client().send(new StopExecutionCommand({ executionArn: long.executionArn, error: 'Manual', cause: 'tired of waiting' }));
  const stopped = await client().send(new DescribeExecutionCommand({ executionArn: long.executionArn }));
  assert.equal(stopped.status, 'ABORTED');
  assert.equal(stopped.error, 'Manual');
  assert.ok(stopped.stopDate);
  const history = await client().send(new GetExecutionHistoryCommand({ executionArn: long.executionArn, reverseOrder: true }));
  assert.equal(history.events![0].type, 'ExecutionAborted');
  assert.equal(history.events![0].executionAbortedEventDetails?.cause, 'tired of waiting');
  assert.deepEqual(history.events!.map((e) => e.type).reverse(), ['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
  assert.equal(history.events![history.events!.length - 1].executionStartedEventDetails?.input, '{"wait":100000}');
  const aborted = await client().send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }));
  assert.deepEqual(aborted.executions!.map((e) => e.name), ['long']);
  const page1 = await client().send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1 }));
  const page2 = await client().send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1, nextToken: page1.nextToken }));
  assert.equal(page2.nextToken, undefined);
  assert.deepEqual(new Set([...page1.executions!, ...page2.executions!].map((e) => e.executionArn)), new Set([long.executionArn, short.executionArn]));
  const missing = await failure(client().send(new DescribeExecutionCommand({ executionArn: `${long.executionArn}x` })));
  assert.equal(missing.name, 'ExecutionDoesNotExist');
});
