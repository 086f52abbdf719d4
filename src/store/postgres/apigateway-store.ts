// ApiGatewayStore on PostgreSQL: the SQL of src/store/sqlite/apigateway-store.ts in PostgreSQL's
// dialect. Each method is one statement or one transaction. A change the data plane caches
// (APIs, stages, deployments, keys and plans) is told to this node's listeners once committed and
// to the other nodes through the change feed, in the transaction that makes it.
import type { PgDb, Sql } from './database.js';
import type { PgChangeFeed } from './change-feed.js';
import type {
  ApiGatewayChange, ApiGatewayStore, ApiKeyRecord, ApiScope, AuthorizerRecord, BasePathMappingRecord, DeploymentRecord, DeploymentSummary,
  ApiGatewayAccountRecord, DomainNameRecord, GatewayResponseRecord, MappingUpdate, MethodRecord, ModelRecord, RequestValidatorRecord, ResourceRecord, RestApiContents, RestApiRecord, StageRecord, UsageDayRecord, UsageIncrement, UsagePlanRecord,
} from '../apigateway-store.js';
import { toResource, type ResourceRow } from '../rows/apigateway.js';

export const APIGATEWAY_TOPIC = 'apigateway';

type ConfigRow = { config: string };
const parsed = <T>(row: ConfigRow | undefined): T | undefined => (row ? (JSON.parse(row.config) as T) : undefined);
const parsedAll = <T>(rows: ConfigRow[]): T[] => rows.map((r) => JSON.parse(r.config) as T);

const INSERT_RESOURCE = 'INSERT INTO apigw_resources (api_id, id, parent_id, path_part, path) VALUES (?, ?, ?, ?, ?)';
const PUT_METHOD = `INSERT INTO apigw_methods (api_id, resource_id, http_method, config) VALUES (?, ?, ?, ?)
  ON CONFLICT (api_id, resource_id, http_method) DO UPDATE SET config = excluded.config`;
const PUT_AUTHORIZER = `INSERT INTO apigw_authorizers (api_id, id, seq, config) VALUES (?, ?, nextval('apigw_seq'), ?)
  ON CONFLICT (api_id, id) DO UPDATE SET config = excluded.config`;
const PUT_GATEWAY_RESPONSE = `INSERT INTO apigw_gateway_responses (api_id, response_type, config) VALUES (?, ?, ?)
  ON CONFLICT (api_id, response_type) DO UPDATE SET config = excluded.config`;
const INSERT_MODEL = 'INSERT INTO apigw_models (api_id, name, config) VALUES (?, ?, ?) ON CONFLICT DO NOTHING';
const PUT_VALIDATOR = `INSERT INTO apigw_request_validators (api_id, id, seq, config) VALUES (?, ?, nextval('apigw_seq'), ?)
  ON CONFLICT (api_id, id) DO UPDATE SET config = excluded.config`;
const UPSERT_STAGE = `INSERT INTO apigw_stages (api_id, name, deployment_id, config) VALUES (?, ?, ?, ?)
  ON CONFLICT (api_id, name) DO UPDATE SET deployment_id = excluded.deployment_id, config = excluded.config`;

const ADD_USAGE = `INSERT INTO apigw_usage (plan_id, key_id, day, used) SELECT ?::text, ?::text, ?::text, ?::bigint WHERE EXISTS (SELECT 1 FROM apigw_usage_plans WHERE id = ?)
  ON CONFLICT (plan_id, key_id, day) DO UPDATE SET used = apigw_usage.used + excluded.used`;
const SET_USAGE_GRANT = `INSERT INTO apigw_usage (plan_id, key_id, day, granted) SELECT ?::text, ?::text, ?::text, ?::bigint WHERE EXISTS (SELECT 1 FROM apigw_usage_plans WHERE id = ?)
  ON CONFLICT (plan_id, key_id, day) DO UPDATE SET granted = excluded.granted`;
