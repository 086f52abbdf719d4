// A function's settings beyond code, memory and timeout, read as SAM passes them to
// AWS::Lambda::Function (EphemeralStorage, LoggingConfig, KmsKeyArn, VpcConfig, DeadLetterQueue,
// SnapStart) or to the calls SAM's resources make (CodeSigningConfigArn, RecursiveLoop,
// RuntimeManagementConfig), each with the value AWS takes when the template leaves it out, so a
// setting removed from the template goes back to AWS's default.
import type { Value } from './intrinsics.js';
import type { PropertyReader } from './property-reader.js';
import { PLACEHOLDER } from './stack-model.js';

export interface LoggingSpec {
  LogFormat: 'Text' | 'JSON';
  LogGroup: string;
  ApplicationLogLevel?: string;
  SystemLogLevel?: string;
}

export interface RuntimeManagementSpec {
  UpdateRuntimeOn: 'Auto' | 'FunctionUpdate' | 'Manual';
  RuntimeVersionArn?: string;
}

export interface VpcSpec {
  SubnetIds: string[];
  SecurityGroupIds: string[];
  Ipv6AllowedForDualStack?: boolean;
}

export interface FunctionSettingsSpec {
  /** EphemeralStorage.Size in MB (AWS's default 512). */
  ephemeralStorage: number;
  /** LoggingConfig as Lambda keeps it: JSON logs have levels (INFO unless given), text logs none. */
  logging: LoggingSpec;
  kmsKeyArn?: string;
  /** Passed on; Stagecraft accepts and ignores it (there are no VPCs). */
  vpcConfig?: VpcSpec;
  /** DeadLetterQueue.TargetArn → DeadLetterConfig. */
  deadLetterTarget?: string;
  codeSigningConfigArn?: string;
  /** RecursiveLoop (AWS's default Terminate). */
  recursiveLoop: 'Allow' | 'Terminate';
  /** RuntimeManagementConfig (AWS's default Auto). */
  runtimeManagement: RuntimeManagementSpec;
  /** SnapStart.ApplyOn (AWS's default None). */
  snapStart: 'None' | 'PublishedVersions';
  autoPublishCodeSha256?: string;
  /** VersionDeletionPolicy: Delete removes the version the AutoPublishAlias leaves (SAM's default Retain keeps it). */
  versionDeletion: 'Delete' | 'Retain';
}

const APPLICATION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'];
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const ARN = /^arn:aws[a-zA-Z-]*:[a-z0-9-.]+:/;
const CODE_SIGNING_CONFIG_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:code-signing-config:csc-[a-z0-9]{17}$/;
const SNAP_START_RUNTIMES = /^(java(11|17|21|25)|python3\.(1[2-9])|dotnet(8|10))/;

/** What SAM and Lambda accept for a function's settings; `warn` reports what has no effect here. */
export interface SettingsContext {
  reader: PropertyReader;
  functionName: string;
  runtime: string;
  autoPublishAlias?: string;
  warn(key: string, message: string): void;
}

