// Counts in-flight invocations per function and per account, enforcing reserved concurrency
// and the account limit the way Lambda throttles: 429 TooManyRequestsException "Rate Exceeded.".
import { awsError } from '../core/errors.js';

const throttled = (reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded') =>
  awsError('TooManyRequestsException', 'Rate Exceeded.', { extra: { Reason: reason }, headers: { 'Retry-After': '1' } });

export interface Lease {
  release(): void;
}

export class ConcurrencyTracker {
  readonly #perFunction = new Map<string, number>();
  #perAccount = new Map<string, number>();

  constructor(private readonly accountLimit: number) {}

  /**
   * Takes a slot for one invocation or throws the throttling error.
   * `reserved` is the function's reserved concurrency (undefined: it shares the unreserved pool).
   */
  acquire(accountKey: string, functionKey: string, reserved: number | undefined): Lease {
    const running = this.#perFunction.get(functionKey) ?? 0;
    if (reserved !== undefined && running >= reserved) throw throttled('ReservedFunctionConcurrentInvocationLimitExceeded');
    const accountRunning = this.#perAccount.get(accountKey) ?? 0;
    if (accountRunning >= this.accountLimit) throw throttled('ConcurrentInvocationLimitExceeded');
    this.#perFunction.set(functionKey, running + 1);
    this.#perAccount.set(accountKey, accountRunning + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const f = (this.#perFunction.get(functionKey) ?? 1) - 1;
        if (f <= 0) this.#perFunction.delete(functionKey);
        else this.#perFunction.set(functionKey, f);
        this.#perAccount.set(accountKey, (this.#perAccount.get(accountKey) ?? 1) - 1);
      },
    };
  }

  running(functionKey: string): number {
    return this.#perFunction.get(functionKey) ?? 0;
  }
}
