// Platform state that belongs to no AWS service: the functions' credentials (function-credentials-store.ts).
import type { Migration } from '../database.js';

export const platformMigrations: Migration[] = [
  {
    // At most one row (id = 1).
    id: 'platform-001-function-credentials',
    sql: `
      CREATE TABLE platform_function_credentials (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        access_key_id TEXT NOT NULL,
        secret_access_key TEXT NOT NULL,
        session_token TEXT NOT NULL,
        created_ms INTEGER NOT NULL
      );
    `,
  },
];
