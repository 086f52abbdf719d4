// The SQL both stores run on CloudWatch's tables (datapoints: one table per resolution). Only `addDatapoint` differs: SQLite merges
// minima and maxima with the scalar min()/max(), PostgreSQL with LEAST/GREATEST.
// Histograms merge in two steps inside the flush's transaction: the upsert adds the statistic set,
// locks the row and returns the histogram it holds (NULL for a new row); `setHistogram` then
// writes the sum of that one and the flushed one.
import type { AlarmHistoryQuery, MetricDatapoint, Resolution, SeriesId, StoredAlarm, StoredAlarmHistory } from '../cloudwatch-store.js';
import { Histogram } from '../../cloudwatch/histogram.js';

const upsertDatapoint = (table: string, least: string, greatest: string) => `INSERT INTO ${table}
    (account_id, region, namespace, metric_name, dimensions, ts_ms, sum, sample_count, min, max, unit)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (account_id, region, namespace, metric_name, dimensions, ts_ms) DO UPDATE SET
    sum = ${table}.sum + excluded.sum,
    sample_count = ${table}.sample_count + excluded.sample_count,
    min = ${least}(${table}.min, excluded.min),
    max = ${greatest}(${table}.max, excluded.max),
    unit = COALESCE(excluded.unit, ${table}.unit)
  RETURNING histogram`;

/** The statements on one datapoint table: minutes (cw_datapoints) or high-resolution seconds (cw_datapoints_hr). */
const datapointSql = (table: string) => ({
  addDatapointSqlite: upsertDatapoint(table, 'min', 'max'),
  addDatapointPostgres: upsertDatapoint(table, 'LEAST', 'GREATEST'),
  setHistogram: `UPDATE ${table} SET histogram = ?
    WHERE account_id = ? AND region = ? AND namespace = ? AND metric_name = ? AND dimensions = ? AND ts_ms = ?`,
  datapoints: `SELECT ts_ms, sum, sample_count, min, max, unit, histogram FROM ${table}
    WHERE account_id = ? AND region = ? AND namespace = ? AND metric_name = ? AND dimensions = ? AND ts_ms >= ? AND ts_ms < ?
    ORDER BY ts_ms`,
  purge: `DELETE FROM ${table} WHERE ts_ms < ?`,
});

export type DatapointSql = ReturnType<typeof datapointSql>;

/** Per resolution: a minute's statistic sets, or a second's (metrics put with StorageResolution 1, kept 3 hours). */
export const DATAPOINT_SQL: Record<Resolution, DatapointSql> = { minute: datapointSql('cw_datapoints'), second: datapointSql('cw_datapoints_hr') };

