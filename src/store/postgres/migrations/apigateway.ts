// API Gateway tables on PostgreSQL: the SQLite schema (src/store/sqlite/migrations/apigateway.ts)
// in PostgreSQL's dialect. Creation-order columns draw from one sequence, so concurrent inserts on
// several nodes still get distinct, growing numbers.
import type { Migration } from '../database.js';
import { EMPTY_SCHEMA as EMPTY, ERROR_SCHEMA as ERROR } from '../../../apigateway/built-in-models.js';

const sqlText = (s: string) => s.replace(/'/g, "''");

export const apigatewayMigrations: Migration[] = [
  {
    id: 'apigateway-001-rest-apis',
    sql: `
      CREATE SEQUENCE apigw_seq;
      CREATE TABLE apigw_rest_apis (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        config TEXT NOT NULL
      );
      CREATE INDEX apigw_rest_apis_scope ON apigw_rest_apis (account_id, region, created_ms);

      CREATE TABLE apigw_resources (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        parent_id TEXT,
        path_part TEXT,
        path TEXT NOT NULL,
        PRIMARY KEY (api_id, id),
        FOREIGN KEY (api_id, parent_id) REFERENCES apigw_resources (api_id, id) ON DELETE CASCADE
      );
      CREATE UNIQUE INDEX apigw_resources_sibling ON apigw_resources (api_id, parent_id, path_part);

      CREATE TABLE apigw_methods (
        api_id TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        http_method TEXT NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (api_id, resource_id, http_method),
        FOREIGN KEY (api_id, resource_id) REFERENCES apigw_resources (api_id, id) ON DELETE CASCADE
      );

      CREATE TABLE apigw_deployments (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        description TEXT,
        created_ms BIGINT NOT NULL,
        snapshot TEXT NOT NULL,
        PRIMARY KEY (api_id, id)
      );

      CREATE TABLE apigw_stages (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        deployment_id TEXT NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (api_id, name),
        FOREIGN KEY (api_id, deployment_id) REFERENCES apigw_deployments (api_id, id)
      );
      CREATE INDEX apigw_stages_deployment ON apigw_stages (api_id, deployment_id);
    `,
  },
  {
    id: 'apigateway-002-authorizers',
    sql: `
      CREATE TABLE apigw_authorizers (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (api_id, id)
      );
    `,
  },
  {
    id: 'apigateway-003-api-keys-usage-plans',
    sql: `
      CREATE TABLE apigw_api_keys (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        value TEXT NOT NULL,
        seq BIGINT NOT NULL,
        config TEXT NOT NULL
      );
      CREATE UNIQUE INDEX apigw_api_keys_value ON apigw_api_keys (account_id, region, value);

      CREATE TABLE apigw_usage_plans (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        seq BIGINT NOT NULL,
        config TEXT NOT NULL
      );
      CREATE INDEX apigw_usage_plans_scope ON apigw_usage_plans (account_id, region, seq);

      CREATE TABLE apigw_usage_plan_keys (
        plan_id TEXT NOT NULL REFERENCES apigw_usage_plans (id) ON DELETE CASCADE,
        key_id TEXT NOT NULL REFERENCES apigw_api_keys (id) ON DELETE CASCADE,
        seq BIGINT NOT NULL,
        PRIMARY KEY (plan_id, key_id)
      );
      CREATE INDEX apigw_usage_plan_keys_key ON apigw_usage_plan_keys (key_id);
    `,
  },
  {
    id: 'apigateway-004-gateway-responses',
    sql: `
      CREATE TABLE apigw_gateway_responses (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        response_type TEXT NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (api_id, response_type)
      );
    `,
  },
  {
    id: 'apigateway-005-models-request-validators',
    sql: `
      CREATE TABLE apigw_models (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (api_id, name)
      );

      CREATE TABLE apigw_request_validators (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (api_id, id)
      );

      INSERT INTO apigw_models (api_id, name, config)
        SELECT id, 'Empty', json_build_object('id', substr(md5(random()::text || id), 1, 6), 'name', 'Empty',
          'description', 'This is a default empty schema model', 'contentType', 'application/json',
          'schema', '${sqlText(EMPTY)}')::text
        FROM apigw_rest_apis;
      INSERT INTO apigw_models (api_id, name, config)
        SELECT id, 'Error', json_build_object('id', substr(md5(random()::text || id || 'e'), 1, 6), 'name', 'Error',
          'description', 'This is a default error schema model', 'contentType', 'application/json',
          'schema', '${sqlText(ERROR)}')::text
        FROM apigw_rest_apis;
    `,
  },
  {
    id: 'apigateway-006-usage-counts',
    sql: `
      CREATE TABLE apigw_usage (
        plan_id TEXT NOT NULL REFERENCES apigw_usage_plans (id) ON DELETE CASCADE,
        key_id TEXT NOT NULL,
        day TEXT NOT NULL,
        used BIGINT NOT NULL DEFAULT 0,
        granted BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (plan_id, key_id, day)
      );
    `,
  },
  {
    id: 'apigateway-007-domain-names',
    sql: `
      CREATE TABLE apigw_domain_names (
        domain_name TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        config TEXT NOT NULL
      );
      CREATE INDEX apigw_domain_names_scope ON apigw_domain_names (account_id, region, created_ms);

      CREATE TABLE apigw_base_path_mappings (
        domain_name TEXT NOT NULL REFERENCES apigw_domain_names (domain_name) ON DELETE CASCADE,
        base_path TEXT NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (domain_name, base_path)
      );
    `,
  },
  {
    id: 'apigateway-008-account-settings',
    sql: `
      CREATE TABLE apigw_account_settings (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        config TEXT NOT NULL,
        PRIMARY KEY (account_id, region)
      );
    `,
  },
  {
    // Creation order (seq) is read as MAX(seq) + 1 on every insert: indexed, so importing many keys
    // or plan keys is not quadratic.
    id: 'apigateway-009-seq-indexes',
    sql: `
      CREATE INDEX apigw_api_keys_seq ON apigw_api_keys (seq);
      CREATE INDEX apigw_usage_plan_keys_seq ON apigw_usage_plan_keys (plan_id, seq);
    `,
  },
];
