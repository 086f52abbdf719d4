// Stack exports and imports of `stagecraft deploy` (stack-exports-store.ts).
import type { Migration } from '../database.js';

export const cloudformationMigrations: Migration[] = [
  {
    id: 'cloudformation-001-exports',
    sql: `
      CREATE TABLE cloudformation_exports (
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        stack_name TEXT NOT NULL,
        PRIMARY KEY (region, name)
      );
      CREATE INDEX cloudformation_exports_stack ON cloudformation_exports (region, stack_name);
      CREATE TABLE cloudformation_imports (
        region TEXT NOT NULL,
        export_name TEXT NOT NULL,
        stack_name TEXT NOT NULL,
        PRIMARY KEY (region, export_name, stack_name)
      );
      CREATE INDEX cloudformation_imports_stack ON cloudformation_imports (region, stack_name);
    `,
  },
  {
    id: 'cloudformation-002-stacks',
    sql: `
      CREATE TABLE cloudformation_stacks (
        stack_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        stack_name TEXT NOT NULL,
        status TEXT NOT NULL,
        status_reason TEXT,
        description TEXT,
        template_body TEXT NOT NULL,
        parameters TEXT NOT NULL,
        outputs TEXT NOT NULL,
        resources TEXT NOT NULL,
        tags TEXT NOT NULL,
        capabilities TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        updated_ms BIGINT,
        deleted_ms BIGINT,
        node_id TEXT NOT NULL
      );
      CREATE INDEX cloudformation_stacks_name ON cloudformation_stacks (account_id, region, stack_name);
      CREATE TABLE cloudformation_stack_events (
        event_id TEXT PRIMARY KEY,
        stack_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        timestamp_ms BIGINT NOT NULL,
        logical_id TEXT NOT NULL,
        physical_id TEXT,
        resource_type TEXT NOT NULL,
        status TEXT NOT NULL,
        status_reason TEXT
      );
      CREATE INDEX cloudformation_stack_events_stack ON cloudformation_stack_events (stack_id, seq);
      CREATE TABLE cloudformation_change_sets (
        change_set_id TEXT PRIMARY KEY,
        stack_id TEXT NOT NULL,
        name TEXT NOT NULL,
        change_set_type TEXT NOT NULL,
        status TEXT NOT NULL,
        status_reason TEXT,
        execution_status TEXT NOT NULL,
        description TEXT,
        template_body TEXT NOT NULL,
        parameters TEXT NOT NULL,
        tags TEXT NOT NULL,
        capabilities TEXT NOT NULL,
        changes TEXT NOT NULL,
        created_ms BIGINT NOT NULL
      );
      CREATE INDEX cloudformation_change_sets_stack ON cloudformation_change_sets (stack_id, name);
    `,
  },
  {
    // EnableTerminationProtection (CreateStack, UpdateTerminationProtection).
    id: 'cloudformation-003-termination-protection',
    sql: `ALTER TABLE cloudformation_stacks ADD COLUMN termination_protection INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    // Rollback: the failure option of the last create or update, the stable state an update rolls back to, a CREATE change set's OnStackFailure.
    id: 'cloudformation-004-rollback',
    sql: `
      ALTER TABLE cloudformation_stacks ADD COLUMN on_failure TEXT;
      ALTER TABLE cloudformation_stacks ADD COLUMN stable_state TEXT;
      ALTER TABLE cloudformation_change_sets ADD COLUMN on_stack_failure TEXT;
    `,
  },
];
