// The pool of execution environments: hands each invocation a warm environment of the same
// function version (spec.key) or starts one, within a global cap; reaps idle ones; watches memory.
//
//   invoke(spec, req) → acquire (warm | wait briefly for a busy one (paced scale-out, scale-out.ts)
//                                | pre-started cell, specialised | cold
//                                | evict another key's idle env or a cell | queue → 429)
//                     → environment.invoke(req) → release (back to idle, or to a queued caller)
//
// Pre-started cells (cell-stock.ts): generic bootstrap processes per (runtime family, memory size,
// ephemeral storage size), started ahead of need (nodejs/128 MB/512 MB from the start, other kinds
// once a function used them) and specialised for one function version on its cold start. The
// storage size is part of the kind because a sandboxed cell's /tmp is a tmpfs of that size from its
// start (an unprivileged sandbox cannot resize it later). They count against the cap, are evicted like
// idle environments, and are replaced in the background after use, never while an invocation waits.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { logger } from '../core/logger.js';
import { Environment, type EnvironmentContext } from './environment.js';
import { removeTmpDir } from './environment-launch.js';
import { EnvironmentCapacityError, InitFailedError, InvocationNotStartedError, PoolClosedError, SandboxUnavailableError, UnsupportedRuntimeError } from './errors.js';
import { RuntimeApiServer } from './runtime-api-server.js';
import { CellStock } from './cell-stock.js';
import { describeRuntime } from './runtimes.js';
import { chooseSandbox, type SandboxStatus } from './sandbox.js';
import { chooseFunctionNetwork, DEFAULT_PASTA_PATH, FunctionNetwork, loopbackPort, probeFunctionNetwork, type FunctionNetworkSetting, type FunctionNetworkStatus } from './function-network.js';
import { ScaleOutPolicy } from './scale-out.js';
import { processScheduler, type SchedulingSetting, type SchedulingStatus } from './scheduling.js';
import { WarmWaiters, type Slot } from './warm-waiters.js';
import { ProvisionedEnvironments, type ProvisionState, type ProvisionTarget } from './provisioned-environments.js';
import { type FunctionSpec, type InvokeRequest, type InvokeResult } from './types.js';
import type { EnvironmentPoolOptions, PoolStats } from './pool-options.js';
import { MemoryWatchdog } from './memory-watchdog.js';
import { parentDeathWrapper } from './parent-death.js';

export type { EnvironmentPoolOptions, PoolStats } from './pool-options.js';

