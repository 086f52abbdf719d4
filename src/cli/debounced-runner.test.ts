import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DebouncedRunner } from './debounced-runner.js';

/** A task the test finishes by hand, recording what each run was given. */
function controlledTask() {
  const runs: string[][] = [];
  const finishers: (() => void)[] = [];
  let started: () => void = () => {};
  return {
    runs,
    task: (changes: string[]) => {
      runs.push(changes);
      started();
      return new Promise<void>((resolve) => finishers.push(resolve));
    },
    nextStart: () => new Promise<void>((resolve) => (started = resolve)),
    finish: () => finishers.shift()!(),
  };
}

test('runs once changes have been quiet, with all of them', async () => {
  const t = controlledTask();
  const runner = new DebouncedRunner(30, t.task);
  const started = t.nextStart();
  runner.touch('a');
  runner.touch('b');
  runner.touch('a');
  assert.equal(t.runs.length, 0, 'not before the quiet time');
  await started;
  assert.deepEqual(t.runs, [['a', 'b']]);
  t.finish();
  await runner.stop();
});

test('changes during a run make exactly one more run after it', async () => {
  const t = controlledTask();
  const runner = new DebouncedRunner(10, t.task);
  const first = t.nextStart();
  void runner.runNow();
  await first;
  runner.touch('x');
  runner.touch('y');
  await new Promise((r) => setTimeout(r, 40)); // the quiet time passes while the run goes on
  runner.touch('z');
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(t.runs.length, 1, 'never two at once');
  const second = t.nextStart();
  t.finish();
  await second;
  assert.deepEqual(t.runs, [[], ['x', 'y', 'z']]);
  t.finish();
  await runner.stop();
  assert.equal(t.runs.length, 2);
});

test('stop waits for the run in progress and drops pending changes', async () => {
  const t = controlledTask();
  const runner = new DebouncedRunner(10, t.task);
  const first = t.nextStart();
  void runner.runNow();
  await first;
  runner.touch('late');
  let stopped = false;
  const stopping = runner.stop().then(() => (stopped = true));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(stopped, false, 'still running');
  t.finish();
  await stopping;
  assert.deepEqual(t.runs, [[]]);
  runner.touch('after');
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(t.runs.length, 1);
});
