// The MetricFilterStore over SQL both backends speak (`?` placeholders, upsert with `excluded`,
// row-value comparison): each store hands it a runner for its connection.
import type { LogsScope } from '../logs-store.js';
import type {
  DeleteMetricFilterResult, ListMetricFiltersQuery, MetricFilterRecord, MetricFilterStore,
  PutMetricFilterResult, ScopedMetricFilter,
} from '../metric-filter-store.js';

export interface SqlRunner {
  all<R>(sql: string, params?: unknown[]): Promise<R[]>;
  get<R>(sql: string, params?: unknown[]): Promise<R | undefined>;
  run(sql: string, params?: unknown[]): Promise<number>;
}

interface FilterRow {
  group_name: string;
  name: string;
  pattern: string;
  transformations: string;
  created_ms: number | string;
  account_id: string;
  region: string;
}

export const GROUP_IN_SCOPE = 'g.account_id = ? AND g.region = ? AND g.name = ?';

// One statement, so the limit holds without a transaction: the row goes in only when the group
// exists and has room, or the filter exists already (a replacement).
const UPSERT = `INSERT INTO logs_metric_filters (group_id, name, pattern, metric_name, metric_namespace, transformations, created_ms)
  SELECT g.id, ?, ?, ?, ?, ?, ? FROM logs_groups g WHERE ${GROUP_IN_SCOPE}
    AND ((SELECT count(*) FROM logs_metric_filters f WHERE f.group_id = g.id) < ?
      OR EXISTS (SELECT 1 FROM logs_metric_filters f WHERE f.group_id = g.id AND f.name = ?))
  ON CONFLICT (group_id, name) DO UPDATE SET pattern = excluded.pattern, metric_name = excluded.metric_name,
    metric_namespace = excluded.metric_namespace, transformations = excluded.transformations`;

const SELECT = `SELECT f.name, f.pattern, f.transformations, f.created_ms, g.name AS group_name, g.account_id, g.region
  FROM logs_metric_filters f JOIN logs_groups g ON g.id = f.group_id`;

export async function groupExists(sql: SqlRunner, scope: LogsScope, name: string): Promise<boolean> {
  return (await sql.get(`SELECT 1 AS one FROM logs_groups g WHERE ${GROUP_IN_SCOPE}`, [scope.accountId, scope.region, name])) !== undefined;
}

/** Deletes a group's filter from `table` (metric or subscription filters), or says what was missing. */
export async function deleteGroupFilter(sql: SqlRunner, table: string, scope: LogsScope, groupName: string, name: string): Promise<'ok' | 'no-group' | 'no-filter'> {
  const deleted = await sql.run(`DELETE FROM ${table} WHERE name = ?
    AND group_id = (SELECT g.id FROM logs_groups g WHERE ${GROUP_IN_SCOPE})`, [name, scope.accountId, scope.region, groupName]);
  if (deleted > 0) return 'ok';
  return (await groupExists(sql, scope, groupName)) ? 'no-filter' : 'no-group';
}

const toRecord = (r: FilterRow): MetricFilterRecord => ({
  groupName: r.group_name,
  name: r.name,
  pattern: r.pattern,
  transformations: JSON.parse(r.transformations) as MetricFilterRecord['transformations'],
  createdMs: Number(r.created_ms),
});

export class SqlMetricFilterStore implements MetricFilterStore {
  constructor(private readonly sql: SqlRunner) {}

  async putMetricFilter(scope: LogsScope, f: MetricFilterRecord, maxPerGroup: number): Promise<PutMetricFilterResult> {
    const first = f.transformations[0];
    const changed = await this.sql.run(UPSERT, [f.name, f.pattern, first?.metricName ?? '', first?.metricNamespace ?? '',
      JSON.stringify(f.transformations), f.createdMs, scope.accountId, scope.region, f.groupName, maxPerGroup, f.name]);
    if (changed > 0) return 'ok';
    return (await groupExists(this.sql, scope, f.groupName)) ? 'limit' : 'no-group';
  }

  async listMetricFilters(scope: LogsScope, q: ListMetricFiltersQuery): Promise<MetricFilterRecord[]> {
    const where = ['g.account_id = ?', 'g.region = ?'];
    const args: unknown[] = [scope.accountId, scope.region];
    if (q.groupName !== undefined) {
      where.push('g.name = ?');
      args.push(q.groupName);
    }
    if (q.namePrefix) {
      where.push('substr(f.name, 1, length(?)) = ?');
      args.push(q.namePrefix, q.namePrefix);
    }
    if (q.metric) {
      where.push('f.metric_name = ? AND f.metric_namespace = ?');
      args.push(q.metric.name, q.metric.namespace);
    }
    if (q.after) {
      where.push('(g.name, f.name) > (?, ?)');
      args.push(q.after.groupName, q.after.name);
    }
    args.push(q.limit);
    const rows = await this.sql.all<FilterRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY g.name, f.name LIMIT ?`, args);
    return rows.map(toRecord);
  }

  deleteMetricFilter(scope: LogsScope, groupName: string, name: string): Promise<DeleteMetricFilterResult> {
    return deleteGroupFilter(this.sql, 'logs_metric_filters', scope, groupName, name);
  }

  async allMetricFilters(): Promise<ScopedMetricFilter[]> {
    const rows = await this.sql.all<FilterRow>(`${SELECT} ORDER BY g.account_id, g.region, g.name, f.name`);
    return rows.map((r) => ({ ...toRecord(r), scope: { accountId: r.account_id, region: r.region } }));
  }

}
