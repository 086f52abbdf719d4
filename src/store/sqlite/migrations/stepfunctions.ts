// Step Functions state machines, executions and history (src/store/rows/stepfunctions.ts).
import type { Migration } from '../database.js';

export const stepFunctionsMigrations: Migration[] = [
  {
    id: 'stepfunctions-001-machines-executions-history',
    sql: `
      CREATE TABLE sfn_state_machines (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        body TEXT NOT NULL                   -- definition, role, type, times, tags (JSON)
      );
      CREATE INDEX sfn_state_machines_scope ON sfn_state_machines (account_id, region, name);
      CREATE TABLE sfn_executions (
        arn TEXT PRIMARY KEY,
        state_machine_arn TEXT NOT NULL,
        status TEXT NOT NULL,
        start_ms BIGINT NOT NULL,
        body TEXT NOT NULL,                  -- name, input, output, error, checkpoint (JSON)
        claimed_by TEXT,
        lease_until_ms BIGINT
      );
      CREATE INDEX sfn_executions_machine ON sfn_executions (state_machine_arn, start_ms);
      CREATE INDEX sfn_executions_status ON sfn_executions (status);
      CREATE TABLE sfn_history (
        execution_arn TEXT NOT NULL,
        event_id INTEGER NOT NULL,
        body TEXT NOT NULL,                  -- the event (JSON)
        PRIMARY KEY (execution_arn, event_id)
      );
    `,
  },
];
