// Building and checking function configurations: AWS's defaults, its limits on runtime, handler
// and environment, and the wire form (FunctionConfiguration) each operation returns.
import type { CreateFunctionRequest, FunctionConfiguration, LoggingConfig, UpdateFunctionConfigurationRequest } from '../aws/generated/lambda.js';
import type { StoredConfig } from '../store/lambda-store.js';
import { invalidParameter } from './errors.js';
import { ACCEPTED_RUNTIMES, RETIRED_RUNTIMES } from './runtimes.js';
import { createHash } from 'node:crypto';
import { awsError } from '../core/errors.js';
import { validationMessage } from '../aws/validate.js';

export const ENV_LIMIT_BYTES = 4096;
export const MAX_TIMEOUT = 900;
export const MAX_MEMORY = 10_240;

/** Variables AWS sets itself; a function may not override them. */
const RESERVED_ENV = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);

export function checkRuntime(runtime: string | undefined): void {
  if (runtime === undefined) return;
  if (RETIRED_RUNTIMES.includes(runtime)) {
    throw invalidParameter(`The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`);
  }
  if (!ACCEPTED_RUNTIMES.includes(runtime)) {
    throw invalidParameter(`Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${ACCEPTED_RUNTIMES.join(', ')}] or be a valid ARN`);
  }
}

/** Limits AWS enforces beyond its published model (the model has no Timeout maximum, a larger MemorySize one). */
export function checkLimits(input: { Timeout?: number; MemorySize?: number }): void {
  const violations: string[] = [];
  if (input.Timeout !== undefined && input.Timeout > MAX_TIMEOUT) violations.push(`Value '${input.Timeout}' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to ${MAX_TIMEOUT}`);
  if (input.MemorySize !== undefined && input.MemorySize > MAX_MEMORY) violations.push(`Value '${input.MemorySize}' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to ${MAX_MEMORY}`);
  if (violations.length) throw awsError('ValidationException', validationMessage(violations));
}

export function checkEnvironment(variables: Record<string, string> | undefined): void {
  if (!variables) return;
  const reserved = Object.keys(variables).filter((k) => RESERVED_ENV.has(k));
  if (reserved.length) {
    throw invalidParameter(`Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`);
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured) > ENV_LIMIT_BYTES) {
    throw invalidParameter(`Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`);
  }
}

function runtimeVersionArn(region: string, runtime: string): string {
  const digest = createHash('sha256').update(runtime).digest('hex');
  return `arn:aws:lambda:${region}::runtime:${digest}`;
}

export interface CodeFacts {
  hash: string;
  sha256Base64: string;
  size: number;
}

/** A function's layers as configurations keep them: AWS's `Layers` and, internally, their content's blob keys. */
export interface LayerFacts {
  layers: NonNullable<FunctionConfiguration['Layers']>;
  hashes: string[];
}

/** Sets (or, for an empty list, removes) a configuration's layers. */
function setLayers(config: StoredConfig, layers: LayerFacts): void {
  if (layers.layers.length) {
    config.Layers = layers.layers;
    config.LayerHashes = layers.hashes;
  } else {
    delete config.Layers;
    delete config.LayerHashes;
  }
}

