// Persistence contract for Lambda: functions ($LATEST), published versions, aliases,
// resource policies, reserved concurrency, tags, asynchronous invocation settings, layers and function URLs. Every method is atomic; writes that must
// not race carry the revision id they expect (compare-and-swap) and report a mismatch.
import type { FunctionConfiguration, AliasConfiguration, Cors } from '../aws/generated/lambda.js';

/** A function configuration as stored: AWS's shape plus the code hash we keep blobs under. */
export interface StoredConfig extends FunctionConfiguration {
  /** Hex SHA-256 of the code zip (blob key); CodeSha256 is the same digest in base64. */
  CodeHash: string;
  /** Blob keys of the layers' content, in the order of Layers (kept so a deleted layer version keeps working). */
  LayerHashes?: string[];
  /** On a published version: $LATEST's Description when it was published (PublishVersion may give the version its own). */
  SourceDescription?: string;
}

export interface FunctionRecord {
  accountId: string;
  region: string;
  name: string;
  latest: StoredConfig;
  /** Highest version number ever published (versions only grow, even after deletes). */
  lastVersion: number;
  reservedConcurrency?: number;
  tags: Record<string, string>;
  createdAt: string;
  /** PutFunctionRecursionConfig's setting; absent means AWS's default, Terminate. */
  recursiveLoop?: string;
  /** PutRuntimeManagementConfig's settings by qualifier ('$LATEST' or a version number). */
  runtimeManagement?: Record<string, RuntimeManagementRecord>;
  /** The id (csc-…) of the code signing config the function uses, if any. */
  codeSigningConfigId?: string;
}

export interface CodeSigningConfigKey {
  accountId: string;
  region: string;
  /** csc- and 17 hex digits. */
  id: string;
}

/** A code signing config: stored and returned, never used to verify code (there is no signer). */
export interface CodeSigningConfigRecord extends CodeSigningConfigKey {
  description: string;
  signingProfileVersionArns: string[];
  untrustedArtifactOnDeployment: string;
  lastModified: string;
}

/** A version's runtime update mode; the runtime version ARN only goes with Manual. */
export interface RuntimeManagementRecord {
  updateRuntimeOn: string;
  runtimeVersionArn?: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: { Service: string } | { AWS: string } | string;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyRecord {
  statements: PolicyStatement[];
  revisionId: string;
}

export interface FunctionKey {
  accountId: string;
  region: string;
  name: string;
}

/** PutFunctionEventInvokeConfig's settings for one qualifier; absent members mean AWS's defaults. */
export interface EventInvokeConfigRecord {
  /** '$LATEST', a version number or an alias name. */
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  /** Destination ARNs. */
  onSuccess?: string;
  onFailure?: string;
  lastModifiedMs: number;
}

export interface LayerKey {
  accountId: string;
  region: string;
  /** The layer's name (not its ARN). */
  name: string;
}

/** One published layer version: its settings, its content's digests and its resource policy. */
export interface LayerVersionRecord extends LayerKey {
  version: number;
  description: string;
  licenseInfo?: string;
  /** Absent when the publisher gave none (AWS then omits the member). */
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  /** Hex SHA-256 of the content zip (blob key). */
  codeHash: string;
  /** Base64 SHA-256, as Content.CodeSha256 shows it. */
  codeSha256: string;
  codeSize: number;
  createdDate: string;
  policy?: PolicyRecord;
}

/** Provisioned concurrency asked for on a published version or an alias. */
export interface ProvisionedConcurrencyRecord {
  qualifier: string;
  requested: number;
  lastModifiedMs: number;
}

/** A function URL: one per function (qualifier '') or alias, reachable by its url-id. */
export interface FunctionUrlRecord extends FunctionKey {
  /** '' for the unqualified function, else an alias name. */
  qualifier: string;
  /** 32 lowercase alphanumerics; unique across accounts and regions (the URL's host label). */
  urlId: string;
  authType: 'NONE' | 'AWS_IAM';
  cors?: Cors;
  /** As last given; AWS echoes it on Create/Update only when it was ever set (Get defaults it to BUFFERED). */
  invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
  creationTime: string;
  lastModifiedTime: string;
}

export type CasResult = 'ok' | 'not-found' | 'revision-mismatch' | 'conflict';

export interface LambdaStore {
  getFunction(key: FunctionKey): Promise<FunctionRecord | undefined>;
  /** Functions ordered by name, after `marker` (exclusive). */
  listFunctions(accountId: string, region: string, after: string | undefined, limit: number): Promise<FunctionRecord[]>;
  countFunctions(accountId: string, region: string): Promise<number>;
  /** Creates the function, and version 1 when `publish` is given; 'conflict' when it exists. */
  createFunction(record: FunctionRecord, publish?: StoredConfig): Promise<CasResult>;
  /** Replaces $LATEST when its RevisionId still equals `expectedRevisionId`. */
  updateLatest(key: FunctionKey, expectedRevisionId: string, latest: StoredConfig): Promise<CasResult>;
  /**
   * Atomically takes the next version number and stores `config` under it (Version set here); when
   * `unchanged` says the newest version already is this $LATEST, answers it (result 'unchanged')
   * instead, checked in the same transaction so racing publishes of one $LATEST make one version.
   */
  publishVersion(key: FunctionKey, expectedLatestRevisionId: string, build: (version: string) => StoredConfig,
    unchanged?: (newest: StoredConfig) => boolean): Promise<{ result: CasResult | 'unchanged'; config?: StoredConfig }>;
  getVersion(key: FunctionKey, version: string): Promise<StoredConfig | undefined>;
  listVersions(key: FunctionKey): Promise<StoredConfig[]>;
  deleteFunction(key: FunctionKey): Promise<boolean>;
  deleteVersion(key: FunctionKey, version: string): Promise<boolean>;

