// Reserved concurrency per function, and the account settings that report limits and usage.
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Operations } from '../aws/generated/lambda.js';
import type { LambdaDeps } from './deps.js';
import { functionNotFound, invalidParameter, unqualifiedOnly } from './errors.js';
import { arnOf, resolveRef } from './names.js';
import { MAX_ZIPPED_BYTES } from './code-storage.js';
import { MAX_UNZIPPED_BYTES } from './code-package.js';

type H = HandlerTable<Operations>;

/** AWS keeps this much of the account limit unreserved. */
const MIN_UNRESERVED = 100;
const TOTAL_CODE_SIZE = 80_530_636_800;

export function concurrencyHandlers(deps: LambdaDeps): H {
  const { store, cache, config } = deps;
  return {
    async PutFunctionConcurrency(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (ref.qualifier !== undefined) throw unqualifiedOnly();
      if (!(await store.getFunction(ref))) throw functionNotFound(arnOf(ref, '$LATEST'));
      const others = await store.totalReserved(ref.accountId, ref.region, ref.name);
      if (others + input.ReservedConcurrentExecutions > config.accountConcurrency - MIN_UNRESERVED) {
        throw invalidParameter(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED}].`);
      }
      const provisioned = (await store.listProvisionedConcurrency(ref)).reduce((sum, c) => sum + c.requested, 0);
      if (input.ReservedConcurrentExecutions < provisioned) {
        // AWS's spacing, as recorded (test_reserved_provisioned_overlap).
        throw invalidParameter(` ReservedConcurrentExecutions  ${input.ReservedConcurrentExecutions} should not be lower than function's total provisioned concurrency [${provisioned}].`);
      }
      await store.setReservedConcurrency(ref, input.ReservedConcurrentExecutions);
      cache.invalidate(ref);
      return { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions };
    },

    async GetFunctionConcurrency(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (ref.qualifier !== undefined) throw unqualifiedOnly();
      const fn = await store.getFunction(ref);
      if (!fn) throw functionNotFound(arnOf(ref));
      return fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency };
    },

    async DeleteFunctionConcurrency(input, ctx) {
      const ref = resolveRef(ctx, input.FunctionName);
      if (ref.qualifier !== undefined) throw unqualifiedOnly();
      if (!(await store.setReservedConcurrency(ref, undefined))) throw functionNotFound(arnOf(ref));
      cache.invalidate(ref);
    },

    async GetAccountSettings(_input, ctx) {
      const reserved = await store.totalReserved(ctx.accountId, ctx.region);
      const functionCount = await store.countFunctions(ctx.accountId, ctx.region);
      return {
        AccountLimit: {
          TotalCodeSize: TOTAL_CODE_SIZE,
          CodeSizeUnzipped: MAX_UNZIPPED_BYTES,
          CodeSizeZipped: MAX_ZIPPED_BYTES,
          ConcurrentExecutions: config.accountConcurrency,
          UnreservedConcurrentExecutions: config.accountConcurrency - reserved,
        },
        AccountUsage: { TotalCodeSize: await totalCodeSize(deps, ctx.accountId, ctx.region), FunctionCount: functionCount },
      };
    },
  };
}

/** Every function version's code and every layer version's content count (recorded: test_account_settings_total_code_size). */
async function totalCodeSize(deps: LambdaDeps, accountId: string, region: string): Promise<number> {
  let total = 0;
  for (const layer of await deps.store.listAllLayerVersions(accountId, region)) total += layer.codeSize;
  let after: string | undefined;
  for (;;) {
    const batch = await deps.store.listFunctions(accountId, region, after, 500);
    if (!batch.length) return total;
    for (const fn of batch) {
      total += fn.latest.CodeSize ?? 0;
      for (const v of await deps.store.listVersions(fn)) total += v.CodeSize ?? 0;
    }
    after = batch[batch.length - 1].name;
  }
}
