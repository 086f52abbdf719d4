// Twins of src/store/sqlite/migrations/event-source-mappings.ts: the same SQL (its TEXT columns become COLLATE "C" in migrations.ts).
export { eventSourceMappingMigrations } from '../../sqlite/migrations/event-source-mappings.js';
