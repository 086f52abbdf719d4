// What the CloudWatch Logs operations share: their dependencies, the account/region scope of a
// request, ARNs, and how a request names its log group (name, or an identifier that may be an ARN).
import type { RequestContext } from '../aws/request-context.js';
import type { LogsScope, LogsStore } from '../store/logs-store.js';
import type { LogSink } from './log-sink.js';
import type { MetricFilterIngest } from './metric-filter-ingest.js';
import type { EmfIngest } from './emf-ingest.js';
import type { SubscriptionDelivery } from './subscription-delivery.js';
import { invalidFilterPattern, invalidParameter } from './errors.js';
import { compilePattern, FilterPatternError, type CompiledPattern } from './filter-pattern.js';

export interface LogsDeps {
  store: LogsStore;
  /** Reads flush it first, so lines appended by invocations are visible at once. */
  sink: LogSink;
  /** The metric filters applied to stored events; reloaded after each change. */
  filters: MetricFilterIngest;
  /** Embedded metric format, extracted from events of every group. */
  emf: EmfIngest;
  /** The subscription filters whose matching events go to Lambda functions; reloaded after each change. */
  subscriptions: SubscriptionDelivery;
  now(): number;
}

export const scopeOf = (ctx: RequestContext): LogsScope => ({ accountId: ctx.accountId, region: ctx.region });

/** `arn` of DescribeLogGroups (with AWS's trailing `:*`). */
export const logGroupArn = (scope: LogsScope, name: string): string => `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${name}:*`;
/** `logGroupArn` of DescribeLogGroups, and the ARN tagging APIs take. */
export const bareLogGroupArn = (scope: LogsScope, name: string): string => `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${name}`;
export const logStreamArn = (scope: LogsScope, group: string, stream: string): string =>
  `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${group}:log-stream:${stream}`;

const GROUP_ARN = /^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/;

/** The log group an ARN names, when it is one of this scope's log groups. */
export function groupNameFromArn(scope: LogsScope, arn: string): string | undefined {
  const m = GROUP_ARN.exec(arn);
  if (!m || m[1] !== scope.region || m[2] !== scope.accountId) return undefined;
  return m[3];
}

/** Operations that take `logGroupName` or `logGroupIdentifier` (a name or an ARN), never both. */
export function requestedGroup(scope: LogsScope, input: { logGroupName?: string; logGroupIdentifier?: string }): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (input.logGroupIdentifier !== undefined) {
    const id = input.logGroupIdentifier;
    if (!id.startsWith('arn:')) return id;
    // A well-formed ARN of another account or region names a group that does not exist here.
    return groupNameFromArn(scope, id) ?? `\u0000${id}`;
  }
  if (input.logGroupName === undefined) {
    throw invalidParameter('Should provide either name or identifier of the log group.');
  }
  return input.logGroupName;
}

/** A filter pattern compiled, or AWS's InvalidParameterException for one it would not accept. */
export function compileOrReject(pattern: string | undefined): CompiledPattern {
  try {
    return compilePattern(pattern);
  } catch (e) {
    if (e instanceof FilterPatternError) throw invalidFilterPattern();
    throw e;
  }
}
