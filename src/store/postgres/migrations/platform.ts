// Twins of src/store/sqlite/migrations/platform.ts.
import type { Migration } from '../database.js';

export const platformMigrations: Migration[] = [
  {
    id: 'platform-001-function-credentials',
    sql: `
      CREATE TABLE platform_function_credentials (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        access_key_id TEXT NOT NULL,
        secret_access_key TEXT NOT NULL,
        session_token TEXT NOT NULL,
        created_ms BIGINT NOT NULL
      );
    `,
  },
];
