// What an execution environment runs for one function version: built from its stored
// configuration, for invocations and for environments started ahead (provisioned concurrency).
import type { FunctionSpec } from '../runtime/types.js';
import type { FunctionKey, StoredConfig } from '../store/lambda-store.js';
import type { LambdaDeps } from './deps.js';
import { ensureLayeredTree, ensureTree } from './code-storage.js';

/** Environments are keyed account:region:name:version:revision; a prefix selects some to evict. */
export function environmentKeyPrefix(ref: FunctionKey, version?: string): string {
  return `${ref.accountId}:${ref.region}:${ref.name}:${version === undefined ? '' : `${version}:`}`;
}

/** The spec of `version` of a function whose runtime is known to be supported. */
export async function functionSpec(deps: Pick<LambdaDeps, 'blobs'>, ref: FunctionKey, config: StoredConfig, version: string): Promise<FunctionSpec> {
  return {
    key: `${environmentKeyPrefix(ref, version)}${config.RevisionId}`,
    accountId: ref.accountId,
    region: ref.region,
    functionName: ref.name,
    version,
    runtime: config.Runtime!,
    handler: config.Handler ?? '',
    memorySize: config.MemorySize ?? 128,
    timeout: config.Timeout ?? 3,
    environment: config.Environment?.Variables ?? {},
    codeDir: await ensureTree(deps.blobs, config.CodeHash),
    optDir: config.LayerHashes?.length ? await ensureLayeredTree(deps.blobs, config.LayerHashes) : undefined,
    logGroupName: config.LoggingConfig?.LogGroup ?? `/aws/lambda/${ref.name}`,
  };
}
