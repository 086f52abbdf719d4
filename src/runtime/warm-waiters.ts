// Invocations waiting for a busy environment of their key to free up (paced scale-out, see
// scale-out.ts): FIFO per key, each with a wait budget after which it starts an environment of its
// own — unless one of its key is already starting, in which case it waits on for that one or a
// busy one (one cold start at a time per key). A waiter is served by an environment that frees up,
// or by one that can take an invocation sent ahead (EnvironmentPool, Environment.canQueue).
import type { Environment } from './environment.js';
import type { ScaleOutPolicy } from './scale-out.js';
import type { FunctionSpec } from './types.js';

/** An environment for an invocation: free (leased to it), or busy and taking it sent ahead. */
export interface Slot {
  env: Environment;
  ahead: boolean;
}

interface WarmWaiter {
  spec: FunctionSpec;
  resolve(slot: Slot): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class WarmWaiters {
  readonly #byKey = new Map<string, WarmWaiter[]>();
  readonly #policy: ScaleOutPolicy;
  /** Gets a new environment for a waiter that stops waiting (a cell, a cold start, or the capacity queue). */
  readonly #startNew: (spec: FunctionSpec) => Promise<Environment>;

  constructor(policy: ScaleOutPolicy, startNew: (spec: FunctionSpec) => Promise<Environment>) {
    this.#policy = policy;
    this.#startNew = startNew;
  }

  /** Waits up to `budgetMs` for an environment handed over by `handOver`, then starts one. */
  wait(spec: FunctionSpec, budgetMs: number): Promise<Slot> {
    return new Promise((resolve, reject) => {
      const expire = (): void => {
        if (!this.#policy.mayStartAfterWaiting(spec.key)) {
          waiter.timer = setTimeout(expire, budgetMs);
          return;
        }
        if (this.#remove(waiter)) this.#startNew(spec).then((env) => resolve({ env, ahead: false }), reject);
      };
      const waiter: WarmWaiter = { spec, resolve, reject, timer: setTimeout(expire, budgetMs) };
      const list = this.#byKey.get(spec.key);
      if (list) list.push(waiter);
      else this.#byKey.set(spec.key, [waiter]);
    });
  }

  /**
   * Gives a freed environment to the longest-waiting invocation of its key; false when none waits.
   * `lease` marks it busy before the waiter resumes.
   */
  handOver(env: Environment, lease: (env: Environment) => void): boolean {
    const waiter = this.#take(env.key);
    if (!waiter) return false;
    lease(env);
    waiter.resolve({ env, ahead: false });
    return true;
  }

  /**
   * Gives the longest-waiting invocation of its key a busy environment to be sent ahead to; false
   * when none waits. `reserve` holds its place there before the waiter resumes.
   */
  sendAhead(env: Environment, reserve: (env: Environment) => void): boolean {
    const waiter = this.#take(env.key);
    if (!waiter) return false;
    reserve(env);
    waiter.resolve({ env, ahead: true });
    return true;
  }

  #take(key: string): WarmWaiter | undefined {
    const waiter = this.#byKey.get(key)?.[0];
    if (!waiter) return undefined;
    this.#remove(waiter);
    clearTimeout(waiter.timer);
    return waiter;
  }

  /** Nobody busy will hand over an environment of `key` any more: its waiters start their own. */
  startAll(key: string): void {
    const list = this.#byKey.get(key);
    if (!list) return;
    this.#byKey.delete(key);
    for (const w of list) {
      clearTimeout(w.timer);
      this.#startNew(w.spec).then((env) => w.resolve({ env, ahead: false }), w.reject);
    }
  }

  rejectAll(error: () => Error): void {
    for (const list of this.#byKey.values()) {
      for (const w of list) {
        clearTimeout(w.timer);
        w.reject(error());
      }
    }
    this.#byKey.clear();
  }

  #remove(waiter: WarmWaiter): boolean {
    const list = this.#byKey.get(waiter.spec.key);
    const i = list ? list.indexOf(waiter) : -1;
    if (i === -1) return false;
    list!.splice(i, 1);
    if (list!.length === 0) this.#byKey.delete(waiter.spec.key);
    return true;
  }
}
