// API Gateway VPC links (src/store/vpc-link-store.ts): REST (v1) and HTTP API (v2) links of an
// account and region, told apart by kind (each kind is its own namespace of ids).
import type { Migration } from '../database.js';

export const vpcLinkMigrations: Migration[] = [
  {
    id: 'apigateway-vpc-links-001',
    sql: `
      CREATE TABLE apigw_vpc_links (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,                  -- 'rest' | 'http'
        id TEXT NOT NULL,
        created_ms INTEGER NOT NULL,         -- GetVpcLinks lists oldest first
        config TEXT NOT NULL,                -- VpcLinkRecord JSON
        PRIMARY KEY (account_id, region, kind, id)
      );
    `,
  },
];