const byRow = (a: UsageIncrement, b: UsageIncrement) => (a.planId + '\0' + a.keyId + '\0' + a.day < b.planId + '\0' + b.keyId + '\0' + b.day ? -1 : 1);

export class PgApiGatewayStore implements ApiGatewayStore {
  readonly #db: PgDb;
  readonly #feed?: PgChangeFeed;
  readonly #listeners = new Set<(change: ApiGatewayChange) => void>();

  constructor(db: PgDb, feed?: PgChangeFeed) {
    this.#db = db;
    this.#feed = feed;
    // Another node's changes reach this node's caches as if made here; a feed that lost messages drops everything.
    feed?.subscribe(APIGATEWAY_TOPIC, (m) => this.#tell(m as ApiGatewayChange), () => this.#tell({ apiId: '', kind: 'all' }));
  }

  onChange(listener: (change: ApiGatewayChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #tell(change: ApiGatewayChange): void {
    for (const l of this.#listeners) l(change);
  }

  /**
   * Runs a write in a transaction; the changes it reports (none when it changed nothing) go to the
   * other nodes in the same transaction and to this node's listeners after the commit.
   */
  async #write<T>(fn: (sql: Sql) => Promise<{ result: T; changes: ApiGatewayChange[] }>): Promise<T> {
    const { result, changes } = this.#feed
      ? await this.#feed.transaction(this.#db, async (sql, send) => {
        const out = await fn(sql);
        for (const c of out.changes) await send(APIGATEWAY_TOPIC, c);
        return out;
      })
      : await this.#db.tx(fn);
    for (const c of changes) this.#tell(c);
    return result;
  }

