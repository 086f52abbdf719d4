// The InsightsQueryStore over SQL both backends speak (SQLite through sqliteRunner, PostgreSQL's
// pool as is). Every change of status is one conditional UPDATE (`WHERE status IN (…not ended)`),
// so a StopQuery on one node and the end of the run on another cannot both win. A query that
// ends Cancelled or Failed drops the partial results its node stored while it ran.
import type { LogsScope } from '../logs-store.js';
import type { InsightsQueryStore, NewInsightsQuery, QueryCounts, QueryStatus, StoredInsightsQuery } from '../insights-query-store.js';
import type { SqlRunner } from './metric-filters.js';

interface QueryRow {
  id: string;
  account_id: string;
  region: string;
  query_string: string;
  log_groups: string;
  status: string;
  created_ms: number | string;
  ended_ms: number | string | null;
  heartbeat_ms: number | string;
  node_id: string;
  records_matched: number | string;
  records_scanned: number | string;
  bytes_scanned: number | string;
  results?: string | null;
}

const NOT_ENDED = "status IN ('Scheduled', 'Running')";
const COLUMNS = `id, account_id, region, query_string, log_groups, status, created_ms, ended_ms, heartbeat_ms, node_id,
  records_matched, records_scanned, bytes_scanned`;

// Counts and inserts in one statement: atomic on SQLite (one writer at a time); PostgreSQL runs it
// under a lock on the scope (`serialize`), as its snapshot would let two nodes both see room.
const INSERT = `INSERT INTO logs_queries (id, account_id, region, query_string, log_groups, status, created_ms, heartbeat_ms, node_id,
    records_matched, records_scanned, bytes_scanned)
  SELECT ?, ?, ?, ?, ?, 'Scheduled', ?, ?, ?, 0, 0, 0
  WHERE (SELECT count(*) FROM logs_queries WHERE account_id = ? AND region = ? AND ${NOT_ENDED}) < ?`;

const fromRow = (r: QueryRow): StoredInsightsQuery => ({
  id: r.id,
  scope: { accountId: r.account_id, region: r.region },
  queryString: r.query_string,
  groups: JSON.parse(r.log_groups) as string[],
  status: r.status as QueryStatus,
  createdMs: Number(r.created_ms),
  endedMs: r.ended_ms === null ? undefined : Number(r.ended_ms),
  heartbeatMs: Number(r.heartbeat_ms),
  nodeId: r.node_id,
  statistics: { recordsMatched: Number(r.records_matched), recordsScanned: Number(r.records_scanned), bytesScanned: Number(r.bytes_scanned) },
  ...(typeof r.results === 'string' ? { results: r.results } : {}),
});

const counts = (s: QueryCounts): number[] => [s.recordsMatched, s.recordsScanned, s.bytesScanned];

/** Runs `fn` so that no other call for the same key runs at once, across every node. */
export type SerializeByKey = <T>(key: string, fn: (sql: SqlRunner) => Promise<T>) => Promise<T>;

export class SqlInsightsQueryStore implements InsightsQueryStore {
  readonly #sql: SqlRunner;
  readonly #serialize: SerializeByKey;

  /** `serialize`: how StartQuery's count-and-insert excludes other nodes' (nothing more by default). */
  constructor(sql: SqlRunner, serialize?: SerializeByKey) {
    this.#sql = sql;
    this.#serialize = serialize ?? ((_key, fn) => fn(sql));
  }

  async createQuery(q: NewInsightsQuery, maxInFlight: number): Promise<boolean> {
    const params = [q.id, q.scope.accountId, q.scope.region, q.queryString, JSON.stringify(q.groups), q.createdMs, q.createdMs,
      q.nodeId, q.scope.accountId, q.scope.region, maxInFlight];
    return (await this.#serialize(`logs-queries:${q.scope.accountId}:${q.scope.region}`, (sql) => sql.run(INSERT, params))) > 0;
  }

  async getQuery(scope: LogsScope, id: string): Promise<StoredInsightsQuery | undefined> {
    const row = await this.#sql.get<QueryRow>(`SELECT ${COLUMNS}, results FROM logs_queries WHERE account_id = ? AND region = ? AND id = ?`,
      [scope.accountId, scope.region, id]);
    return row && fromRow(row);
  }

  async listQueries(scope: LogsScope, status?: QueryStatus): Promise<StoredInsightsQuery[]> {
    const rows = status === undefined
      ? await this.#sql.all<QueryRow>(`SELECT ${COLUMNS} FROM logs_queries WHERE account_id = ? AND region = ? ORDER BY created_ms DESC, id`,
        [scope.accountId, scope.region])
      : await this.#sql.all<QueryRow>(`SELECT ${COLUMNS} FROM logs_queries WHERE account_id = ? AND region = ? AND status = ? ORDER BY created_ms DESC, id`,
        [scope.accountId, scope.region, status]);
    return rows.map(fromRow);
  }

  async reportProgress(id: string, statistics: QueryCounts, nowMs: number, results?: string): Promise<boolean> {
    const changed = results === undefined
      ? await this.#sql.run(`UPDATE logs_queries SET status = 'Running', heartbeat_ms = ?, records_matched = ?, records_scanned = ?, bytes_scanned = ?
        WHERE id = ? AND ${NOT_ENDED}`, [nowMs, ...counts(statistics), id])
      : await this.#sql.run(`UPDATE logs_queries SET status = 'Running', heartbeat_ms = ?, records_matched = ?, records_scanned = ?, bytes_scanned = ?,
        results = ? WHERE id = ? AND ${NOT_ENDED}`, [nowMs, ...counts(statistics), results, id]);
    return changed > 0;
  }

  async finishQuery(id: string, status: QueryStatus, statistics: QueryCounts, results: string, nowMs: number): Promise<boolean> {
    return (await this.#sql.run(`UPDATE logs_queries SET status = ?, ended_ms = ?, heartbeat_ms = ?, records_matched = ?, records_scanned = ?,
      bytes_scanned = ?, results = ? WHERE id = ? AND ${NOT_ENDED}`, [status, nowMs, nowMs, ...counts(statistics), results, id])) > 0;
  }

  async cancelQuery(scope: LogsScope, id: string, nowMs: number): Promise<'stopped' | 'ended' | 'missing'> {
    const stopped = await this.#sql.run(`UPDATE logs_queries SET status = 'Cancelled', ended_ms = ?, results = NULL
      WHERE account_id = ? AND region = ? AND id = ? AND ${NOT_ENDED}`, [nowMs, scope.accountId, scope.region, id]);
    if (stopped > 0) return 'stopped';
    const found = await this.#sql.get('SELECT 1 AS one FROM logs_queries WHERE account_id = ? AND region = ? AND id = ?', [scope.accountId, scope.region, id]);
    return found ? 'ended' : 'missing';
  }

  // A query whose node died ends when that node last reported.
  failStale(beforeMs: number): Promise<number> {
    return this.#sql.run(`UPDATE logs_queries SET status = 'Failed', ended_ms = heartbeat_ms, results = NULL WHERE ${NOT_ENDED} AND heartbeat_ms < ?`, [beforeMs]);
  }

  failNode(nodeId: string, beforeMs: number): Promise<number> {
    return this.#sql.run(`UPDATE logs_queries SET status = 'Failed', ended_ms = heartbeat_ms, results = NULL WHERE node_id = ? AND ${NOT_ENDED} AND created_ms < ?`,
      [nodeId, beforeMs]);
  }

  purgeQueries(beforeMs: number): Promise<number> {
    return this.#sql.run('DELETE FROM logs_queries WHERE ended_ms < ?', [beforeMs]);
  }
}
