// The pool of execution environments: hands each invocation a warm environment of the same
// function version (spec.key) or starts one, within a global cap; reaps idle ones; watches memory.
//
//   invoke(spec, req) → acquire (warm | cold | evict another key's idle env | queue → 429)
//                     → environment.invoke(req) → release (back to idle, or to a queued caller)
import { mkdir } from 'node:fs/promises';
import { logger } from '../core/logger.js';
import { Environment, type EnvironmentContext } from './environment.js';
import { EnvironmentCapacityError, PoolClosedError, SandboxUnavailableError, UnsupportedRuntimeError } from './errors.js';
import { RuntimeApiServer } from './runtime-api-server.js';
import { describeRuntime } from './runtimes.js';
import { Bubblewrap, probeBubblewrap, type SandboxSetting, type SandboxStatus } from './sandbox.js';
import type { FunctionSpec, InvokeRequest, InvokeResult } from './types.js';

export interface EnvironmentPoolOptions {
  /** Most environments (processes) alive at once, all functions together. */
  maxEnvironments: number;
  /** An environment unused this long is stopped. */
  idleMs: number;
  /** 'auto': bubblewrap when it works, else unsandboxed with a warning; 'required': refuse without it. */
  sandbox: SandboxSetting;
  /** The bubblewrap executable (default /usr/bin/bwrap). */
  bubblewrapPath?: string;
  /** Scratch directory for the environments' private /tmp directories. */
  workDir: string;
  /** How long an invocation waits for a free slot when the cap is reached (default 500 ms). */
  queueTimeoutMs?: number;
  /** How long a runtime may take to initialise before it is stopped (default 10 s, as on AWS). */
  initTimeoutMs?: number;
  /** Variables every function gets unless it sets them itself (e.g. AWS_ENDPOINT_URL). */
  defaultEnvironment?: Record<string, string>;
  /**
   * Our own bootstraps take invocations over a private socketpair channel instead of the HTTP
   * Runtime API (default true; false is for comparisons and debugging).
   */
  privateChannel?: boolean;
  /** Credentials handed to functions (dummy values by default). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

export interface PoolStats {
  environments: number;
  busy: number;
  idle: number;
}

interface Waiter {
  spec: FunctionSpec;
  resolve(env: Environment): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const MEMORY_SAMPLE_MS = 100;

/** Pools alive in this process: their environments are killed if the process exits. */
const livePools = new Set<EnvironmentPool>();
process.on('exit', () => {
  for (const pool of livePools) pool.killAll();
});
const DEFAULT_CREDENTIALS = { accessKeyId: 'ASIASTAGECRAFTLOCAL0', secretAccessKey: 'stagecraft/local/secret/access/key/000', sessionToken: 'stagecraft-local-session-token' };

export class EnvironmentPool {
  readonly #options: Required<Omit<EnvironmentPoolOptions, 'defaultEnvironment' | 'credentials' | 'bubblewrapPath'>>;
  readonly #bubblewrapPath: string | undefined;
  readonly #api = new RuntimeApiServer();
  readonly #envs = new Set<Environment>();
  /** Stopped environments whose process is not gone yet (no longer counted against the cap). */
  readonly #dying = new Set<Environment>();
  /** Ready environments by key, most recently used last. */
  readonly #idle = new Map<string, Environment[]>();
  #waiters: Waiter[] = [];
  #context: EnvironmentContext | undefined;
  #status: SandboxStatus = { mode: 'none', reason: 'not started' };
  #sandboxRefusal: string | undefined;
  #state: 'new' | 'running' | 'closed' = 'new';
  #reaper: NodeJS.Timeout | undefined;
  #sampler: NodeJS.Timeout | undefined;
  readonly #defaultEnv: Record<string, string>;
  readonly #credentials: EnvironmentContext['credentials'];

