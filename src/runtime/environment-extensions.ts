// An environment's extensions as its lifecycle sees them (the Extensions API itself is
// extensions-api.ts, the external ones' launch extension-launch.ts): the go-ahead for the runtime
// once every external extension registered, their output, their crashes (Extension.Crash), an
// invocation the runtime answered but they still work on, and the Shutdown phase. Only
// environments whose function has external extensions make one at launch; others make one when an
// internal extension (code in the runtime process) registers during init. The environment
// (environment.ts) is the host.
import { performance } from 'node:perf_hooks';
import type { Readable, Writable } from 'node:stream';
import type { EnvironmentState } from './environment-state.js';
import { EXTENSIONS_REGISTERED_FD, EXTENSION_EXITS_FD, EXTENSION_OUTPUT_FD, KILL_RUNTIME_SIGNAL, watchExtensionExits } from './extension-launch.js';
import { ExtensionsApi } from './extensions-api.js';
import { crashOutcome, type KillReason, type Outcome, type ProcessEnd } from './failures.js';
import type { Invocation } from './invocation.js';
import type { InitPhaseName } from './aws-format.js';
import type { InitPhase } from './invocation-result.js';
import { LineSplitter } from './output-capture.js';
import type { InvocationHeaders } from './runtime-api.js';
import type { TelemetryDelivery } from './telemetry-api.js';
import { emitInitDone, emitInitStart, emitReport, emitStart } from './telemetry-events.js';
import type { FunctionSpec, InvokeResult } from './types.js';

/** The whole Shutdown phase of a function with external extensions (AWS: 2,000 ms), the runtime's part included. */
const SHUTDOWN_PHASE_MS = 2000;
/** The runtime's part, first: SIGTERM, then SIGKILL if it is still there (AWS reserves up to 300 ms for it). */
const RUNTIME_SHUTDOWN_MS = 300;
/** The runtime's part with an internal extension (AWS: 500 ms), and the whole phase when there are only internal ones. */
const INTERNAL_SHUTDOWN_MS = 500;

/** What the extensions need of their environment. */
export interface ExtensionsHost {
  state(): EnvironmentState;
  /** How telemetry batches reach a listener in the environment (its network namespace may not be the server's). */
  telemetry: TelemetryDelivery;
  /** The environment is killed or dead already. */
  ending(): boolean;
  /** The invocation running, if any. */
  running(): Invocation | undefined;
  /** An extension called event/next during init: init may be over. */
  completeInit(): void;
  /** The extensions are done with the last invocation: the environment may take the next. */
  released(): void;
  /** One line for the log stream, where the environment's own output goes now. */
  record(line: string): void;
  /** A signal to the extensions' launcher (extension-launch.ts): SIGTERM for the runtime, KILL_RUNTIME_SIGNAL; without one (internal extensions only), to the runtime. */
  signalLauncher(signal: NodeJS.Signals): void;
  /** Lines the extensions wrote, attributed like the function's output. */
  push(lines: string[]): void;
  kill(reason?: KillReason): void;
  /** The function the environment runs. */
  spec(): FunctionSpec;
  /** Why the environment was stopped (undefined while it lives) and how its process ended. */
  end(): { killReason: KillReason | undefined; processEnd: ProcessEnd };
  /** `inv`'s result as `outcome`, with the lines written since the runtime answered. */
  result(inv: Invocation, outcome: Outcome, init: InitPhase | undefined): InvokeResult;
}

export class EnvironmentExtensions {
  readonly api: ExtensionsApi;
  /** The extension whose process ended while the environment lived (for the failure's wording). */
  end: ProcessEnd['extension'];
  readonly #host: ExtensionsHost;
  #stdio: readonly unknown[] | undefined;
  /** Set while the extensions finish an invocation the runtime has answered: resolves when they have (or the environment died). */
  #busy: { done: Promise<void>; resolve: () => void; timer: NodeJS.Timeout } | undefined;
  /** When the extensions last signalled they were done with an invocation (performance.now()). */
  doneAt = 0;
  /** When the Shutdown phase ends (Date.now(); 0 until it begins). */
  #shutdownDeadline = 0;
  /** The Shutdown phase's timer: the end of the runtime's part, then of the extensions'. */
  #stopping: NodeJS.Timeout | undefined;
  /** The extensions' part of the Shutdown phase has begun (after the runtime's). */
  #extensionsStopping = false;

