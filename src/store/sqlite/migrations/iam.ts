// IAM roles, inline role policies, customer managed policies and attachments (iam-store.ts). IAM
// is global: keyed by account, never by region; names by their lower-cased form.
import type { Migration } from '../database.js';

export const iamMigrations: Migration[] = [
  {
    id: 'iam-001-roles-policies',
    sql: `
      CREATE TABLE iam_roles (
        account_id TEXT NOT NULL,
        name_key TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (account_id, name_key)
      );
      CREATE TABLE iam_role_policies (
        account_id TEXT NOT NULL,
        role_key TEXT NOT NULL,
        name_key TEXT NOT NULL,
        name TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (account_id, role_key, name_key)
      );
      CREATE TABLE iam_policies (
        account_id TEXT NOT NULL,
        name_key TEXT NOT NULL,
        arn TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (account_id, name_key)
      );
      CREATE UNIQUE INDEX iam_policies_arn ON iam_policies (account_id, arn);
      CREATE TABLE iam_attachments (
        account_id TEXT NOT NULL,
        role_key TEXT NOT NULL,
        policy_arn TEXT NOT NULL,
        PRIMARY KEY (account_id, role_key, policy_arn)
      );
      CREATE INDEX iam_attachments_policy ON iam_attachments (account_id, policy_arn);
    `,
  },
];