  getAlias(key: FunctionKey, alias: string): Promise<AliasConfiguration | undefined>;
  listAliases(key: FunctionKey): Promise<AliasConfiguration[]>;
  createAlias(key: FunctionKey, alias: AliasConfiguration): Promise<CasResult>;
  updateAlias(key: FunctionKey, expectedRevisionId: string, alias: AliasConfiguration): Promise<CasResult>;
  deleteAlias(key: FunctionKey, alias: string): Promise<boolean>;

  /** qualifier '' is the unqualified function policy. */
  getPolicy(key: FunctionKey, qualifier: string): Promise<PolicyRecord | undefined>;
  /** `expectedRevisionId`: the policy's current revision, `null` when there must be none yet, undefined to replace whatever is there. */
  putPolicy(key: FunctionKey, qualifier: string, expectedRevisionId: string | null | undefined, policy: PolicyRecord | undefined): Promise<CasResult>;

  setReservedConcurrency(key: FunctionKey, value: number | undefined): Promise<boolean>;
  /**
   * Replaces the function's tags with `change(current tags)` in one transaction, so concurrent
   * changes (on any node) all land; `change` may throw to refuse. False when the function is gone.
   */
  changeTags(key: FunctionKey, change: (tags: Record<string, string>) => Record<string, string>): Promise<boolean>;
  /** False when the function is gone. */
  setRecursiveLoop(key: FunctionKey, value: string): Promise<boolean>;
  /** Replaces the qualifier's setting, leaving the other qualifiers' alone; false when the function is gone. */
  setRuntimeManagement(key: FunctionKey, qualifier: string, setting: RuntimeManagementRecord): Promise<boolean>;
  /** Sum of reserved concurrency over the account's functions in a region. */
  totalReserved(accountId: string, region: string, exceptName?: string): Promise<number>;

  getEventInvokeConfig(key: FunctionKey, qualifier: string): Promise<EventInvokeConfigRecord | undefined>;
  /** Ordered by qualifier. */
  listEventInvokeConfigs(key: FunctionKey): Promise<EventInvokeConfigRecord[]>;
  /** Creates or replaces; 'not-found' when the function is gone. Deleting a version or alias drops its settings. */
  putEventInvokeConfig(key: FunctionKey, record: EventInvokeConfigRecord): Promise<CasResult>;
  deleteEventInvokeConfig(key: FunctionKey, qualifier: string): Promise<boolean>;

