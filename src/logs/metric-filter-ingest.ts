// Metric filters applied to log events as they are stored. Every filter of every account is held
// compiled in memory, by log group: events of a group without filters cost one Map lookup per
// stored batch. Samples go to the publisher (CloudWatch's per-minute aggregator) at the event's
// minute. In a cluster each node publishes what it ingests, and reloads the filters periodically
// so it sees the ones other nodes put.
import type { LogsScope, NewLogEvent } from '../store/logs-store.js';
import type { MetricFilterStore } from '../store/metric-filter-store.js';
import type { LogMetricSample } from '../cloudwatch/log-metrics.js';
import { logger } from '../core/logger.js';
import { CompiledMetricFilter } from './metric-transformation.js';

export type LogMetricPublisher = (sample: LogMetricSample) => void;

const groupKey = (scope: LogsScope, group: string) => `${scope.accountId}\0${scope.region}\0${group}`;

export class MetricFilterIngest {
  readonly #store: MetricFilterStore;
  #byGroup = new Map<string, CompiledMetricFilter[]>();
  #publish: LogMetricPublisher | undefined;
  #loading: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(store: MetricFilterStore) {
    this.#store = store;
  }

  /** Where samples go (CloudWatch is created after CloudWatch Logs). */
  connect(publish: LogMetricPublisher): void {
    this.#publish = publish;
  }

  /** Loads every filter now, and again every `refreshMs` (filters other nodes put). */
  start(refreshMs: number): Promise<void> {
    this.#timer = setInterval(() => void this.reload(), refreshMs);
    this.#timer.unref();
    return this.reload();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Reads every filter from the store again (after a change, so ingestion sees it at once). */
  reload(): Promise<void> {
    this.#loading = this.#loading.then(async () => {
      try {
        const byGroup = new Map<string, CompiledMetricFilter[]>();
        for (const f of await this.#store.allMetricFilters()) {
          const key = groupKey(f.scope, f.groupName);
          const list = byGroup.get(key) ?? [];
          list.push(new CompiledMetricFilter(f));
          byGroup.set(key, list);
        }
        this.#byGroup = byGroup;
      } catch (e) {
        logger.warn('could not load metric filters', { error: e instanceof Error ? e.message : String(e) });
      }
    });
    return this.#loading;
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
