// DashboardStore on PostgreSQL: a multi-dashboard delete is one transaction, so it happens whole or not at all.
import { byName, type DashboardStore, type StoredDashboard } from '../dashboard-store.js';
import { DASHBOARD_SQL, dashboardFromRow, dashboardParams, type DashboardRow } from '../rows/dashboards.js';
import type { PgDb } from './database.js';

export class PgDashboardStore implements DashboardStore {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async putDashboard(d: StoredDashboard): Promise<void> {
    await this.#db.run(DASHBOARD_SQL.put, dashboardParams(d));
  }

  async getDashboard(accountId: string, name: string): Promise<StoredDashboard | undefined> {
    const row = await this.#db.get<DashboardRow>(DASHBOARD_SQL.get, [accountId, name]);
    return row && dashboardFromRow(row);
  }

  async listDashboards(accountId: string): Promise<StoredDashboard[]> {
    return (await this.#db.all<DashboardRow>(DASHBOARD_SQL.list, [accountId])).map(dashboardFromRow).sort(byName);
  }

  deleteDashboards(accountId: string, names: string[]): Promise<string[]> {
    return this.#db.tx(async (sql) => {
      const missing: string[] = [];
      for (const n of names) if (!(await sql.get(DASHBOARD_SQL.exists, [accountId, n]))) missing.push(n);
      if (!missing.length) for (const n of names) await sql.run(DASHBOARD_SQL.delete, [accountId, n]);
      return missing;
    });
  }
}
