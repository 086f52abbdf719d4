// Deploying one AWS::Serverless::Function: create it or bring code and configuration up to date,
// publish a version only when $LATEST differs from what the AutoPublishAlias runs, and move the alias.
import {
  CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, GetFunctionConfigurationCommand, ListVersionsByFunctionCommand, PublishVersionCommand,
  PutFunctionConcurrencyCommand, TagResourceCommand, UntagResourceCommand, DeleteProvisionedConcurrencyConfigCommand, GetProvisionedConcurrencyConfigCommand,
  PutProvisionedConcurrencyConfigCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand,
  type Architecture, type FunctionConfiguration, type LoggingConfig, type GetFunctionCommandOutput, type LambdaClient, type Runtime,
} from '@aws-sdk/client-lambda';
import { describeState, getAlias, moveAlias, stateOf, type AliasState } from './aliases.js';
import type { PendingShift } from './traffic-shift.js';
import { awsErrorType, isNotFound } from './errors.js';
import type { FunctionSpec } from './function-spec.js';
import { codeOf, shortSha, type CodePackage } from './package.js';
import { samRoleArn } from './other-resources.js';
import type { Progress } from './progress.js';
import { normalLogging } from './function-settings-spec.js';
import { syncSeparateSettings } from './function-settings.js';

export const STACK_TAG = 'stagecraft:stack';
/** On a function whose template says DeletionPolicy: Retain: removed from the template, it is kept (stack-prune.ts). */
export const RETAIN_TAG = 'stagecraft:deletion-policy';

export interface FunctionContext {
  lambda: LambdaClient;
  accountId: string;
  region: string;
  stackName: string;
  progress: Progress;
  /** Wraps each AWS call so a failure names the step. */
  step<T>(subject: string, action: string, fn: () => Promise<T>): Promise<T>;
}

export interface DeployedFunction {
  spec: FunctionSpec;
  arn: string;
  /** The version the AutoPublishAlias points at after the deploy. */
  version?: string;
  aliasArn?: string;
  versionArn?: string;
  /** The FunctionUrl, when the template sets FunctionUrlConfig. */
  functionUrl?: string;
  /** DeploymentPreference: the alias still runs the old version and moves once every function exists. */
  shift?: PendingShift;
}

/** The fields that make a version differ from another (what PublishVersion compares). */
export function versionFingerprint(c: FunctionConfiguration): string {
  return JSON.stringify({
    CodeSha256: c.CodeSha256,
    Runtime: c.Runtime,
    Handler: c.Handler,
    Timeout: c.Timeout,
    MemorySize: c.MemorySize,
    Environment: sortedObject(c.Environment?.Variables ?? {}),
    Role: c.Role,
    Architectures: c.Architectures ?? ['x86_64'],
    Layers: layerArns(c),
    // As Lambda's PublishVersion compares them: a change to any of these is a new version.
    EphemeralStorage: c.EphemeralStorage?.Size ?? 512,
    LoggingConfig: c.LoggingConfig ?? null,
    KMSKeyArn: c.KMSKeyArn ?? '',
    DeadLetterConfig: c.DeadLetterConfig?.TargetArn ?? '',
    TracingConfig: c.TracingConfig?.Mode ?? 'PassThrough',
  });
}

function layerArns(c: FunctionConfiguration): string[] {
  return (c.Layers ?? []).map((l) => l.Arn ?? '');
}

