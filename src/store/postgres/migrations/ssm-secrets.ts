// Twins of src/store/sqlite/migrations/ssm-secrets.ts: the same SQL (its TEXT columns become COLLATE "C" in migrations.ts).
export { ssmSecretsMigrations } from '../../sqlite/migrations/ssm-secrets.js';
