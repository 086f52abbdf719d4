// CloudWatchStore on PostgreSQL: every node flushes its own aggregates; the upsert adds them up.
import type { AlarmHistoryQuery, CloudWatchStore, MetricDatapoint, Resolution, SeriesId, StoredAlarm, StoredAlarmHistory } from '../cloudwatch-store.js';
import {
  CW_SQL, DATAPOINT_SQL, alarmFromRow, datapointFromRow, datapointParams, historyFromRow, historyParams, historyQuery, mergedHistogram, seriesParams, setHistogramParams,
  type AlarmRow, type DatapointRow, type HistoryRow,
} from '../rows/cloudwatch.js';
import type { PgDb } from './database.js';

type Scope = { accountId: string; region: string };

export class PgCloudWatchStore implements CloudWatchStore {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async addDatapoints(points: MetricDatapoint[], resolution: Resolution = 'minute'): Promise<void> {
    if (!points.length) return;
    const q = DATAPOINT_SQL[resolution];
    // In a stable order, so two nodes adding to the same minutes at once take row locks alike.
    const sorted = [...points].sort((a, b) => seriesOrder(a).localeCompare(seriesOrder(b)) || a.timestampMs - b.timestampMs);
    await this.#db.tx(async (sql) => {
      for (const p of sorted) {
        // The upsert holds the row's lock until commit: no other node's flush comes between.
        const stored = await sql.get<{ histogram: string | null }>(q.addDatapointPostgres, datapointParams(p));
        const merged = mergedHistogram(p, stored?.histogram);
        if (merged !== undefined) await sql.run(q.setHistogram, setHistogramParams(p, merged));
      }
    });
  }

  async datapoints(series: SeriesId, fromMs: number, toMs: number, resolution: Resolution = 'minute'): Promise<MetricDatapoint[]> {
    return (await this.#db.all<DatapointRow>(DATAPOINT_SQL[resolution].datapoints, [...seriesParams(series), fromMs, toMs])).map((r) => datapointFromRow(series, r));
  }

  async series(scope: Scope, sinceMs: number): Promise<SeriesId[]> {
    const rows = await this.#db.all<{ namespace: string; metric_name: string; dimensions: string }>(CW_SQL.series, [scope.accountId, scope.region, sinceMs]);
    return rows.map((r) => ({ ...scope, namespace: r.namespace, metricName: r.metric_name, dimensions: r.dimensions }));
  }

  purgeDatapoints(beforeMs: number, resolution: Resolution = 'minute'): Promise<number> {
    return this.#db.run(DATAPOINT_SQL[resolution].purge, [beforeMs]);
  }

  async putAlarm(a: StoredAlarm): Promise<void> {
    await this.#db.run(CW_SQL.putAlarm, [a.accountId, a.region, a.name, a.body]);
  }

  async getAlarm(scope: Scope, name: string): Promise<StoredAlarm | undefined> {
    const row = await this.#db.get<AlarmRow>(CW_SQL.getAlarm, [scope.accountId, scope.region, name]);
    return row && alarmFromRow(row);
  }

  async listAlarms(scope: Scope): Promise<StoredAlarm[]> {
    return (await this.#db.all<AlarmRow>(CW_SQL.listAlarms, [scope.accountId, scope.region])).map(alarmFromRow);
  }

  async allAlarms(): Promise<StoredAlarm[]> {
    return (await this.#db.all<AlarmRow>(CW_SQL.allAlarms)).map(alarmFromRow);
  }

  async replaceAlarm(a: StoredAlarm, expected: string): Promise<boolean> {
    return (await this.#db.run(CW_SQL.replaceAlarm, [a.body, a.accountId, a.region, a.name, expected])) > 0;
  }

  async deleteAlarms(scope: Scope, names: string[]): Promise<void> {
    await this.#db.tx(async (sql) => {
      for (const n of names) await sql.run(CW_SQL.deleteAlarm, [scope.accountId, scope.region, n]);
    });
  }

  async addAlarmHistory(item: StoredAlarmHistory): Promise<void> {
    await this.#db.run(CW_SQL.addHistory, historyParams(item));
  }

  async alarmHistory(scope: Scope, query: AlarmHistoryQuery): Promise<(StoredAlarmHistory & { id: number })[]> {
    const { sql, params } = historyQuery(scope, query);
    return (await this.#db.all<HistoryRow>(sql, params)).map(historyFromRow);
  }

  purgeAlarmHistory(beforeMs: number): Promise<number> {
    return this.#db.run(CW_SQL.purgeHistory, [beforeMs]);
  }
}

const seriesOrder = (p: MetricDatapoint): string => `${p.accountId}\0${p.region}\0${p.namespace}\0${p.metricName}\0${p.dimensions}`;
