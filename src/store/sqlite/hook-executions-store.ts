// HookExecutionsStore on SQLite: one row per execution in codedeploy_hook_executions.
import type { HookExecutionsStore, HookStatus } from '../hook-executions-store.js';
import { HOOK_SQL } from '../rows/hook-executions.js';
import type { SqliteDb } from './database.js';

export class SqliteHookExecutionsStore implements HookExecutionsStore {
  readonly #s;

  constructor(db: SqliteDb) {
    this.#s = {
      purge: db.prepare(HOOK_SQL.purge),
      register: db.prepare(HOOK_SQL.register),
      status: db.prepare(HOOK_SQL.status).pluck(),
      hasDeployment: db.prepare(HOOK_SQL.hasDeployment).pluck(),
      complete: db.prepare(HOOK_SQL.complete),
    };
  }

  async purge(nowMs: number): Promise<void> {
    this.#s.purge.run(nowMs);
  }

  async register(deploymentId: string, executionId: string, expiresMs: number, max: number): Promise<boolean> {
    return this.#s.register.run(deploymentId, executionId, expiresMs, max).changes > 0;
  }

  async status(deploymentId: string, executionId: string): Promise<HookStatus | undefined> {
    return this.#s.status.get(deploymentId, executionId) as HookStatus | undefined;
  }

  async hasDeployment(deploymentId: string): Promise<boolean> {
    return this.#s.hasDeployment.get(deploymentId) !== undefined;
  }

  async complete(deploymentId: string, executionId: string, status: 'Succeeded' | 'Failed'): Promise<boolean> {
    return this.#s.complete.run(status, deploymentId, executionId).changes > 0;
  }
}
