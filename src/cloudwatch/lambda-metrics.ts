// AWS/Lambda metrics as Lambda publishes them: Invocations, Errors (0 or 1 per invocation, so
// Average is the error rate), Duration (ms) and Throttles, per dimension set — none (the account),
// FunctionName, FunctionName+Resource for a qualified invocation (Resource `name:qualifier`), and
// FunctionName+Resource+ExecutedVersion when the qualifier is an alias. One Map lookup per
// invocation finds the cells of every set; then a few additions each.
import type { MetricAggregator, StatCell } from './aggregator.js';
import { MINUTE_MS } from './aggregator.js';
import { canonicalDimensions, type Dimension } from './series-key.js';

export interface InvokedFunction {
  accountId: string;
  region: string;
  name: string;
  /** As the caller named it: undefined (unqualified), `$LATEST`, a version number or an alias. */
  qualifier?: string;
}

interface CellGroup {
  invocations: StatCell[];
  errors: StatCell[];
  duration: StatCell[];
}

export class LambdaMetricsRecorder {
  readonly #groups = new Map<string, CellGroup>();
  readonly #throttles = new Map<string, StatCell[]>();
  readonly #concurrency = new Map<string, [account: StatCell, fn: StatCell]>();

  constructor(private readonly aggregator: MetricAggregator, private readonly now: () => number = Date.now) {}

  invocation(fn: InvokedFunction, executedVersion: string, failed: boolean, durationMs: number | undefined): void {
    const key = `${fn.accountId}\0${fn.region}\0${fn.name}\0${fn.qualifier ?? ''}\0${executedVersion}`;
    const group = this.#groups.get(key) ?? this.#addGroup(key, fn, executedVersion);
    const t = this.now();
    const minute = t - (t % MINUTE_MS);
    const error = failed ? 1 : 0;
    for (let i = 0; i < group.invocations.length; i++) {
      group.invocations[i].add(minute, 1);
      group.errors[i].add(minute, error);
      if (durationMs !== undefined) group.duration[i].add(minute, durationMs);
    }
  }

  throttle(fn: InvokedFunction): void {
    const key = `${fn.accountId}\0${fn.region}\0${fn.name}\0${fn.qualifier ?? ''}`;
    const cells = this.#throttles.get(key) ?? this.#addThrottles(key, fn);
    const t = this.now();
    const minute = t - (t % MINUTE_MS);
    for (const c of cells) c.add(minute, 1);
  }

  /**
   * ConcurrentExecutions (its Maximum is what Lambda's means): at each invocation's start, the
   * invocations in flight on this node for the account (no dimensions) and the function (FunctionName).
   */
  concurrency(fn: InvokedFunction, functionRunning: number, accountRunning: number): void {
    const key = `${fn.accountId}\0${fn.region}\0${fn.name}`;
    const cells = this.#concurrency.get(key) ?? this.#addConcurrency(key, fn);
    const t = this.now();
    const minute = t - (t % MINUTE_MS);
    cells[0].add(minute, accountRunning);
    cells[1].add(minute, functionRunning);
  }

  #addConcurrency(key: string, fn: InvokedFunction): [StatCell, StatCell] {
    const cell = (dims: Dimension[]) => this.aggregator.cell(
      { accountId: fn.accountId, region: fn.region, namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', dimensions: canonicalDimensions(dims) }, 'Count');
    const cells: [StatCell, StatCell] = [cell([]), cell([{ Name: 'FunctionName', Value: fn.name }])];
    this.#concurrency.set(key, cells);
    return cells;
  }

  #cells(fn: InvokedFunction, metricName: string, unit: string, executedVersion: string | undefined): StatCell[] {
    return dimensionSets(fn, executedVersion).map((dims) => this.aggregator.cell(
      { accountId: fn.accountId, region: fn.region, namespace: 'AWS/Lambda', metricName, dimensions: canonicalDimensions(dims) }, unit));
  }

  #addGroup(key: string, fn: InvokedFunction, executedVersion: string): CellGroup {
    const group = {
      invocations: this.#cells(fn, 'Invocations', 'Count', executedVersion),
      errors: this.#cells(fn, 'Errors', 'Count', executedVersion),
      duration: this.#cells(fn, 'Duration', 'Milliseconds', executedVersion),
    };
    this.#groups.set(key, group);
    return group;
  }

  #addThrottles(key: string, fn: InvokedFunction): StatCell[] {
    const cells = this.#cells(fn, 'Throttles', 'Count', undefined);
    this.#throttles.set(key, cells);
    return cells;
  }
}

/** The dimension sets Lambda publishes an invocation under (ExecutedVersion: known after the alias picked a version). */
export function dimensionSets(fn: InvokedFunction, executedVersion: string | undefined): Dimension[][] {
  const byName = { Name: 'FunctionName', Value: fn.name };
  const sets: Dimension[][] = [[], [byName]];
  if (fn.qualifier !== undefined) {
    const resource = { Name: 'Resource', Value: `${fn.name}:${fn.qualifier}` };
    sets.push([byName, resource]);
    const isAlias = fn.qualifier !== '$LATEST' && !/^\d+$/.test(fn.qualifier);
    if (isAlias && executedVersion !== undefined) sets.push([byName, resource, { Name: 'ExecutedVersion', Value: executedVersion }]);
  }
  return sets;
}
