// Twins of src/store/sqlite/migrations/events.ts: the same SQL (its TEXT columns become COLLATE "C" in migrations.ts).
export { eventsMigrations } from '../../sqlite/migrations/events.js';
