// Raw Lambda resources of a synthesized CDK app as the SAM resources the deploy already runs:
// AWS::Lambda::Function (its Code an asset directory or .zip under cdk.out, or ZipFile) becomes an
// AWS::Serverless::Function; the AWS::Lambda::Version an alias points at (CDK's currentVersion) and
// that AWS::Lambda::Alias become its AutoPublishAlias (a version is published when the code or
// configuration changed); AWS::Lambda::Url its FunctionUrlConfig, AWS::Lambda::EventInvokeConfig its
// EventInvokeConfig; AWS::Lambda::LayerVersion an AWS::Serverless::LayerVersion.
import { get, type MapNode, type TNode } from './source.js';
import {
  build, emptyTranslation, passThrough, referenced, referrers, samResource, scalarString, tagMap,
  type RawResource, type TranslateContext, type Translation,
} from './cdk-nodes.js';
import { FUNCTION_TYPE, LAYER_TYPE } from './spec.js';

export const RAW_FUNCTION = 'AWS::Lambda::Function';
const RAW_VERSION = 'AWS::Lambda::Version';
const RAW_ALIAS = 'AWS::Lambda::Alias';
const RAW_URL = 'AWS::Lambda::Url';
const RAW_EVENT_INVOKE = 'AWS::Lambda::EventInvokeConfig';
const RAW_LAYER = 'AWS::Lambda::LayerVersion';

/** AWS::Lambda::Function properties SAM's function has under the same name. */
const SAME_NAME = [
  'FunctionName', 'Handler', 'Runtime', 'Environment', 'MemorySize', 'Timeout', 'Description', 'Role', 'Architectures', 'Layers',
  'ReservedConcurrentExecutions', 'PackageType', 'EphemeralStorage', 'LoggingConfig', 'KmsKeyArn', 'VpcConfig', 'CodeSigningConfigArn',
  'RecursiveLoop', 'RuntimeManagementConfig', 'SnapStart', 'FileSystemConfigs', 'ImageConfig',
];
/** Translated below (or named differently in SAM). */
const TRANSLATED = ['Code', 'Tags', 'TracingConfig', 'DeadLetterConfig'];

export function translateLambda(ctx: TranslateContext): Translation {
  const out = emptyTranslation();
  for (const raw of ctx.raw.values()) {
    if (raw.type === RAW_FUNCTION) {
      const served = customResourcesServed(ctx, raw.logicalId);
      if (served.length) leaveOutProvider(ctx, raw, served, out);
      else translateFunction(ctx, raw, out);
    }
    if (raw.type === RAW_LAYER) translateLayer(ctx, raw, out);
  }
  return out;
}

/** The custom resources whose ServiceToken is the function (CDK's providers: LogRetention, BucketDeployment, AwsCustomResource, …). */
function customResourcesServed(ctx: TranslateContext, id: string): RawResource[] {
  return [...ctx.raw.values()].filter((r) => (r.type.startsWith('Custom::') || r.type === 'AWS::CloudFormation::CustomResource') && referenced(get(r.properties, 'ServiceToken'))?.id === id);
}

/**
 * A custom resource provider has nothing to do here (Stagecraft runs no custom resources), so it
 * is not deployed; its name and ARN resolve to what the deploy would have named it.
 */
