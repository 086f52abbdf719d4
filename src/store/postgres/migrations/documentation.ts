// Twins of src/store/sqlite/migrations/documentation.ts: the same tables, with 64-bit integers.
import type { Migration } from '../database.js';
import { documentationMigrations as sqlite } from '../../sqlite/migrations/documentation.js';

export const documentationMigrations: Migration[] = sqlite.map((m) => ({ id: m.id, sql: m.sql.replace(/\bINTEGER\b/g, 'BIGINT') }));
