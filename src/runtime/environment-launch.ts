// How an environment's process is launched: its directories on the host (unsandboxed, a private
// /tmp; a pre-started cell's own task directory), the paths it sees, its variables (a function's, or a
// cell's generic ones until it is specialised) and its command line, under bubblewrap or not; for a
// cell behind the extensions' launcher, what starts the function's extensions at specialisation.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { CHANNEL_IN_FD, CHANNEL_OUT_FD } from './channel.js';
import { EXEC_WRAPPER, hostWrapperPath, wrappedCommand } from './exec-wrapper.js';
import type { Writable } from 'node:stream';
import { EXTENSIONS_REGISTERED_FD, cellExtensionsCommand, cellExtensionsStart, extensionsCommand } from './extension-launch.js';
// AWS: "You can register up to 10 extensions for a function" (external and internal together).
import { MAX_EXTENSIONS } from './extensions-api.js';
import { linkTree } from './link-tree.js';
import { cellHasOpt, findExtensions } from './layer-cells.js';
import { OPT, type Paths, type RuntimeDescriptor } from './runtimes.js';
import type { Bubblewrap } from './sandbox.js';
import type { FunctionNetwork, NetworkNamespace } from './function-network.js';
import { postBatch, type TelemetryDelivery } from './telemetry-api.js';
import type { LaunchProblem } from './failures.js';
import type { ProcessScheduler } from './scheduling.js';
import type { ParentDeathWrapper } from './parent-death.js';
import { DEFAULT_EPHEMERAL_STORAGE_MB, type FunctionSpec } from './types.js';

/** What every launch in a pool shares (part of EnvironmentContext). */
export interface LaunchContext {
  /** Undefined when environments run unsandboxed. */
  bubblewrap: Bubblewrap | undefined;
  /** Sandboxed environments' own network namespaces; undefined when they share the host's network. */
  network?: FunctionNetwork;
  workDir: string;
  /** Variables every function gets below its own (e.g. AWS_ENDPOINT_URL). */
  defaultEnv: Record<string, string>;
  /** Use the private channel for invocations where the runtime speaks it (else the HTTP Runtime API). */
  privateChannel: boolean;
  /** Credentials given to functions (dummy ones unless the server verifies signatures). */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** The scheduling policy processes start under (scheduling.ts). */
  scheduler: ProcessScheduler;
  /** Unsandboxed: how a process is tied to the server's life (parent-death.ts; absent: not tied). */
  parentDeath?: ParentDeathWrapper;
}

/** How much of the private channel an environment uses (channel.ts, RuntimeDescriptor.channel). */
export type ChannelMode = RuntimeDescriptor['channel'];

export class EnvironmentLaunch {
  readonly #runtime: RuntimeDescriptor;
  readonly #ctx: LaunchContext;
  /**
   * Unsandboxed, the host directory given as TMPDIR (nothing limits its size). Sandboxed, /tmp is a
   * tmpfs of the function's ephemeral storage size instead, and this directory is never made.
   */
  readonly #tmpDir: string;
  /** What names this environment's sandbox on bwrap's command line (a variable it unsets). */
  readonly #marker: string;
  /** A cell's /var/task: empty until specialisation hard-links the function's code into it. */
  readonly #taskDir: string | undefined;
  /** A sandboxed cell's /opt: empty until specialisation hard-links the function's merged layers into it (layer-cells.ts). */
  readonly #optDir: string | undefined;
  /** The runtime's channel, less invocations when the pool asks for the HTTP Runtime API. */
  readonly channel: ChannelMode;
  /** Invocations, stdout and stderr all travel on the channel, in order (RuntimeDescriptor.outputOnChannel). */
  readonly ordersOutput: boolean;
  /** The executables in the function's /opt/extensions (external extensions), by name, in the order they start. */
  extensions: string[] = [];
  /** A cell started behind the extensions' launcher, to serve functions with external extensions (extension-launch.ts). */
  readonly #cellLauncher: boolean;
  /** The sandbox's own network namespace, once spawned (function-network.ts). */
  #netns: NetworkNamespace | undefined;

  /**
   * `cell`: a pre-started cell, `extensions` when it may serve functions with external extensions.
   * `tmpDir`: a failed environment's /tmp to keep (init runs again in a new one, environment-init.ts).
   */
  constructor(runtime: RuntimeDescriptor, ctx: LaunchContext, id: number, cell: { extensions: boolean } | undefined, tmpDir?: string) {
    this.#runtime = runtime;
    this.#ctx = ctx;
    this.#tmpDir = tmpDir ?? path.join(ctx.workDir, `env-${process.pid}-${id}`);
    // Ends with a separator so that environment 1's never matches inside environment 12's.
    this.#marker = `_STAGECRAFT_ENV_${process.pid}_${id}_`;
    if (cell) this.#taskDir = path.join(ctx.workDir, `task-${process.pid}-${id}`);
    this.#cellLauncher = cell?.extensions === true;
    if (cell && ctx.bubblewrap && cellHasOpt(runtime)) this.#optDir = path.join(ctx.workDir, `opt-${process.pid}-${id}`);
    this.channel = runtime.channel === 'full' && !ctx.privateChannel ? 'logs' : runtime.channel;
    this.ordersOutput = this.channel === 'full' && runtime.outputOnChannel;
  }

