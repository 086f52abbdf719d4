// The interpreter on its own: a fake invoke pipeline and history sink, execution time 1000 times
// faster. Timeouts, catches of States.Timeout, Map concurrency bounds, a failing Parallel branch
// and a stop are checked through the outputs, errors and events they leave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Invoker } from '../lambda/invoke.js';
import type { SfnStore, StoredHistoryEvent } from '../store/stepfunctions-store.js';
import { History } from './history.js';
import { runMachine } from './interpreter.js';
import type { Json } from './jsonpath.js';
import { StatesError } from './errors.js';
import { Aborted, sleeper, type MachineDef, type RunDeps } from './run-deps.js';

const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

function setup(fn: (name: string, payload: Json) => Promise<Json>, signal = new AbortController().signal) {
  const events: StoredHistoryEvent[] = [];
  const store = { appendHistory: async (_arn: string, list: StoredHistoryEvent[]) => { events.push(...list); } } as unknown as SfnStore;
  const invoker: Pick<Invoker, 'invoke'> = {
    invoke: async (input) => {
      const result = await fn(input.ref.name, JSON.parse(input.payload.toString()) as Json);
      return { statusCode: 200, requestId: 'r', executedVersion: '$LATEST', payload: Buffer.from(JSON.stringify(result)) };
    },
  };
  const history = new History(store, 'arn', Date.now);
  const deps: RunDeps = { history, invoker, accountId: '000000000000', region: 'us-east-1', signal, now: Date.now, sleep: sleeper(1000), context: {} };
  return { deps, events, history };
}

const machine = (states: Record<string, unknown>, startAt = Object.keys(states)[0]): MachineDef => ({ StartAt: startAt, States: states as MachineDef['States'] });

test('a task over its TimeoutSeconds fails with States.Timeout, which a Catch takes (States.TaskFailed would not)', async () => {
  const { deps, history, events } = setup(() => new Promise((r) => setTimeout(() => r('late'), 500)));
  const def = machine({
    Slow: { Type: 'Task', Resource: fnArn('slow'), TimeoutSeconds: 10, Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Wrong' }, { ErrorEquals: ['States.Timeout'], ResultPath: '$.err', Next: 'Done' }], End: true },
    Wrong: { Type: 'Fail', Error: 'Wrong' },
    Done: { Type: 'Pass', End: true },
  });
  const out = await runMachine(def, { x: 1 }, deps);
  assert.deepEqual(out, { x: 1, err: { Error: 'States.Timeout', Cause: '' } });
  await history.flush();
  assert.ok(events.some((e) => e.type === 'LambdaFunctionTimedOut'));
});

test('Map runs at most MaxConcurrency items at once and keeps their order', async () => {
  let running = 0;
  let most = 0;
  const { deps } = setup(async (_name, payload) => {
    running++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 20));
    running--;
    return (payload as number) * 10;
  });
  const def = machine({ M: { Type: 'Map', MaxConcurrency: 2, ItemProcessor: machine({ T: { Type: 'Task', Resource: fnArn('x'), End: true } }), End: true } });
  assert.deepEqual(await runMachine(def, [1, 2, 3, 4, 5], deps), [10, 20, 30, 40, 50]);
  assert.equal(most, 2);
});

test('a failing Parallel branch fails the state with the branch\'s error', async () => {
  const { deps } = setup(async () => null);
  const def = machine({
    P: {
      Type: 'Parallel', End: true,
      Branches: [machine({ W: { Type: 'Wait', Seconds: 1000, End: true } }), machine({ F: { Type: 'Fail', Error: 'Boom', Cause: 'why' } })],
    },
  });
  await assert.rejects(runMachine(def, {}, deps), (e: unknown) => e instanceof StatesError && e.error === 'Boom' && e.cause === 'why');
});

test('Wait until a Timestamp in the past goes on at once; a stop ends a long Wait with Aborted', async () => {
  const { deps } = setup(async () => null);
  const past = machine({ W: { Type: 'Wait', TimestampPath: '$.at', Next: 'S' }, S: { Type: 'Succeed' } });
  assert.deepEqual(await runMachine(past, { at: '2000-01-01T00:00:00Z' }, deps), { at: '2000-01-01T00:00:00Z' });
  const stop = new AbortController();
  const stopped = setup(async () => null, stop.signal);
  const run = runMachine(machine({ W: { Type: 'Wait', Seconds: 1_000_000, End: true } }), {}, stopped.deps);
  stop.abort();
  await assert.rejects(run, (e: unknown) => e instanceof Aborted);
});