const isMap = (v: Value | undefined): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function functionSettingsSpec(ctx: SettingsContext): FunctionSettingsSpec {
  const { fail, value } = ctx.reader;
  const map = (key: string, shape: string, keys: string[]): Record<string, Value> | undefined => {
    const v = value(key);
    if (v === undefined) return undefined;
    if (!isMap(v)) return fail(key, `${key} is a map with ${shape}`);
    const unknown = Object.keys(v).find((k) => !keys.includes(k));
    if (unknown) fail(key, `unknown ${key} property '${unknown}'; ${key} has ${keys.join(', ')}`);
    return v;
  };
  const oneOf = <T extends string>(key: string, v: Value | undefined, allowed: readonly T[]): T | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !allowed.includes(v as T)) fail(key.split('.')[0], `${key} is one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  };
  const arn = (key: string, v: Value | undefined, pattern = ARN, what = 'an ARN'): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || (!PLACEHOLDER.test(v) && !pattern.test(v))) fail(key.split('.')[0], `${key} must be ${what}, got ${JSON.stringify(v)}`);
    return v as string;
  };

  const storage = map('EphemeralStorage', 'Size (MB, 512 to 10240)', ['Size']);
  let ephemeralStorage = 512;
  if (storage) {
    const n = typeof storage.Size === 'string' && storage.Size.trim() !== '' ? Number(storage.Size) : storage.Size;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 512 || n > 10240) fail('EphemeralStorage', `EphemeralStorage.Size must be a whole number of MB from 512 to 10240, got ${JSON.stringify(storage.Size ?? null)}`);
    ephemeralStorage = n as number;
  }

  const logging = loggingSpec(ctx, map('LoggingConfig', 'LogFormat, ApplicationLogLevel, SystemLogLevel and LogGroup', ['LogFormat', 'ApplicationLogLevel', 'SystemLogLevel', 'LogGroup']), oneOf);

  const kmsKeyArn = arn('KmsKeyArn', value('KmsKeyArn'), /^arn:aws[a-zA-Z-]*:kms:/, 'a KMS key ARN (arn:aws:kms:…)');

  const vpc = map('VpcConfig', 'SubnetIds and SecurityGroupIds', ['SubnetIds', 'SecurityGroupIds', 'Ipv6AllowedForDualStack']);
  let vpcConfig: VpcSpec | undefined;
  if (vpc) {
    const ids = (key: string): string[] => {
      const list = vpc[key] ?? [];
      if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) return fail('VpcConfig', `VpcConfig.${key} is a list of IDs`);
      return list as string[];
    };
    const ipv6 = vpc.Ipv6AllowedForDualStack;
    if (ipv6 !== undefined && typeof ipv6 !== 'boolean') fail('VpcConfig', 'VpcConfig.Ipv6AllowedForDualStack is true or false');
    vpcConfig = { SubnetIds: ids('SubnetIds'), SecurityGroupIds: ids('SecurityGroupIds'), ...(ipv6 === undefined ? {} : { Ipv6AllowedForDualStack: ipv6 as boolean }) };
    ctx.warn('VpcConfig', 'VpcConfig has no effect: Stagecraft has no VPCs, so functions reach whatever the host reaches');
  }

  const dlq = map('DeadLetterQueue', 'Type (SQS or SNS) and TargetArn', ['Type', 'TargetArn']);
  let deadLetterTarget: string | undefined;
  if (dlq) {
    const type = oneOf('DeadLetterQueue.Type', dlq.Type ?? '', ['SQS', 'SNS'] as const);
    deadLetterTarget = arn('DeadLetterQueue.TargetArn', dlq.TargetArn ?? '', type === 'SQS' ? /^arn:aws[a-zA-Z-]*:sqs:/ : /^arn:aws[a-zA-Z-]*:sns:/, `an ${type} ARN`);
  }

  const codeSigningConfigArn = arn('CodeSigningConfigArn', value('CodeSigningConfigArn'), CODE_SIGNING_CONFIG_ARN, 'a code signing config ARN (arn:aws:lambda:{region}:{account}:code-signing-config:csc-…)');
  const recursiveLoop = oneOf('RecursiveLoop', value('RecursiveLoop'), ['Allow', 'Terminate'] as const) ?? 'Terminate';

  const runtime = map('RuntimeManagementConfig', 'UpdateRuntimeOn and, for Manual, RuntimeVersionArn', ['UpdateRuntimeOn', 'RuntimeVersionArn']);
  let runtimeManagement: RuntimeManagementSpec = { UpdateRuntimeOn: 'Auto' };
  if (runtime) {
    const on = oneOf('RuntimeManagementConfig.UpdateRuntimeOn', runtime.UpdateRuntimeOn ?? '', ['Auto', 'FunctionUpdate', 'Manual'] as const)!;
    const version = arn('RuntimeManagementConfig.RuntimeVersionArn', runtime.RuntimeVersionArn, /^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+::runtime:[a-f0-9]{64}$/, 'a runtime version ARN (arn:aws:lambda:{region}::runtime:{64 hex digits})');
    if (on === 'Manual' && !version) fail('RuntimeManagementConfig', 'RuntimeManagementConfig with UpdateRuntimeOn Manual needs a RuntimeVersionArn');
    if (on !== 'Manual' && version) fail('RuntimeManagementConfig', `RuntimeManagementConfig.RuntimeVersionArn goes with UpdateRuntimeOn Manual, not ${on}`);
    runtimeManagement = version ? { UpdateRuntimeOn: on, RuntimeVersionArn: version } : { UpdateRuntimeOn: on };
  }

  const snap = map('SnapStart', 'ApplyOn (None or PublishedVersions)', ['ApplyOn']);
  const snapStart = oneOf('SnapStart.ApplyOn', snap ? (snap.ApplyOn ?? '') : undefined, ['None', 'PublishedVersions'] as const) ?? 'None';
  if (snapStart === 'PublishedVersions') {
    if (!SNAP_START_RUNTIMES.test(ctx.runtime)) fail('SnapStart', `SnapStart is available for Java 11 and later, Python 3.12 and later and .NET 8 and later, not ${ctx.runtime}`);
    ctx.warn('SnapStart', 'SnapStart is stored and shown, but nothing is snapshotted: published versions start like any other');
  }

  // SAM keeps old versions (its AWS::Lambda::Version resources are retained) unless told Delete.
  const versionDeletion = oneOf('VersionDeletionPolicy', value('VersionDeletionPolicy'), ['Delete', 'Retain'] as const) ?? 'Retain';
  if (versionDeletion === 'Delete' && !ctx.autoPublishAlias) ctx.warn('VersionDeletionPolicy', 'VersionDeletionPolicy has no effect without AutoPublishAlias');

  const sha = value('AutoPublishCodeSha256');
  if (sha !== undefined && typeof sha !== 'string') fail('AutoPublishCodeSha256', 'AutoPublishCodeSha256 must be a string');
  if (sha !== undefined && !ctx.autoPublishAlias) ctx.warn('AutoPublishCodeSha256', 'AutoPublishCodeSha256 has no effect without AutoPublishAlias');

  return {
    ephemeralStorage, logging, kmsKeyArn, vpcConfig, deadLetterTarget, codeSigningConfigArn, recursiveLoop, runtimeManagement, snapStart,
    autoPublishCodeSha256: sha as string | undefined, versionDeletion,
  };
}

type OneOf = <T extends string>(key: string, v: Value | undefined, allowed: readonly T[]) => T | undefined;

/** LoggingConfig with Lambda's defaults filled in: Text, the function's own log group, INFO levels for JSON. */
function loggingSpec(ctx: SettingsContext, given: Record<string, Value> | undefined, oneOf: OneOf): LoggingSpec {
  const { fail } = ctx.reader;
  const format = oneOf('LoggingConfig.LogFormat', given?.LogFormat, ['Text', 'JSON'] as const) ?? 'Text';
  const application = oneOf('LoggingConfig.ApplicationLogLevel', given?.ApplicationLogLevel, APPLICATION_LOG_LEVELS);
  const system = oneOf('LoggingConfig.SystemLogLevel', given?.SystemLogLevel, SYSTEM_LOG_LEVELS);
  // As Lambda: log levels filter JSON logs only.
  if (format === 'Text' && (application || system)) fail('LoggingConfig', 'LoggingConfig.ApplicationLogLevel and SystemLogLevel need LogFormat JSON');
  const group = given?.LogGroup;
  if (group !== undefined && (typeof group !== 'string' || (!PLACEHOLDER.test(group) && !LOG_GROUP.test(group)))) {
    fail('LoggingConfig', `LoggingConfig.LogGroup must be a log group name (letters, digits and . - _ / #, up to 512), got ${JSON.stringify(group)}`);
  }
  const LogGroup = (group as string | undefined) ?? `/aws/lambda/${ctx.functionName}`;
  if (format === 'Text') return { LogFormat: 'Text', LogGroup };
  return { LogFormat: 'JSON', LogGroup, ApplicationLogLevel: application ?? 'INFO', SystemLogLevel: system ?? 'INFO' };
}

/** A deployed LoggingConfig in the same shape as LoggingSpec (Lambda's defaults where it says nothing), to compare. */
export function normalLogging(given: { LogFormat?: string; LogGroup?: string; ApplicationLogLevel?: string; SystemLogLevel?: string } | undefined, functionName: string): LoggingSpec {
  const LogGroup = given?.LogGroup ?? `/aws/lambda/${functionName}`;
  if (given?.LogFormat !== 'JSON') return { LogFormat: 'Text', LogGroup };
  return { LogFormat: 'JSON', LogGroup, ApplicationLogLevel: given.ApplicationLogLevel ?? 'INFO', SystemLogLevel: given.SystemLogLevel ?? 'INFO' };
}