  get sandboxed(): boolean {
    return this.#ctx.bubblewrap !== undefined;
  }

  /** The runtime runs behind the extensions' launcher, which relays its exit status (128+n for a signal). */
  get launcher(): boolean {
    return this.extensions.length > 0 || this.#cellLauncher;
  }

  /**
   * Creates the process's directories and, for a function (not a cell), checks its code and
   * extensions: returns the reason when it cannot start (no bootstrap for a custom runtime, more
   * than 10 extensions). Throws when the code directory is missing.
   */
  async prepare(spec: FunctionSpec): Promise<LaunchProblem | undefined> {
    const cell = this.#taskDir !== undefined;
    if (cell) {
      await mkdir(this.#taskDir!, { recursive: true, mode: 0o755 });
      if (this.#optDir) await mkdir(this.#optDir, { recursive: true, mode: 0o755 });
    } else {
      await checkCodeDir(spec);
    }
    if (!this.sandboxed) await mkdir(this.#tmpDir, { recursive: true, mode: 0o700 });
    if (spec.optDir !== undefined) this.extensions = await findExtensions(spec.optDir);
    // Stagecraft's wording (AWS's runtime interface emulator refuses an 11th registration so).
    if (this.extensions.length > MAX_EXTENSIONS) return { errorType: 'Extension.LaunchError', message: `Extension limit (${MAX_EXTENSIONS}) reached` };
    const entrypoint = cell ? undefined : await this.#runtime.entrypointProblem?.(spec.codeDir, this.#paths(spec));
    return entrypoint === undefined ? undefined : { errorType: 'Runtime.InvalidEntrypoint', message: entrypoint };
  }

  /**
   * Makes a cell's /var/task show the function's code and, sandboxed, its /opt the function's merged
   * layers (hard links into its own directories). Unsandboxed, the specialised variables name the
   * merged tree's host directory, as a fresh process's do.
   */
  async linkCode(spec: FunctionSpec): Promise<void> {
    await checkCodeDir(spec);
    if (this.#cellLauncher && spec.optDir !== undefined) this.extensions = await findExtensions(spec.optDir);
    if (this.extensions.length > MAX_EXTENSIONS) throw new Error('too many extensions for a cell');
    if (spec.optDir !== undefined && this.sandboxed && !this.#optDir) throw new Error('this cell cannot show layers');
    const layers = spec.optDir !== undefined && this.#optDir ? linkTree(path.resolve(spec.optDir), this.#optDir) : undefined;
    await Promise.all([linkTree(path.resolve(spec.codeDir), this.#taskDir!), layers]);
  }

  /** A string only this environment's sandbox processes carry on their command line. */
  get marker(): string {
    return this.#marker;
  }

  /** Starts the process: a cell with its generic variables, a function with its own. */
  spawn(spec: FunctionSpec, logStreamName: string, endpoint: string): ChildProcess {
    const paths = this.#paths(spec);
    const runtimeCmd = this.#runtimeCommand(spec, paths);
    const cmd = this.#cellLauncher ? cellExtensionsCommand(runtimeCmd) : this.extensions.length > 0 ? extensionsCommand(`${paths.optRoot}/extensions`, runtimeCmd) : runtimeCmd;
    const env = this.#taskDir !== undefined ? this.#cellVariables(endpoint, paths) : this.#functionVariables(spec, logStreamName, endpoint, paths);
    const stdio: ('ignore' | 'pipe')[] = this.channel === 'none' ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'];
    // fd 5: extension exits (extension-launch.ts); fd 6: "all registered, start the runtime" (a cell's: which extensions to start, how); fd 7: the extensions' output.
    if (this.launcher) stdio.push(...(this.channel === 'none' ? (['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] as const) : (['pipe', 'pipe', 'pipe'] as const)));
    const codeRoot = this.#codeRoot(spec);
    const bwrap = this.#ctx.bubblewrap;
    const scheduled = this.#ctx.scheduler.command;
    if (!bwrap) {
      const tied = this.#ctx.parentDeath?.(cmd.file, cmd.args) ?? cmd;
      const run = scheduled(tied.file, tied.args);
      return spawn(run.file, run.args, { env, stdio, cwd: codeRoot, detached: true });
    }
    const network = this.#ctx.network;
    // Two more pipes, for bwrap alone: the sandbox's PID, and the go-ahead once its network is configured.
    if (network) stdio.push('pipe', 'pipe');
    const fds = network ? { info: stdio.length - 2, block: stdio.length - 1 } : undefined;
    const layout = { codeDir: codeRoot, runtimeDir: this.#runtime.runtimeDir, tmpSizeMb: spec.ephemeralStorageMb ?? DEFAULT_EPHEMERAL_STORAGE_MB, marker: this.#marker, optDir: this.#optDir ?? spec.optDir, hostPaths: this.#runtime.hostPaths, links: this.#runtime.sandboxLinks, network: fds };
    const run = scheduled(bwrap.path, bwrap.args(layout, [cmd.file, ...cmd.args]));
    const child = spawn(run.file, run.args, { env, stdio });
    if (network && fds) this.#netns = network.attach(child, fds);
    return child;
  }

  /** How telemetry batches reach a listener on the environment's loopback (its own namespace's, or the host's). */
  readonly telemetry: TelemetryDelivery = {
    post: (url, body) => (this.#netns ? this.#netns.post(url, body) : postBatch(url, body)),
    subscribed: () => this.#netns?.prepareRelay(),
  };

  /** The process is gone: so is what gave its namespace a network. */
  closeNetwork(): void {
    this.#netns?.close();
  }

  /** What a ready cell is specialised with: the variables a fresh process of the function gets (it has its channel already). */
  specialisedVariables(spec: FunctionSpec, logStreamName: string, endpoint: string): Record<string, string> {
    const env = this.#functionVariables(spec, logStreamName, endpoint, this.#paths(spec));
    delete env._STAGECRAFT_IN_FD;
    delete env._STAGECRAFT_OUT_FD;
    return env;
  }

  /**
   * A cell behind the extensions' launcher, being specialised: it starts the function's external
   * extensions with the variables a fresh process's get, or learns that there are none (fd 6 closed).
   */
  startCellExtensions(spec: FunctionSpec, logStreamName: string, endpoint: string, stdio: readonly unknown[]): void {
    const go = stdio[EXTENSIONS_REGISTERED_FD] as Writable | null | undefined;
    if (!go) return;
    go.on('error', () => {
      /* the launcher is gone: the environment notices */
    });
    if (this.extensions.length === 0) return void go.end();
    const paths = this.#paths(spec);
    go.end(cellExtensionsStart(`${paths.optRoot}/extensions`, this.#functionVariables(spec, logStreamName, endpoint, paths), this.#cellVariables(endpoint, paths)));
  }

  /** The host directory behind the process's /tmp. */
  get tmpDir(): string {
    return this.#tmpDir;
  }

  /**
   * Removes the process's directories (in the background; it is gone), its /tmp too unless `keepTmp`.
   * Sandboxed, /tmp was a tmpfs that went with the process: nothing on the host to keep or remove.
   */
  removeDirectories(keepTmp = false): void {
    if (!keepTmp && !this.sandboxed) removeTmpDir(this.#tmpDir);
    if (this.#taskDir) void rm(this.#taskDir, { recursive: true, force: true }).catch(() => {});
    if (this.#optDir) void rm(this.#optDir, { recursive: true, force: true }).catch(() => {});
  }

  /** The runtime's command, through the function's AWS_LAMBDA_EXEC_WRAPPER when it sets one (managed runtimes only; never a cell). */
  #runtimeCommand(spec: FunctionSpec, paths: Paths): { file: string; args: string[] } {
    const cmd = this.#runtime.command(paths, spec.memorySize);
    const wrapper = this.#taskDir === undefined && this.#runtime.family !== 'provided' ? spec.environment[EXEC_WRAPPER] : undefined;
    if (!wrapper) return cmd;
    return wrappedCommand(hostWrapperPath(wrapper, this.sandboxed ? undefined : paths), cmd);
  }

  /** The host directory shown at /var/task: the code, or a cell's own task directory. */
  #codeRoot(spec: FunctionSpec): string {
    return this.#taskDir ?? path.resolve(spec.codeDir);
  }

  #paths(spec: FunctionSpec): Paths {
    if (this.sandboxed) return { taskRoot: '/var/task', runtimeRoot: '/var/runtime', optRoot: OPT };
    const taskRoot = this.#codeRoot(spec);
    return { taskRoot, runtimeRoot: this.#runtime.runtimeDir?.replace(/\/$/, '') ?? taskRoot, optRoot: spec.optDir ? path.resolve(spec.optDir) : OPT };
  }

  #functionVariables(s: FunctionSpec, logStreamName: string, endpoint: string, paths: Paths): Record<string, string> {
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
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: s.initializationType ?? 'on-demand',
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
    if (this.channel !== 'none') env._STAGECRAFT_OUT_FD = String(CHANNEL_OUT_FD);
    if (this.channel === 'full') env._STAGECRAFT_IN_FD = String(CHANNEL_IN_FD);
    if (this.#runtime.family === 'provided') delete env.AWS_EXECUTION_ENV;
    else env.AWS_EXECUTION_ENV = `AWS_Lambda_${s.runtime}`;
    for (const k of ['_X_AMZN_TRACE_ID', 'AWS_ACCESS_KEY']) delete env[k];
    return env;
  }

  /** A cell's variables before it knows its function: the runtime's own, nothing of any function's. */
  #cellVariables(endpoint: string, paths: Paths): Record<string, string> {
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
}

async function checkCodeDir(spec: FunctionSpec): Promise<void> {
  const code = await stat(spec.codeDir).catch(() => undefined);
  if (!code?.isDirectory()) throw new Error(`the function's code directory is missing`);
}

/** Removes an environment's /tmp directory (in the background). */
export function removeTmpDir(dir: string): void {
  void rm(dir, { recursive: true, force: true }).catch(() => {});
}
