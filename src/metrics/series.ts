// Counters and histograms for the hot paths: plain numbers per label set, updated with an addition
// or two, and handed to prom-client's registry as ordinary metrics when it is scraped. prom-client's
// own Counter and Histogram hash their label values on every update, even through a labelled child,
// which cost a few percent of the server's CPU per request at concurrency 32.
import type { Registry } from 'prom-client';

type Labels = Record<string, string>;

interface MetricValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

interface Collected {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: MetricValue[];
}

/** Registers a metric as prom-client's registry reads one when it is scraped (the shape of its own metrics). */
function register(registry: Registry, name: string, help: string, type: Collected['type'], values: () => MetricValue[], reset: () => void): void {
  const metric = { name, help, type, aggregator: 'sum', get: async (): Promise<Collected> => ({ name, help, type, aggregator: 'sum', values: values() }), reset };
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
}

export interface CounterChild {
  value: number;
}

export class CounterSeries {
  readonly #children = new Map<string, CounterChild & { labels: Labels }>();

  constructor(registry: Registry, name: string, help: string) {
    register(registry, name, help, 'counter', () => this.#values(), () => this.#children.clear());
  }

  /** The series of one label set, named uniquely by `key` (increment its `value`); undefined before add(). */
  get(key: string): CounterChild | undefined {
    return this.#children.get(key);
  }

  add(key: string, labels: Labels): CounterChild {
    const child = { labels, value: 0 };
    this.#children.set(key, child);
    return child;
  }

  #values(): MetricValue[] {
    return [...this.#children.values()].map((c) => ({ labels: c.labels, value: c.value }));
  }
}

export class HistogramChild {
  /** Observations per bucket (not cumulative); the last is above every bound (+Inf). */
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly labels: Labels, private readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

export class HistogramSeries {
  readonly #children = new Map<string, HistogramChild>();

  constructor(registry: Registry, private readonly name: string, help: string, private readonly bounds: readonly number[]) {
    register(registry, name, help, 'histogram', () => this.#values(), () => this.#children.clear());
  }

  /** The series of one label set, named uniquely by `key`; undefined before add(). */
  get(key: string): HistogramChild | undefined {
    return this.#children.get(key);
  }

  add(key: string, labels: Labels): HistogramChild {
    const child = new HistogramChild(labels, this.bounds);
    this.#children.set(key, child);
    return child;
  }

  #values(): MetricValue[] {
    const values: MetricValue[] = [];
    for (const c of this.#children.values()) {
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += c.counts[i];
        const le = i < this.bounds.length ? String(this.bounds[i]) : '+Inf';
        values.push({ labels: { ...c.labels, le }, value: cumulative, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: c.labels, value: c.sum, metricName: `${this.name}_sum` });
      values.push({ labels: c.labels, value: c.count, metricName: `${this.name}_count` });
    }
    return values;
  }
}
