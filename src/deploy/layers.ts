// Deploying one AWS::Serverless::LayerVersion: publish a version when the layer has none yet, or
// when the content (CodeSha256) or settings differ from its newest version; otherwise the newest
// version stands. Versions are never deleted (RetentionPolicy Retain, SAM's default). The version
// deployed is marked as the stack's (layer-ownership.ts) so `stagecraft delete` can find it.
import {
  GetLayerVersionCommand, ListLayerVersionsCommand, PublishLayerVersionCommand,
  type Architecture, type GetLayerVersionCommandOutput, type LambdaClient, type Runtime,
} from '@aws-sdk/client-lambda';
import type { FunctionContext } from './functions.js';
import type { LayerSpec } from './layer-spec.js';
import { codeOf, shortSha, type CodePackage } from './package.js';
import { markLayerVersion } from './layer-ownership.js';

export interface DeployedLayer {
  spec: LayerSpec;
  /** The version ARN functions use (`!Ref` of the LayerVersion). */
  arn: string;
  version: number;
}

/** What differs between a published version and the spec, as `Field old → new` texts. */
export function layerVersionDiff(actual: GetLayerVersionCommandOutput, spec: LayerSpec, pkg: CodePackage): string[] {
  const diffs: string[] = [];
  const cmp = (field: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) diffs.push(`${field} ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
  };
  const sorted = (l: string[] | undefined) => [...(l ?? [])].sort();
  if (actual.Content?.CodeSha256 !== pkg.sha256) diffs.push(`content (sha256 ${shortSha(actual.Content?.CodeSha256)} → ${shortSha(pkg.sha256)}, from ${spec.code.display})`);
  cmp('Description', actual.Description ?? '', spec.description);
  cmp('LicenseInfo', actual.LicenseInfo, spec.licenseInfo);
  cmp('CompatibleRuntimes', sorted(actual.CompatibleRuntimes), sorted(spec.compatibleRuntimes));
  cmp('CompatibleArchitectures', sorted(actual.CompatibleArchitectures), sorted(spec.compatibleArchitectures));
  return diffs;
}

export async function deployLayer(ctx: FunctionContext, spec: LayerSpec, pkg: CodePackage): Promise<DeployedLayer> {
  const { lambda, progress } = ctx;
  const id = spec.logicalId;
  const name = spec.name;
  const newest = await ctx.step(id, `listing versions of layer ${name}`, () => newestLayerVersion(lambda, name));
  let diff: string[] = [];
  if (newest) {
    const actual = await ctx.step(id, `reading version ${newest} of layer ${name}`, () => lambda.send(new GetLayerVersionCommand({ LayerName: name, VersionNumber: newest })));
    diff = layerVersionDiff(actual, spec, pkg);
    if (!diff.length) {
      progress.report({ subject: id, kind: 'unchanged', message: `layer ${name} version ${newest} (content sha256 ${shortSha(pkg.sha256)})` });
      await ctx.step(id, `marking version ${newest} of layer ${name} as stack ${ctx.stackName}'s`, () => markLayerVersion(lambda, name, newest, ctx.stackName, ctx.accountId));
      return { spec, arn: actual.LayerVersionArn!, version: newest };
    }
  }
  const published = await ctx.step(id, `publishing a version of layer ${name}`, () => lambda.send(new PublishLayerVersionCommand({
    LayerName: name,
    Content: codeOf(pkg),
    Description: spec.description,
    LicenseInfo: spec.licenseInfo,
    CompatibleRuntimes: spec.compatibleRuntimes as Runtime[] | undefined,
    CompatibleArchitectures: spec.compatibleArchitectures as Architecture[] | undefined,
  })));
  const version = published.Version!;
  await ctx.step(id, `marking version ${version} of layer ${name} as stack ${ctx.stackName}'s`, () => markLayerVersion(lambda, name, version, ctx.stackName, ctx.accountId));
  const what = newest ? `changed since version ${newest}: ${diff.join(', ')}` : `${pkg.files} file${pkg.files === 1 ? '' : 's'} from ${spec.code.display}`;
  progress.report({ subject: id, kind: 'published', message: `layer ${name} version ${version} (${what})` });
  return { spec, arn: published.LayerVersionArn!, version };
}

/** The newest version number of a layer (ListLayerVersions lists newest first), or undefined when it has none. */
async function newestLayerVersion(lambda: LambdaClient, name: string): Promise<number | undefined> {
  let marker: string | undefined;
  let newest: number | undefined;
  do {
    const page = await lambda.send(new ListLayerVersionsCommand({ LayerName: name, Marker: marker }));
    for (const v of page.LayerVersions ?? []) if (v.Version !== undefined && (newest === undefined || v.Version > newest)) newest = v.Version;
    marker = page.NextMarker;
  } while (marker);
  return newest;
}
