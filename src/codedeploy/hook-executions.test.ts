// Hook executions on an embedded store: PutLifecycleEventHookExecutionStatus's checks in the order
// CodeDeploy applies them, one verdict per execution, executions forgotten after their time, and
// the cap on how many wait. (The store itself is held to its contract on SQLite and PostgreSQL.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsError } from '../core/errors.js';
import { openSqlite } from '../store/sqlite/database.js';
import { allMigrations } from '../store/sqlite/migrations.js';
import { SqliteHookExecutionsStore } from '../store/sqlite/hook-executions-store.js';
import { HookExecutions } from './hook-executions.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function hookExecutions(now?: () => number): HookExecutions {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-hooks-'));
  dirs.push(dir);
  return new HookExecutions(new SqliteHookExecutionsStore(openSqlite(dir, allMigrations)), now);
}

const code = async (fn: () => Promise<void>): Promise<string | undefined> => {
  try {
    await fn();
    return undefined;
  } catch (e) {
    assert.ok(e instanceof AwsError, String(e));
    assert.equal(e.status, 400);
    return e.code;
  }
};

test('a registered execution takes one verdict, Succeeded or Failed', async () => {
  const hooks = hookExecutions();
  assert.equal(await hooks.register('d-ABCDEFGH1', 'exec-1', 60_000), true);
  assert.equal(await hooks.status('d-ABCDEFGH1', 'exec-1'), 'Pending');
  assert.equal(await code(() => hooks.report('d-ABCDEFGH1', 'exec-1', 'InProgress')), 'InvalidLifecycleEventHookExecutionStatusException');
  assert.equal(await code(() => hooks.report('d-ABCDEFGH1', 'exec-1', 'Failed')), undefined);
  assert.equal(await hooks.status('d-ABCDEFGH1', 'exec-1'), 'Failed');
  assert.equal(await code(() => hooks.report('d-ABCDEFGH1', 'exec-1', 'Succeeded')), 'LifecycleEventAlreadyCompletedException');
  assert.equal(await hooks.status('d-ABCDEFGH1', 'exec-1'), 'Failed');
});

test('unknown or malformed deployments and executions are refused', async () => {
  const hooks = hookExecutions();
  await hooks.register('d-ABCDEFGH1', 'exec-1', 60_000);
  assert.equal(await code(() => hooks.report(undefined, 'exec-1', 'Succeeded')), 'DeploymentIdRequiredException');
  assert.equal(await code(() => hooks.report('deployment-1', 'exec-1', 'Succeeded')), 'InvalidDeploymentIdException');
  assert.equal(await code(() => hooks.report('d-ZZZZZZZZZ', 'exec-1', 'Succeeded')), 'DeploymentDoesNotExistException');
  assert.equal(await code(() => hooks.report('d-ABCDEFGH1', 'exec-2', 'Succeeded')), 'InvalidLifecycleEventHookExecutionIdException');
  assert.equal(await code(() => hooks.report('d-ABCDEFGH1', undefined, 'Succeeded')), 'InvalidLifecycleEventHookExecutionIdException');
  assert.equal(await hooks.status('d-ABCDEFGH1', 'exec-1'), 'Pending');
});

test('an execution is forgotten once its time is up', async () => {
  let now = 1000;
  const hooks = hookExecutions(() => now);
  await hooks.register('d-ABCDEFGH1', 'exec-1', 500);
  now = 1499;
  assert.equal(await hooks.status('d-ABCDEFGH1', 'exec-1'), 'Pending');
  now = 1500;
  assert.equal(await hooks.status('d-ABCDEFGH1', 'exec-1'), undefined);
  assert.equal(await code(() => hooks.report('d-ABCDEFGH1', 'exec-1', 'Succeeded')), 'DeploymentDoesNotExistException');
});

test('at most 10,000 executions wait at once; expired ones make room', async () => {
  let now = 0;
  const hooks = hookExecutions(() => now);
  for (let i = 0; i < 10_000; i++) assert.equal(await hooks.register('d-ABCDEFGH1', `exec-${i}`, i === 0 ? 10 : 60_000), true);
  assert.equal(await hooks.register('d-ABCDEFGH2', 'one-more', 60_000), false);
  await hooks.report('d-ABCDEFGH1', 'exec-1', 'Succeeded');
  assert.equal(await hooks.status('d-ABCDEFGH2', 'one-more'), undefined);
  now = 10;
  assert.equal(await hooks.register('d-ABCDEFGH2', 'one-more', 60_000), true);
  assert.equal(await hooks.status('d-ABCDEFGH2', 'one-more'), 'Pending');
});
