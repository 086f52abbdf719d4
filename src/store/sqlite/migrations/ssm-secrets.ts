// SSM parameters and Secrets Manager secrets: JSON documents (src/store/rows/named-documents.ts).
import type { Migration } from '../database.js';

export const ssmSecretsMigrations: Migration[] = [
  {
    id: 'ssm-secrets-001-documents',
    sql: `
      CREATE TABLE ssm_parameters (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        body TEXT NOT NULL,                  -- versions (values, labels), tags (JSON)
        revision BIGINT NOT NULL,            -- compare-and-set counter
        PRIMARY KEY (account_id, region, name)
      );
      CREATE TABLE secretsmanager_secrets (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        body TEXT NOT NULL,                  -- ARN, versions and their stages, tags, deletion (JSON)
        revision BIGINT NOT NULL,
        PRIMARY KEY (account_id, region, name)
      );
    `,
  },
];
