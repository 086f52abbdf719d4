// Tables only a cluster has: what embedded SQLite keeps in the data dir lives in the shared
// database instead. Ids start with 'postgres-' (they have no SQLite twin).
import type { Migration } from '../database.js';

export const clusterMigrations: Migration[] = [
  {
    // Function and layer code, kept once per content digest (hex SHA-256). Nodes extract a zip
    // into their own data dir the first time they need it.
    id: 'postgres-001-code-blobs',
    sql: `
      CREATE TABLE code_blobs (
        hash TEXT PRIMARY KEY,
        zip BYTEA NOT NULL,
        created_ms BIGINT NOT NULL
      );
    `,
  },
];
