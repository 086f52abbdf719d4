// Function lifecycle operations: create, read, list, update code and configuration, delete.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Operations, FunctionConfiguration } from '../aws/generated/lambda.js';
import type { FunctionRecord, StoredConfig } from '../store/lambda-store.js';
import { awsError } from '../core/errors.js';
import { lambdaTimestamp, newRevisionId } from '../core/ids.js';
import type { LambdaDeps } from './deps.js';
import { acceptZip, zipFromRequest } from './code-storage.js';
import { applyConfigurationUpdate, checkEnvironment, checkLimits, checkRuntime, CREATING, newLatestConfig, toListItem, toWire, UPDATING } from './configuration.js';
import { functionNotFound, invalidParameter, retryingLostRaces, revisionMismatch } from './errors.js';
import { arnOf, isVersionNumber, resolveRef } from './names.js';
import { resolveQualifier } from './qualifiers.js';
import { publishLatest } from './versions.js';
import { environmentKeyPrefix } from './invoke.js';
import { resolveFunctionLayers } from './layers.js';
import { attachableConfigId } from './code-signing.js';

type H = HandlerTable<Operations>;

const MAX_FUNCTION_NAME = 64;

function requireRuntimeAndHandler(runtime: string | undefined, handler: string | undefined): void {
  if (!runtime || !handler) throw invalidParameter('Runtime and Handler are mandatory parameters for functions created with deployment packages.');
}

