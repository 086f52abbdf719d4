// DashboardStore on SQLite: a multi-dashboard delete is one transaction.
import { byName, type DashboardStore, type StoredDashboard } from '../dashboard-store.js';
import { DASHBOARD_SQL, dashboardFromRow, dashboardParams, type DashboardRow } from '../rows/dashboards.js';
import type { SqliteDb } from './database.js';

export class SqliteDashboardStore implements DashboardStore {
  readonly #db: SqliteDb;
  readonly #s;

  constructor(db: SqliteDb) {
    this.#db = db;
    this.#s = {
      put: db.prepare(DASHBOARD_SQL.put),
      get: db.prepare(DASHBOARD_SQL.get),
      list: db.prepare(DASHBOARD_SQL.list),
      exists: db.prepare(DASHBOARD_SQL.exists),
      delete: db.prepare(DASHBOARD_SQL.delete),
    };
  }

  async putDashboard(d: StoredDashboard): Promise<void> {
    this.#s.put.run(...dashboardParams(d));
  }

  async getDashboard(accountId: string, name: string): Promise<StoredDashboard | undefined> {
    const row = this.#s.get.get(accountId, name) as DashboardRow | undefined;
    return row && dashboardFromRow(row);
  }

  async listDashboards(accountId: string): Promise<StoredDashboard[]> {
    return (this.#s.list.all(accountId) as DashboardRow[]).map(dashboardFromRow).sort(byName);
  }

  async deleteDashboards(accountId: string, names: string[]): Promise<string[]> {
    return this.#db.transaction(() => {
      const missing = names.filter((n) => !this.#s.exists.get(accountId, n));
      if (!missing.length) for (const n of names) this.#s.delete.run(accountId, n);
      return missing;
    })();
  }
}