function sortedObject(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** What differs between the deployed configuration and the spec, as `Field old → new` texts. */
export function configurationDiff(actual: FunctionConfiguration, spec: FunctionSpec): string[] {
  const diffs: string[] = [];
  const cmp = (field: string, a: unknown, b: unknown, show = true) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(show ? `${field} ${JSON.stringify(a)} → ${JSON.stringify(b)}` : field);
  };
  cmp('Runtime', actual.Runtime, spec.runtime);
  cmp('Handler', actual.Handler, spec.handler);
  cmp('MemorySize', actual.MemorySize, spec.memorySize);
  cmp('Timeout', actual.Timeout, spec.timeout);
  cmp('Description', actual.Description ?? '', spec.description);
  cmp('Environment', sortedObject(actual.Environment?.Variables ?? {}), sortedObject(spec.environment), false);
  if (spec.role) cmp('Role', actual.Role, spec.role);
  if (spec.architectures) cmp('Architectures', actual.Architectures ?? ['x86_64'], spec.architectures);
  cmp('Layers', layerArns(actual), spec.layers);
  const settings = spec.settings;
  cmp('EphemeralStorage', actual.EphemeralStorage?.Size ?? 512, settings.ephemeralStorage);
  cmp('LoggingConfig', normalLogging(actual.LoggingConfig, spec.name), settings.logging);
  cmp('KmsKeyArn', actual.KMSKeyArn ?? null, settings.kmsKeyArn ?? null);
  cmp('DeadLetterQueue', actual.DeadLetterConfig?.TargetArn ?? null, settings.deadLetterTarget ?? null);
  cmp('SnapStart', actual.SnapStart?.ApplyOn ?? 'None', settings.snapStart);
  return diffs;
}

/** The configuration members deploy sets from FunctionSettingsSpec, each with AWS's default when the template leaves it out. */
function settingsConfiguration(spec: FunctionSpec) {
  const s = spec.settings;
  return {
    EphemeralStorage: { Size: s.ephemeralStorage },
    LoggingConfig: s.logging as LoggingConfig,
    KMSKeyArn: s.kmsKeyArn ?? '',
    DeadLetterConfig: { TargetArn: s.deadLetterTarget ?? '' },
    VpcConfig: s.vpcConfig ?? { SubnetIds: [], SecurityGroupIds: [] },
    SnapStart: { ApplyOn: s.snapStart },
  };
}

async function updateConfiguration(ctx: FunctionContext, spec: FunctionSpec, diff: string[]): Promise<void> {
  const name = spec.name;
  await ctx.step(spec.logicalId, `updating the configuration of ${name}`, () => ctx.lambda.send(new UpdateFunctionConfigurationCommand({
    FunctionName: name,
    Runtime: spec.runtime as Runtime,
    Handler: spec.handler,
    MemorySize: spec.memorySize,
    Timeout: spec.timeout,
    Description: spec.description,
    Environment: { Variables: spec.environment },
    Role: spec.role,
    Layers: spec.layers,
    ...settingsConfiguration(spec),
  })));
  ctx.progress.report({ subject: spec.logicalId, kind: 'updated', message: `configuration of ${name}: ${diff.join(', ')}` });
}

