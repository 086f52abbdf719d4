// What the Secrets Manager operations share: dependencies, scope, ARNs with AWS's random
// six-character suffix, finding a secret by SecretId (name, full ARN or partial ARN), and versions
// with their staging labels (AWSCURRENT moving on, the one before becoming AWSPREVIOUS).
import { randomInt } from 'node:crypto';
import type { RequestContext } from '../aws/request-context.js';
import type { DocumentScope, Revisioned } from '../store/named-documents.js';
import type { SecretsStore, StoredSecret, StoredSecretVersion } from '../store/secrets-store.js';
import { markedForDeletion, secretNotFound, valueNotFoundForStage, valueNotFoundForVersion } from './errors.js';

export interface SecretsDeps {
  store: SecretsStore;
  now(): number;
}

export const CURRENT = 'AWSCURRENT';
export const PREVIOUS = 'AWSPREVIOUS';
/** Versions kept per secret: the oldest without a staging label goes first beyond this. */
const MAX_VERSIONS = 100;

export const scopeOf = (ctx: Pick<RequestContext, 'accountId' | 'region'>): DocumentScope => ({ accountId: ctx.accountId, region: ctx.region });

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function newSecretArn(scope: DocumentScope, name: string): string {
  const suffix = Array.from({ length: 6 }, () => SUFFIX_CHARS[randomInt(SUFFIX_CHARS.length)]).join('');
  return `arn:aws:secretsmanager:${scope.region}:${scope.accountId}:secret:${name}-${suffix}`;
}

const ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;

export interface FoundSecret extends Revisioned<StoredSecret> {
  name: string;
}

/** The secret a SecretId names, scheduled for deletion or not; a secret past its deletion date is gone. */
export async function findSecret(deps: SecretsDeps, scope: DocumentScope, secretId: string): Promise<FoundSecret> {
  const m = ARN.exec(secretId);
  const candidates = !m ? [secretId] : m[1] !== scope.region || m[2] !== scope.accountId ? [] : [m[3], ...(/-[A-Za-z0-9]{6}$/.test(m[3]) ? [m[3].slice(0, -7)] : [])];
  for (const name of candidates) {
    const found = await deps.store.get(scope, name);
    // A full ARN must be this secret's (a secret of the name made again has another suffix).
    if (!found || (m && name !== m[3] && found.doc.arn !== secretId)) continue;
    if (found.doc.deletionDateMs !== undefined && found.doc.deletionDateMs <= deps.now()) {
      await deps.store.delete(scope, name);
      continue;
    }
    return { name, ...found };
  }
  throw secretNotFound();
}

/** As findSecret, refusing a secret scheduled for deletion. */
export async function findLiveSecret(deps: SecretsDeps, scope: DocumentScope, secretId: string): Promise<FoundSecret> {
  const found = await findSecret(deps, scope, secretId);
  if (found.doc.deletedMs !== undefined) throw markedForDeletion();
  return found;
}

/** A document read again inside an update: gone or scheduled for deletion since is refused as at first. */
export function liveDoc(current: Revisioned<StoredSecret> | undefined): StoredSecret {
  if (!current) throw secretNotFound();
  if (current.doc.deletedMs !== undefined) throw markedForDeletion();
  return current.doc;
}

/** The version a VersionId and/or VersionStage picks (AWSCURRENT when neither). */
export function pickVersion(secret: StoredSecret, versionId: string | undefined, stage: string | undefined): StoredSecretVersion {
  if (versionId !== undefined) {
    const v = secret.versions.find((x) => x.versionId === versionId);
    if (!v || (stage !== undefined && !v.stages.includes(stage))) throw valueNotFoundForVersion(versionId);
    return v;
  }
  const label = stage ?? CURRENT;
  const v = secret.versions.find((x) => x.stages.includes(label));
  if (!v) throw valueNotFoundForStage(label);
  return v;
}

/**
 * Adds a version holding `stages`: each label leaves the version that had it, and when AWSCURRENT
 * moves, the version that had it becomes AWSPREVIOUS.
 */
export function withVersion(versions: StoredSecretVersion[], added: StoredSecretVersion): StoredSecretVersion[] {
  const oldCurrent = added.stages.includes(CURRENT) ? versions.find((v) => v.stages.includes(CURRENT)) : undefined;
  let next = versions.map((v) => {
    let stages = v.stages.filter((s) => !added.stages.includes(s));
    if (oldCurrent) stages = v === oldCurrent ? [...stages.filter((s) => s !== PREVIOUS), PREVIOUS] : stages.filter((s) => s !== PREVIOUS);
    return { ...v, stages };
  });
  next.push(added);
  while (next.length > MAX_VERSIONS) {
    const drop = next.findIndex((v) => v.stages.length === 0);
    if (drop < 0) break;
    next = next.filter((_, i) => i !== drop);
  }
  return next;
}

export const versionsToStages = (s: StoredSecret): Record<string, string[]> =>
  Object.fromEntries(s.versions.filter((v) => v.stages.length).map((v) => [v.versionId, v.stages]));

/** The stored value of a request's SecretString or SecretBinary (base64). */
export const valueOf = (input: { SecretString?: string; SecretBinary?: Buffer }): Pick<StoredSecretVersion, 'secretString' | 'secretBinary'> =>
  input.SecretBinary !== undefined ? { secretBinary: Buffer.from(input.SecretBinary).toString('base64') } : input.SecretString !== undefined ? { secretString: input.SecretString } : {};

export const sameValue = (a: Pick<StoredSecretVersion, 'secretString' | 'secretBinary'>, b: Pick<StoredSecretVersion, 'secretString' | 'secretBinary'>): boolean =>
  a.secretString === b.secretString && a.secretBinary === b.secretBinary;
