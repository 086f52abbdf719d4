// Twins of src/store/sqlite/migrations/iam.ts: the same SQL (its TEXT columns become COLLATE "C" in migrations.ts).
export { iamMigrations } from '../../sqlite/migrations/iam.js';
