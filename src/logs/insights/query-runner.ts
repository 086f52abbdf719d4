// Runs Logs Insights queries on the node that started them: reads the groups' events through the
// store in pages (bounded by a scan budget and the query timeout), reports progress to the query
// store at each heartbeat — the statistics and the results so far, read by GetQueryResults on any
// node while the query runs; the sign that tells other nodes this one is alive; and the moment it
// learns that a StopQuery on any node has cancelled the query — and stores the results when it ends.
import type { InsightsQueryStore, QueryCounts } from '../../store/insights-query-store.js';
import type { LogsScope } from '../../store/logs-store.js';
import type { LogsDeps } from '../resources.js';
import { logger } from '../../core/logger.js';
import { cursorToken } from '../tokens.js';
import type { QueryRun, ResultField } from './query-run.js';
import { discoverFields, type LogRecord } from './discovered-fields.js';

const PAGE = 5_000;
/** Events one query reads at most (Stagecraft's bound), then it ends `Timeout` with what it found. */
export const SCAN_BUDGET = 1_000_000;
/** Stored results at most (JSON); rows past it are left out (Stagecraft's bound). */
export const MAX_RESULT_BYTES = 32 * 1024 * 1024;

/** Queries running at once per scope, heartbeat period, how long a query may run (config.insightsLimits). */
export interface InsightsLimits {
  concurrency: number;
  heartbeatMs: number;
  timeoutMs: number;
}

export interface QueryJob {
  id: string;
  scope: LogsScope;
  groups: string[];
  run: QueryRun;
  startMs: number;
  endMs: number;
}

const ptrOf = (r: LogRecord): string => String(r['\u0000ptr'] ?? '');

/** The rows as JSON, cut after the last whole row that fits `maxBytes` (said in the log when `final`). */
export function resultsJson(rows: ResultField[][], final: boolean, maxBytes = MAX_RESULT_BYTES): string {
  const parts: string[] = [];
  let bytes = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    bytes += Buffer.byteLength(json) + 1;
    if (bytes > maxBytes) {
      if (final) logger.warn('Logs Insights results cut to fit the stored size', { rows: rows.length, kept: parts.length });
      break;
    }
    parts.push(json);
  }
  return `[${parts.join(',')}]`;
}

interface RunState {
  cancelled: boolean;
  done: Promise<void>;
  /** The counts so far: kept when the run fails. */
  stats: QueryCounts;
}

export class InsightsRunner {
  readonly #deps: LogsDeps;
  readonly #queries: InsightsQueryStore;
  readonly #limits: InsightsLimits;
  readonly #active = new Map<string, RunState>();

  constructor(deps: LogsDeps, queries: InsightsQueryStore, limits: InsightsLimits) {
    this.#deps = deps;
    this.#queries = queries;
    this.#limits = limits;
  }

  /** Queries running on this node. */
  get running(): number {
    return this.#active.size;
  }

  start(job: QueryJob): void {
    const state: RunState = { cancelled: false, done: Promise.resolve(), stats: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } };
    state.done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#run(job, state))
      .catch(async (e: unknown) => {
        logger.warn('Logs Insights query failed', { error: e instanceof Error ? e.message : String(e) });
        await this.#queries.finishQuery(job.id, 'Failed', state.stats, '[]', this.#deps.now()).catch(() => undefined);
      })
      .finally(() => this.#active.delete(job.id));
    this.#active.set(job.id, state);
  }

  /** Stops a query running here at its next page (StopQuery through this node). */
  cancel(id: string): void {
    const state = this.#active.get(id);
    if (state) state.cancelled = true;
  }

  /** Stops every query running here and waits for them to let go of the store. */
  async stopAll(): Promise<void> {
    for (const state of this.#active.values()) state.cancelled = true;
    await Promise.allSettled([...this.#active.values()].map((s) => s.done));
  }

  async #run(job: QueryJob, state: RunState): Promise<void> {
    const deps = this.#deps;
    const { stats } = state;
    // Results so far go with a heartbeat when more events matched since the last ones stored; a
    // heartbeat still writing (large results) makes the next one wait its turn rather than pile up.
    let storedMatched = -1;
    let writing: Promise<void> | undefined;
    const beat = async () => {
      const partial = job.run.matched !== storedMatched ? resultsJson(job.run.results(ptrOf), false) : undefined;
      const matched = job.run.matched;
      if (!(await this.#queries.reportProgress(job.id, { ...stats }, deps.now(), partial))) state.cancelled = true;
      else if (partial !== undefined) storedMatched = matched;
    };
    await beat();
    if (state.cancelled) return;
    const timer = setInterval(() => {
      if (writing) return;
      writing = beat()
        .catch((e: unknown) => logger.warn('Logs Insights heartbeat failed', { error: e instanceof Error ? e.message : String(e) }))
        .finally(() => { writing = undefined; });
    }, this.#limits.heartbeatMs);
    timer.unref();
    const started = Date.now();
    let timedOut = false;
    try {
      await deps.sink.flush();
      for (const group of job.groups) {
        let after: { timestamp: number; id: number } | undefined;
        do {
          if (state.cancelled) return;
          if (stats.recordsScanned >= SCAN_BUDGET || Date.now() - started > this.#limits.timeoutMs) { timedOut = true; break; }
          const page = await deps.store.filterEvents(job.scope, group, { startTime: job.startMs, endTime: job.endMs, after, limit: PAGE, scanLimit: PAGE });
          for (const e of page.events) {
            stats.recordsScanned++;
            stats.bytesScanned += Buffer.byteLength(e.message);
            const record = discoverFields({ ...e, group, accountId: job.scope.accountId });
            record['\u0000ptr'] = cursorToken({ g: group, s: e.streamName, t: e.timestamp, i: e.id });
            job.run.add(record);
          }
          stats.recordsMatched = job.run.matched;
          after = page.resumeAfter;
          // SQLite reads synchronously: let requests (and the heartbeat) in between pages.
          await new Promise<void>((resolve) => setImmediate(resolve));
        } while (after);
        if (timedOut) break;
      }
    } finally {
      clearInterval(timer);
      // A heartbeat still writing lands before the end is stored (its update needs the query not ended).
      await writing;
    }
    if (state.cancelled) return;
    const results = resultsJson(job.run.results(ptrOf), true);
    await this.#queries.finishQuery(job.id, timedOut ? 'Timeout' : 'Complete', stats, results, deps.now());
  }
}
