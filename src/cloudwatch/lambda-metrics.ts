// AWS/Lambda metrics as Lambda publishes them: Invocations, Errors (0 or 1 per invocation, so
// Average is the error rate), Duration (ms) and Throttles, per dimension set — none (the account),
// FunctionName, FunctionName+Resource for a qualified invocation (Resource `name:qualifier`), and
// FunctionName+Resource+ExecutedVersion when the qualifier is an alias. One Map lookup per
// invocation, as it starts (started()), finds the cells of every set; then a few additions each.
// Concurrency samples (the qualifier's own count of invocations in flight included), provisioned
// concurrency and extensions' time ride on the same lookup; the asynchronous queue's metrics are in
// lambda-async-metrics.ts.
import type { MetricAggregator, StatCell } from './aggregator.js';
import { MINUTE_MS } from './aggregator.js';
import { canonicalDimensions, type Dimension } from './series-key.js';
import { AsyncEventMetrics } from './lambda-async-metrics.js';
import type { ProvisionedUsage } from '../runtime/types.js';

export interface InvokedFunction {
  accountId: string;
  region: string;
  name: string;
  /** As the caller named it: undefined (unqualified), `$LATEST`, a version number or an alias. */
  qualifier?: string;
}

/** An invocation's cells, found once as it starts; what it records goes through them. */
export interface InvocationCells {
  readonly fn: InvokedFunction;
  readonly executedVersion: string;
  invocations: StatCell[];
  errors: StatCell[];
  duration: StatCell[];
  /** ConcurrentExecutions: the account's (no dimensions) and the function's (FunctionName). */
  accountConcurrency: StatCell;
  functionConcurrency: StatCell;
  /** A qualified invocation's: ConcurrentExecutions by FunctionName+Resource, and the count it samples. */
  resource?: ResourceConcurrency;
  /** UnreservedConcurrentExecutions and ClaimedAccountConcurrency (no dimensions). */
  unreservedConcurrency: StatCell;
  claimedConcurrency: StatCell;
  /** Made on first use: only functions with extensions, or with provisioned concurrency, need them. */
  postRuntime?: StatCell[];
  provisioned?: ProvisionedCells;
}

/** Invocations of one version or alias in flight on this node (shared by an alias's executed versions). */
interface ResourceConcurrency {
  running: number;
  cell: StatCell;
}

/** By FunctionName and, for a qualified invocation, FunctionName+Resource (Utilization: only the latter). */
interface ProvisionedCells {
  invocations: StatCell[];
  spillover: StatCell[];
  executions: StatCell[];
  utilization: StatCell[];
}

/** Invocations in flight on this node as one ends (itself included). */
export interface InFlight {
  account: number;
  function: number;
  /** The account's invocations of functions without reserved concurrency (unset: not sampled). */
  unreserved?: number;
  /** ClaimedAccountConcurrency: `unreserved` plus the account's reserved and provisioned concurrency (unset: not sampled). */
  claimed?: number;
}

export class LambdaMetricsRecorder {
  readonly #groups = new Map<string, InvocationCells>();
  readonly #throttles = new Map<string, StatCell[]>();
  readonly #resources = new Map<string, ResourceConcurrency>();
  /** Metrics of the asynchronous invocation queue. */
  readonly async: AsyncEventMetrics;

  constructor(private readonly aggregator: MetricAggregator, private readonly now: () => number = Date.now) {
    this.async = new AsyncEventMetrics(aggregator, now);
  }

  /** An invocation begins (after its concurrency lease is taken): its cells, for the calls below and ended(). */
  started(fn: InvokedFunction, executedVersion: string): InvocationCells {
    const key = `${fn.accountId}\0${fn.region}\0${fn.name}\0${fn.qualifier ?? ''}\0${executedVersion}`;
    const cells = this.#groups.get(key) ?? this.#addGroup(key, fn, executedVersion);
    if (cells.resource) cells.resource.running++;
    return cells;
  }

  /** The invocation is over, however it ended (it no longer counts as in flight). */
  ended(cells: InvocationCells): void {
    if (cells.resource) cells.resource.running--;
  }

  /** One finished invocation; `inFlight` samples ConcurrentExecutions (read its Maximum, as on AWS). */
  invocation(group: InvocationCells, failed: boolean, durationMs: number | undefined, inFlight: InFlight): void {
    const minute = this.#minute();
    const error = failed ? 1 : 0;
    for (let i = 0; i < group.invocations.length; i++) {
      group.invocations[i].add(minute, 1);
      group.errors[i].add(minute, error);
      if (durationMs !== undefined) group.duration[i].add(minute, durationMs);
    }
    group.accountConcurrency.add(minute, inFlight.account);
    group.functionConcurrency.add(minute, inFlight.function);
    if (group.resource) group.resource.cell.add(minute, group.resource.running);
    if (inFlight.unreserved !== undefined) group.unreservedConcurrency.add(minute, inFlight.unreserved);
    if (inFlight.claimed !== undefined) group.claimedConcurrency.add(minute, inFlight.claimed);
  }

