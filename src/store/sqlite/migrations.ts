// Every module's SQLite migrations, in the order they apply.
import type { Migration } from './database.js';
import { logsMigrations } from './migrations/logs.js';
import { lambdaMigrations } from './migrations/lambda.js';

export const allMigrations: Migration[] = [
  ...logsMigrations,
  ...lambdaMigrations,
];
