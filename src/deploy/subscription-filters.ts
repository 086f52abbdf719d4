// AWS::Logs::SubscriptionFilter resources of a template, put into Stagecraft's CloudWatch Logs
// (PutSubscriptionFilter) with the stack, after the AWS::Lambda::Permission that lets
// logs.amazonaws.com invoke the destination. As for metric filters (metric-filters.ts), the log
// group is created when absent, the name is FilterName or CloudFormation's generated one, and the
// group carries a tag per filter the stack owns (log-group-filters.ts), so a filter removed from the
// template goes at the next deploy and `stagecraft delete` removes them all.
import {
  DeleteSubscriptionFilterCommand, DescribeSubscriptionFiltersCommand, PutSubscriptionFilterCommand, type CloudWatchLogsClient, type PutSubscriptionFilterCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { deleteOwnedFilter, ownedFilters, putOwnedFilter, removeStaleFilters, type LogGroupFilterKind, type OwnedLogGroupFilter } from './log-group-filters.js';
import { evaluate, NO_VALUE, type Scope } from './intrinsics.js';
import type { ActiveResource, StackModel } from './stack-model.js';
import { located, SUBSCRIPTION_FILTER_TYPE } from './other-resources.js';
import type { ServiceDeploy } from './service-resources.js';
import { synthetic, type MapNode } from './source.js';

/** PutSubscriptionFilter's input for one AWS::Logs::SubscriptionFilter resource. */
export function subscriptionFilterInput(r: ActiveResource, scope: Scope): PutSubscriptionFilterCommandInput {
  const props: Record<string, unknown> = {};
  for (const e of (r.properties as MapNode).entries) {
    const value = located(e.value, () => evaluate(e.value, scope));
    if (value !== NO_VALUE) props[e.key] = value;
  }
  if (typeof props.LogGroupName !== 'string') throw new Error(`${r.def.logicalId} needs LogGroupName (a log group name)`);
  if (typeof props.DestinationArn !== 'string') throw new Error(`${r.def.logicalId} needs DestinationArn (a Lambda function ARN)`);
  return {
    logGroupName: props.LogGroupName,
    filterName: scope.resourceRef(r.def.logicalId, synthetic({ Ref: r.def.logicalId }, r.def.path, r.def.loc)),
    filterPattern: typeof props.FilterPattern === 'string' ? props.FilterPattern : '',
    destinationArn: props.DestinationArn,
    ...(typeof props.RoleArn === 'string' ? { roleArn: props.RoleArn } : {}),
    ...(props.Distribution === 'Random' || props.Distribution === 'ByLogStream' ? { distribution: props.Distribution } : {}),
  };
}

const SUBSCRIPTION_FILTERS: LogGroupFilterKind = {
  tagPrefix: 'stagecraft:subscription-filter:',
  async names(logs, logGroupName) {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName, nextToken }));
      out.push(...(page.subscriptionFilters ?? []).map((f) => f.filterName!));
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  },
  remove: async (logs, logGroupName, filterName) => void (await logs.send(new DeleteSubscriptionFilterCommand({ logGroupName, filterName }))),
};

/** Puts the filter (creating its log group if needed) and marks it the stack's; says whether it was new. */
export const putSubscriptionFilter = (logs: CloudWatchLogsClient, stackName: string, input: PutSubscriptionFilterCommandInput): Promise<'created' | 'updated'> =>
  putOwnedFilter(logs, SUBSCRIPTION_FILTERS, stackName, input.logGroupName!, input.filterName!, () => logs.send(new PutSubscriptionFilterCommand(input)));

/** Every subscription filter a stack owns. */
export const ownedSubscriptionFilters = (logs: CloudWatchLogsClient): Promise<OwnedLogGroupFilter[]> => ownedFilters(logs, SUBSCRIPTION_FILTERS);

/** Deletes a stack's filter and its mark on the group. */
export const deleteSubscriptionFilter = (logs: CloudWatchLogsClient, f: { logGroupName: string; filterName: string }): Promise<void> =>
  deleteOwnedFilter(logs, SUBSCRIPTION_FILTERS, f);

/** Deletes the stack's filters that are not in `keep` (`{group}\0{name}`); what went. */
export const removeStaleSubscriptionFilters = (logs: CloudWatchLogsClient, stackName: string, keep: ReadonlySet<string>): Promise<OwnedLogGroupFilter[]> =>
  removeStaleFilters(logs, SUBSCRIPTION_FILTERS, stackName, keep);

/** The deploy's step for the template's subscription filters; the stack's filters the template no longer has are removed. */
export async function deploySubscriptionFilters(logs: CloudWatchLogsClient, model: StackModel, scope: Scope, d: Pick<ServiceDeploy, 'stackName' | 'log' | 'step'>): Promise<void> {
  const put = new Set<string>();
  for (const r of model.others.values()) {
    if (r.def.type !== SUBSCRIPTION_FILTER_TYPE) continue;
    const id = r.def.logicalId;
    const input = await d.step(id, 'reading the subscription filter', async () => subscriptionFilterInput(r, scope));
    const kind = await d.step(id, `putting subscription filter ${input.filterName}`, () => putSubscriptionFilter(logs, d.stackName, input));
    put.add(`${input.logGroupName}\0${input.filterName}`);
    d.log.report({ subject: id, kind, message: `CloudWatch Logs subscription filter ${input.filterName} on ${input.logGroupName}` });
  }
  const stale = await d.step('SubscriptionFilters', 'removing subscription filters the template no longer has', () => removeStaleSubscriptionFilters(logs, d.stackName, put));
  for (const f of stale) d.log.report({ subject: 'SubscriptionFilters', kind: 'removed', message: `CloudWatch Logs subscription filter ${f.filterName} on ${f.logGroupName}` });
}
