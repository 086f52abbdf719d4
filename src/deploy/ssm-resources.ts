// A template's AWS::SSM::Parameter resources in Stagecraft's Parameter Store: created with their
// tags (and the stack's mark), or, existing, overwritten only when the value or a setting changed
// (so each deploy doesn't add a version), tags set in place. A changed Name is a new parameter and
// the old one goes with the stack's other stale parameters, as CloudFormation replaces it.
import {
  AddTagsToResourceCommand, DeleteParameterCommand, DescribeParametersCommand, GetParameterCommand, ListTagsForResourceCommand, PutParameterCommand,
  RemoveTagsFromResourceCommand, type ParameterMetadata,
} from '@aws-sdk/client-ssm';
import { awsErrorType } from './errors.js';
import type { Value } from './intrinsics.js';
import { markedTags, ownership, STACK_TAG_KEYS, text, type Props } from './service-clients.js';
import type { ServiceContext, WantedResource } from './service-resource.js';

/** CloudFormation makes String and StringList parameters only (SecureString is refused). */
export const PARAMETER_TYPES = ['String', 'StringList'];

/** AWS::SSM::Parameter's Tags are a JSON object (key → value), not a list. */
export const tagList = (tags: Value | undefined): Value | undefined =>
  tags && typeof tags === 'object' && !Array.isArray(tags) ? Object.entries(tags).map(([Key, v]) => ({ Key, Value: String(v) })) : tags;

/** The settings PutParameter takes besides Name, Value and Type. */
function settings(props: Props) {
  return {
    Description: text(props.Description), AllowedPattern: text(props.AllowedPattern), Tier: text(props.Tier) as 'Standard' | 'Advanced' | 'Intelligent-Tiering' | undefined,
    DataType: text(props.DataType), Policies: text(props.Policies),
  };
}

async function current(ctx: ServiceContext, name: string): Promise<{ value: string; type: string; meta?: ParameterMetadata } | undefined> {
  try {
    const p = (await ctx.clients.ssm.send(new GetParameterCommand({ Name: name }))).Parameter!;
    const meta = (await ctx.clients.ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] }))).Parameters?.[0];
    return { value: p.Value ?? '', type: p.Type ?? 'String', meta };
  } catch (e) {
    if (awsErrorType(e) === 'ParameterNotFound') return undefined;
    throw e;
  }
}

async function tagsOf(ctx: ServiceContext, name: string): Promise<Record<string, string>> {
  const list = (await ctx.clients.ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }))).TagList ?? [];
  return Object.fromEntries(list.map((t) => [t.Key!, t.Value ?? '']));
}

/** Creates or updates the parameter. */
export async function syncParameter(ctx: ServiceContext, r: WantedResource): Promise<void> {
  const type = String(r.props.Type ?? '');
  if (!PARAMETER_TYPES.includes(type)) {
    throw new Error(`${r.logicalId}: Type ${type || '(none)'} is not supported by AWS::SSM::Parameter; CloudFormation creates String and StringList parameters only`);
  }
  const value = Array.isArray(r.props.Value) ? r.props.Value.map(String).join(',') : String(r.props.Value ?? '');
  const tags = markedTags(ctx.stackName, r.retain, tagList(r.props.Tags));
  const wanted = settings(r.props);
  const now = await current(ctx, r.name);
  if (!now) {
    await ctx.clients.ssm.send(new PutParameterCommand({ Name: r.name, Value: value, Type: type as 'String', ...wanted, Tags: tags }));
    ctx.log.report({ subject: r.logicalId, kind: 'created', message: `SSM parameter ${r.name}` });
    return;
  }
  const m = now.meta;
  const differs = now.value !== value || now.type !== type || (m?.Description ?? undefined) !== wanted.Description || (m?.AllowedPattern ?? undefined) !== wanted.AllowedPattern
    || (wanted.Tier !== undefined && m?.Tier !== wanted.Tier) || (wanted.DataType !== undefined && m?.DataType !== wanted.DataType);
  if (differs) await ctx.clients.ssm.send(new PutParameterCommand({ Name: r.name, Value: value, Type: type as 'String', ...wanted, Overwrite: true }));
  const before = await tagsOf(ctx, r.name);
  const want = Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
  const gone = Object.keys(before).filter((k) => !(k in want));
  const changed = tags.filter((t) => before[t.Key] !== t.Value);
  if (gone.length) await ctx.clients.ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: r.name, TagKeys: gone }));
  if (changed.length) await ctx.clients.ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: r.name, Tags: changed }));
  ctx.log.report({ subject: r.logicalId, kind: differs || gone.length || changed.length ? 'updated' : 'unchanged', message: `SSM parameter ${r.name}` });
}

/** The stack's parameters not in `keep` (by name): deleted, or, retained, no longer marked; their names. */
export async function removeStaleParameters(ctx: ServiceContext, keep: ReadonlySet<string>): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.clients.ssm.send(new DescribeParametersCommand({ NextToken, MaxResults: 50 }));
    names.push(...(page.Parameters ?? []).map((p) => p.Name!));
    NextToken = page.NextToken;
  } while (NextToken);
  const removed: string[] = [];
  for (const name of names) {
    if (keep.has(name)) continue;
    const own = ownership(await tagsOf(ctx, name), ctx.stackName);
    if (own === 'other') continue;
    if (ctx.dryRun) { /* only found */ } else if (own === 'retain') await ctx.clients.ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: name, TagKeys: STACK_TAG_KEYS }));
    else await ctx.clients.ssm.send(new DeleteParameterCommand({ Name: name }));
    ctx.log.report({ subject: 'Parameters', kind: 'removed', message: `SSM parameter ${name}${own === 'retain' ? ' (retained: left in place)' : ''}` });
    removed.push(name);
  }
  return removed;
}
