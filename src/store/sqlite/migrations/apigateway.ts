// API Gateway tables. A REST API owns its resource tree, methods, deployments and stages
// (ON DELETE CASCADE); a resource owns its children and their methods, so deleting one removes
// the subtree in the same statement. A stage references its deployment without a cascade, so a
// deployment a stage serves cannot disappear underneath it. Configuration that API Gateway
// returns as a document (methods with their integrations, stage settings) is stored as JSON.
import type { Migration } from '../database.js';
import { EMPTY_SCHEMA as EMPTY, ERROR_SCHEMA as ERROR } from '../../../apigateway/built-in-models.js';

const sqlText = (s: string) => s.replace(/'/g, "''");
const EMPTY_SCHEMA = sqlText(EMPTY);
const ERROR_SCHEMA = sqlText(ERROR);

export const apigatewayMigrations: Migration[] = [
  {
    id: 'apigateway-001-rest-apis',
    sql: `
      CREATE TABLE apigw_rest_apis (
        id TEXT PRIMARY KEY,                 -- unique across accounts and regions (invoke host names carry no region)
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        config TEXT NOT NULL                 -- RestApiRecord JSON
      );
      CREATE INDEX apigw_rest_apis_scope ON apigw_rest_apis (account_id, region, created_ms);

      CREATE TABLE apigw_resources (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        parent_id TEXT,                      -- NULL for the root resource
        path_part TEXT,                      -- NULL for the root resource
        path TEXT NOT NULL,
        PRIMARY KEY (api_id, id),
        FOREIGN KEY (api_id, parent_id) REFERENCES apigw_resources (api_id, id) ON DELETE CASCADE
      );
      CREATE UNIQUE INDEX apigw_resources_sibling ON apigw_resources (api_id, parent_id, path_part);

      CREATE TABLE apigw_methods (
        api_id TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        http_method TEXT NOT NULL,
        config TEXT NOT NULL,                -- Method JSON with methodResponses and methodIntegration
        PRIMARY KEY (api_id, resource_id, http_method),
        FOREIGN KEY (api_id, resource_id) REFERENCES apigw_resources (api_id, id) ON DELETE CASCADE
      );

      CREATE TABLE apigw_deployments (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        description TEXT,
        created_ms INTEGER NOT NULL,
        snapshot TEXT NOT NULL,              -- DeploymentSnapshot JSON, never modified
        PRIMARY KEY (api_id, id)
      );

      CREATE TABLE apigw_stages (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        deployment_id TEXT NOT NULL,
        config TEXT NOT NULL,                -- StageRecord JSON
        PRIMARY KEY (api_id, name),
        FOREIGN KEY (api_id, deployment_id) REFERENCES apigw_deployments (api_id, id)
      );
      CREATE INDEX apigw_stages_deployment ON apigw_stages (api_id, deployment_id);
    `,
  },
  {
    // Authorizers belong to their API; a method names one by id inside its JSON, so whether an
    // authorizer is still in use is checked by the control plane before a delete.
    id: 'apigateway-002-authorizers',
    sql: `
      CREATE TABLE apigw_authorizers (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,                -- creation order (GetAuthorizers lists oldest first)
        config TEXT NOT NULL,                -- AuthorizerRecord JSON
        PRIMARY KEY (api_id, id)
      );
    `,
  },
  {
    // API keys and usage plans belong to an account and region, not to a REST API, so they do not
    // cascade from apigw_rest_apis; a plan names its API stages inside its JSON (checked when
    // written). Deleting a key or a plan drops its memberships.
    id: 'apigateway-003-api-keys-usage-plans',
    sql: `
      CREATE TABLE apigw_api_keys (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        value TEXT NOT NULL,
        seq INTEGER NOT NULL,                -- creation order (GetApiKeys lists newest first)
        config TEXT NOT NULL                 -- ApiKeyRecord JSON
      );
      CREATE UNIQUE INDEX apigw_api_keys_value ON apigw_api_keys (account_id, region, value);

      CREATE TABLE apigw_usage_plans (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        seq INTEGER NOT NULL,                -- creation order
        config TEXT NOT NULL                 -- UsagePlanRecord JSON
      );
      CREATE INDEX apigw_usage_plans_scope ON apigw_usage_plans (account_id, region, seq);

      CREATE TABLE apigw_usage_plan_keys (
        plan_id TEXT NOT NULL REFERENCES apigw_usage_plans (id) ON DELETE CASCADE,
        key_id TEXT NOT NULL REFERENCES apigw_api_keys (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,                -- order added (GetUsagePlanKeys lists newest first)
        PRIMARY KEY (plan_id, key_id)
      );
      CREATE INDEX apigw_usage_plan_keys_key ON apigw_usage_plan_keys (key_id);
    `,
  },
  {
    // Customised gateway responses (PutGatewayResponse), one row per API and response type; types
    // left at AWS's defaults have no row. Deleted with their API.
    id: 'apigateway-004-gateway-responses',
    sql: `
      CREATE TABLE apigw_gateway_responses (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        response_type TEXT NOT NULL,
        config TEXT NOT NULL,                -- GatewayResponseRecord JSON
        PRIMARY KEY (api_id, response_type)
      );
    `,
  },
  {
    // Models (CreateModel) by name and request validators (CreateRequestValidator) by id; methods
    // name them inside their JSON, so whether one is still in use is checked by the control plane.
    // Every REST API has the built-in Empty and Error models, so APIs created before this
    // migration are given theirs here.
    id: 'apigateway-005-models-request-validators',
    sql: `
      CREATE TABLE apigw_models (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        config TEXT NOT NULL,                -- ModelRecord JSON
        PRIMARY KEY (api_id, name)
      );

      CREATE TABLE apigw_request_validators (
        api_id TEXT NOT NULL REFERENCES apigw_rest_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,                -- creation order (GetRequestValidators lists oldest first)
        config TEXT NOT NULL,                -- RequestValidatorRecord JSON
        PRIMARY KEY (api_id, id)
      );

      INSERT INTO apigw_models (api_id, name, config)
        SELECT id, 'Empty', json_object('id', lower(hex(randomblob(3))), 'name', 'Empty',
          'description', 'This is a default empty schema model', 'contentType', 'application/json',
          'schema', '${EMPTY_SCHEMA}')
        FROM apigw_rest_apis;
      INSERT INTO apigw_models (api_id, name, config)
        SELECT id, 'Error', json_object('id', lower(hex(randomblob(3))), 'name', 'Error',
          'description', 'This is a default error schema model', 'contentType', 'application/json',
          'schema', '${ERROR_SCHEMA}')
        FROM apigw_rest_apis;
    `,
  },
  {
    // Requests counted against usage plan quotas, per plan, key and UTC day (yyyy-MM-dd): a
    // period's count is the sum over its days, and GetUsage lists the days. Nodes add their
    // batched counts with `used = used + n`. `granted` (on a period's first day) is the extension
    // UpdateUsage gave the key in that period.
    id: 'apigateway-006-usage-counts',
    sql: `
      CREATE TABLE apigw_usage (
        plan_id TEXT NOT NULL REFERENCES apigw_usage_plans (id) ON DELETE CASCADE,
        key_id TEXT NOT NULL,
        day TEXT NOT NULL,                   -- yyyy-MM-dd, UTC
        used INTEGER NOT NULL DEFAULT 0,
        granted INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (plan_id, key_id, day)
      );
    `,
  },
  {
    // Custom domain names (CreateDomainName), found by Host on every request whatever their account
    // and region, so the name alone is the key; and their base path mappings ('(none)' for the
    // mapping without a base path). Deleting a domain deletes its mappings.
    id: 'apigateway-007-domain-names',
    sql: `
      CREATE TABLE apigw_domain_names (
        domain_name TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        config TEXT NOT NULL                -- DomainNameRecord JSON
      );
      CREATE INDEX apigw_domain_names_scope ON apigw_domain_names (account_id, region, created_ms);

      CREATE TABLE apigw_base_path_mappings (
        domain_name TEXT NOT NULL REFERENCES apigw_domain_names (domain_name) ON DELETE CASCADE,
        base_path TEXT NOT NULL,
        config TEXT NOT NULL,               -- BasePathMappingRecord JSON
        PRIMARY KEY (domain_name, base_path)
      );
    `,
  },
  {
    // API Gateway's account settings (UpdateAccount), one row per account and region.
    id: 'apigateway-008-account-settings',
    sql: `
      CREATE TABLE apigw_account_settings (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        config TEXT NOT NULL,               -- ApiGatewayAccountRecord JSON
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
