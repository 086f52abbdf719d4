// Counts in-flight invocations per function and per account, enforcing reserved concurrency
// and the account limit the way Lambda throttles: 429 TooManyRequestsException "Rate Exceeded.".
// In a cluster, a function's reserved concurrency holds across nodes (its slots live in the shared
// database, ConcurrencyLeases); the account limit is counted per node.
import { awsError } from '../core/errors.js';
import { logger } from '../core/logger.js';
import type { ConcurrencyLeases } from '../store/concurrency-leases.js';

const throttled = (reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded') =>
  awsError('TooManyRequestsException', 'Rate Exceeded.', { extra: { Reason: reason }, headers: { 'Retry-After': '1' } });

/** A shared slot outlives its invocation by this much before another node may take it (a node that died). */
const SHARED_SLOT_GRACE_MS = 30_000;

export interface Lease {
  /**
   * Ends the invocation's hold. A slot shared across a cluster resolves once the database has it back,
   * so a caller answered after it finds the slot free on any node (a failure is logged, not thrown:
   * the slot then frees itself when its time is up).
   */
  release(): void | Promise<void>;
}

export class ConcurrencyTracker {
  readonly #perFunction = new Map<string, number>();
  #perAccount = new Map<string, number>();
  /** In-flight invocations of functions without reserved concurrency (UnreservedConcurrentExecutions). */
  readonly #unreserved = new Map<string, number>();
  /** Reserved plus provisioned concurrency per account, as last planned (ClaimedAccountConcurrency's fixed part). */
  #allocated = new Map<string, number>();
  #onNewAccount?: () => void;

  constructor(private readonly accountLimit: number, private readonly shared?: ConcurrencyLeases) {}

  /**
   * Takes a slot for one invocation or throws the throttling error.
   * `reserved` is the function's reserved concurrency (undefined: it shares the unreserved pool);
   * `maxDurationMs` how long the invocation may run (how long a shared slot is held at most).
   */
  acquire(accountKey: string, functionKey: string, reserved: number | undefined, maxDurationMs: number): Lease | Promise<Lease> {
    const running = this.#perFunction.get(functionKey) ?? 0;
    if (reserved !== undefined && (reserved === 0 || (!this.shared && running >= reserved))) throw throttled('ReservedFunctionConcurrentInvocationLimitExceeded');
    const accountRunning = this.#perAccount.get(accountKey) ?? 0;
    if (accountRunning >= this.accountLimit) throw throttled('ConcurrentInvocationLimitExceeded');
    const local = this.#take(accountKey, functionKey, reserved === undefined);
    if (!this.shared || reserved === undefined) return local;
    return this.#takeShared(this.shared, functionKey, reserved, maxDurationMs, local);
  }

  running(functionKey: string): number {
    return this.#perFunction.get(functionKey) ?? 0;
  }

  /** In-flight invocations of the account on this node. */
  accountRunning(accountKey: string): number {
    return this.#perAccount.get(accountKey) ?? 0;
  }

  /** Accounts invoked on this node since the start. */
  knownAccounts(): IterableIterator<string> {
    return this.#perAccount.keys();
  }

  /** Called once for each account the first time it is invoked here. */
  onNewAccount(hook: () => void): void {
    this.#onNewAccount = hook;
  }

  setAllocated(allocated: Map<string, number>): void {
    this.#allocated = allocated;
  }

  /** ClaimedAccountConcurrency: what runs unreserved on this node plus what the account set aside. */
  claimed(accountKey: string): number {
    return (this.#unreserved.get(accountKey) ?? 0) + (this.#allocated.get(accountKey) ?? 0);
  }

  /** In-flight invocations on this node of the account's functions that have no reserved concurrency. */
  unreservedRunning(accountKey: string): number {
    return this.#unreserved.get(accountKey) ?? 0;
  }

  async #takeShared(shared: ConcurrencyLeases, functionKey: string, reserved: number, maxDurationMs: number, local: Lease): Promise<Lease> {
    let id: string | undefined;
    try {
      const now = Date.now();
      id = await shared.take(functionKey, reserved, now, now + maxDurationMs + SHARED_SLOT_GRACE_MS);
    } catch (e) {
      local.release();
      throw e;
    }
    if (id === undefined) {
      local.release();
      throw throttled('ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    const leaseId = id;
    return {
      release: () => {
        local.release();
        return shared.give(leaseId).catch((e: unknown) => logger.warn('a shared concurrency slot could not be given back; it frees itself when its time is up', { error: e instanceof Error ? e.message : String(e) }));
      },
    };
  }

  #take(accountKey: string, functionKey: string, unreserved: boolean): Lease {
    this.#perFunction.set(functionKey, (this.#perFunction.get(functionKey) ?? 0) + 1);
    const accountRunning = this.#perAccount.get(accountKey);
    if (accountRunning === undefined) this.#onNewAccount?.();
    this.#perAccount.set(accountKey, (accountRunning ?? 0) + 1);
    if (unreserved) this.#unreserved.set(accountKey, (this.#unreserved.get(accountKey) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const f = (this.#perFunction.get(functionKey) ?? 1) - 1;
        if (f <= 0) this.#perFunction.delete(functionKey);
        else this.#perFunction.set(functionKey, f);
        this.#perAccount.set(accountKey, (this.#perAccount.get(accountKey) ?? 1) - 1);
        if (unreserved) this.#unreserved.set(accountKey, (this.#unreserved.get(accountKey) ?? 1) - 1);
      },
    };
  }
}
