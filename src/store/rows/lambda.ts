// Row shapes of the Lambda tables and their records, shared by the SQLite and PostgreSQL stores
// (the same columns on both).
import type { CodeSigningConfigKey, CodeSigningConfigRecord, EventInvokeConfigRecord, FunctionKey, FunctionRecord, FunctionUrlRecord, LayerKey, LayerVersionRecord, ProvisionedConcurrencyRecord, RuntimeManagementRecord, StoredConfig } from '../lambda-store.js';

export interface FunctionRow {
  account_id: string; region: string; name: string; latest: string; revision_id: string; last_version: number;
  reserved_concurrency: number | null; tags: string; created_at: string;
  recursive_loop: string | null; runtime_management: string | null; code_signing_config_id: string | null;
}

export const toRecord = (r: FunctionRow): FunctionRecord => ({
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  latest: JSON.parse(r.latest) as StoredConfig,
  lastVersion: r.last_version,
  reservedConcurrency: r.reserved_concurrency ?? undefined,
  tags: JSON.parse(r.tags) as Record<string, string>,
  createdAt: r.created_at,
  recursiveLoop: r.recursive_loop ?? undefined,
  runtimeManagement: r.runtime_management === null ? undefined : (JSON.parse(r.runtime_management) as Record<string, RuntimeManagementRecord>),
  codeSigningConfigId: r.code_signing_config_id ?? undefined,
});

export interface CodeSigningConfigRow { account_id: string; region: string; id: string; config: string }
type CodeSigningSettings = Omit<CodeSigningConfigRecord, keyof CodeSigningConfigKey>;
export const toCodeSigningConfig = (r: CodeSigningConfigRow): CodeSigningConfigRecord => ({
  ...(JSON.parse(r.config) as CodeSigningSettings),
  accountId: r.account_id,
  region: r.region,
  id: r.id,
});
/** The settings column of a code signing config row. */
export const codeSigningSettings = (record: CodeSigningConfigRecord): string => {
  const { accountId: _a, region: _r, id: _i, ...settings } = record;
  return JSON.stringify(settings);
};

/** The runtime_management column with `qualifier`'s setting replaced. */
export const withRuntimeManagement = (column: string | null, qualifier: string, setting: RuntimeManagementRecord): string =>
  JSON.stringify({ ...(column === null ? {} : JSON.parse(column)), [qualifier]: setting });

export interface InvokeConfigRow { qualifier: string; config: string; last_modified_ms: number }
export const toInvokeConfig = (r: InvokeConfigRow): EventInvokeConfigRecord => ({ ...JSON.parse(r.config), qualifier: r.qualifier, lastModifiedMs: r.last_modified_ms });

export interface LayerVersionRow { account_id: string; region: string; name: string; version: number; config: string; policy: string | null; policy_revision_id: string | null }
export type LayerSettings = Omit<LayerVersionRecord, keyof LayerKey | 'version' | 'policy'>;
export const toLayerVersion = (r: LayerVersionRow): LayerVersionRecord => ({
  ...(JSON.parse(r.config) as LayerSettings),
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  version: r.version,
  policy: r.policy === null ? undefined : { statements: JSON.parse(r.policy), revisionId: r.policy_revision_id! },
});

export interface ProvisionedRow { account_id: string; region: string; name: string; qualifier: string; requested: number | string; last_modified_ms: number | string }
// (PostgreSQL hands BIGINT columns over as strings.)
export const toProvisioned = (r: ProvisionedRow): ProvisionedConcurrencyRecord => ({ qualifier: r.qualifier, requested: Number(r.requested), lastModifiedMs: Number(r.last_modified_ms) });

export interface FunctionUrlRow { account_id: string; region: string; name: string; qualifier: string; url_id: string; config: string }
type FunctionUrlSettings = Omit<FunctionUrlRecord, keyof FunctionKey | 'qualifier' | 'urlId'>;
export const toFunctionUrl = (r: FunctionUrlRow): FunctionUrlRecord => ({
  ...(JSON.parse(r.config) as FunctionUrlSettings),
  accountId: r.account_id,
  region: r.region,
  name: r.name,
  qualifier: r.qualifier,
  urlId: r.url_id,
});
/** The settings column of a function URL row. */
export const urlSettings = (record: FunctionUrlRecord): string => {
  const { accountId: _a, region: _r, name: _n, qualifier: _q, urlId: _u, ...settings } = record;
  return JSON.stringify(settings);
};
