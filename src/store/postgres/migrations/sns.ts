// Twins of src/store/sqlite/migrations/sns.ts: the same SQL (its TEXT columns become COLLATE "C" in migrations.ts).
export { snsMigrations } from '../../sqlite/migrations/sns.js';
