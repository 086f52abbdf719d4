// Executions survive the server: one waiting in a Wait state when the server is killed (SIGKILL)
// and one when it is stopped resume after the restart from their checkpoint, and run their
// remaining states (a Lambda task) to the end. Execution time runs 20 times faster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { TestServer } from '../src/testing/fixture.js';
import { sfnClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { createWaitThenTask, waitEntered } from '../src/testing/state-machines.js';
import { waitFor } from '../src/testing/wait.js';

test('RUNNING executions resume after a crash and after a stop, and finish', { timeout: 180_000 }, async () => {
  let server = await TestServer.start({ env: { STAGECRAFT_STATES_CLOCK: '20' } });
  let sfn = sfnClient(server.url);
  try {
    await createNodeFunction(server.lambda, 'resume-add', 'exports.handler = async (e) => ({ total: e.a + e.b });');
    const stateMachineArn = await createWaitThenTask(sfn, 'resumable', 'resume-add');
    for (const crash of [true, false]) {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ wait: 200, a: 2, b: crash ? 3 : 4 }) }));
      await waitFor('the Wait entered', () => waitEntered(sfn, executionArn!));
      sfn.destroy();
      server = await server.restart({ crash });
      sfn = sfnClient(server.url);
      const done = await waitFor('the execution to end', async () => {
        const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        return d.status === 'RUNNING' ? undefined : d;
      }, 90_000);
      assert.equal(done.status, 'SUCCEEDED', `${crash ? 'crash' : 'stop'}: ${done.error}: ${done.cause}`);
      assert.deepEqual(JSON.parse(done.output!), { total: crash ? 5 : 6 });
      const types = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!.map((e) => e.type);
      assert.equal(types.filter((t) => t === 'ExecutionStarted').length, 1);
      // Resumed after the restart: the Wait state was entered again.
      assert.equal(types.filter((t) => t === 'WaitStateEntered').length, 2, types.join(', '));
      assert.deepEqual(types.slice(-3), ['LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
      const ids = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!.map((e) => e.id);
      assert.deepEqual(ids, ids.map((_, i) => i + 1), 'event ids run on from before the restart');
    }
  } finally {
    sfn.destroy();
    await server.stop();
  }
});
