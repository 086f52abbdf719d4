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

export const sqsMigrations: Migration[] = [{ id: 'sqs-001-queues-messages', sql: tables('seq INTEGER PRIMARY KEY AUTOINCREMENT') }];
export const sqsPostgresMigrations: Migration[] = [{ id: 'sqs-001-queues-messages', sql: tables('seq BIGSERIAL PRIMARY KEY') }];
