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
  {
    // One row per running invocation of a function with reserved concurrency (concurrency-leases.ts).
    id: 'postgres-002-concurrency-leases',
    sql: `
      CREATE TABLE lambda_concurrency_leases (
        id TEXT PRIMARY KEY,
        function_key TEXT NOT NULL,
        node_id TEXT NOT NULL,
        until_ms BIGINT NOT NULL
      );
      CREATE INDEX lambda_concurrency_leases_function ON lambda_concurrency_leases (function_key);
      CREATE INDEX lambda_concurrency_leases_node ON lambda_concurrency_leases (node_id);
    `,
  },
  {
    // One row per WebSocket connection a node holds (websocket-connections-store.ts): where another
    // node forwards the @connections calls it gets for that connection.
    id: 'postgres-003-websocket-connections',
    sql: `
      CREATE TABLE websocket_connections (
        connection_id TEXT PRIMARY KEY,
        api_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        node_id TEXT NOT NULL,
        node_url TEXT NOT NULL,
        connected_ms BIGINT NOT NULL
      );
      CREATE INDEX websocket_connections_node ON websocket_connections (node_id);
    `,
  },
];
