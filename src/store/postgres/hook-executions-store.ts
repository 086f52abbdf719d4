// HookExecutionsStore on PostgreSQL: the same rows, shared by the nodes of a cluster.
import type { HookExecutionsStore, HookStatus } from '../hook-executions-store.js';
import { HOOK_SQL } from '../rows/hook-executions.js';
import type { PgDb } from './database.js';

export class PgHookExecutionsStore implements HookExecutionsStore {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async purge(nowMs: number): Promise<void> {
    await this.#db.run(HOOK_SQL.purge, [nowMs]);
  }

  async register(deploymentId: string, executionId: string, expiresMs: number, max: number): Promise<boolean> {
    return (await this.#db.run(HOOK_SQL.register, [deploymentId, executionId, expiresMs, max])) > 0;
  }

  async status(deploymentId: string, executionId: string): Promise<HookStatus | undefined> {
    return (await this.#db.get<{ status: HookStatus }>(HOOK_SQL.status, [deploymentId, executionId]))?.status;
  }

  async hasDeployment(deploymentId: string): Promise<boolean> {
    return (await this.#db.get(HOOK_SQL.hasDeployment, [deploymentId])) !== undefined;
  }

  async complete(deploymentId: string, executionId: string, status: 'Succeeded' | 'Failed'): Promise<boolean> {
    return (await this.#db.run(HOOK_SQL.complete, [status, deploymentId, executionId])) > 0;
  }
}