function leaveOutProvider(ctx: TranslateContext, raw: RawResource, served: RawResource[], out: Translation): void {
  const names = served.map((r) => `${r.logicalId} (${r.type})`).join(', ');
  ctx.issues.warn(`${raw.logicalId} (${RAW_FUNCTION}) is not deployed: it is the provider of ${names}, and Stagecraft runs no custom resources`, raw.path, raw.loc);
  const name = `\${AWS::StackName}-${raw.logicalId}`;
  out.dropped.add(raw.logicalId);
  out.rewrites.set(raw.logicalId, {
    ref: build({ 'Fn::Sub': name }, raw.path, raw.loc),
    attributes: { Arn: build({ 'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}` }, raw.path, raw.loc) },
  });
}

/** The local path of a resource's CDK asset (Metadata aws:asset:path, for the property aws:asset:property). */
function assetPath(raw: RawResource, property: string): TNode | undefined {
  const metadata = get(raw.node, 'Metadata');
  if (metadata?.kind !== 'map' || scalarString(get(metadata, 'aws:asset:property')) !== property) return undefined;
  const path = get(metadata, 'aws:asset:path');
  return scalarString(path) ? path : undefined;
}

/** Code (or a layer's Content) as SAM's CodeUri / InlineCode / ImageUri. */
function codeSource(ctx: TranslateContext, raw: RawResource, property: 'Code' | 'Content'): Record<string, TNode> {
  const code = get(raw.properties, property);
  const uriKey = property === 'Code' ? 'CodeUri' : 'ContentUri';
  if (code?.kind !== 'map') {
    ctx.issues.error(`${raw.logicalId} (${raw.type}) needs ${property}`, `${raw.path}.Properties.${property}`, raw.loc);
    return {};
  }
  const zipFile = get(code, 'ZipFile');
  if (zipFile && property === 'Code') return { InlineCode: zipFile };
  const imageUri = get(code, 'ImageUri');
  if (imageUri) return { ImageUri: imageUri };
  const asset = assetPath(raw, property);
  if (asset) return { [uriKey]: asset };
  // An object in S3 (a CDK asset without its metadata is one too): SAM's {Bucket, Key, Version}, which Lambda reads.
  const location: Record<string, TNode> = {};
  for (const [from, to] of [['S3Bucket', 'Bucket'], ['S3Key', 'Key'], ['S3ObjectVersion', 'Version']] as const) {
    const v = get(code, from);
    if (v) location[to] = v;
  }
  return { [uriKey]: build(location, code.path, code.loc) };
}

function translateFunction(ctx: TranslateContext, raw: RawResource, out: Translation): void {
  const id = raw.logicalId;
  const p = raw.properties;
  const props: Record<string, unknown> = { ...codeSource(ctx, raw, 'Code'), ...passThrough(p, SAME_NAME), Tags: tagMap(get(p, 'Tags')) };
  // Properties neither SAM nor this translation knows go through, for the function checks to name.
  for (const e of p.entries) if (!SAME_NAME.includes(e.key) && !TRANSLATED.includes(e.key)) props[e.key] = e.value;
  const tracing = get(p, 'TracingConfig');
  if (tracing?.kind === 'map') props.Tracing = get(tracing, 'Mode');
  const dlq = get(p, 'DeadLetterConfig');
  const dlqTarget = dlq?.kind === 'map' ? get(dlq, 'TargetArn') : undefined;
  if (dlqTarget) props.DeadLetterQueue = { Type: destinationType(ctx, dlqTarget) === 'SQS' ? 'SQS' : 'SNS', TargetArn: dlqTarget };

  // CDK's currentVersion and the alias on it: SAM's AutoPublishAlias, published when the code or configuration changed.
  const aliases = referrers(ctx, RAW_ALIAS, 'FunctionName', id);
  const versions = referrers(ctx, RAW_VERSION, 'FunctionName', id);
  const published = aliases.find((a) => versions.some((v) => v.logicalId === referenced(get(a.properties, 'FunctionVersion'))?.id) && scalarString(get(a.properties, 'Name')));
  if (published) {
    const version = versions.find((v) => v.logicalId === referenced(get(published.properties, 'FunctionVersion'))?.id)!;
    props.AutoPublishAlias = get(published.properties, 'Name');
    props.VersionDescription = get(version.properties, 'Description');
    props.ProvisionedConcurrencyConfig = get(published.properties, 'ProvisionedConcurrencyConfig') ?? get(version.properties, 'ProvisionedConcurrencyConfig');
    if (get(published.properties, 'RoutingConfig')) {
      ctx.issues.warn(`RoutingConfig has no effect: ${id}'s alias moves to each new version at once (use DeploymentPreference in SAM, or stagecraft promote, for weighted traffic)`, `${published.path}.Properties.RoutingConfig`, published.loc);
    }
    out.dropped.add(published.logicalId);
    out.rewrites.set(published.logicalId, { ref: build({ Ref: `${id}.Alias` }, published.path, published.loc), attributes: { AliasArn: build({ Ref: `${id}.Alias` }, published.path, published.loc) }, dependsOn: id });
  } else if (versions.length) {
    // A version nothing aliases (fn.currentVersion in an output, for CloudFront, …) is published all the same.
    out.publishedVersions.add(id);
    props.VersionDescription = get(versions[0].properties, 'Description');
  }
  for (const v of versions) {
    out.dropped.add(v.logicalId);
    out.rewrites.set(v.logicalId, {
      ref: build({ Ref: `${id}.Version` }, v.path, v.loc),
      attributes: { Version: build({ 'Fn::GetAtt': [id, 'Version.Version'] }, v.path, v.loc), FunctionArn: build({ 'Fn::GetAtt': [id, 'Arn'] }, v.path, v.loc) },
      dependsOn: id,
    });
  }
  const aliasIds = new Set(published ? [published.logicalId] : []);

  const urls = [...ctx.raw.values()].filter((r) => r.type === RAW_URL && [id, ...aliasIds].includes(referenced(get(r.properties, 'TargetFunctionArn'))?.id ?? ''));
  const url = urls[0];
  if (url) {
    // SAM puts the URL on the AutoPublishAlias when there is one (CDK's alias.addFunctionUrl does the same).
    props.FunctionUrlConfig = passThrough(url.properties, ['AuthType', 'Cors', 'InvokeMode']);
    out.dropped.add(url.logicalId);
    out.rewrites.set(url.logicalId, {
      ref: build({ 'Fn::GetAtt': [`${id}Url`, 'FunctionArn'] }, url.path, url.loc),
      attributes: {
        FunctionUrl: build({ 'Fn::GetAtt': [`${id}Url`, 'FunctionUrl'] }, url.path, url.loc),
        FunctionArn: build({ 'Fn::GetAtt': [`${id}Url`, 'FunctionArn'] }, url.path, url.loc),
      },
      dependsOn: id,
    });
  }

  const invokeConfig = [...ctx.raw.values()].find((r) => r.type === RAW_EVENT_INVOKE && [id, ...aliasIds].includes(referenced(get(r.properties, 'FunctionName'))?.id ?? ''));
  if (invokeConfig) {
    props.EventInvokeConfig = eventInvokeConfig(ctx, invokeConfig.properties);
    out.dropped.add(invokeConfig.logicalId);
    out.rewrites.set(invokeConfig.logicalId, { dependsOn: id });
  }
  out.resources.set(id, samResource(raw, FUNCTION_TYPE, props));
}

/** AWS::Lambda::EventInvokeConfig as SAM's EventInvokeConfig (destinations with the Type SAM wants). */
function eventInvokeConfig(ctx: TranslateContext, p: MapNode): Record<string, unknown> {
  const destinations = get(p, 'DestinationConfig');
  const config: Record<string, unknown> = passThrough(p, ['MaximumEventAgeInSeconds', 'MaximumRetryAttempts']);
  if (destinations?.kind === 'map') {
    const d: Record<string, unknown> = {};
    for (const on of ['OnSuccess', 'OnFailure']) {
      const target = get(destinations, on);
      const destination = target?.kind === 'map' ? get(target, 'Destination') : undefined;
      if (destination) d[on] = { Type: destinationType(ctx, destination), Destination: destination };
    }
    config.DestinationConfig = d;
  }
  return config;
}

const DESTINATION_TYPES: [RegExp, string][] = [[/:sqs:|^AWS::SQS::/, 'SQS'], [/:sns:|^AWS::SNS::/, 'SNS'], [/:lambda:|^AWS::Lambda::|^AWS::Serverless::Function$/, 'Lambda'], [/:events:|^AWS::Events::/, 'EventBridge'], [/:s3:|^AWS::S3::/, 'S3Bucket']];

/** A destination's SAM Type, from its ARN or the type of the resource it refers to. */
function destinationType(ctx: TranslateContext, node: TNode): string {
  const ref = referenced(node);
  const text = ref ? ctx.raw.get(ref.id)?.type ?? '' : scalarString(node) ?? '';
  return DESTINATION_TYPES.find(([re]) => re.test(text))?.[1] ?? 'SQS';
}

function translateLayer(ctx: TranslateContext, raw: RawResource, out: Translation): void {
  const props = {
    ...codeSource(ctx, raw, 'Content'),
    ...passThrough(raw.properties, ['LayerName', 'Description', 'CompatibleRuntimes', 'CompatibleArchitectures', 'LicenseInfo']),
  };
  const layer = samResource(raw, LAYER_TYPE, props);
  // CDK retains layer versions (DeletionPolicy Retain); stagecraft deploy keeps them anyway, so no warning about it.
  layer.entries = layer.entries.filter((e) => e.key !== 'DeletionPolicy' && e.key !== 'UpdateReplacePolicy');
  out.resources.set(raw.logicalId, layer);
}
