// Storage for Logs Insights queries, so every node of a cluster answers for every query and they
// outlive a restart: the definition, the status, the statistics and the results (partial ones
// while it runs). The node that runs a query reports its progress (a heartbeat) while it runs; a
// query whose node stops reporting is marked Failed. Scoped by account and region.
import type { LogsScope } from './logs-store.js';

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout';

/** Scheduled and Running: the statuses of a query that has not ended. */
export const IN_FLIGHT: readonly QueryStatus[] = ['Scheduled', 'Running'];

export interface QueryCounts {
  recordsMatched: number;
  recordsScanned: number;
  bytesScanned: number;
}

export interface NewInsightsQuery {
  id: string;
  scope: LogsScope;
  queryString: string;
  groups: string[];
  createdMs: number;
  /** The node that runs it. */
  nodeId: string;
}

export interface StoredInsightsQuery extends NewInsightsQuery {
  status: QueryStatus;
  endedMs?: number;
  /** When the running node last reported (its creation time until then). */
  heartbeatMs: number;
  statistics: QueryCounts;
  /** JSON of the result rows: so far while Running, final once ended (getQuery only; lists leave it out). */
  results?: string;
}

export interface InsightsQueryStore {
  /** Adds a Scheduled query; false (and nothing added) when `maxInFlight` of its scope have not ended. */
  createQuery(query: NewInsightsQuery, maxInFlight: number): Promise<boolean>;
  getQuery(scope: LogsScope, id: string): Promise<StoredInsightsQuery | undefined>;
  /** A scope's queries without their results, newest first (ties by id). */
  listQueries(scope: LogsScope, status?: QueryStatus): Promise<StoredInsightsQuery[]>;
  /**
   * The running node's heartbeat (and first, Scheduled → Running), with the results so far when
   * given; false once the query has ended (stopped, failed).
   */
  reportProgress(id: string, statistics: QueryCounts, nowMs: number, results?: string): Promise<boolean>;
  /** Ends a query that has not ended with its status, statistics and results; false when it had. */
  finishQuery(id: string, status: QueryStatus, statistics: QueryCounts, results: string, nowMs: number): Promise<boolean>;
  /** StopQuery: `stopped` (now Cancelled, its partial results dropped), `ended` (it had ended before) or `missing`. */
  cancelQuery(scope: LogsScope, id: string, nowMs: number): Promise<'stopped' | 'ended' | 'missing'>;
  /** Marks Failed (partial results dropped, statistics kept) the queries not ended whose heartbeat is older than `beforeMs` (their node died). */
  failStale(beforeMs: number): Promise<number>;
  /** Marks Failed the queries of `nodeId` created before `beforeMs` that have not ended (the node restarted or stops). */
  failNode(nodeId: string, beforeMs: number): Promise<number>;
  /** Deletes the queries that ended before `beforeMs`. */
  purgeQueries(beforeMs: number): Promise<number>;
}
