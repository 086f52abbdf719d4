// CloudWatch Logs tables. Groups and streams have integer ids so events stay compact; a deleted
// group takes its streams and events with it (ON DELETE CASCADE). AUTOINCREMENT keeps event ids
// growing forever, so paging tokens and event ids never point at a reused row.
import type { Migration } from '../database.js';

export const logsMigrations: Migration[] = [
  {
    id: 'logs-001-groups-streams-events',
    sql: `
      CREATE TABLE logs_groups (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        retention_days INTEGER,
        kms_key_id TEXT,
        log_group_class TEXT NOT NULL DEFAULT 'STANDARD',
        tags TEXT NOT NULL DEFAULT '{}',
        stored_bytes INTEGER NOT NULL DEFAULT 0,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE logs_streams (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        group_id INTEGER NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        first_event_ms INTEGER,
        last_event_ms INTEGER,
        last_ingestion_ms INTEGER,
        stored_bytes INTEGER NOT NULL DEFAULT 0,
        UNIQUE (group_id, name)
      );
      CREATE INDEX logs_streams_by_last_event ON logs_streams (group_id, last_event_ms, name);
      CREATE TABLE logs_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        group_id INTEGER NOT NULL,
        stream_id INTEGER NOT NULL REFERENCES logs_streams (id) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        ingestion_ms INTEGER NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX logs_events_by_stream_time ON logs_events (stream_id, ts, id);
      CREATE INDEX logs_events_by_group_time ON logs_events (group_id, ts, id);
    `,
  },
  {
    // Metric filters go with their group (ON DELETE CASCADE); the metric's name and namespace are
    // columns so DescribeMetricFilters can select by them.
    id: 'logs-002-metric-filters',
    sql: `
      CREATE TABLE logs_metric_filters (
        group_id INTEGER NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        pattern TEXT NOT NULL,
        metric_name TEXT NOT NULL,
        metric_namespace TEXT NOT NULL,
        transformations TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (group_id, name)
      );
    `,
  },
  {
    // Subscription filters go with their group (ON DELETE CASCADE), like metric filters.
    id: 'logs-003-subscription-filters',
    sql: `
      CREATE TABLE logs_subscription_filters (
        group_id INTEGER NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        pattern TEXT NOT NULL,
        destination_arn TEXT NOT NULL,
        role_arn TEXT,
        distribution TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (group_id, name)
      );
    `,
  },
  {
    // Logs Insights queries, shared by the nodes and kept across restarts: the definition, status,
    // statistics and (once ended) the results as JSON. `node_id` runs it and `heartbeat_ms` is when
    // it last reported; not-ended queries are looked up by status, ended ones purged by `ended_ms`.
    id: 'logs-004-insights-queries',
    sql: `
      CREATE TABLE logs_queries (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL, region TEXT NOT NULL,
        query_string TEXT NOT NULL,
        log_groups TEXT NOT NULL,
        status TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        ended_ms INTEGER,
        heartbeat_ms INTEGER NOT NULL,
        node_id TEXT NOT NULL,
        records_matched INTEGER NOT NULL,
        records_scanned INTEGER NOT NULL,
        bytes_scanned INTEGER NOT NULL,
        results TEXT
      );
      CREATE INDEX logs_queries_by_scope ON logs_queries (account_id, region, created_ms);
      CREATE INDEX logs_queries_by_status ON logs_queries (status, heartbeat_ms);
      CREATE INDEX logs_queries_by_end ON logs_queries (ended_ms);
    `,
  },
];
