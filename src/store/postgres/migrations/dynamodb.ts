// Twin of src/store/sqlite/migrations/dynamodb.ts: the same tables (text keys compare bytewise, COLLATE "C").
export { dynamodbMigrations } from '../../sqlite/migrations/dynamodb.js';
