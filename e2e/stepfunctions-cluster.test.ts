// Step Functions in a cluster: two nodes on one PostgreSQL database. An execution started on one
// node that stops while the execution waits is resumed by the other, which runs it to the end; an
// execution running on one node is stopped through the other. Execution time runs 20 times faster.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { TestServer } from '../src/testing/fixture.js';
import { sfnClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';
import { waitFor } from '../src/testing/wait.js';
import { createWaitThenTask, waitEntered } from '../src/testing/state-machines.js';

let database: TestDatabase | undefined;
after(async () => {
  await database?.drop();
});

test('two nodes: the other node resumes an execution whose node stopped, and stops one running elsewhere', { timeout: 180_000 }, async () => {
  database = await createTestDatabase();
  const start = () => TestServer.start({ args: ['--database', database!.url], env: { STAGECRAFT_STATES_CLOCK: '20' } });
  const [a, b] = [await start(), await start()];
  const [sfnA, sfnB] = [sfnClient(a.url), sfnClient(b.url)];
  try {
    await createNodeFunction(a.lambda, 'cluster-echo', 'exports.handler = async (e) => ({ echoed: e });');
    const stateMachineArn = await createWaitThenTask(sfnA, 'cluster-flow', 'cluster-echo');
    const stopped = await sfnA.send(new StartExecutionCommand({ stateMachineArn, name: 'stopped-elsewhere', input: '{"wait":100000}' }));
    const moved = await sfnA.send(new StartExecutionCommand({ stateMachineArn, name: 'moved', input: '{"wait":200}' }));
    await waitFor('both waiting', async () => ((await waitEntered(sfnB, stopped.executionArn!)) && (await waitEntered(sfnB, moved.executionArn!))) || undefined);
    await sfnB.send(new StopExecutionCommand({ executionArn: stopped.executionArn, cause: 'from node B' }));
    assert.equal((await sfnA.send(new DescribeExecutionCommand({ executionArn: stopped.executionArn }))).status, 'ABORTED');
    // Node A stops (letting go of its executions): B claims the RUNNING one and finishes it.
    sfnA.destroy();
    await a.stop();
    const done = await waitFor('the moved execution to end', async () => {
      const d = await sfnB.send(new DescribeExecutionCommand({ executionArn: moved.executionArn }));
      return d.status === 'RUNNING' ? undefined : d;
    }, 90_000);
    assert.equal(done.status, 'SUCCEEDED', `${done.error}: ${done.cause}`);
    assert.deepEqual(JSON.parse(done.output!), { echoed: { wait: 200 } });
    // Resumed, not finished by A: the Wait state was entered again (on B), the execution started once.
    const types = (await sfnB.send(new GetExecutionHistoryCommand({ executionArn: moved.executionArn }))).events!.map((e) => e.type);
    assert.equal(types.filter((t) => t === 'WaitStateEntered').length, 2, types.join(', '));
    assert.equal(types.filter((t) => t === 'ExecutionStarted').length, 1);
    const aborted = await sfnB.send(new DescribeExecutionCommand({ executionArn: stopped.executionArn }));
    assert.equal(aborted.status, 'ABORTED', 'a stopped execution is not resumed');
    assert.equal(aborted.cause, 'from node B');
  } finally {
    sfnA.destroy();
    sfnB.destroy();
    await a.stop().catch(() => undefined);
    await b.stop();
  }
});
