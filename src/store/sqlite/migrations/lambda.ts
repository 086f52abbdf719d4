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
    // Asynchronous invocation settings per qualifier ($LATEST, version or alias), and the queue of
    // accepted Event invocations: a row is written before the 202 and removed when the event is
    // done, so queued and running events survive a crash (at-least-once, as on AWS).
    id: 'lambda-002-async-invocations',
    sql: `
      CREATE TABLE lambda_event_invoke_configs (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        qualifier TEXT NOT NULL,           -- '$LATEST', a version number or an alias name
        config TEXT NOT NULL,              -- retries, event age and destinations as JSON
        last_modified_ms INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, name, qualifier),
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_functions (account_id, region, name) ON DELETE CASCADE
      );
      CREATE TABLE lambda_async_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id TEXT NOT NULL,          -- the same for every attempt, as AWS keeps it
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        qualifier TEXT,                    -- as invoked; NULL when unqualified
        payload BLOB NOT NULL,
        client_context TEXT,
        enqueued_ms INTEGER NOT NULL,
        due_ms INTEGER NOT NULL,           -- not to run before
        attempts INTEGER NOT NULL DEFAULT 0,
        throttles INTEGER NOT NULL DEFAULT 0,
        last_response TEXT,                -- the latest attempt's answer, for an invocation record
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_functions (account_id, region, name) ON DELETE CASCADE
      );
      CREATE INDEX lambda_async_events_due ON lambda_async_events (due_ms, seq);
      CREATE INDEX lambda_async_events_function ON lambda_async_events (account_id, region, name);
    `,
  },
  {
    // Layers: a row per layer name keeps the highest version ever published (numbers are never
    // reused, even once every version is deleted); a row per version keeps its settings, the blob
    // key of its content and its resource policy.
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
        config TEXT NOT NULL,              -- settings and content digests as JSON
        policy TEXT,                       -- statements JSON; NULL when there is no policy
        policy_revision_id TEXT,
        PRIMARY KEY (account_id, region, name, version),
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_layers (account_id, region, name)
      );
    `,
  },
  {
    // Function URLs: one per function (qualifier '') or alias. The url-id is the URL's host label,
    // unique everywhere, so the data plane finds a config from the request alone. Deleting the
    // function drops its URLs; deleting an alias does not (AWS keeps the config, and its URL
    // answers 403 until an alias of that name exists again).
    id: 'lambda-004-function-urls',
    sql: `
      CREATE TABLE lambda_function_urls (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        qualifier TEXT NOT NULL,           -- '' for the unqualified function, else an alias name
        url_id TEXT NOT NULL UNIQUE,
        config TEXT NOT NULL,              -- auth type, CORS, invoke mode and times as JSON
        PRIMARY KEY (account_id, region, name, qualifier),
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_functions (account_id, region, name) ON DELETE CASCADE
      );
    `,
  },
  {
    // Provisioned concurrency per published version or alias; goes with its version, alias or function.
    id: 'lambda-005-provisioned-concurrency',
    sql: `
      CREATE TABLE lambda_provisioned_concurrency (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        qualifier TEXT NOT NULL,           -- a version number or an alias name
        requested INTEGER NOT NULL,
        last_modified_ms INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, name, qualifier),
        FOREIGN KEY (account_id, region, name) REFERENCES lambda_functions (account_id, region, name) ON DELETE CASCADE
      );
    `,
  },
  {
    // Per-function settings read back by tools: recursive-loop detection (NULL: AWS's default,
    // Terminate) and the runtime update mode per version ({qualifier: setting} JSON, NULL: none set).
    id: 'lambda-006-function-settings',
    sql: `
      ALTER TABLE lambda_functions ADD COLUMN recursive_loop TEXT;
      ALTER TABLE lambda_functions ADD COLUMN runtime_management TEXT;
    `,
  },
  {
    // Code signing configs per account and region (kept, never verified: there is no signer), and
    // the one a function uses: deleting the function detaches it; a config in use is not deleted.
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
