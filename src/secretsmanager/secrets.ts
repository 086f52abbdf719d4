// CreateSecret, GetSecretValue, BatchGetSecretValue, PutSecretValue, UpdateSecret: secrets and the
// versions of their values. A ClientRequestToken names the version it makes, so a retried request
// with the same token and value changes nothing, and one with another value is refused.
import { randomUUID } from 'node:crypto';
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { RequestContext } from '../aws/request-context.js';
import type { Operations, SecretValueEntry, UpdateSecretResponse } from '../aws/generated/secretsmanager.js';
import type { StoredSecret, StoredSecretVersion } from '../store/secrets-store.js';
import { updateDocument } from '../store/named-documents.js';
import { bothValues, invalidName, invalidParameter, scheduledForDeletion, secretExists, versionExists } from './errors.js';
import { CURRENT, findLiveSecret, liveDoc, newSecretArn, pickVersion, sameValue, scopeOf, valueOf, withVersion, type SecretsDeps } from './resources.js';
import { matchesFilters } from './listing.js';

const DAY_MS = 86_400_000;

function checkValues(input: { SecretString?: string; SecretBinary?: Buffer }): void {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) throw bothValues();
}

/** A secret's document with a new version of the value (or unchanged when the token's version already holds it). */
function addValue(doc: StoredSecret, token: string, value: Pick<StoredSecretVersion, 'secretString' | 'secretBinary'>, stages: string[], now: number):
  { doc?: StoredSecret; version: StoredSecretVersion } {
  const existing = doc.versions.find((v) => v.versionId === token);
  if (existing) {
    if (!sameValue(existing, value)) throw versionExists();
    return { version: existing };
  }
  const version: StoredSecretVersion = { versionId: token, ...value, stages, createdMs: now };
  return { doc: { ...doc, versions: withVersion(doc.versions, version), lastChangedMs: now }, version };
}

/** The value of a version as GetSecretValue answers it; records the day it was last read. */
async function readValue(deps: SecretsDeps, ctx: RequestContext, secretId: string, versionId?: string, stage?: string): Promise<SecretValueEntry> {
  const scope = scopeOf(ctx);
  const found = await findLiveSecret(deps, scope, secretId);
  const v = pickVersion(found.doc, versionId, stage);
  const today = Math.floor(deps.now() / DAY_MS) * DAY_MS;
  if (found.doc.lastAccessedMs !== today) await deps.store.replace(scope, found.name, { ...found.doc, lastAccessedMs: today }, found.revision);
  return {
    ARN: found.doc.arn, Name: found.name, VersionId: v.versionId,
    ...(v.secretBinary !== undefined ? { SecretBinary: Buffer.from(v.secretBinary, 'base64') } : { SecretString: v.secretString }),
    VersionStages: v.stages, CreatedDate: new Date(v.createdMs),
  };
}

export function secretHandlers(deps: SecretsDeps): HandlerTable<Operations> {
  return {
    async CreateSecret(input, ctx) {
      if (!/^[A-Za-z0-9/_+=.@!-]+$/.test(input.Name)) throw invalidName();
      checkValues(input);
      const scope = scopeOf(ctx);
      const now = deps.now();
      const value = valueOf(input);
      const token = input.ClientRequestToken ?? randomUUID();
      return updateDocument(deps.store, scope, input.Name, (found) => {
        if (found && found.doc.deletionDateMs !== undefined && found.doc.deletionDateMs <= now) found = undefined;
        if (found) {
          if (found.doc.deletedMs !== undefined) throw scheduledForDeletion();
          const same = found.doc.versions.find((v) => v.versionId === token);
          if (!same || !sameValue(same, value)) throw secretExists(input.Name);
          return { result: { ARN: found.doc.arn, Name: input.Name, VersionId: token } };
        }
        const hasValue = value.secretString !== undefined || value.secretBinary !== undefined;
        const doc: StoredSecret = {
          arn: newSecretArn(scope, input.Name), tags: input.Tags?.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })) ?? [], createdMs: now, lastChangedMs: now,
          ...(input.Description !== undefined ? { description: input.Description } : {}), ...(input.KmsKeyId !== undefined ? { kmsKeyId: input.KmsKeyId } : {}),
          versions: hasValue ? [{ versionId: token, ...value, stages: [CURRENT], createdMs: now }] : [],
        };
        return { doc, result: { ARN: doc.arn, Name: input.Name, ...(hasValue ? { VersionId: token } : {}) } };
      });
    },
    async GetSecretValue(input, ctx) {
      return readValue(deps, ctx, input.SecretId, input.VersionId, input.VersionStage);
    },
    async BatchGetSecretValue(input, ctx) {
      if ((input.SecretIdList === undefined) === (input.Filters === undefined)) throw invalidParameter('Either SecretIdList or Filters must be specified, but not both.');
      const ids = input.SecretIdList ?? (await deps.store.list(scopeOf(ctx)))
        .filter((s) => s.doc.deletedMs === undefined && matchesFilters(s.name, s.doc, input.Filters ?? [])).map((s) => s.name);
      const SecretValues: SecretValueEntry[] = [];
      const Errors = [];
      for (const id of ids) {
        try {
          SecretValues.push(await readValue(deps, ctx, id));
        } catch (e) {
          const error = e as { code?: string; message: string };
          Errors.push({ SecretId: id, ErrorCode: error.code ?? 'InternalServiceError', Message: error.message });
        }
      }
      return { SecretValues, Errors };
    },
    async PutSecretValue(input, ctx) {
      checkValues(input);
      const value = valueOf(input);
      if (value.secretString === undefined && value.secretBinary === undefined) throw invalidParameter('You must provide either SecretString or SecretBinary.');
      const scope = scopeOf(ctx);
      const found = await findLiveSecret(deps, scope, input.SecretId);
      const token = input.ClientRequestToken ?? randomUUID();
      return updateDocument(deps.store, scope, found.name, (current) => {
        const live = liveDoc(current);
        const { doc, version } = addValue(live, token, value, input.VersionStages ?? [CURRENT], deps.now());
        return { doc, result: { ARN: live.arn, Name: found.name, VersionId: version.versionId, VersionStages: version.stages } };
      });
    },
    async UpdateSecret(input, ctx) {
      checkValues(input);
      const scope = scopeOf(ctx);
      const found = await findLiveSecret(deps, scope, input.SecretId);
      const value = valueOf(input);
      const hasValue = value.secretString !== undefined || value.secretBinary !== undefined;
      const token = input.ClientRequestToken ?? randomUUID();
      return updateDocument<StoredSecret, UpdateSecretResponse>(deps.store, scope, found.name, (current) => {
        const live = liveDoc(current);
        const now = deps.now();
        let doc: StoredSecret = {
          ...live, lastChangedMs: now, ...(input.Description !== undefined ? { description: input.Description } : {}),
          ...(input.KmsKeyId !== undefined ? { kmsKeyId: input.KmsKeyId } : {}),
        };
        if (!hasValue) return { doc, result: { ARN: live.arn, Name: found.name } };
        const added = addValue(doc, token, value, [CURRENT], now);
        doc = added.doc ?? doc;
        return { doc, result: { ARN: live.arn, Name: found.name, VersionId: added.version.versionId } };
      });
    },
  };
}
