// Logs Insights operations. StartQuery stores the query and runs it in the background on this
// node (query-runner.ts); GetQueryResults, StopQuery and DescribeQueries read the query store, so
// any node of a cluster answers for any query, and queries outlive a restart. Results are kept 7
// days after a query ends, as AWS keeps them. While a query runs, GetQueryResults answers the
// results and statistics its node stored at its last heartbeat, as AWS answers partial results. A
// query whose node stopped reporting (it died while the query ran) is Failed, as AWS reports a
// query that could not finish.
import { randomUUID } from 'node:crypto';
import type { HandlerTable } from '../../aws/protocols/json-rpc.js';
import type { Operations } from '../../aws/generated/logs.js';
import type { InsightsQueryStore, QueryStatus, StoredInsightsQuery } from '../../store/insights-query-store.js';
import { IN_FLIGHT } from '../../store/insights-query-store.js';
import { invalidParameter, logGroupNotFound, malformedQuery, queryConcurrencyExceeded, queryNotFound } from '../errors.js';
import { groupNameFromArn, scopeOf, type LogsDeps } from '../resources.js';
import { cursorToken, parseCursorToken } from '../tokens.js';
import { compileQuery, QueryRun } from './query-run.js';
import { resultsPage } from './results-page.js';
import { QuerySyntaxError } from './query-parser.js';
import type { InsightsLimits, InsightsRunner } from './query-runner.js';

/** How long AWS keeps a query's results after it ends ("CloudWatch Logs quotas"). */
export const RETAIN_MS = 7 * 24 * 3_600_000;
/** A query not ended whose node has not reported for this many heartbeats ran on a node that died. */
const STALE_HEARTBEATS = 20;
/** Rows a query without `limit` returns at most (AWS's default). */
const DEFAULT_LIMIT = 10_000;

export interface InsightsDeps {
  queries: InsightsQueryStore;
  runner: InsightsRunner;
  /** This node's id in the cluster (the node that runs the queries it starts). */
  nodeId: string;
  /** Settles once the queries this node ran before a restart are marked Failed. */
  recovered: Promise<unknown>;
  limits: InsightsLimits;
}

export function queryHandlers(deps: LogsDeps, { queries, runner, nodeId, recovered, limits }: InsightsDeps): HandlerTable<Operations> {
  const staleMs = STALE_HEARTBEATS * limits.heartbeatMs;
  const failStale = async () => {
    await recovered;
    await queries.failStale(deps.now() - staleMs);
  };
  const expired = (q: StoredInsightsQuery) => q.endedMs !== undefined && deps.now() - q.endedMs > RETAIN_MS;

  return {
    async StartQuery(input, ctx) {
      const scope = scopeOf(ctx);
      if (input.queryLanguage !== undefined && input.queryLanguage !== 'CWLI') throw invalidParameter(`Query language ${input.queryLanguage} is not supported.`);
      const given = [input.logGroupName !== undefined, input.logGroupNames !== undefined, input.logGroupIdentifiers !== undefined].filter(Boolean).length;
      if (given !== 1) throw invalidParameter('Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be given.');
      const named = input.logGroupName !== undefined ? [input.logGroupName]
        : input.logGroupNames ?? input.logGroupIdentifiers!.map((id) => (id.startsWith('arn:') ? groupNameFromArn(scope, id) ?? `\u0000${id}` : id));
      if (input.endTime < input.startTime) throw invalidParameter('End time should not be before the start time.');
      let compiled;
      try {
        compiled = compileQuery(input.queryString);
      } catch (e) {
        if (e instanceof QuerySyntaxError) throw malformedQuery(e.message, e.start, e.end);
        throw e;
      }
      await deps.sink.flush();
      for (const g of named) if (!(await deps.store.getGroup(scope, g))) throw logGroupNotFound();
      // Queries of dead nodes no longer count against the limit.
      await failStale();
      const id = randomUUID();
      const groups = [...new Set(named)];
      if (!(await queries.createQuery({ id, scope, queryString: input.queryString, groups, createdMs: deps.now(), nodeId }, limits.concurrency))) {
        throw queryConcurrencyExceeded(limits.concurrency);
      }
      // StartQuery's times are epoch seconds; the range includes its end second.
      runner.start({ id, scope, groups, run: new QueryRun(compiled, input.limit ?? DEFAULT_LIMIT), startMs: input.startTime * 1000, endMs: input.endTime * 1000 + 999 });
      return { queryId: id };
    },

    async GetQueryResults(input, ctx) {
      const scope = scopeOf(ctx);
      await recovered;
      let q = await queries.getQuery(scope, input.queryId);
      if (q && IN_FLIGHT.includes(q.status) && q.heartbeatMs < deps.now() - staleMs) {
        await failStale();
        q = await queries.getQuery(scope, input.queryId);
      }
      if (!q || expired(q)) throw queryNotFound();
      // Scheduled: none yet; Running: those found so far; Cancelled and Failed: none (Stagecraft's choice).
      const rows = q.results === undefined ? [] : JSON.parse(q.results) as { field: string; value: string }[][];
      const { results, nextToken } = resultsPage(rows, input, deps.now());
      // Every group a query names exists (StartQuery checks), so a query that has run has scanned them all. There
      // are no field indexes, so nothing is skipped: AWS leaves the estimates out then; and no KMS key (encryptionKey).
      const statistics = { ...q.statistics, logGroupsScanned: q.status === 'Scheduled' ? 0 : q.groups.length };
      return { queryLanguage: 'CWLI', status: q.status, results, statistics, nextToken };
    },

    async StopQuery(input, ctx) {
      const scope = scopeOf(ctx);
      await failStale();
      const outcome = await queries.cancelQuery(scope, input.queryId, deps.now());
      if (outcome === 'missing') throw queryNotFound();
      // When it runs here it stops at once; elsewhere its node learns at its next heartbeat.
      if (outcome === 'stopped') runner.cancel(input.queryId);
      return { success: outcome === 'stopped' };
    },

    async DescribeQueries(input, ctx) {
      const scope = scopeOf(ctx);
      await failStale();
      const start = input.nextToken === undefined ? 0 : parseCursorToken<{ o: number }>(input.nextToken, (v) => Number.isInteger(v.o)).o;
      const max = input.maxResults ?? 1000;
      // Every query here is in Logs Insights QL: asking for SQL or PPL ones lists none.
      const all = input.queryLanguage !== undefined && input.queryLanguage !== 'CWLI' ? [] : (await queries.listQueries(scope, input.status as QueryStatus | undefined))
        .filter((q) => !expired(q) && (input.logGroupName === undefined || q.groups.includes(input.logGroupName)));
      const page = all.slice(start, start + max);
      return {
        queries: page.map((q) => ({
          queryLanguage: 'CWLI', queryId: q.id, queryString: q.queryString, status: q.status, createTime: q.createdMs, logGroupName: q.groups[0],
          queryDuration: q.endedMs !== undefined ? q.endedMs - q.createdMs : undefined,
          bytesScanned: q.statistics.bytesScanned,
        })),
        nextToken: start + max < all.length ? cursorToken({ o: start + max }) : undefined,
      };
    },
  };
}