/** $LATEST as CreateFunction makes it, with AWS's defaults. */
export function newLatestConfig(input: CreateFunctionRequest, region: string, code: CodeFacts, revisionId: string, now: string, layers?: LayerFacts): StoredConfig {
  const config: StoredConfig = {
    FunctionName: input.FunctionName,
    Runtime: input.Runtime,
    Role: input.Role,
    Handler: input.Handler,
    CodeSize: code.size,
    Description: input.Description ?? '',
    Timeout: input.Timeout ?? 3,
    MemorySize: input.MemorySize ?? 128,
    LastModified: now,
    CodeSha256: code.sha256Base64,
    Version: '$LATEST',
    TracingConfig: { Mode: input.TracingConfig?.Mode ?? 'PassThrough' },
    RevisionId: revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: input.Architectures ?? ['x86_64'],
    EphemeralStorage: { Size: input.EphemeralStorage?.Size ?? 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: input.Runtime ? { RuntimeVersionArn: runtimeVersionArn(region, input.Runtime) } : undefined,
    LoggingConfig: loggingConfig(input.LoggingConfig ?? {}, input.FunctionName),
    CodeHash: code.hash,
  };
  if (input.Environment) config.Environment = { Variables: input.Environment.Variables ?? {} };
  if (input.DeadLetterConfig?.TargetArn) config.DeadLetterConfig = input.DeadLetterConfig;
  if (input.KMSKeyArn) config.KMSKeyArn = input.KMSKeyArn;
  if (layers) setLayers(config, layers);
  return config;
}

/**
 * A function's logging settings as AWS keeps them: JSON logs have application and system log
 * levels (INFO unless given), plain text logs have none (recorded: TestLoggingConfig).
 */
function loggingConfig(given: LoggingConfig, functionName: string): LoggingConfig {
  const LogFormat = given.LogFormat ?? 'Text';
  const LogGroup = given.LogGroup ?? `/aws/lambda/${functionName}`;
  if (LogFormat !== 'JSON') return { LogFormat, LogGroup };
  return { LogFormat, LogGroup, ApplicationLogLevel: given.ApplicationLogLevel ?? 'INFO', SystemLogLevel: given.SystemLogLevel ?? 'INFO' };
}

/** $LATEST after UpdateFunctionConfiguration: only the given members change. */
export function applyConfigurationUpdate(current: StoredConfig, input: UpdateFunctionConfigurationRequest, region: string, revisionId: string, now: string, layers?: LayerFacts): StoredConfig {
  const next: StoredConfig = { ...current, RevisionId: revisionId, LastModified: now, State: 'Active', LastUpdateStatus: 'Successful' };
  if (input.Role !== undefined) next.Role = input.Role;
  if (input.Handler !== undefined) next.Handler = input.Handler;
  if (input.Description !== undefined) next.Description = input.Description;
  if (input.Timeout !== undefined) next.Timeout = input.Timeout;
  if (input.MemorySize !== undefined) next.MemorySize = input.MemorySize;
  if (input.Runtime !== undefined) {
    next.Runtime = input.Runtime;
    next.RuntimeVersionConfig = { RuntimeVersionArn: runtimeVersionArn(region, input.Runtime) };
  }
  if (input.Environment !== undefined) next.Environment = { Variables: input.Environment.Variables ?? {} };
  if (input.TracingConfig?.Mode) next.TracingConfig = { Mode: input.TracingConfig.Mode };
  if (input.EphemeralStorage?.Size) next.EphemeralStorage = { Size: input.EphemeralStorage.Size };
  if (input.DeadLetterConfig !== undefined) next.DeadLetterConfig = input.DeadLetterConfig.TargetArn ? input.DeadLetterConfig : undefined;
  if (input.KMSKeyArn !== undefined) next.KMSKeyArn = input.KMSKeyArn || undefined;
  // Stored and shown only: there are no snapshots, so optimisation stays Off (as recorded on AWS right after the update).
  if (input.SnapStart?.ApplyOn) next.SnapStart = { ApplyOn: input.SnapStart.ApplyOn, OptimizationStatus: 'Off' };
  if (input.LoggingConfig) next.LoggingConfig = loggingConfig({ ...next.LoggingConfig, ...input.LoggingConfig }, current.FunctionName!);
  if (layers) setLayers(next, layers);
  return next;
}

/**
 * Fields that make two configurations "the same function" for PublishVersion's no-op rule. A
 * changed description counts too (recorded: TestLambdaVersions::test_version_lifecycle), compared
 * as $LATEST had it, not as PublishVersion's Description may have renamed the version.
 */
export function publishFingerprint(c: StoredConfig): string {
  const { CodeSha256, Runtime, Role, Handler, Timeout, MemorySize, Environment, TracingConfig, EphemeralStorage, Architectures, DeadLetterConfig, LoggingConfig, KMSKeyArn, Layers } = c;
  const Description = c.SourceDescription ?? c.Description;
  return JSON.stringify({ CodeSha256, Runtime, Role, Handler, Timeout, MemorySize, Environment, TracingConfig, EphemeralStorage, Architectures, DeadLetterConfig, LoggingConfig, KMSKeyArn, Layers, Description });
}

/** The FunctionConfiguration clients see: the stored config with its ARN and without internals. */
export function toWire(config: StoredConfig, arn: string, overrides: Partial<FunctionConfiguration> = {}): FunctionConfiguration {
  const { CodeHash: _hash, LayerHashes: _layers, SourceDescription: _source, ...wire } = config;
  return { ...wire, FunctionArn: arn, ...overrides };
}

/**
 * A configuration as ListFunctions and ListVersionsByFunction show it: AWS leaves out the state,
 * the last update's status and the runtime version (recorded: test_list_functions,
 * test_publish_version_on_create).
 */
export function toListItem(config: StoredConfig, arn: string): FunctionConfiguration {
  const {
    State: _state, StateReason: _reason, StateReasonCode: _code, LastUpdateStatus: _update, LastUpdateStatusReason: _updateReason,
    LastUpdateStatusReasonCode: _updateCode, RuntimeVersionConfig: _runtime, ...item
  } = toWire(config, arn);
  return item;
}

/** What CreateFunction answers: the function still "being created", as AWS reports it. */
export const CREATING: Partial<FunctionConfiguration> = {
  State: 'Pending',
  StateReason: 'The function is being created.',
  StateReasonCode: 'Creating',
  LastUpdateStatus: undefined,
};

/** What UpdateFunctionCode/Configuration answer: the update still "in progress", as AWS reports it. */
export const UPDATING: Partial<FunctionConfiguration> = {
  LastUpdateStatus: 'InProgress',
  LastUpdateStatusReason: 'The function is being created.',
  LastUpdateStatusReasonCode: 'Creating' as FunctionConfiguration['LastUpdateStatusReasonCode'], // AWS sends it, the model omits it
};
