// The template's sections as typed, located parts: parameters, mappings, conditions, globals,
// resources and outputs. Checks the shape of each section; what the properties mean is checked
// later (property-checks.ts, function-spec.ts, api-spec.ts) once parameters and conditions are known.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Issues, didYouMean } from './issues.js';
import type { Location } from './issues.js';
import { get, parseTemplateText, type MapNode, type TNode } from './source.js';
import {
  GLOBALS_SECTIONS, OUTPUT_ATTRIBUTES, PARAMETER_ATTRIBUTES, PARAMETER_TYPES, RESOURCE_ATTRIBUTES, SAM_TRANSFORM,
  TOP_LEVEL, UNSUPPORTED_GLOBALS,
} from './spec.js';
import { resourceTypeVerdict } from './other-resources.js';
import { fromCdk } from './cdk-template.js';

export interface ParameterDef {
  name: string;
  type: string;
  node: MapNode;
  loc: Location;
  path: string;
}

export interface ResourceDef {
  logicalId: string;
  type: string;
  properties: MapNode | undefined;
  condition?: string;
  /** DependsOn: logical IDs deployed before this one. */
  dependsOn: string[];
  /** DeletionPolicy: what happens to the resource once the template no longer has it (stack-prune.ts). */
  deletionPolicy?: string;
  loc: Location;
  path: string;
}

export interface OutputDef {
  name: string;
  value: TNode;
  description?: TNode;
  condition?: string;
  /** Export: Name: what other stacks' Fn::ImportValue call the value. */
  exportName?: TNode;
  loc: Location;
  path: string;
}

export interface Template {
  /** Path as given (used in messages). */
  file: string;
  /** Directory relative paths (CodeUri) resolve from. */
  dir: string;
  description?: string;
  parameters: ParameterDef[];
  mappings?: MapNode;
  conditions: Map<string, TNode>;
  globals: { Function?: MapNode; Api?: MapNode; HttpApi?: MapNode; LayerVersion?: MapNode };
  resources: ResourceDef[];
  outputs: OutputDef[];
  /** Functions of a `cdk synth` template whose AWS::Lambda::Version no alias points at: a version is published all the same. */
  publishedVersions: Set<string>;
}

const LOGICAL_ID = /^[A-Za-z0-9]+$/;
const DELETION_POLICIES = ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'];
/** Types deploy makes whose DeletionPolicy Retain it does not honour (functions' and APIs' it does; layer versions are always kept). */
const UNRETAINED_TYPES = [
  'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm', 'AWS::CloudWatch::Dashboard', 'AWS::Logs::MetricFilter', 'AWS::Logs::SubscriptionFilter',
  'AWS::ApiGateway::UsagePlan', 'AWS::ApiGateway::ApiKey', 'AWS::ApiGateway::UsagePlanKey', 'AWS::Lambda::Permission',
];

/** Whether a DeletionPolicy keeps the resource once the template drops it (RetainExceptOnCreate too: a drop is no failed create). */
export const retains = (policy: string | undefined): boolean => policy === 'Retain' || policy === 'RetainExceptOnCreate';

export function readTemplate(file: string, issues: Issues): Template | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    issues.error(err.code === 'ENOENT' ? `template file ${file} does not exist` : `cannot read ${file}: ${err.message}`);
    return undefined;
  }
  return parseTemplate(text, file, issues);
}

