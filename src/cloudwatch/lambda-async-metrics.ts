// AWS/Lambda metrics of asynchronous (Event) invocations, as Lambda publishes them:
// AsyncEventsReceived (an event queued), AsyncEventAge (Milliseconds from queueing to each attempt),
// AsyncEventsDropped (an event given up without a successful run, whether or not its record goes
// to a destination), by FunctionName and FunctionName+Resource; DeadLetterErrors and
// DestinationDeliveryFailures (a record that could not be delivered) also for the whole account.
// The queue calls these once per step of an event, which is a database write each: a Map lookup per
// call is nothing next to that.
import type { MetricAggregator, StatCell } from './aggregator.js';
import { MINUTE_MS } from './aggregator.js';
import { canonicalDimensions } from './series-key.js';
import { dimensionSets, type InvokedFunction } from './lambda-metrics.js';

type AsyncMetric = 'AsyncEventsReceived' | 'AsyncEventAge' | 'AsyncEventsDropped' | 'DeadLetterErrors' | 'DestinationDeliveryFailures';

/** The metrics Lambda also publishes with no dimensions (the account's). */
const ACCOUNT_WIDE: ReadonlySet<AsyncMetric> = new Set(['DeadLetterErrors', 'DestinationDeliveryFailures']);

export class AsyncEventMetrics {
  readonly #cells = new Map<string, StatCell[]>();

  constructor(private readonly aggregator: MetricAggregator, private readonly now: () => number = Date.now) {}

  /** An event was queued (an Event invocation accepted, or an invocation record sent to a destination function). */
  received(fn: InvokedFunction): void {
    this.#add('AsyncEventsReceived', fn, 1);
  }

  /** An attempt starts: how long the event has waited since it was queued. */
  age(fn: InvokedFunction, ageMs: number): void {
    this.#add('AsyncEventAge', fn, ageMs);
  }

  /** The event was given up (age, retries, or it can never run). */
  dropped(fn: InvokedFunction): void {
    this.#add('AsyncEventsDropped', fn, 1);
  }

  /** A dropped event's dead-letter queue could not be sent it. */
  deadLetterError(fn: InvokedFunction): void {
    this.#add('DeadLetterErrors', fn, 1);
  }

  /** An invocation record could not be delivered to its destination. */
  destinationDeliveryFailure(fn: InvokedFunction): void {
    this.#add('DestinationDeliveryFailures', fn, 1);
  }

  #add(metric: AsyncMetric, fn: InvokedFunction, value: number): void {
    const key = `${metric}\0${fn.accountId}\0${fn.region}\0${fn.name}\0${fn.qualifier ?? ''}`;
    const cells = this.#cells.get(key) ?? this.#addCells(key, metric, fn);
    const t = this.now();
    const minute = t - (t % MINUTE_MS);
    for (const c of cells) c.add(minute, value);
  }

  #addCells(key: string, metric: AsyncMetric, fn: InvokedFunction): StatCell[] {
    const sets = dimensionSets(fn, undefined);
    const unit = metric === 'AsyncEventAge' ? 'Milliseconds' : 'Count';
    const cells = (ACCOUNT_WIDE.has(metric) ? sets : sets.slice(1)).map((dims) =>
      this.aggregator.cell({ accountId: fn.accountId, region: fn.region, namespace: 'AWS/Lambda', metricName: metric, dimensions: canonicalDimensions(dims) }, unit),
    );
    this.#cells.set(key, cells);
    return cells;
  }
}
