// CloudWatch state: metric datapoints as per-minute statistic sets (sum, sample count, minimum,
// maximum, and a histogram of the samples for percentiles) and metric alarms. Writes of datapoints
// add to what a minute holds already, so the nodes of a cluster, each flushing its own aggregates,
// add up in one row per series and minute.
import type { Histogram } from '../cloudwatch/histogram.js';

export interface SeriesId {
  accountId: string;
  region: string;
  namespace: string;
  metricName: string;
  /** Canonical dimensions: JSON of [{Name, Value}] sorted by Name (see src/cloudwatch/series-key.ts). */
  dimensions: string;
}

export interface StatisticSet {
  sum: number;
  sampleCount: number;
  min: number;
  max: number;
  /**
   * The samples' distribution. Percentiles exist only while it holds every sample (its count is
   * sampleCount): statistic sets, negative values and minutes stored before histograms were kept
   * leave it short.
   */
  histogram?: Histogram;
}

/**
 * What a datapoint row covers: a minute (every metric, kept 15 days), or a second (metrics put
 * with StorageResolution 1, kept 3 hours besides their minutes).
 */
export type Resolution = 'minute' | 'second';

export interface MetricDatapoint extends SeriesId, StatisticSet {
  /** Start of the minute (or of the second, at the second resolution; epoch ms). */
  timestampMs: number;
  unit?: string;
}

export interface StoredAlarm {
  accountId: string;
  region: string;
  name: string;
  /** The alarm as DescribeAlarms shows it, with our evaluation state (JSON). */
  body: string;
}

/** One alarm history item (DescribeAlarmHistory's AlarmHistoryItem), kept after its alarm is deleted. */
export interface StoredAlarmHistory {
  accountId: string;
  region: string;
  alarmName: string;
  alarmType: 'MetricAlarm' | 'CompositeAlarm';
  timestampMs: number;
  itemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  summary: string;
  /** HistoryData: JSON. */
  data: string;
}

export interface AlarmHistoryQuery {
  alarmName?: string;
  alarmTypes?: string[];
  itemType?: string;
  /** [fromMs, toMs] inclusive, as StartDate and EndDate. */
  fromMs?: number;
  toMs?: number;
  ascending: boolean;
  limit: number;
  /** Items strictly after this one in the scan's order (a page's last). */
  after?: { timestampMs: number; id: number };
}

export interface CloudWatchStore {
  /** Adds each statistic set to its series' minute or second (sums and counts add, min and max merge, histograms add). */
  addDatapoints(points: MetricDatapoint[], resolution?: Resolution): Promise<void>;
  /** The minutes (or seconds) of one series in [fromMs, toMs), oldest first. */
  datapoints(series: SeriesId, fromMs: number, toMs: number, resolution?: Resolution): Promise<MetricDatapoint[]>;
  /** Series of an account and region with a datapoint at or after `sinceMs`, in namespace, name, dimensions order. */
  series(scope: { accountId: string; region: string }, sinceMs: number): Promise<SeriesId[]>;
  /** Forgets datapoints (of the resolution, minutes by default) older than `beforeMs`; how many went. */
  purgeDatapoints(beforeMs: number, resolution?: Resolution): Promise<number>;

  /** Creates or replaces an alarm. */
  putAlarm(alarm: StoredAlarm): Promise<void>;
  getAlarm(scope: { accountId: string; region: string }, name: string): Promise<StoredAlarm | undefined>;
  /** The alarms of an account and region, by name. */
  listAlarms(scope: { accountId: string; region: string }): Promise<StoredAlarm[]>;
  /** Every alarm of every account and region (for the evaluator). */
  allAlarms(): Promise<StoredAlarm[]>;
  /** Replaces an alarm's body only if it still is `expected` (another writer did not change it meanwhile). */
  replaceAlarm(alarm: StoredAlarm, expected: string): Promise<boolean>;
  deleteAlarms(scope: { accountId: string; region: string }, names: string[]): Promise<void>;

  addAlarmHistory(item: StoredAlarmHistory): Promise<void>;
  /** An account and region's history items matching `query`, in time order (then in the order written), each with its id. */
  alarmHistory(scope: { accountId: string; region: string }, query: AlarmHistoryQuery): Promise<(StoredAlarmHistory & { id: number })[]>;
  /** Forgets history items older than `beforeMs`; how many went. */
  purgeAlarmHistory(beforeMs: number): Promise<number>;
}
