// Twin of src/store/sqlite/migrations/sqs.ts: the same tables, with a BIGSERIAL sequence.
export { sqsPostgresMigrations as sqsMigrations } from '../../sqlite/migrations/sqs.js';
