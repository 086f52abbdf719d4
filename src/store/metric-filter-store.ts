// Storage for CloudWatch Logs metric filters: each belongs to a log group (and goes with it) and
// carries its one metric transformation. Scoped by account and region like the groups.
import type { LogsScope } from './logs-store.js';

export interface MetricTransformationRecord {
  metricName: string;
  metricNamespace: string;
  metricValue: string;
  defaultValue?: number;
  dimensions?: Record<string, string>;
  unit?: string;
}

export interface MetricFilterRecord {
  groupName: string;
  name: string;
  pattern: string;
  transformations: MetricTransformationRecord[];
  createdMs: number;
}

/** A filter with the account and region it belongs to, as ingestion loads them all. */
export interface ScopedMetricFilter extends MetricFilterRecord {
  scope: LogsScope;
}

export interface ListMetricFiltersQuery {
  groupName?: string;
  namePrefix?: string;
  metric?: { name: string; namespace: string };
  /** Only filters after this (group name, filter name), for paging. */
  after?: { groupName: string; name: string };
  limit: number;
}

export type PutMetricFilterResult = 'ok' | 'no-group' | 'limit';
export type DeleteMetricFilterResult = 'ok' | 'no-group' | 'no-filter';

export interface MetricFilterStore {
  /** Creates or replaces a filter (keeping its creation time); `limit` when the group has `maxPerGroup` others. */
  putMetricFilter(scope: LogsScope, filter: MetricFilterRecord, maxPerGroup: number): Promise<PutMetricFilterResult>;
  /** Filters in (group name, filter name) order. */
  listMetricFilters(scope: LogsScope, query: ListMetricFiltersQuery): Promise<MetricFilterRecord[]>;
  deleteMetricFilter(scope: LogsScope, groupName: string, name: string): Promise<DeleteMetricFilterResult>;
  /** Every filter of every account and region. */
  allMetricFilters(): Promise<ScopedMetricFilter[]>;
}
