// Hook executions without a server: PutLifecycleEventHookExecutionStatus's checks in the order
// CodeDeploy applies them, one verdict per execution, and executions forgotten after their time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../core/errors.js';
import { HookExecutions } from './hook-executions.js';

const code = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof AwsError, String(e));
    assert.equal(e.status, 400);
    return e.code;
  }
};

test('a registered execution takes one verdict, Succeeded or Failed', () => {
  const hooks = new HookExecutions();
  hooks.register('d-ABCDEFGH1', 'exec-1', 60_000);
  assert.equal(hooks.status('d-ABCDEFGH1', 'exec-1'), 'Pending');
  assert.equal(code(() => hooks.report('d-ABCDEFGH1', 'exec-1', 'InProgress')), 'InvalidLifecycleEventHookExecutionStatusException');
  assert.equal(code(() => hooks.report('d-ABCDEFGH1', 'exec-1', 'Failed')), undefined);
  assert.equal(hooks.status('d-ABCDEFGH1', 'exec-1'), 'Failed');
  assert.equal(code(() => hooks.report('d-ABCDEFGH1', 'exec-1', 'Succeeded')), 'LifecycleEventAlreadyCompletedException');
});

test('unknown or malformed deployments and executions are refused', () => {
  const hooks = new HookExecutions();
  hooks.register('d-ABCDEFGH1', 'exec-1', 60_000);
  assert.equal(code(() => hooks.report(undefined, 'exec-1', 'Succeeded')), 'DeploymentIdRequiredException');
  assert.equal(code(() => hooks.report('deployment-1', 'exec-1', 'Succeeded')), 'InvalidDeploymentIdException');
  assert.equal(code(() => hooks.report('d-ZZZZZZZZZ', 'exec-1', 'Succeeded')), 'DeploymentDoesNotExistException');
  assert.equal(code(() => hooks.report('d-ABCDEFGH1', 'exec-2', 'Succeeded')), 'InvalidLifecycleEventHookExecutionIdException');
  assert.equal(hooks.status('d-ABCDEFGH1', 'exec-1'), 'Pending');
});

test('an execution is forgotten once its time is up', () => {
  let now = 1000;
  const hooks = new HookExecutions(() => now);
  hooks.register('d-ABCDEFGH1', 'exec-1', 500);
  now = 1499;
  assert.equal(hooks.status('d-ABCDEFGH1', 'exec-1'), 'Pending');
  now = 1500;
  assert.equal(hooks.status('d-ABCDEFGH1', 'exec-1'), undefined);
  assert.equal(code(() => hooks.report('d-ABCDEFGH1', 'exec-1', 'Succeeded')), 'DeploymentDoesNotExistException');
});

test('at most 10,000 executions wait at once', () => {
  const hooks = new HookExecutions();
  for (let i = 0; i < 10_000; i++) assert.equal(hooks.register('d-ABCDEFGH1', `exec-${i}`, 60_000), true);
  assert.equal(hooks.register('d-ABCDEFGH2', 'one-more', 60_000), false);
  hooks.report('d-ABCDEFGH1', 'exec-0', 'Succeeded');
  assert.equal(hooks.status('d-ABCDEFGH2', 'one-more'), undefined);
});
