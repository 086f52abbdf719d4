// Runs Logs Insights queries on the node that started them: reads the groups' events through the
// store in pages (bounded by a scan budget and a timeout), reports progress to the query store
// every second — the heartbeat that tells other nodes this one is alive, and the moment it learns
// that a StopQuery on any node has cancelled the query — and stores the results when it ends.
import type { InsightsQueryStore, QueryCounts } from '../../store/insights-query-store.js';
import type { LogsScope } from '../../store/logs-store.js';
import type { LogsDeps } from '../resources.js';
import { logger } from '../../core/logger.js';
import { cursorToken } from '../tokens.js';
import type { QueryRun, ResultField } from './query-run.js';
import { discoverFields, type LogRecord } from './discovered-fields.js';

const PAGE = 5_000;
/** Events one query reads at most, and how long it may run (Stagecraft's bounds). */
export const SCAN_BUDGET = 1_000_000;
export const TIMEOUT_MS = 60_000;
export const HEARTBEAT_MS = 1_000;
/** Stored results at most (JSON); rows past it are left out (Stagecraft's bound). */
export const MAX_RESULT_BYTES = 32 * 1024 * 1024;

export interface QueryJob {
  id: string;
  scope: LogsScope;
  groups: string[];
  run: QueryRun;
  startMs: number;
  endMs: number;
}

const ptrOf = (r: LogRecord): string => String(r['\u0000ptr'] ?? '');

/** The rows as JSON, cut after the last whole row that fits MAX_RESULT_BYTES. */
export function resultsJson(rows: ResultField[][], maxBytes = MAX_RESULT_BYTES): string {
  const parts: string[] = [];
  let bytes = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    bytes += Buffer.byteLength(json) + 1;
    if (bytes > maxBytes) {
      logger.warn('Logs Insights results cut to fit the stored size', { rows: rows.length, kept: parts.length });
      break;
    }
    parts.push(json);
  }
  return `[${parts.join(',')}]`;
}

export class InsightsRunner {
  readonly #deps: LogsDeps;
  readonly #queries: InsightsQueryStore;
  readonly #active = new Map<string, { cancelled: boolean; done: Promise<void> }>();

  constructor(deps: LogsDeps, queries: InsightsQueryStore) {
    this.#deps = deps;
    this.#queries = queries;
  }

  /** Queries running on this node. */
  get running(): number {
    return this.#active.size;
  }

  start(job: QueryJob): void {
    const state = { cancelled: false, done: Promise.resolve() };
    state.done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#run(job, state))
      .catch(async (e: unknown) => {
        logger.warn('Logs Insights query failed', { error: e instanceof Error ? e.message : String(e) });
        await this.#queries.finishQuery(job.id, 'Failed', { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 }, '[]', this.#deps.now())
          .catch(() => undefined);
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

  async #run(job: QueryJob, state: { cancelled: boolean }): Promise<void> {
    const deps = this.#deps;
    const stats: QueryCounts = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };
    const beat = async () => {
      if (!(await this.#queries.reportProgress(job.id, stats, deps.now()))) state.cancelled = true;
    };
    await beat();
    if (state.cancelled) return;
    const timer = setInterval(() => {
      beat().catch((e: unknown) => logger.warn('Logs Insights heartbeat failed', { error: e instanceof Error ? e.message : String(e) }));
    }, HEARTBEAT_MS);
    timer.unref();
    const started = Date.now();
    let timedOut = false;
    try {
      await deps.sink.flush();
      for (const group of job.groups) {
        let after: { timestamp: number; id: number } | undefined;
        do {
          if (state.cancelled) return;
          if (stats.recordsScanned >= SCAN_BUDGET || Date.now() - started > TIMEOUT_MS) { timedOut = true; break; }
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
    }
    if (state.cancelled) return;
    const results = resultsJson(job.run.results(ptrOf));
    await this.#queries.finishQuery(job.id, timedOut ? 'Timeout' : 'Complete', stats, results, deps.now());
  }
}
