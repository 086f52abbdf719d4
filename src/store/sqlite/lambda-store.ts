// LambdaStore on SQLite. better-sqlite3 is synchronous, so each method is one atomic step;
// multi-row changes run in a transaction and a crash leaves either all or nothing.
import type { AliasConfiguration } from '../../aws/generated/lambda.js';
import type { CasResult, CodeSigningConfigKey, CodeSigningConfigRecord, EventInvokeConfigRecord, FunctionKey, FunctionRecord, FunctionUrlRecord, LambdaStore, LayerKey, LayerVersionRecord, PolicyRecord, ProvisionedConcurrencyRecord, RuntimeManagementRecord, StoredConfig } from '../lambda-store.js';
import { codeSigningSettings, toCodeSigningConfig, toFunctionUrl, toInvokeConfig, toLayerVersion, toProvisioned, toRecord, urlSettings, withRuntimeManagement, type CodeSigningConfigRow, type FunctionRow, type FunctionUrlRow, type InvokeConfigRow, type LayerVersionRow, type ProvisionedRow } from '../rows/lambda.js';
import type { SqliteDb } from './database.js';

const K = 'account_id = ? AND region = ? AND name = ?';

const k = (key: FunctionKey | LayerKey) => [key.accountId, key.region, key.name] as const;
const c = (key: CodeSigningConfigKey) => [key.accountId, key.region, key.id] as const;

export class SqliteLambdaStore implements LambdaStore {
  readonly #db: SqliteDb;
  readonly #s;

