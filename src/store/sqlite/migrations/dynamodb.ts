// DynamoDB tables and items (dynamodb-store.ts). Items are keyed by the table's id and the encoded
// partition and sort keys (the sort key '' in a table without one); `version` is what a
// conditional write compares and sets.
import type { Migration } from '../database.js';

const tables = `
  CREATE TABLE dynamodb_tables (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    table_id TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, region, name)
  );
  CREATE TABLE dynamodb_items (
    table_id TEXT NOT NULL,
    pk TEXT NOT NULL,
    sk TEXT NOT NULL,
    item TEXT NOT NULL,
    size INTEGER NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (table_id, pk, sk)
  );
`;

export const dynamodbMigrations: Migration[] = [{ id: 'dynamodb-001-tables-items', sql: tables }];
