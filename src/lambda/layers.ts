// Lambda layers: publishing versions of a layer's content, reading, listing and deleting them,
// their resource policies, and the checks a function's `Layers` must pass. Content is a zip
// stored like function code (content-addressed, checked, extracted once).
import type { HandlerTable } from '../aws/protocols/rest-json.js';
import type { Operations, LayerVersionsListItem, GetLayerVersionResponse } from '../aws/generated/lambda.js';
import type { ServiceModel } from '../aws/model.js';
import { loadModel } from '../aws/model.js';
import { formatValue, validateInput, validationMessage } from '../aws/validate.js';
import { awsError, type AwsError } from '../core/errors.js';
import { layerArn, parseLayerArn } from '../core/arn.js';
import { lambdaTimestamp, newRevisionId } from '../core/ids.js';
import type { RequestContext } from '../aws/request-context.js';
import type { LayerKey, LayerVersionRecord, PolicyStatement } from '../store/lambda-store.js';
import type { LambdaDeps } from './deps.js';
import { acceptZip, zipFromRequest } from './code-storage.js';
import type { LayerFacts } from './configuration.js';
import { invalidParameter, retryingLostRaces, revisionMismatch } from './errors.js';
import { principalOf } from './permissions.js';

type H = HandlerTable<Operations>;

/** How many layers a function may reference. */
export const MAX_FUNCTION_LAYERS = 5;

/**
 * The layer version ARN as AWS's front end checks it today: the published model's shape says
 * 140 characters and an older pattern, while AWS answers with this pattern and a 2048 limit.
 */
const LAYER_VERSION_ARN_SHAPE = {
  type: 'string',
  max: 2048,
  min: 1,
  pattern: '(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)',
} as const;

/** The runtimes PublishLayerVersion accepts, in the order AWS lists them in its message. */
const PUBLISH_RUNTIMES = [
  'nodejs20.x', 'python3.14', 'provided.al2023', 'python3.12', 'python3.13', 'nodejs24.x', 'nodejs22.x', 'java25', 'python3.10', 'python3.11',
  'java21', 'ruby3.3', 'ruby3.4', 'ruby3.2', 'python3.8', 'python3.9', 'java17', 'nodejs16.x', 'dotnet10', 'dotnet8', 'java11', 'dotnet6',
  'nodejs18.x', 'provided.al2', 'java8.al2',
];

/** The runtimes ListLayers/ListLayerVersions accept as a filter, in AWS's order. */
const FILTER_RUNTIMES = [
  'ruby3.5', 'ruby2.6', 'dotnetcore1.0', 'python3.7', 'nodejs8.10', 'nasa', 'ruby2.7', 'python2.7-greengrass', 'dotnetcore2.0', 'python3.8',
  'java21', 'dotnet6', 'dotnetcore2.1', 'python3.9', 'java11', 'nodejs6.10', 'provided', 'dotnetcore3.1', 'dotnet8', 'java25', 'java17', 'nodejs',
  'nodejs4.3', 'java8.al2', 'go1.x', 'dotnet10', 'nodejs20.x', 'go1.9', 'byol', 'nodejs10.x', 'provided.al2023', 'nodejs22.x', 'python3.10',
  'java8', 'nodejs12.x', 'python3.11', 'nodejs24.x', 'nodejs8.x', 'python3.12', 'nodejs14.x', 'nodejs8.9', 'nodejs26.x', 'python3.13',
  'python3.14', 'nodejs16.x', 'python3.15', 'provided.al2', 'nodejs4.3-edge', 'nodejs18.x', 'ruby3.2', 'python3.4', 'ruby3.3', 'ruby3.4',
  'ruby2.5', 'python3.6', 'python2.7',
];

/** Lambda's model with the layer constraints AWS enforces in place of the published ones. */
export function withLayerConstraints(model: ServiceModel): ServiceModel {
  return { ...model, shapes: { ...model.shapes, LayerVersionArn: { ...model.shapes.LayerVersionArn, ...LAYER_VERSION_ARN_SHAPE } } };
}