export function functionHandlers(deps: LambdaDeps): H {
  const { store, cache, blobs } = deps;
  return {
    async CreateFunction(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (ref.qualifier !== undefined) throw invalidParameter('Function name cannot contain a qualifier when creating a function.');
      // The model allows 140 characters (ARNs); the name itself may have 64. AWS words it as a
      // validation error but types it InvalidParameterValueException (recorded: test_function_arns).
      if (ref.name.length > MAX_FUNCTION_NAME) {
        throw invalidParameter(`1 validation error detected: Value '${input.FunctionName}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to ${MAX_FUNCTION_NAME}`);
      }
      if ((input.PackageType ?? 'Zip') === 'Image') throw invalidParameter('Container image functions (PackageType Image) are not supported by Stagecraft yet.');
      checkLimits(input);
      checkRuntime(input.Runtime);
      requireRuntimeAndHandler(input.Runtime, input.Handler);
      checkEnvironment(input.Environment?.Variables);
      if (input.Tags && Object.keys(input.Tags).length > 50) throw invalidParameter('Number of tags exceeds resource tag limit.');
      const layers = input.Layers && (await resolveFunctionLayers(deps, ctx, input.Layers));
      const codeSigningConfigId = input.CodeSigningConfigArn === undefined ? undefined : await attachableConfigId(deps, ctx, input.CodeSigningConfigArn);
      const code = await acceptZip(blobs, await zipFromRequest(input.Code, deps.s3, ctx.accountId));
      const now = lambdaTimestamp();
      const latest = newLatestConfig({ ...input, FunctionName: ref.name }, ctx.region, code, newRevisionId(), now, layers);
      const record: FunctionRecord = { accountId: ref.accountId, region: ref.region, name: ref.name, latest, lastVersion: 0, tags: input.Tags ?? {}, createdAt: now, codeSigningConfigId };
      const published: StoredConfig | undefined = input.Publish ? { ...latest, Version: '1', RevisionId: newRevisionId() } : undefined;
      const result = await store.createFunction(record, published);
      if (result === 'conflict') throw awsError('ResourceConflictException', `Function already exist: ${ref.name}`);
      cache.invalidate(ref);
      // AWS answers with the unqualified ARN even then (recorded: test_publish_version_on_create).
      if (published) return toWire(published, arnOf(ref), CREATING);
      return toWire(latest, arnOf(ref), CREATING);
    },

    async GetFunction(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      const { fn, config } = await resolveQualifier(deps, ref);
      const out: Operations['GetFunction']['output'] = {
        Configuration: wireFor(ref, config),
        Code: { RepositoryType: 'S3', Location: `${ctx.baseUrl}/_stagecraft/code/${config.CodeHash}.zip` },
      };
      if (Object.keys(fn.tags).length) out.Tags = fn.tags;
      if (fn.reservedConcurrency !== undefined) out.Concurrency = { ReservedConcurrentExecutions: fn.reservedConcurrency };
      return out;
    },

    async GetFunctionConfiguration(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      const { config } = await resolveQualifier(deps, ref);
      return wireFor(ref, config);
    },

    async ListFunctions(input, ctx) {
      const limit = input.MaxItems ?? 50;
      const all = input.FunctionVersion === 'ALL';
      const offset = decodeMarker(input.Marker);
      const out: FunctionConfiguration[] = [];
      // Page by function name; with ALL, every version of each function follows its $LATEST.
      let after = offset.name;
      let skip = offset.skip;
      while (out.length < limit) {
        // One row more than the page needs tells whether another page follows; with ALL a function
        // may fill several rows, so read in modest batches.
        const batch = await store.listFunctions(ctx.accountId, ctx.region, after, all ? 50 : limit - out.length + 1);
        if (!batch.length) break;
        for (const fn of batch) {
          const ref = { accountId: fn.accountId, region: fn.region, name: fn.name };
          const rows = all ? [fn.latest, ...(await store.listVersions(ref))] : [fn.latest];
          for (let i = skip; i < rows.length; i++) {
            if (out.length === limit) return { Functions: out, NextMarker: encodeMarker(prevName(fn.name), i) };
            const c = rows[i];
            out.push(toListItem(c, arnOf(ref, c.Version === '$LATEST' ? (all ? '$LATEST' : undefined) : c.Version)));
          }
          skip = 0;
          after = fn.name;
        }
      }
      const more = out.length === limit && (await store.listFunctions(ctx.accountId, ctx.region, after, 1)).length > 0;
      return { Functions: out, NextMarker: more ? encodeMarker(after!, 0) : undefined };
    },

    async UpdateFunctionCode(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (ref.qualifier !== undefined) throw invalidParameter('Function name cannot contain a qualifier when updating function code.');
      return retryingLostRaces(input.RevisionId, async () => {
        const fn = await store.getFunction(ref);
        if (!fn) throw functionNotFound(arnOf(ref));
        if (input.RevisionId && input.RevisionId !== fn.latest.RevisionId) throw revisionMismatch();
        if (input.ImageUri) throw invalidParameter('Please don\'t provide ImageUri when updating a function with packageType Zip.');
        const code = await acceptZip(blobs, await zipFromRequest(input, deps.s3, ctx.accountId));
        if (input.DryRun) return toWire({ ...fn.latest, CodeSha256: code.sha256Base64, CodeSize: code.size, CodeHash: code.hash }, arnOf(ref));
        const next: StoredConfig = { ...fn.latest, CodeSha256: code.sha256Base64, CodeSize: code.size, CodeHash: code.hash, RevisionId: newRevisionId(), LastModified: lambdaTimestamp() };
        if (input.Architectures) next.Architectures = input.Architectures;
        const result = await store.updateLatest(ref, fn.latest.RevisionId!, next);
        cache.invalidate(ref);
        if (result === 'revision-mismatch') throw revisionMismatch();
        if (result === 'not-found') throw functionNotFound(arnOf(ref));
        deps.executor.evict(environmentKeyPrefix(ref, '$LATEST'));
        // The new version is answered as "being created", as AWS does (recorded: test_publish_with_update).
        if (input.Publish) return publishLatest(deps, ref, { answer: CREATING });
        return toWire(next, arnOf(ref), UPDATING);
      });
    },

    async UpdateFunctionConfiguration(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (ref.qualifier !== undefined) throw invalidParameter('Function name cannot contain a qualifier when updating function configuration.');
      checkLimits(input);
      checkRuntime(input.Runtime);
      checkEnvironment(input.Environment?.Variables);
      return retryingLostRaces(input.RevisionId, async () => {
        const fn = await store.getFunction(ref);
        if (!fn) throw functionNotFound(arnOf(ref));
        if (input.RevisionId && input.RevisionId !== fn.latest.RevisionId) throw revisionMismatch();
        const layers = input.Layers && (await resolveFunctionLayers(deps, ctx, input.Layers));
        const next = applyConfigurationUpdate(fn.latest, input, ctx.region, newRevisionId(), lambdaTimestamp(), layers);
        requireRuntimeAndHandler(next.Runtime, next.Handler);
        const result = await store.updateLatest(ref, fn.latest.RevisionId!, next);
        cache.invalidate(ref);
        if (result === 'revision-mismatch') throw revisionMismatch();
        if (result === 'not-found') throw functionNotFound(arnOf(ref));
        deps.executor.evict(environmentKeyPrefix(ref, '$LATEST'));
        return toWire(next, arnOf(ref), UPDATING);
      });
    },

    async DeleteFunction(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName, input.Qualifier);
      const q = ref.qualifier;
      if (q === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
      if (q !== undefined) {
        // An alias name (AWS's alias pattern, not a number); anything else, such as `$latest`, is
        // looked up as a version (recorded: test_function_name_and_qualifier_validation).
        if (!isVersionNumber(q) && /^[a-zA-Z0-9-_]+$/.test(q)) throw invalidParameter('Deletion of aliases is not currently supported.');
        const fn = await store.getFunction(ref);
        if (!fn) throw functionNotFound(arnOf(ref));
        const aliases = await store.listAliases(ref);
        const users = aliases.filter((a) => a.FunctionVersion === q || (a.RoutingConfig?.AdditionalVersionWeights ?? {})[q] !== undefined);
        if (users.length) {
          throw awsError('ResourceConflictException', `Unable to delete version because the following aliases reference it: [${users.map((a) => a.Name).join(', ')}]`);
        }
        await store.deleteVersion(ref, q);
        cache.invalidate(ref);
        deps.executor.evict(environmentKeyPrefix(ref, q));
        return { StatusCode: 204 };
      }
      const gone = await store.deleteFunction(ref);
      cache.invalidate(ref);
      deps.executor.evict(environmentKeyPrefix(ref));
      if (!gone) throw functionNotFound(arnOf(ref));
      return { StatusCode: 204 };
    },
  };
}

function wireFor(ref: { accountId: string; region: string; name: string; qualifier?: string }, config: StoredConfig): FunctionConfiguration {
  const q = ref.qualifier;
  // Unqualified and $LATEST requests show the unqualified ARN; versions and aliases their own.
  return toWire(config, arnOf(ref, q === undefined || q === '$LATEST' ? undefined : q));
}

function encodeMarker(name: string, skip: number): string {
  return Buffer.from(JSON.stringify([name, skip])).toString('base64url');
}

function decodeMarker(marker: string | undefined): { name: string | undefined; skip: number } {
  if (!marker) return { name: undefined, skip: 0 };
  try {
    const [name, skip] = JSON.parse(Buffer.from(marker, 'base64url').toString()) as [string, number];
    if (typeof name === 'string' && Number.isInteger(skip) && skip >= 0) return { name, skip };
  } catch {
    // fall through
  }
  throw invalidParameter('Invalid marker.');
}

/** The largest name sorting before `name`, so a page can resume at `name` itself. */
function prevName(name: string): string {
  return name.slice(0, -1) + String.fromCharCode(name.charCodeAt(name.length - 1) - 1) + '\uffff';
}
