// LambdaStore on PostgreSQL: the SQL of src/store/sqlite/lambda-store.ts in PostgreSQL's dialect.
// Compare-and-swap writes are single UPDATEs guarded by the revision they expect; multi-row
// changes take the function's row lock (SELECT … FOR UPDATE) in one transaction, so nodes writing
// the same function concurrently serialise there. Every write to a function tells the other nodes
// (topic 'lambda', in the same transaction) so their function caches drop it.
import type { AliasConfiguration } from '../../aws/generated/lambda.js';
import type { CasResult, CodeSigningConfigKey, CodeSigningConfigRecord, EventInvokeConfigRecord, FunctionKey, FunctionRecord, FunctionUrlRecord, LambdaStore, LayerKey, LayerVersionRecord, PolicyRecord, ProvisionedConcurrencyRecord, RuntimeManagementRecord, StoredConfig } from '../lambda-store.js';
import { codeSigningSettings, toCodeSigningConfig, toFunctionUrl, toInvokeConfig, toLayerVersion, toProvisioned, toRecord, urlSettings, withRuntimeManagement, type CodeSigningConfigRow, type FunctionRow, type FunctionUrlRow, type InvokeConfigRow, type LayerVersionRow, type ProvisionedRow } from '../rows/lambda.js';
import { FOREIGN_KEY_VIOLATION, UNIQUE_VIOLATION, pgCode, type PgDb, type Sql } from './database.js';
import type { PgChangeFeed } from './change-feed.js';

export const LAMBDA_TOPIC = 'lambda';

const K = 'account_id = ? AND region = ? AND name = ?';

const k = (key: FunctionKey | LayerKey) => [key.accountId, key.region, key.name];
/** Layer versions are INTEGER columns: a number beyond one (a long in AWS's model) names no version, and PostgreSQL would refuse it. */
const storableVersion = (version: number) => Number.isInteger(version) && version >= 0 && version <= 2_147_483_647;
const C = 'account_id = ? AND region = ? AND id = ?';
const c = (key: CodeSigningConfigKey) => [key.accountId, key.region, key.id];

const configs = <T>(rows: { config: string }[]) => rows.map((r) => JSON.parse(r.config) as T);

export class PgLambdaStore implements LambdaStore {
  readonly #db: PgDb;
  readonly #feed?: PgChangeFeed;

  constructor(db: PgDb, feed?: PgChangeFeed) {
    this.#db = db;
    this.#feed = feed;
  }

