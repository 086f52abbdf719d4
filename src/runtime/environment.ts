// One execution environment: an OS process running a runtime for one function (one spec.key),
// one invocation at a time, speaking the Runtime API through the pool's loopback listener (HTTP)
// or, for our own bootstraps, the private channel (runtime-channel.ts).
//
// Here: the environment's state machine, init, which invocations it takes and how each ends, the
// Runtime API requests that drive it, where its extensions take part (environment-extensions.ts),
// memory and the process's end. The process's launch, its output, the transports
// (runtime-api-server.ts, runtime-channel.ts), how invocations reach the runtime
// (invocation-in-flight.ts), the runtime's answers (invocation-answer.ts) and the results are in the
// modules imported below.
import { performance } from 'node:perf_hooks';
import { newLogStreamName } from './aws-format.js';
import { EnvironmentInit, type InitRetry } from './environment-init.js';
import { EnvironmentLaunch, type LaunchContext } from './environment-launch.js';
import { EnvironmentLifecycle, type EnvironmentState } from './environment-state.js';
import { EnvironmentLaunchError, InitFailedError, InvocationNotStartedError } from './errors.js';
import { EnvironmentExtensions, type ExtensionsHost } from './environment-extensions.js';
import type { ExtensionsApi } from './extensions-api.js';
import { crashOutcome, type KillReason, type Outcome, type ProcessEnd } from './failures.js';
import { newInvocation, type Invocation } from './invocation.js';
import { InvocationsInFlight } from './invocation-in-flight.js';
import { InvocationAnswers } from './invocation-answer.js';
import { failedInitLines, initFailureResult, invocationResult } from './invocation-result.js';
import { MemoryPeak } from './memory.js';
import { OutputAttribution } from './output-attribution.js';
import { ALREADY_RUNNING, INIT_ERROR_AFTER_INIT, SHUTTING_DOWN, reportedInitError, type Poll, type Refusal } from './runtime-api.js';
import { HttpRuntimeApi, type HttpRuntimeApiRequests, type RuntimeApiServer } from './runtime-api-server.js';
import { RuntimeChannel, type ChannelPeer } from './runtime-channel.js';
import { RuntimeProcess } from './runtime-process.js';
import { emitReport, emitRuntimeDone } from './telemetry-events.js';
import { describeRuntime, type RuntimeDescriptor } from './runtimes.js';
import type { ShutdownLines } from './pool-options.js';
import type { FunctionSpec, InvokeRequest, InvokeResult } from './types.js';

const MIB = 1024 * 1024;
/** Extensions that were done before the runtime answered took no time after it. */
const NO_POST_RUNTIME = Promise.resolve(0);
/** The RSS watchdog looks at an init or invocation once it has run this long (shorter ones report their own). */
const MEMORY_WATCH_AFTER_MS = 50;

/** What every environment of a pool shares. */
export interface EnvironmentContext extends LaunchContext {
  api: RuntimeApiServer;
  /** How long init may take (AWS: 10 s). */
  initTimeoutMs: number;
  /** Where the lines written after the last invocation go (the Shutdown phase's, e.g. a runtime's SIGTERM handler's). */
  shutdownLines?: ShutdownLines;
}

/** A pre-started generic environment: which runtime and memory size it was started for. */
export interface CellOptions {
  /** The pool's name for the cell's kind (runtime, memory size, storage size, extensions or not). */
  cellKey: string;
  /** Started behind the extensions' launcher: it serves functions with external extensions (extension-launch.ts). */
  extensions?: boolean;
}

let nextId = 1;

export class Environment {
  readonly id = nextId++;
  /** The function this environment runs (a placeholder until a pre-started cell is specialised). */
  spec: FunctionSpec;
  logStreamName: string;
  /** Set for a pre-started generic environment ("cell") until it is specialised. */
  readonly cellKey: string | undefined;
  /** When it last finished an invocation (idle reaping). */
  lastUsedAt = Date.now();
  /** Set by the pool while an invocation holds this environment. */
  leased = false;
  /** Evicted while busy: the pool stops it once the invocation is over. */
  retired = false;

