// Resolving a qualifier ($LATEST, a version number, an alias) to the configuration it names.
import type { AliasConfiguration } from '../aws/generated/lambda.js';
import type { FunctionRecord, StoredConfig } from '../store/lambda-store.js';
import type { LambdaDeps } from './deps.js';
import { functionNotFound } from './errors.js';
import { arnOf, isVersionNumber, type FunctionRef } from './names.js';

export interface Resolved {
  fn: FunctionRecord;
  /** The configuration that runs: $LATEST, a version, or the version an alias points at. */
  config: StoredConfig;
  /** '$LATEST' or a version number. */
  version: string;
  alias?: AliasConfiguration;
}

/**
 * Resolves through the cache (fast path, used by invoke); throws "Function not found" like AWS.
 * `unqualifiedAs`: the qualifier a missing function's ARN names when the call gave none (Invoke
 * names `$LATEST`, recorded: TestLambdaFeatures::test_invoke_exceptions).
 */
export async function resolveQualifier(deps: LambdaDeps, ref: FunctionRef, unqualifiedAs?: '$LATEST'): Promise<Resolved> {
  const fn = await deps.cache.getFunction(ref);
  const qualifier = ref.qualifier;
  if (!fn) throw functionNotFound(arnOf(ref, qualifier ?? unqualifiedAs));
  if (qualifier === undefined || qualifier === '$LATEST') return { fn, config: fn.latest, version: '$LATEST' };
  if (isVersionNumber(qualifier)) {
    const config = await deps.cache.getVersion(ref, qualifier);
    if (!config) throw functionNotFound(arnOf(ref, qualifier));
    return { fn, config, version: qualifier };
  }
  const alias = await deps.cache.getAlias(ref, qualifier);
  if (!alias) throw functionNotFound(arnOf(ref, qualifier));
  const target = alias.FunctionVersion!;
  const config = target === '$LATEST' ? fn.latest : await deps.cache.getVersion(ref, target);
  if (!config) throw functionNotFound(arnOf(ref, target));
  return { fn, config, version: target, alias };
}