  /** Keys and plans span REST APIs: one kind of change for all of them. */
  #usage<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return this.#write(async (sql) => {
      const result = await fn(sql);
      return { result, changes: result === false ? [] : [{ apiId: '', kind: 'usage' as const }] };
    });
  }

  /** A write to a domain name or its mappings, told to every node when it changed something. */
  #domain(domainName: string, fn: (sql: Sql) => Promise<number>): Promise<boolean> {
    return this.#write(async (sql) => {
      const changed = (await fn(sql)) > 0;
      return { result: changed, changes: changed ? [{ apiId: '', kind: 'domain' as const, domainName }] : [] };
    });
  }

  // REST APIs

  async createRestApi(api: RestApiRecord, resources: ResourceRecord[], contents: RestApiContents = {}): Promise<boolean> {
    return this.#write(async (sql) => {
      const inserted = await sql.run('INSERT INTO apigw_rest_apis (id, account_id, region, name, created_ms, config) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [api.id, api.accountId, api.region, api.name, api.createdDate, JSON.stringify(api)]);
      if (inserted === 0) return { result: false, changes: [] };
      for (const r of resources) await sql.run(INSERT_RESOURCE, [api.id, r.id, r.parentId ?? null, r.pathPart ?? null, r.path]);
      for (const m of contents.methods ?? []) await sql.run(PUT_METHOD, [api.id, m.resourceId, m.method.httpMethod, JSON.stringify(m.method)]);
      for (const a of contents.authorizers ?? []) await sql.run(PUT_AUTHORIZER, [api.id, a.id, JSON.stringify(a)]);
      for (const g of contents.gatewayResponses ?? []) await sql.run(PUT_GATEWAY_RESPONSE, [api.id, g.responseType, JSON.stringify(g)]);
      for (const m of contents.models ?? []) await sql.run(INSERT_MODEL, [api.id, m.name, JSON.stringify(m)]);
      for (const v of contents.requestValidators ?? []) await sql.run(PUT_VALIDATOR, [api.id, v.id, JSON.stringify(v)]);
      return { result: true, changes: [{ apiId: api.id, kind: 'api' }] };
    });
  }

  async getRestApi(scope: ApiScope, id: string): Promise<RestApiRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_rest_apis WHERE id = ? AND account_id = ? AND region = ?', [id, scope.accountId, scope.region]));
  }

  async findRestApi(id: string): Promise<RestApiRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_rest_apis WHERE id = ?', [id]));
  }

  async listRestApis(scope: ApiScope): Promise<RestApiRecord[]> {
    return parsedAll(await this.#db.all<ConfigRow>('SELECT config FROM apigw_rest_apis WHERE account_id = ? AND region = ? ORDER BY created_ms, id', [scope.accountId, scope.region]));
  }

  async updateRestApi(api: RestApiRecord): Promise<void> {
    await this.#write(async (sql) => {
      await sql.run('UPDATE apigw_rest_apis SET name = ?, config = ? WHERE id = ? AND account_id = ? AND region = ?', [api.name, JSON.stringify(api), api.id, api.accountId, api.region]);
      return { result: undefined, changes: [{ apiId: api.id, kind: 'api' }] };
    });
  }

  async deleteRestApi(scope: ApiScope, id: string): Promise<boolean> {
    return this.#write(async (sql) => {
      const deleted = (await sql.run('DELETE FROM apigw_rest_apis WHERE id = ? AND account_id = ? AND region = ?', [id, scope.accountId, scope.region])) > 0;
      return { result: deleted, changes: deleted ? [{ apiId: id, kind: 'api' }] : [] };
    });
  }

  // Resources

  async listResources(apiId: string): Promise<ResourceRecord[]> {
    return (await this.#db.all<ResourceRow>('SELECT id, parent_id, path_part, path FROM apigw_resources WHERE api_id = ? ORDER BY path, id', [apiId])).map(toResource);
  }

  async getResource(apiId: string, id: string): Promise<ResourceRecord | undefined> {
    const row = await this.#db.get<ResourceRow>('SELECT id, parent_id, path_part, path FROM apigw_resources WHERE api_id = ? AND id = ?', [apiId, id]);
    return row && toResource(row);
  }

  async createResource(apiId: string, resource: ResourceRecord): Promise<void> {
    await this.#db.run(INSERT_RESOURCE, [apiId, resource.id, resource.parentId ?? null, resource.pathPart ?? null, resource.path]);
  }

  async moveResource(apiId: string, id: string, parentId: string, pathPart: string, path: string): Promise<void> {
    await this.#db.tx(async (sql) => {
      const subtree = await sql.all<{ id: string; path: string }>(`
        WITH RECURSIVE sub(id, path) AS (
          SELECT id, path FROM apigw_resources WHERE api_id = ? AND id = ?
          UNION ALL
          SELECT r.id, r.path FROM apigw_resources r JOIN sub ON r.api_id = ? AND r.parent_id = sub.id
        ) SELECT id, path FROM sub`, [apiId, id, apiId]);
      const oldPath = subtree.find((r) => r.id === id)?.path;
      if (oldPath === undefined) return;
      await sql.run('UPDATE apigw_resources SET parent_id = ?, path_part = ?, path = ? WHERE api_id = ? AND id = ?', [parentId, pathPart, path, apiId, id]);
      for (const r of subtree) {
        if (r.id !== id) await sql.run('UPDATE apigw_resources SET path = ? WHERE api_id = ? AND id = ?', [path + r.path.slice(oldPath.length), apiId, r.id]);
      }
    });
  }

  async deleteResource(apiId: string, id: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM apigw_resources WHERE api_id = ? AND id = ?', [apiId, id])) > 0;
  }

  // Methods

  async listMethods(apiId: string, resourceId?: string): Promise<{ resourceId: string; method: MethodRecord }[]> {
    const rows = resourceId === undefined
      ? await this.#db.all<{ resource_id: string; config: string }>('SELECT resource_id, config FROM apigw_methods WHERE api_id = ? ORDER BY resource_id, http_method', [apiId])
      : await this.#db.all<{ resource_id: string; config: string }>('SELECT resource_id, config FROM apigw_methods WHERE api_id = ? AND resource_id = ? ORDER BY http_method', [apiId, resourceId]);
    return rows.map((r) => ({ resourceId: r.resource_id, method: JSON.parse(r.config) }));
  }

  async getMethod(apiId: string, resourceId: string, httpMethod: string): Promise<MethodRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_methods WHERE api_id = ? AND resource_id = ? AND http_method = ?', [apiId, resourceId, httpMethod]));
  }

  async putMethod(apiId: string, resourceId: string, method: MethodRecord): Promise<void> {
    await this.#db.run(PUT_METHOD, [apiId, resourceId, method.httpMethod, JSON.stringify(method)]);
  }

  async deleteMethod(apiId: string, resourceId: string, httpMethod: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM apigw_methods WHERE api_id = ? AND resource_id = ? AND http_method = ?', [apiId, resourceId, httpMethod])) > 0;
  }

  // Authorizers

  async listAuthorizers(apiId: string): Promise<AuthorizerRecord[]> {
    return parsedAll(await this.#db.all<ConfigRow>('SELECT config FROM apigw_authorizers WHERE api_id = ? ORDER BY seq, id', [apiId]));
  }

  async getAuthorizer(apiId: string, id: string): Promise<AuthorizerRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_authorizers WHERE api_id = ? AND id = ?', [apiId, id]));
  }

  async putAuthorizer(apiId: string, authorizer: AuthorizerRecord): Promise<void> {
    await this.#db.run(PUT_AUTHORIZER, [apiId, authorizer.id, JSON.stringify(authorizer)]);
  }

  async deleteAuthorizer(apiId: string, id: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM apigw_authorizers WHERE api_id = ? AND id = ?', [apiId, id])) > 0;
  }

  // Models and request validators: like authorizers, they reach the data plane only through a
  // deployment, so writes announce no change.

  async listModels(apiId: string): Promise<ModelRecord[]> {
    return parsedAll(await this.#db.all<ConfigRow>('SELECT config FROM apigw_models WHERE api_id = ? ORDER BY name', [apiId]));
  }

  async getModel(apiId: string, name: string): Promise<ModelRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_models WHERE api_id = ? AND name = ?', [apiId, name]));
  }

  async createModel(apiId: string, model: ModelRecord): Promise<boolean> {
    return (await this.#db.run(INSERT_MODEL, [apiId, model.name, JSON.stringify(model)])) > 0;
  }

  async updateModel(apiId: string, model: ModelRecord): Promise<void> {
    await this.#db.run('UPDATE apigw_models SET config = ? WHERE api_id = ? AND name = ?', [JSON.stringify(model), apiId, model.name]);
  }

  async deleteModel(apiId: string, name: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM apigw_models WHERE api_id = ? AND name = ?', [apiId, name])) > 0;
  }

  async listRequestValidators(apiId: string): Promise<RequestValidatorRecord[]> {
    return parsedAll(await this.#db.all<ConfigRow>('SELECT config FROM apigw_request_validators WHERE api_id = ? ORDER BY seq, id', [apiId]));
  }

  async getRequestValidator(apiId: string, id: string): Promise<RequestValidatorRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_request_validators WHERE api_id = ? AND id = ?', [apiId, id]));
  }

  async putRequestValidator(apiId: string, validator: RequestValidatorRecord): Promise<void> {
    await this.#db.run(PUT_VALIDATOR, [apiId, validator.id, JSON.stringify(validator)]);
  }

  async deleteRequestValidator(apiId: string, id: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM apigw_request_validators WHERE api_id = ? AND id = ?', [apiId, id])) > 0;
  }

  // Gateway responses: like authorizers, they reach the data plane only through a deployment, so
  // writes announce no change.

  async listGatewayResponses(apiId: string): Promise<GatewayResponseRecord[]> {
    return parsedAll(await this.#db.all<ConfigRow>('SELECT config FROM apigw_gateway_responses WHERE api_id = ? ORDER BY response_type', [apiId]));
  }

  async getGatewayResponse(apiId: string, responseType: string): Promise<GatewayResponseRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_gateway_responses WHERE api_id = ? AND response_type = ?', [apiId, responseType]));
  }

  async putGatewayResponse(apiId: string, response: GatewayResponseRecord): Promise<void> {
    await this.#db.run(PUT_GATEWAY_RESPONSE, [apiId, response.responseType, JSON.stringify(response)]);
  }

  async deleteGatewayResponse(apiId: string, responseType: string): Promise<boolean> {
    return (await this.#db.run('DELETE FROM apigw_gateway_responses WHERE api_id = ? AND response_type = ?', [apiId, responseType])) > 0;
  }

  // Deployments

  async createDeployment(apiId: string, deployment: DeploymentRecord, stage?: StageRecord): Promise<void> {
    await this.#write(async (sql) => {
      await sql.run('INSERT INTO apigw_deployments (api_id, id, description, created_ms, snapshot) VALUES (?, ?, ?, ?, ?)',
        [apiId, deployment.id, deployment.description ?? null, deployment.createdDate, JSON.stringify(deployment.snapshot)]);
      if (stage) await sql.run(UPSERT_STAGE, [apiId, stage.stageName, stage.deploymentId, JSON.stringify(stage)]);
      const changes: ApiGatewayChange[] = [{ apiId, kind: 'deployment' }];
      if (stage) changes.push({ apiId, kind: 'stage', stageName: stage.stageName });
      return { result: undefined, changes };
    });
  }

  async getDeployment(apiId: string, id: string): Promise<DeploymentRecord | undefined> {
    const row = await this.#db.get<{ id: string; description: string | null; created_ms: number; snapshot: string }>(
      'SELECT id, description, created_ms, snapshot FROM apigw_deployments WHERE api_id = ? AND id = ?', [apiId, id]);
    if (!row) return undefined;
    const d: DeploymentRecord = { id: row.id, createdDate: row.created_ms, snapshot: JSON.parse(row.snapshot) };
    if (row.description !== null) d.description = row.description;
    return d;
  }

  async listDeployments(apiId: string): Promise<DeploymentSummary[]> {
    const rows = await this.#db.all<{ id: string; description: string | null; created_ms: number }>(
      'SELECT id, description, created_ms FROM apigw_deployments WHERE api_id = ? ORDER BY created_ms, id', [apiId]);
    return rows.map((row) => {
      const d: DeploymentSummary = { id: row.id, createdDate: row.created_ms };
      if (row.description !== null) d.description = row.description;
      return d;
    });
  }

  async updateDeploymentDescription(apiId: string, id: string, description: string | undefined): Promise<void> {
    await this.#db.run('UPDATE apigw_deployments SET description = ? WHERE api_id = ? AND id = ?', [description ?? null, apiId, id]);
  }

  async deleteDeployment(apiId: string, id: string): Promise<boolean> {
    return this.#write(async (sql) => {
      const deleted = (await sql.run('DELETE FROM apigw_deployments WHERE api_id = ? AND id = ?', [apiId, id])) > 0;
      return { result: deleted, changes: deleted ? [{ apiId, kind: 'deployment' }] : [] };
    });
  }

  // Stages

  async getStage(apiId: string, stageName: string): Promise<StageRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_stages WHERE api_id = ? AND name = ?', [apiId, stageName]));
  }

  async listStages(apiId: string): Promise<StageRecord[]> {
    return parsedAll(await this.#db.all<ConfigRow>('SELECT config FROM apigw_stages WHERE api_id = ? ORDER BY name', [apiId]));
  }

  async createStage(apiId: string, stage: StageRecord): Promise<boolean> {
    return this.#write(async (sql) => {
      const created = (await sql.run('INSERT INTO apigw_stages (api_id, name, deployment_id, config) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [apiId, stage.stageName, stage.deploymentId, JSON.stringify(stage)])) > 0;
      return { result: created, changes: created ? [{ apiId, kind: 'stage', stageName: stage.stageName }] : [] };
    });
  }

  async updateStage(apiId: string, stage: StageRecord): Promise<void> {
    await this.#write(async (sql) => {
      await sql.run('UPDATE apigw_stages SET deployment_id = ?, config = ? WHERE api_id = ? AND name = ?', [stage.deploymentId, JSON.stringify(stage), apiId, stage.stageName]);
      return { result: undefined, changes: [{ apiId, kind: 'stage', stageName: stage.stageName }] };
    });
  }

  async deleteStage(apiId: string, stageName: string): Promise<boolean> {
    return this.#write(async (sql) => {
      const deleted = (await sql.run('DELETE FROM apigw_stages WHERE api_id = ? AND name = ?', [apiId, stageName])) > 0;
      return { result: deleted, changes: deleted ? [{ apiId, kind: 'stage', stageName }] : [] };
    });
  }

  // API keys and usage plans

  async createApiKey(key: ApiKeyRecord): Promise<boolean> {
    return this.#usage(async (sql) => (await sql.run(`INSERT INTO apigw_api_keys (id, account_id, region, value, seq, config)
      VALUES (?, ?, ?, ?, nextval('apigw_seq'), ?) ON CONFLICT DO NOTHING`, [key.id, key.accountId, key.region, key.value, JSON.stringify(key)])) > 0);
  }

  async getApiKey(scope: ApiScope, id: string): Promise<ApiKeyRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_api_keys WHERE id = ? AND account_id = ? AND region = ?', [id, scope.accountId, scope.region]));
  }

  async findApiKeyByValue(scope: ApiScope, value: string): Promise<ApiKeyRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_api_keys WHERE account_id = ? AND region = ? AND value = ?', [scope.accountId, scope.region, value]));
  }

  async listApiKeys(scope: ApiScope): Promise<ApiKeyRecord[]> {
    return parsedAll(await this.#db.all<ConfigRow>('SELECT config FROM apigw_api_keys WHERE account_id = ? AND region = ? ORDER BY seq DESC', [scope.accountId, scope.region]));
  }

  async updateApiKey(key: ApiKeyRecord): Promise<void> {
    await this.#usage((sql) => sql.run('UPDATE apigw_api_keys SET config = ? WHERE id = ? AND account_id = ? AND region = ?', [JSON.stringify(key), key.id, key.accountId, key.region]));
  }

  async deleteApiKey(scope: ApiScope, id: string): Promise<boolean> {
    return this.#usage(async (sql) => (await sql.run('DELETE FROM apigw_api_keys WHERE id = ? AND account_id = ? AND region = ?', [id, scope.accountId, scope.region])) > 0);
  }

  async createUsagePlan(plan: UsagePlanRecord): Promise<boolean> {
    return this.#usage(async (sql) => (await sql.run(`INSERT INTO apigw_usage_plans (id, account_id, region, seq, config)
      VALUES (?, ?, ?, nextval('apigw_seq'), ?) ON CONFLICT DO NOTHING`, [plan.id, plan.accountId, plan.region, JSON.stringify(plan)])) > 0);
  }

  async getUsagePlan(scope: ApiScope, id: string): Promise<UsagePlanRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_usage_plans WHERE id = ? AND account_id = ? AND region = ?', [id, scope.accountId, scope.region]));
  }

  async listUsagePlans(scope: ApiScope, keyId?: string): Promise<UsagePlanRecord[]> {
    const rows = keyId === undefined
      ? await this.#db.all<ConfigRow>('SELECT config FROM apigw_usage_plans WHERE account_id = ? AND region = ? ORDER BY seq', [scope.accountId, scope.region])
      : await this.#db.all<ConfigRow>(`SELECT p.config FROM apigw_usage_plans p JOIN apigw_usage_plan_keys k ON k.plan_id = p.id
          WHERE p.account_id = ? AND p.region = ? AND k.key_id = ? ORDER BY p.seq`, [scope.accountId, scope.region, keyId]);
    return parsedAll(rows);
  }

  async updateUsagePlan(plan: UsagePlanRecord): Promise<void> {
    await this.#usage((sql) => sql.run('UPDATE apigw_usage_plans SET config = ? WHERE id = ? AND account_id = ? AND region = ?', [JSON.stringify(plan), plan.id, plan.accountId, plan.region]));
  }

  async deleteUsagePlan(scope: ApiScope, id: string): Promise<boolean> {
    return this.#usage(async (sql) => (await sql.run('DELETE FROM apigw_usage_plans WHERE id = ? AND account_id = ? AND region = ?', [id, scope.accountId, scope.region])) > 0);
  }

  async addUsagePlanKey(planId: string, keyId: string): Promise<boolean> {
    return this.#usage(async (sql) => (await sql.run(`INSERT INTO apigw_usage_plan_keys (plan_id, key_id, seq)
      VALUES (?, ?, nextval('apigw_seq')) ON CONFLICT DO NOTHING`, [planId, keyId])) > 0);
  }

  async removeUsagePlanKey(planId: string, keyId: string): Promise<boolean> {
    return this.#usage(async (sql) => (await sql.run('DELETE FROM apigw_usage_plan_keys WHERE plan_id = ? AND key_id = ?', [planId, keyId])) > 0);
  }

  async listUsagePlanKeys(planId: string): Promise<ApiKeyRecord[]> {
    return parsedAll(await this.#db.all<ConfigRow>(`SELECT a.config FROM apigw_usage_plan_keys k JOIN apigw_api_keys a ON a.id = k.key_id
      WHERE k.plan_id = ? ORDER BY k.seq DESC`, [planId]));
  }

  // Custom domain names

  async createDomainName(d: DomainNameRecord): Promise<boolean> {
    return this.#domain(d.domainName, (sql) => sql.run(`INSERT INTO apigw_domain_names (domain_name, account_id, region, created_ms, config)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, [d.domainName, d.accountId, d.region, d.createdDate, JSON.stringify(d)]));
  }

  async getDomainName(scope: ApiScope, name: string): Promise<DomainNameRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_domain_names WHERE domain_name = ? AND account_id = ? AND region = ?', [name, scope.accountId, scope.region]));
  }

  async findDomainName(name: string): Promise<DomainNameRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_domain_names WHERE domain_name = ?', [name]));
  }

  async listDomainNames(scope: ApiScope): Promise<DomainNameRecord[]> {
    return parsedAll(await this.#db.all<ConfigRow>('SELECT config FROM apigw_domain_names WHERE account_id = ? AND region = ? ORDER BY created_ms, domain_name', [scope.accountId, scope.region]));
  }

  async listAllDomainNames(): Promise<string[]> {
    return (await this.#db.all<{ domain_name: string }>('SELECT domain_name FROM apigw_domain_names')).map((r) => r.domain_name);
  }

  async deleteDomainName(scope: ApiScope, name: string): Promise<boolean> {
    return this.#domain(name, (sql) => sql.run('DELETE FROM apigw_domain_names WHERE domain_name = ? AND account_id = ? AND region = ?', [name, scope.accountId, scope.region]));
  }

  async createBasePathMapping(domainName: string, mapping: BasePathMappingRecord): Promise<boolean> {
    return this.#domain(domainName, (sql) => sql.run('INSERT INTO apigw_base_path_mappings (domain_name, base_path, config) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      [domainName, mapping.basePath, JSON.stringify(mapping)]));
  }

  async listBasePathMappings(domainName: string): Promise<BasePathMappingRecord[]> {
    return parsedAll(await this.#db.all<ConfigRow>('SELECT config FROM apigw_base_path_mappings WHERE domain_name = ? ORDER BY base_path COLLATE "C"', [domainName]));
  }

  async deleteBasePathMapping(domainName: string, basePath: string): Promise<boolean> {
    return this.#domain(domainName, (sql) => sql.run('DELETE FROM apigw_base_path_mappings WHERE domain_name = ? AND base_path = ?', [domainName, basePath]));
  }

  async updateDomainName(d: DomainNameRecord): Promise<boolean> {
    return this.#domain(d.domainName, (sql) => sql.run('UPDATE apigw_domain_names SET config = ? WHERE domain_name = ? AND account_id = ? AND region = ?',
      [JSON.stringify(d), d.domainName, d.accountId, d.region]));
  }

  async updateBasePathMapping(domainName: string, basePath: string, mapping: BasePathMappingRecord): Promise<MappingUpdate> {
    try {
      return await this.#write(async (sql) => {
        // Locks the domain's row: two nodes moving mappings of one domain take turns.
        await sql.get('SELECT 1 FROM apigw_domain_names WHERE domain_name = ? FOR UPDATE', [domainName]);
        const has = async (path: string) => (await sql.get('SELECT 1 FROM apigw_base_path_mappings WHERE domain_name = ? AND base_path = ?', [domainName, path])) !== undefined;
        const outcome: MappingUpdate = !(await has(basePath)) ? 'missing' : mapping.basePath !== basePath && (await has(mapping.basePath)) ? 'taken' : 'updated';
        if (outcome === 'updated') {
          await sql.run('UPDATE apigw_base_path_mappings SET base_path = ?, config = ? WHERE domain_name = ? AND base_path = ?',
            [mapping.basePath, JSON.stringify(mapping), domainName, basePath]);
        }
        return { result: outcome, changes: outcome === 'updated' ? [{ apiId: '', kind: 'domain' as const, domainName }] : [] };
      });
    } catch (e) {
      if ((e as { code?: string }).code === '23505') return 'taken'; // a mapping created at the new base path meanwhile
      throw e;
    }
  }

  // Account settings

  async getAccountSettings(scope: ApiScope): Promise<ApiGatewayAccountRecord | undefined> {
    return parsed(await this.#db.get<ConfigRow>('SELECT config FROM apigw_account_settings WHERE account_id = ? AND region = ?', [scope.accountId, scope.region]));
  }

  async putAccountSettings(scope: ApiScope, settings: ApiGatewayAccountRecord): Promise<void> {
    await this.#db.run(`INSERT INTO apigw_account_settings (account_id, region, config) VALUES (?, ?, ?)
      ON CONFLICT (account_id, region) DO UPDATE SET config = excluded.config`, [scope.accountId, scope.region, JSON.stringify(settings)]);
  }

  // Usage counts

  async addUsage(increments: UsageIncrement[]): Promise<void> {
    // Rows locked in one order on every node, so two nodes' batches never deadlock.
    const sorted = [...increments].sort(byRow);
    await this.#db.tx(async (sql) => {
      for (const u of sorted) await sql.run(ADD_USAGE, [u.planId, u.keyId, u.day, u.count, u.planId]);
    });
  }

  async listUsage(planId: string, fromDay: string, toDay: string, keyId?: string): Promise<UsageDayRecord[]> {
    const rows = await this.#db.all<{ key_id: string; day: string; used: string | number; granted: string | number }>(
      `SELECT key_id, day, used, granted FROM apigw_usage WHERE plan_id = ? AND day >= ? AND day <= ? AND (?::text IS NULL OR key_id = ?)
        ORDER BY key_id, day`, [planId, fromDay, toDay, keyId ?? null, keyId ?? null]);
    return rows.map((r) => ({ keyId: r.key_id, day: r.day, used: Number(r.used), granted: Number(r.granted) }));
  }

  async setUsageGrant(planId: string, keyId: string, day: string, granted: number): Promise<void> {
    await this.#db.run(SET_USAGE_GRANT, [planId, keyId, day, granted, planId]);
  }
}