  getProvisionedConcurrency(key: FunctionKey, qualifier: string): Promise<ProvisionedConcurrencyRecord | undefined>;
  /** Ordered by qualifier. */
  listProvisionedConcurrency(key: FunctionKey): Promise<ProvisionedConcurrencyRecord[]>;
  /** Every function's, all accounts and regions: what the environments must keep ready. */
  listAllProvisionedConcurrency(): Promise<(FunctionKey & ProvisionedConcurrencyRecord)[]>;
  /** Creates or replaces; 'not-found' when the function is gone. Deleting a version or alias drops its setting. */
  putProvisionedConcurrency(key: FunctionKey, record: ProvisionedConcurrencyRecord): Promise<CasResult>;
  deleteProvisionedConcurrency(key: FunctionKey, qualifier: string): Promise<boolean>;

  /** Takes the layer's next version number (numbers are never reused, even after deletes) and stores `build(version)`. */
  publishLayerVersion(key: LayerKey, build: (version: number) => LayerVersionRecord): Promise<LayerVersionRecord>;
  getLayerVersion(key: LayerKey, version: number): Promise<LayerVersionRecord | undefined>;
  /** The layer's versions, newest first. */
  listLayerVersions(key: LayerKey): Promise<LayerVersionRecord[]>;
  /** Every layer version of the account in a region, ordered by layer name, newest version first. */
  listAllLayerVersions(accountId: string, region: string): Promise<LayerVersionRecord[]>;
  deleteLayerVersion(key: LayerKey, version: number): Promise<boolean>;
  /** Replaces the version's policy when its revision is still `expectedRevisionId` (undefined: no policy yet). */
  putLayerVersionPolicy(key: LayerKey, version: number, expectedRevisionId: string | undefined, policy: PolicyRecord | undefined): Promise<CasResult>;

  createCodeSigningConfig(record: CodeSigningConfigRecord): Promise<void>;
  getCodeSigningConfig(key: CodeSigningConfigKey): Promise<CodeSigningConfigRecord | undefined>;
  /** The account's in a region, ordered by id. */
  listCodeSigningConfigs(accountId: string, region: string): Promise<CodeSigningConfigRecord[]>;
  /** Atomically replaces the settings with `change(current)` (never the id); undefined when there is none. */
  updateCodeSigningConfig(key: CodeSigningConfigKey, change: (current: CodeSigningConfigRecord) => CodeSigningConfigRecord): Promise<CodeSigningConfigRecord | undefined>;
  /** 'in-use' (and nothing deleted) while a function uses it. */
  deleteCodeSigningConfig(key: CodeSigningConfigKey): Promise<'ok' | 'not-found' | 'in-use'>;
  /** Names of the functions using the config, ordered. */
  listFunctionsByCodeSigningConfig(key: CodeSigningConfigKey): Promise<string[]>;
  /** Attaches the config (checked to exist in the same step) or, with undefined, detaches. */
  setFunctionCodeSigningConfig(key: FunctionKey, id: string | undefined): Promise<'ok' | 'function-not-found' | 'config-not-found'>;

  getFunctionUrlConfig(key: FunctionKey, qualifier: string): Promise<FunctionUrlRecord | undefined>;
  /** The URL config a request's url-id names, whatever its account and region. */
  getFunctionUrlConfigById(urlId: string): Promise<FunctionUrlRecord | undefined>;
  /** Ordered by qualifier (the unqualified function's first). */
  listFunctionUrlConfigs(key: FunctionKey): Promise<FunctionUrlRecord[]>;
  /** 'conflict' when the function or alias has one already; 'not-found' when the function is gone. */
  createFunctionUrlConfig(record: FunctionUrlRecord): Promise<CasResult>;
  /** Atomically replaces the settings with `change(current)` (never the url-id or creation time); undefined when there is none. */
  updateFunctionUrlConfig(key: FunctionKey, qualifier: string, change: (current: FunctionUrlRecord) => FunctionUrlRecord): Promise<FunctionUrlRecord | undefined>;
  deleteFunctionUrlConfig(key: FunctionKey, qualifier: string): Promise<boolean>;
}
