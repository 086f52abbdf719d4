// Subscription filter operations: PutSubscriptionFilter (pattern, destination and its permission
// checked; at most two per group), DescribeSubscriptionFilters (name prefix, paging) and
// DeleteSubscriptionFilter. Stagecraft delivers to Lambda functions only; each change reloads what
// delivery applies, so the next stored events see it.
import type { HandlerTable } from '../aws/protocols/json-rpc.js';
import type { Operations, SubscriptionFilter } from '../aws/generated/logs.js';
import type { SubscriptionFilterRecord } from '../store/subscription-filter-store.js';
import { invalidParameter, lambdaNotPermitted, limitExceeded, logGroupNotFound, subscriptionFilterNotFound } from './errors.js';
import { parseFunctionArn } from './lambda-destination.js';
import { compileOrReject, logGroupArn, scopeOf, type LogsDeps } from './resources.js';
import { cursorToken, parseCursorToken } from './tokens.js';

/** AWS's quota of subscription filters per log group. */
export const MAX_SUBSCRIPTIONS_PER_GROUP = 2;
const OTHER_DESTINATION = /^arn:aws[a-z-]*:(kinesis|firehose|logs):/;

const describe = (f: SubscriptionFilterRecord): SubscriptionFilter => ({
  filterName: f.name,
  logGroupName: f.groupName,
  filterPattern: f.pattern,
  destinationArn: f.destinationArn,
  ...(f.roleArn !== undefined ? { roleArn: f.roleArn } : {}),
  distribution: f.distribution,
  applyOnTransformedLogs: false,
  creationTime: f.createdMs,
});

/** The function a destination names, with the checks AWS makes; Kinesis, Firehose and logs destinations are refused. */
function lambdaTarget(arn: string, accountId: string, region: string): void {
  const service = OTHER_DESTINATION.exec(arn)?.[1];
  if (service) {
    throw invalidParameter(`Stagecraft cannot deliver to ${service === 'logs' ? 'CloudWatch Logs destinations' : `${service} streams`}: the destinationArn must be a Lambda function.`);
  }
  const fn = parseFunctionArn(arn);
  if (!fn) throw invalidParameter(`Invalid destinationArn: ${arn}. The destination must be a Lambda function ARN.`);
  // AWS delivers to functions of the filter's own account only.
  if (fn.accountId !== accountId || fn.region !== region) throw lambdaNotPermitted();
}

export function subscriptionFilterHandlers(deps: LogsDeps): HandlerTable<Operations> {
  const { store, subscriptions } = deps;
  return {
    async PutSubscriptionFilter(input, ctx) {
      const scope = scopeOf(ctx);
      compileOrReject(input.filterPattern);
      if (!(await store.getGroup(scope, input.logGroupName))) throw logGroupNotFound();
      lambdaTarget(input.destinationArn, scope.accountId, scope.region);
      const destination = subscriptions.destination;
      if (!destination || !(await destination.allows(input.destinationArn, logGroupArn(scope, input.logGroupName), scope.accountId))) {
        throw lambdaNotPermitted();
      }
      const result = await store.putSubscriptionFilter(scope, {
        groupName: input.logGroupName, name: input.filterName, pattern: input.filterPattern, destinationArn: input.destinationArn,
        ...(input.roleArn !== undefined ? { roleArn: input.roleArn } : {}),
        distribution: input.distribution ?? 'ByLogStream', createdMs: deps.now(),
      }, MAX_SUBSCRIPTIONS_PER_GROUP);
      if (result === 'no-group') throw logGroupNotFound();
      if (result === 'limit') throw limitExceeded();
      await subscriptions.changed();
      await subscriptions.sendControlMessage(scope, input.logGroupName, input.destinationArn, deps.now());
    },

    async DescribeSubscriptionFilters(input, ctx) {
      const scope = scopeOf(ctx);
      if (!(await store.getGroup(scope, input.logGroupName))) throw logGroupNotFound();
      const limit = input.limit ?? 50;
      const after = input.nextToken === undefined ? undefined : parseCursorToken<{ n: string }>(input.nextToken, (v) => typeof v.n === 'string');
      const rows = await store.listSubscriptionFilters(scope, { groupName: input.logGroupName, namePrefix: input.filterNamePrefix, after: after?.n, limit: limit + 1 });
      const page = rows.slice(0, limit);
      return {
        subscriptionFilters: page.map(describe),
        nextToken: rows.length > limit ? cursorToken({ n: page[page.length - 1].name }) : undefined,
      };
    },

    async DeleteSubscriptionFilter(input, ctx) {
      const result = await store.deleteSubscriptionFilter(scopeOf(ctx), input.logGroupName, input.filterName);
      if (result === 'no-group') throw logGroupNotFound();
      if (result === 'no-filter') throw subscriptionFilterNotFound();
      await subscriptions.changed();
    },
  };
}
