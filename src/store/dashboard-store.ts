// CloudWatch dashboards. A dashboard belongs to an account, not a region (its ARN has none), so
// the same name is one dashboard whatever endpoint region a client signs for.

export interface StoredDashboard {
  accountId: string;
  name: string;
  /** DashboardBody as given (JSON text). */
  body: string;
  /** Tags as JSON of [{Key, Value}]. */
  tags: string;
  lastModifiedMs: number;
}

export interface DashboardStore {
  /** Creates or replaces a dashboard. */
  putDashboard(dashboard: StoredDashboard): Promise<void>;
  getDashboard(accountId: string, name: string): Promise<StoredDashboard | undefined>;
  /** An account's dashboards, by name (code-point order). */
  listDashboards(accountId: string): Promise<StoredDashboard[]>;
  /** Deletes all the named dashboards, or none when one of them does not exist; the missing names. */
  deleteDashboards(accountId: string, names: string[]): Promise<string[]>;
}

/** Code-point order, the same on every backend (PostgreSQL's ORDER BY follows its locale). */
export const byName = (a: StoredDashboard, b: StoredDashboard): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
