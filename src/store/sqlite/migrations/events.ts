// EventBridge buses, rules and targets (src/store/rows/events.ts).
import type { Migration } from '../database.js';

export const eventsMigrations: Migration[] = [
  {
    id: 'events-001-buses-rules-targets',
    sql: `
      CREATE TABLE events_buses (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        body TEXT NOT NULL,                  -- description, tags, times (JSON)
        PRIMARY KEY (account_id, region, name)
      );
      CREATE TABLE events_rules (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        bus_name TEXT NOT NULL,
        name TEXT NOT NULL,
        body TEXT NOT NULL,                  -- pattern, schedule, state, description, role, tags (JSON)
        scheduled INTEGER NOT NULL,          -- 1 when the rule has a ScheduleExpression
        last_tick_ms BIGINT NOT NULL,        -- the latest schedule tick claimed (fired, or passed while disabled)
        PRIMARY KEY (account_id, region, bus_name, name)
      );
      CREATE INDEX events_rules_scheduled ON events_rules (scheduled);
      CREATE TABLE events_targets (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        bus_name TEXT NOT NULL,
        rule_name TEXT NOT NULL,
        target_id TEXT NOT NULL,
        body TEXT NOT NULL,                  -- the Target as given (JSON)
        PRIMARY KEY (account_id, region, bus_name, rule_name, target_id)
      );
    `,
  },
  {
    id: 'events-002-target-retries',
    sql: `
      CREATE TABLE events_target_retries (
        id TEXT PRIMARY KEY,
        due_ms BIGINT NOT NULL,
        attempts INTEGER NOT NULL,
        body TEXT NOT NULL,                  -- the delivery to retry (JSON, src/events/target-retries.ts)
        claimed_by TEXT,
        lease_until_ms BIGINT
      );
      CREATE INDEX events_target_retries_due ON events_target_retries (due_ms, id);
    `,
  },
];