const notFound = (): AwsError => awsError('ResourceNotFoundException', 'The resource you requested does not exist.');
const versionMissing = (arn: string): AwsError => awsError('ResourceNotFoundException', `Layer version ${arn} does not exist.`);

function checkVersionNumber(version: number): void {
  if (version < 1) throw invalidParameter('Layer Version Cannot be less than 1');
}

/** The layer a LayerName member names (a name or a layer ARN). */
function layerKey(ctx: RequestContext, layerName: string): LayerKey {
  const parsed = parseLayerArn(layerName);
  if (parsed) return { accountId: parsed.accountId, region: parsed.region, name: parsed.name };
  return { accountId: ctx.accountId, region: ctx.region, name: layerName };
}

const arnOfLayer = (key: LayerKey, version?: number): string => layerArn(key.region, key.accountId, key.name, version);

function listItem(v: LayerVersionRecord): LayerVersionsListItem {
  const item: LayerVersionsListItem = { LayerVersionArn: arnOfLayer(v, v.version), Version: v.version, Description: v.description, CreatedDate: v.createdDate };
  if (v.compatibleRuntimes) item.CompatibleRuntimes = v.compatibleRuntimes as LayerVersionsListItem['CompatibleRuntimes'];
  if (v.licenseInfo !== undefined) item.LicenseInfo = v.licenseInfo;
  if (v.compatibleArchitectures) item.CompatibleArchitectures = v.compatibleArchitectures as LayerVersionsListItem['CompatibleArchitectures'];
  return item;
}

function layerVersionOutput(v: LayerVersionRecord, baseUrl: string): GetLayerVersionResponse {
  const { LayerVersionArn, Version, Description, CreatedDate, CompatibleRuntimes, LicenseInfo, CompatibleArchitectures } = listItem(v);
  return {
    Content: { Location: `${baseUrl}/_stagecraft/code/${v.codeHash}.zip`, CodeSha256: v.codeSha256, CodeSize: v.codeSize },
    LayerArn: arnOfLayer(v),
    LayerVersionArn,
    Description,
    CreatedDate,
    Version,
    CompatibleRuntimes,
    LicenseInfo,
    CompatibleArchitectures,
  };
}

/** Whether a version passes ListLayers/ListLayerVersions filters (a version that lists none matches no filter). */
function matches(v: LayerVersionRecord, runtime: string | undefined, architecture: string | undefined): boolean {
  if (runtime !== undefined && !v.compatibleRuntimes?.includes(runtime)) return false;
  if (architecture !== undefined && !v.compatibleArchitectures?.includes(architecture)) return false;
  return true;
}

function checkFilterRuntime(runtime: string | undefined): void {
  if (runtime !== undefined && !FILTER_RUNTIMES.includes(runtime)) {
    throw awsError('ValidationException', validationMessage([`Value '${runtime}' at 'compatibleRuntime' failed to satisfy constraint: Member must satisfy enum value set: [${FILTER_RUNTIMES.join(', ')}]`]));
  }
}

