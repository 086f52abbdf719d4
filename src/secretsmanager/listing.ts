// DescribeSecret, ListSecrets (filters, sort, paging) and ListSecretVersionIds.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Filter, Operations, SecretListEntry } from '../aws/generated/secretsmanager.js';
import type { StoredSecret } from '../store/secrets-store.js';
import { invalidNextToken } from './errors.js';
import { findSecret, scopeOf, versionsToStages, type SecretsDeps } from './resources.js';

/** What DescribeSecret and ListSecrets tell of a secret (without its values). */
function describe(name: string, s: StoredSecret): SecretListEntry {
  return {
    ARN: s.arn, Name: name, ...(s.description !== undefined ? { Description: s.description } : {}), ...(s.kmsKeyId !== undefined ? { KmsKeyId: s.kmsKeyId } : {}),
    LastChangedDate: new Date(s.lastChangedMs), ...(s.lastAccessedMs !== undefined ? { LastAccessedDate: new Date(s.lastAccessedMs) } : {}),
    ...(s.deletedMs !== undefined ? { DeletedDate: new Date(s.deletedMs) } : {}), ...(s.tags.length ? { Tags: s.tags } : {}), CreatedDate: new Date(s.createdMs),
  };
}

/** The texts a filter key looks at. */
function fieldsOf(key: string, name: string, s: StoredSecret): string[] {
  switch (key) {
    case 'name': return [name];
    case 'description': return s.description !== undefined ? [s.description] : [];
    case 'tag-key': return s.tags.map((t) => t.Key);
    case 'tag-value': return s.tags.map((t) => t.Value);
    case 'all': return [name, s.description ?? '', ...s.tags.flatMap((t) => [t.Key, t.Value])];
    default: return [];
  }
}

/** ListSecrets' filters: every filter matches (a value matches by prefix; `!value` matches what does not begin with it). */
export function matchesFilters(name: string, s: StoredSecret, filters: Filter[]): boolean {
  return filters.every((f) => {
    const fields = fieldsOf(f.Key ?? 'all', name, s);
    return (f.Values ?? []).some((v) => (v.startsWith('!') ? !fields.some((x) => x.startsWith(v.slice(1))) : fields.some((x) => x.startsWith(v))));
  });
}

const sortKey = (sortBy: string | undefined, name: string, s: StoredSecret): string | number =>
  sortBy === 'name' ? name : sortBy === 'last-changed-date' ? s.lastChangedMs : sortBy === 'last-accessed-date' ? s.lastAccessedMs ?? 0 : s.createdMs;

/** Offset tokens: opaque base64 of the position of the next page. */
function pageAt<T>(items: T[], max: number, token: string | undefined): { items: T[]; NextToken?: string } {
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString().replace(/^o:/, ''));
  if (!Number.isInteger(start) || start < 0) throw invalidNextToken();
  const next = start + max;
  return { items: items.slice(start, next), ...(next < items.length ? { NextToken: Buffer.from(`o:${next}`).toString('base64url') } : {}) };
}

export function listingHandlers(deps: SecretsDeps): HandlerTable<Operations> {
  return {
    async DescribeSecret(input, ctx) {
      const found = await findSecret(deps, scopeOf(ctx), input.SecretId);
      return { ...describe(found.name, found.doc), VersionIdsToStages: versionsToStages(found.doc) };
    },
    async ListSecrets(input, ctx) {
      const all = (await deps.store.list(scopeOf(ctx)))
        .filter((s) => (input.IncludePlannedDeletion === true || s.doc.deletedMs === undefined) && matchesFilters(s.name, s.doc, input.Filters ?? []))
        .filter((s) => s.doc.deletionDateMs === undefined || s.doc.deletionDateMs > deps.now());
      const direction = input.SortOrder === 'asc' ? 1 : -1;
      all.sort((a, b) => {
        const x = sortKey(input.SortBy, a.name, a.doc);
        const y = sortKey(input.SortBy, b.name, b.doc);
        return (x < y ? -1 : x > y ? 1 : a.name < b.name ? -1 : 1) * direction;
      });
      const { items, NextToken } = pageAt(all, input.MaxResults ?? 100, input.NextToken);
      return { SecretList: items.map((s) => ({ ...describe(s.name, s.doc), SecretVersionsToStages: versionsToStages(s.doc) })), ...(NextToken ? { NextToken } : {}) };
    },
    async ListSecretVersionIds(input, ctx) {
      const found = await findSecret(deps, scopeOf(ctx), input.SecretId);
      const versions = found.doc.versions.filter((v) => input.IncludeDeprecated === true || v.stages.length > 0).reverse();
      const { items, NextToken } = pageAt(versions, input.MaxResults ?? 100, input.NextToken);
      return {
        ARN: found.doc.arn, Name: found.name, ...(NextToken ? { NextToken } : {}),
        Versions: items.map((v) => ({ VersionId: v.versionId, VersionStages: v.stages, CreatedDate: new Date(v.createdMs) })),
      };
    },
  };
}
