// One execution environment: an OS process running a runtime for one function (one spec.key),
// one invocation at a time, speaking the Runtime API through the pool's loopback listener.
//
// Two ways to talk to the runtime: the HTTP Runtime API (any runtime) and, for our own bootstraps,
// the private framed channel (channel.ts) which is faster and keeps log records in order with
// responses. Both end in the same handlers below.
//
// Output handling: stdout and stderr are split into lines; our bootstraps send console records as
// channel frames. Lines go to the invocation running when they arrive; output of the init phase
// comes before START on the first invocation; output between invocations goes to the next one (on
// AWS the process is frozen then, so that is where it would show up).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { linkTree } from './link-tree.js';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable, Writable } from 'node:stream';
import {
  MAX_RESPONSE_BYTES,
  endLine,
  initReportLine,
  initStartLine,
  newLogStreamName,
  newTraceId,
  reportLine,
  responseTooLargePayload,
  startLine,
} from './aws-format.js';
import { crashOutcome, initFailure, type KillReason, type Outcome, type ProcessEnd } from './failures.js';
import { CHANNEL_IN_FD, CHANNEL_OUT_FD, ChannelProtocolError, FrameParser, encodeFrame, type Frame } from './channel.js';
import { EnvironmentLifecycle, type EnvironmentState } from './environment-state.js';
import { EnvironmentLaunchError } from './errors.js';
import { descendants, treeRssBytes } from './memory.js';
import { LineSplitter, LogBuffer, MAX_LINE_BYTES } from './output-capture.js';
import { accepted, rapidError, type RuntimeApiHandler, type RuntimeApiServer } from './runtime-api-server.js';
import type { Paths, RuntimeDescriptor } from './runtimes.js';
import type { Bubblewrap } from './sandbox.js';
import type { FunctionSpec, InvokeRequest, InvokeResult } from './types.js';

const MIB = 1024 * 1024;
/** How long to wait for a dead process's pipes to close before giving up on its last output. */
const CLOSE_GRACE_MS = 250;
/** The RSS watchdog looks at an init or invocation once it has run this long (shorter ones report their own). */
const MEMORY_WATCH_AFTER_MS = 50;
/** Runtimes that do not report their own memory are sampled at most this often when invocations end. */
const MEMORY_SAMPLE_MIN_MS = 100;

/** What the runtime is handed with an invocation (the Runtime API's /next response headers). */
interface InvocationHeaders {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext: string | undefined;
}

/** A runtime waiting for its next invocation: a held HTTP long poll, or a channel 'N' frame. */
interface Poll {
  deliver(headers: InvocationHeaders, payload: Buffer): void;
  /** Answers a poll that cannot be served (superseded, or the environment is going away). */
  refuse(message: string): void;
}

/** A Runtime API problem to report back (HTTP status, AWS error type, message). */
type Refusal = [status: number, errorType: string, message: string];
const INVALID_REQUEST_ID: Refusal = [400, 'InvalidRequestID', 'Invalid request ID'];

/** What every environment of a pool shares. */
export interface EnvironmentContext {
  api: RuntimeApiServer;
  /** Undefined when environments run unsandboxed. */
  bubblewrap: Bubblewrap | undefined;
  workDir: string;
  /** Variables every function gets below its own (e.g. AWS_ENDPOINT_URL). */
  defaultEnv: Record<string, string>;
  /** Use the private channel for invocations where the runtime speaks it (else the HTTP Runtime API). */
  privateChannel: boolean;
  /** How long init may take (AWS: 10 s). */
  initTimeoutMs: number;
  /** Dummy credentials given to functions. */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
}

interface Invocation {
  req: InvokeRequest;
  timeoutMs: number;
  resolve(result: InvokeResult): void;
  reject(error: Error): void;
  lines: LogBuffer;
  /** performance.now() when handed to the runtime; 0 before. */
  deliveredAt: number;
  /** performance.now() when it ended (response, or the platform stopped it). */
  endedAt: number;
  timer: NodeJS.Timeout | undefined;
  maxRss: number;
  finished: boolean;
}