/** One page of `items` from an opaque marker (the index of the first item). */
function page<T>(items: T[], marker: string | undefined, maxItems: number | undefined): { items: T[]; next?: string } {
  const start = marker ? Number(Buffer.from(marker, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid marker.');
  const limit = maxItems ?? 50;
  const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
  return { items: items.slice(start, start + limit), next };
}

/**
 * PublishLayerVersion's checks: the model's, with AWS's own runtime list for CompatibleRuntimes
 * (phrased without the "Member must satisfy constraint" wrapper, as AWS does), in member order.
 */
function validatePublish(model: ServiceModel, input: Operations['PublishLayerVersion']['input']): void {
  const violations = validateInput(model, 'PublishLayerVersionRequest', input, { skipEnumFor: new Set(['Runtime']) });
  const runtimes = input.CompatibleRuntimes;
  if (runtimes?.some((r) => !PUBLISH_RUNTIMES.includes(r))) {
    const violation = `Value '${formatValue(runtimes)}' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: [${PUBLISH_RUNTIMES.join(', ')}]`;
    const after = violations.findIndex((v) => / at '(licenseInfo|compatibleArchitectures)'/.test(v));
    violations.splice(after < 0 ? violations.length : after, 0, violation);
  }
  if (violations.length) throw awsError('ValidationException', validationMessage(violations));
}

/** Operations that check their input themselves (see validatePublish). */
export const SELF_VALIDATING_LAYER_OPERATIONS: ReadonlySet<string> = new Set(['PublishLayerVersion']);

/** Checks a function's Layers as AWS does (count, one version per layer, region, existence) and resolves them. */
export async function resolveFunctionLayers(deps: LambdaDeps, ctx: RequestContext, arns: string[]): Promise<LayerFacts> {
  if (arns.length > MAX_FUNCTION_LAYERS) throw invalidParameter(`Cannot reference more than ${MAX_FUNCTION_LAYERS} layers.`);
  const parsed = arns.map((arn) => ({ arn, layer: parseLayerArn(arn) }));
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const a = parsed[i].layer;
      const b = parsed[j].layer;
      if (a && b && arnOfLayer(a) === arnOfLayer(b)) {
        throw invalidParameter(`Two different versions of the same layer are not allowed to be referenced in the same function. ${parsed[i].arn} and ${parsed[j].arn} are versions of the same layer.`);
      }
    }
  }
  if (parsed.some((p) => p.layer && p.layer.region !== ctx.region)) {
    throw invalidParameter(`Layers are not in the same region as the function. Layers are expected to be in region ${ctx.region}.`);
  }
  const resolved: LayerFacts = { layers: [], hashes: [] };
  for (const { arn, layer } of parsed) {
    const version = layer?.version !== undefined ? await deps.store.getLayerVersion(layer, layer.version) : undefined;
    if (!version) throw invalidParameter(`Layer version ${arn} does not exist.`);
    resolved.layers.push({ Arn: arn, CodeSize: version.codeSize });
    resolved.hashes.push(version.codeHash);
  }
  return resolved;
}

