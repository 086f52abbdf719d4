// Storage for CloudWatch Logs subscription filters: each belongs to a log group (and goes with it)
// and names the destination its matching events are delivered to. Scoped by account and region.
import type { LogsScope } from './logs-store.js';
import type { DeleteMetricFilterResult, PutMetricFilterResult } from './metric-filter-store.js';

export interface SubscriptionFilterRecord {
  groupName: string;
  name: string;
  pattern: string;
  destinationArn: string;
  roleArn?: string;
  distribution: 'Random' | 'ByLogStream';
  createdMs: number;
}

/** A filter with the account and region it belongs to, as delivery loads them all. */
export interface ScopedSubscriptionFilter extends SubscriptionFilterRecord {
  scope: LogsScope;
}

export interface ListSubscriptionFiltersQuery {
  groupName: string;
  namePrefix?: string;
  /** Only filters named after this one, for paging. */
  after?: string;
  limit: number;
}

export type PutSubscriptionFilterResult = PutMetricFilterResult;
export type DeleteSubscriptionFilterResult = DeleteMetricFilterResult;

export interface SubscriptionFilterStore {
  /** Creates or replaces a filter (keeping its creation time); `limit` when the group has `maxPerGroup` others. */
  putSubscriptionFilter(scope: LogsScope, filter: SubscriptionFilterRecord, maxPerGroup: number): Promise<PutSubscriptionFilterResult>;
  /** A group's filters in name order. */
  listSubscriptionFilters(scope: LogsScope, query: ListSubscriptionFiltersQuery): Promise<SubscriptionFilterRecord[]>;
  deleteSubscriptionFilter(scope: LogsScope, groupName: string, name: string): Promise<DeleteSubscriptionFilterResult>;
  /** Every filter of every account and region. */
  allSubscriptionFilters(): Promise<ScopedSubscriptionFilter[]>;
}
