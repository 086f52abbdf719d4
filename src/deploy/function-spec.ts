// A function as the deploy creates it: its settings from the template (after Globals and
// conditions) checked the way Lambda would check them, where its code comes from, and its routes.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { apiEventSpecs, type ApiEventSpec } from './api-events.js';
import { httpApiEventSpecs, type HttpApiEventSpec } from './http-api-spec.js';
import { didYouMean, TemplateError, type Location } from './issues.js';
import { evaluate, evaluateValue, NO_VALUE, type Scope, type Value } from './intrinsics.js';
import { ALIAS_NAME } from './project.js';
import { childPath, entry, get, synthetic, type MapEntry } from './source.js';
import { LAMBDA_RUNTIMES } from './spec.js';
import { functionLayers } from './layer-spec.js';
import { functionUrlSpec, type FunctionUrlSpec } from './function-url-spec.js';
import { eventInvokeSpec, type EventInvokeSpec } from './event-invoke-spec.js';
import { propertyReader } from './property-reader.js';
import { functionSettingsSpec, type FunctionSettingsSpec } from './function-settings-spec.js';
import { deploymentPreferenceSpec, type DeploymentPreferenceSpec } from './deployment-preference.js';
import { PLACEHOLDER, type ActiveResource, type StackModel } from './stack-model.js';
import { retains } from './template.js';

/** Where a function's code (or a layer's content) comes from: a directory or .zip file (CodeUri, ContentUri: `key`), or InlineCode. */
export type CodeSource =
  | { kind: 'directory'; path: string; display: string; loc: Location; templatePath: string; key: string }
  | { kind: 'zip'; path: string; display: string; loc: Location; templatePath: string; key: string }
  | { kind: 'inline'; source: string; fileName: string; display: string; loc: Location; templatePath: string }
  // An object in the server's S3 (`s3://bucket/key` or `{Bucket, Key, Version}`), handed to Lambda as S3Bucket/S3Key.
  | { kind: 's3'; bucket: string; objectKey: string; version?: string; display: string; loc: Location; templatePath: string; key: string };

export interface FunctionSpec {
  logicalId: string;
  loc: Location;
  /** Where Handler is written (here or in Globals.Function), for warnings about it. */
  handlerAt: { path: string; loc: Location };
  name: string;
  /** DeletionPolicy: Retain (or RetainExceptOnCreate): removed from the template, the function is kept. */
  retain: boolean;
  code: CodeSource;
  runtime: string;
  handler: string;
  memorySize: number;
  timeout: number;
  description: string;
  environment: Record<string, string>;
  role?: string;
  architectures?: string[];
  tags: Record<string, string>;
  autoPublishAlias?: string;
  /** Publish a version (when the code or configuration changed) without an alias: a `cdk synth` template's lone AWS::Lambda::Version. */
  publishVersion?: boolean;
  versionDescription?: string;
  reservedConcurrency?: number;
  /** ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions, on the AutoPublishAlias (SAM puts it there). */
  provisionedConcurrency?: number;
  /** Layer version ARNs, in order (Globals.Function.Layers first). */
  layers: string[];
  events: ApiEventSpec[];
  /** HttpApi events: routes on HTTP APIs. */
  httpApiEvents: HttpApiEventSpec[];
  /** FunctionUrlConfig: a URL on the AutoPublishAlias when there is one, else on the function. */
  functionUrl?: FunctionUrlSpec;
  /** EventInvokeConfig, on the AutoPublishAlias (else $LATEST), as SAM puts it. */
  eventInvoke?: EventInvokeSpec;
  /** DeploymentPreference: how the AutoPublishAlias moves to a new version (absent: at once). */
  deploymentPreference?: DeploymentPreferenceSpec;
  /** EphemeralStorage, LoggingConfig, KmsKeyArn, VpcConfig, DeadLetterQueue, code signing, RecursiveLoop, runtime management, SnapStart. */
  settings: FunctionSettingsSpec;
}