  /** An invocation of a version or alias with provisioned concurrency (besides invocation()). */
  provisioned(group: InvocationCells, usage: ProvisionedUsage): void {
    const cells = group.provisioned ?? (group.provisioned = this.#provisionedCells(group.fn));
    const minute = this.#minute();
    for (let i = 0; i < cells.invocations.length; i++) {
      (usage.onProvisioned ? cells.invocations : cells.spillover)[i].add(minute, 1);
      cells.executions[i].add(minute, usage.busy);
    }
    if (usage.allocated > 0) for (const c of cells.utilization) c.add(minute, usage.busy / usage.allocated);
  }

  /** PostRuntimeExtensionsDuration: how long extensions worked on an invocation after the runtime answered. */
  postRuntimeExtensions(group: InvocationCells, ms: number): void {
    const cells = group.postRuntime ?? (group.postRuntime = this.#cells(group.fn, 'PostRuntimeExtensionsDuration', 'Milliseconds', group.executedVersion));
    const minute = this.#minute();
    for (const c of cells) c.add(minute, ms);
  }

  throttle(fn: InvokedFunction): void {
    const key = `${fn.accountId}\0${fn.region}\0${fn.name}\0${fn.qualifier ?? ''}`;
    const cells = this.#throttles.get(key) ?? this.#addThrottles(key, fn);
    const minute = this.#minute();
    for (const c of cells) c.add(minute, 1);
  }

  #minute(): number {
    const t = this.now();
    return t - (t % MINUTE_MS);
  }

  #provisionedCells(fn: InvokedFunction): ProvisionedCells {
    const sets = dimensionSets(fn, undefined).slice(1);
    const cells = (metricName: string, dims: Dimension[][], unit = 'Count') => dims.map((d) => this.#cell(fn, metricName, d, unit));
    return {
      invocations: cells('ProvisionedConcurrencyInvocations', sets),
      spillover: cells('ProvisionedConcurrencySpilloverInvocations', sets),
      executions: cells('ProvisionedConcurrentExecutions', sets),
      utilization: cells('ProvisionedConcurrencyUtilization', sets.slice(1), 'None'),
    };
  }

  #cells(fn: InvokedFunction, metricName: string, unit: string, executedVersion: string | undefined): StatCell[] {
    return dimensionSets(fn, executedVersion).map((dims) => this.#cell(fn, metricName, dims, unit));
  }

  #cell(fn: InvokedFunction, metricName: string, dims: Dimension[], unit = 'Count'): StatCell {
    return this.aggregator.cell({ accountId: fn.accountId, region: fn.region, namespace: 'AWS/Lambda', metricName, dimensions: canonicalDimensions(dims) }, unit);
  }

  #addGroup(key: string, fn: InvokedFunction, executedVersion: string): InvocationCells {
    const group: InvocationCells = {
      fn,
      executedVersion,
      invocations: this.#cells(fn, 'Invocations', 'Count', executedVersion),
      errors: this.#cells(fn, 'Errors', 'Count', executedVersion),
      duration: this.#cells(fn, 'Duration', 'Milliseconds', executedVersion),
      accountConcurrency: this.#cell(fn, 'ConcurrentExecutions', []),
      functionConcurrency: this.#cell(fn, 'ConcurrentExecutions', [{ Name: 'FunctionName', Value: fn.name }]),
      unreservedConcurrency: this.#cell(fn, 'UnreservedConcurrentExecutions', []),
      claimedConcurrency: this.#cell(fn, 'ClaimedAccountConcurrency', []),
      resource: this.#resourceConcurrency(fn),
    };
    this.#groups.set(key, group);
    return group;
  }

  /** A qualifier's count and cell, one for all the executed versions of an alias (looked up only as a group is made). */
  #resourceConcurrency(fn: InvokedFunction): ResourceConcurrency | undefined {
    if (fn.qualifier === undefined) return undefined;
    const key = `${fn.accountId}\0${fn.region}\0${fn.name}\0${fn.qualifier}`;
    let found = this.#resources.get(key);
    if (!found) {
      const dims = [{ Name: 'FunctionName', Value: fn.name }, { Name: 'Resource', Value: `${fn.name}:${fn.qualifier}` }];
      found = { running: 0, cell: this.#cell(fn, 'ConcurrentExecutions', dims) };
      this.#resources.set(key, found);
    }
    return found;
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
