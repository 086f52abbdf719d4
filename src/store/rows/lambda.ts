// Row shapes of the Lambda tables and their records, shared by the SQLite and PostgreSQL stores
// (the same columns on both).
import type { EventInvokeConfigRecord, FunctionRecord, LayerKey, LayerVersionRecord, StoredConfig } from '../lambda-store.js';

export interface FunctionRow {
  account_id: string; region: string; name: string; latest: string; revision_id: string; last_version: number;
  reserved_concurrency: number | null; tags: string; created_at: string;
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
});

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
