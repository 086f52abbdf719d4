// Metric filters applied to log events as they are stored. Every filter of every account is held
// compiled in memory, by log group: events of a group without filters cost one Map lookup per
// stored batch. Samples go to the publisher (CloudWatch's per-minute aggregator) at the event's
// minute. In a cluster each node publishes what it ingests, and the change feed tells every node to
// read the filters again when one node changes them.
import type { LogsScope, NewLogEvent } from '../store/logs-store.js';
import type { MetricFilterStore } from '../store/metric-filter-store.js';
import type { ChangeFeed } from '../store/change-feed.js';
import type { LogMetricSample } from '../cloudwatch/log-metrics.js';
import { FilterReloader } from './filter-reloader.js';
import { CompiledMetricFilter } from './metric-transformation.js';

export type LogMetricPublisher = (sample: LogMetricSample) => void;

const FEED_TOPIC = 'logs-metric-filters';
const groupKey = (scope: LogsScope, group: string) => `${scope.accountId}\0${scope.region}\0${group}`;

export class MetricFilterIngest {
  readonly #store: MetricFilterStore;
  #byGroup = new Map<string, CompiledMetricFilter[]>();
  #publish: LogMetricPublisher | undefined;
  readonly #reloader: FilterReloader;

  constructor(store: MetricFilterStore, feed?: ChangeFeed) {
    this.#store = store;
    this.#reloader = new FilterReloader(FEED_TOPIC, feed, () => this.#load(), 'metric filters');
  }

  /** Where samples go (CloudWatch is created after CloudWatch Logs). */
  connect(publish: LogMetricPublisher): void {
    this.#publish = publish;
  }

  stop(): void {
    this.#reloader.stop();
  }

  /** After this node changed filters: read them again, and have the other nodes do so too. */
  changed(): Promise<void> {
    return this.#reloader.changed();
  }

  /** Reads every filter from the store again. */
  reload(): Promise<void> {
    return this.#reloader.reload();
  }

  async #load(): Promise<void> {
    const byGroup = new Map<string, CompiledMetricFilter[]>();
    for (const f of await this.#store.allMetricFilters()) {
      const key = groupKey(f.scope, f.groupName);
      const list = byGroup.get(key) ?? [];
      list.push(new CompiledMetricFilter(f));
      byGroup.set(key, list);
    }
    this.#byGroup = byGroup;
  }

  /** How many filters a group has (DescribeLogGroups' metricFilterCount). */
  count(scope: LogsScope, group: string): number {
    return this.#byGroup.get(groupKey(scope, group))?.length ?? 0;
  }

  /** Applies the group's filters to events just stored. */
  observe(scope: LogsScope, group: string, events: readonly NewLogEvent[]): void {
    const filters = this.#byGroup.get(groupKey(scope, group));
    if (!filters || !this.#publish) return;
    for (const filter of filters) {
      const t = filter.transformation;
      for (const e of events) {
        const sample = filter.sample(e.message);
        if (!sample) continue;
        this.#publish({
          scope, namespace: t.metricNamespace, metricName: t.metricName, dimensions: sample.dimensions,
          unit: t.unit ?? 'None', timestampMs: e.timestamp, value: sample.value,
        });
      }
    }
  }
}