/** A function's settings from its resource, checked; throws a located TemplateError at the first problem. */
export function functionSpec(model: StackModel, r: ActiveResource, scope: Scope): FunctionSpec {
  const p = r.properties;
  const id = r.def.logicalId;
  const reader = propertyReader(r, scope);
  const { fail, value, str } = reader;
  const int = (key: string, min: number, max: number, unit: string): number | undefined => {
    const v = value(key);
    if (v === undefined) return undefined;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) fail(key, `${key} must be a whole number of ${unit} from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return n as number;
  };

  const packageType = str('PackageType');
  if (packageType && packageType !== 'Zip') fail('PackageType', `PackageType ${packageType} is not supported; stagecraft deploy deploys Zip functions`);

  const name = str('FunctionName') ?? `${model.identity.stackName}-${id}`;
  if (!PLACEHOLDER.test(name) && !/^[a-zA-Z0-9-_]{1,64}$/.test(name)) {
    fail('FunctionName', `function name '${name}' must be 1 to 64 letters, digits, hyphens or underscores`);
  }

  const runtime = str('Runtime');
  if (!runtime) fail('Runtime', `${id} needs a Runtime (for example nodejs20.x or python3.12), here or in Globals.Function`);
  if (!LAMBDA_RUNTIMES.includes(runtime!)) {
    fail('Runtime', `Runtime '${runtime}' is not a Lambda runtime${didYouMean(runtime!, LAMBDA_RUNTIMES)}; use one of ${LAMBDA_RUNTIMES.filter((x) => /^(nodejs2|python3\.1|provided)/.test(x)).join(', ')}`);
  }
  const handler = str('Handler');
  if (!handler) fail('Handler', `${id} needs a Handler (for example index.handler), here or in Globals.Function`);

  const code = codeSource(model.template.dir, r, scope);

  const envNode = get(p, 'Environment');
  const environment: Record<string, string> = {};
  if (envNode) {
    const env = evaluate(envNode, scope);
    if (env !== NO_VALUE && env !== null) {
      if (typeof env !== 'object' || Array.isArray(env) || Object.keys(env).some((k) => k !== 'Variables')) {
        fail('Environment', 'Environment is a map with one key, Variables');
      }
      const vars = (env as Record<string, Value>).Variables ?? {};
      if (typeof vars !== 'object' || Array.isArray(vars) || vars === null) fail('Environment', 'Environment.Variables is a map of names to values');
      for (const [k, v] of Object.entries(vars as Record<string, Value>)) {
        if (!/^[a-zA-Z]([a-zA-Z0-9_])*$/.test(k)) fail('Environment', `environment variable name '${k}' must start with a letter and contain only letters, digits and underscores`);
        if (typeof v === 'object' && v !== null) fail('Environment', `environment variable ${k} must be a string, number or boolean`);
        environment[k] = v === null ? '' : String(v);
      }
    }
  }

  const tags: Record<string, string> = {};
  const tagsValue = value('Tags');
  if (tagsValue !== undefined) {
    if (typeof tagsValue !== 'object' || Array.isArray(tagsValue) || tagsValue === null) fail('Tags', 'Tags is a map of tag names to values');
    for (const [k, v] of Object.entries(tagsValue as Record<string, Value>)) {
      if (k.startsWith('aws:') || k.startsWith('stagecraft:')) fail('Tags', `tag keys starting with aws: or stagecraft: are reserved ('${k}')`);
      tags[k] = String(v);
    }
  }

  let architectures: string[] | undefined;
  const arch = value('Architectures');
  if (arch !== undefined) {
    if (!Array.isArray(arch) || arch.length !== 1 || !['x86_64', 'arm64'].includes(String(arch[0]))) fail('Architectures', 'Architectures is a list with one of x86_64 or arm64');
    architectures = (arch as Value[]).map(String);
  }

  const alias = str('AutoPublishAlias');
  if (alias !== undefined && !PLACEHOLDER.test(alias) && (!ALIAS_NAME.test(alias) || alias.length > 128 || alias === '$LATEST')) {
    fail('AutoPublishAlias', `alias name '${alias}' must be letters, digits, hyphens or underscores, and not only digits`);
  }
  const allProps = value('AutoPublishAliasAllProperties');
  if (allProps !== undefined && typeof allProps !== 'boolean') fail('AutoPublishAliasAllProperties', 'AutoPublishAliasAllProperties is true or false');

  const provisioned = value('ProvisionedConcurrencyConfig');
  let provisionedConcurrency: number | undefined;
  if (provisioned !== undefined) {
    if (typeof provisioned !== 'object' || provisioned === null || Array.isArray(provisioned)) {
      fail('ProvisionedConcurrencyConfig', 'ProvisionedConcurrencyConfig is a map with ProvisionedConcurrentExecutions');
    }
    const n = (provisioned as Record<string, Value>).ProvisionedConcurrentExecutions;
    const count = typeof n === 'string' && n.trim() !== '' ? Number(n) : n;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      fail('ProvisionedConcurrencyConfig', `ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions must be a whole number of at least 1, got ${JSON.stringify(n ?? null)}`);
    }
    // As SAM: the setting belongs to the alias it publishes.
    if (alias === undefined) fail('ProvisionedConcurrencyConfig', 'ProvisionedConcurrencyConfig needs AutoPublishAlias: SAM provisions the alias it publishes');
    provisionedConcurrency = count as number;
  }
  const urlConfig = value('FunctionUrlConfig');
  const functionUrl = urlConfig === undefined ? undefined : functionUrlSpec(urlConfig, (m) => fail('FunctionUrlConfig', m));
  const invokeConfig = value('EventInvokeConfig');
  const eventInvoke = invokeConfig === undefined ? undefined : eventInvokeSpec(invokeConfig, (m) => fail('EventInvokeConfig', m));

  const deploymentPreference = deploymentPreferenceSpec(r, scope, alias, (m, path) => model.issues.warn(m, path, entry(p, 'DeploymentPreference')?.keyLoc));

  const settings = functionSettingsSpec({
    reader, functionName: name, runtime: runtime!, autoPublishAlias: alias,
    // Once per message: a Globals.Function setting would otherwise say the same for every function.
    warn: (key, m) => {
      if (model.issues.warnings.some((w) => w.message === m)) return;
      const e = entry(p, key);
      model.issues.warn(m, e?.value.path, e?.keyLoc);
    },
  });

  const description = str('Description') ?? '';
  if (description.length > 256) fail('Description', 'Description is at most 256 characters');

  return {
    logicalId: id,
    loc: r.def.loc,
    handlerAt: { path: entry(p, 'Handler')?.value.path ?? `${r.def.path}.Properties.Handler`, loc: entry(p, 'Handler')?.value.loc ?? r.def.loc },
    name,
    retain: retains(r.def.deletionPolicy),
    code,
    runtime: runtime!,
    handler: handler!,
    memorySize: int('MemorySize', 128, 10240, 'MB') ?? 128,
    timeout: int('Timeout', 1, 900, 'seconds') ?? 3,
    description,
    environment,
    role: str('Role'),
    architectures,
    tags,
    autoPublishAlias: alias,
    publishVersion: !alias && model.template.publishedVersions.has(id),
    versionDescription: str('VersionDescription'),
    reservedConcurrency: int('ReservedConcurrentExecutions', 0, 1000, 'executions'),
    provisionedConcurrency,
    layers: functionLayers(model, r, scope),
    events: apiEventSpecs(model, r, scope),
    httpApiEvents: httpApiEventSpecs(model, r, scope),
    functionUrl,
    eventInvoke,
    deploymentPreference,
    settings,
  };
}

/** CodeUri (relative to the template's directory) or InlineCode, whichever the resource sets. */
function codeSource(templateDir: string, r: ActiveResource, scope: Scope): CodeSource {
  const codeEntry = entry(r.properties, 'CodeUri');
  const inlineEntry = entry(r.properties, 'InlineCode');
  const id = r.def.logicalId;
  if (codeEntry && inlineEntry) throw new TemplateError(`${id} sets both CodeUri and InlineCode; keep one`, inlineEntry.value.path, inlineEntry.keyLoc);
  if (inlineEntry) {
    const source = evaluateValue(inlineEntry.value, scope);
    if (typeof source !== 'string') throw new TemplateError('InlineCode is the source text of the handler module', inlineEntry.value.path, inlineEntry.keyLoc);
    const runtime = String(evaluate(get(r.properties, 'Runtime') ?? synthetic('', '', r.def.loc), scope));
    const handler = String(evaluate(get(r.properties, 'Handler') ?? synthetic('index.handler', '', r.def.loc), scope));
    const ruby = runtime.startsWith('ruby');
    // Ruby's handler is file.method or file.Module::Class.method: the file is what comes before the first dot.
    const module = !handler.includes('.') ? 'index' : ruby ? handler.slice(0, handler.indexOf('.')) : handler.slice(0, handler.lastIndexOf('.'));
    const ext = runtime.startsWith('python') ? '.py' : ruby ? '.rb' : '.js';
    return { kind: 'inline', source, fileName: `${module}${ext}`, display: 'InlineCode', loc: inlineEntry.keyLoc, templatePath: inlineEntry.value.path };
  }
  if (!codeEntry) throw new TemplateError(`${id} needs CodeUri (a directory or .zip file) or InlineCode, here or in Globals.Function`, `${r.def.path}.Properties`, r.def.loc);
  return localCodeSource(templateDir, codeEntry, scope);
}

/** A local directory or .zip file named by a CodeUri (or a layer's ContentUri), relative to the template's directory. */
export function localCodeSource(templateDir: string, codeEntry: MapEntry, scope: Scope): CodeSource {
  const key = codeEntry.key;
  const v = evaluateValue(codeEntry.value, scope);
  const fail = (m: string): never => {
    throw new TemplateError(m, codeEntry.value.path, codeEntry.value.loc);
  };
  const where = { loc: codeEntry.value.loc, templatePath: codeEntry.value.path, key };
  if (typeof v !== 'string') return s3Location(v, key, fail, where);
  const uri = v as string;
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/i.exec(uri);
  if (s3) return { kind: 's3', bucket: s3[1], objectKey: s3[2], display: uri, ...where };
  if (/^s3:\/\//i.test(uri)) fail(`${key} ${uri} names no object: write s3://bucket/key`);
  const path = isAbsolute(uri) ? uri : join(templateDir, uri);
  const display = relative(process.cwd(), path) || '.';
  if (!existsSync(path)) fail(`${key} ${uri} does not exist (looked for ${path})`);
  const stat = statSync(path);
  if (stat.isDirectory()) return { kind: 'directory', path, display, ...where };
  if (stat.isFile() && /\.(zip|jar)$/i.test(path)) return { kind: 'zip', path, display, ...where };
  return fail(`${key} ${uri} is neither a directory nor a .zip file`);
}

/** SAM's object form of an S3 location: `{Bucket, Key, Version}` (Version optional). */
function s3Location(v: unknown, key: string, fail: (m: string) => never, where: { loc: Location; templatePath: string; key: string }): CodeSource {
  const o = (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, unknown>;
  const { Bucket: bucket, Key: objectKey, Version: version } = o;
  if (typeof bucket !== 'string' || typeof objectKey !== 'string' || (version !== undefined && typeof version !== 'string')) {
    return fail(`${key} is a local directory or .zip file, s3://bucket/key, or {Bucket, Key, Version} of an S3 object`);
  }
  return { kind: 's3', bucket, objectKey, version: version as string | undefined, display: `s3://${bucket}/${objectKey}`, ...where };
}
