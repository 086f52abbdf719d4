// Every module's SQLite migrations, in the order they apply.
import type { Migration } from './database.js';

export const allMigrations: Migration[] = [];
