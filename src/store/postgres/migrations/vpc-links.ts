// Twin of src/store/sqlite/migrations/vpc-links.ts: the same table, with 64-bit integers.
import type { Migration } from '../database.js';
import { vpcLinkMigrations as sqlite } from '../../sqlite/migrations/vpc-links.js';

export const vpcLinkMigrations: Migration[] = sqlite.map((m) => ({ id: m.id, sql: m.sql.replace(/\bINTEGER\b/g, 'BIGINT') }));
