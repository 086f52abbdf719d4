// Publishing immutable versions of $LATEST, and listing them.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Operations, FunctionConfiguration } from '../aws/generated/lambda.js';
import { newRevisionId, lambdaTimestamp } from '../core/ids.js';
import type { LambdaDeps } from './deps.js';
import { publishFingerprint, toListItem, toWire } from './configuration.js';
import { functionNotFound, invalidParameter, retryingLostRaces, revisionMismatch } from './errors.js';
import { arnOf, resolveRef, type FunctionRef } from './names.js';

type H = HandlerTable<Operations>;

/**
 * Publishes $LATEST as the next version, or returns the newest version when nothing changed;
 * `answer` overrides members of the answer for a new version.
 */
export async function publishLatest(
  deps: LambdaDeps, ref: FunctionRef, options: { description?: string; codeSha256?: string; revisionId?: string; answer?: Partial<FunctionConfiguration> },
): Promise<FunctionConfiguration> {
  const { store, cache } = deps;
  const fn = await store.getFunction(ref);
  if (!fn) throw functionNotFound(arnOf(ref));
  const latest = fn.latest;
  if (options.codeSha256 !== undefined && options.codeSha256 !== latest.CodeSha256) {
    throw invalidParameter(`CodeSHA256 (${options.codeSha256}) is different from current CodeSHA256 in $LATEST (${latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`);
  }
  if (options.revisionId !== undefined && options.revisionId !== latest.RevisionId) throw revisionMismatch();
  const versions = await store.listVersions(ref);
  const newest = versions[versions.length - 1];
  if (newest && publishFingerprint(newest) === publishFingerprint(latest)) {
    return toWire(newest, arnOf(ref, newest.Version));
  }
  const fingerprint = publishFingerprint(latest);
  const { result, config } = await store.publishVersion(ref, latest.RevisionId!, (version) => ({
    ...latest,
    Version: version,
    Description: options.description ?? latest.Description,
    SourceDescription: latest.Description,
    RevisionId: newRevisionId(),
    LastModified: lambdaTimestamp(),
    State: 'Active',
    LastUpdateStatus: 'Successful',
  }), (newest) => publishFingerprint(newest) === fingerprint);
  cache.invalidate(ref);
  if (result === 'not-found') throw functionNotFound(arnOf(ref));
  if (result === 'revision-mismatch' || !config) throw revisionMismatch();
  if (result === 'unchanged') return toWire(config, arnOf(ref, config.Version));
  return toWire(config, arnOf(ref, config.Version), options.answer);
}

export function versionHandlers(deps: LambdaDeps): H {
  return {
    async PublishVersion(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (ref.qualifier !== undefined) throw invalidParameter('Function name cannot contain a qualifier when publishing a version.');
      return retryingLostRaces(input.RevisionId, () => publishLatest(deps, ref, { description: input.Description, codeSha256: input.CodeSha256, revisionId: input.RevisionId }));
    },

    async ListVersionsByFunction(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      const fn = await deps.store.getFunction(ref);
      if (!fn) throw functionNotFound(arnOf(ref));
      const all = [toListItem(fn.latest, arnOf(ref, '$LATEST')), ...(await deps.store.listVersions(ref)).map((v) => toListItem(v, arnOf(ref, v.Version)))];
      const start = input.Marker ? Number(Buffer.from(input.Marker, 'base64url').toString()) : 0;
      if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid marker.');
      const limit = input.MaxItems ?? 50;
      const page = all.slice(start, start + limit);
      const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
      return { Versions: page, NextMarker: next };
    },
  };
}
