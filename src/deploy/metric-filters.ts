// AWS::Logs::MetricFilter resources of a template, put into Stagecraft's CloudWatch Logs
// (PutMetricFilter) with the stack. Its log group is created when it does not exist yet: a
// function's group (`/aws/lambda/${Fn}`, usually) appears only when the function first logs, and
// on AWS the template's filter would be refused without it, so the deploy makes it (Stagecraft's
// choice). The name is FilterName or CloudFormation's generated `{stack}-{LogicalId}-{suffix}`,
// the same !Ref gives. The log group carries a tag per filter the stack owns (log-group-filters.ts),
// so a filter removed from the template goes at the next deploy and `stagecraft delete` removes them all.
import {
  DeleteMetricFilterCommand, DescribeMetricFiltersCommand, PutMetricFilterCommand, type CloudWatchLogsClient, type PutMetricFilterCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { deleteOwnedFilter, ownedFilters, putOwnedFilter, removeStaleFilters, type LogGroupFilterKind, type OwnedLogGroupFilter } from './log-group-filters.js';
import { evaluate, NO_VALUE, type Scope } from './intrinsics.js';
import type { ActiveResource } from './stack-model.js';
import { located } from './other-resources.js';
import { asNumber } from './metric-alarms.js';
import { synthetic, type MapNode } from './source.js';

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

const METRIC_FILTERS: LogGroupFilterKind = {
  tagPrefix: 'stagecraft:metric-filter:',
  async names(logs, logGroupName) {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeMetricFiltersCommand({ logGroupName, nextToken }));
      out.push(...(page.metricFilters ?? []).map((f) => f.filterName!));
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  },
  remove: async (logs, logGroupName, filterName) => void (await logs.send(new DeleteMetricFilterCommand({ logGroupName, filterName }))),
  mayHold: (g) => Boolean(g.metricFilterCount),
};

/** Puts the filter (creating its log group if needed) and marks it the stack's; says whether it was new. */
export const putMetricFilter = (logs: CloudWatchLogsClient, stackName: string, input: PutMetricFilterCommandInput): Promise<'created' | 'updated'> =>
  putOwnedFilter(logs, METRIC_FILTERS, stackName, input.logGroupName!, input.filterName!, () => logs.send(new PutMetricFilterCommand(input)));

/** Every metric filter a stack owns, on groups that have filters. */
export const ownedMetricFilters = (logs: CloudWatchLogsClient): Promise<OwnedLogGroupFilter[]> => ownedFilters(logs, METRIC_FILTERS);

/** Deletes a stack's filter and its mark on the group. */
export const deleteMetricFilter = (logs: CloudWatchLogsClient, f: { logGroupName: string; filterName: string }): Promise<void> => deleteOwnedFilter(logs, METRIC_FILTERS, f);

/** Deletes the stack's filters that are not in `keep` (`{group}\0{name}`: removed from the template); what went. */
export const removeStaleMetricFilters = (logs: CloudWatchLogsClient, stackName: string, keep: ReadonlySet<string>): Promise<OwnedLogGroupFilter[]> =>
  removeStaleFilters(logs, METRIC_FILTERS, stackName, keep);