  constructor(options: EnvironmentPoolOptions) {
    if (!(options.maxEnvironments >= 1)) throw new RangeError('maxEnvironments must be at least 1');
    this.#options = { queueTimeoutMs: 500, initTimeoutMs: 10_000, privateChannel: true, ...options };
    this.#defaultEnv = { ...options.defaultEnvironment };
    this.#bubblewrapPath = options.bubblewrapPath;
    this.#credentials = options.credentials ?? DEFAULT_CREDENTIALS;
  }

  /** Starts the Runtime API listener (loopback, ephemeral port) and checks the sandbox. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error('EnvironmentPool.start() called twice');
    await mkdir(this.#options.workDir, { recursive: true });
    const bubblewrap = await this.#prepareSandbox();
    await this.#api.start();
    this.#context = {
      api: this.#api,
      bubblewrap,
      workDir: this.#options.workDir,
      defaultEnv: this.#defaultEnv,
      privateChannel: this.#options.privateChannel,
      initTimeoutMs: this.#options.initTimeoutMs,
      credentials: this.#credentials,
    };
    const every = Math.max(20, Math.min(1000, Math.floor(this.#options.idleMs / 4)));
    this.#reaper = setInterval(() => this.#reapIdle(), every);
    this.#reaper.unref();
    this.#sampler = setInterval(() => this.#sampleMemory(), MEMORY_SAMPLE_MS);
    this.#sampler.unref();
    livePools.add(this);
    this.#state = 'running';
  }

  async #prepareSandbox(): Promise<Bubblewrap | undefined> {
    const setting = this.#options.sandbox;
    if (setting === 'off') {
      this.#status = { mode: 'none', reason: 'sandbox disabled by configuration' };
      logger.warn('Functions run WITHOUT a sandbox (--sandbox off): they can read and change everything this process can.');
      return undefined;
    }
    const bubblewrap = await Bubblewrap.forHost(this.#options.workDir, this.#bubblewrapPath);
    const probe = await probeBubblewrap(bubblewrap, this.#options.workDir);
    if (probe.ok) {
      this.#status = { mode: 'bubblewrap' };
      return bubblewrap;
    }
    this.#status = { mode: 'none', reason: probe.reason };
    if (setting === 'required') {
      this.#sandboxRefusal = probe.reason;
      logger.error('The sandbox is required but unavailable: functions will not run.', { reason: probe.reason });
    } else {
      logger.warn('Functions run WITHOUT a sandbox: bubblewrap is unavailable. They can read and change everything this process can.', {
        reason: probe.reason,
      });
    }
    return undefined;
  }

  /** Kills every environment now, synchronously (process exit). Prefer close(). */
  killAll(): void {
    for (const env of [...this.#envs, ...this.#dying]) env.kill();
  }

  sandboxStatus(): SandboxStatus {
    return { ...this.#status };
  }

  stats(): PoolStats {
    let busy = 0;
    for (const env of this.#envs) if (env.leased) busy++;
    return { environments: this.#envs.size, busy, idle: this.#envs.size - busy };
  }

  /** Runs one invocation in an environment for `spec`. Function failures resolve (functionError). */
  async invoke(spec: FunctionSpec, req: InvokeRequest): Promise<InvokeResult> {
    const env = await this.#acquire(spec);
    try {
      return await env.invoke(req);
    } finally {
      this.#release(env);
    }
  }

  /** Stops idle environments whose key starts with `keyPrefix`; busy ones stop after their invocation. */
  evict(keyPrefix: string): void {
    for (const env of this.#envs) {
      if (!env.key.startsWith(keyPrefix)) continue;
      if (env.leased) env.retired = true;
      else this.#stop(env);
    }
  }

  /** Stops every environment and the listener. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const wasRunning = this.#state === 'running';
    this.#state = 'closed';
    clearInterval(this.#reaper);
    clearInterval(this.#sampler);
    livePools.delete(this);
    for (const w of this.#waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new PoolClosedError());
    }
    const all = [...this.#envs, ...this.#dying];
    for (const env of all) env.kill();
    await Promise.all(all.map((env) => env.closed));
    if (wasRunning) await this.#api.close();
  }

  // --- Acquire / release ----------------------------------------------------------------------

  #acquire(spec: FunctionSpec): Promise<Environment> {
    if (this.#state !== 'running') return Promise.reject(new PoolClosedError());
    if (this.#sandboxRefusal) return Promise.reject(new SandboxUnavailableError(this.#sandboxRefusal));
    if (!describeRuntime(spec.runtime)) return Promise.reject(new UnsupportedRuntimeError(spec.runtime));

    const warm = this.#takeIdle(spec.key);
    if (warm) return Promise.resolve(warm);
    if (this.#envs.size >= this.#options.maxEnvironments) this.#stopLeastRecentlyUsedIdle();
    if (this.#envs.size < this.#options.maxEnvironments) return Promise.resolve(this.#launch(spec));

    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        spec,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          reject(new EnvironmentCapacityError());
        }, this.#options.queueTimeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  #release(env: Environment): void {
    env.leased = false;
    if (env.state === 'dead') return; // #onDead already handed its slot on
    if (env.retired || this.#state !== 'running') {
      this.#stop(env);
      return;
    }
    const sameKey = this.#waiters.findIndex((w) => w.spec.key === env.key);
    if (sameKey !== -1) {
      const [w] = this.#waiters.splice(sameKey, 1);
      clearTimeout(w.timer);
      env.leased = true;
      w.resolve(env);
      return;
    }
    if (this.#waiters.length > 0) {
      // Someone else is waiting for a slot: this environment makes room.
      this.#stop(env);
      return;
    }
    const list = this.#idle.get(env.key);
    if (list) list.push(env);
    else this.#idle.set(env.key, [env]);
  }

  #takeIdle(key: string): Environment | undefined {
    const list = this.#idle.get(key);
    while (list && list.length > 0) {
      const env = list.pop()!;
      if (list.length === 0) this.#idle.delete(key);
      if (env.state === 'ready') {
        env.leased = true;
        return env;
      }
    }
    return undefined;
  }

  #launch(spec: FunctionSpec): Environment {
    const env = new Environment(spec, describeRuntime(spec.runtime)!, this.#context!, (e) => this.#onDead(e));
    env.leased = true;
    this.#envs.add(env);
    void env.start();
    return env;
  }

  /** Stops an environment; its slot is free at once (the process gets SIGKILL). */
  #stop(env: Environment): void {
    this.#removeIdle(env);
    if (this.#envs.delete(env)) this.#dying.add(env);
    env.kill();
    this.#serveWaiters();
  }

  #stopLeastRecentlyUsedIdle(): void {
    let victim: Environment | undefined;
    for (const list of this.#idle.values()) {
      for (const env of list) if (!victim || env.lastUsedAt < victim.lastUsedAt) victim = env;
    }
    if (victim) this.#stop(victim);
  }

  #removeIdle(env: Environment): void {
    const list = this.#idle.get(env.key);
    if (!list) return;
    const i = list.indexOf(env);
    if (i !== -1) list.splice(i, 1);
    if (list.length === 0) this.#idle.delete(env.key);
  }

  #onDead(env: Environment): void {
    this.#removeIdle(env);
    this.#envs.delete(env);
    this.#dying.delete(env);
    this.#serveWaiters();
  }

  /** Gives freed capacity to queued invocations. */
  #serveWaiters(): void {
    while (this.#state === 'running' && this.#waiters.length > 0) {
      const w = this.#waiters[0];
      const warm = this.#takeIdle(w.spec.key);
      if (!warm && this.#envs.size >= this.#options.maxEnvironments) return;
      this.#waiters.shift();
      clearTimeout(w.timer);
      w.resolve(warm ?? this.#launch(w.spec));
    }
  }

  // --- Housekeeping -----------------------------------------------------------------------------

  #reapIdle(): void {
    const cutoff = Date.now() - this.#options.idleMs;
    for (const list of [...this.#idle.values()]) {
      for (const env of [...list]) if (env.lastUsedAt <= cutoff) this.#stop(env);
    }
  }

  #sampleMemory(): void {
    for (const env of this.#envs) {
      if (env.leased) void env.sampleMemory().catch(() => {});
    }
  }
}
