// The PostgreSQL twins of src/store/sqlite/migrations/httpapi.ts (same ids, same tables).
import type { Migration } from '../database.js';

export const httpApiMigrations: Migration[] = [
  {
    id: 'httpapi-001-apis',
    sql: `
      CREATE TABLE apigw2_apis (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        config TEXT NOT NULL
      );
      CREATE INDEX apigw2_apis_scope ON apigw2_apis (account_id, region, created_ms);

      CREATE TABLE apigw2_items (
        api_id TEXT NOT NULL REFERENCES apigw2_apis (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (api_id, kind, id)
      );
    `,
  },
  {
    // Each put reads MAX(seq) for its API: indexed, so importing thousands of routes is not quadratic.
    id: 'httpapi-002-item-seq-index',
    sql: 'CREATE INDEX apigw2_items_seq ON apigw2_items (api_id, seq);',
  },
];
