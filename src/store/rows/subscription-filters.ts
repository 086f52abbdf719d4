// The SubscriptionFilterStore over SQL both backends speak (see ./metric-filters.ts).
import type { LogsScope } from '../logs-store.js';
import type {
  DeleteSubscriptionFilterResult, ListSubscriptionFiltersQuery, PutSubscriptionFilterResult, ScopedSubscriptionFilter,
  SubscriptionFilterRecord, SubscriptionFilterStore,
} from '../subscription-filter-store.js';
import { deleteGroupFilter, groupExists, GROUP_IN_SCOPE, type SqlRunner } from './metric-filters.js';

interface FilterRow {
  group_name: string;
  name: string;
  pattern: string;
  destination_arn: string;
  role_arn: string | null;
  distribution: string;
  created_ms: number | string;
  account_id: string;
  region: string;
}

// One statement, so the limit holds without a transaction (as for metric filters).
const UPSERT = `INSERT INTO logs_subscription_filters (group_id, name, pattern, destination_arn, role_arn, distribution, created_ms)
  SELECT g.id, ?, ?, ?, ?, ?, ? FROM logs_groups g WHERE ${GROUP_IN_SCOPE}
    AND ((SELECT count(*) FROM logs_subscription_filters f WHERE f.group_id = g.id) < ?
      OR EXISTS (SELECT 1 FROM logs_subscription_filters f WHERE f.group_id = g.id AND f.name = ?))
  ON CONFLICT (group_id, name) DO UPDATE SET pattern = excluded.pattern, destination_arn = excluded.destination_arn,
    role_arn = excluded.role_arn, distribution = excluded.distribution`;

const SELECT = `SELECT f.name, f.pattern, f.destination_arn, f.role_arn, f.distribution, f.created_ms, g.name AS group_name, g.account_id, g.region
  FROM logs_subscription_filters f JOIN logs_groups g ON g.id = f.group_id`;

const toRecord = (r: FilterRow): SubscriptionFilterRecord => ({
  groupName: r.group_name,
  name: r.name,
  pattern: r.pattern,
  destinationArn: r.destination_arn,
  ...(r.role_arn !== null ? { roleArn: r.role_arn } : {}),
  distribution: r.distribution === 'Random' ? 'Random' : 'ByLogStream',
  createdMs: Number(r.created_ms),
});

export class SqlSubscriptionFilterStore implements SubscriptionFilterStore {
  constructor(private readonly sql: SqlRunner) {}

  async putSubscriptionFilter(scope: LogsScope, f: SubscriptionFilterRecord, maxPerGroup: number): Promise<PutSubscriptionFilterResult> {
    const changed = await this.sql.run(UPSERT, [f.name, f.pattern, f.destinationArn, f.roleArn ?? null, f.distribution, f.createdMs,
      scope.accountId, scope.region, f.groupName, maxPerGroup, f.name]);
    if (changed > 0) return 'ok';
    return (await groupExists(this.sql, scope, f.groupName)) ? 'limit' : 'no-group';
  }

  async listSubscriptionFilters(scope: LogsScope, q: ListSubscriptionFiltersQuery): Promise<SubscriptionFilterRecord[]> {
    const where = [GROUP_IN_SCOPE];
    const args: unknown[] = [scope.accountId, scope.region, q.groupName];
    if (q.namePrefix) {
      where.push('substr(f.name, 1, length(?)) = ?');
      args.push(q.namePrefix, q.namePrefix);
    }
    if (q.after !== undefined) {
      where.push('f.name > ?');
      args.push(q.after);
    }
    args.push(q.limit);
    const rows = await this.sql.all<FilterRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY f.name LIMIT ?`, args);
    return rows.map(toRecord);
  }

  deleteSubscriptionFilter(scope: LogsScope, groupName: string, name: string): Promise<DeleteSubscriptionFilterResult> {
    return deleteGroupFilter(this.sql, 'logs_subscription_filters', scope, groupName, name);
  }

  async allSubscriptionFilters(): Promise<ScopedSubscriptionFilter[]> {
    const rows = await this.sql.all<FilterRow>(`${SELECT} ORDER BY g.account_id, g.region, g.name, f.name`);
    return rows.map((r) => ({ ...toRecord(r), scope: { accountId: r.account_id, region: r.region } }));
  }

}
