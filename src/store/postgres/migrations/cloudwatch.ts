// Twins of src/store/sqlite/migrations/cloudwatch.ts.
import type { Migration } from '../database.js';

export const cloudwatchMigrations: Migration[] = [
  {
    id: 'cloudwatch-001-metrics-alarms',
    sql: `
      CREATE TABLE cw_datapoints (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        namespace TEXT NOT NULL,
        metric_name TEXT NOT NULL,
        dimensions TEXT NOT NULL,            -- canonical JSON [{Name, Value}] sorted by Name
        ts_ms BIGINT NOT NULL,              -- start of the minute
        sum DOUBLE PRECISION NOT NULL,
        sample_count DOUBLE PRECISION NOT NULL,
        min DOUBLE PRECISION NOT NULL,
        max DOUBLE PRECISION NOT NULL,
        unit TEXT,
        PRIMARY KEY (account_id, region, namespace, metric_name, dimensions, ts_ms)
      );
      CREATE INDEX cw_datapoints_ts ON cw_datapoints (ts_ms);
      CREATE TABLE cw_alarms (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        body TEXT NOT NULL,                  -- the alarm and its state (JSON)
        PRIMARY KEY (account_id, region, name)
      );
    `,
  },
  {
    // The samples' distribution per minute (src/cloudwatch/histogram.ts), for percentiles: JSON of
    // bucket, count pairs. Minutes stored before have none, so no percentiles.
    id: 'cloudwatch-002-histograms',
    sql: 'ALTER TABLE cw_datapoints ADD COLUMN histogram TEXT;',
  },
  {
    // Alarm history (DescribeAlarmHistory), kept 14 days after each item, alarm deleted or not.
    id: 'cloudwatch-003-alarm-history',
    sql: `
      CREATE TABLE cw_alarm_history (
        id BIGSERIAL PRIMARY KEY,   -- the order of items of the same millisecond
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        alarm_name TEXT NOT NULL,
        alarm_type TEXT NOT NULL,
        ts_ms BIGINT NOT NULL,
        item_type TEXT NOT NULL,
        summary TEXT NOT NULL,
        data TEXT NOT NULL                   -- HistoryData (JSON)
      );
      CREATE INDEX cw_alarm_history_scope ON cw_alarm_history (account_id, region, ts_ms);
      CREATE INDEX cw_alarm_history_ts ON cw_alarm_history (ts_ms);
    `,
  },
  {
    // Dashboards: per account, not per region (their ARNs have no region).
    id: 'cloudwatch-004-dashboards',
    sql: `
      CREATE TABLE cw_dashboards (
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        body TEXT NOT NULL,                  -- DashboardBody as given
        tags TEXT NOT NULL,                  -- JSON [{Key, Value}]
        last_modified_ms BIGINT NOT NULL,
        PRIMARY KEY (account_id, name)
      );
    `,
  },
  {
    // High-resolution metrics (StorageResolution 1): per-second statistic sets, kept 3 hours;
    // the same samples are in cw_datapoints at their minute too.
    id: 'cloudwatch-005-high-resolution',
    sql: `
      CREATE TABLE cw_datapoints_hr (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        namespace TEXT NOT NULL,
        metric_name TEXT NOT NULL,
        dimensions TEXT NOT NULL,
        ts_ms BIGINT NOT NULL,              -- start of the second
        sum DOUBLE PRECISION NOT NULL,
        sample_count DOUBLE PRECISION NOT NULL,
        min DOUBLE PRECISION NOT NULL,
        max DOUBLE PRECISION NOT NULL,
        unit TEXT,
        histogram TEXT,
        PRIMARY KEY (account_id, region, namespace, metric_name, dimensions, ts_ms)
      );
      CREATE INDEX cw_datapoints_hr_ts ON cw_datapoints_hr (ts_ms);
    `,
  },
];
