// The memory watchdog of a pool's environments: every 100 ms it samples the inits and invocations
// that have run for a while (quick ones report their own peak with their answers), and now and
// then the idle environments, so that what a function left running between invocations (a memory
// hog, a fork bomb where the kernel's process limit does not apply) is held to the memory size too.
// An environment over its memory size is killed by its own sampleMemory().
import { performance } from 'node:perf_hooks';

const TICK_MS = 100;
/** Each idle environment is sampled at most once a round of this many ticks (1 s)… */
const IDLE_ROUND_TICKS = 10;
/**
 * …and at most this many per tick (a few /proc reads each): a thousand idle environments then
 * cost no stall of the event loop, each being sampled every few seconds instead.
 */
const IDLE_SAMPLES_PER_TICK = 16;

export interface Watched {
  readonly leased: boolean;
  readonly state: string;
  memoryWatchDue(now: number): boolean;
  sampleMemory(): void;
}

export class MemoryWatchdog<E extends Watched> {
  readonly #environments: () => Iterable<E>;
  /** Whether an idle environment is one to sample (alive, ready, not a pre-started cell). */
  readonly #watchIdle: (env: E) => boolean;
  #timer: NodeJS.Timeout | undefined;
  #ticks = 0;
  /** Idle environments still to sample in this round. */
  #idleToSample: E[] = [];

  constructor(environments: () => Iterable<E>, watchIdle: (env: E) => boolean) {
    this.#environments = environments;
    this.#watchIdle = watchIdle;
  }

  start(): void {
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#idleToSample = [];
  }

  #tick(): void {
    const now = performance.now();
    for (const env of this.#environments()) if (env.leased && env.memoryWatchDue(now)) env.sampleMemory();
    if (++this.#ticks >= IDLE_ROUND_TICKS && this.#idleToSample.length === 0) {
      this.#ticks = 0;
      for (const env of this.#environments()) if (!env.leased) this.#idleToSample.push(env);
    }
    for (let n = 0; n < IDLE_SAMPLES_PER_TICK && this.#idleToSample.length > 0; n++) {
      const env = this.#idleToSample.pop()!;
      if (!env.leased && env.state === 'ready' && this.#watchIdle(env)) env.sampleMemory();
    }
  }
}
