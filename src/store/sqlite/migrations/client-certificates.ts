// API Gateway client certificates (src/store/client-certificate-store.ts) of an account and region.
import type { Migration } from '../database.js';

export const clientCertificateMigrations: Migration[] = [
  {
    id: 'apigateway-client-certificates-001',
    sql: `
      CREATE TABLE apigw_client_certificates (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        id TEXT NOT NULL,
        created_ms INTEGER NOT NULL,         -- GetClientCertificates lists oldest first
        config TEXT NOT NULL,                -- ClientCertificateRecord JSON, private key included
        PRIMARY KEY (account_id, region, id)
      );
    `,
  },
];