interface Waiter {
  spec: FunctionSpec;
  resolve(env: Environment): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** When an environment was leased, and whether it was new then (its first invocation is a cold start). */
interface Lease {
  at: number;
  fresh: boolean;
}


/** Pools alive in this process: their environments are killed if the process exits. */
const livePools = new Set<EnvironmentPool>();
process.on('exit', () => {
  for (const pool of livePools) pool.killAll();
});
const DEFAULT_CREDENTIALS = { accessKeyId: 'ASIASTAGECRAFTLOCAL0', secretAccessKey: 'stagecraft/local/secret/access/key/000', sessionToken: 'stagecraft-local-session-token' };

export class EnvironmentPool {
  readonly #options: Required<Omit<EnvironmentPoolOptions, 'defaultEnvironment' | 'credentials' | 'shutdownLines' | 'bubblewrapPath' | 'prewarmFor' | 'scaleOut' | 'scheduling' | 'chrtPath' | 'functionNetwork' | 'pastaPath'>>;
  /** Pre-started cells not yet specialised, starting or ready (also in #envs). */
  readonly #cells: CellStock;
  readonly #bubblewrapPath: string | undefined;
  readonly #functionNetwork: FunctionNetworkSetting;
  readonly #pastaPath: string;
  readonly #schedulingSetting: SchedulingSetting;
  readonly #chrtPath: string | undefined;
  readonly #api = new RuntimeApiServer();
  readonly #envs = new Set<Environment>();
  /** Stopped environments whose process is not gone yet (no longer counted against the cap). */
  readonly #dying = new Set<Environment>();
  /** Ready environments by key, most recently used last. */
  readonly #idle = new Map<string, Environment[]>();
  #waiters: Waiter[] = [];
  readonly #scaleOut: ScaleOutPolicy;
  readonly #warmWaiters: WarmWaiters;
  readonly #leases = new WeakMap<Environment, Lease>();
  /** Invocations sent ahead to a busy environment (#invokeAhead) and not ended yet. */
  readonly #aheadCount = new WeakMap<Environment, number>();
  #sentAhead = 0;
  /** Provisioned concurrency: environments kept initialised per key (provision()). */
  readonly #provisioned = new ProvisionedEnvironments({
    launch: (spec) => this.#launchProvisioned(spec),
    offer: (env) => this.#offer(env),
    running: () => this.#state === 'running' && !this.#sandboxRefusal,
  });
  #context: EnvironmentContext | undefined;
  #status: SandboxStatus = { mode: 'none', reason: 'not started' };
  #networkStatus: FunctionNetworkStatus = { mode: 'host', reason: 'not started' };
  #scheduling: SchedulingStatus = { policy: 'normal', reason: 'not started' };
  #sandboxRefusal: string | undefined;
  #state: 'new' | 'running' | 'closed' = 'new';
  #reaper: NodeJS.Timeout | undefined;
  readonly #memoryWatchdog = new MemoryWatchdog<Environment>(() => this.#envs, (env) => this.#envs.has(env) && !this.#cells.has(env));
  readonly #defaultEnv: Record<string, string>;
  readonly #credentials: EnvironmentContext['credentials'];
  readonly #shutdownLines: EnvironmentContext['shutdownLines'];

  constructor(options: EnvironmentPoolOptions) {
    if (!(options.maxEnvironments >= 1)) throw new RangeError('maxEnvironments must be at least 1');
    this.#options = { queueTimeoutMs: 500, initTimeoutMs: 10_000, privateChannel: true, prewarm: 1, functionHostPorts: [], ...options };
    this.#cells = new CellStock({
      prewarm: this.#options.prewarm,
      privateChannel: this.#options.privateChannel,
      running: () => this.#state === 'running',
      mayLaunch: () => this.#state === 'running' && !this.#sandboxRefusal && this.#waiters.length === 0 && this.#envs.size < this.#options.maxEnvironments,
      sandboxed: () => this.#context!.bubblewrap !== undefined,
      launch: (placeholder, cell) => {
        const env = new Environment(placeholder, describeRuntime(placeholder.runtime)!, this.#context!, (e) => this.#onDead(e), cell);
        this.#envs.add(env);
        void env.start();
        return env;
      },
      stop: (env) => this.#stop(env),
    }, options.prewarmFor ?? [{ runtime: 'nodejs20.x', memorySize: 128 }]);
    this.#defaultEnv = { ...options.defaultEnvironment };
    this.#bubblewrapPath = options.bubblewrapPath;
    this.#functionNetwork = options.functionNetwork ?? 'isolated';
    this.#pastaPath = options.pastaPath ?? DEFAULT_PASTA_PATH;
    this.#schedulingSetting = options.scheduling ?? 'batch';
    this.#chrtPath = options.chrtPath;
    this.#credentials = options.credentials ?? DEFAULT_CREDENTIALS;
    this.#shutdownLines = options.shutdownLines;
    this.#scaleOut = new ScaleOutPolicy(options.scaleOut ?? 'paced');
    this.#warmWaiters = new WarmWaiters(this.#scaleOut, (spec) => this.#acquireNew(spec));
  }

  /** Adds variables every environment started from now on gets below the function's own. */
  setDefaultEnvironment(vars: Record<string, string>): void {
    Object.assign(this.#defaultEnv, vars);
    // In their own network namespaces, environments reach the server's port only if it is forwarded
    // when they start: cells started before the server listened start again.
    const endpoint = this.#defaultEnv.AWS_ENDPOINT_URL;
    const port = loopbackPort(endpoint);
    if (port !== undefined && this.#context?.network?.forward([port])) this.#cells.restart();
    else if (port === undefined && endpoint && this.#context?.network) {
      logger.warn(`Functions are told the server is at ${endpoint}, not on loopback: in their own network namespaces they reach it only if that address is not this host's own (bind 127.0.0.1 or 0.0.0.0, or use --function-network host).`);
    }
  }

  /** Starts the Runtime API listener (loopback, ephemeral port) and checks the sandbox. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error('EnvironmentPool.start() called twice');
    await mkdir(this.#options.workDir, { recursive: true });
    const sandbox = await chooseSandbox(this.#options.sandbox, this.#options.workDir, this.#bubblewrapPath);
    this.#status = sandbox.status;
    this.#sandboxRefusal = sandbox.refusal;
    const bubblewrap = sandbox.bubblewrap;
    const scheduler = await processScheduler(this.#schedulingSetting, this.#chrtPath);
    this.#scheduling = scheduler.status;
    if (scheduler.status.reason && this.#schedulingSetting === 'batch') logger.info('execution environments run under the normal scheduling policy', { reason: scheduler.status.reason });
    // Sandboxed, bubblewrap's --die-with-parent does this.
    const parentDeath = bubblewrap ? undefined : await parentDeathWrapper();
    if (parentDeath?.problem) logger.warn('unsandboxed environments may outlive a crashed server', { reason: parentDeath.problem });
    await this.#api.start();
    const network = bubblewrap ? await this.#chooseNetwork(bubblewrap) : undefined;
    if (!bubblewrap) this.#networkStatus = { mode: 'host', reason: 'functions run unsandboxed' };
    this.#context = {
      api: this.#api,
      bubblewrap,
      network,
      workDir: this.#options.workDir,
      defaultEnv: this.#defaultEnv,
      privateChannel: this.#options.privateChannel,
      initTimeoutMs: this.#options.initTimeoutMs,
      shutdownLines: this.#shutdownLines,
      credentials: this.#credentials,
      scheduler,
      parentDeath: parentDeath?.wrap,
    };
    const every = Math.max(20, Math.min(1000, Math.floor(this.#options.idleMs / 4)));
    this.#reaper = setInterval(() => this.#reapIdle(), every);
    this.#reaper.unref();
    this.#memoryWatchdog.start();
    livePools.add(this);
    this.#state = 'running';
    this.#cells.replenish();
  }

  /** Kills every environment now, synchronously (process exit). Prefer close(). */
  killAll(): void {
    for (const env of [...this.#envs, ...this.#dying]) env.kill();
  }

  /** The scheduling policy environments run under (batch unless chrt cannot, or configured otherwise). */
  schedulingStatus(): SchedulingStatus {
    return this.#scheduling;
  }

  sandboxStatus(): SandboxStatus {
    return { ...this.#status };
  }

  /** Whether sandboxed environments have their own network namespaces (function-network.ts). */
  networkStatus(): FunctionNetworkStatus {
    return { ...this.#networkStatus };
  }

  /** Environments' own network namespaces when the setting and the host allow, forwarding the Runtime API's port and the server's. */
  async #chooseNetwork(bubblewrap: NonNullable<EnvironmentContext['bubblewrap']>): Promise<FunctionNetwork | undefined> {
    const ports = [this.#api.port, ...this.#options.functionHostPorts];
    const endpoint = loopbackPort(this.#defaultEnv.AWS_ENDPOINT_URL);
    if (endpoint !== undefined) ports.push(endpoint);
    const network = new FunctionNetwork(this.#pastaPath, this.#options.workDir, ports);
    const setting = this.#functionNetwork;
    const chosen = await chooseFunctionNetwork(setting, true, this.#options.sandbox === 'required', () => probeFunctionNetwork(bubblewrap, network, this.#options.workDir), this.#pastaPath);
    this.#networkStatus = chosen.status;
    if (chosen.refusal) this.#sandboxRefusal = chosen.refusal;
    return chosen.status.mode === 'isolated' ? network : undefined;
  }

  stats(): PoolStats {
    let busy = 0;
    for (const env of this.#envs) if (env.leased) busy++;
    const environments = this.#envs.size - this.#cells.size;
    return { environments, busy, idle: environments - busy, prestarted: this.#cells.size, prestartedReady: this.#cells.ready, sentAhead: this.#sentAhead };
  }

  /** The code and layer trees this node's environments run from (the blob collector spares them). */
  *treesInUse(): Iterable<string> {
    for (const env of [...this.#envs, ...this.#dying]) {
      if (env.spec.codeDir) yield resolve(env.spec.codeDir);
      if (env.spec.optDir) yield resolve(env.spec.optDir);
    }
  }

  /** Runs one invocation in an environment for `spec`. Function failures resolve (functionError). */
  async invoke(spec: FunctionSpec, req: InvokeRequest): Promise<InvokeResult> {
    let waited = false;
    for (;;) {
      const { env, ahead } = await (waited ? this.#acquireAfterWaiting(spec) : this.#acquire(spec));
      if (ahead) {
        const outcome = await this.#invokeAhead(env, req);
        if (!(outcome instanceof InvocationNotStartedError)) return outcome;
        // It did not start there, so the function never saw it: it runs elsewhere, if it was
        // withdrawn after waiting as long as a cold start takes, as a warm waiter whose wait ran out.
        waited = outcome.withdrawn;
        continue;
      }
      let result: InvokeResult | undefined;
      let initFailed: InitFailedError | undefined;
      try {
        result = this.#withProvisionedUsage(env, await env.invoke(req));
        return result;
      } catch (e) {
        if (e instanceof InitFailedError) initFailed = e;
        // Its runtime exited before taking it (after answering the one before): it runs elsewhere.
        else if (!(e instanceof InvocationNotStartedError)) throw e;
      } finally {
        // The caller has its answer; an environment whose extensions still work on it is released once they are done.
        const busy = env.extensionsBusy;
        if (busy) void busy.then(() => this.#release(env, result));
        else this.#release(env, result);
      }
      if (initFailed) return this.#invokeAfterFailedInit(spec, req, initFailed, env.retired);
    }
  }

  /**
   * Init failed (or ran out of its 10 s) with this invocation waiting: as on AWS, it runs again as
   * part of the invocation, in a new environment that takes the failed one's place (unsandboxed it
   * keeps its /tmp; sandboxed, /tmp was a tmpfs that went with the failed process); the re-run and
   * the handler share the function's timeout (environment-init.ts). It has
   * the failed one's slot, which its death may have handed to a waiter: an idle environment makes
   * room then, if there is one. `retired`: the failed one was evicted, so is this one after the invocation.
   */
  async #invokeAfterFailedInit(spec: FunctionSpec, req: InvokeRequest, failed: InitFailedError, retired: boolean): Promise<InvokeResult> {
    if (this.#state !== 'running') {
      removeTmpDir(failed.retry.tmpDir);
      return failed.result;
    }
    if (this.#envs.size >= this.#options.maxEnvironments) this.#stopLeastRecentlyUsedIdle();
    const env = new Environment(spec, describeRuntime(spec.runtime)!, this.#context!, (e) => this.#onDead(e), undefined, failed.retry);
    env.retired = retired;
    this.#lease(env, true);
    this.#envs.add(env);
    void env.start();
    let result: InvokeResult | undefined;
    try {
      result = await env.invoke(req);
      return result;
    } finally {
      const busy = env.extensionsBusy;
      if (busy) void busy.then(() => this.#release(env, result));
      else this.#release(env, result);
    }
  }

  /**
   * Provisioned concurrency: keeps `count` initialised environments of each key, started ahead of
   * demand and exempt from idle reaping (AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency).
   * Replaces the previous targets: environments of keys left out, and a key's surplus, become
   * ordinary on-demand environments again (reaped once idle).
   */
  provision(targets: Map<string, ProvisionTarget>): void {
    this.#provisioned.setTargets(targets);
  }

  /** How a key's provisioned concurrency stands now. */
  provisionState(key: string): ProvisionState {
    return this.#provisioned.state(key);
  }

  /** Stops idle environments whose key starts with `keyPrefix`; busy ones stop after their invocation. */
  evict(keyPrefix: string): void {
    for (const env of this.#envs) {
      if (this.#cells.has(env) || !env.key.startsWith(keyPrefix)) continue;
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
    this.#memoryWatchdog.stop();
    this.#cells.close();
    this.#provisioned.close();
    livePools.delete(this);
    this.#warmWaiters.rejectAll(() => new PoolClosedError());
    for (const w of this.#waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new PoolClosedError());
    }
    const all = [...this.#envs, ...this.#dying];
    for (const env of all) env.stop();
    await Promise.all(all.map((env) => env.closed));
    if (wasRunning) await this.#api.close();
  }

  // --- Acquire / release ----------------------------------------------------------------------

  #acquire(spec: FunctionSpec): Promise<Slot> {
    if (this.#state !== 'running') return Promise.reject(new PoolClosedError());
    if (this.#sandboxRefusal) return Promise.reject(new SandboxUnavailableError(this.#sandboxRefusal));
    if (!describeRuntime(spec.runtime)) return Promise.reject(new UnsupportedRuntimeError(spec.runtime));

    const warm = this.#takeIdle(spec.key);
    if (warm) return Promise.resolve({ env: warm, ahead: false });
    const budgetMs = this.#scaleOut.waitBudgetMs(spec.key);
    if (budgetMs <= 0) return this.#acquireNew(spec).then((env) => ({ env, ahead: false }));
    const ahead = this.#sendAheadTarget(spec.key, budgetMs);
    return ahead ? Promise.resolve({ env: ahead, ahead: true }) : this.#warmWaiters.wait(spec, budgetMs);
  }

  /**
   * For an invocation that has waited its budget already: an idle environment, else a new one —
   * unless one of its version is starting, then it waits on as warm waiters do (one cold start at a
   * time per version, even when many invocations sent ahead come back at once).
   */
  #acquireAfterWaiting(spec: FunctionSpec): Promise<Slot> {
    const warm = this.#takeIdle(spec.key);
    if (warm) return Promise.resolve({ env: warm, ahead: false });
    const budgetMs = this.#scaleOut.waitBudgetMs(spec.key);
    if (budgetMs > 0 && !this.#scaleOut.mayStartAfterWaiting(spec.key)) return this.#warmWaiters.wait(spec, budgetMs);
    return this.#acquireNew(spec).then((env) => ({ env, ahead: false }));
  }

  /** A new environment for `spec`: a pre-started cell, a cold start, or a place in the capacity queue. */
  #acquireNew(spec: FunctionSpec): Promise<Environment> {
    if (this.#state !== 'running') return Promise.reject(new PoolClosedError());
    const cell = this.#cells.take(spec);
    if (cell) {
      this.#lease(cell, true);
      return Promise.resolve(cell);
    }
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

  /**
   * Paced scale-out makes this invocation wait for a busy environment of its version: rather than
   * wait for one to answer, it is sent ahead to one (the runtime starts it the moment it answers
   * the one it runs, the invocations of one environment still one at a time), which spares both
   * processes a sleep and a wake-up per invocation. Not behind a cold start.
   */
  #sendAheadTarget(key: string, budgetMs: number): Environment | undefined {
    for (const env of this.#envs) {
      if (env.key === key && env.leased && env.canQueue && !this.#leases.get(env)?.fresh) {
        this.#reserveAhead(env, budgetMs);
        return env;
      }
    }
    return undefined;
  }

  /**
   * Holds a place on a busy environment for an invocation to be sent ahead, withdrawn if it has not
   * started within `budgetMs` (as long as a warm waiter would wait): the environment stays leased
   * until that invocation ends.
   */
  #reserveAhead(env: Environment, budgetMs: number): void {
    env.reserveAhead(budgetMs);
    this.#aheadCount.set(env, (this.#aheadCount.get(env) ?? 0) + 1);
    this.#scaleOut.leased(env.key, false);
    this.#sentAhead++;
  }

  /** Runs an invocation sent ahead to a busy environment, or says why it did not start there. */
  async #invokeAhead(env: Environment, req: InvokeRequest): Promise<InvokeResult | InvocationNotStartedError> {
    let result: InvokeResult | undefined;
    try {
      result = this.#withProvisionedUsage(env, await env.invoke(req));
    } catch (e) {
      if (!(e instanceof InvocationNotStartedError)) throw e;
      return e;
    } finally {
      this.#scaleOut.returned(env.key, false, result && !result.functionError ? result.durationMs : undefined, undefined);
      const left = (this.#aheadCount.get(env) ?? 1) - 1;
      this.#aheadCount.set(env, left);
      // Answers come in order, so the first lease has ended: the last invocation out frees the environment.
      if (left > 0) this.#offerAhead(env);
      else if (!this.#leases.has(env)) this.#free(env);
    }
    return result;
  }

  /** The environment started the invocation sent ahead to it: it can take the next waiter the same way. */
  #offerAhead(env: Environment): void {
    const budgetMs = this.#scaleOut.waitBudgetMs(env.key);
    if (env.canQueue && budgetMs > 0) this.#warmWaiters.sendAhead(env, (e) => this.#reserveAhead(e, budgetMs));
  }

  #release(env: Environment, result: InvokeResult | undefined): void {
    const lease = this.#leases.get(env);
    if (lease) {
      this.#leases.delete(env);
      const heldMs = performance.now() - lease.at;
      if (!result || result.functionError) this.#scaleOut.returned(env.key, lease.fresh, undefined, undefined);
      else this.#scaleOut.returned(env.key, lease.fresh, result.durationMs, lease.fresh ? Math.max(0, heldMs - result.durationMs) : undefined);
    }
    if ((this.#aheadCount.get(env) ?? 0) > 0) {
      // An invocation sent ahead runs on: the environment stays leased until it ends.
      this.#offerAhead(env);
      return;
    }
    this.#free(env);
  }

  /** No invocation holds the environment any more: it goes back to the pool, or is stopped. */
  #free(env: Environment): void {
    env.leased = false;
    this.#cells.scheduleReplenish();
    if (env.state === 'dead' || env.retired || this.#state !== 'running') {
      if (env.state !== 'dead') this.#stop(env); // (#onDead already handed a dead one's slot on)
      if (this.#scaleOut.busy(env.key) === 0) this.#warmWaiters.startAll(env.key);
      return;
    }
    this.#offer(env);
  }

  /** A ready, unleased environment goes to whoever waits for its key, or makes room, or waits idle. */
  #offer(env: Environment): void {
    if (this.#warmWaiters.handOver(env, (e) => this.#lease(e, false))) return;
    const sameKey = this.#waiters.findIndex((w) => w.spec.key === env.key);
    if (sameKey !== -1) {
      const [w] = this.#waiters.splice(sameKey, 1);
      clearTimeout(w.timer);
      this.#lease(env, false);
      w.resolve(env);
      return;
    }
    if (this.#waiters.length > 0 && !this.#provisioned.keeps(env)) {
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
        this.#lease(env, false);
        return env;
      }
    }
    return undefined;
  }

  /** Marks an environment busy for an invocation of its key. */
  #lease(env: Environment, fresh: boolean): void {
    env.leased = true;
    this.#leases.set(env, { at: performance.now(), fresh });
    this.#scaleOut.leased(env.key, fresh);
  }

  #launch(spec: FunctionSpec): Environment {
    const env = new Environment(spec, describeRuntime(spec.runtime)!, this.#context!, (e) => this.#onDead(e));
    this.#lease(env, true);
    this.#envs.add(env);
    void env.start();
    return env;
  }

  /** Stops an environment; its slot is free at once (the process gets SIGKILL). */
  #stop(env: Environment): void {
    this.#removeIdle(env);
    if (this.#envs.delete(env)) this.#dying.add(env);
    env.stop();
    this.#serveWaiters();
  }

  #stopLeastRecentlyUsedIdle(): void {
    let victim: Environment | undefined;
    for (const list of this.#idle.values()) {
      for (const env of list) if (!this.#provisioned.keeps(env) && (!victim || env.lastUsedAt < victim.lastUsedAt)) victim = env;
    }
    const cell = this.#cells.leastRecentlyUsed();
    if (cell && (!victim || cell.lastUsedAt < victim.lastUsedAt)) victim = cell;
    if (victim) this.#stop(victim);
  }

  // --- Provisioned concurrency ---------------------------------------------------------------------

  /** Tells an invocation of a version with provisioned concurrency whether it ran on it (for its metrics). */
  #withProvisionedUsage(env: Environment, result: InvokeResult): InvokeResult {
    const usage = this.#provisioned.usage(env);
    if (usage) result.provisioned = usage;
    return result;
  }

  /** A provisioned environment of `spec`, within the cap (idle on-demand environments make room). */
  #launchProvisioned(spec: FunctionSpec): Environment | undefined {
    if (this.#envs.size >= this.#options.maxEnvironments) this.#stopLeastRecentlyUsedIdle();
    if (this.#envs.size >= this.#options.maxEnvironments) {
      logger.warn('provisioned concurrency waits for capacity', { key: spec.key, maxEnvironments: this.#options.maxEnvironments });
      return undefined;
    }
    const env = new Environment(spec, describeRuntime(spec.runtime)!, this.#context!, (e) => this.#onDead(e));
    this.#envs.add(env);
    void env.start();
    return env;
  }

  #removeIdle(env: Environment): void {
    this.#cells.delete(env);
    const list = this.#idle.get(env.key);
    if (!list) return;
    const i = list.indexOf(env);
    if (i !== -1) list.splice(i, 1);
    if (list.length === 0) this.#idle.delete(env.key);
  }

  #onDead(env: Environment): void {
    this.#provisioned.died(env);
    this.#removeIdle(env);
    this.#envs.delete(env);
    this.#dying.delete(env);
    this.#serveWaiters();
    this.#cells.scheduleReplenish();
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
      for (const env of [...list]) if (env.lastUsedAt <= cutoff && !this.#provisioned.keeps(env)) this.#stop(env);
    }
    this.#cells.dropUnwanted(cutoff);
    this.#scaleOut.retainOnly(new Set([...this.#envs].map((env) => env.key)));
    this.#cells.replenish();
  }
}

