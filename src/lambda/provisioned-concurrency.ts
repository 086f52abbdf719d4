// Put/Get/Delete/ListProvisionedConcurrencyConfig(s) on published versions and aliases, with AWS's
// checks and messages (recorded on AWS). Put answers 202 IN_PROGRESS at once; environments start in
// the background (provisioning.ts) and Get reports READY when all of them have initialised.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Operations, ProvisionedConcurrencyConfigListItem } from '../aws/generated/lambda.js';
import { awsError } from '../core/errors.js';
import { lambdaTimestamp } from '../core/ids.js';
import type { FunctionKey, ProvisionedConcurrencyRecord } from '../store/lambda-store.js';
import type { LambdaDeps } from './deps.js';
import { aliasNotFound, functionNotFound, invalidParameter } from './errors.js';
import { arnOf, isVersionNumber, resolveRef, type FunctionRef } from './names.js';
import type { Provisioning } from './provisioning.js';

type H = HandlerTable<Operations>;

/** AWS keeps this much of the account limit unreserved. */
const MIN_UNRESERVED = 100;
const DEFAULT_PAGE = 50;

const notFoundConfig = () => awsError('ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function');

/** The function and qualifier the call names; a version or alias that exists, as AWS requires. */
async function qualified(deps: LambdaDeps, ref: FunctionRef, qualifier: string | undefined): Promise<{ key: FunctionKey; qualifier: string }> {
  const q = qualifier ?? ref.qualifier;
  if (q === undefined || q === '$LATEST') throw invalidParameter('The function resource provided must be an alias or a published version.');
  const key = { accountId: ref.accountId, region: ref.region, name: ref.name };
  const fn = await deps.store.getFunction(key);
  if (isVersionNumber(q)) {
    if (!fn || !(await deps.store.getVersion(key, q))) throw functionNotFound(arnOf(key, q));
  } else if (!fn || !(await deps.store.getAlias(key, q))) {
    throw aliasNotFound(arnOf(key, q));
  }
  return { key, qualifier: q };
}

export function provisionedConcurrencyHandlers(deps: LambdaDeps, provisioning: Provisioning): H {
  const { store, config } = deps;

  async function view(key: FunctionKey, record: ProvisionedConcurrencyRecord) {
    const s = await provisioning.status(key, record);
    return {
      RequestedProvisionedConcurrentExecutions: record.requested,
      AvailableProvisionedConcurrentExecutions: s.allocated,
      AllocatedProvisionedConcurrentExecutions: s.allocated,
      Status: s.status,
      ...(s.reason ? { StatusReason: s.reason } : {}),
      LastModified: lambdaTimestamp(new Date(record.lastModifiedMs)),
    };
  }

  /** A version can be provisioned directly or through aliases pointing at it, not both (AWS's rule). */
  async function checkConflicts(key: FunctionKey, qualifier: string): Promise<void> {
    const configs = await store.listProvisionedConcurrency(key);
    const others = configs.filter((c) => c.qualifier !== qualifier);
    if (others.length === 0) return;
    if (isVersionNumber(qualifier)) {
      for (const c of others) {
        if (isVersionNumber(c.qualifier)) continue;
        const alias = await store.getAlias(key, c.qualifier);
        if (alias?.FunctionVersion === qualifier) throw awsError('ResourceConflictException', 'Version is pointed by a Provisioned Concurrency alias');
      }
    } else {
      const alias = await store.getAlias(key, qualifier);
      if (others.some((c) => c.qualifier === alias?.FunctionVersion)) {
        throw awsError('ResourceConflictException', "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version");
      }
    }
  }

  /** Provisioned concurrency comes out of the function's reserved concurrency, when it has some (recorded: test_reserved_provisioned_overlap). */
  async function checkReserved(key: FunctionKey, qualifier: string, requested: number): Promise<void> {
    const reserved = (await store.getFunction(key))?.reservedConcurrency;
    if (reserved === undefined) return;
    const others = (await store.listProvisionedConcurrency(key)).filter((c) => c.qualifier !== qualifier);
    if (others.reduce((sum, c) => sum + c.requested, requested) > reserved) {
      throw invalidParameter('Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function');
    }
  }

  async function checkAccountLimit(key: FunctionKey, requested: number): Promise<void> {
    const unreserved = config.accountConcurrency - (await store.totalReserved(key.accountId, key.region));
    if (requested > unreserved) {
      throw invalidParameter(`Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [${unreserved}].`);
    }
    if (unreserved - requested < MIN_UNRESERVED) {
      throw invalidParameter(`Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED}].`);
    }
  }

  return {
    async PutProvisionedConcurrencyConfig(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      // Put words $LATEST its own way; Get and Delete answer qualified()'s message (both recorded).
      if ((input.Qualifier ?? ref.qualifier) === '$LATEST') throw invalidParameter('Provisioned Concurrency Configs cannot be applied to unpublished function versions.');
      const { key, qualifier } = await qualified(deps, ref, input.Qualifier);
      await checkConflicts(key, qualifier);
      await checkReserved(key, qualifier, input.ProvisionedConcurrentExecutions);
      await checkAccountLimit(key, input.ProvisionedConcurrentExecutions);
      const record: ProvisionedConcurrencyRecord = { qualifier, requested: input.ProvisionedConcurrentExecutions, lastModifiedMs: Date.now() };
      if ((await store.putProvisionedConcurrency(key, record)) !== 'ok') throw functionNotFound(arnOf(key));
      provisioning.schedule();
      // The environments start in the background: AWS answers "accepted, in progress", nothing allocated yet.
      return {
        RequestedProvisionedConcurrentExecutions: record.requested,
        AvailableProvisionedConcurrentExecutions: 0,
        AllocatedProvisionedConcurrentExecutions: 0,
        Status: 'IN_PROGRESS',
        LastModified: lambdaTimestamp(new Date(record.lastModifiedMs)),
      };
    },

    async GetProvisionedConcurrencyConfig(input, ctx) {
      const { key, qualifier } = await qualified(deps, resolveRef(ctx, input.FunctionName), input.Qualifier);
      const record = await store.getProvisionedConcurrency(key, qualifier);
      if (!record) throw notFoundConfig();
      return view(key, record);
    },

    async DeleteProvisionedConcurrencyConfig(input, ctx) {
      const { key, qualifier } = await qualified(deps, resolveRef(ctx, input.FunctionName), input.Qualifier);
      if (await store.deleteProvisionedConcurrency(key, qualifier)) provisioning.schedule();
    },

    async ListProvisionedConcurrencyConfigs(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      const key = { accountId: ref.accountId, region: ref.region, name: ref.name };
      if (!(await store.getFunction(key))) throw functionNotFound(arnOf(key));
      const all = await store.listProvisionedConcurrency(key);
      // The marker is the last qualifier of the previous page: the next page starts after it, even
      // when that setting has been deleted since (a stale marker never restarts the listing).
      const marker = input.Marker;
      const after = marker === undefined ? 0 : all.findIndex((c) => c.qualifier > marker);
      const start = after === -1 ? all.length : after;
      const size = input.MaxItems ?? DEFAULT_PAGE;
      const page = all.slice(start, start + size);
      const items: ProvisionedConcurrencyConfigListItem[] = [];
      for (const record of page) items.push({ FunctionArn: arnOf(key, record.qualifier), ...(await view(key, record)) });
      const next = start + size < all.length ? page[page.length - 1]?.qualifier : undefined;
      return { ProvisionedConcurrencyConfigs: items, ...(next ? { NextMarker: next } : {}) };
    },
  };
}
