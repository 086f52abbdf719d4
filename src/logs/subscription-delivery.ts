// Subscription filters applied to log events as they are stored, and the matching events delivered
// to each filter's Lambda function as asynchronous invocations: one message per log stream per
// stored batch (split when large). Every filter is held compiled in memory by log group, reloaded
// after each change and, in a cluster, on every node (the change feed); each node delivers what it
// ingests. A function's own log group is never delivered to it, so it cannot feed itself in a loop.
import type { LogsScope, NewLogEvent } from '../store/logs-store.js';
import type { ScopedSubscriptionFilter, SubscriptionFilterStore } from '../store/subscription-filter-store.js';
import type { ChangeFeed } from '../store/change-feed.js';
import { logger } from '../core/logger.js';
import { FilterReloader } from './filter-reloader.js';
import { compilePattern, type MessageMatcher } from './filter-pattern.js';
import { controlMessage, dataMessages, lambdaEvent } from './subscription-message.js';
import { logGroupArn } from './resources.js';

/** Where messages go: the Lambda invoke pipeline, as the logs.amazonaws.com service principal. */
export interface SubscriptionDestination {
  /** Whether CloudWatch Logs may invoke the function (it exists and its resource policy allows it for the source). */
  allows(functionArn: string, sourceArn: string, sourceAccount: string): Promise<boolean>;
  /** Queues an Event invocation; rejects when it cannot be queued. */
  deliver(functionArn: string, sourceArn: string, sourceAccount: string, event: Buffer): Promise<void>;
}

interface LiveFilter {
  record: ScopedSubscriptionFilter;
  test: MessageMatcher;
}

const FEED_TOPIC = 'logs-subscription-filters';
const groupKey = (scope: LogsScope, group: string) => `${scope.accountId}\0${scope.region}\0${group}`;
const FUNCTION_NAME = /:function:([^:]+)/;

/** Whether a group holds the destination function's own logs (its default log group). */
export function isOwnLogGroup(functionArn: string, group: string): boolean {
  const name = FUNCTION_NAME.exec(functionArn)?.[1];
  return name !== undefined && group === `/aws/lambda/${name}`;
}

export class SubscriptionDelivery {
  readonly #store: SubscriptionFilterStore;
  readonly #reloader: FilterReloader;
  #destination: SubscriptionDestination | undefined;
  #byGroup = new Map<string, LiveFilter[]>();
  #delivered = 0;
  #failed = 0;

  constructor(store: SubscriptionFilterStore, feed?: ChangeFeed) {
    this.#store = store;
    this.#reloader = new FilterReloader(FEED_TOPIC, feed, () => this.#load(), 'subscription filters');
  }

  /** Where messages go (Lambda is created after CloudWatch Logs). */
  connect(destination: SubscriptionDestination): void {
    this.#destination = destination;
  }

  get destination(): SubscriptionDestination | undefined {
    return this.#destination;
  }

  stop(): void {
    this.#reloader.stop();
  }

  stats(): { delivered: number; failed: number } {
    return { delivered: this.#delivered, failed: this.#failed };
  }

  /** After this node changed filters: read them again, and have the other nodes do so too. */
  changed(): Promise<void> {
    return this.#reloader.changed();
  }

  reload(): Promise<void> {
    return this.#reloader.reload();
  }

  async #load(): Promise<void> {
    const byGroup = new Map<string, LiveFilter[]>();
    for (const f of await this.#store.allSubscriptionFilters()) {
      const key = groupKey(f.scope, f.groupName);
      byGroup.set(key, [...(byGroup.get(key) ?? []), { record: f, test: compilePattern(f.pattern).test }]);
    }
    this.#byGroup = byGroup;
  }

  has(scope: LogsScope, group: string): boolean {
    return this.#byGroup.has(groupKey(scope, group));
  }

  /** The check AWS makes when a filter is put: one CONTROL_MESSAGE to the function. */
  async sendControlMessage(scope: LogsScope, group: string, functionArn: string, now: number): Promise<void> {
    await this.#send(scope, group, functionArn, lambdaEvent(controlMessage(now)));
  }

  /** Delivers a stream's events just stored to the group's filters that match some of them. */
  observe(scope: LogsScope, group: string, stream: string, events: readonly NewLogEvent[]): void {
    const filters = this.#byGroup.get(groupKey(scope, group));
    if (!filters || !this.#destination) return;
    for (const { record, test } of filters) {
      if (isOwnLogGroup(record.destinationArn, group)) continue;
      const matching = events.filter((e) => test(e.message));
      for (const message of dataMessages(scope.accountId, group, stream, record.name, matching)) {
        void this.#send(scope, group, record.destinationArn, lambdaEvent(message));
      }
    }
  }

  async #send(scope: LogsScope, group: string, functionArn: string, event: Buffer): Promise<void> {
    try {
      await this.#destination?.deliver(functionArn, logGroupArn(scope, group), scope.accountId, event);
      this.#delivered++;
    } catch (e) {
      this.#failed++;
      logger.warn('could not deliver log events to a subscription filter destination', {
        logGroup: group, destination: functionArn, error: e instanceof Error ? e.message : String(e),
      });
    }
  }
}
