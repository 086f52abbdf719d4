// CloudWatchStore on SQLite: datapoints added in one transaction per flush.
import type { AlarmHistoryQuery, CloudWatchStore, MetricDatapoint, Resolution, SeriesId, StoredAlarm, StoredAlarmHistory } from '../cloudwatch-store.js';
import {
  CW_SQL, DATAPOINT_SQL, alarmFromRow, type DatapointSql, datapointFromRow, datapointParams, historyFromRow, historyParams, historyQuery, mergedHistogram, seriesParams, setHistogramParams,
  type AlarmRow, type DatapointRow, type HistoryRow,
} from '../rows/cloudwatch.js';
import type { SqliteDb } from './database.js';

type Scope = { accountId: string; region: string };

export class SqliteCloudWatchStore implements CloudWatchStore {
  readonly #db: SqliteDb;
  readonly #s;
  readonly #points: Record<Resolution, ReturnType<typeof preparePoints>>;

  constructor(db: SqliteDb) {
    this.#db = db;
    this.#s = {
      series: db.prepare(CW_SQL.series),
      putAlarm: db.prepare(CW_SQL.putAlarm),
      getAlarm: db.prepare(CW_SQL.getAlarm),
      listAlarms: db.prepare(CW_SQL.listAlarms),
      allAlarms: db.prepare(CW_SQL.allAlarms),
      replaceAlarm: db.prepare(CW_SQL.replaceAlarm),
      deleteAlarm: db.prepare(CW_SQL.deleteAlarm),
      addHistory: db.prepare(CW_SQL.addHistory),
      purgeHistory: db.prepare(CW_SQL.purgeHistory),
    };
    this.#points = { minute: preparePoints(db, DATAPOINT_SQL.minute), second: preparePoints(db, DATAPOINT_SQL.second) };
  }

  async addDatapoints(points: MetricDatapoint[], resolution: Resolution = 'minute'): Promise<void> {
    const q = this.#points[resolution];
    this.#db.transaction(() => {
      for (const p of points) {
        const stored = q.addDatapoint.get(...datapointParams(p)) as { histogram: string | null };
        const merged = mergedHistogram(p, stored.histogram);
        if (merged !== undefined) q.setHistogram.run(...setHistogramParams(p, merged));
      }
    })();
  }

  async datapoints(series: SeriesId, fromMs: number, toMs: number, resolution: Resolution = 'minute'): Promise<MetricDatapoint[]> {
    return (this.#points[resolution].datapoints.all(...seriesParams(series), fromMs, toMs) as DatapointRow[]).map((r) => datapointFromRow(series, r));
  }

  async series(scope: Scope, sinceMs: number): Promise<SeriesId[]> {
    const rows = this.#s.series.all(scope.accountId, scope.region, sinceMs) as { namespace: string; metric_name: string; dimensions: string }[];
    return rows.map((r) => ({ ...scope, namespace: r.namespace, metricName: r.metric_name, dimensions: r.dimensions }));
  }

  async purgeDatapoints(beforeMs: number, resolution: Resolution = 'minute'): Promise<number> {
    return this.#points[resolution].purge.run(beforeMs).changes;
  }

  async putAlarm(a: StoredAlarm): Promise<void> {
    this.#s.putAlarm.run(a.accountId, a.region, a.name, a.body);
  }

  async getAlarm(scope: Scope, name: string): Promise<StoredAlarm | undefined> {
    const row = this.#s.getAlarm.get(scope.accountId, scope.region, name) as AlarmRow | undefined;
    return row && alarmFromRow(row);
  }

  async listAlarms(scope: Scope): Promise<StoredAlarm[]> {
    return (this.#s.listAlarms.all(scope.accountId, scope.region) as AlarmRow[]).map(alarmFromRow);
  }

  async allAlarms(): Promise<StoredAlarm[]> {
    return (this.#s.allAlarms.all() as AlarmRow[]).map(alarmFromRow);
  }

  async replaceAlarm(a: StoredAlarm, expected: string): Promise<boolean> {
    return this.#s.replaceAlarm.run(a.body, a.accountId, a.region, a.name, expected).changes > 0;
  }

  async deleteAlarms(scope: Scope, names: string[]): Promise<void> {
    this.#db.transaction(() => {
      for (const n of names) this.#s.deleteAlarm.run(scope.accountId, scope.region, n);
    })();
  }

  async addAlarmHistory(item: StoredAlarmHistory): Promise<void> {
    this.#s.addHistory.run(...historyParams(item));
  }

  async alarmHistory(scope: Scope, query: AlarmHistoryQuery): Promise<(StoredAlarmHistory & { id: number })[]> {
    const { sql, params } = historyQuery(scope, query);
    return (this.#db.prepare(sql).all(...params) as HistoryRow[]).map(historyFromRow);
  }

  async purgeAlarmHistory(beforeMs: number): Promise<number> {
    return this.#s.purgeHistory.run(beforeMs).changes;
  }
}

const preparePoints = (db: SqliteDb, q: DatapointSql) => ({
  addDatapoint: db.prepare(q.addDatapointSqlite),
  setHistogram: db.prepare(q.setHistogram),
  datapoints: db.prepare(q.datapoints),
  purge: db.prepare(q.purge),
});
