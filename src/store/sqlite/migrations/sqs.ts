// SQS queues and messages (sqs-store.ts). A message's `seq` orders its queue (and numbers FIFO
// messages); `receive_count` doubles as the version a receive's compare-and-set checks.
import type { Migration } from '../database.js';

const tables = (seqColumn: string): string => `
  CREATE TABLE sqs_queues (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    arn TEXT NOT NULL UNIQUE,
    attributes TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    modified_ms BIGINT NOT NULL,
    PRIMARY KEY (account_id, region, name)
  );
  CREATE TABLE sqs_messages (
    ${seqColumn},
    queue_arn TEXT NOT NULL,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    attributes TEXT NOT NULL,
    system_attributes TEXT NOT NULL,
    md5_body TEXT NOT NULL,
    md5_attributes TEXT,
    md5_system_attributes TEXT,
    sender_id TEXT NOT NULL,
    sent_ms BIGINT NOT NULL,
    visible_ms BIGINT NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    first_receive_ms BIGINT,
    group_id TEXT,
    dedup_id TEXT
  );
  CREATE INDEX sqs_messages_queue ON sqs_messages (queue_arn, visible_ms, seq);
  CREATE INDEX sqs_messages_group ON sqs_messages (queue_arn, group_id, seq);
  CREATE TABLE sqs_dedup (
    queue_arn TEXT NOT NULL,
    dedup_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    stored_ms BIGINT NOT NULL,
    PRIMARY KEY (queue_arn, dedup_id)
  );
`;

// A message moved to a dead-letter queue remembers the queue it came from (origin_arn), where a
// message move task without a destination sends it back. Move tasks are claimed by a lease, so one
// node runs each and another (or the next start) takes it over when the lease runs out.
const moveTasks = `
  ALTER TABLE sqs_messages ADD COLUMN origin_arn TEXT;
  CREATE TABLE sqs_move_tasks (
    task_id TEXT PRIMARY KEY,
    source_arn TEXT NOT NULL,
    destination_arn TEXT,
    max_per_second INTEGER,
    status TEXT NOT NULL,
    moved BIGINT NOT NULL,
    to_move BIGINT NOT NULL,
    failure_reason TEXT,
    started_ms BIGINT NOT NULL,
    node_id TEXT,
    lease_until_ms BIGINT NOT NULL
  );
  CREATE UNIQUE INDEX sqs_move_tasks_running ON sqs_move_tasks (source_arn) WHERE status = 'RUNNING';
  CREATE INDEX sqs_move_tasks_source ON sqs_move_tasks (source_arn, started_ms);
`;

export const sqsMigrations: Migration[] = [
  { id: 'sqs-001-queues-messages', sql: tables('seq INTEGER PRIMARY KEY AUTOINCREMENT') },
  { id: 'sqs-002-move-tasks', sql: moveTasks },
];
export const sqsPostgresMigrations: Migration[] = [
  { id: 'sqs-001-queues-messages', sql: tables('seq BIGSERIAL PRIMARY KEY') },
  { id: 'sqs-002-move-tasks', sql: moveTasks },
];
