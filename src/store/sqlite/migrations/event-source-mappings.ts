// Lambda event source mappings (event-source-mapping-store.ts).
import type { Migration } from '../database.js';

export const eventSourceMappingMigrations: Migration[] = [
  {
    id: 'lambda-esm-001-event-source-mappings',
    sql: `
      CREATE TABLE lambda_event_source_mappings (
        uuid TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        event_source_arn TEXT NOT NULL,
        function_arn TEXT NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (event_source_arn, function_arn)
      );
      CREATE INDEX lambda_event_source_mappings_scope ON lambda_event_source_mappings (account_id, region, uuid);
    `,
  },
];
