// A template as CloudFormation's API sees it before anything runs: the parsed document, its
// declared parameters and transforms, the capabilities it needs, what a change set would change,
// and the refusals CloudFormation (or SAM's transform) gives before creating anything.
import { awsError } from '../core/errors.js';
import { Issues, formatIssue } from '../deploy/issues.js';
import { parseTemplateText, toPlain } from '../deploy/source.js';

type Plain = Record<string, unknown>;

export interface TemplateDocument {
  text: string;
  description?: string;
  parameters: Map<string, Plain>;
  resources: Map<string, { Type: string; Properties?: Plain }>;
  /** Logical IDs whose DeletionPolicy keeps them once a template drops them (Retain, RetainExceptOnCreate). */
  retained: Set<string>;
  transforms: string[];
  globals: Plain;
}

const isMap = (v: unknown): v is Plain => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Parses YAML or JSON; a document that doesn't parse, or has no Resources, is CloudFormation's "Template format error". */
export function parseDocument(text: string): TemplateDocument {
  const issues = new Issues();
  const root = parseTemplateText(text, 'template', issues);
  const plain = root === undefined ? undefined : toPlain(root);
  if (!isMap(plain)) {
    const first = issues.list[0];
    throw awsError('ValidationError', `Template format error: ${first ? formatIssue(first) : 'unsupported structure.'}`);
  }
  const resourcesNode = plain.Resources;
  if (!isMap(resourcesNode) || !Object.keys(resourcesNode).length) throw awsError('ValidationError', 'Template format error: At least one Resources member must be defined.');
  const resources = new Map<string, { Type: string; Properties?: Plain }>();
  const retained = new Set<string>();
  for (const [id, r] of Object.entries(resourcesNode)) {
    if (!isMap(r) || typeof r.Type !== 'string') throw awsError('ValidationError', `Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`);
    resources.set(id, { Type: r.Type, Properties: isMap(r.Properties) ? r.Properties : undefined });
    if (r.DeletionPolicy === 'Retain' || r.DeletionPolicy === 'RetainExceptOnCreate') retained.add(id);
  }
  const transform = plain.Transform;
  const transforms = typeof transform === 'string' ? [transform] : Array.isArray(transform) ? transform.filter((t): t is string => typeof t === 'string') : [];
  return {
    text,
    description: typeof plain.Description === 'string' ? plain.Description : undefined,
    parameters: new Map(Object.entries(isMap(plain.Parameters) ? plain.Parameters : {}).map(([k, v]) => [k, isMap(v) ? v : {}])),
    resources,
    retained,
    transforms,
    globals: isMap(plain.Globals) ? plain.Globals : {},
  };
}

export interface CapabilityNeed {
  capability: 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | 'CAPABILITY_AUTO_EXPAND';
  reason: string;
}

const SAM_FUNCTION = 'AWS::Serverless::Function';

/**
 * The IAM capability the template needs, as CloudFormation works it out: IAM resources (and the
 * execution role SAM's transform generates for a function without Role) need CAPABILITY_IAM,
 * CAPABILITY_NAMED_IAM when one has a custom name. Stagecraft itself skips IAM resources.
 */
export function iamCapability(doc: TemplateDocument): CapabilityNeed | undefined {
  const iam: string[] = [];
  let named = false;
  const globalRole = isMap(doc.globals.Function) && doc.globals.Function.Role !== undefined;
  for (const [id, r] of doc.resources) {
    if (r.Type.startsWith('AWS::IAM::')) {
      iam.push(id);
      if (['RoleName', 'UserName', 'GroupName', 'ManagedPolicyName', 'InstanceProfileName'].some((p) => r.Properties?.[p] !== undefined)) named = true;
    } else if (r.Type === SAM_FUNCTION && r.Properties?.Role === undefined && !globalRole) {
      iam.push(`${id}Role`);
    }
  }
  if (!iam.length) return undefined;
  return {
    capability: named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM',
    reason: `The following resource(s) require capabilities: [${[...new Set(iam.map((id) => doc.resources.get(id)?.Type ?? 'AWS::IAM::Role'))].join(', ')}]`,
  };
}