/** A pre-started generic environment: which runtime and memory size it was started for. */
export interface CellOptions {
  /** The pool's name for the (runtime family, memory size) pair. */
  cellKey: string;
}

let nextId = 1;

export class Environment implements RuntimeApiHandler {
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

  readonly #runtime: RuntimeDescriptor;
  readonly #ctx: EnvironmentContext;
  readonly #onDead: (env: Environment) => void;
  readonly #lifecycle = new EnvironmentLifecycle();
  readonly #tmpDir: string;
  /** A cell's /var/task: empty until specialisation hard-links the function's code into it. */
  readonly #taskDir: string | undefined;
  #specialised = false;
  #cellReady = false;
  #endpoint = '';
  /** When memory was last sampled from /proc (performance.now()). */
  #sampledAt = 0;
  readonly #stdout = new LineSplitter();
  readonly #stderr = new LineSplitter();
  readonly #frames = new FrameParser((type) => (type === 'R' ? MAX_RESPONSE_BYTES : type === 'L' ? MAX_LINE_BYTES : 1024 * 1024));
  #child: ChildProcess | undefined;
  #channelIn: Writable | undefined;
  #secret: string | undefined;
  #poll: Poll | undefined;
  /** The invocation running (state 'invoking'). */
  #invocation: Invocation | undefined;
  /** The invocation waiting for init to finish (state 'starting'). */
  #pending: Invocation | undefined;
  #spawnedAt = 0;
  #initDurationMs: number | undefined;
  #initReported = false;
  #initTimer: NodeJS.Timeout | undefined;
  #initError: { payload: Buffer; errorType: string } | undefined;
  #initLines = new LogBuffer();
  #carryLines = new LogBuffer();
  #outputSeq = 0;
  #rss = 0;
  /** The runtime process(es) whose memory counts (below the sandbox's supervisors). */
  #measured: number[] | undefined;
  #killReason: KillReason | undefined;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #launchError: EnvironmentLaunchError | undefined;
  #invalidEntrypoint: string | undefined;
  #closeTimer: NodeJS.Timeout | undefined;
  readonly #closed: Promise<void>;
  #resolveClosed!: () => void;

  constructor(spec: FunctionSpec, runtime: RuntimeDescriptor, ctx: EnvironmentContext, onDead: (env: Environment) => void, cell?: CellOptions) {
    this.spec = spec;
    this.cellKey = cell?.cellKey;
    this.#runtime = runtime;
    this.#ctx = ctx;
    this.#onDead = onDead;
    this.logStreamName = newLogStreamName(spec.version);
    this.#tmpDir = path.join(ctx.workDir, `env-${process.pid}-${this.id}`);
    if (cell) this.#taskDir = path.join(ctx.workDir, `task-${process.pid}-${this.id}`);
    this.#closed = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  get key(): string {
    return this.spec.key;
  }

  get state(): EnvironmentState {
    return this.#lifecycle.state;
  }

  /** Resolves once the process is gone and the environment cleaned up. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  get sandboxed(): boolean {
    return this.#ctx.bubblewrap !== undefined;
  }

  /** A pre-started cell that finished its generic start and waits to be specialised. */
  get cellReady(): boolean {
    return this.#cellReady && !this.#specialised && this.#lifecycle.state === 'starting';
  }

