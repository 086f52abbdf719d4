// AWS::Logs::MetricFilter resources of a template, put into Stagecraft's CloudWatch Logs
// (PutMetricFilter) with the stack. Its log group is created when it does not exist yet: a
// function's group (`/aws/lambda/${Fn}`, usually) appears only when the function first logs, and
// on AWS the template's filter would be refused without it, so the deploy makes it (Stagecraft's
// choice). The name is FilterName or CloudFormation's generated `{stack}-{LogicalId}-{suffix}`,
// the same !Ref gives. Filters cannot be tagged: the log group carries a tag per filter the stack
// owns (`stagecraft:metric-filter:{hash of the name}` = stack), so a filter removed from the
// template goes at the next deploy and `stagecraft delete` removes them all.
import { createHash } from 'node:crypto';
import {
  CreateLogGroupCommand, DeleteMetricFilterCommand, DescribeLogGroupsCommand, DescribeMetricFiltersCommand, ListTagsLogGroupCommand,
  PutMetricFilterCommand, TagLogGroupCommand, UntagLogGroupCommand, type CloudWatchLogsClient, type MetricFilter, type PutMetricFilterCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { evaluate, NO_VALUE, type Scope } from './intrinsics.js';
import type { ActiveResource } from './stack-model.js';
import { located } from './other-resources.js';
import { asNumber } from './metric-alarms.js';
import { synthetic, type MapNode } from './source.js';

const OWNER_TAG = 'stagecraft:metric-filter:';

/** The log group tag that says which stack owns a filter (tag keys cannot hold every character a filter name may). */
export const ownerTag = (filterName: string): string => OWNER_TAG + createHash('sha256').update(filterName).digest('base64url').slice(0, 22);

export interface OwnedMetricFilter {
  logGroupName: string;
  filterName: string;
  stackName: string;
}

type Props = Record<string, unknown>;

/** CloudFormation's MetricTransformation (Dimensions a list of Key/Value) as PutMetricFilter's. */
function transformation(t: Props): Props {
  const dims = Array.isArray(t.Dimensions) ? Object.fromEntries((t.Dimensions as Props[]).map((d) => [String(d.Key), String(d.Value)])) : undefined;
  return {
    metricName: t.MetricName, metricNamespace: t.MetricNamespace, metricValue: t.MetricValue === undefined ? undefined : String(t.MetricValue),
    defaultValue: asNumber(t.DefaultValue), dimensions: dims, unit: t.Unit,
  };
}

/** PutMetricFilter's input for one AWS::Logs::MetricFilter resource. */
export function metricFilterInput(r: ActiveResource, scope: Scope): PutMetricFilterCommandInput {
  const props: Props = {};
  for (const e of (r.properties as MapNode).entries) {
    const value = located(e.value, () => evaluate(e.value, scope));
    if (value !== NO_VALUE) props[e.key] = value;
  }
  if (typeof props.LogGroupName !== 'string') throw new Error(`${r.def.logicalId} needs LogGroupName (a log group name)`);
  if (!Array.isArray(props.MetricTransformations)) throw new Error(`${r.def.logicalId} needs MetricTransformations (a list of one transformation)`);
  return {
    logGroupName: props.LogGroupName,
    filterName: scope.resourceRef(r.def.logicalId, synthetic({ Ref: r.def.logicalId }, r.def.path, r.def.loc)),
    filterPattern: typeof props.FilterPattern === 'string' ? props.FilterPattern : '',
    metricTransformations: (props.MetricTransformations as Props[]).map(transformation) as unknown as PutMetricFilterCommandInput['metricTransformations'],
  };
}

async function filtersOf(logs: CloudWatchLogsClient, logGroupName: string): Promise<MetricFilter[]> {
  const out: MetricFilter[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeMetricFiltersCommand({ logGroupName, nextToken }));
    out.push(...(page.metricFilters ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Puts the filter (creating its log group if needed) and marks it the stack's; says whether it was new. */
export async function putMetricFilter(logs: CloudWatchLogsClient, stackName: string, input: PutMetricFilterCommandInput): Promise<'created' | 'updated'> {
  const group = input.logGroupName!;
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  } catch (e) {
    if ((e as Error).name !== 'ResourceAlreadyExistsException') throw e;
  }
  const existed = (await filtersOf(logs, group)).some((f) => f.filterName === input.filterName);
  await logs.send(new PutMetricFilterCommand(input));
  await logs.send(new TagLogGroupCommand({ logGroupName: group, tags: { [ownerTag(input.filterName!)]: stackName } }));
  return existed ? 'updated' : 'created';
}

/** Every metric filter a stack owns, on groups that have filters. */
export async function ownedMetricFilters(logs: CloudWatchLogsClient): Promise<OwnedMetricFilter[]> {
  const out: OwnedMetricFilter[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeLogGroupsCommand({ nextToken }));
    for (const g of page.logGroups ?? []) {
      if (!g.metricFilterCount) continue;
      const { tags = {} } = await logs.send(new ListTagsLogGroupCommand({ logGroupName: g.logGroupName }));
      if (!Object.keys(tags).some((k) => k.startsWith(OWNER_TAG))) continue;
      for (const f of await filtersOf(logs, g.logGroupName!)) {
        const stackName = tags[ownerTag(f.filterName!)];
        if (stackName) out.push({ logGroupName: g.logGroupName!, filterName: f.filterName!, stackName });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Deletes a stack's filter and its mark on the group. */
export async function deleteMetricFilter(logs: CloudWatchLogsClient, f: { logGroupName: string; filterName: string }): Promise<void> {
  await logs.send(new DeleteMetricFilterCommand({ logGroupName: f.logGroupName, filterName: f.filterName }));
  await logs.send(new UntagLogGroupCommand({ logGroupName: f.logGroupName, tags: [ownerTag(f.filterName)] }));
}

/** Deletes the stack's filters that are not in `keep` (`{group}\0{name}`: removed from the template); what went. */
export async function removeStaleMetricFilters(logs: CloudWatchLogsClient, stackName: string, keep: ReadonlySet<string>): Promise<OwnedMetricFilter[]> {
  const stale = (await ownedMetricFilters(logs)).filter((f) => f.stackName === stackName && !keep.has(`${f.logGroupName}\0${f.filterName}`));
  for (const f of stale) await deleteMetricFilter(logs, f);
  return stale;
}
