// HTTP API (API Gateway v2) tables. An API owns its routes, integrations, stages and deployments,
// all kept in one table of JSON records keyed by kind and id (ON DELETE CASCADE). `seq` keeps
// creation order, which the Get* listings follow.
import type { Migration } from '../database.js';

export const httpApiMigrations: Migration[] = [
  {
    id: 'httpapi-001-apis',
    sql: `
      CREATE TABLE apigw2_apis (
        id TEXT PRIMARY KEY,                 -- unique across accounts and regions, like REST API ids
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        config TEXT NOT NULL                 -- HttpApiRecord JSON
      );
      CREATE INDEX apigw2_apis_scope ON apigw2_apis (account_id, region, created_ms);

      CREATE TABLE apigw2_items (
        api_id TEXT NOT NULL REFERENCES apigw2_apis (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,                  -- route, integration, stage, deployment
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        config TEXT NOT NULL,                -- the record's JSON
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
