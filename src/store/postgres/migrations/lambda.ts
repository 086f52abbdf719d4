// Lambda tables on PostgreSQL: the SQLite schema (src/store/sqlite/migrations/lambda.ts) in
// PostgreSQL's dialect, plus the claim columns that let several nodes share the asynchronous queue.
import type { Migration } from '../database.js';

export const lambdaMigrations: Migration[] = [
  {
    id: 'lambda-001-functions',
    sql: `
      CREATE TABLE lambda_functions (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        latest TEXT NOT NULL,            -- StoredConfig JSON of $LATEST
        revision_id TEXT NOT NULL,       -- $LATEST RevisionId, for compare-and-swap
        last_version INTEGER NOT NULL DEFAULT 0,
        reserved_concurrency INTEGER,
        tags TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        PRIMARY KEY (account_id, region, name)
      );
      CREATE TABLE lambda_versions (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        version INTEGER NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (account_id, region, name, version),
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_functions (account_id, region, name) ON DELETE CASCADE
      );
      CREATE TABLE lambda_aliases (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        alias TEXT NOT NULL,
        config TEXT NOT NULL,
        revision_id TEXT NOT NULL,
        PRIMARY KEY (account_id, region, name, alias),
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_functions (account_id, region, name) ON DELETE CASCADE
      );
      CREATE TABLE lambda_policies (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        qualifier TEXT NOT NULL,
        statements TEXT NOT NULL,
        revision_id TEXT NOT NULL,
        PRIMARY KEY (account_id, region, name, qualifier),
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_functions (account_id, region, name) ON DELETE CASCADE
      );
    `,
  },
  {
    // As on SQLite, plus claim columns: a node that takes an event writes its id and a lease, and
    // renews the lease while the event runs; other nodes skip it until the lease runs out (a node
    // that died), so two nodes never run the same event at once.
    id: 'lambda-002-async-invocations',
    sql: `
      CREATE TABLE lambda_event_invoke_configs (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        qualifier TEXT NOT NULL,
        config TEXT NOT NULL,
        last_modified_ms BIGINT NOT NULL,
        PRIMARY KEY (account_id, region, name, qualifier),
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_functions (account_id, region, name) ON DELETE CASCADE
      );
      CREATE TABLE lambda_async_events (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id TEXT NOT NULL,
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        qualifier TEXT,
        payload BYTEA NOT NULL,
        client_context TEXT,
        enqueued_ms BIGINT NOT NULL,
        due_ms BIGINT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        throttles INTEGER NOT NULL DEFAULT 0,
        last_response TEXT,
        claimed_by TEXT,                   -- the node running it; NULL when waiting
        lease_until_ms BIGINT,             -- other nodes may take it after this
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_functions (account_id, region, name) ON DELETE CASCADE
      );
      CREATE INDEX lambda_async_events_due ON lambda_async_events (due_ms, seq);
      CREATE INDEX lambda_async_events_function ON lambda_async_events (account_id, region, name);
    `,
  },
  {
    id: 'lambda-003-layers',
    sql: `
      CREATE TABLE lambda_layers (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        last_version INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, region, name)
      );
      CREATE TABLE lambda_layer_versions (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        version INTEGER NOT NULL,
        config TEXT NOT NULL,
        policy TEXT,
        policy_revision_id TEXT,
        PRIMARY KEY (account_id, region, name, version),
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_layers (account_id, region, name)
      );
    `,
  },
  {
    id: 'lambda-004-function-urls',
    sql: `
      CREATE TABLE lambda_function_urls (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        qualifier TEXT NOT NULL,
        url_id TEXT NOT NULL UNIQUE,
        config TEXT NOT NULL,
        PRIMARY KEY (account_id, region, name, qualifier),
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_functions (account_id, region, name) ON DELETE CASCADE
      );
    `,
  },
  {
    id: 'lambda-005-provisioned-concurrency',
    sql: `
      CREATE TABLE lambda_provisioned_concurrency (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        qualifier TEXT NOT NULL,
        requested INTEGER NOT NULL,
        last_modified_ms BIGINT NOT NULL,
        PRIMARY KEY (account_id, region, name, qualifier),
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_functions (account_id, region, name) ON DELETE CASCADE
      );
    `,
  },
  {
    id: 'lambda-006-function-settings',
    sql: `
      ALTER TABLE lambda_functions ADD COLUMN recursive_loop TEXT;
      ALTER TABLE lambda_functions ADD COLUMN runtime_management TEXT;
    `,
  },
  {
    id: 'lambda-007-code-signing',
    sql: `
      CREATE TABLE lambda_code_signing_configs (
        account_id TEXT NOT NULL, region TEXT NOT NULL,
        id TEXT NOT NULL,                  -- csc- and 17 hex digits
        config TEXT NOT NULL,              -- description, allowed publishers, policy, last modified as JSON
        PRIMARY KEY (account_id, region, id)
      );
      ALTER TABLE lambda_functions ADD COLUMN code_signing_config_id TEXT;
      CREATE INDEX lambda_functions_code_signing ON lambda_functions (account_id, region, code_signing_config_id);
    `,
  },
];