export async function deployFunction(ctx: FunctionContext, spec: FunctionSpec, pkg: CodePackage): Promise<DeployedFunction> {
  const { lambda, progress } = ctx;
  const id = spec.logicalId;
  const name = spec.name;
  const tags: Record<string, string> = { ...spec.tags, [STACK_TAG]: ctx.stackName, ...(spec.retain ? { [RETAIN_TAG]: 'Retain' } : {}) };

  let existing: GetFunctionCommandOutput | undefined;
  existing = await ctx.step(id, `reading function ${name}`, async () => {
    try {
      return await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  });

  let arn: string;
  if (!existing?.Configuration) {
    const created = await ctx.step(id, `creating function ${name}`, () => lambda.send(new CreateFunctionCommand({
      FunctionName: name,
      Runtime: spec.runtime as Runtime,
      Handler: spec.handler,
      // Without Role, the role SAM would generate (`!GetAtt {Fn}Role.Arn` gives the same ARN).
      Role: spec.role ?? samRoleArn({ stackName: ctx.stackName, accountId: ctx.accountId }, id),
      Code: codeOf(pkg),
      Description: spec.description,
      Timeout: spec.timeout,
      MemorySize: spec.memorySize,
      Environment: { Variables: spec.environment },
      Architectures: spec.architectures as Architecture[] | undefined,
      Layers: spec.layers.length ? spec.layers : undefined,
      ...settingsConfiguration(spec),
      KMSKeyArn: spec.settings.kmsKeyArn,
      DeadLetterConfig: spec.settings.deadLetterTarget ? { TargetArn: spec.settings.deadLetterTarget } : undefined,
      VpcConfig: spec.settings.vpcConfig,
      CodeSigningConfigArn: spec.settings.codeSigningConfigArn,
      Tags: tags,
      Publish: false,
    })));
    arn = created.FunctionArn!;
    progress.report({ subject: id, kind: 'created', message: `function ${name} (${spec.runtime}, ${spec.handler}, ${pkg.files} file${pkg.files === 1 ? '' : 's'} from ${spec.code.display})` });
    // What CreateFunction takes no say in (SnapStart here) is updated at once; the rest is kept apart from the configuration.
    const diff = configurationDiff(await waitUntilReady(ctx, id, name), spec);
    if (diff.length) await updateConfiguration(ctx, spec, diff);
    const separate = await syncSeparateSettings(ctx, spec);
    if (separate.length) progress.report({ subject: id, kind: 'updated', message: `settings of ${name}: ${separate.join(', ')}` });
  } else {
    const actual = existing.Configuration;
    arn = actual.FunctionArn!.replace(/:\$LATEST$/, '');
    const owner = existing.Tags?.[STACK_TAG];
    if (owner && owner !== ctx.stackName) {
      throw new Error(`function ${name} belongs to stack ${owner}; give ${id} another FunctionName, or deploy with --stack-name ${owner}`);
    }
    if (!owner) progress.note(`function ${name} was made outside this stack; stack ${ctx.stackName} manages it from now on`);
    await waitUntilReady(ctx, id, name);
    if (actual.CodeSha256 !== pkg.sha256) {
      await ctx.step(id, `updating the code of ${name}`, () => lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ...codeOf(pkg) })));
      progress.report({ subject: id, kind: 'updated', message: `code of ${name} (sha256 ${shortSha(actual.CodeSha256)} → ${shortSha(pkg.sha256)}, from ${spec.code.display})` });
      await waitUntilReady(ctx, id, name);
    }
    const diff = configurationDiff(actual, spec);
    if (diff.length) await updateConfiguration(ctx, spec, diff);
    const separate = await syncSeparateSettings(ctx, spec);
    if (separate.length) progress.report({ subject: id, kind: 'updated', message: `settings of ${name}: ${separate.join(', ')}` });
    const wrongTags = Object.entries(tags).filter(([k, v]) => existing!.Tags?.[k] !== v);
    if (wrongTags.length) {
      await ctx.step(id, `tagging ${name}`, () => lambda.send(new TagResourceCommand({ Resource: arn, Tags: Object.fromEntries(wrongTags) })));
      if (wrongTags.some(([k]) => k !== STACK_TAG && k !== RETAIN_TAG)) progress.report({ subject: id, kind: 'updated', message: `tags of ${name}: ${wrongTags.map(([k]) => k).join(', ')}` });
    }
    // DeletionPolicy: Retain taken out of the template: the function is the stack's to delete again.
    if (!spec.retain && existing.Tags?.[RETAIN_TAG]) await ctx.step(id, `untagging ${name}`, () => lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: [RETAIN_TAG] })));
    if (actual.CodeSha256 === pkg.sha256 && !diff.length && !separate.length) {
      progress.report({ subject: id, kind: 'unchanged', message: `function ${name} (code sha256 ${shortSha(pkg.sha256)})` });
    }
  }

  if (spec.reservedConcurrency !== undefined && existing?.Concurrency?.ReservedConcurrentExecutions !== spec.reservedConcurrency) {
    await ctx.step(id, `reserving concurrency for ${name}`, () => lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: spec.reservedConcurrency })));
    progress.report({ subject: id, kind: 'updated', message: `reserved concurrency of ${name}: ${spec.reservedConcurrency}` });
  }

  const latest = await waitUntilReady(ctx, id, name);
  const result: DeployedFunction = { spec, arn };
  if (!spec.autoPublishAlias) {
    if (!spec.publishVersion) return result;
    const version = await versionOf(ctx, spec, latest, undefined);
    return { ...result, version, versionArn: `${arn}:${version}` };
  }

  const aliasName = spec.autoPublishAlias;
  const alias = await ctx.step(id, `reading alias ${aliasName}`, () => getAlias(lambda, name, aliasName));
  const version = await versionOf(ctx, spec, latest, alias?.FunctionVersion);
  const deployed = { ...result, version, aliasArn: `${arn}:${aliasName}`, versionArn: `${arn}:${version}` };
  const preference = spec.deploymentPreference;
  if (preference && alias?.FunctionVersion && alias.FunctionVersion !== '$LATEST' && alias.FunctionVersion !== version) {
    // A first deploy (no alias yet) moves at once, as CodeDeploy does.
    progress.report({ subject: id, kind: 'unchanged', message: `alias ${name}:${aliasName} → ${describeState(stateOf(alias))} until the ${preference.type} traffic shift to version ${version}` });
    await syncProvisionedConcurrency(ctx, spec, aliasName);
    return { ...deployed, shift: { from: stateOf(alias), to: version, preference } };
  }
  const move = await ctx.step(id, `pointing alias ${aliasName} at version ${version}`, () => moveAlias(lambda, { name, arn }, aliasName, { version: version!, weights: {} }, { current: alias ?? null }));
  if (move.action === 'created') progress.report({ subject: id, kind: 'created', message: `alias ${name}:${aliasName} → version ${version}` });
  else if (move.action === 'moved') progress.report({ subject: id, kind: 'moved', message: `alias ${name}:${aliasName} → version ${version} (was ${describeState(move.before!)})` });
  else progress.report({ subject: id, kind: 'unchanged', message: `alias ${name}:${aliasName} → version ${version}` });
  if (move.action === 'moved' && spec.settings.versionDeletion === 'Delete') await deleteLeftVersions(ctx, spec, move.before!, version);
  await syncProvisionedConcurrency(ctx, spec, aliasName);
  return deployed;
}

