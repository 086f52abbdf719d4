// Twins of src/store/sqlite/migrations/stepfunctions.ts: the same SQL (its TEXT columns become COLLATE "C" in migrations.ts).
export { stepFunctionsMigrations } from '../../sqlite/migrations/stepfunctions.js';
