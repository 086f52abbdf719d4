// CloudWatch Logs tables on PostgreSQL: the SQLite schema (src/store/sqlite/migrations/logs.ts)
// in PostgreSQL's dialect. Identity columns keep event ids growing forever; messages are bytes
// because PostgreSQL text cannot hold NUL characters and a function may print them.
import type { Migration } from '../database.js';

export const logsMigrations: Migration[] = [
  {
    id: 'logs-001-groups-streams-events',
    sql: `
      CREATE TABLE logs_groups (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        retention_days INTEGER,
        kms_key_id TEXT,
        log_group_class TEXT NOT NULL DEFAULT 'STANDARD',
        tags TEXT NOT NULL DEFAULT '{}',
        stored_bytes BIGINT NOT NULL DEFAULT 0,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE logs_streams (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        group_id BIGINT NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        first_event_ms BIGINT,
        last_event_ms BIGINT,
        last_ingestion_ms BIGINT,
        stored_bytes BIGINT NOT NULL DEFAULT 0,
        UNIQUE (group_id, name)
      );
      CREATE INDEX logs_streams_by_last_event ON logs_streams (group_id, last_event_ms, name);
      CREATE TABLE logs_events (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        group_id BIGINT NOT NULL,
        stream_id BIGINT NOT NULL REFERENCES logs_streams (id) ON DELETE CASCADE,
        ts BIGINT NOT NULL,
        ingestion_ms BIGINT NOT NULL,
        message BYTEA NOT NULL             -- UTF-8
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
        group_id BIGINT NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        pattern TEXT NOT NULL,
        metric_name TEXT NOT NULL,
        metric_namespace TEXT NOT NULL,
        transformations TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        PRIMARY KEY (group_id, name)
      );
    `,
  },
  {
    // Subscription filters go with their group (ON DELETE CASCADE), like metric filters.
    id: 'logs-003-subscription-filters',
    sql: `
      CREATE TABLE logs_subscription_filters (
        group_id BIGINT NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        pattern TEXT NOT NULL,
        destination_arn TEXT NOT NULL,
        role_arn TEXT,
        distribution TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
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
        created_ms BIGINT NOT NULL,
        ended_ms BIGINT,
        heartbeat_ms BIGINT NOT NULL,
        node_id TEXT NOT NULL,
        records_matched BIGINT NOT NULL,
        records_scanned BIGINT NOT NULL,
        bytes_scanned BIGINT NOT NULL,
        results TEXT
      );
      CREATE INDEX logs_queries_by_scope ON logs_queries (account_id, region, created_ms);
      CREATE INDEX logs_queries_by_status ON logs_queries (status, heartbeat_ms);
      CREATE INDEX logs_queries_by_end ON logs_queries (ended_ms);
    `,
  },
];