export const CW_SQL = {
  series: `SELECT DISTINCT namespace, metric_name, dimensions FROM cw_datapoints
    WHERE account_id = ? AND region = ? AND ts_ms >= ? ORDER BY namespace, metric_name, dimensions`,
  putAlarm: `INSERT INTO cw_alarms (account_id, region, name, body) VALUES (?, ?, ?, ?)
    ON CONFLICT (account_id, region, name) DO UPDATE SET body = excluded.body`,
  getAlarm: 'SELECT account_id, region, name, body FROM cw_alarms WHERE account_id = ? AND region = ? AND name = ?',
  listAlarms: 'SELECT account_id, region, name, body FROM cw_alarms WHERE account_id = ? AND region = ? ORDER BY name',
  allAlarms: 'SELECT account_id, region, name, body FROM cw_alarms ORDER BY account_id, region, name',
  replaceAlarm: 'UPDATE cw_alarms SET body = ? WHERE account_id = ? AND region = ? AND name = ? AND body = ?',
  deleteAlarm: 'DELETE FROM cw_alarms WHERE account_id = ? AND region = ? AND name = ?',
  addHistory: `INSERT INTO cw_alarm_history (account_id, region, alarm_name, alarm_type, ts_ms, item_type, summary, data)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  purgeHistory: 'DELETE FROM cw_alarm_history WHERE ts_ms < ?',
};

export interface HistoryRow {
  id: number | string;
  account_id: string;
  region: string;
  alarm_name: string;
  alarm_type: string;
  ts_ms: number | string;
  item_type: string;
  summary: string;
  data: string;
}

export const historyParams = (h: StoredAlarmHistory): unknown[] =>
  [h.accountId, h.region, h.alarmName, h.alarmType, h.timestampMs, h.itemType, h.summary, h.data];

/** DescribeAlarmHistory's query: only the filters given, a keyset page in the scan's order. */
export function historyQuery(scope: { accountId: string; region: string }, q: AlarmHistoryQuery): { sql: string; params: unknown[] } {
  const where = ['account_id = ?', 'region = ?'];
  const params: unknown[] = [scope.accountId, scope.region];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (q.alarmName !== undefined) add('alarm_name = ?', q.alarmName);
  if (q.alarmTypes?.length) add(`alarm_type IN (${q.alarmTypes.map(() => '?').join(', ')})`, ...q.alarmTypes);
  if (q.itemType !== undefined) add('item_type = ?', q.itemType);
  if (q.fromMs !== undefined) add('ts_ms >= ?', q.fromMs);
  if (q.toMs !== undefined) add('ts_ms <= ?', q.toMs);
  const [cmp, dir] = q.ascending ? ['>', 'ASC'] : ['<', 'DESC'];
  if (q.after) add(`(ts_ms ${cmp} ? OR (ts_ms = ? AND id ${cmp} ?))`, q.after.timestampMs, q.after.timestampMs, q.after.id);
  return {
    sql: `SELECT id, account_id, region, alarm_name, alarm_type, ts_ms, item_type, summary, data FROM cw_alarm_history
    WHERE ${where.join(' AND ')} ORDER BY ts_ms ${dir}, id ${dir} LIMIT ${Math.max(0, Math.floor(q.limit))}`,
    params,
  };
}

export const historyFromRow = (r: HistoryRow): StoredAlarmHistory & { id: number } => ({
  id: Number(r.id), accountId: r.account_id, region: r.region, alarmName: r.alarm_name, alarmType: r.alarm_type as StoredAlarmHistory['alarmType'],
  timestampMs: Number(r.ts_ms), itemType: r.item_type as StoredAlarmHistory['itemType'], summary: r.summary, data: r.data,
});

export interface DatapointRow {
  ts_ms: number | string;
  sum: number;
  sample_count: number;
  min: number;
  max: number;
  unit: string | null;
  histogram: string | null;
}

export interface AlarmRow {
  account_id: string;
  region: string;
  name: string;
  body: string;
}

export const datapointParams = (p: MetricDatapoint): unknown[] =>
  [p.accountId, p.region, p.namespace, p.metricName, p.dimensions, p.timestampMs, p.sum, p.sampleCount, p.min, p.max, p.unit ?? null];

export const seriesParams = (s: SeriesId): unknown[] => [s.accountId, s.region, s.namespace, s.metricName, s.dimensions];

export function datapointFromRow(series: SeriesId, r: DatapointRow): MetricDatapoint {
  const point: MetricDatapoint = {
    ...series, timestampMs: Number(r.ts_ms), sum: Number(r.sum), sampleCount: Number(r.sample_count), min: Number(r.min), max: Number(r.max),
  };
  if (r.unit !== null) point.unit = r.unit;
  if (r.histogram !== null) point.histogram = Histogram.decode(r.histogram);
  return point;
}

/** The histogram a minute holds after `p` is added to one holding `stored`; undefined: leave it as it is. */
export function mergedHistogram(p: MetricDatapoint, stored: string | null | undefined): string | undefined {
  if (!p.histogram) return undefined;
  if (stored === null || stored === undefined) return p.histogram.encode();
  const sum = Histogram.decode(stored);
  sum.merge(p.histogram);
  return sum.encode();
}

export const setHistogramParams = (p: MetricDatapoint, encoded: string): unknown[] =>
  [encoded, p.accountId, p.region, p.namespace, p.metricName, p.dimensions, p.timestampMs];

export const alarmFromRow = (r: AlarmRow): StoredAlarm => ({ accountId: r.account_id, region: r.region, name: r.name, body: r.body });