  constructor(db: SqliteDb) {
    this.#db = db;
    this.#s = {
      getFunction: db.prepare(`SELECT * FROM lambda_functions WHERE ${K}`),
      listFunctions: db.prepare('SELECT * FROM lambda_functions WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?'),
      countFunctions: db.prepare('SELECT COUNT(*) FROM lambda_functions WHERE account_id = ? AND region = ?').pluck(),
      insertFunction: db.prepare('INSERT INTO lambda_functions (account_id, region, name, latest, revision_id, last_version, reserved_concurrency, tags, created_at, code_signing_config_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      updateLatest: db.prepare(`UPDATE lambda_functions SET latest = ?, revision_id = ? WHERE ${K} AND revision_id = ?`),
      bumpVersion: db.prepare(`UPDATE lambda_functions SET last_version = last_version + 1 WHERE ${K} RETURNING last_version`).pluck(),
      insertVersion: db.prepare('INSERT INTO lambda_versions (account_id, region, name, version, config) VALUES (?, ?, ?, ?, ?)'),
      getVersion: db.prepare(`SELECT config FROM lambda_versions WHERE ${K} AND version = ?`).pluck(),
      listVersions: db.prepare(`SELECT config FROM lambda_versions WHERE ${K} ORDER BY version`).pluck(),
      newestVersion: db.prepare(`SELECT config FROM lambda_versions WHERE ${K} ORDER BY version DESC LIMIT 1`).pluck(),
      deleteFunction: db.prepare(`DELETE FROM lambda_functions WHERE ${K}`),
      deleteVersion: db.prepare(`DELETE FROM lambda_versions WHERE ${K} AND version = ?`),
      deleteVersionPolicy: db.prepare(`DELETE FROM lambda_policies WHERE ${K} AND qualifier = ?`),
      getAlias: db.prepare(`SELECT config FROM lambda_aliases WHERE ${K} AND alias = ?`).pluck(),
      listAliases: db.prepare(`SELECT config FROM lambda_aliases WHERE ${K} ORDER BY alias`).pluck(),
      insertAlias: db.prepare('INSERT INTO lambda_aliases (account_id, region, name, alias, config, revision_id) VALUES (?, ?, ?, ?, ?, ?)'),
      updateAlias: db.prepare(`UPDATE lambda_aliases SET config = ?, revision_id = ? WHERE ${K} AND alias = ? AND revision_id = ?`),
      deleteAlias: db.prepare(`DELETE FROM lambda_aliases WHERE ${K} AND alias = ?`),
      getPolicy: db.prepare(`SELECT statements, revision_id FROM lambda_policies WHERE ${K} AND qualifier = ?`),
      upsertPolicy: db.prepare(`INSERT INTO lambda_policies (account_id, region, name, qualifier, statements, revision_id) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (account_id, region, name, qualifier) DO UPDATE SET statements = excluded.statements, revision_id = excluded.revision_id`),
      setReserved: db.prepare(`UPDATE lambda_functions SET reserved_concurrency = ? WHERE ${K}`),
      setTags: db.prepare(`UPDATE lambda_functions SET tags = ? WHERE ${K}`),
      setRecursiveLoop: db.prepare(`UPDATE lambda_functions SET recursive_loop = ? WHERE ${K}`),
      getRuntimeManagement: db.prepare(`SELECT runtime_management FROM lambda_functions WHERE ${K}`),
      setRuntimeManagement: db.prepare(`UPDATE lambda_functions SET runtime_management = ? WHERE ${K}`),
      totalReserved: db.prepare('SELECT COALESCE(SUM(reserved_concurrency), 0) FROM lambda_functions WHERE account_id = ? AND region = ? AND name != ?').pluck(),
      getInvokeConfig: db.prepare(`SELECT qualifier, config, last_modified_ms FROM lambda_event_invoke_configs WHERE ${K} AND qualifier = ?`),
      listInvokeConfigs: db.prepare(`SELECT qualifier, config, last_modified_ms FROM lambda_event_invoke_configs WHERE ${K} ORDER BY qualifier`),
      upsertInvokeConfig: db.prepare(`INSERT INTO lambda_event_invoke_configs (account_id, region, name, qualifier, config, last_modified_ms) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (account_id, region, name, qualifier) DO UPDATE SET config = excluded.config, last_modified_ms = excluded.last_modified_ms`),
      deleteInvokeConfig: db.prepare(`DELETE FROM lambda_event_invoke_configs WHERE ${K} AND qualifier = ?`),
      getProvisioned: db.prepare(`SELECT * FROM lambda_provisioned_concurrency WHERE ${K} AND qualifier = ?`),
      listProvisioned: db.prepare(`SELECT * FROM lambda_provisioned_concurrency WHERE ${K} ORDER BY qualifier`),
      listAllProvisioned: db.prepare('SELECT * FROM lambda_provisioned_concurrency ORDER BY account_id, region, name, qualifier'),
      upsertProvisioned: db.prepare(`INSERT INTO lambda_provisioned_concurrency (account_id, region, name, qualifier, requested, last_modified_ms) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (account_id, region, name, qualifier) DO UPDATE SET requested = excluded.requested, last_modified_ms = excluded.last_modified_ms`),
      deleteProvisioned: db.prepare(`DELETE FROM lambda_provisioned_concurrency WHERE ${K} AND qualifier = ?`),
      ensureLayer: db.prepare('INSERT INTO lambda_layers (account_id, region, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      bumpLayer: db.prepare(`UPDATE lambda_layers SET last_version = last_version + 1 WHERE ${K} RETURNING last_version`).pluck(),
      insertLayerVersion: db.prepare('INSERT INTO lambda_layer_versions (account_id, region, name, version, config) VALUES (?, ?, ?, ?, ?)'),
      getLayerVersion: db.prepare(`SELECT * FROM lambda_layer_versions WHERE ${K} AND version = ?`),
      listLayerVersions: db.prepare(`SELECT * FROM lambda_layer_versions WHERE ${K} ORDER BY version DESC`),
      listAllLayerVersions: db.prepare('SELECT * FROM lambda_layer_versions WHERE account_id = ? AND region = ? ORDER BY name, version DESC'),
      deleteLayerVersion: db.prepare(`DELETE FROM lambda_layer_versions WHERE ${K} AND version = ?`),
      getUrl: db.prepare(`SELECT * FROM lambda_function_urls WHERE ${K} AND qualifier = ?`),
      getUrlById: db.prepare('SELECT * FROM lambda_function_urls WHERE url_id = ?'),
      listUrls: db.prepare(`SELECT * FROM lambda_function_urls WHERE ${K} ORDER BY qualifier`),
      insertUrl: db.prepare('INSERT INTO lambda_function_urls (account_id, region, name, qualifier, url_id, config) VALUES (?, ?, ?, ?, ?, ?)'),
      updateUrl: db.prepare(`UPDATE lambda_function_urls SET config = ? WHERE ${K} AND qualifier = ?`),
      deleteUrl: db.prepare(`DELETE FROM lambda_function_urls WHERE ${K} AND qualifier = ?`),
      insertCsc: db.prepare('INSERT INTO lambda_code_signing_configs (account_id, region, id, config) VALUES (?, ?, ?, ?)'),
      getCsc: db.prepare('SELECT * FROM lambda_code_signing_configs WHERE account_id = ? AND region = ? AND id = ?'),
      listCsc: db.prepare('SELECT * FROM lambda_code_signing_configs WHERE account_id = ? AND region = ? ORDER BY id'),
      updateCsc: db.prepare('UPDATE lambda_code_signing_configs SET config = ? WHERE account_id = ? AND region = ? AND id = ?'),
      deleteCsc: db.prepare('DELETE FROM lambda_code_signing_configs WHERE account_id = ? AND region = ? AND id = ?'),
      functionsByCsc: db.prepare('SELECT name FROM lambda_functions WHERE account_id = ? AND region = ? AND code_signing_config_id = ? ORDER BY name').pluck(),
      setFunctionCsc: db.prepare(`UPDATE lambda_functions SET code_signing_config_id = ? WHERE ${K}`),
      setLayerPolicy: db.prepare(`UPDATE lambda_layer_versions SET policy = ?, policy_revision_id = ? WHERE ${K} AND version = ?`),
    };
  }

  async getFunction(key: FunctionKey) {
    const row = this.#s.getFunction.get(...k(key)) as FunctionRow | undefined;
    return row && toRecord(row);
  }

  async listFunctions(accountId: string, region: string, after: string | undefined, limit: number) {
    return (this.#s.listFunctions.all(accountId, region, after ?? '', limit) as FunctionRow[]).map(toRecord);
  }

  async countFunctions(accountId: string, region: string) {
    return this.#s.countFunctions.get(accountId, region) as number;
  }

  async createFunction(record: FunctionRecord, publish?: StoredConfig): Promise<CasResult> {
    try {
      this.#db.transaction(() => {
        this.#s.insertFunction.run(record.accountId, record.region, record.name, JSON.stringify(record.latest), record.latest.RevisionId,
          publish ? 1 : 0, record.reservedConcurrency ?? null, JSON.stringify(record.tags), record.createdAt, record.codeSigningConfigId ?? null);
        if (publish) this.#s.insertVersion.run(record.accountId, record.region, record.name, 1, JSON.stringify(publish));
      }).immediate();
      return 'ok';
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'conflict';
      throw e;
    }
  }

  async updateLatest(key: FunctionKey, expectedRevisionId: string, latest: StoredConfig): Promise<CasResult> {
    const changed = this.#s.updateLatest.run(JSON.stringify(latest), latest.RevisionId, ...k(key), expectedRevisionId).changes;
    if (changed) return 'ok';
    return this.#s.getFunction.get(...k(key)) ? 'revision-mismatch' : 'not-found';
  }

  async publishVersion(key: FunctionKey, expectedLatestRevisionId: string, build: (version: string) => StoredConfig, unchanged?: (newest: StoredConfig) => boolean) {
    return this.#db.transaction(() => {
      const row = this.#s.getFunction.get(...k(key)) as (FunctionRow & { revision_id: string }) | undefined;
      if (!row) return { result: 'not-found' as const };
      if (row.revision_id !== expectedLatestRevisionId) return { result: 'revision-mismatch' as const };
      const newestJson = this.#s.newestVersion.get(...k(key)) as string | undefined;
      const newest = newestJson === undefined ? undefined : (JSON.parse(newestJson) as StoredConfig);
      if (newest && unchanged?.(newest)) return { result: 'unchanged' as const, config: newest };
      const next = this.#s.bumpVersion.get(...k(key)) as number;
      const config = build(String(next));
      this.#s.insertVersion.run(...k(key), next, JSON.stringify(config));
      return { result: 'ok' as const, config };
    }).immediate();
  }

  async getVersion(key: FunctionKey, version: string) {
    if (!/^\d+$/.test(version)) return undefined;
    const json = this.#s.getVersion.get(...k(key), Number(version)) as string | undefined;
    return json ? (JSON.parse(json) as StoredConfig) : undefined;
  }

  async listVersions(key: FunctionKey) {
    return (this.#s.listVersions.all(...k(key)) as string[]).map((j) => JSON.parse(j) as StoredConfig);
  }

  async deleteFunction(key: FunctionKey) {
    return this.#s.deleteFunction.run(...k(key)).changes > 0;
  }

  async deleteVersion(key: FunctionKey, version: string) {
    return this.#db.transaction(() => {
      const gone = this.#s.deleteVersion.run(...k(key), Number(version)).changes > 0;
      if (gone) this.#dropQualifier(key, version);
      return gone;
    }).immediate();
  }

  async getAlias(key: FunctionKey, alias: string) {
    const json = this.#s.getAlias.get(...k(key), alias) as string | undefined;
    return json ? (JSON.parse(json) as AliasConfiguration) : undefined;
  }

  async listAliases(key: FunctionKey) {
    return (this.#s.listAliases.all(...k(key)) as string[]).map((j) => JSON.parse(j) as AliasConfiguration);
  }

  async createAlias(key: FunctionKey, alias: AliasConfiguration): Promise<CasResult> {
    try {
      this.#s.insertAlias.run(...k(key), alias.Name, JSON.stringify(alias), alias.RevisionId);
      return 'ok';
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'conflict';
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'not-found';
      throw e;
    }
  }

  async updateAlias(key: FunctionKey, expectedRevisionId: string, alias: AliasConfiguration): Promise<CasResult> {
    const changed = this.#s.updateAlias.run(JSON.stringify(alias), alias.RevisionId, ...k(key), alias.Name, expectedRevisionId).changes;
    if (changed) return 'ok';
    return this.#s.getAlias.get(...k(key), alias.Name) ? 'revision-mismatch' : 'not-found';
  }

  async deleteAlias(key: FunctionKey, alias: string) {
    return this.#db.transaction(() => {
      const gone = this.#s.deleteAlias.run(...k(key), alias).changes > 0;
      if (gone) this.#dropQualifier(key, alias);
      return gone;
    }).immediate();
  }

  async getPolicy(key: FunctionKey, qualifier: string): Promise<PolicyRecord | undefined> {
    const row = this.#s.getPolicy.get(...k(key), qualifier) as { statements: string; revision_id: string } | undefined;
    return row ? { statements: JSON.parse(row.statements), revisionId: row.revision_id } : undefined;
  }

  async putPolicy(key: FunctionKey, qualifier: string, expectedRevisionId: string | null | undefined, policy: PolicyRecord | undefined): Promise<CasResult> {
    return this.#db.transaction((): CasResult => {
      if (!this.#s.getFunction.get(...k(key))) return 'not-found';
      const current = this.#s.getPolicy.get(...k(key), qualifier) as { revision_id: string } | undefined;
      if (expectedRevisionId !== undefined && (current?.revision_id ?? null) !== expectedRevisionId) return 'revision-mismatch';
      if (!policy || policy.statements.length === 0) this.#s.deleteVersionPolicy.run(...k(key), qualifier);
      else this.#s.upsertPolicy.run(...k(key), qualifier, JSON.stringify(policy.statements), policy.revisionId);
      return 'ok';
    }).immediate();
  }

  async setReservedConcurrency(key: FunctionKey, value: number | undefined) {
    return this.#s.setReserved.run(value ?? null, ...k(key)).changes > 0;
  }

  async changeTags(key: FunctionKey, change: (tags: Record<string, string>) => Record<string, string>) {
    return this.#db.transaction((): boolean => {
      const row = this.#s.getFunction.get(...k(key)) as FunctionRow | undefined;
      if (!row) return false;
      this.#s.setTags.run(JSON.stringify(change(JSON.parse(row.tags) as Record<string, string>)), ...k(key));
      return true;
    }).immediate();
  }

  async setRecursiveLoop(key: FunctionKey, value: string) {
    return this.#s.setRecursiveLoop.run(value, ...k(key)).changes > 0;
  }

  async setRuntimeManagement(key: FunctionKey, qualifier: string, setting: RuntimeManagementRecord) {
    return this.#db.transaction(() => {
      const row = this.#s.getRuntimeManagement.get(...k(key)) as { runtime_management: string | null } | undefined;
      if (!row) return false;
      this.#s.setRuntimeManagement.run(withRuntimeManagement(row.runtime_management, qualifier, setting), ...k(key));
      return true;
    }).immediate();
  }

  async totalReserved(accountId: string, region: string, exceptName = '') {
    return this.#s.totalReserved.get(accountId, region, exceptName) as number;
  }

  async getEventInvokeConfig(key: FunctionKey, qualifier: string) {
    const row = this.#s.getInvokeConfig.get(...k(key), qualifier) as InvokeConfigRow | undefined;
    return row && toInvokeConfig(row);
  }

  async listEventInvokeConfigs(key: FunctionKey) {
    return (this.#s.listInvokeConfigs.all(...k(key)) as InvokeConfigRow[]).map(toInvokeConfig);
  }

  async putEventInvokeConfig(key: FunctionKey, record: EventInvokeConfigRecord): Promise<CasResult> {
    const { qualifier, lastModifiedMs, ...settings } = record;
    try {
      this.#s.upsertInvokeConfig.run(...k(key), qualifier, JSON.stringify(settings), lastModifiedMs);
      return 'ok';
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'not-found';
      throw e;
    }
  }

  async deleteEventInvokeConfig(key: FunctionKey, qualifier: string) {
    return this.#s.deleteInvokeConfig.run(...k(key), qualifier).changes > 0;
  }

  async getProvisionedConcurrency(key: FunctionKey, qualifier: string) {
    const row = this.#s.getProvisioned.get(...k(key), qualifier) as ProvisionedRow | undefined;
    return row && toProvisioned(row);
  }

  async listProvisionedConcurrency(key: FunctionKey) {
    return (this.#s.listProvisioned.all(...k(key)) as ProvisionedRow[]).map(toProvisioned);
  }

  async listAllProvisionedConcurrency() {
    return (this.#s.listAllProvisioned.all() as ProvisionedRow[]).map((r) => ({ accountId: r.account_id, region: r.region, name: r.name, ...toProvisioned(r) }));
  }

  async putProvisionedConcurrency(key: FunctionKey, record: ProvisionedConcurrencyRecord): Promise<CasResult> {
    try {
      this.#s.upsertProvisioned.run(...k(key), record.qualifier, record.requested, record.lastModifiedMs);
      return 'ok';
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'not-found';
      throw e;
    }
  }

  async deleteProvisionedConcurrency(key: FunctionKey, qualifier: string) {
    return this.#s.deleteProvisioned.run(...k(key), qualifier).changes > 0;
  }

  /** What belongs to a deleted version or alias: its resource policy, asynchronous invocation settings and provisioned concurrency. */
  #dropQualifier(key: FunctionKey, qualifier: string): void {
    this.#s.deleteVersionPolicy.run(...k(key), qualifier);
    this.#s.deleteInvokeConfig.run(...k(key), qualifier);
    this.#s.deleteProvisioned.run(...k(key), qualifier);
  }

  async publishLayerVersion(key: LayerKey, build: (version: number) => LayerVersionRecord): Promise<LayerVersionRecord> {
    return this.#db.transaction(() => {
      this.#s.ensureLayer.run(...k(key));
      const version = this.#s.bumpLayer.get(...k(key)) as number;
      const record = build(version);
      const { accountId: _a, region: _r, name: _n, version: _v, policy: _p, ...settings } = record;
      this.#s.insertLayerVersion.run(...k(key), version, JSON.stringify(settings));
      return record;
    }).immediate();
  }

  async getLayerVersion(key: LayerKey, version: number) {
    const row = this.#s.getLayerVersion.get(...k(key), version) as LayerVersionRow | undefined;
    return row && toLayerVersion(row);
  }

  async listLayerVersions(key: LayerKey) {
    return (this.#s.listLayerVersions.all(...k(key)) as LayerVersionRow[]).map(toLayerVersion);
  }

  async listAllLayerVersions(accountId: string, region: string) {
    return (this.#s.listAllLayerVersions.all(accountId, region) as LayerVersionRow[]).map(toLayerVersion);
  }

  async deleteLayerVersion(key: LayerKey, version: number) {
    return this.#s.deleteLayerVersion.run(...k(key), version).changes > 0;
  }

  async putLayerVersionPolicy(key: LayerKey, version: number, expectedRevisionId: string | undefined, policy: PolicyRecord | undefined): Promise<CasResult> {
    return this.#db.transaction((): CasResult => {
      const row = this.#s.getLayerVersion.get(...k(key), version) as LayerVersionRow | undefined;
      if (!row) return 'not-found';
      if ((row.policy_revision_id ?? undefined) !== expectedRevisionId) return 'revision-mismatch';
      const empty = !policy || policy.statements.length === 0;
      this.#s.setLayerPolicy.run(empty ? null : JSON.stringify(policy.statements), empty ? null : policy.revisionId, ...k(key), version);
      return 'ok';
    }).immediate();
  }

  async getFunctionUrlConfig(key: FunctionKey, qualifier: string) {
    const row = this.#s.getUrl.get(...k(key), qualifier) as FunctionUrlRow | undefined;
    return row && toFunctionUrl(row);
  }

  async getFunctionUrlConfigById(urlId: string) {
    const row = this.#s.getUrlById.get(urlId) as FunctionUrlRow | undefined;
    return row && toFunctionUrl(row);
  }

  async listFunctionUrlConfigs(key: FunctionKey) {
    return (this.#s.listUrls.all(...k(key)) as FunctionUrlRow[]).map(toFunctionUrl);
  }

  async createFunctionUrlConfig(record: FunctionUrlRecord): Promise<CasResult> {
    try {
      this.#s.insertUrl.run(...k(record), record.qualifier, record.urlId, urlSettings(record));
      return 'ok';
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'conflict';
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'not-found';
      throw e;
    }
  }

  async updateFunctionUrlConfig(key: FunctionKey, qualifier: string, change: (current: FunctionUrlRecord) => FunctionUrlRecord) {
    return this.#db.transaction((): FunctionUrlRecord | undefined => {
      const row = this.#s.getUrl.get(...k(key), qualifier) as FunctionUrlRow | undefined;
      if (!row) return undefined;
      const current = toFunctionUrl(row);
      const next: FunctionUrlRecord = { ...change(current), accountId: current.accountId, region: current.region, name: current.name, qualifier, urlId: current.urlId, creationTime: current.creationTime };
      this.#s.updateUrl.run(urlSettings(next), ...k(key), qualifier);
      return next;
    }).immediate();
  }

  async deleteFunctionUrlConfig(key: FunctionKey, qualifier: string) {
    return this.#s.deleteUrl.run(...k(key), qualifier).changes > 0;
  }
  async createCodeSigningConfig(record: CodeSigningConfigRecord) {
    this.#s.insertCsc.run(...c(record), codeSigningSettings(record));
  }

  async getCodeSigningConfig(key: CodeSigningConfigKey) {
    const row = this.#s.getCsc.get(...c(key)) as CodeSigningConfigRow | undefined;
    return row && toCodeSigningConfig(row);
  }

  async listCodeSigningConfigs(accountId: string, region: string) {
    return (this.#s.listCsc.all(accountId, region) as CodeSigningConfigRow[]).map(toCodeSigningConfig);
  }

  async updateCodeSigningConfig(key: CodeSigningConfigKey, change: (current: CodeSigningConfigRecord) => CodeSigningConfigRecord) {
    return this.#db.transaction((): CodeSigningConfigRecord | undefined => {
      const row = this.#s.getCsc.get(...c(key)) as CodeSigningConfigRow | undefined;
      if (!row) return undefined;
      const next = { ...change(toCodeSigningConfig(row)), ...key };
      this.#s.updateCsc.run(codeSigningSettings(next), ...c(key));
      return next;
    }).immediate();
  }

  async deleteCodeSigningConfig(key: CodeSigningConfigKey) {
    return this.#db.transaction((): 'ok' | 'not-found' | 'in-use' => {
      if (!this.#s.getCsc.get(...c(key))) return 'not-found';
      if ((this.#s.functionsByCsc.all(...c(key)) as string[]).length) return 'in-use';
      this.#s.deleteCsc.run(...c(key));
      return 'ok';
    }).immediate();
  }

  async listFunctionsByCodeSigningConfig(key: CodeSigningConfigKey) {
    return this.#s.functionsByCsc.all(...c(key)) as string[];
  }

  async setFunctionCodeSigningConfig(key: FunctionKey, id: string | undefined) {
    return this.#db.transaction((): 'ok' | 'function-not-found' | 'config-not-found' => {
      if (id !== undefined && !this.#s.getCsc.get(key.accountId, key.region, id)) return 'config-not-found';
      return this.#s.setFunctionCsc.run(id ?? null, ...k(key)).changes > 0 ? 'ok' : 'function-not-found';
    }).immediate();
  }
}
