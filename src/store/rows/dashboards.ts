// The SQL both stores run on the dashboards table.
import type { StoredDashboard } from '../dashboard-store.js';

export interface DashboardRow {
  account_id: string;
  name: string;
  body: string;
  tags: string;
  last_modified_ms: number | string;
}

export const DASHBOARD_SQL = {
  put: `INSERT INTO cw_dashboards (account_id, name, body, tags, last_modified_ms) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (account_id, name) DO UPDATE SET body = excluded.body, tags = excluded.tags, last_modified_ms = excluded.last_modified_ms`,
  get: 'SELECT account_id, name, body, tags, last_modified_ms FROM cw_dashboards WHERE account_id = ? AND name = ?',
  list: 'SELECT account_id, name, body, tags, last_modified_ms FROM cw_dashboards WHERE account_id = ?',
  exists: 'SELECT 1 AS found FROM cw_dashboards WHERE account_id = ? AND name = ?',
  delete: 'DELETE FROM cw_dashboards WHERE account_id = ? AND name = ?',
};

export const dashboardParams = (d: StoredDashboard): unknown[] => [d.accountId, d.name, d.body, d.tags, d.lastModifiedMs];

export const dashboardFromRow = (r: DashboardRow): StoredDashboard => ({
  accountId: r.account_id, name: r.name, body: r.body, tags: r.tags, lastModifiedMs: Number(r.last_modified_ms),
});
