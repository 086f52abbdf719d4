// Provisioned concurrency at run time: turns the stored settings into environments to keep
// initialised (the pool's provision targets) and reports how far they are. Every Lambda write goes
// through the function cache's invalidation, so a moved alias, a deleted version or a new setting
// re-plans the targets: an alias's provisioned environments follow it to its new version.
import { logger } from '../core/logger.js';
import type { FunctionKey, ProvisionedConcurrencyRecord } from '../store/lambda-store.js';
import type { FunctionSpec } from '../runtime/types.js';
import type { LambdaDeps } from './deps.js';
import { functionSpec } from './function-spec.js';
import { isVersionNumber } from './names.js';
import { runtimeFamily } from './runtimes.js';
import { allocatedConcurrency } from './allocated-concurrency.js';

type Target = { spec: FunctionSpec; count: number };

export interface ProvisionedStatus {
  allocated: number;
  status: 'IN_PROGRESS' | 'READY' | 'FAILED';
  reason?: string;
}

export class Provisioning {
  readonly #deps: LambdaDeps;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  /** Accounts (`accountId:region`) whose functions were written since the start: their allocated concurrency is kept up to date. */
  readonly #accounts = new Set<string>();

  constructor(deps: LambdaDeps) {
    this.#deps = deps;
    deps.cache.onInvalidate((key) => {
      this.#accounts.add(`${key.accountId}:${key.region}`);
      this.schedule();
    });
    // An account invoked for the first time since the start: learn what it has set aside.
    deps.concurrency.onNewAccount(() => this.schedule());
  }

  /** Re-plans soon (writes come in bursts: one plan for all of them). */
  schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.reconcile();
    }, 20);
    this.#timer.unref();
  }

  /** Reads every setting and hands the pool its targets; a call during a run makes it run once more. */
  reconcile(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          const targets = new Map<string, Target>();
          const rows = await this.#deps.store.listAllProvisionedConcurrency();
          for (const row of rows) {
            for (const t of await this.#targetsOf(row, row)) {
              const prior = targets.get(t.spec.key);
              targets.set(t.spec.key, prior ? { spec: prior.spec, count: prior.count + t.count } : t);
            }
          }
          this.#deps.executor.provision(targets);
          const accounts = [...this.#accounts, ...this.#deps.concurrency.knownAccounts()];
          this.#deps.concurrency.setAllocated(await allocatedConcurrency(this.#deps.store, rows, accounts));
        } while (this.#again);
      } catch (e) {
        logger.error('provisioned concurrency could not be planned', { error: e instanceof Error ? e.stack : String(e) });
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  /** How the setting of one qualifier stands: environments initialised for it, and its status. */
  async status(ref: FunctionKey, record: ProvisionedConcurrencyRecord): Promise<ProvisionedStatus> {
    let allocated = 0;
    let reason: string | undefined;
    for (const t of await this.#targetsOf(ref, record)) {
      const state = this.#deps.executor.provisionState(t.spec.key);
      allocated += Math.min(state.ready, t.count);
      reason ??= state.failure;
    }
    if (reason !== undefined) return { allocated, status: 'FAILED', reason };
    return { allocated, status: allocated >= record.requested ? 'READY' : 'IN_PROGRESS' };
  }

  /**
   * The versions a setting keeps environments of: the version itself, or the alias's version and,
   * for a weighted alias, its additional version, sharing the count by weight (as AWS does).
   */
  async #targetsOf(ref: FunctionKey, record: ProvisionedConcurrencyRecord): Promise<Target[]> {
    const { store } = this.#deps;
    let shares: [string, number][];
    if (isVersionNumber(record.qualifier)) {
      shares = [[record.qualifier, record.requested]];
    } else {
      const alias = await store.getAlias(ref, record.qualifier);
      if (!alias?.FunctionVersion) return [];
      const extra = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {})[0];
      const extraCount = extra ? Math.round(record.requested * extra[1]) : 0;
      shares = [[alias.FunctionVersion, record.requested - extraCount]];
      if (extra && extraCount > 0) shares.push([extra[0], extraCount]);
    }
    const targets: Target[] = [];
    for (const [version, count] of shares) {
      const config = await store.getVersion(ref, version);
      if (!config?.Runtime || !runtimeFamily(config.Runtime) || count <= 0) continue;
      targets.push({ spec: await functionSpec(this.#deps, ref, config, version), count });
    }
    return targets;
  }
}
