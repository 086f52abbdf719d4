// Twin of src/store/sqlite/migrations/client-certificates.ts: the same table, with 64-bit integers.
import type { Migration } from '../database.js';
import { clientCertificateMigrations as sqlite } from '../../sqlite/migrations/client-certificates.js';

export const clientCertificateMigrations: Migration[] = sqlite.map((m) => ({ id: m.id, sql: m.sql.replace(/\bINTEGER\b/g, 'BIGINT') }));