/**
 * The version that runs `$LATEST`'s code and configuration: the one the alias runs, else the
 * newest, else a new one (reported as published).
 */
async function versionOf(ctx: FunctionContext, spec: FunctionSpec, latest: FunctionConfiguration, aliasVersion: string | undefined): Promise<string> {
  const { lambda, progress } = ctx;
  const { logicalId: id, name } = spec;
  const wanted = versionFingerprint(latest);
  if (aliasVersion && aliasVersion !== '$LATEST') {
    const target = await ctx.step(id, `reading version ${aliasVersion}`, () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: aliasVersion })));
    if (versionFingerprint(target) === wanted) return aliasVersion;
  }
  const newest = await ctx.step(id, `listing versions of ${name}`, () => newestVersion(lambda, name));
  if (newest && versionFingerprint(newest) === wanted) return newest.Version!;
  const published = await ctx.step(id, `publishing a version of ${name}`, () => lambda.send(new PublishVersionCommand({
    FunctionName: name, CodeSha256: latest.CodeSha256, Description: spec.versionDescription,
  })));
  progress.report({ subject: id, kind: 'published', message: `version ${published.Version!} of ${name}` });
  return published.Version!;
}

/**
 * VersionDeletionPolicy Delete: the versions the alias no longer runs go, as CloudFormation deletes
 * SAM's replaced AWS::Lambda::Version. One another alias still runs stays (Lambda refuses), with a note.
 */