  readonly #phase: InitPhaseName;
  /** How the runtime starts once every external extension registered (a cell's: its specialisation); else the launcher's go-ahead on fd 6. */
  readonly #startRuntimeHook: (() => void) | undefined;

  /**
   * `names`: the external extensions (none when an internal one is the first to register).
   * `phase` 'invoke': init runs again with an invocation, after it failed in its own phase (Telemetry API events say so).
   * `initStartedAt`: when init began (epoch ms), when that was before now (platform.initStart's time).
   * `startRuntime`: what lets the runtime start once they have registered, when not the launcher's fd 6 (a pre-started cell).
   */
  constructor(names: readonly string[], spec: FunctionSpec, runtimeVersion: string, host: ExtensionsHost, phase: InitPhaseName = 'init', initStartedAt?: number, startRuntime?: () => void) {
    this.#phase = phase;
    this.#startRuntimeHook = startRuntime;
    this.#host = host;
    const info = { functionName: spec.functionName, functionVersion: spec.version, handler: spec.handler, accountId: spec.accountId };
    this.api = new ExtensionsApi(names, info, { idle: () => this.#onIdle(), registered: () => this.#startRuntime() }, host.telemetry);
    emitInitStart(this.api.telemetry, spec, runtimeVersion, phase, initStartedAt);
  }

  /** While the extensions still work on the last invocation: a promise for when they are done. */
  get busy(): Promise<void> | undefined {
    return this.#busy?.done;
  }

  /** The launched process: its extensions' exits and output, and the fd that lets the runtime start. */
  attach(stdio: readonly unknown[]): void {
    this.#stdio = stdio;
    const exits = stdio[EXTENSION_EXITS_FD] as Readable | null;
    if (exits) watchExtensionExits(exits, (name, status) => this.#onExit(name, status), () => this.#runtimeStopped(false));
    const output = stdio[EXTENSION_OUTPUT_FD] as Readable | null;
    if (output) this.#readOutput(output);
  }

  /** Init is over (it took `durationMs`): the extensions' lines for the log stream, INIT_DONE for the Telemetry API. */
  initDone(durationMs: number): void {
    for (const line of this.api.readyLines()) this.#host.record(line);
    emitInitDone(this.api.telemetry, this.#host.spec(), durationMs, this.api.registered(), this.#phase);
  }

  /** The runtime was handed an invocation: INVOKE to the extensions registered for it, `start` for the Telemetry API. */
  invoke(headers: InvocationHeaders): void {
    this.api.invoke(headers);
    emitStart(this.api.telemetry, headers.requestId, this.#host.spec().version);
  }

  /**
   * The runtime answered `inv` but the extensions still work on it: the environment is not ready
   * until they call event/next, and is reset if they have not by the invocation's deadline. AWS's
   * Invoke phase ends when they are done, so END and REPORT come then, with that duration and their
   * lines of the meantime (taken before the environment can begin another invocation: the pool
   * waits on the same promise, after this). Resolves with the result's log lines.
   */
  async finishInvocation(inv: Invocation, outcome: Outcome, init: InitPhase | undefined): Promise<string[]> {
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const left = Math.max(0, inv.deliveredAt + inv.timeoutMs - performance.now());
    const timer = setTimeout(() => this.#host.kill('timeout'), left);
    this.#busy = { done, resolve, timer };
    await done;
    let ended = outcome;
    if (this.#host.state() !== 'dead') inv.endedAt = this.doneAt;
    else {
      // The environment died first: past the deadline (AWS: the invocation timed out), an extension crashed, memory ran out.
      const { killReason, processEnd } = this.#host.end();
      inv.endedAt = killReason === 'timeout' ? Math.max(performance.now(), inv.deliveredAt + inv.timeoutMs) : performance.now();
      if (killReason !== 'shutdown') ended = crashOutcome(inv.req.requestId, processEnd, inv.endedAt - inv.deliveredAt);
    }
    const result = this.#host.result(inv, ended, init);
    const telemetry = this.api.telemetry;
    if (telemetry.listening) emitReport(telemetry, this.#host.spec(), inv.req.requestId, ended, result, result.durationMs);
    return result.logLines;
  }

  /**
   * The Shutdown phase, as on AWS: SIGTERM to the runtime, which has up to 300 ms (500 ms with an
   * internal extension) to exit, then SIGKILL; then SHUTDOWN to the external extensions registered
   * for it, which have the rest of the 2 s to call event/next or exit; then SIGKILL to whatever is
   * left. With internal extensions only, the phase is the runtime's 500 ms. False when a stop is
   * under way, or when there is nothing to shut down (no extension registered).
   */
  shutdown(): boolean {
    if (this.#shutdownDeadline !== 0) return false;
    const launcher = this.#stdio !== undefined;
    const internal = this.api.hasInternal;
    if (!launcher && !internal) return false;
    const runtimeMs = internal ? INTERNAL_SHUTDOWN_MS : RUNTIME_SHUTDOWN_MS;
    this.#shutdownDeadline = Date.now() + (launcher ? SHUTDOWN_PHASE_MS : runtimeMs);
    this.api.telemetry.flush();
    this.#stopping = setTimeout(() => this.#runtimeStopped(true), runtimeMs);
    this.#host.signalLauncher('SIGTERM');
    return true;
  }

  /** The runtime's part of the Shutdown phase is over: it exited, or its time is up (`late`: it is killed). */
  #runtimeStopped(late: boolean): void {
    if (this.#extensionsStopping || this.#shutdownDeadline === 0) return;
    this.#extensionsStopping = true;
    clearTimeout(this.#stopping);
    // No launcher (internal extensions only): the runtime is the process, and the phase ends with it.
    if (this.#stdio === undefined) return this.#host.kill();
    if (late) this.#host.signalLauncher(KILL_RUNTIME_SIGNAL);
    if (this.api.shutdown(this.#shutdownDeadline) === 0 || this.api.idle) return this.#host.kill();
    this.#stopping = setTimeout(() => this.#host.kill(), Math.max(0, this.#shutdownDeadline - Date.now()));
  }

  /** The environment died: nothing more is awaited. */
  close(): void {
    this.api.close();
    clearTimeout(this.#stopping);
    const busy = this.#busy;
    this.#busy = undefined;
    if (busy) {
      clearTimeout(busy.timer);
      busy.resolve();
    }
  }

  /** Every extension has registered: the launcher may start the runtime (extension-launch.ts). */
  #startRuntime(): void {
    if (this.#startRuntimeHook) return this.#startRuntimeHook();
    (this.#stdio?.[EXTENSIONS_REGISTERED_FD] as Writable | null | undefined)?.write('go\n');
  }

  /** The extensions' output: in the log stream like the function's, and `extension` events for the Telemetry API. */
  #readOutput(stream: Readable): void {
    const lines = new LineSplitter();
    stream.on('data', (chunk: Buffer) => {
      const done = lines.push(chunk);
      this.#host.push(done);
      this.api.telemetry.extensionLines(done);
    });
    stream.on('error', () => {
      /* the process is gone: the environment notices */
    });
  }

  /** An extension called event/next: init may be over, an invocation's extensions done, a shutdown complete. */
  #onIdle(): void {
    if (this.#host.state() === 'starting') return this.#host.completeInit();
    if (!this.api.idle) return;
    if (this.#extensionsStopping) return this.#host.kill();
    const busy = this.#busy;
    if (!busy) return;
    clearTimeout(busy.timer);
    this.doneAt = performance.now();
    this.#busy = undefined;
    this.#host.released();
    busy.resolve();
  }

  /** An extension's process ended: during a shutdown that is its answer; otherwise the environment fails, as on AWS (Extension.Crash). */
  #onExit(name: string, status: number): void {
    if (this.#shutdownDeadline !== 0 || this.#host.ending()) return this.api.exited(name);
    const end = { name, status, reported: this.api.reportedError(name) };
    this.end = end;
    const state = this.#host.state() === 'starting' ? 'LaunchError' : 'Crashed';
    this.#host.record(`EXTENSION\tName: ${name}\tState: ${state}\tEvents: []\tError Type: ${end.reported ?? 'Extension.Crash'}`);
    const inv = this.#host.running();
    if (inv && !inv.finished) inv.endedAt = performance.now();
    this.#host.kill('extension');
  }
}