  readonly #ctx: EnvironmentContext;
  readonly #onDead: (env: Environment) => void;
  readonly #lifecycle = new EnvironmentLifecycle();
  readonly #launch: EnvironmentLaunch;
  readonly #init: EnvironmentInit;
  #runtimeVersion: string;
  /** Bytes of stdout/stderr the runtime said it had written with its last answer (channel only). */
  #reportedStdio: number | undefined;
  readonly #output = new OutputAttribution(
    () => this.#inFlight.running?.lines,
    () => this.#lifecycle.state === 'starting',
    () => !this.spec.jsonLogging,
  );
  #specialised = false;
  #cellReady = false;
  #endpoint = '';
  #process: RuntimeProcess | undefined;
  #channel: RuntimeChannel | undefined;
  #secret: string | undefined;
  readonly #inFlight: InvocationsInFlight;
  readonly #memory = new MemoryPeak();
  /** What the runtime answers to the invocation in flight. */
  readonly #answers = new InvocationAnswers({ current: (id) => this.#inFlight.current(id), finish: (inv, outcome) => void this.#finish(inv, outcome), kill: () => this.kill() });
  #killReason: KillReason | undefined;
  /** Its /tmp outlives it: init runs again in a new environment that keeps it (InitFailedError). */
  #tmpKept = false;
  #launchError: EnvironmentLaunchError | undefined;
  /** This environment's extensions: made at launch for external ones, at an internal one's registration otherwise (none: undefined, and nothing here costs anything). */
  #extensions: EnvironmentExtensions | undefined;
  /** The runtime has asked for its first invocation (init also waits for the extensions). */
  #runtimeInitDone = false;
  readonly #closed: Promise<void>;
  #resolveClosed!: () => void;
  readonly #initialised: Promise<boolean>;
  #resolveInitialised!: (ok: boolean) => void;

  /** `retry`: init failed in another environment and runs again here, with the invocation that waited for it. */
  constructor(spec: FunctionSpec, runtime: RuntimeDescriptor, ctx: EnvironmentContext, onDead: (env: Environment) => void, cell?: CellOptions, retry?: InitRetry) {
    this.spec = spec;
    this.cellKey = cell?.cellKey;
    this.#ctx = ctx;
    this.#onDead = onDead;
    this.logStreamName = newLogStreamName(spec.version);
    this.#launch = new EnvironmentLaunch(runtime, ctx, this.id, cell && { extensions: cell.extensions === true }, retry?.tmpDir);
    // Run again in the Invoke phase, init has the function's timeout (shared with the handler: invocation-in-flight.ts).
    this.#init = new EnvironmentInit(runtime.version, retry ? spec.timeout * 1000 : ctx.initTimeoutMs, retry);
    this.#inFlight = new InvocationsInFlight({
      lifecycle: this.#lifecycle,
      output: this.#output,
      init: this.#init,
      extensions: () => this.#extensions,
      killing: () => this.#killReason !== undefined,
      kill: (reason) => this.kill(reason),
    });
    this.#runtimeVersion = runtime.version;
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    this.#initialised = new Promise((resolve) => (this.#resolveInitialised = resolve));
  }

  get key(): string {
    return this.spec.key;
  }

  get state(): EnvironmentState {
    return this.#lifecycle.state;
  }

  /** Resolves true once init finished (the runtime, and any external extensions, asked for their first event), false if the environment died first. */
  get initialised(): Promise<boolean> {
    return this.#initialised;
  }

  /** Resolves once the process is gone and the environment cleaned up. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  get sandboxed(): boolean {
    return this.#ctx.bubblewrap !== undefined;
  }

  /**
   * After an invocation's result is out: while its extensions have not all called event/next
   * again, a promise for when they have (the environment takes no invocation until then);
   * undefined when the environment is free.
   */
  get extensionsBusy(): Promise<void> | undefined {
    return this.#extensions?.busy;
  }

  /** A pre-started cell that finished its generic start and waits to be specialised. */
  get cellReady(): boolean {
    return this.#cellReady && !this.#specialised && this.#lifecycle.state === 'starting';
  }

  /**
   * Whether an invocation may be sent ahead now, for the runtime to start the moment it answers
   * the one it runs: only runtimes whose output all travels on the channel in order with their
   * answers (so every line lands in the right invocation), a few at a time (send-ahead.ts).
   */
  get canQueue(): boolean {
    return (
      this.#launch.ordersOutput &&
      this.#extensions === undefined &&
      this.#lifecycle.state === 'invoking' &&
      this.#inFlight.delivered !== undefined &&
      this.#inFlight.ahead.hasRoom &&
      this.#killReason === undefined &&
      !this.retired
    );
  }

  /** Whether the memory watchdog should look at this environment now (a long init or invocation). */
  memoryWatchDue(now: number): boolean {
    const state = this.#lifecycle.state;
    if (state === 'invoking') {
      const inv = this.#inFlight.delivered;
      return inv !== undefined && now - inv.deliveredAt >= MEMORY_WATCH_AFTER_MS;
    }
    if (state === 'starting') return (this.cellKey === undefined || this.#specialised) && now - this.#init.startedAt >= MEMORY_WATCH_AFTER_MS;
    return false;
  }

  /** Launches the process. Never throws: a failure ends the environment (and its pending invocation). */
  async start(): Promise<void> {
    this.#init.begin();
    try {
      const problem = await this.#launch.prepare(this.spec);
      if (problem) {
        this.#init.launchProblem = problem;
        this.#finalizeDeath();
        return;
      }
      if (this.#killReason) return this.#finalizeDeath();
      const names = this.#launch.extensions;
      if (names.length > 0) this.#extensions = new EnvironmentExtensions(names, this.spec, this.#runtimeVersion, this.#extensionsHost(), this.#init.phase);
      const requests = this.#requests();
      const extensions = { current: () => this.#extensions?.api, registering: () => this.#extensionsForRegistration() };
      const { secret, endpoint } = this.#ctx.api.register(new HttpRuntimeApi(requests, extensions));
      this.#secret = secret;
      this.#endpoint = endpoint;
      const proc = new RuntimeProcess(this.#launch.spawn(this.spec, this.logStreamName, endpoint), this.sandboxed ? this.#launch.marker : undefined, {
        failed: (e) => {
          this.#launchError = new EnvironmentLaunchError(e.message);
          this.#finalizeDeath();
        },
        gone: () => this.#finalizeDeath(),
        stdout: (c) => this.#output.stdout(c),
        stderr: (c) => this.#output.stderr(c),
      });
      this.#process = proc;
      this.#extensions?.attach(proc.stdio as readonly unknown[]);
      if (this.#launch.channel !== 'none') {
        this.#channel = new RuntimeChannel(proc.stdio, requests);
      }
      this.#init.limit(() => this.#onInitTimeout());
    } catch (e) {
      this.#launchError = new EnvironmentLaunchError((e as Error).message);
      this.#finalizeDeath();
    }
  }

  /**
   * Promises the next invoke() a place behind the running invocation (canQueue must hold). If it
   * has not started after `maxWaitMs`, it is withdrawn and fails with InvocationNotStartedError, so
   * that a slow or hanging invocation holds up nothing for longer than a cold start would take.
   */
  reserveAhead(maxWaitMs: number): void {
    this.#inFlight.ahead.reserve(maxWaitMs);
  }

  /**
   * Runs one invocation. The environment must be starting (cold) or ready (warm), or hold a place
   * from reserveAhead(): then the invocation is sent ahead while another runs, or begins at once if
   * that one has ended meanwhile, or fails with InvocationNotStartedError if the environment is dying.
   */
  invoke(req: InvokeRequest): Promise<InvokeResult> {
    return new Promise((resolve, reject) => {
      const inv = newInvocation(this.spec, req, resolve, reject);
      const state = this.#lifecycle.state;
      const inFlight = this.#inFlight;
      const reserved = inFlight.ahead.claim();
      if (reserved && (state === 'dead' || this.#killReason !== undefined)) {
        reject(new InvocationNotStartedError(false));
      } else if (reserved && state === 'invoking') {
        inFlight.ahead.send(inv, this.#channel!);
      } else if (state === 'starting' && !inFlight.pending) {
        inFlight.pending = inv;
        if (this.#init.retried) this.#init.retime(inv.timeoutMs, () => this.#onInitTimeout());
      } else if (state === 'ready') {
        inFlight.begin(inv);
      } else {
        reject(new Error(`Environment ${this.id} cannot take an invocation in state ${state}`));
      }
    });
  }

  /**
   * Turns a ready cell into an environment of `spec`: its code appears at /var/task (hard links
   * into the cell's own, so far empty, task directory), then the bootstrap gets the function's
   * variables and handler and initialises as a fresh process would. Init Duration runs from here.
   * A cell behind the extensions' launcher first starts the function's external extensions, and the
   * bootstrap gets its function once they have registered, as a fresh runtime starts only then.
   * Never throws: a failure ends the environment (and the invocation waiting for it).
   */
  async specialise(spec: FunctionSpec): Promise<void> {
    if (!this.cellReady) throw new Error(`Environment ${this.id} is not a ready cell`);
    this.#specialised = true;
    this.spec = spec;
    // Every nodejs* runtime shares one kind of cell: INIT_START reports the function's own version.
    const version = describeRuntime(spec.runtime)?.version;
    if (version) this.#runtimeVersion = this.#init.runtimeVersion = version;
    this.logStreamName = newLogStreamName(spec.version);
    this.#init.begin();
    this.#init.limit(() => this.#onInitTimeout());
    try {
      await this.#launch.linkCode(spec);
      if (this.#killReason || this.#lifecycle.state === 'dead') return;
      const variables = this.#launch.specialisedVariables(spec, this.logStreamName, this.#endpoint);
      const specialiseRuntime = (): void => {
        if (this.#killReason === undefined && this.#lifecycle.state === 'starting') this.#channel!.specialise(variables);
      };
      const stdio = this.#process!.stdio as readonly unknown[];
      if (this.#launch.extensions.length === 0) specialiseRuntime();
      else (this.#extensions = new EnvironmentExtensions(this.#launch.extensions, spec, this.#runtimeVersion, this.#extensionsHost(), this.#init.phase, undefined, specialiseRuntime)).attach(stdio);
      this.#launch.startCellExtensions(spec, this.logStreamName, this.#endpoint, stdio);
    } catch (e) {
      this.#launchError = new EnvironmentLaunchError((e as Error).message);
      this.kill();
    }
  }

  /**
   * Stops the environment: extensions registered for SHUTDOWN are sent it and get up to 2 s to call
   * event/next (or exit) before SIGKILL. Without extensions, it is kill().
   */
  stop(): void {
    const ext = this.#extensions;
    if (!ext || this.#killReason || !this.#process || this.#lifecycle.state === 'dead' || !ext.shutdown()) this.kill();
  }

  /** Stops the process (SIGKILL). Safe to call at any time, any number of times. */
  kill(reason: KillReason = 'shutdown'): void {
    this.#killReason ??= reason;
    if (this.#process) return this.#process.kill();
    // Not launched yet: start() notices; nothing launched at all: end now.
    if (this.#init.startedAt === 0) this.#finalizeDeath();
  }

  /** Samples the process tree's memory from /proc; kills the environment when it exceeds its memory size. */
  sampleMemory(): void {
    const proc = this.#process;
    if (proc?.pid === undefined || this.#lifecycle.state === 'dead') return;
    const inv = this.#inFlight.running;
    if (this.#memory.sample(proc, inv) > this.spec.memorySize * MIB && !this.#killReason) {
      if (inv && !inv.finished) inv.endedAt = performance.now();
      this.kill('oom');
    }
  }

  // --- What the runtime asks: the Runtime API over HTTP (runtime-api-server.ts) or the private channel (runtime-channel.ts)

  /** What the runtime's requests and the channel's frames do here (built once per process). */
  #requests(): ChannelPeer & HttpRuntimeApiRequests {
    return {
      next: (poll) => this.#onNext(poll),
      abandoned: (poll) => this.#inFlight.abandoned(poll),
      response: (requestId, body, tooLarge) => this.#answers.response(requestId, body, tooLarge),
      error: (requestId, body, errorType) => this.#answers.error(requestId, body, errorType),
      initError: (body, errorType) => this.#onInitError(body, errorType),
      log: (line) => this.#output.record(line),
      withdrawn: (requestId) => this.#inFlight.ahead.withdrawn(requestId),
      beginsNext: (requestId) => this.#inFlight.beginsNext(requestId),
      output: (stream, bytes) => this.#output.written(stream, bytes),
      chunk: (requestId, body, contentType) => this.#answers.chunk(requestId, body, contentType),
      cellReady: () => this.#onCellReady(),
      reportedRss: (value) => this.#memory.reported(value, this.#inFlight.running),
      reportedStdio: (value) => {
        this.#reportedStdio = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
      },
      broken: (message) => {
        this.#output.record(`[stagecraft] ${message}`);
        this.kill();
      },
    };
  }

  /** A cell finished its generic start: it waits for a specialise frame. */
  #onCellReady(): void {
    if (this.cellKey === undefined || this.#specialised || this.#lifecycle.state !== 'starting') return;
    this.#init.stopClock();
    this.#cellReady = true;
    this.lastUsedAt = Date.now();
  }

  // --- Runtime API requests (both transports; runtime-api.ts) --------------------------------------

  #onNext(poll: Poll): Refusal | undefined {
    const state = this.#lifecycle.state;
    if (state === 'dead') return SHUTTING_DOWN;
    if (state === 'invoking' && this.#inFlight.delivered) return ALREADY_RUNNING;
    this.#inFlight.polled(poll);
    if (state === 'starting') {
      this.#runtimeInitDone = true;
      this.#extensions?.api.closeRegistration();
      this.#completeInit();
    }
    return undefined;
  }

  /** Init is over once the runtime asked for its first invocation and every extension has called event/next. */
  #completeInit(): void {
    if (this.#lifecycle.state !== 'starting' || !this.#runtimeInitDone) return;
    const ext = this.#extensions;
    if (ext && !ext.api.initialised) return;
    this.#init.complete();
    ext?.initDone(performance.now() - this.#init.startedAt);
    this.#lifecycle.to('ready');
    this.#resolveInitialised(true);
    // Our bootstraps report their own memory with each answer; others are sampled from /proc.
    if (this.#launch.channel !== 'full') this.sampleMemory();
    const pending = this.#inFlight.pending;
    this.#inFlight.pending = undefined;
    if (pending) this.#inFlight.begin(pending);
  }

  // --- Extensions (environment-extensions.ts) -------------------------------------------

  /**
   * Where a registration goes: the environment's extensions, or, during init before the runtime's
   * first …/invocation/next (while internal extensions may register), new ones made for it. A cell
   * not yet specialised runs no function code; after that, nothing is made (RegistrationClosed).
   */
  #extensionsForRegistration(): ExtensionsApi | undefined {
    if (this.#extensions) return this.#extensions.api;
    const open = this.#lifecycle.state === 'starting' && !this.#runtimeInitDone && this.#killReason === undefined && (this.cellKey === undefined || this.#specialised);
    if (!open) return undefined;
    const initStartedAt = Date.now() - (performance.now() - this.#init.startedAt);
    this.#extensions = new EnvironmentExtensions([], this.spec, this.#runtimeVersion, this.#extensionsHost(), this.#init.phase, initStartedAt);
    return this.#extensions.api;
  }

  #extensionsHost(): ExtensionsHost {
    return {
      state: () => this.#lifecycle.state,
      telemetry: this.#launch.telemetry,
      ending: () => this.#killReason !== undefined || this.#lifecycle.state === 'dead',
      running: () => this.#inFlight.running,
      completeInit: () => this.#completeInit(),
      released: () => {
        if (this.#lifecycle.state === 'invoking' && this.#inFlight.running === undefined) this.#lifecycle.to('ready');
        this.lastUsedAt = Date.now();
      },
      signalLauncher: (signal) => this.#process?.signalMain(signal),
      record: (line) => this.#output.record(line),
      push: (lines) => this.#output.push(lines),
      kill: (reason) => this.kill(reason),
      spec: () => this.spec,
      end: () => ({ killReason: this.#killReason, processEnd: this.#processEnd() }),
      result: (inv, outcome, init) => {
        for (const line of this.#output.takeBetween()?.lines ?? []) inv.lines.push(line);
        return invocationResult(this, inv, outcome, this.#memory.rss, init);
      },
    };
  }

  #onInitError(body: Buffer, errorType: string | undefined): Refusal | undefined {
    if (this.#lifecycle.state !== 'starting') return INIT_ERROR_AFTER_INIT;
    this.#init.error = reportedInitError(body, errorType);
    // The runtime is expected to exit now; make sure it does.
    setTimeout(() => this.kill(), 1000).unref();
    return undefined;
  }

  // --- How an invocation ends ---------------------------------------------------------------------

  #onInitTimeout(): void {
    if (this.#lifecycle.state === 'starting') this.kill('timeout');
  }

  /** Ends an invocation the runtime answered (the process lives on). */
  async #finish(inv: Invocation, outcome: Outcome): Promise<void> {
    inv.finished = true;
    inv.endedAt = performance.now();
    clearTimeout(inv.timer);
    // A runtime that begins an invocation sent ahead says so right after this answer (beginsNext).
    const goesOn = this.#inFlight.ahead.waiting;
    if (goesOn) this.#output.flushPartialLines();
    const reported = this.#reportedStdio;
    this.#reportedStdio = undefined;
    await this.#output.arrived(reported);
    if (!goesOn) this.#output.flushPartialLines();
    if (this.#launch.channel !== 'full' && this.#memory.sampleDue(inv.endedAt)) this.sampleMemory();
    const initLines = this.#init.reported ? undefined : this.#output.takeInit();
    const init = this.#init.reported ? undefined : this.#init.report(initLines ?? this.#output.takeInit());
    const result = invocationResult(this, inv, outcome, this.#memory.rss, init);
    const ext = this.#extensions;
    const telemetry = ext?.api.telemetry;
    if (telemetry?.listening) emitRuntimeDone(telemetry, inv.req.requestId, [...(initLines ?? []), ...inv.lines.lines], outcome, result);
    if (this.#inFlight.running === inv) this.#inFlight.running = undefined;
    const extensionsGoOn = this.#inFlight.running === undefined && this.#lifecycle.state === 'invoking' && ext !== undefined && !ext.api.idle;
    if (extensionsGoOn) {
      const answeredAt = inv.endedAt;
      result.finalLogLines = ext.finishInvocation(inv, outcome, init);
      result.postRuntimeDurationMs = result.finalLogLines.then(() => Math.max(0, inv.endedAt - answeredAt));
    } else {
      if (ext) result.postRuntimeDurationMs = NO_POST_RUNTIME;
      if (telemetry?.listening) emitReport(telemetry, this.spec, inv.req.requestId, outcome, result, result.durationMs);
      if (this.#inFlight.running === undefined && this.#lifecycle.state === 'invoking') this.#lifecycle.to('ready');
    }
    this.lastUsedAt = Date.now();
    inv.resolve(result);
  }

  /** `initLines`: the init phase's output, when this is the environment's first result (else taken here). */
  #result(inv: Invocation, outcome: Outcome, initLines?: readonly string[]): InvokeResult {
    return invocationResult(this, inv, outcome, this.#memory.rss, this.#init.reported ? undefined : this.#init.report(initLines ?? this.#output.takeInit()));
  }

  // --- The process's end --------------------------------------------------------------------------

  /** The process is gone (or never came): end whatever invocation it held, clean up. */
  #finalizeDeath(): void {
    if (this.#lifecycle.state === 'dead') return;
    this.#process?.settled();
    this.#init.stopClock();
    this.#output.flushPartialLines();
    const wasStarting = this.#lifecycle.state === 'starting';
    this.#lifecycle.to('dead');
    if (this.#secret) this.#ctx.api.unregister(this.#secret);
    this.#inFlight.refusePoll();
    this.#channel?.close();
    // Extensions still busy with an answered invocation: their lines go to it (finishInvocation), not to the Shutdown phase.
    const extensionsBusy = this.#extensions?.busy !== undefined;
    this.#extensions?.close();

    const inv = this.#inFlight.takeHeld();
    if (!inv && this.#extensions && !extensionsBusy) this.#keepShutdownLines();
    if (inv && !inv.finished) {
      inv.finished = true;
      clearTimeout(inv.timer);
      if (inv.endedAt === 0) inv.endedAt = performance.now();
      if (this.#launchError) inv.reject(this.#launchError);
      else if (wasStarting) this.#endInit(inv);
      // The runtime died before asking for it (it exited after answering the last one): the function never saw it.
      else if (inv.deliveredAt === 0) inv.reject(new InvocationNotStartedError(false));
      else inv.resolve(this.#result(inv, crashOutcome(inv.req.requestId, this.#processEnd(), inv.endedAt - inv.deliveredAt)));
    }
    this.#launch.removeDirectories(this.#tmpKept);
    this.#launch.closeNetwork();
    this.#onDead(this);
    this.#resolveInitialised(false);
    this.#resolveClosed();
  }

  /** With extensions there is a Shutdown phase: what the runtime and the extensions print in it goes to the log stream, as on AWS. */
  #keepShutdownLines(): void {
    const lines = this.#output.takeBetween()?.lines;
    if (!lines?.length) return;
    try {
      this.#ctx.shutdownLines?.(this.spec, this.logStreamName, lines);
    } catch {
      /* the log store is closing with the server: they are lost, as at a crash */
    }
  }

  #processEnd(): ProcessEnd {
    return { killReason: this.#killReason, exit: this.#process?.exit, relayed: this.sandboxed || this.#launch.launcher, extension: this.#extensions?.end };
  }

  /**
   * The invocation waiting for init gets its result, unless init runs again for it: an on-demand
   * init that failed in its own phase does, in a new environment (which keeps this one's /tmp when unsandboxed).
   */
  #endInit(inv: Invocation): void {
    const id = inv.req.requestId;
    const { failure, init } = this.#init.failure(id, this.#processEnd(), this.#output.takeInit());
    const result = initFailureResult(this, id, failure, init, { rss: this.#memory.rss, exhausted: this.#killReason === 'oom' });
    if (this.#init.retried || this.spec.initializationType === 'provisioned-concurrency') return inv.resolve(result);
    this.#tmpKept = true;
    inv.reject(new InitFailedError({ lines: failedInitLines(this, failure, init), tmpDir: this.#launch.tmpDir }, result));
  }
}