export function layerHandlers(deps: LambdaDeps): H {
  const { store, blobs } = deps;
  const model = withLayerConstraints(loadModel('lambda-2015-03-31'));

  /** The version a permission operation addresses, or AWS's 404 naming it. */
  async function versionForPolicy(ctx: RequestContext, layerName: string, versionNumber: number): Promise<{ key: LayerKey; version: LayerVersionRecord }> {
    checkVersionNumber(versionNumber);
    const key = layerKey(ctx, layerName);
    const version = await store.getLayerVersion(key, versionNumber);
    if (!version) throw versionMissing(arnOfLayer(key, versionNumber));
    return { key, version };
  }

  return {
    async PublishLayerVersion(input, ctx) {
      validatePublish(model, input);
      const key = layerKey(ctx, input.LayerName);
      const code = await acceptZip(blobs, await zipFromRequest(input.Content, deps.s3, ctx.accountId));
      const record = await store.publishLayerVersion(key, (version) => ({
        ...key,
        version,
        description: input.Description ?? '',
        licenseInfo: input.LicenseInfo,
        compatibleRuntimes: input.CompatibleRuntimes,
        compatibleArchitectures: input.CompatibleArchitectures,
        codeHash: code.hash,
        codeSha256: code.sha256Base64,
        codeSize: code.size,
        createdDate: lambdaTimestamp(),
      }));
      return layerVersionOutput(record, ctx.baseUrl);
    },

    async GetLayerVersion(input, ctx) {
      checkVersionNumber(input.VersionNumber);
      const version = await store.getLayerVersion(layerKey(ctx, input.LayerName), input.VersionNumber);
      if (!version) throw notFound();
      return layerVersionOutput(version, ctx.baseUrl);
    },

    async GetLayerVersionByArn(input, ctx) {
      const parsed = parseLayerArn(input.Arn);
      const version = parsed?.version !== undefined ? await store.getLayerVersion(parsed, parsed.version) : undefined;
      if (!version) throw notFound();
      return layerVersionOutput(version, ctx.baseUrl);
    },

    async ListLayerVersions(input, ctx) {
      checkFilterRuntime(input.CompatibleRuntime);
      const versions = (await store.listLayerVersions(layerKey(ctx, input.LayerName))).filter((v) => matches(v, input.CompatibleRuntime, input.CompatibleArchitecture));
      const { items, next } = page(versions, input.Marker, input.MaxItems);
      return { LayerVersions: items.map(listItem), NextMarker: next };
    },

    async ListLayers(input, ctx) {
      checkFilterRuntime(input.CompatibleRuntime);
      const latest = new Map<string, LayerVersionRecord>();
      for (const v of await store.listAllLayerVersions(ctx.accountId, ctx.region)) {
        if (!latest.has(v.name) && matches(v, input.CompatibleRuntime, input.CompatibleArchitecture)) latest.set(v.name, v);
      }
      const { items, next } = page([...latest.values()], input.Marker, input.MaxItems);
      return { Layers: items.map((v) => ({ LayerName: v.name, LayerArn: arnOfLayer(v), LatestMatchingVersion: listItem(v) })), NextMarker: next };
    },

    async DeleteLayerVersion(input, ctx) {
      checkVersionNumber(input.VersionNumber);
      // Functions that use it keep its content (their configurations hold its blob key), as on AWS.
      await store.deleteLayerVersion(layerKey(ctx, input.LayerName), input.VersionNumber);
    },

    async AddLayerVersionPermission(input, ctx) {
      // Without the caller's RevisionId, a policy changed in between (on any node) is read again.
      return retryingLostRaces(input.RevisionId, async () => {
        const { key, version } = await versionForPolicy(ctx, input.LayerName, input.VersionNumber);
        const statement: PolicyStatement = {
          Sid: input.StatementId,
          Effect: 'Allow',
          Principal: principalOf(input.Principal),
          Action: input.Action,
          Resource: arnOfLayer(key, version.version),
        };
        if (input.OrganizationId) statement.Condition = { StringEquals: { 'aws:PrincipalOrgID': input.OrganizationId } };
        const current = version.policy;
        if (input.RevisionId !== undefined && input.RevisionId !== current?.revisionId) throw revisionMismatch('GetLayerPolicy');
        if (current?.statements.some((s) => s.Sid === input.StatementId)) {
          throw awsError('ResourceConflictException', `The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
        }
        const revisionId = newRevisionId();
        const result = await store.putLayerVersionPolicy(key, version.version, current?.revisionId, { statements: [...(current?.statements ?? []), statement], revisionId });
        if (result === 'not-found') throw versionMissing(arnOfLayer(key, version.version));
        if (result !== 'ok') throw revisionMismatch('GetLayerPolicy');
        return { Statement: JSON.stringify(statement), RevisionId: revisionId };
      });
    },

    async GetLayerVersionPolicy(input, ctx) {
      const { version } = await versionForPolicy(ctx, input.LayerName, input.VersionNumber);
      const policy = version.policy;
      if (!policy) throw awsError('ResourceNotFoundException', 'No policy is associated with the given resource.');
      return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements }), RevisionId: policy.revisionId };
    },

    async RemoveLayerVersionPermission(input, ctx) {
      // Without the caller's RevisionId, a policy changed in between (on any node) is read again.
      return retryingLostRaces(input.RevisionId, async () => {
        const { key, version } = await versionForPolicy(ctx, input.LayerName, input.VersionNumber);
        const current = version.policy;
        if (input.RevisionId !== undefined && input.RevisionId !== current?.revisionId) throw revisionMismatch('GetLayerPolicy');
        const remaining = current?.statements.filter((s) => s.Sid !== input.StatementId) ?? [];
        if (!current || remaining.length === current.statements.length) throw awsError('ResourceNotFoundException', `Statement ${input.StatementId} is not found in resource policy.`);
        const result = await store.putLayerVersionPolicy(key, version.version, current.revisionId, { statements: remaining, revisionId: newRevisionId() });
        if (result === 'not-found') throw versionMissing(arnOfLayer(key, version.version));
        if (result !== 'ok') throw revisionMismatch('GetLayerPolicy');
      });
    },
  };
}
