// What an execution environment runs for one function version: built from its stored
// configuration, for invocations and for environments started ahead (provisioned concurrency).
import { DEFAULT_EPHEMERAL_STORAGE_MB, type FunctionSpec, type JsonLogging, type SystemLogLevel } from '../runtime/types.js';
import type { LoggingConfig } from '../aws/generated/lambda.js';
import type { FunctionKey, StoredConfig } from '../store/lambda-store.js';
import type { LambdaDeps } from './deps.js';
import { ensureLayeredTree, ensureTree } from './code-storage.js';

/** Environments are keyed account:region:name:version:revision; a prefix selects some to evict. */
export function environmentKeyPrefix(ref: FunctionKey, version?: string): string {
  return `${ref.accountId}:${ref.region}:${ref.name}:${version === undefined ? '' : `${version}:`}`;
}

/** The spec of `version` of a function whose runtime is known to be supported. */
export async function functionSpec(deps: Pick<LambdaDeps, 'blobs'>, ref: FunctionKey, config: StoredConfig, version: string): Promise<FunctionSpec> {
  const jsonLogging = jsonLoggingOf(config.LoggingConfig);
  return {
    key: `${environmentKeyPrefix(ref, version)}${config.RevisionId}`,
    accountId: ref.accountId,
    region: ref.region,
    functionName: ref.name,
    version,
    runtime: config.Runtime!,
    handler: config.Handler ?? '',
    memorySize: config.MemorySize ?? 128,
    ephemeralStorageMb: config.EphemeralStorage?.Size ?? DEFAULT_EPHEMERAL_STORAGE_MB,
    timeout: config.Timeout ?? 3,
    environment: withLogVariables(config.Environment?.Variables ?? {}, jsonLogging),
    codeDir: await ensureTree(deps.blobs, config.CodeHash),
    optDir: config.LayerHashes?.length ? await ensureLayeredTree(deps.blobs, config.LayerHashes) : undefined,
    logGroupName: config.LoggingConfig?.LogGroup ?? `/aws/lambda/${ref.name}`,
    ...(jsonLogging ? { jsonLogging } : {}),
  };
}

/** JSON logs' levels; undefined for Text, which has none. */
function jsonLoggingOf(c: LoggingConfig | undefined): JsonLogging | undefined {
  if (c?.LogFormat !== 'JSON') return undefined;
  return { applicationLogLevel: c.ApplicationLogLevel ?? 'INFO', systemLogLevel: (c.SystemLogLevel ?? 'INFO') as SystemLogLevel };
}

/**
 * AWS tells the runtime a JSON function's format and application log level in AWS_LAMBDA_LOG_FORMAT
 * and AWS_LAMBDA_LOG_LEVEL (they win over the function's own variables of those names); a Text
 * function gets neither.
 */
function withLogVariables(variables: Record<string, string>, json: JsonLogging | undefined): Record<string, string> {
  if (!json) return variables;
  return { ...variables, AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: json.applicationLogLevel };
}