async function deleteLeftVersions(ctx: FunctionContext, spec: FunctionSpec, before: AliasState, now: string): Promise<void> {
  const left = [before.version, ...Object.keys(before.weights)].filter((v) => v !== now && v !== '$LATEST');
  for (const v of new Set(left)) {
    const deleted = await ctx.step(spec.logicalId, `deleting version ${v} of ${spec.name}`, async () => {
      try {
        await ctx.lambda.send(new DeleteFunctionCommand({ FunctionName: spec.name, Qualifier: v }));
        return true;
      } catch (e) {
        if (awsErrorType(e) === 'ResourceConflictException' || isNotFound(e)) return false;
        throw e;
      }
    });
    if (deleted) ctx.progress.report({ subject: spec.logicalId, kind: 'updated', message: `version ${v} of ${spec.name} deleted (VersionDeletionPolicy Delete)` });
    else ctx.progress.note(`version ${v} of ${spec.name} is kept: another alias runs it, or it is gone already`);
  }
}

/** The alias's provisioned concurrency as the template says: set, changed, or removed with the property. */
async function syncProvisionedConcurrency(ctx: FunctionContext, spec: FunctionSpec, aliasName: string): Promise<void> {
  const { lambda, progress } = ctx;
  const id = spec.logicalId;
  const target = `${spec.name}:${aliasName}`;
  const current = await ctx.step(id, `reading the provisioned concurrency of ${target}`, async () => {
    try {
      return (await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: spec.name, Qualifier: aliasName }))).RequestedProvisionedConcurrentExecutions;
    } catch (e) {
      if (awsErrorType(e) === 'ProvisionedConcurrencyConfigNotFoundException') return undefined;
      throw e;
    }
  });
  const wanted = spec.provisionedConcurrency;
  if (wanted === current) return;
  if (wanted === undefined) {
    await ctx.step(id, `removing the provisioned concurrency of ${target}`, () => lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: spec.name, Qualifier: aliasName })));
    progress.report({ subject: id, kind: 'updated', message: `provisioned concurrency of ${target} removed (was ${current})` });
    return;
  }
  await ctx.step(id, `provisioning ${wanted} environment${wanted === 1 ? '' : 's'} for ${target}`, () => lambda.send(new PutProvisionedConcurrencyConfigCommand({
    FunctionName: spec.name, Qualifier: aliasName, ProvisionedConcurrentExecutions: wanted,
  })));
  progress.report({ subject: id, kind: 'updated', message: `provisioned concurrency of ${target}: ${current === undefined ? '' : `${current} → `}${wanted} (environments start in the background)` });
}

async function newestVersion(lambda: LambdaClient, name: string): Promise<FunctionConfiguration | undefined> {
  let marker: string | undefined;
  let newest: FunctionConfiguration | undefined;
  do {
    const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name, Marker: marker }));
    for (const v of page.Versions ?? []) {
      if (v.Version && v.Version !== '$LATEST' && (!newest || Number(v.Version) > Number(newest.Version))) newest = v;
    }
    marker = page.NextMarker;
  } while (marker);
  return newest;
}

/** Waits while Lambda is still creating or updating the function (State/LastUpdateStatus). */
async function waitUntilReady(ctx: FunctionContext, id: string, name: string): Promise<FunctionConfiguration> {
  const deadline = Date.now() + 120_000;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    const c = await ctx.step(id, `reading the state of ${name}`, () => ctx.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })));
    if (c.State === 'Failed') throw new Error(`function ${name} is in state Failed: ${c.StateReason ?? 'no reason given'}`);
    if (c.LastUpdateStatus === 'Failed') throw new Error(`the last update of ${name} failed: ${c.LastUpdateStatusReason ?? 'no reason given'}`);
    if (c.State !== 'Pending' && c.LastUpdateStatus !== 'InProgress') return c;
    if (Date.now() > deadline) throw new Error(`function ${name} is still ${c.State === 'Pending' ? 'being created' : 'updating'} after two minutes`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
