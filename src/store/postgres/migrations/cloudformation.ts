// Twins of src/store/sqlite/migrations/cloudformation.ts.// Stack exports and imports of `stagecraft deploy` (stack-exports-store.ts).
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
];
