// Logs Insights operations: StartQuery runs a query in the background over the groups' events
// (read through the store in pages, bounded by a scan budget and a timeout); GetQueryResults,
// StopQuery and DescribeQueries read the queries kept in memory for 15 minutes after they end.
import { randomUUID } from 'node:crypto';
import type { HandlerTable } from '../../aws/protocols/json-rpc.js';
import type { Operations, QueryStatistics } from '../../aws/generated/logs.js';
import type { LogsScope } from '../../store/logs-store.js';
import { logger } from '../../core/logger.js';
import { invalidParameter, logGroupNotFound, malformedQuery, queryConcurrencyExceeded, queryNotFound } from '../errors.js';
import { groupNameFromArn, scopeOf, type LogsDeps } from '../resources.js';
import { cursorToken, parseCursorToken } from '../tokens.js';
import { compileQuery, QueryRun, type ResultField } from './query-run.js';
import { QuerySyntaxError } from './query-parser.js';
import { discoverFields, type LogRecord } from './discovered-fields.js';

type Status = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Cancelled' | 'Timeout';

const KEEP_MS = 15 * 60_000;
const PAGE = 5_000;
/** Events one query reads at most, and how long it may run (Stagecraft's bounds). */
const SCAN_BUDGET = 1_000_000;
const TIMEOUT_MS = 60_000;
const MAX_RUNNING = 30;
const DEFAULT_LIMIT = 1_000;
/** Queries kept at most; the oldest finished ones go first (Stagecraft's bound on memory). */
const MAX_KEPT = 1_000;

interface Query {
  id: string;
  scope: LogsScope;
  queryString: string;
  groups: string[];
  createTime: number;
  endedAt?: number;
  status: Status;
  results: ResultField[][];
  statistics: QueryStatistics;
}

const ptrOf = (r: LogRecord): string => String(r['\u0000ptr'] ?? '');

export function queryHandlers(deps: LogsDeps): HandlerTable<Operations> {
  const queries = new Map<string, Query>();
  const sameScope = (q: Query, s: LogsScope) => q.scope.accountId === s.accountId && q.scope.region === s.region;
  const forget = () => {
    const now = deps.now();
    for (const [id, q] of queries) if (q.endedAt !== undefined && now - q.endedAt > KEEP_MS) queries.delete(id);
    // Map order is creation order, so the first finished ones are the oldest.
    for (const [id, q] of queries) {
      if (queries.size < MAX_KEPT) break;
      if (q.endedAt !== undefined) queries.delete(id);
    }
  };

  async function run(q: Query, run: QueryRun, startMs: number, endMs: number): Promise<void> {
    q.status = 'Running';
    const started = Date.now();
    let scanned = 0;
    let bytes = 0;
    let timedOut = false;
    await deps.sink.flush();
    for (const group of q.groups) {
      let after: { timestamp: number; id: number } | undefined;
      do {
        if (q.status !== 'Running') return;
        if (scanned >= SCAN_BUDGET || Date.now() - started > TIMEOUT_MS) { timedOut = true; break; }
        const page = await deps.store.filterEvents(q.scope, group, { startTime: startMs, endTime: endMs, after, limit: PAGE, scanLimit: PAGE });
        for (const e of page.events) {
          scanned++;
          bytes += Buffer.byteLength(e.message);
          const record = discoverFields({ ...e, group, accountId: q.scope.accountId });
          record['\u0000ptr'] = cursorToken({ g: group, s: e.streamName, t: e.timestamp, i: e.id });
          run.add(record);
        }
        after = page.resumeAfter;
        q.statistics = { recordsMatched: run.matched, recordsScanned: scanned, bytesScanned: bytes };
      } while (after);
      if (timedOut) break;
    }
    if (q.status !== 'Running') return;
    q.results = run.results(ptrOf);
    q.statistics = { recordsMatched: run.matched, recordsScanned: scanned, bytesScanned: bytes };
    q.status = timedOut ? 'Timeout' : 'Complete';
    q.endedAt = deps.now();
  }

  return {
    async StartQuery(input, ctx) {
      const scope = scopeOf(ctx);
      forget();
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
      const running = [...queries.values()].filter((q) => sameScope(q, scope) && (q.status === 'Running' || q.status === 'Scheduled')).length;
      if (running >= MAX_RUNNING) throw queryConcurrencyExceeded(MAX_RUNNING);
      const q: Query = {
        id: randomUUID(), scope, queryString: input.queryString, groups: [...new Set(named)], createTime: deps.now(),
        status: 'Scheduled', results: [], statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 },
      };
      queries.set(q.id, q);
      // StartQuery's times are epoch seconds; the range includes its end second.
      const runner = new QueryRun(compiled, input.limit ?? DEFAULT_LIMIT);
      setImmediate(() => {
        run(q, runner, input.startTime * 1000, input.endTime * 1000 + 999).catch((e: unknown) => {
          logger.warn('Logs Insights query failed', { error: e instanceof Error ? e.message : String(e) });
          q.status = 'Failed';
          q.endedAt = deps.now();
        });
      });
      return { queryId: q.id };
    },

    async GetQueryResults(input, ctx) {
      const q = queries.get(input.queryId);
      if (!q || !sameScope(q, scopeOf(ctx))) throw queryNotFound();
      return { queryLanguage: 'CWLI', status: q.status, results: q.results, statistics: q.statistics };
    },

    async StopQuery(input, ctx) {
      const q = queries.get(input.queryId);
      if (!q || !sameScope(q, scopeOf(ctx))) throw queryNotFound();
      if (q.status !== 'Running' && q.status !== 'Scheduled') return { success: false };
      q.status = 'Cancelled';
      q.endedAt = deps.now();
      return { success: true };
    },

    async DescribeQueries(input, ctx) {
      const scope = scopeOf(ctx);
      forget();
      const start = input.nextToken === undefined ? 0 : parseCursorToken<{ o: number }>(input.nextToken, (v) => Number.isInteger(v.o)).o;
      const max = input.maxResults ?? 1000;
      const all = [...queries.values()]
        .filter((q) => sameScope(q, scope) && (input.status === undefined || q.status === input.status)
          && (input.logGroupName === undefined || q.groups.includes(input.logGroupName)))
        .sort((a, b) => b.createTime - a.createTime);
      const page = all.slice(start, start + max);
      return {
        queries: page.map((q) => ({
          queryLanguage: 'CWLI', queryId: q.id, queryString: q.queryString, status: q.status, createTime: q.createTime, logGroupName: q.groups[0],
          queryDuration: q.endedAt !== undefined ? q.endedAt - q.createTime : undefined,
          bytesScanned: q.statistics.bytesScanned,
        })),
        nextToken: start + max < all.length ? cursorToken({ o: start + max }) : undefined,
      };
    },
  };
}