export function parseTemplate(text: string, file: string, issues: Issues): Template | undefined {
  const parsed = parseTemplateText(text, file, issues);
  if (!parsed) return undefined;
  if (parsed.kind !== 'map') {
    issues.error('a template is a map of sections (Resources, Parameters, …)', '', parsed.loc);
    return undefined;
  }
  // `cdk synth` output: its raw Lambda and API Gateway resources read as the SAM ones they stand for.
  const { root, publishedVersions } = fromCdk(parsed, issues);
  const template: Template = { file, dir: dirname(resolve(file)), parameters: [], conditions: new Map(), globals: {}, resources: [], outputs: [], publishedVersions };

  for (const e of root.entries) {
    if (TOP_LEVEL.supported.includes(e.key)) continue;
    if (TOP_LEVEL.unsupported.includes(e.key)) issues.error(`the ${e.key} section is not supported by stagecraft deploy`, e.key, e.keyLoc);
    else issues.error(`unknown template section '${e.key}'${didYouMean(e.key, TOP_LEVEL.supported)}`, e.key, e.keyLoc);
  }

  checkTransform(get(root, 'Transform'), issues);
  const description = get(root, 'Description');
  if (description?.kind === 'scalar' && typeof description.value === 'string') template.description = description.value;

  const parameters = mapSection(root, 'Parameters', issues);
  for (const e of parameters?.entries ?? []) {
    const path = `Parameters.${e.key}`;
    if (!LOGICAL_ID.test(e.key)) issues.error(`parameter names are alphanumeric, got '${e.key}'`, path, e.keyLoc);
    if (e.value.kind !== 'map') {
      issues.error('a parameter is a map with at least Type', path, e.value.loc);
      continue;
    }
    for (const a of e.value.entries) {
      if (!PARAMETER_ATTRIBUTES.includes(a.key)) issues.error(`unknown parameter attribute '${a.key}'${didYouMean(a.key, PARAMETER_ATTRIBUTES)}`, `${path}.${a.key}`, a.keyLoc);
    }
    const type = get(e.value, 'Type');
    if (!type || type.kind !== 'scalar' || typeof type.value !== 'string') {
      issues.error('parameter needs a Type (String, Number, List<Number> or CommaDelimitedList)', path, e.keyLoc);
      continue;
    }
    if (!PARAMETER_TYPES.includes(type.value)) {
      issues.error(`parameter type ${type.value} is not supported; use ${PARAMETER_TYPES.join(', ')}`, `${path}.Type`, type.loc);
      continue;
    }
    template.parameters.push({ name: e.key, type: type.value, node: e.value, loc: e.keyLoc, path });
  }

  const mappings = mapSection(root, 'Mappings', issues);
  if (mappings) template.mappings = mappings;

  const conditions = mapSection(root, 'Conditions', issues);
  for (const e of conditions?.entries ?? []) template.conditions.set(e.key, e.value);

  const globals = mapSection(root, 'Globals', issues);
  for (const e of globals?.entries ?? []) {
    const path = `Globals.${e.key}`;
    const section = GLOBALS_SECTIONS[e.key];
    if (e.key === 'SimpleTable') {
      // Its only setting is SSESpecification: Stagecraft's tables are not encrypted at rest.
      issues.warn('Globals.SimpleTable has no effect: its SSESpecification is ignored (Stagecraft\'s DynamoDB does not encrypt tables at rest)', path, e.keyLoc);
      continue;
    }
    if (!section) {
      if (UNSUPPORTED_GLOBALS.includes(e.key)) issues.error(`Globals.${e.key} is not supported: stagecraft deploy handles ${Object.keys(GLOBALS_SECTIONS).join(', ')}`, path, e.keyLoc);
      else issues.error(`unknown Globals section '${e.key}'${didYouMean(e.key, Object.keys(GLOBALS_SECTIONS))}`, path, e.keyLoc);
      continue;
    }
    if (e.value.kind !== 'map') {
      issues.error(`Globals.${e.key} must be a map of properties`, path, e.value.loc);
      continue;
    }
    for (const p of e.value.entries) {
      if (!section.allowed.includes(p.key)) issues.error(`${p.key} can't be set in Globals.${e.key}${didYouMean(p.key, section.allowed)}`, `${path}.${p.key}`, p.keyLoc);
    }
    template.globals[e.key as keyof Template['globals']] = e.value;
  }

  const resources = mapSection(root, 'Resources', issues);
  if (!resources || resources.entries.length === 0) issues.error('the template has no Resources', 'Resources', resources?.loc ?? root.loc);
  for (const e of resources?.entries ?? []) {
    const path = `Resources.${e.key}`;
    if (!LOGICAL_ID.test(e.key)) issues.error(`logical IDs are alphanumeric, got '${e.key}'`, path, e.keyLoc);
    if (e.value.kind !== 'map') {
      issues.error('a resource is a map with Type and Properties', path, e.value.loc);
      continue;
    }
    const typeNode = get(e.value, 'Type');
    // A resource that is skipped whole (other-resources.ts) has no use for DeletionPolicy, CreationPolicy & co either.
    const skippedWhole = typeNode?.kind === 'scalar' && typeof typeNode.value === 'string' && resourceTypeVerdict(typeNode.value).kind === 'skip';
    for (const a of e.value.entries) {
      if (RESOURCE_ATTRIBUTES.supported.includes(a.key)) continue;
      if (skippedWhole && (a.key in RESOURCE_ATTRIBUTES.ignored || RESOURCE_ATTRIBUTES.unsupported.includes(a.key))) continue;
      const apath = `${path}.${a.key}`;
      if (a.key in RESOURCE_ATTRIBUTES.ignored) issues.warn(`${a.key} has no effect: ${RESOURCE_ATTRIBUTES.ignored[a.key]}`, apath, a.keyLoc);
      else if (RESOURCE_ATTRIBUTES.unsupported.includes(a.key)) issues.error(`resource attribute ${a.key} is not supported`, apath, a.keyLoc);
      else issues.error(`unknown resource attribute '${a.key}'${didYouMean(a.key, RESOURCE_ATTRIBUTES.supported)}`, apath, a.keyLoc);
    }
    const type = get(e.value, 'Type');
    if (!type || type.kind !== 'scalar' || typeof type.value !== 'string') {
      issues.error('resource needs a Type', path, e.keyLoc);
      continue;
    }
    // Other services' types are kept: the stack model skips them with a warning (or, --strict, an error).
    const verdict = resourceTypeVerdict(type.value);
    if (verdict.kind === 'refuse') {
      issues.error(verdict.message, `${path}.Type`, type.loc);
      continue;
    }
    const properties = get(e.value, 'Properties');
    if (properties && properties.kind !== 'map') {
      issues.error('Properties must be a map', `${path}.Properties`, properties.loc);
      continue;
    }
    const condition = get(e.value, 'Condition');
    const def: ResourceDef = { logicalId: e.key, type: type.value, properties: properties as MapNode | undefined, dependsOn: [], loc: e.keyLoc, path };
    const deletionPolicy = get(e.value, 'DeletionPolicy');
    if (deletionPolicy) {
      const v = deletionPolicy.kind === 'scalar' ? deletionPolicy.value : undefined;
      if (typeof v !== 'string' || !DELETION_POLICIES.includes(v)) issues.error(`DeletionPolicy must be one of ${DELETION_POLICIES.join(', ')}`, `${path}.DeletionPolicy`, deletionPolicy.loc);
      else {
        def.deletionPolicy = v;
        if (retains(v) && UNRETAINED_TYPES.includes(type.value)) issues.warn(`DeletionPolicy ${v} has no effect on ${type.value}: removed from the template, it is deleted`, `${path}.DeletionPolicy`, deletionPolicy.loc);
      }
    }
    const dependsOn = get(e.value, 'DependsOn');
    if (dependsOn) {
      const items = dependsOn.kind === 'seq' ? dependsOn.items : [dependsOn];
      for (const d of items) {
        if (d.kind === 'scalar' && typeof d.value === 'string') def.dependsOn.push(d.value);
        else issues.error('DependsOn names a resource or a list of resources', `${path}.DependsOn`, d.loc);
      }
    }
    if (condition) {
      if (condition.kind !== 'scalar' || typeof condition.value !== 'string') issues.error('Condition must name a condition', `${path}.Condition`, condition.loc);
      else if (!template.conditions.has(condition.value)) issues.error(`condition '${condition.value}' is not defined in Conditions${didYouMean(condition.value, template.conditions.keys())}`, `${path}.Condition`, condition.loc);
      else def.condition = condition.value;
    }
    template.resources.push(def);
  }

  const outputs = mapSection(root, 'Outputs', issues);
  for (const e of outputs?.entries ?? []) {
    const path = `Outputs.${e.key}`;
    if (e.value.kind !== 'map') {
      issues.error('an output is a map with Value', path, e.value.loc);
      continue;
    }
    for (const a of e.value.entries) {
      if (OUTPUT_ATTRIBUTES.supported.includes(a.key)) continue;
      if (a.key in OUTPUT_ATTRIBUTES.ignored) issues.warn(`${a.key} has no effect: ${OUTPUT_ATTRIBUTES.ignored[a.key]}`, `${path}.${a.key}`, a.keyLoc);
      else issues.error(`unknown output attribute '${a.key}'${didYouMean(a.key, OUTPUT_ATTRIBUTES.supported)}`, `${path}.${a.key}`, a.keyLoc);
    }
    const value = get(e.value, 'Value');
    if (!value) {
      issues.error('output needs a Value', path, e.keyLoc);
      continue;
    }
    const condition = get(e.value, 'Condition');
    const def: OutputDef = { name: e.key, value, description: get(e.value, 'Description'), loc: e.keyLoc, path };
    const exported = get(e.value, 'Export');
    if (exported) {
      const name = exported.kind === 'map' ? get(exported, 'Name') : undefined;
      if (!name) issues.error('Export is a map with the export\'s Name', `${path}.Export`, exported.loc);
      else def.exportName = name;
    }
    if (condition?.kind === 'scalar' && typeof condition.value === 'string') {
      if (!template.conditions.has(condition.value)) issues.error(`condition '${condition.value}' is not defined in Conditions`, `${path}.Condition`, condition.loc);
      else def.condition = condition.value;
    }
    template.outputs.push(def);
  }
  return template;
}

function mapSection(root: MapNode, name: string, issues: Issues): MapNode | undefined {
  const node = get(root, name);
  if (!node) return undefined;
  if (node.kind === 'scalar' && node.value === null) return undefined;
  if (node.kind !== 'map') {
    issues.error(`${name} must be a map`, name, node.loc);
    return undefined;
  }
  return node;
}

function checkTransform(node: TNode | undefined, issues: Issues): void {
  if (!node) return;
  const names = node.kind === 'seq' ? node.items : [node];
  for (const n of names) {
    if (n.kind !== 'scalar' || typeof n.value !== 'string') {
      issues.error('Transform names a macro such as AWS::Serverless-2016-10-31', n.path || 'Transform', n.loc);
    } else if (n.value !== SAM_TRANSFORM) {
      issues.error(`transform ${n.value} is not supported; stagecraft deploy understands ${SAM_TRANSFORM}`, n.path || 'Transform', n.loc);
    }
  }
}
