// Twins of src/store/sqlite/migrations/codedeploy.ts.
import type { Migration } from '../database.js';

export const codedeployMigrations: Migration[] = [
  {
    id: 'codedeploy-001-hook-executions',
    sql: `
      CREATE TABLE codedeploy_hook_executions (
        deployment_id TEXT NOT NULL,
        execution_id TEXT NOT NULL,
        status TEXT NOT NULL,
        expires_ms BIGINT NOT NULL,
        PRIMARY KEY (deployment_id, execution_id)
      );
      CREATE INDEX codedeploy_hook_executions_expiry ON codedeploy_hook_executions (expires_ms);
    `,
  },
];
