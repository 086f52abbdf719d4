// The invocations one environment holds (environment.ts is the host): the one waiting for init to
// finish, the one in flight (handed over, delivered when the runtime polls, its timeout), the
// runtime's open poll, and those sent ahead while another runs (send-ahead.ts). The environment
// decides when an invocation may be taken and how one ends; here is how it reaches the runtime.
import { performance } from 'node:perf_hooks';
import type { EnvironmentExtensions } from './environment-extensions.js';
import type { EnvironmentInit } from './environment-init.js';
import type { EnvironmentLifecycle } from './environment-state.js';
import type { KillReason } from './failures.js';
import { invocationHeaders, type Invocation } from './invocation.js';
import type { OutputAttribution } from './output-attribution.js';
import type { Poll } from './runtime-api.js';
import { SendAheadQueue } from './send-ahead.js';

/** What the invocations need of their environment. */
export interface InFlightHost {
  readonly lifecycle: EnvironmentLifecycle;
  readonly output: OutputAttribution;
  readonly init: EnvironmentInit;
  extensions(): EnvironmentExtensions | undefined;
  /** The environment is being killed already. */
  killing(): boolean;
  kill(reason: KillReason): void;
}

export class InvocationsInFlight {
  /** The invocation running (state 'invoking'). */
  running: Invocation | undefined;
  /** The invocation waiting for init to finish (state 'starting'). */
  pending: Invocation | undefined;
  /** Invocations sent to the runtime while another runs (private channel). */
  readonly ahead = new SendAheadQueue();
  #poll: Poll | undefined;
  readonly #host: InFlightHost;

  constructor(host: InFlightHost) {
    this.#host = host;
  }

  /** The invocation the runtime is working on: delivered and not finished. */
  get delivered(): Invocation | undefined {
    const inv = this.running;
    return inv && inv.deliveredAt !== 0 && !inv.finished ? inv : undefined;
  }

  /** The invocation in flight if `requestId` names it (what the runtime may answer). */
  current(requestId: string): Invocation | undefined {
    const inv = this.delivered;
    return inv?.req.requestId === requestId ? inv : undefined;
  }

  /** The runtime asks for an invocation: this poll supersedes any earlier one, and takes the invocation handed over, if any. */
  polled(poll: Poll): void {
    this.#poll?.refuse('Superseded by another /next request');
    this.#poll = poll;
    const inv = this.running;
    if (inv && inv.deliveredAt === 0) this.#deliver(inv);
  }

  /** The runtime's poll went away (its connection closed). */
  abandoned(poll: Poll): void {
    if (this.#poll === poll) this.#poll = undefined;
  }

  /** Hands `inv` to the runtime: at once if it polls, else when it does. */
  begin(inv: Invocation): void {
    this.#host.lifecycle.to('invoking');
    this.running = inv;
    const carried = this.#host.output.takeBetween();
    if (carried) inv.lines = carried;
    if (this.#poll) this.#deliver(inv);
    // A runtime that never asks for it (hung after its last answer) must not hold it forever.
    else inv.timer = setTimeout(() => this.#onTimeout(inv, true), inv.timeoutMs);
  }

  /**
   * The runtime begins an invocation sent ahead: it becomes the one in flight (the 'N' the runtime
   * sent with its last answer is spent on it). Everything on the channel from here on is its own.
   */
  beginsNext(requestId: string): void {
    const { lifecycle, output } = this.#host;
    const state = lifecycle.state;
    if (state === 'dead') return;
    const inv = this.ahead.take(requestId);
    if (!inv) return;
    const previous = this.running;
    if (previous && !previous.finished) {
      // Cannot happen with our bootstrap (answers come first); treat it as the runtime breaking the protocol.
      this.ahead.putBack(inv);
      output.record('[stagecraft] runtime began an invocation while another ran');
      this.#host.kill('shutdown');
      return;
    }
    if (state === 'ready') lifecycle.to('invoking');
    this.#poll = undefined;
    this.running = inv;
    const carried = output.takeBetween();
    if (carried) inv.lines = carried;
    inv.deliveredAt = performance.now();
    inv.timer = setTimeout(() => this.#onTimeout(inv), inv.timeoutMs);
  }

  /** The process is gone: its poll is refused. */
  refusePoll(): void {
    this.#poll?.refuse('Environment is shutting down');
    this.#poll = undefined;
  }

  /** The process is gone: nothing more is sent; returns the invocation it held, if any, for the environment to end. */
  takeHeld(): Invocation | undefined {
    const inv = this.running ?? this.pending;
    this.running = undefined;
    this.pending = undefined;
    this.ahead.clear();
    return inv;
  }

  #deliver(inv: Invocation): void {
    const init = this.#host.init;
    const poll = this.#poll!;
    this.#poll = undefined;
    const now = performance.now();
    // After init ran again for it, the invocation's Invoke phase (its Duration and timeout) began with that init.
    inv.deliveredAt = init.retried && !init.reported ? init.startedAt : now;
    const leftMs = Math.max(1, inv.deliveredAt + inv.timeoutMs - now);
    clearTimeout(inv.timer);
    inv.timer = setTimeout(() => this.#onTimeout(inv), leftMs);
    const headers = invocationHeaders(inv, leftMs);
    poll.deliver(headers, inv.req.payload);
    this.#host.extensions()?.invoke(headers);
  }

  /** `undelivered`: the runtime never asked for it; its timeout ran from when it was handed over. */
  #onTimeout(inv: Invocation, undelivered = false): void {
    if (inv.finished || this.#host.killing()) return;
    if (undelivered) inv.deliveredAt = performance.now() - inv.timeoutMs;
    // Timers may fire a hair early by performance.now(): the task ran for its whole timeout.
    inv.endedAt = Math.max(performance.now(), inv.deliveredAt + inv.timeoutMs);
    this.#host.kill('timeout');
  }
}
