// The server-wide budget of request bytes held in memory at once: request bodies while they are
// read and used, and (S3 GetObject) object bytes held for an answer. Each request takes its share
// through a lease that is released exactly once, when its response closes (sent, or the connection
// gone), so a failed, refused or aborted request never keeps bytes reserved. Past the budget a
// request is refused (each service answers its own throttling error, which SDKs retry with back-off)
// instead of the process running out of memory.
import type { ServerResponse } from 'node:http';

/** The budget had no room for the bytes a request asked for. */
export class BodyBudgetExhaustedError extends Error {
  constructor(readonly bytes: number, readonly limit: number) {
    super(`no room for ${bytes} more request bytes within the server's ${limit}-byte request memory`);
  }
}

export class BodyBudget {
  #inFlight = 0;
  #refusals = 0;

  constructor(readonly limit: number) {}

  /** Bytes reserved by requests whose responses have not closed yet. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Requests refused for want of room since the server started. */
  get refusals(): number {
    return this.#refusals;
  }

  /** The share of the request `res` answers; given back when `res` closes. */
  lease(res: ServerResponse): BodyLease {
    return new BodyLease(this, res);
  }

  /**
   * Reserves `bytes` for a request already holding `held`. A request alone in flight may pass the
   * budget (up to its own per-request limit): a budget smaller than the largest body would
   * otherwise make such bodies impossible.
   */
  reserve(bytes: number, held: number): boolean {
    if (this.#inFlight + bytes > this.limit && this.#inFlight !== held) {
      this.#refusals++;
      return false;
    }
    this.#inFlight += bytes;
    return true;
  }

  give(bytes: number): void {
    this.#inFlight -= bytes;
  }
}

export class BodyLease {
  #held = 0;
  #released = false;
  readonly #budget: BodyBudget;

  constructor(budget: BodyBudget, res: ServerResponse) {
    this.#budget = budget;
    // A response that already closed (its client gone before we got here) holds nothing.
    if (res.closed) this.#released = true;
    else res.once('close', () => this.release());
  }

  get held(): number {
    return this.#held;
  }

  /** Adds `bytes` to this request's share, or throws BodyBudgetExhaustedError. */
  take(bytes: number): void {
    if (bytes <= 0) return;
    if (this.#released || !this.#budget.reserve(bytes, this.#held)) throw new BodyBudgetExhaustedError(bytes, this.#budget.limit);
    this.#held += bytes;
  }

  /** Gives the whole share back; later calls do nothing. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#budget.give(this.#held);
    this.#held = 0;
  }
}
