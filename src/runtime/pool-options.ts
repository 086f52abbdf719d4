// The environment pool's settings and the figures it reports (environment-pool.ts).
import type { SandboxSetting } from './sandbox.js';
import type { FunctionNetworkSetting } from './function-network.js';
import type { ScaleOutMode } from './scale-out.js';
import type { SchedulingSetting } from './scheduling.js';
import type { FunctionSpec } from './types.js';

/** Lines for an environment's log stream that belong to no invocation. */
export type ShutdownLines = (spec: FunctionSpec, logStreamName: string, lines: string[]) => void;

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
  /** Where what an environment's processes print in its Shutdown phase goes (its log stream); dropped without it. */
  shutdownLines?: ShutdownLines;
  /** Credentials handed to functions (dummy values by default; the server's temporary key when it verifies signatures). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /**
   * Pre-started generic environments kept per (runtime family, memory size, ephemeral storage size) for cold starts
   * (default 1; 0 disables). Needs the private channel.
   */
  prewarm?: number;
  /** The kinds kept pre-started from the start (default nodejs20.x at 128 MB; ephemeral storage 512 MB unless given). */
  prewarmFor?: { runtime: string; memorySize: number; ephemeralStorageMb?: number }[];
  /**
   * 'paced' (default): an invocation finding every environment of its version busy waits for one
   * when that should be quicker than a cold start (see scale-out.ts); 'eager': starts one at once.
   */
  scaleOut?: ScaleOutMode;
  /** 'batch' (default): processes run under SCHED_BATCH where chrt allows it (scheduling.ts); 'normal': as the server. */
  scheduling?: SchedulingSetting;
  /** The chrt executable (default /usr/bin/chrt). */
  chrtPath?: string;
  /** 'isolated' (default): sandboxed environments get their own network namespace where pasta works (function-network.ts); 'host': they share the host's. */
  functionNetwork?: FunctionNetworkSetting;
  /** Host loopback ports isolated environments reach besides the Runtime API's and the server's (default none). */
  functionHostPorts?: number[];
  /** The pasta executable (default /usr/bin/pasta). */
  pastaPath?: string;
}

export interface PoolStats {
  /** Environments of functions (pre-started cells not included). */
  environments: number;
  busy: number;
  idle: number;
  /** Pre-started cells alive (starting or ready); they count against the cap too. */
  prestarted: number;
  /** Of those, the ones ready to be specialised. */
  prestartedReady: number;
  /** Invocations sent ahead to a busy environment since the pool started (#sendAheadTarget). */
  sentAhead: number;
}