  /** Whether the memory watchdog should look at this environment now (a long init or invocation). */
  memoryWatchDue(now: number): boolean {
    const state = this.#lifecycle.state;
    if (state === 'invoking') {
      const inv = this.#invocation;
      return !!inv && inv.deliveredAt !== 0 && !inv.finished && now - inv.deliveredAt >= MEMORY_WATCH_AFTER_MS;
    }
    if (state === 'starting') return (this.cellKey === undefined || this.#specialised) && now - this.#spawnedAt >= MEMORY_WATCH_AFTER_MS;
    return false;
  }

  /** Launches the process. Never throws: a failure ends the environment (and its pending invocation). */
  async start(): Promise<void> {
    this.#spawnedAt = performance.now();
    try {
      const cell = this.#taskDir !== undefined;
      if (cell) {
        await mkdir(this.#taskDir!, { recursive: true, mode: 0o755 });
      } else {
        const code = await stat(this.spec.codeDir).catch(() => undefined);
        if (!code?.isDirectory()) throw new Error(`the function's code directory is missing`);
      }
      await mkdir(this.#tmpDir, { recursive: true, mode: 0o700 });
      const paths = this.#paths();
      const problem = cell ? undefined : await this.#runtime.entrypointProblem?.(this.spec.codeDir, paths);
      if (problem) {
        this.#invalidEntrypoint = problem;
        this.#finalizeDeath();
        return;
      }
      if (this.#killReason) return this.#finalizeDeath();
      const { secret, endpoint } = this.#ctx.api.register(this);
      this.#secret = secret;
      this.#endpoint = endpoint;
      const cmd = this.#runtime.command(paths, this.spec.memorySize);
      const env = cell ? this.#cellEnvironment(endpoint, paths) : this.#environment(endpoint, paths);
      const channel = this.#channelMode;
      const stdio: ('ignore' | 'pipe')[] = channel === 'none' ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'];
      const bwrap = this.#ctx.bubblewrap;
      const child = bwrap
        ? spawn(
            bwrap.path,
            bwrap.args(
              { codeDir: this.#codeRoot, runtimeDir: this.#runtime.runtimeDir, tmpDir: this.#tmpDir, hostPaths: this.#runtime.hostPaths },
              [cmd.file, ...cmd.args],
            ),
            { env, stdio },
          )
        : spawn(cmd.file, cmd.args, { env, stdio, cwd: this.#codeRoot, detached: true });
      this.#child = child;
      child.on('error', (e) => {
        this.#launchError = new EnvironmentLaunchError(e.message);
        this.#finalizeDeath();
      });
      child.on('exit', (code, signal) => this.#onExit(code, signal));
      child.on('close', () => this.#finalizeDeath());
      child.stdout?.on('data', (c: Buffer) => this.#output(this.#stdout.push(c)));
      child.stderr?.on('data', (c: Buffer) => this.#output(this.#stderr.push(c)));
      if (channel !== 'none') {
        this.#channelIn = child.stdio[CHANNEL_IN_FD] as Writable;
        this.#channelIn.on('error', () => {});
        (child.stdio[CHANNEL_OUT_FD] as Readable).on('data', (c: Buffer) => this.#channelData(c));
      }
      this.#initTimer = setTimeout(() => this.#onInitTimeout(), this.#ctx.initTimeoutMs);
      this.#initTimer.unref();
    } catch (e) {
      this.#launchError = new EnvironmentLaunchError((e as Error).message);
      this.#finalizeDeath();
    }
  }

  /** Runs one invocation. The environment must be starting (cold) or ready (warm). */
  invoke(req: InvokeRequest): Promise<InvokeResult> {
    return new Promise((resolve, reject) => {
      const inv: Invocation = {
        req,
        timeoutMs: timeoutFor(this.spec, req),
        resolve,
        reject,
        lines: new LogBuffer(),
        deliveredAt: 0,
        endedAt: 0,
        timer: undefined,
        maxRss: 0,
        finished: false,
      };
      const state = this.#lifecycle.state;
      if (state === 'starting' && !this.#pending) {
        this.#pending = inv;
      } else if (state === 'ready') {
        this.#begin(inv);
      } else {
        reject(new Error(`Environment ${this.id} cannot take an invocation in state ${state}`));
      }
    });
  }

  /**
   * Turns a ready cell into an environment of `spec`: its code appears at /var/task (hard links
   * into the cell's own, so far empty, task directory), then the bootstrap gets the function's
   * variables and handler and initialises as a fresh process would. Init Duration runs from here.
   * Never throws: a failure ends the environment (and the invocation waiting for it).
   */
  async specialise(spec: FunctionSpec): Promise<void> {
    if (!this.cellReady) throw new Error(`Environment ${this.id} is not a ready cell`);
    this.#specialised = true;
    this.spec = spec;
    this.logStreamName = newLogStreamName(spec.version);
    this.#spawnedAt = performance.now();
    this.#initTimer = setTimeout(() => this.#onInitTimeout(), this.#ctx.initTimeoutMs);
    this.#initTimer.unref();
    try {
      const code = await stat(spec.codeDir).catch(() => undefined);
      if (!code?.isDirectory()) throw new Error(`the function's code directory is missing`);
      await linkTree(path.resolve(spec.codeDir), this.#taskDir!);
      if (this.#killReason || this.#lifecycle.state === 'dead') return;
      const env = this.#environment(this.#endpoint, this.#paths());
      delete env._STAGECRAFT_IN_FD;
      delete env._STAGECRAFT_OUT_FD;
      const parts = encodeFrame('S', { env });
      this.#channelIn!.write(parts.length === 1 ? parts[0] : Buffer.concat(parts));
    } catch (e) {
      this.#launchError = new EnvironmentLaunchError((e as Error).message);
      this.kill();
    }
  }

  /** Stops the process (SIGKILL). Safe to call at any time, any number of times. */
  kill(reason: KillReason = 'shutdown'): void {
    this.#killReason ??= reason;
    const child = this.#child;
    if (!child) {
      // Not launched yet: start() notices; nothing launched at all: end now.
      if (this.#spawnedAt === 0) this.#finalizeDeath();
      return;
    }
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (this.sandboxed || child.pid === undefined) child.kill('SIGKILL');
      else process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** Samples the process tree's memory from /proc; kills the environment when it exceeds its memory size. */
  sampleMemory(): void {
    const pid = this.#child?.pid;
    if (pid === undefined || this.#lifecycle.state === 'dead') return;
    this.#sampledAt = performance.now();
    if (!this.#measured?.length) this.#measured = descendants(pid, this.sandboxed ? 2 : 0);
    const rss = treeRssBytes(this.#measured);
    if (rss === 0) return;
    this.#rss = Math.max(this.#rss, rss);
    const inv = this.#invocation;
    if (inv && !inv.finished) inv.maxRss = Math.max(inv.maxRss, rss);
    if (rss > this.spec.memorySize * MIB && !this.#killReason) {
      if (inv && !inv.finished) inv.endedAt = performance.now();
      this.kill('oom');
    }
  }

  /** Memory the runtime reported itself with an answer (its peak RSS, bytes). */
  #reportedRss(value: unknown): void {
    if (typeof value !== 'number' || !(value > 0)) return;
    if (value > this.#rss) this.#rss = value;
    const inv = this.#invocation;
    if (inv && value > inv.maxRss) inv.maxRss = value;
  }

  // --- Runtime API (HTTP) ------------------------------------------------------------------------

  next(res: ServerResponse): void {
    const poll: Poll = {
      deliver: (h, payload) => {
        const headers: OutgoingHttpHeaders = {
          'Content-Type': 'application/json',
          'Content-Length': payload.length,
          'Lambda-Runtime-Aws-Request-Id': headerSafe(h.requestId),
          'Lambda-Runtime-Deadline-Ms': String(h.deadlineMs),
          'Lambda-Runtime-Invoked-Function-Arn': headerSafe(h.invokedFunctionArn),
          'Lambda-Runtime-Trace-Id': h.traceId,
        };
        if (h.clientContext) headers['Lambda-Runtime-Client-Context'] = h.clientContext;
        res.writeHead(200, headers);
        res.end(payload);
      },
      refuse: (message) => (res.writableEnded ? undefined : rapidError(res, 403, 'InvalidStateTransition', message)),
    };
    res.once('close', () => {
      if (this.#poll === poll) this.#poll = undefined;
    });
    const refusal = this.#onNext(poll);
    if (refusal) rapidError(res, ...refusal);
  }

  response(requestId: string, body: Buffer, tooLarge: boolean, res: ServerResponse): void {
    const refusal = this.#onResponse(requestId, body, tooLarge);
    if (refusal) rapidError(res, ...refusal);
    else accepted(res);
  }

  error(requestId: string, body: Buffer, errorType: string | undefined, res: ServerResponse): void {
    const refusal = this.#onError(requestId, body, errorType);
    if (refusal) rapidError(res, ...refusal);
    else accepted(res);
  }

  initError(body: Buffer, errorType: string | undefined, res: ServerResponse): void {
    const refusal = this.#onInitError(body, errorType);
    if (refusal) rapidError(res, ...refusal);
    else accepted(res);
  }

  // --- Runtime API (private channel) --------------------------------------------------------------

  #channelData(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.#frames.push(chunk);
    } catch (e) {
      if (!(e instanceof ChannelProtocolError)) throw e;
      // Not our bootstrap writing: the function broke its own runtime.
      this.#output([`[stagecraft] runtime channel protocol error: ${e.message}`]);
      this.kill();
      return;
    }
    for (const f of frames) {
      const id = typeof f.meta.id === 'string' ? f.meta.id : '';
      const type = typeof f.meta.type === 'string' ? f.meta.type : undefined;
      switch (f.type) {
        case 'L':
          this.#output([f.truncated ? '[stagecraft] log record too long, dropped' : f.body.toString('utf8')]);
          break;
        case 'N':
          if (f.meta.cell === true) this.#onCellReady();
          else this.#onNext(this.#channelPoll());
          break;
        case 'R':
          this.#reportedRss(f.meta.rss);
          this.#onResponse(id, f.body, f.truncated);
          break;
        case 'E':
          this.#reportedRss(f.meta.rss);
          this.#onError(id, f.body, type);
          break;
        case 'I':
          this.#onInitError(f.body, type);
          break;
        default:
          break;
      }
    }
  }

  /** A cell finished its generic start: it waits for a specialise frame. */
  #onCellReady(): void {
    if (this.cellKey === undefined || this.#specialised || this.#lifecycle.state !== 'starting') return;
    clearTimeout(this.#initTimer);
    this.#cellReady = true;
    this.lastUsedAt = Date.now();
  }

  #channelPoll(): Poll {
    return {
      deliver: (h, payload) => {
        const meta = { id: h.requestId, deadline: h.deadlineMs, arn: h.invokedFunctionArn, trace: h.traceId, cc: h.clientContext };
        const parts = encodeFrame('V', meta, payload);
        this.#channelIn!.write(parts.length === 1 ? parts[0] : Buffer.concat(parts));
      },
      refuse: () => {},
    };
  }

  // --- Runtime API (shared) -----------------------------------------------------------------------

  #onNext(poll: Poll): Refusal | undefined {
    const state = this.#lifecycle.state;
    if (state === 'dead') return [403, 'InvalidStateTransition', 'Environment is shutting down'];
    const inv = this.#invocation;
    if (state === 'invoking' && inv && inv.deliveredAt !== 0 && !inv.finished) {
      return [403, 'InvalidStateTransition', 'State transition from Running to Ready failed for runtime. Error: State transition is not allowed'];
    }
    this.#poll?.refuse('Superseded by another /next request');
    this.#poll = poll;

    if (state === 'starting') {
      this.#initDurationMs = performance.now() - this.#spawnedAt;
      clearTimeout(this.#initTimer);
      this.#lifecycle.to('ready');
      // Our bootstraps report their own memory with each answer; others are sampled from /proc.
      if (this.#channelMode !== 'full') this.sampleMemory();
      const pending = this.#pending;
      this.#pending = undefined;
      if (pending) this.#begin(pending);
      return undefined;
    }
    if (inv && inv.deliveredAt === 0) this.#deliver(inv);
    return undefined;
  }

  #onResponse(requestId: string, body: Buffer, tooLarge: boolean): Refusal | undefined {
    const inv = this.#current(requestId);
    if (!inv) return INVALID_REQUEST_ID;
    if (tooLarge) {
      void this.#finish(inv, { payload: responseTooLargePayload(), functionError: 'Unhandled', status: 'error', errorType: 'Function.ResponseSizeTooLarge' });
      return [413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`];
    }
    void this.#finish(inv, { payload: body });
    return undefined;
  }

  #onError(requestId: string, body: Buffer, errorType: string | undefined): Refusal | undefined {
    const inv = this.#current(requestId);
    if (!inv) return INVALID_REQUEST_ID;
    const payload = body.length > 0 ? body : Buffer.from(JSON.stringify({ errorType: errorType ?? 'Unhandled', errorMessage: 'Unhandled' }));
    void this.#finish(inv, { payload, functionError: 'Unhandled' });
    return undefined;
  }

  #onInitError(body: Buffer, errorType: string | undefined): Refusal | undefined {
    if (this.#lifecycle.state !== 'starting') return [403, 'InvalidStateTransition', 'Init error reported after init'];
    const type = errorType ?? errorTypeOf(body) ?? 'Runtime.Unknown';
    this.#initError = { payload: body.length > 0 ? body : Buffer.from(JSON.stringify({ errorType: type, errorMessage: '' })), errorType: type };
    // The runtime is expected to exit now; make sure it does.
    setTimeout(() => this.kill(), 1000).unref();
    return undefined;
  }

  // --- Internals ----------------------------------------------------------------------------------

  get #channelMode(): 'full' | 'logs' | 'none' {
    const mode = this.#runtime.channel;
    return mode === 'full' && !this.#ctx.privateChannel ? 'logs' : mode;
  }

  /** The host directory shown at /var/task: the code, or a cell's own task directory. */
  get #codeRoot(): string {
    return this.#taskDir ?? path.resolve(this.spec.codeDir);
  }

  #paths(): Paths {
    if (this.sandboxed) return { taskRoot: '/var/task', runtimeRoot: '/var/runtime' };
    const taskRoot = this.#codeRoot;
    return { taskRoot, runtimeRoot: this.#runtime.runtimeDir?.replace(/\/$/, '') ?? taskRoot };
  }

  #environment(endpoint: string, paths: Paths): Record<string, string> {
    const s = this.spec;
    const creds = this.#ctx.credentials;
    const env: Record<string, string> = {
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      ...this.#runtime.defaults(paths),
      ...this.#ctx.defaultEnv,
      ...(this.sandboxed ? {} : { TMPDIR: this.#tmpDir }),
      ...s.environment,
      // Reserved: a function's own variables never override these.
      AWS_LAMBDA_FUNCTION_NAME: s.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: s.version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(s.memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: s.logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_RUNTIME_API: endpoint,
      AWS_REGION: s.region,
      AWS_DEFAULT_REGION: s.region,
      LAMBDA_TASK_ROOT: paths.taskRoot,
      LAMBDA_RUNTIME_DIR: paths.runtimeRoot,
      _HANDLER: s.handler,
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_SESSION_TOKEN: creds.sessionToken,
    };
    if (this.#channelMode !== 'none') env._STAGECRAFT_OUT_FD = String(CHANNEL_OUT_FD);
    if (this.#channelMode === 'full') env._STAGECRAFT_IN_FD = String(CHANNEL_IN_FD);
    if (this.#runtime.family === 'provided') delete env.AWS_EXECUTION_ENV;
    else env.AWS_EXECUTION_ENV = `AWS_Lambda_${s.runtime}`;
    for (const k of ['_X_AMZN_TRACE_ID', 'AWS_ACCESS_KEY']) delete env[k];
    return env;
  }

  /** A cell's variables before it knows its function: the runtime's own, nothing of any function's. */
  #cellEnvironment(endpoint: string, paths: Paths): Record<string, string> {
    return {
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      ...this.#runtime.defaults(paths),
      ...(this.sandboxed ? {} : { TMPDIR: this.#tmpDir }),
      AWS_LAMBDA_RUNTIME_API: endpoint,
      LAMBDA_TASK_ROOT: paths.taskRoot,
      LAMBDA_RUNTIME_DIR: paths.runtimeRoot,
      _STAGECRAFT_OUT_FD: String(CHANNEL_OUT_FD),
      _STAGECRAFT_IN_FD: String(CHANNEL_IN_FD),
      _STAGECRAFT_CELL: '1',
    };
  }

  #current(requestId: string): Invocation | undefined {
    const inv = this.#invocation;
    if (!inv || inv.finished || inv.deliveredAt === 0 || inv.req.requestId !== requestId) return undefined;
    return inv;
  }

  #begin(inv: Invocation): void {
    this.#lifecycle.to('invoking');
    this.#invocation = inv;
    if (this.#carryLines.length > 0) {
      inv.lines = this.#carryLines;
      this.#carryLines = new LogBuffer();
    }
    if (this.#poll) this.#deliver(inv);
  }

  #deliver(inv: Invocation): void {
    const poll = this.#poll!;
    this.#poll = undefined;
    const req = inv.req;
    inv.deliveredAt = performance.now();
    inv.timer = setTimeout(() => this.#onTimeout(inv), inv.timeoutMs);
    poll.deliver(
      {
        requestId: req.requestId,
        deadlineMs: Date.now() + inv.timeoutMs,
        invokedFunctionArn: req.invokedFunctionArn,
        traceId: newTraceId(),
        clientContext: decodeClientContext(req.clientContext),
      },
      req.payload,
    );
  }

  #onTimeout(inv: Invocation): void {
    if (inv.finished || this.#killReason) return;
    // Timers may fire a hair early by performance.now(): the task ran for its whole timeout.
    inv.endedAt = Math.max(performance.now(), inv.deliveredAt + inv.timeoutMs);
    this.kill('timeout');
  }

  #onInitTimeout(): void {
    if (this.#lifecycle.state === 'starting') this.kill('timeout');
  }

  #output(lines: string[]): void {
    this.#outputSeq++;
    if (lines.length === 0) return;
    const state = this.#lifecycle.state;
    const bucket = this.#invocation ? this.#invocation.lines : state === 'starting' ? this.#initLines : this.#carryLines;
    for (const line of lines) bucket.push(line);
  }

  /** Waits until the process's pipes are quiet, so output written before a response is in. */
  async #drain(): Promise<void> {
    let seen = -1;
    for (let i = 0; i < 8 && seen !== this.#outputSeq; i++) {
      seen = this.#outputSeq;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  #flushPartialLines(): void {
    const rest = [this.#stdout.flush(), this.#stderr.flush()].filter((l): l is string => l !== undefined);
    if (rest.length > 0) this.#output(rest);
  }

  /** Ends an invocation the runtime answered (the process lives on). */
  async #finish(inv: Invocation, outcome: Outcome): Promise<void> {
    inv.finished = true;
    inv.endedAt = performance.now();
    clearTimeout(inv.timer);
    await this.#drain();
    this.#flushPartialLines();
    if (this.#channelMode !== 'full' && inv.endedAt - this.#sampledAt >= MEMORY_SAMPLE_MIN_MS) this.sampleMemory();
    const result = this.#result(inv, outcome);
    if (this.#invocation === inv) this.#invocation = undefined;
    if (this.#lifecycle.state === 'invoking') this.#lifecycle.to('ready');
    this.lastUsedAt = Date.now();
    inv.resolve(result);
  }

  #result(inv: Invocation, outcome: Outcome): InvokeResult {
    const s = this.spec;
    const id = inv.req.requestId;
    const durationMs = inv.deliveredAt === 0 ? 0 : Math.max(0, inv.endedAt - inv.deliveredAt);
    const initDurationMs = this.#initReported ? undefined : this.#initDurationMs;
    const logLines: string[] = [];
    if (!this.#initReported) {
      this.#initReported = true;
      logLines.push(initStartLine(this.#runtime.version, s.region), ...this.#initLines.lines);
      this.#initLines = new LogBuffer();
    }
    logLines.push(startLine(id, s.version), ...inv.lines.lines, ...(outcome.platformLines ?? []), endLine(id));
    const maxMemoryUsedMb = outcome.memoryExhausted ? s.memorySize : Math.max(1, Math.round(Math.max(inv.maxRss, this.#rss) / MIB));
    logLines.push(
      reportLine({ requestId: id, durationMs, memorySize: s.memorySize, maxMemoryUsedMb, initDurationMs, status: outcome.status, errorType: outcome.errorType }),
    );
    const result: InvokeResult = { payload: outcome.payload, logLines, logStreamName: this.logStreamName, durationMs, maxMemoryUsedMb };
    if (outcome.functionError) result.functionError = outcome.functionError;
    if (initDurationMs !== undefined) result.initDurationMs = initDurationMs;
    return result;
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.#exit = { code, signal };
    const pid = this.#child?.pid;
    // Unsandboxed, take down whatever the function left running in its process group.
    if (!this.sandboxed && pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Nothing left.
      }
    }
    this.#closeTimer = setTimeout(() => this.#finalizeDeath(), CLOSE_GRACE_MS);
    this.#closeTimer.unref();
  }

  /** The process is gone (or never came): end whatever invocation it held, clean up. */
  #finalizeDeath(): void {
    if (this.#lifecycle.state === 'dead') return;
    clearTimeout(this.#closeTimer);
    clearTimeout(this.#initTimer);
    this.#flushPartialLines();
    const wasStarting = this.#lifecycle.state === 'starting';
    this.#lifecycle.to('dead');
    if (this.#secret) this.#ctx.api.unregister(this.#secret);
    this.#poll?.refuse('Environment is shutting down');
    this.#poll = undefined;
    this.#channelIn?.destroy();

    const inv = this.#invocation ?? this.#pending;
    this.#invocation = undefined;
    this.#pending = undefined;
    if (inv && !inv.finished) {
      inv.finished = true;
      clearTimeout(inv.timer);
      if (inv.endedAt === 0) inv.endedAt = performance.now();
      if (this.#launchError) inv.reject(this.#launchError);
      else if (wasStarting) inv.resolve(this.#initFailureResult(inv));
      else inv.resolve(this.#result(inv, crashOutcome(inv.req.requestId, this.#processEnd(), inv.endedAt - inv.deliveredAt)));
    }
    void rm(this.#tmpDir, { recursive: true, force: true }).catch(() => {});
    if (this.#taskDir) void rm(this.#taskDir, { recursive: true, force: true }).catch(() => {});
    this.#onDead(this);
    this.#resolveClosed();
  }

  #processEnd(): ProcessEnd {
    return { killReason: this.#killReason, exit: this.#exit, sandboxed: this.sandboxed };
  }

  /** The result of an invocation whose environment never finished init. */
  #initFailureResult(inv: Invocation): InvokeResult {
    const s = this.spec;
    const id = inv.req.requestId;
    const initMs = performance.now() - this.#spawnedAt;
    const { payload, errorType, status } = initFailure(id, this.#initError, this.#invalidEntrypoint, this.#processEnd(), initMs);
    const maxMemoryUsedMb = this.#killReason === 'oom' ? s.memorySize : Math.max(1, Math.round(this.#rss / MIB));
    this.#initReported = true;
    const logLines = [
      initStartLine(this.#runtime.version, s.region),
      ...this.#initLines.lines,
      initReportLine(initMs, status, status === 'error' ? errorType : undefined),
      startLine(id, s.version),
      endLine(id),
      reportLine({ requestId: id, durationMs: initMs, memorySize: s.memorySize, maxMemoryUsedMb, status, errorType: status === 'error' ? errorType : undefined }),
    ];
    return { payload, functionError: 'Unhandled', logLines, logStreamName: this.logStreamName, durationMs: initMs, maxMemoryUsedMb };
  }
}

/** Longest delay a Node.js timer takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function timeoutFor(spec: FunctionSpec, req: InvokeRequest): number {
  const d = req.deadlineMs;
  // An absolute epoch deadline or a duration, whichever it is.
  const ms = d === undefined ? spec.timeout * 1000 : d > 1e12 ? d - Date.now() : d;
  return Math.min(MAX_TIMER_MS, Math.max(1, ms));
}

function errorTypeOf(body: Buffer): string | undefined {
  try {
    const t = (JSON.parse(body.toString('utf8')) as { errorType?: unknown }).errorType;
    return typeof t === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

const headerSafe = (v: string): string => v.replace(/[^\x20-\x7e]/g, '');

/** X-Amz-Client-Context is base64 JSON; the runtime gets the JSON (non-ASCII escaped for the header). */
function decodeClientContext(b64: string | undefined): string | undefined {
  if (!b64) return undefined;
  try {
    const json = Buffer.from(b64, 'base64').toString('utf8');
    JSON.parse(json);
    return json.replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  } catch {
    return undefined;
  }
}