/** CreateStack/UpdateStack (not change sets) run macros and transforms only with CAPABILITY_AUTO_EXPAND. */
export function checkCapabilities(doc: TemplateDocument, given: readonly string[], changeSet: boolean): void {
  const need = iamCapability(doc);
  if (need && !given.includes(need.capability) && !(need.capability === 'CAPABILITY_IAM' && given.includes('CAPABILITY_NAMED_IAM'))) {
    throw awsError('InsufficientCapabilitiesException', `Requires capabilities : [${need.capability}]`);
  }
  if (!changeSet && doc.transforms.length && !given.includes('CAPABILITY_AUTO_EXPAND')) {
    throw awsError('InsufficientCapabilitiesException', 'Requires capabilities : [CAPABILITY_AUTO_EXPAND]');
  }
}

/**
 * Code the server can reach: inline code or S3. A local path (what `sam deploy` and `aws
 * cloudformation package` upload first) is refused as SAM's transform refuses it.
 */
export function checkCodeLocations(doc: TemplateDocument): void {
  const globalCode = isMap(doc.globals.Function) ? doc.globals.Function.CodeUri : undefined;
  const invalid: string[] = [];
  for (const [id, r] of doc.resources) {
    if (r.Type === SAM_FUNCTION) {
      const uri = r.Properties?.CodeUri ?? (r.Properties?.InlineCode === undefined ? globalCode : undefined);
      if (typeof uri === 'string' && !/^s3:\/\/[^/]+\/./.test(uri)) {
        invalid.push(`Resource with id [${id}] is invalid. 'CodeUri' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter.`);
      }
    } else if (r.Type === 'AWS::Serverless::LayerVersion' && typeof r.Properties?.ContentUri === 'string' && !/^s3:\/\/[^/]+\/./.test(r.Properties.ContentUri)) {
      invalid.push(`Resource with id [${id}] is invalid. 'ContentUri' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter.`);
    }
  }
  if (invalid.length) {
    throw awsError('ValidationError', `Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: ${invalid.length}. ${invalid.join(' ')}`);
  }
}

export interface ResourceChange {
  Type: 'Resource';
  ResourceChange: { Action: 'Add' | 'Modify' | 'Remove'; LogicalResourceId: string; PhysicalResourceId?: string; ResourceType: string; Replacement?: 'False'; Scope: string[]; Details: [] };
}

/** What a change set shows: resources added, modified (definition differs) and removed, by logical ID. */
export function resourceChanges(
  before: TemplateDocument | undefined, after: TemplateDocument, physicalIds: ReadonlyMap<string, string> = new Map(), typeOf: (declared: string) => string = (t) => t,
): ResourceChange[] {
  const changes: ResourceChange[] = [];
  // As CloudFormation: a resource the stack has is named by its physical ID too.
  const change = (Action: 'Add' | 'Modify' | 'Remove', id: string, type: string): ResourceChange => ({
    Type: 'Resource',
    ResourceChange: { Action, LogicalResourceId: id, PhysicalResourceId: Action === 'Add' ? undefined : physicalIds.get(id), ResourceType: typeOf(type), ...(Action === 'Modify' ? { Replacement: 'False' as const } : {}), Scope: Action === 'Modify' ? ['Properties'] : [], Details: [] },
  });
  for (const [id, r] of after.resources) {
    const old = before?.resources.get(id);
    if (!old) changes.push(change('Add', id, r.Type));
    else if (JSON.stringify(old) !== JSON.stringify(r)) changes.push(change('Modify', id, r.Type));
  }
  for (const [id, r] of before?.resources ?? []) if (!after.resources.has(id)) changes.push(change('Remove', id, r.Type));
  return changes;
}
