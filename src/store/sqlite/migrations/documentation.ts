// API Gateway documentation parts and versions (src/store/apigateway-documentation-store.ts).
// Both belong to their REST API (ON DELETE CASCADE). A part's location is unique within its API
// (location_key); a version keeps its parts as one JSON document, never modified.
import type { Migration } from '../database.js';

export const documentationMigrations: Migration[] = [
  {
    id: 'apigateway-documentation-001',
    sql: `
      CREATE TABLE apigw_documentation_parts (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,                -- creation order (GetDocumentationParts lists oldest first)
        location_key TEXT NOT NULL,          -- the location's canonical JSON
        config TEXT NOT NULL,                -- DocumentationPartRecord JSON
        PRIMARY KEY (api_id, id),
        UNIQUE (api_id, location_key)
      );

      CREATE TABLE apigw_documentation_versions (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        version TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        description TEXT,
        parts TEXT NOT NULL,                 -- DocumentationPartRecord[] JSON, never modified
        PRIMARY KEY (api_id, version)
      );
    `,
  },
  {
    // Each new part reads MAX(seq) for its API: indexed, so importing many parts is not quadratic.
    id: 'apigateway-documentation-002-seq-index',
    sql: 'CREATE INDEX apigw_documentation_parts_seq ON apigw_documentation_parts (api_id, seq);',
  },
];
