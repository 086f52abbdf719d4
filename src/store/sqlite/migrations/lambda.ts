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
];
