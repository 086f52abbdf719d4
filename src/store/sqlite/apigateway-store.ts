// ApiGatewayStore on SQLite (better-sqlite3, synchronous under the async interface). Each method
// is one statement or one transaction, so a crash never leaves half a resource tree, a deployment
// without its stage update, or an API without its root resource.
import type { SqliteDb } from './database.js';
import type {
  ApiGatewayChange, ApiGatewayStore, ApiKeyRecord, ApiScope, AuthorizerRecord, BasePathMappingRecord, DeploymentRecord, DeploymentSummary,
  ApiGatewayAccountRecord, DomainNameRecord, GatewayResponseRecord, MappingUpdate, MethodRecord, ModelRecord, RequestValidatorRecord, ResourceRecord, RestApiContents, RestApiRecord, StageRecord, UsageDayRecord, UsageIncrement, UsagePlanRecord,
} from '../apigateway-store.js';
import { toResource, type ResourceRow } from '../rows/apigateway.js';

export class SqliteApiGatewayStore implements ApiGatewayStore {
  readonly #db: SqliteDb;
  readonly #listeners = new Set<(change: ApiGatewayChange) => void>();
  readonly #stmt;

  constructor(db: SqliteDb) {
    this.#db = db;
    this.#stmt = {
      addUsage: db.prepare(`INSERT INTO apigw_usage (plan_id, key_id, day, used) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM apigw_usage_plans WHERE id = ?)
        ON CONFLICT (plan_id, key_id, day) DO UPDATE SET used = used + excluded.used`),
      listUsage: db.prepare(`SELECT key_id AS keyId, day, used, granted FROM apigw_usage
        WHERE plan_id = ? AND day >= ? AND day <= ? AND (? IS NULL OR key_id = ?) ORDER BY key_id, day`),
      setUsageGrant: db.prepare(`INSERT INTO apigw_usage (plan_id, key_id, day, granted) SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM apigw_usage_plans WHERE id = ?)
        ON CONFLICT (plan_id, key_id, day) DO UPDATE SET granted = excluded.granted`),
      insertApi: db.prepare('INSERT OR IGNORE INTO apigw_rest_apis (id, account_id, region, name, created_ms, config) VALUES (?, ?, ?, ?, ?, ?)'),
      getApi: db.prepare('SELECT config FROM apigw_rest_apis WHERE id = ? AND account_id = ? AND region = ?').pluck(),
      findApi: db.prepare('SELECT config FROM apigw_rest_apis WHERE id = ?').pluck(),
      listApis: db.prepare('SELECT config FROM apigw_rest_apis WHERE account_id = ? AND region = ? ORDER BY created_ms, id').pluck(),
      updateApi: db.prepare('UPDATE apigw_rest_apis SET name = ?, config = ? WHERE id = ? AND account_id = ? AND region = ?'),
      deleteApi: db.prepare('DELETE FROM apigw_rest_apis WHERE id = ? AND account_id = ? AND region = ?'),
      listResources: db.prepare('SELECT id, parent_id, path_part, path FROM apigw_resources WHERE api_id = ? ORDER BY path, id'),
      getResource: db.prepare('SELECT id, parent_id, path_part, path FROM apigw_resources WHERE api_id = ? AND id = ?'),
      insertResource: db.prepare('INSERT INTO apigw_resources (api_id, id, parent_id, path_part, path) VALUES (?, ?, ?, ?, ?)'),
      subtree: db.prepare(`
        WITH RECURSIVE sub(id, path) AS (
          SELECT id, path FROM apigw_resources WHERE api_id = @api AND id = @id
          UNION ALL
          SELECT r.id, r.path FROM apigw_resources r JOIN sub ON r.api_id = @api AND r.parent_id = sub.id
        ) SELECT id, path FROM sub`),
      moveResource: db.prepare('UPDATE apigw_resources SET parent_id = ?, path_part = ?, path = ? WHERE api_id = ? AND id = ?'),
      setPath: db.prepare('UPDATE apigw_resources SET path = ? WHERE api_id = ? AND id = ?'),
      deleteResource: db.prepare('DELETE FROM apigw_resources WHERE api_id = ? AND id = ?'),
      detachResources: db.prepare('UPDATE apigw_resources SET parent_id = NULL WHERE api_id = ?'),
      listAllMethods: db.prepare('SELECT resource_id, config FROM apigw_methods WHERE api_id = ? ORDER BY resource_id, http_method'),
      listResourceMethods: db.prepare('SELECT resource_id, config FROM apigw_methods WHERE api_id = ? AND resource_id = ? ORDER BY http_method'),
      getMethod: db.prepare('SELECT config FROM apigw_methods WHERE api_id = ? AND resource_id = ? AND http_method = ?').pluck(),
      putMethod: db.prepare(`INSERT INTO apigw_methods (api_id, resource_id, http_method, config) VALUES (?, ?, ?, ?)
        ON CONFLICT (api_id, resource_id, http_method) DO UPDATE SET config = excluded.config`),
      deleteMethod: db.prepare('DELETE FROM apigw_methods WHERE api_id = ? AND resource_id = ? AND http_method = ?'),
      listAuthorizers: db.prepare('SELECT config FROM apigw_authorizers WHERE api_id = ? ORDER BY seq, id').pluck(),
      getAuthorizer: db.prepare('SELECT config FROM apigw_authorizers WHERE api_id = ? AND id = ?').pluck(),
      putAuthorizer: db.prepare(`INSERT INTO apigw_authorizers (api_id, id, seq, config)
        VALUES (@api, @id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM apigw_authorizers WHERE api_id = @api), @config)
        ON CONFLICT (api_id, id) DO UPDATE SET config = excluded.config`),
      deleteAuthorizer: db.prepare('DELETE FROM apigw_authorizers WHERE api_id = ? AND id = ?'),
      listGatewayResponses: db.prepare('SELECT config FROM apigw_gateway_responses WHERE api_id = ? ORDER BY response_type').pluck(),
      getGatewayResponse: db.prepare('SELECT config FROM apigw_gateway_responses WHERE api_id = ? AND response_type = ?').pluck(),
      putGatewayResponse: db.prepare(`INSERT INTO apigw_gateway_responses (api_id, response_type, config) VALUES (?, ?, ?)
        ON CONFLICT (api_id, response_type) DO UPDATE SET config = excluded.config`),
      deleteGatewayResponse: db.prepare('DELETE FROM apigw_gateway_responses WHERE api_id = ? AND response_type = ?'),
      listModels: db.prepare('SELECT config FROM apigw_models WHERE api_id = ? ORDER BY name').pluck(),
      getModel: db.prepare('SELECT config FROM apigw_models WHERE api_id = ? AND name = ?').pluck(),
      insertModel: db.prepare('INSERT OR IGNORE INTO apigw_models (api_id, name, config) VALUES (?, ?, ?)'),
      updateModel: db.prepare('UPDATE apigw_models SET config = ? WHERE api_id = ? AND name = ?'),
      deleteModel: db.prepare('DELETE FROM apigw_models WHERE api_id = ? AND name = ?'),
      listValidators: db.prepare('SELECT config FROM apigw_request_validators WHERE api_id = ? ORDER BY seq, id').pluck(),
      getValidator: db.prepare('SELECT config FROM apigw_request_validators WHERE api_id = ? AND id = ?').pluck(),
      putValidator: db.prepare(`INSERT INTO apigw_request_validators (api_id, id, seq, config)
        VALUES (@api, @id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM apigw_request_validators WHERE api_id = @api), @config)
        ON CONFLICT (api_id, id) DO UPDATE SET config = excluded.config`),
      deleteValidator: db.prepare('DELETE FROM apigw_request_validators WHERE api_id = ? AND id = ?'),
      insertDeployment: db.prepare('INSERT INTO apigw_deployments (api_id, id, description, created_ms, snapshot) VALUES (?, ?, ?, ?, ?)'),
      getDeployment: db.prepare('SELECT id, description, created_ms, snapshot FROM apigw_deployments WHERE api_id = ? AND id = ?'),
      listDeployments: db.prepare('SELECT id, description, created_ms FROM apigw_deployments WHERE api_id = ? ORDER BY created_ms, id'),
      describeDeployment: db.prepare('UPDATE apigw_deployments SET description = ? WHERE api_id = ? AND id = ?'),
      deleteDeployment: db.prepare('DELETE FROM apigw_deployments WHERE api_id = ? AND id = ?'),
      getStage: db.prepare('SELECT config FROM apigw_stages WHERE api_id = ? AND name = ?').pluck(),
      listStages: db.prepare('SELECT config FROM apigw_stages WHERE api_id = ? ORDER BY name').pluck(),
      insertStage: db.prepare('INSERT OR IGNORE INTO apigw_stages (api_id, name, deployment_id, config) VALUES (?, ?, ?, ?)'),
      upsertStage: db.prepare(`INSERT INTO apigw_stages (api_id, name, deployment_id, config) VALUES (?, ?, ?, ?)
        ON CONFLICT (api_id, name) DO UPDATE SET deployment_id = excluded.deployment_id, config = excluded.config`),
      updateStage: db.prepare('UPDATE apigw_stages SET deployment_id = ?, config = ? WHERE api_id = ? AND name = ?'),
      deleteStage: db.prepare('DELETE FROM apigw_stages WHERE api_id = ? AND name = ?'),
      insertKey: db.prepare(`INSERT OR IGNORE INTO apigw_api_keys (id, account_id, region, value, seq, config)
        VALUES (@id, @account, @region, @value, (SELECT COALESCE(MAX(seq), 0) + 1 FROM apigw_api_keys), @config)`),
      getKey: db.prepare('SELECT config FROM apigw_api_keys WHERE id = ? AND account_id = ? AND region = ?').pluck(),
      keyByValue: db.prepare('SELECT config FROM apigw_api_keys WHERE account_id = ? AND region = ? AND value = ?').pluck(),
      listKeys: db.prepare('SELECT config FROM apigw_api_keys WHERE account_id = ? AND region = ? ORDER BY seq DESC').pluck(),
      updateKey: db.prepare('UPDATE apigw_api_keys SET config = ? WHERE id = ? AND account_id = ? AND region = ?'),
      deleteKey: db.prepare('DELETE FROM apigw_api_keys WHERE id = ? AND account_id = ? AND region = ?'),
      insertPlan: db.prepare(`INSERT OR IGNORE INTO apigw_usage_plans (id, account_id, region, seq, config)
        VALUES (@id, @account, @region, (SELECT COALESCE(MAX(seq), 0) + 1 FROM apigw_usage_plans), @config)`),
      getPlan: db.prepare('SELECT config FROM apigw_usage_plans WHERE id = ? AND account_id = ? AND region = ?').pluck(),
      listPlans: db.prepare('SELECT config FROM apigw_usage_plans WHERE account_id = ? AND region = ? ORDER BY seq').pluck(),
      listPlansOfKey: db.prepare(`SELECT p.config FROM apigw_usage_plans p JOIN apigw_usage_plan_keys k ON k.plan_id = p.id
        WHERE p.account_id = ? AND p.region = ? AND k.key_id = ? ORDER BY p.seq`).pluck(),
      updatePlan: db.prepare('UPDATE apigw_usage_plans SET config = ? WHERE id = ? AND account_id = ? AND region = ?'),
      deletePlan: db.prepare('DELETE FROM apigw_usage_plans WHERE id = ? AND account_id = ? AND region = ?'),
      insertPlanKey: db.prepare(`INSERT OR IGNORE INTO apigw_usage_plan_keys (plan_id, key_id, seq)
        VALUES (@plan, @key, (SELECT COALESCE(MAX(seq), 0) + 1 FROM apigw_usage_plan_keys WHERE plan_id = @plan))`),
      deletePlanKey: db.prepare('DELETE FROM apigw_usage_plan_keys WHERE plan_id = ? AND key_id = ?'),
      listPlanKeys: db.prepare(`SELECT a.config FROM apigw_usage_plan_keys k JOIN apigw_api_keys a ON a.id = k.key_id
        WHERE k.plan_id = ? ORDER BY k.seq DESC`).pluck(),
      insertDomain: db.prepare('INSERT OR IGNORE INTO apigw_domain_names (domain_name, account_id, region, created_ms, config) VALUES (?, ?, ?, ?, ?)'),
      getDomain: db.prepare('SELECT config FROM apigw_domain_names WHERE domain_name = ? AND account_id = ? AND region = ?').pluck(),
      findDomain: db.prepare('SELECT config FROM apigw_domain_names WHERE domain_name = ?').pluck(),
      listDomains: db.prepare('SELECT config FROM apigw_domain_names WHERE account_id = ? AND region = ? ORDER BY created_ms, domain_name').pluck(),
      allDomainNames: db.prepare('SELECT domain_name FROM apigw_domain_names').pluck(),
      deleteDomain: db.prepare('DELETE FROM apigw_domain_names WHERE domain_name = ? AND account_id = ? AND region = ?'),
      insertMapping: db.prepare('INSERT OR IGNORE INTO apigw_base_path_mappings (domain_name, base_path, config) VALUES (?, ?, ?)'),
      listMappings: db.prepare('SELECT config FROM apigw_base_path_mappings WHERE domain_name = ? ORDER BY base_path').pluck(),
      deleteMapping: db.prepare('DELETE FROM apigw_base_path_mappings WHERE domain_name = ? AND base_path = ?'),
      updateDomain: db.prepare('UPDATE apigw_domain_names SET config = ? WHERE domain_name = ? AND account_id = ? AND region = ?'),
      hasMapping: db.prepare('SELECT 1 FROM apigw_base_path_mappings WHERE domain_name = ? AND base_path = ?').pluck(),
      updateMapping: db.prepare('UPDATE apigw_base_path_mappings SET base_path = ?, config = ? WHERE domain_name = ? AND base_path = ?'),
      getAccount: db.prepare('SELECT config FROM apigw_account_settings WHERE account_id = ? AND region = ?').pluck(),
      putAccount: db.prepare(`INSERT INTO apigw_account_settings (account_id, region, config) VALUES (?, ?, ?)
        ON CONFLICT (account_id, region) DO UPDATE SET config = excluded.config`),
    };
  }

  /** Keys and plans span REST APIs: one kind of change for all of them. */
  #usageChanged<T>(result: T): T {
    if (result !== false) this.#emit({ apiId: '', kind: 'usage' });
    return result;
  }

  /** Tells of a change to a domain name or its mappings when the write changed something. */
  #domainChanged(domainName: string, changed: boolean): boolean {
    if (changed) this.#emit({ apiId: '', kind: 'domain', domainName });
    return changed;
  }

  #emit(change: ApiGatewayChange): void {
    for (const l of this.#listeners) l(change);
  }

  onChange(listener: (change: ApiGatewayChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // REST APIs

  async createRestApi(api: RestApiRecord, resources: ResourceRecord[], contents: RestApiContents = {}): Promise<boolean> {
    const created = this.#db.transaction(() => {
      const info = this.#stmt.insertApi.run(api.id, api.accountId, api.region, api.name, api.createdDate, JSON.stringify(api));
      if (info.changes === 0) return false;
      for (const r of resources) this.#stmt.insertResource.run(api.id, r.id, r.parentId ?? null, r.pathPart ?? null, r.path);
      for (const m of contents.methods ?? []) this.#stmt.putMethod.run(api.id, m.resourceId, m.method.httpMethod, JSON.stringify(m.method));
      for (const a of contents.authorizers ?? []) this.#stmt.putAuthorizer.run({ api: api.id, id: a.id, config: JSON.stringify(a) });
      for (const g of contents.gatewayResponses ?? []) this.#stmt.putGatewayResponse.run(api.id, g.responseType, JSON.stringify(g));
      for (const m of contents.models ?? []) this.#stmt.insertModel.run(api.id, m.name, JSON.stringify(m));
      for (const v of contents.requestValidators ?? []) this.#stmt.putValidator.run({ api: api.id, id: v.id, config: JSON.stringify(v) });
      return true;
    }).immediate();
    if (created) this.#emit({ apiId: api.id, kind: 'api' });
    return created;
  }

  async getRestApi(scope: ApiScope, id: string): Promise<RestApiRecord | undefined> {
    const json = this.#stmt.getApi.get(id, scope.accountId, scope.region) as string | undefined;
    return json === undefined ? undefined : JSON.parse(json);
  }

  async findRestApi(id: string): Promise<RestApiRecord | undefined> {
    const json = this.#stmt.findApi.get(id) as string | undefined;
    return json === undefined ? undefined : JSON.parse(json);
  }

  async listRestApis(scope: ApiScope): Promise<RestApiRecord[]> {
    return (this.#stmt.listApis.all(scope.accountId, scope.region) as string[]).map((j) => JSON.parse(j));
  }

  async updateRestApi(api: RestApiRecord): Promise<void> {
    this.#stmt.updateApi.run(api.name, JSON.stringify(api), api.id, api.accountId, api.region);
    this.#emit({ apiId: api.id, kind: 'api' });
  }

  async deleteRestApi(scope: ApiScope, id: string): Promise<boolean> {
    const deleted = this.#db.transaction(() => {
      if (!this.#stmt.getApi.get(id, scope.accountId, scope.region)) return false;
      // Resources unlinked first: SQLite runs ON DELETE CASCADE once per tree level, and gives up
      // ("too many levels of trigger recursion") past 1000 levels.
      this.#stmt.detachResources.run(id);
      return this.#stmt.deleteApi.run(id, scope.accountId, scope.region).changes > 0;
    }).immediate();
    if (deleted) this.#emit({ apiId: id, kind: 'api' });
    return deleted;
  }

  // Resources

  async listResources(apiId: string): Promise<ResourceRecord[]> {
    return (this.#stmt.listResources.all(apiId) as ResourceRow[]).map(toResource);
  }

  async getResource(apiId: string, id: string): Promise<ResourceRecord | undefined> {
    const row = this.#stmt.getResource.get(apiId, id) as ResourceRow | undefined;
    return row && toResource(row);
  }

  async createResource(apiId: string, resource: ResourceRecord): Promise<void> {
    this.#stmt.insertResource.run(apiId, resource.id, resource.parentId ?? null, resource.pathPart ?? null, resource.path);
  }

  async moveResource(apiId: string, id: string, parentId: string, pathPart: string, path: string): Promise<void> {
    this.#db.transaction(() => {
      const subtree = this.#stmt.subtree.all({ api: apiId, id }) as { id: string; path: string }[];
      const oldPath = subtree.find((r) => r.id === id)?.path;
      if (oldPath === undefined) return;
      this.#stmt.moveResource.run(parentId, pathPart, path, apiId, id);
      for (const r of subtree) {
        if (r.id !== id) this.#stmt.setPath.run(path + r.path.slice(oldPath.length), apiId, r.id);
      }
    }).immediate();
  }

  async deleteResource(apiId: string, id: string): Promise<boolean> {
    return this.#db.transaction(() => {
      // Deepest first (a child's path is longer than its parent's), so no delete cascades through
      // more than one level: SQLite gives up on cascades deeper than 1000 levels.
      const subtree = (this.#stmt.subtree.all({ api: apiId, id }) as { id: string; path: string }[]).sort((a, b) => b.path.length - a.path.length);
      for (const r of subtree) this.#stmt.deleteResource.run(apiId, r.id);
      return subtree.length > 0;
    }).immediate();
  }

  // Methods

  async listMethods(apiId: string, resourceId?: string): Promise<{ resourceId: string; method: MethodRecord }[]> {
    const rows = (resourceId === undefined ? this.#stmt.listAllMethods.all(apiId) : this.#stmt.listResourceMethods.all(apiId, resourceId)) as
      { resource_id: string; config: string }[];
    return rows.map((r) => ({ resourceId: r.resource_id, method: JSON.parse(r.config) }));
  }

  async getMethod(apiId: string, resourceId: string, httpMethod: string): Promise<MethodRecord | undefined> {
    const json = this.#stmt.getMethod.get(apiId, resourceId, httpMethod) as string | undefined;
    return json === undefined ? undefined : JSON.parse(json);
  }

  async putMethod(apiId: string, resourceId: string, method: MethodRecord): Promise<void> {
    this.#stmt.putMethod.run(apiId, resourceId, method.httpMethod, JSON.stringify(method));
  }

  async deleteMethod(apiId: string, resourceId: string, httpMethod: string): Promise<boolean> {
    return this.#stmt.deleteMethod.run(apiId, resourceId, httpMethod).changes > 0;
  }

  // Authorizers

  async listAuthorizers(apiId: string): Promise<AuthorizerRecord[]> {
    return (this.#stmt.listAuthorizers.all(apiId) as string[]).map((j) => JSON.parse(j));
  }

  async getAuthorizer(apiId: string, id: string): Promise<AuthorizerRecord | undefined> {
    const json = this.#stmt.getAuthorizer.get(apiId, id) as string | undefined;
    return json === undefined ? undefined : JSON.parse(json);
  }

  async putAuthorizer(apiId: string, authorizer: AuthorizerRecord): Promise<void> {
    this.#stmt.putAuthorizer.run({ api: apiId, id: authorizer.id, config: JSON.stringify(authorizer) });
  }

  async deleteAuthorizer(apiId: string, id: string): Promise<boolean> {
    return this.#stmt.deleteAuthorizer.run(apiId, id).changes > 0;
  }

  // Gateway responses: like authorizers, they reach the data plane only through a deployment, so
  // writes announce no change.

  async listGatewayResponses(apiId: string): Promise<GatewayResponseRecord[]> {
    return parsedAll(this.#stmt.listGatewayResponses.all(apiId));
  }

  async getGatewayResponse(apiId: string, responseType: string): Promise<GatewayResponseRecord | undefined> {
    return parsed(this.#stmt.getGatewayResponse.get(apiId, responseType));
  }

  async putGatewayResponse(apiId: string, response: GatewayResponseRecord): Promise<void> {
    this.#stmt.putGatewayResponse.run(apiId, response.responseType, JSON.stringify(response));
  }

  async deleteGatewayResponse(apiId: string, responseType: string): Promise<boolean> {
    return this.#stmt.deleteGatewayResponse.run(apiId, responseType).changes > 0;
  }

  // Models and request validators: like authorizers, they reach the data plane only through a
  // deployment, so writes announce no change.

  async listModels(apiId: string): Promise<ModelRecord[]> {
    return parsedAll(this.#stmt.listModels.all(apiId));
  }

  async getModel(apiId: string, name: string): Promise<ModelRecord | undefined> {
    return parsed(this.#stmt.getModel.get(apiId, name));
  }

  async createModel(apiId: string, model: ModelRecord): Promise<boolean> {
    return this.#stmt.insertModel.run(apiId, model.name, JSON.stringify(model)).changes > 0;
  }

  async updateModel(apiId: string, model: ModelRecord): Promise<void> {
    this.#stmt.updateModel.run(JSON.stringify(model), apiId, model.name);
  }

  async deleteModel(apiId: string, name: string): Promise<boolean> {
    return this.#stmt.deleteModel.run(apiId, name).changes > 0;
  }

  async listRequestValidators(apiId: string): Promise<RequestValidatorRecord[]> {
    return parsedAll(this.#stmt.listValidators.all(apiId));
  }

  async getRequestValidator(apiId: string, id: string): Promise<RequestValidatorRecord | undefined> {
    return parsed(this.#stmt.getValidator.get(apiId, id));
  }

  async putRequestValidator(apiId: string, validator: RequestValidatorRecord): Promise<void> {
    this.#stmt.putValidator.run({ api: apiId, id: validator.id, config: JSON.stringify(validator) });
  }

  async deleteRequestValidator(apiId: string, id: string): Promise<boolean> {
    return this.#stmt.deleteValidator.run(apiId, id).changes > 0;
  }

  // Deployments

  async createDeployment(apiId: string, deployment: DeploymentRecord, stage?: StageRecord): Promise<void> {
    this.#db.transaction(() => {
      this.#stmt.insertDeployment.run(apiId, deployment.id, deployment.description ?? null, deployment.createdDate, JSON.stringify(deployment.snapshot));
      if (stage) this.#stmt.upsertStage.run(apiId, stage.stageName, stage.deploymentId, JSON.stringify(stage));
    }).immediate();
    this.#emit({ apiId, kind: 'deployment' });
    if (stage) this.#emit({ apiId, kind: 'stage', stageName: stage.stageName });
  }

  async getDeployment(apiId: string, id: string): Promise<DeploymentRecord | undefined> {
    const row = this.#stmt.getDeployment.get(apiId, id) as { id: string; description: string | null; created_ms: number; snapshot: string } | undefined;
    if (!row) return undefined;
    const d: DeploymentRecord = { id: row.id, createdDate: row.created_ms, snapshot: JSON.parse(row.snapshot) };
    if (row.description !== null) d.description = row.description;
    return d;
  }

  async listDeployments(apiId: string): Promise<DeploymentSummary[]> {
    return (this.#stmt.listDeployments.all(apiId) as { id: string; description: string | null; created_ms: number }[]).map((row) => {
      const d: DeploymentSummary = { id: row.id, createdDate: row.created_ms };
      if (row.description !== null) d.description = row.description;
      return d;
    });
  }

  async updateDeploymentDescription(apiId: string, id: string, description: string | undefined): Promise<void> {
    this.#stmt.describeDeployment.run(description ?? null, apiId, id);
  }

  async deleteDeployment(apiId: string, id: string): Promise<boolean> {
    const deleted = this.#stmt.deleteDeployment.run(apiId, id).changes > 0;
    if (deleted) this.#emit({ apiId, kind: 'deployment' });
    return deleted;
  }

  // Stages

  async getStage(apiId: string, stageName: string): Promise<StageRecord | undefined> {
    const json = this.#stmt.getStage.get(apiId, stageName) as string | undefined;
    return json === undefined ? undefined : JSON.parse(json);
  }

  async listStages(apiId: string): Promise<StageRecord[]> {
    return (this.#stmt.listStages.all(apiId) as string[]).map((j) => JSON.parse(j));
  }

  async createStage(apiId: string, stage: StageRecord): Promise<boolean> {
    const created = this.#stmt.insertStage.run(apiId, stage.stageName, stage.deploymentId, JSON.stringify(stage)).changes > 0;
    if (created) this.#emit({ apiId, kind: 'stage', stageName: stage.stageName });
    return created;
  }

  async updateStage(apiId: string, stage: StageRecord): Promise<void> {
    this.#stmt.updateStage.run(stage.deploymentId, JSON.stringify(stage), apiId, stage.stageName);
    this.#emit({ apiId, kind: 'stage', stageName: stage.stageName });
  }

  async deleteStage(apiId: string, stageName: string): Promise<boolean> {
    const deleted = this.#stmt.deleteStage.run(apiId, stageName).changes > 0;
    if (deleted) this.#emit({ apiId, kind: 'stage', stageName });
    return deleted;
  }

  // API keys and usage plans

  async createApiKey(key: ApiKeyRecord): Promise<boolean> {
    const params = { id: key.id, account: key.accountId, region: key.region, value: key.value, config: JSON.stringify(key) };
    return this.#usageChanged(this.#stmt.insertKey.run(params).changes > 0);
  }

  async getApiKey(scope: ApiScope, id: string): Promise<ApiKeyRecord | undefined> {
    return parsed(this.#stmt.getKey.get(id, scope.accountId, scope.region));
  }

  async findApiKeyByValue(scope: ApiScope, value: string): Promise<ApiKeyRecord | undefined> {
    return parsed(this.#stmt.keyByValue.get(scope.accountId, scope.region, value));
  }

  async listApiKeys(scope: ApiScope): Promise<ApiKeyRecord[]> {
    return (this.#stmt.listKeys.all(scope.accountId, scope.region) as string[]).map((j) => JSON.parse(j));
  }

  async updateApiKey(key: ApiKeyRecord): Promise<void> {
    this.#usageChanged(this.#stmt.updateKey.run(JSON.stringify(key), key.id, key.accountId, key.region));
  }

  async deleteApiKey(scope: ApiScope, id: string): Promise<boolean> {
    return this.#usageChanged(this.#stmt.deleteKey.run(id, scope.accountId, scope.region).changes > 0);
  }

  async createUsagePlan(plan: UsagePlanRecord): Promise<boolean> {
    const params = { id: plan.id, account: plan.accountId, region: plan.region, config: JSON.stringify(plan) };
    return this.#usageChanged(this.#stmt.insertPlan.run(params).changes > 0);
  }

  async getUsagePlan(scope: ApiScope, id: string): Promise<UsagePlanRecord | undefined> {
    return parsed(this.#stmt.getPlan.get(id, scope.accountId, scope.region));
  }

  async listUsagePlans(scope: ApiScope, keyId?: string): Promise<UsagePlanRecord[]> {
    const rows = keyId === undefined
      ? this.#stmt.listPlans.all(scope.accountId, scope.region)
      : this.#stmt.listPlansOfKey.all(scope.accountId, scope.region, keyId);
    return (rows as string[]).map((j) => JSON.parse(j));
  }

  async updateUsagePlan(plan: UsagePlanRecord): Promise<void> {
    this.#usageChanged(this.#stmt.updatePlan.run(JSON.stringify(plan), plan.id, plan.accountId, plan.region));
  }

  async deleteUsagePlan(scope: ApiScope, id: string): Promise<boolean> {
    return this.#usageChanged(this.#stmt.deletePlan.run(id, scope.accountId, scope.region).changes > 0);
  }

  async addUsagePlanKey(planId: string, keyId: string): Promise<boolean> {
    return this.#usageChanged(this.#stmt.insertPlanKey.run({ plan: planId, key: keyId }).changes > 0);
  }

  async removeUsagePlanKey(planId: string, keyId: string): Promise<boolean> {
    return this.#usageChanged(this.#stmt.deletePlanKey.run(planId, keyId).changes > 0);
  }

  async listUsagePlanKeys(planId: string): Promise<ApiKeyRecord[]> {
    return (this.#stmt.listPlanKeys.all(planId) as string[]).map((j) => JSON.parse(j));
  }

  // Usage counts

  async addUsage(increments: UsageIncrement[]): Promise<void> {
    this.#db.transaction(() => {
      for (const u of increments) this.#stmt.addUsage.run(u.planId, u.keyId, u.day, u.count, u.planId);
    }).immediate();
  }

  async listUsage(planId: string, fromDay: string, toDay: string, keyId?: string): Promise<UsageDayRecord[]> {
    return this.#stmt.listUsage.all(planId, fromDay, toDay, keyId ?? null, keyId ?? null) as UsageDayRecord[];
  }

  async setUsageGrant(planId: string, keyId: string, day: string, granted: number): Promise<void> {
    this.#stmt.setUsageGrant.run(planId, keyId, day, granted, planId);
  }

  // Custom domain names

  async createDomainName(d: DomainNameRecord): Promise<boolean> {
    const info = this.#stmt.insertDomain.run(d.domainName, d.accountId, d.region, d.createdDate, JSON.stringify(d));
    return this.#domainChanged(d.domainName, info.changes > 0);
  }

  async getDomainName(scope: ApiScope, name: string): Promise<DomainNameRecord | undefined> {
    return parsed(this.#stmt.getDomain.get(name, scope.accountId, scope.region));
  }

  async findDomainName(name: string): Promise<DomainNameRecord | undefined> {
    return parsed(this.#stmt.findDomain.get(name));
  }

  async listDomainNames(scope: ApiScope): Promise<DomainNameRecord[]> {
    return parsedAll(this.#stmt.listDomains.all(scope.accountId, scope.region));
  }

  async listAllDomainNames(): Promise<string[]> {
    return this.#stmt.allDomainNames.all() as string[];
  }

  async deleteDomainName(scope: ApiScope, name: string): Promise<boolean> {
    return this.#domainChanged(name, this.#stmt.deleteDomain.run(name, scope.accountId, scope.region).changes > 0);
  }

  async createBasePathMapping(domainName: string, mapping: BasePathMappingRecord): Promise<boolean> {
    return this.#domainChanged(domainName, this.#stmt.insertMapping.run(domainName, mapping.basePath, JSON.stringify(mapping)).changes > 0);
  }

  async listBasePathMappings(domainName: string): Promise<BasePathMappingRecord[]> {
    return parsedAll(this.#stmt.listMappings.all(domainName));
  }

  async deleteBasePathMapping(domainName: string, basePath: string): Promise<boolean> {
    return this.#domainChanged(domainName, this.#stmt.deleteMapping.run(domainName, basePath).changes > 0);
  }

  async updateDomainName(d: DomainNameRecord): Promise<boolean> {
    return this.#domainChanged(d.domainName, this.#stmt.updateDomain.run(JSON.stringify(d), d.domainName, d.accountId, d.region).changes > 0);
  }

  async updateBasePathMapping(domainName: string, basePath: string, mapping: BasePathMappingRecord): Promise<MappingUpdate> {
    const outcome = this.#db.transaction((): MappingUpdate => {
      if (!this.#stmt.hasMapping.get(domainName, basePath)) return 'missing';
      if (mapping.basePath !== basePath && this.#stmt.hasMapping.get(domainName, mapping.basePath)) return 'taken';
      this.#stmt.updateMapping.run(mapping.basePath, JSON.stringify(mapping), domainName, basePath);
      return 'updated';
    }).immediate();
    this.#domainChanged(domainName, outcome === 'updated');
    return outcome;
  }

  // Account settings

  async getAccountSettings(scope: ApiScope): Promise<ApiGatewayAccountRecord | undefined> {
    return parsed(this.#stmt.getAccount.get(scope.accountId, scope.region));
  }

  async putAccountSettings(scope: ApiScope, settings: ApiGatewayAccountRecord): Promise<void> {
    this.#stmt.putAccount.run(scope.accountId, scope.region, JSON.stringify(settings));
  }
}

const parsed = <T>(json: unknown): T | undefined => (typeof json === 'string' ? (JSON.parse(json) as T) : undefined);
const parsedAll = <T>(rows: unknown[]): T[] => (rows as string[]).map((j) => JSON.parse(j) as T);
