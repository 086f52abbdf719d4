// Provisioned concurrency inside the pool: per environment key, how many initialised environments
// to keep, which ones are kept, and why a key gave up. Kept environments are started ahead of
// demand (AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency), handed to invocations like any
// idle environment, and exempt from idle reaping and from being stopped to make room. After three
// failed inits in a row a key stops trying until its target changes (reported as a failure).
import type { Environment } from './environment.js';
import type { FunctionSpec, ProvisionedUsage } from './types.js';

/** Provisioned concurrency for one function version (key): how many initialised environments to keep. */
export interface ProvisionTarget {
  spec: FunctionSpec;
  count: number;
}

/** Where a key's provisioned concurrency stands. */
export interface ProvisionState {
  /** Environments initialised and kept for it. */
  ready: number;
  /** Set after repeated failures to initialise; no more attempts until the targets change. */
  failure?: string;
}

/** What the pool does for provisioned concurrency. */
export interface ProvisioningHost {
  /** Starts an environment of `spec` within the cap (idle on-demand ones make room); undefined when there is none. */
  launch(spec: FunctionSpec): Environment | undefined;
  /** A ready, unleased environment is available to invocations. */
  offer(env: Environment): void;
  running(): boolean;
}

/** Inits in a row that may fail before a key's provisioning stops trying. */
const MAX_FAILURES = 3;
const FAILURE_REASON = "The function could not be initialized: its environment failed during init (see the function's log group).";

export class ProvisionedEnvironments {
  readonly #host: ProvisioningHost;
  #targets = new Map<string, ProvisionTarget>();
  readonly #kept = new Set<Environment>();
  readonly #failures = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(host: ProvisioningHost) {
    this.#host = host;
  }

  /** Whether the pool must keep this environment (no idle reaping, never stopped to make room). */
  keeps(env: Environment): boolean {
    return this.#kept.has(env);
  }

  /**
   * Replaces the targets. Environments of keys left out, and a key's surplus (idle ones first),
   * become ordinary on-demand environments again; what is missing starts.
   */
  setTargets(targets: Map<string, ProvisionTarget>): void {
    for (const key of this.#failures.keys()) {
      if (this.#targets.get(key)?.count !== targets.get(key)?.count) this.#failures.delete(key);
    }
    this.#targets = new Map(targets);
    const kept = new Map<string, number>();
    for (const env of [...this.#kept].sort((a, b) => Number(b.leased) - Number(a.leased))) {
      const n = kept.get(env.key) ?? 0;
      if (n < (targets.get(env.key)?.count ?? 0)) kept.set(env.key, n + 1);
      else this.#kept.delete(env);
    }
    this.fill();
  }

  /**
   * For an invocation `env` is running, when its key has provisioned concurrency: whether `env` is one
   * of the kept environments, and how many of those are busy (leased) now.
   */
  usage(env: Environment): ProvisionedUsage | undefined {
    const target = this.#targets.get(env.key);
    if (!target) return undefined;
    let busy = 0;
    for (const kept of this.#kept) if (kept.key === env.key && kept.leased) busy++;
    return { onProvisioned: this.#kept.has(env), busy, allocated: target.count };
  }

  state(key: string): ProvisionState {
    let ready = 0;
    for (const env of this.#kept) if (env.key === key && (env.state === 'ready' || env.state === 'invoking')) ready++;
    return (this.#failures.get(key) ?? 0) >= MAX_FAILURES ? { ready, failure: FAILURE_REASON } : { ready };
  }

  /** Starts what the targets miss, as far as the cap allows. */
  fill(): void {
    if (!this.#host.running()) return;
    for (const [key, target] of this.#targets) {
      if ((this.#failures.get(key) ?? 0) >= MAX_FAILURES) continue;
      let have = 0;
      for (const env of this.#kept) if (env.key === key) have++;
      for (; have < target.count; have++) {
        const env = this.#host.launch({ ...target.spec, initializationType: 'provisioned-concurrency' });
        if (!env) return;
        this.#keep(env);
      }
    }
  }

  /** An environment died: a kept one is replaced soon (later after repeated failures). */
  died(env: Environment): void {
    if (!this.#kept.delete(env) || this.#timer || !this.#targets.has(env.key)) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.fill();
    }, Math.min(5000, 100 * 2 ** (this.#failures.get(env.key) ?? 0)));
    this.#timer.unref();
  }

  close(): void {
    clearTimeout(this.#timer);
  }

  #keep(env: Environment): void {
    this.#kept.add(env);
    void env.initialised.then((ok) => {
      if (!ok) {
        this.#failures.set(env.key, (this.#failures.get(env.key) ?? 0) + 1);
        return;
      }
      this.#failures.delete(env.key);
      if (env.state === 'ready' && !env.leased) this.#host.offer(env);
    });
  }
}
