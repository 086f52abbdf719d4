// SAM layers as the deploy reads them: an AWS::Serverless::LayerVersion (its name, where its content
// comes from, and the settings PublishLayerVersion takes), and a function's Layers, the layer version
// ARNs it runs with. As in SAM, `!Ref` of a LayerVersion is the ARN of the version deployed.
import { parseLayerArn } from '../core/arn.js';
import { localCodeSource, type CodeSource } from './function-spec.js';
import { didYouMean, TemplateError, type Location } from './issues.js';
import { evaluate, intrinsicName, NO_VALUE, referencedNames, type Scope, type Value } from './intrinsics.js';
import { propertyReader } from './property-reader.js';
import { entry, type TNode } from './source.js';
import { LAMBDA_RUNTIMES, LAYER_TYPE } from './spec.js';
import { PLACEHOLDER, type ActiveResource, type StackModel } from './stack-model.js';

/** How many layers a function may use (Lambda's limit). */
export const MAX_LAYERS = 5;
const ARCHITECTURES = ['x86_64', 'arm64'];
const RETENTION_POLICIES = ['Retain', 'Delete'] as const;

export interface LayerSpec {
  logicalId: string;
  loc: Location;
  /** LayerName, or the logical ID (as SAM names layers). */
  name: string;
  code: CodeSource;
  description: string;
  licenseInfo?: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  /** What happens to a version a newer one replaces: SAM's default is Retain. */
  retentionPolicy: (typeof RETENTION_POLICIES)[number];
}

/** A LayerVersion's settings, checked as SAM and PublishLayerVersion check them; throws a located TemplateError. */
export function layerSpec(model: StackModel, r: ActiveResource, scope: Scope): LayerSpec {
  const id = r.def.logicalId;
  const { fail, value, str } = propertyReader(r, scope);

  const name = str('LayerName') ?? id;
  if (!PLACEHOLDER.test(name) && !/^[a-zA-Z0-9-_]{1,140}$/.test(name)) {
    fail('LayerName', `layer name '${name}' must be 1 to 140 letters, digits, hyphens or underscores`);
  }
  const content = entry(r.properties, 'ContentUri');
  if (!content) fail('ContentUri', `${id} needs ContentUri, the directory or .zip file of the layer's content`);
  const code = localCodeSource(model.template.dir, content!, scope);

  const list = (key: string, allowed: string[], max: number, what: string): string[] | undefined => {
    const v = value(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(key, `${key} is a list of ${what}`);
    const items = v as string[];
    if (items.length > max) fail(key, `${key} lists at most ${max} ${what}, got ${items.length}`);
    for (const x of items) {
      if (!allowed.includes(x)) fail(key, `'${x}' is not one of the ${what}${didYouMean(x, allowed)}; use ${allowed.join(', ')}`);
    }
    return items;
  };
  const compatibleRuntimes = list('CompatibleRuntimes', LAMBDA_RUNTIMES, 15, 'Lambda runtimes');
  const compatibleArchitectures = list('CompatibleArchitectures', ARCHITECTURES, 2, 'architectures');

  const description = str('Description') ?? '';
  if (description.length > 256) fail('Description', 'Description is at most 256 characters');
  const licenseInfo = str('LicenseInfo');
  if (licenseInfo !== undefined && licenseInfo.length > 512) fail('LicenseInfo', 'LicenseInfo is at most 512 characters');

  // SAM compares RetentionPolicy without regard to case and makes it the version's DeletionPolicy (Retain unless told otherwise).
  const retention = str('RetentionPolicy');
  const retentionPolicy = retention === undefined ? 'Retain' : RETENTION_POLICIES.find((p) => p.toLowerCase() === retention.toLowerCase());
  if (!retentionPolicy) fail('RetentionPolicy', `RetentionPolicy must be Retain or Delete, got '${retention}'`);
  const publish = value('PublishLambdaVersion');
  if (publish !== undefined && typeof publish !== 'boolean') fail('PublishLambdaVersion', 'PublishLambdaVersion is true or false');

  return { logicalId: id, loc: r.def.loc, name, code, description, licenseInfo, compatibleRuntimes, compatibleArchitectures, retentionPolicy: retentionPolicy! };
}

/** A function's Layers (Globals.Function.Layers concatenated first): layer version ARNs, checked. */
export function functionLayers(model: StackModel, r: ActiveResource, scope: Scope): string[] {
  const e = entry(r.properties, 'Layers');
  if (!e) return [];
  const node = e.value;
  const fail = (message: string, at: TNode = node): never => {
    throw new TemplateError(message, at.path, at.loc);
  };
  const items = node.kind === 'seq' ? node.items : [];
  // A Ref (or GetAtt) of another kind of resource gives a name, an ID or a function ARN, not a layer version ARN: say what it refers to.
  for (const item of items) {
    const fn = intrinsicName(item);
    const [name] = fn === 'Ref' || fn === 'Fn::GetAtt' ? referencedNames(item) : [];
    const ref = name === undefined ? undefined : model.byId.get(name);
    if (ref && ref.def.type !== LAYER_TYPE) {
      fail(`Layers lists layer version ARNs, but ${ref.def.logicalId} is an ${ref.def.type}: !Ref an ${LAYER_TYPE} or give a layer version ARN`, item);
    }
  }
  const v = evaluate(node, scope);
  if (v === NO_VALUE || v === null) return [];
  if (!Array.isArray(v)) return fail('Layers is a list of layer version ARNs (for example !Ref MyLayer)');
  // Items that evaluate to AWS::NoValue drop out, so an item's node is known only when none did.
  const at = (i: number): TNode => (items.length === v.length ? items[i] : node);
  const arns: string[] = [];
  const layers = new Map<string, number>();
  v.forEach((x: Value, i) => {
    if (typeof x !== 'string') fail('a layer is given by its version ARN, a string', at(i));
    const arn = x as string;
    if (!PLACEHOLDER.test(arn)) {
      const parsed = parseLayerArn(arn);
      if (parsed?.version === undefined) fail(`'${arn}' is not a layer version ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>)`, at(i));
    }
    const layer = PLACEHOLDER.test(arn) ? arn : arn.slice(0, arn.lastIndexOf(':'));
    const first = layers.get(layer);
    if (first !== undefined) fail(`Layers lists ${PLACEHOLDER.test(arn) ? arn : `layer ${layer}`} twice (items ${first + 1} and ${i + 1}); a function uses one version of each layer`, at(i));
    layers.set(layer, i);
    arns.push(arn);
  });
  if (arns.length > MAX_LAYERS) {
    const globals = model.template.globals.Function && entry(model.template.globals.Function, 'Layers') ? ' (Globals.Function.Layers and its own, concatenated)' : '';
    fail(`a function uses at most ${MAX_LAYERS} layers; ${r.def.logicalId} lists ${arns.length}${globals}`);
  }
  return arns;
}
