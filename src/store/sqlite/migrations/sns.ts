// SNS topics, subscriptions, the queue of deliveries and FIFO topics' deduplication ids (sns-store.ts).
import type { Migration } from '../database.js';

export const snsMigrations: Migration[] = [
  {
    id: 'sns-001-topics-subscriptions-deliveries',
    sql: `
      CREATE TABLE sns_topics (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX sns_topics_scope ON sns_topics (account_id, region, arn);
      CREATE TABLE sns_subscriptions (
        arn TEXT PRIMARY KEY,
        topic_arn TEXT NOT NULL,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX sns_subscriptions_topic ON sns_subscriptions (topic_arn, arn);
      CREATE INDEX sns_subscriptions_scope ON sns_subscriptions (account_id, region, arn);
      CREATE TABLE sns_deliveries (
        id TEXT PRIMARY KEY,
        subscription_arn TEXT NOT NULL,
        due_ms BIGINT NOT NULL,
        attempts INTEGER NOT NULL,
        body TEXT NOT NULL,
        claimed_by TEXT,
        lease_until_ms BIGINT
      );
      CREATE INDEX sns_deliveries_due ON sns_deliveries (due_ms, id);
      CREATE TABLE sns_deduplication (
        topic_arn TEXT NOT NULL,
        deduplication_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sequence_number TEXT NOT NULL,
        expires_ms BIGINT NOT NULL,
        PRIMARY KEY (topic_arn, deduplication_id)
      );
    `,
  },
];
