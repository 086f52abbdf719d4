// Invocations sent ahead to an environment's runtime while another runs (private channel only,
// environment.ts decides when): the places the pool reserved for them, the ones sent and not yet
// begun, in order, and their withdrawal when they waited too long to begin.
import { InvocationNotStartedError } from './errors.js';
import { invocationHeaders, type Invocation } from './invocation.js';
import type { RuntimeChannel } from './runtime-channel.js';

/**
 * Invocations sent ahead to one environment at most. Two keep a quick function's runtime from
 * sleeping between invocations while the server turns an answer round (one is not enough: the
 * runtime often finishes the next before the server has read the answer before it).
 */
const SEND_AHEAD_DEPTH = 2;

export class SendAheadQueue {
  /** Sent to the runtime, not yet begun, in order. */
  readonly #queued: Invocation[] = [];
  /** Places promised to invocations about to be sent (reserve()), not yet taken (claim()). */
  #reserved = 0;
  /** How long an invocation sent ahead may wait to begin before it is withdrawn (the latest reserve()'s). */
  #maxWaitMs = 0;

  /** Another place may be reserved. */
  get hasRoom(): boolean {
    return this.#queued.length + this.#reserved < SEND_AHEAD_DEPTH;
  }

  /** Invocations were sent and have not begun. */
  get waiting(): boolean {
    return this.#queued.length > 0;
  }

  reserve(maxWaitMs: number): void {
    this.#reserved++;
    this.#maxWaitMs = maxWaitMs;
  }

  /** Takes a reserved place: false when none was reserved. */
  claim(): boolean {
    if (this.#reserved === 0) return false;
    this.#reserved--;
    return true;
  }

  /** Sends `inv` ahead on `channel`; it is withdrawn unless it begins within the reservation's wait. */
  send(inv: Invocation, channel: RuntimeChannel): void {
    this.#queued.push(inv);
    channel.sendAhead(invocationHeaders(inv), inv.timeoutMs, inv.req.payload);
    inv.timer = setTimeout(() => channel.withdraw(inv.req.requestId), this.#maxWaitMs);
  }

  /** The runtime begins `requestId`: off the queue, too late to withdraw (undefined: not sent here). */
  take(requestId: string): Invocation | undefined {
    const at = this.#queued.findIndex((q) => q.req.requestId === requestId);
    if (at === -1) return undefined;
    const [inv] = this.#queued.splice(at, 1);
    clearTimeout(inv.timer);
    return inv;
  }

  /** Puts back an invocation take() took (first in line). */
  putBack(inv: Invocation): void {
    this.#queued.unshift(inv);
  }

  /** The runtime gave back `requestId` before beginning it (it had waited too long): it fails, to run elsewhere. */
  withdrawn(requestId: string): void {
    const inv = this.take(requestId);
    if (!inv) return;
    inv.finished = true;
    inv.reject(new InvocationNotStartedError(true));
  }

  /** The environment died: no place is kept, and nothing sent ahead will begin. */
  clear(): void {
    this.#reserved = 0;
    for (const never of this.#queued.splice(0)) {
      never.finished = true;
      clearTimeout(never.timer);
      never.reject(new InvocationNotStartedError(false));
    }
  }
}