  /** A write to the function's state, with the message that tells the other nodes, in one transaction. */
  #write<T>(key: FunctionKey, fn: (sql: Sql) => Promise<T>): Promise<T> {
    if (!this.#feed) return this.#db.tx(fn);
    return this.#feed.transaction(this.#db, async (sql, send) => {
      const result = await fn(sql);
      await send(LAMBDA_TOPIC, { accountId: key.accountId, region: key.region, name: key.name });
      return result;
    });
  }

  async getFunction(key: FunctionKey) {
    const row = await this.#db.get<FunctionRow>(`SELECT * FROM lambda_functions WHERE ${K}`, k(key));
    return row && toRecord(row);
  }

  async listFunctions(accountId: string, region: string, after: string | undefined, limit: number) {
    const rows = await this.#db.all<FunctionRow>('SELECT * FROM lambda_functions WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?',
      [accountId, region, after ?? '', limit]);
    return rows.map(toRecord);
  }

  async countFunctions(accountId: string, region: string) {
    return (await this.#db.get<{ n: number }>('SELECT COUNT(*) AS n FROM lambda_functions WHERE account_id = ? AND region = ?', [accountId, region]))!.n;
  }

  async createFunction(record: FunctionRecord, publish?: StoredConfig): Promise<CasResult> {
    try {
      await this.#write(record, async (sql) => {
        await sql.run('INSERT INTO lambda_functions (account_id, region, name, latest, revision_id, last_version, reserved_concurrency, tags, created_at, code_signing_config_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [record.accountId, record.region, record.name, JSON.stringify(record.latest), record.latest.RevisionId, publish ? 1 : 0,
            record.reservedConcurrency ?? null, JSON.stringify(record.tags), record.createdAt, record.codeSigningConfigId ?? null]);
        if (publish) await sql.run('INSERT INTO lambda_versions (account_id, region, name, version, config) VALUES (?, ?, ?, ?, ?)', [...k(record), 1, JSON.stringify(publish)]);
      });
      return 'ok';
    } catch (e) {
      if (pgCode(e) === UNIQUE_VIOLATION) return 'conflict';
      throw e;
    }
  }

  async updateLatest(key: FunctionKey, expectedRevisionId: string, latest: StoredConfig): Promise<CasResult> {
    return this.#write(key, async (sql) => {
      const changed = await sql.run(`UPDATE lambda_functions SET latest = ?, revision_id = ? WHERE ${K} AND revision_id = ?`,
        [JSON.stringify(latest), latest.RevisionId, ...k(key), expectedRevisionId]);
      if (changed) return 'ok';
      return (await sql.get(`SELECT 1 FROM lambda_functions WHERE ${K}`, k(key))) ? 'revision-mismatch' : 'not-found';
    });
  }

  async publishVersion(key: FunctionKey, expectedLatestRevisionId: string, build: (version: string) => StoredConfig, unchanged?: (newest: StoredConfig) => boolean) {
    return this.#write(key, async (sql) => {
      const row = await sql.get<{ revision_id: string }>(`SELECT revision_id FROM lambda_functions WHERE ${K} FOR UPDATE`, k(key));
      if (!row) return { result: 'not-found' as const };
      if (row.revision_id !== expectedLatestRevisionId) return { result: 'revision-mismatch' as const };
      // Read under the function's row lock: a publish that raced this one has committed its version.
      const newestRow = await sql.get<{ config: string }>(`SELECT config FROM lambda_versions WHERE ${K} ORDER BY version DESC LIMIT 1`, k(key));
      const newest = newestRow && (JSON.parse(newestRow.config) as StoredConfig);
      if (newest && unchanged?.(newest)) return { result: 'unchanged' as const, config: newest };
      const next = (await sql.get<{ last_version: number }>(`UPDATE lambda_functions SET last_version = last_version + 1 WHERE ${K} RETURNING last_version`, k(key)))!.last_version;
      const config = build(String(next));
      await sql.run('INSERT INTO lambda_versions (account_id, region, name, version, config) VALUES (?, ?, ?, ?, ?)', [...k(key), next, JSON.stringify(config)]);
      return { result: 'ok' as const, config };
    });
  }

  async getVersion(key: FunctionKey, version: string) {
    if (!/^\d{1,9}$/.test(version)) return undefined;
    const row = await this.#db.get<{ config: string }>(`SELECT config FROM lambda_versions WHERE ${K} AND version = ?`, [...k(key), Number(version)]);
    return row ? (JSON.parse(row.config) as StoredConfig) : undefined;
  }

  async listVersions(key: FunctionKey) {
    return configs<StoredConfig>(await this.#db.all(`SELECT config FROM lambda_versions WHERE ${K} ORDER BY version`, k(key)));
  }

  async deleteFunction(key: FunctionKey) {
    return this.#write(key, async (sql) => (await sql.run(`DELETE FROM lambda_functions WHERE ${K}`, k(key))) > 0);
  }

  async deleteVersion(key: FunctionKey, version: string) {
    if (!/^\d{1,9}$/.test(version)) return false;
    return this.#write(key, async (sql) => {
      const gone = (await sql.run(`DELETE FROM lambda_versions WHERE ${K} AND version = ?`, [...k(key), Number(version)])) > 0;
      if (gone) await dropQualifier(sql, key, version);
      return gone;
    });
  }

  async getAlias(key: FunctionKey, alias: string) {
    const row = await this.#db.get<{ config: string }>(`SELECT config FROM lambda_aliases WHERE ${K} AND alias = ?`, [...k(key), alias]);
    return row ? (JSON.parse(row.config) as AliasConfiguration) : undefined;
  }

  async listAliases(key: FunctionKey) {
    return configs<AliasConfiguration>(await this.#db.all(`SELECT config FROM lambda_aliases WHERE ${K} ORDER BY alias`, k(key)));
  }

  async createAlias(key: FunctionKey, alias: AliasConfiguration): Promise<CasResult> {
    try {
      await this.#write(key, (sql) => sql.run('INSERT INTO lambda_aliases (account_id, region, name, alias, config, revision_id) VALUES (?, ?, ?, ?, ?, ?)',
        [...k(key), alias.Name, JSON.stringify(alias), alias.RevisionId]));
      return 'ok';
    } catch (e) {
      if (pgCode(e) === UNIQUE_VIOLATION) return 'conflict';
      if (pgCode(e) === FOREIGN_KEY_VIOLATION) return 'not-found';
      throw e;
    }
  }

  async updateAlias(key: FunctionKey, expectedRevisionId: string, alias: AliasConfiguration): Promise<CasResult> {
    return this.#write(key, async (sql) => {
      const changed = await sql.run(`UPDATE lambda_aliases SET config = ?, revision_id = ? WHERE ${K} AND alias = ? AND revision_id = ?`,
        [JSON.stringify(alias), alias.RevisionId, ...k(key), alias.Name, expectedRevisionId]);
      if (changed) return 'ok';
      return (await sql.get(`SELECT 1 FROM lambda_aliases WHERE ${K} AND alias = ?`, [...k(key), alias.Name])) ? 'revision-mismatch' : 'not-found';
    });
  }

  async deleteAlias(key: FunctionKey, alias: string) {
    return this.#write(key, async (sql) => {
      const gone = (await sql.run(`DELETE FROM lambda_aliases WHERE ${K} AND alias = ?`, [...k(key), alias])) > 0;
      if (gone) await dropQualifier(sql, key, alias);
      return gone;
    });
  }

  async getPolicy(key: FunctionKey, qualifier: string): Promise<PolicyRecord | undefined> {
    const row = await this.#db.get<{ statements: string; revision_id: string }>(`SELECT statements, revision_id FROM lambda_policies WHERE ${K} AND qualifier = ?`, [...k(key), qualifier]);
    return row ? { statements: JSON.parse(row.statements), revisionId: row.revision_id } : undefined;
  }

  async putPolicy(key: FunctionKey, qualifier: string, expectedRevisionId: string | null | undefined, policy: PolicyRecord | undefined): Promise<CasResult> {
    return this.#write(key, async (sql): Promise<CasResult> => {
      if (!(await sql.get(`SELECT 1 FROM lambda_functions WHERE ${K} FOR UPDATE`, k(key)))) return 'not-found';
      const current = await sql.get<{ revision_id: string }>(`SELECT revision_id FROM lambda_policies WHERE ${K} AND qualifier = ?`, [...k(key), qualifier]);
      if (expectedRevisionId !== undefined && (current?.revision_id ?? null) !== expectedRevisionId) return 'revision-mismatch';
      if (!policy || policy.statements.length === 0) await sql.run(`DELETE FROM lambda_policies WHERE ${K} AND qualifier = ?`, [...k(key), qualifier]);
      else {
        await sql.run(`INSERT INTO lambda_policies (account_id, region, name, qualifier, statements, revision_id) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (account_id, region, name, qualifier) DO UPDATE SET statements = excluded.statements, revision_id = excluded.revision_id`,
        [...k(key), qualifier, JSON.stringify(policy.statements), policy.revisionId]);
      }
      return 'ok';
    });
  }

  async setReservedConcurrency(key: FunctionKey, value: number | undefined) {
    return this.#write(key, async (sql) => (await sql.run(`UPDATE lambda_functions SET reserved_concurrency = ? WHERE ${K}`, [value ?? null, ...k(key)])) > 0);
  }

  async changeTags(key: FunctionKey, change: (tags: Record<string, string>) => Record<string, string>) {
    return this.#write(key, async (sql) => {
      const row = await sql.get<{ tags: string }>(`SELECT tags FROM lambda_functions WHERE ${K} FOR UPDATE`, k(key));
      if (!row) return false;
      await sql.run(`UPDATE lambda_functions SET tags = ? WHERE ${K}`, [JSON.stringify(change(JSON.parse(row.tags) as Record<string, string>)), ...k(key)]);
      return true;
    });
  }

  async setRecursiveLoop(key: FunctionKey, value: string) {
    return this.#write(key, async (sql) => (await sql.run(`UPDATE lambda_functions SET recursive_loop = ? WHERE ${K}`, [value, ...k(key)])) > 0);
  }

  async setRuntimeManagement(key: FunctionKey, qualifier: string, setting: RuntimeManagementRecord) {
    return this.#write(key, async (sql) => {
      const row = await sql.get<{ runtime_management: string | null }>(`SELECT runtime_management FROM lambda_functions WHERE ${K} FOR UPDATE`, k(key));
      if (!row) return false;
      await sql.run(`UPDATE lambda_functions SET runtime_management = ? WHERE ${K}`, [withRuntimeManagement(row.runtime_management, qualifier, setting), ...k(key)]);
      return true;
    });
  }

  async totalReserved(accountId: string, region: string, exceptName = '') {
    const row = await this.#db.get<{ n: number }>('SELECT COALESCE(SUM(reserved_concurrency), 0)::int AS n FROM lambda_functions WHERE account_id = ? AND region = ? AND name != ?',
      [accountId, region, exceptName]);
    return row!.n;
  }

  async getEventInvokeConfig(key: FunctionKey, qualifier: string) {
    const row = await this.#db.get<InvokeConfigRow>(`SELECT qualifier, config, last_modified_ms FROM lambda_event_invoke_configs WHERE ${K} AND qualifier = ?`, [...k(key), qualifier]);
    return row && toInvokeConfig(row);
  }

  async listEventInvokeConfigs(key: FunctionKey) {
    const rows = await this.#db.all<InvokeConfigRow>(`SELECT qualifier, config, last_modified_ms FROM lambda_event_invoke_configs WHERE ${K} ORDER BY qualifier`, k(key));
    return rows.map(toInvokeConfig);
  }

  async putEventInvokeConfig(key: FunctionKey, record: EventInvokeConfigRecord): Promise<CasResult> {
    const { qualifier, lastModifiedMs, ...settings } = record;
    try {
      await this.#db.run(`INSERT INTO lambda_event_invoke_configs (account_id, region, name, qualifier, config, last_modified_ms) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (account_id, region, name, qualifier) DO UPDATE SET config = excluded.config, last_modified_ms = excluded.last_modified_ms`,
      [...k(key), qualifier, JSON.stringify(settings), lastModifiedMs]);
      return 'ok';
    } catch (e) {
      if (pgCode(e) === FOREIGN_KEY_VIOLATION) return 'not-found';
      throw e;
    }
  }

  async deleteEventInvokeConfig(key: FunctionKey, qualifier: string) {
    return (await this.#db.run(`DELETE FROM lambda_event_invoke_configs WHERE ${K} AND qualifier = ?`, [...k(key), qualifier])) > 0;
  }

  async publishLayerVersion(key: LayerKey, build: (version: number) => LayerVersionRecord): Promise<LayerVersionRecord> {
    return this.#db.tx(async (sql) => {
      await sql.run('INSERT INTO lambda_layers (account_id, region, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', k(key));
      const version = (await sql.get<{ last_version: number }>(`UPDATE lambda_layers SET last_version = last_version + 1 WHERE ${K} RETURNING last_version`, k(key)))!.last_version;
      const record = build(version);
      const { accountId: _a, region: _r, name: _n, version: _v, policy: _p, ...settings } = record;
      await sql.run('INSERT INTO lambda_layer_versions (account_id, region, name, version, config) VALUES (?, ?, ?, ?, ?)', [...k(key), version, JSON.stringify(settings)]);
      return record;
    });
  }

  async getLayerVersion(key: LayerKey, version: number) {
    if (!storableVersion(version)) return undefined;
    const row = await this.#db.get<LayerVersionRow>(`SELECT * FROM lambda_layer_versions WHERE ${K} AND version = ?`, [...k(key), version]);
    return row && toLayerVersion(row);
  }

  async listLayerVersions(key: LayerKey) {
    return (await this.#db.all<LayerVersionRow>(`SELECT * FROM lambda_layer_versions WHERE ${K} ORDER BY version DESC`, k(key))).map(toLayerVersion);
  }

  async listAllLayerVersions(accountId: string, region: string) {
    const rows = await this.#db.all<LayerVersionRow>('SELECT * FROM lambda_layer_versions WHERE account_id = ? AND region = ? ORDER BY name, version DESC', [accountId, region]);
    return rows.map(toLayerVersion);
  }

  async deleteLayerVersion(key: LayerKey, version: number) {
    if (!storableVersion(version)) return false;
    return (await this.#db.run(`DELETE FROM lambda_layer_versions WHERE ${K} AND version = ?`, [...k(key), version])) > 0;
  }

  async putLayerVersionPolicy(key: LayerKey, version: number, expectedRevisionId: string | undefined, policy: PolicyRecord | undefined): Promise<CasResult> {
    if (!storableVersion(version)) return 'not-found';
    return this.#db.tx(async (sql): Promise<CasResult> => {
      const row = await sql.get<LayerVersionRow>(`SELECT * FROM lambda_layer_versions WHERE ${K} AND version = ? FOR UPDATE`, [...k(key), version]);
      if (!row) return 'not-found';
      if ((row.policy_revision_id ?? undefined) !== expectedRevisionId) return 'revision-mismatch';
      const empty = !policy || policy.statements.length === 0;
      await sql.run(`UPDATE lambda_layer_versions SET policy = ?, policy_revision_id = ? WHERE ${K} AND version = ?`,
        [empty ? null : JSON.stringify(policy.statements), empty ? null : policy.revisionId, ...k(key), version]);
      return 'ok';
    });
  }

  async getProvisionedConcurrency(key: FunctionKey, qualifier: string) {
    const row = await this.#db.get<ProvisionedRow>(`SELECT * FROM lambda_provisioned_concurrency WHERE ${K} AND qualifier = ?`, [...k(key), qualifier]);
    return row && toProvisioned(row);
  }

  async listProvisionedConcurrency(key: FunctionKey) {
    return (await this.#db.all<ProvisionedRow>(`SELECT * FROM lambda_provisioned_concurrency WHERE ${K} ORDER BY qualifier`, k(key))).map(toProvisioned);
  }

  async listAllProvisionedConcurrency() {
    const rows = await this.#db.all<ProvisionedRow>('SELECT * FROM lambda_provisioned_concurrency ORDER BY account_id, region, name, qualifier', []);
    return rows.map((r) => ({ accountId: r.account_id, region: r.region, name: r.name, ...toProvisioned(r) }));
  }

  // Announced like every write to the function: each node re-plans its provisioned environments.
  async putProvisionedConcurrency(key: FunctionKey, record: ProvisionedConcurrencyRecord): Promise<CasResult> {
    try {
      await this.#write(key, (sql) => sql.run(`INSERT INTO lambda_provisioned_concurrency (account_id, region, name, qualifier, requested, last_modified_ms) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (account_id, region, name, qualifier) DO UPDATE SET requested = excluded.requested, last_modified_ms = excluded.last_modified_ms`,
      [...k(key), record.qualifier, record.requested, record.lastModifiedMs]));
      return 'ok';
    } catch (e) {
      if (pgCode(e) === FOREIGN_KEY_VIOLATION) return 'not-found';
      throw e;
    }
  }

  async deleteProvisionedConcurrency(key: FunctionKey, qualifier: string) {
    return this.#write(key, async (sql) => (await sql.run(`DELETE FROM lambda_provisioned_concurrency WHERE ${K} AND qualifier = ?`, [...k(key), qualifier])) > 0);
  }

  async getFunctionUrlConfig(key: FunctionKey, qualifier: string) {
    const row = await this.#db.get<FunctionUrlRow>(`SELECT * FROM lambda_function_urls WHERE ${K} AND qualifier = ?`, [...k(key), qualifier]);
    return row && toFunctionUrl(row);
  }

  async getFunctionUrlConfigById(urlId: string) {
    const row = await this.#db.get<FunctionUrlRow>('SELECT * FROM lambda_function_urls WHERE url_id = ?', [urlId]);
    return row && toFunctionUrl(row);
  }

  async listFunctionUrlConfigs(key: FunctionKey) {
    return (await this.#db.all<FunctionUrlRow>(`SELECT * FROM lambda_function_urls WHERE ${K} ORDER BY qualifier`, k(key))).map(toFunctionUrl);
  }

  async createFunctionUrlConfig(record: FunctionUrlRecord): Promise<CasResult> {
    try {
      await this.#db.run('INSERT INTO lambda_function_urls (account_id, region, name, qualifier, url_id, config) VALUES (?, ?, ?, ?, ?, ?)',
        [...k(record), record.qualifier, record.urlId, urlSettings(record)]);
      return 'ok';
    } catch (e) {
      // (a clash of random url-ids is the other unique constraint: not a conflict of this function's)
      if (pgCode(e) === UNIQUE_VIOLATION && String((e as { constraint?: string }).constraint ?? '').endsWith('_pkey')) return 'conflict';
      if (pgCode(e) === FOREIGN_KEY_VIOLATION) return 'not-found';
      throw e;
    }
  }

  async updateFunctionUrlConfig(key: FunctionKey, qualifier: string, change: (current: FunctionUrlRecord) => FunctionUrlRecord) {
    return this.#db.tx(async (sql): Promise<FunctionUrlRecord | undefined> => {
      const row = await sql.get<FunctionUrlRow>(`SELECT * FROM lambda_function_urls WHERE ${K} AND qualifier = ? FOR UPDATE`, [...k(key), qualifier]);
      if (!row) return undefined;
      const current = toFunctionUrl(row);
      const next: FunctionUrlRecord = { ...change(current), accountId: current.accountId, region: current.region, name: current.name, qualifier, urlId: current.urlId, creationTime: current.creationTime };
      await sql.run(`UPDATE lambda_function_urls SET config = ? WHERE ${K} AND qualifier = ?`, [urlSettings(next), ...k(key), qualifier]);
      return next;
    });
  }

  async deleteFunctionUrlConfig(key: FunctionKey, qualifier: string) {
    return (await this.#db.run(`DELETE FROM lambda_function_urls WHERE ${K} AND qualifier = ?`, [...k(key), qualifier])) > 0;
  }
  async createCodeSigningConfig(record: CodeSigningConfigRecord) {
    await this.#db.run('INSERT INTO lambda_code_signing_configs (account_id, region, id, config) VALUES (?, ?, ?, ?)', [...c(record), codeSigningSettings(record)]);
  }

  async getCodeSigningConfig(key: CodeSigningConfigKey) {
    const row = await this.#db.get<CodeSigningConfigRow>(`SELECT * FROM lambda_code_signing_configs WHERE ${C}`, c(key));
    return row && toCodeSigningConfig(row);
  }

  async listCodeSigningConfigs(accountId: string, region: string) {
    return (await this.#db.all<CodeSigningConfigRow>('SELECT * FROM lambda_code_signing_configs WHERE account_id = ? AND region = ? ORDER BY id', [accountId, region])).map(toCodeSigningConfig);
  }

  async updateCodeSigningConfig(key: CodeSigningConfigKey, change: (current: CodeSigningConfigRecord) => CodeSigningConfigRecord) {
    return this.#db.tx(async (sql): Promise<CodeSigningConfigRecord | undefined> => {
      const row = await sql.get<CodeSigningConfigRow>(`SELECT * FROM lambda_code_signing_configs WHERE ${C} FOR UPDATE`, c(key));
      if (!row) return undefined;
      const next = { ...change(toCodeSigningConfig(row)), ...key };
      await sql.run(`UPDATE lambda_code_signing_configs SET config = ? WHERE ${C}`, [codeSigningSettings(next), ...c(key)]);
      return next;
    });
  }

  // The config's row lock orders this against attaching it (which takes the same lock, shared).
  async deleteCodeSigningConfig(key: CodeSigningConfigKey) {
    return this.#db.tx(async (sql): Promise<'ok' | 'not-found' | 'in-use'> => {
      if (!(await sql.get(`SELECT 1 FROM lambda_code_signing_configs WHERE ${C} FOR UPDATE`, c(key)))) return 'not-found';
      if (await sql.get('SELECT 1 FROM lambda_functions WHERE account_id = ? AND region = ? AND code_signing_config_id = ? LIMIT 1', c(key))) return 'in-use';
      await sql.run(`DELETE FROM lambda_code_signing_configs WHERE ${C}`, c(key));
      return 'ok';
    });
  }

  async listFunctionsByCodeSigningConfig(key: CodeSigningConfigKey) {
    const rows = await this.#db.all<{ name: string }>('SELECT name FROM lambda_functions WHERE account_id = ? AND region = ? AND code_signing_config_id = ? ORDER BY name', c(key));
    return rows.map((r) => r.name);
  }

  async setFunctionCodeSigningConfig(key: FunctionKey, id: string | undefined) {
    return this.#write(key, async (sql): Promise<'ok' | 'function-not-found' | 'config-not-found'> => {
      if (id !== undefined && !(await sql.get(`SELECT 1 FROM lambda_code_signing_configs WHERE ${C} FOR SHARE`, [key.accountId, key.region, id]))) return 'config-not-found';
      return (await sql.run(`UPDATE lambda_functions SET code_signing_config_id = ? WHERE ${K}`, [id ?? null, ...k(key)])) > 0 ? 'ok' : 'function-not-found';
    });
  }
}

/** What belongs to a deleted version or alias: its resource policy and its asynchronous invocation settings. */
async function dropQualifier(sql: Sql, key: FunctionKey, qualifier: string): Promise<void> {
  await sql.run(`DELETE FROM lambda_policies WHERE ${K} AND qualifier = ?`, [...k(key), qualifier]);
  await sql.run(`DELETE FROM lambda_event_invoke_configs WHERE ${K} AND qualifier = ?`, [...k(key), qualifier]);
  await sql.run(`DELETE FROM lambda_provisioned_concurrency WHERE ${K} AND qualifier = ?`, [...k(key), qualifier]);
}
