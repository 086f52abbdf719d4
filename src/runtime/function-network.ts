// Each sandboxed environment's own network namespace, as on AWS: bubblewrap creates it (with only a
// loopback interface) and pasta (the passt package) attaches to it, giving it user-mode outbound
// TCP/UDP through the host's sockets and DNS through the host's resolver, with the host's loopback
// out of reach except the ports the platform forwards: the Runtime API's listener and the server's
// own port, at the same 127.0.0.1:<port> the environment is told. Its own loopback is its own: two
// environments' extensions may listen on the same port. The sandbox waits (bwrap --block-fd) until
// pasta has configured the namespace, so the function never runs without its network.
//
// pasta rather than slirp4netns: it forwards chosen ports of the namespace's loopback to the host's
// (-T), keeping the address functions are told; slirp4netns can only reach the host's loopback as
// a whole through its gateway address (or not at all), and copies every byte through a TCP stack
// of its own where pasta splices sockets.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { logger } from '../core/logger.js';
import { TelemetryRelay } from './telemetry-relay.js';
import { installPrefix, type Bubblewrap } from './sandbox.js';

export type FunctionNetworkSetting = 'isolated' | 'host';

export interface FunctionNetworkStatus {
  mode: 'isolated' | 'host';
  /** Why environments share the host's network (when mode is 'host'). */
  reason?: string;
}

/** Where Debian's passt package installs pasta. */
export const DEFAULT_PASTA_PATH = '/usr/bin/pasta';
const SETPRIV_PATH = '/usr/bin/setpriv';
/** How long pasta may take to configure a namespace before the environment fails. */
const ATTACH_TIMEOUT_MS = 5000;
const PID_FILE_POLL_MS = 2;

/** The fds bwrap reports the sandbox's PID on and waits on before starting the command, placed after the environment's own. */
export interface NamespaceFds {
  info: number;
  block: number;
}

/** How a pool's sandboxed environments get their network namespace. */
export class FunctionNetwork {
  readonly #pastaPath: string;
  readonly #pidDir: string;
  /** Host loopback ports every environment reaches (the Runtime API's, the server's). */
  #ports: number[];
  #next = 0;

  constructor(pastaPath: string, pidDir: string, ports: number[]) {
    this.#pastaPath = pastaPath;
    this.#pidDir = pidDir;
    this.#ports = ports;
  }

  get ports(): readonly number[] {
    return this.#ports;
  }

  /** Environments started from now on reach these host loopback ports too (the server's, once it listens). */
  forward(ports: number[]): boolean {
    const next = [...new Set([...this.#ports, ...ports])].sort((a, b) => a - b);
    if (next.length === this.#ports.length) return false;
    this.#ports = next;
    return true;
  }

  /** pasta's command line for the namespace of process `pid`. */
  #pastaArgs(pid: number, pidFile: string): string[] {
    const tcp = this.#ports.length > 0 ? this.#ports.join(',') : 'none';
    // As root, bubblewrap creates the namespace in the host's user namespace: pasta joins the network namespace alone (and stays root, which it needs to).
    const target = process.getuid?.() === 0 ? ['--runas', '0', '--netns-only', '--netns', `/proc/${pid}/ns/net`] : [String(pid)];
    // Foreground, so that it dies with the server (setpriv's parent-death signal); -4: IPv4 only
    // outbound, as Lambda outside a VPC; no ICMP echo (ping): 2 MB less per environment (of ~20).
    return ['--config-net', '--no-map-gw', '-4', '--no-icmp', '-f', '-q', '-P', pidFile, '-t', 'none', '-u', 'none', '-T', tcp, '-U', 'none', ...target];
  }

  /**
   * Gives the sandbox `child` (started with `fds`) its network: reads its PID, starts pasta on its
   * namespace, and lets it run once pasta is ready. Kills it when that fails.
   */
  attach(child: ChildProcess, fds: NamespaceFds): NetworkNamespace {
    return new NetworkNamespace(child, fds, (pid) => this.#startPasta(pid));
  }

  async #startPasta(pid: number): Promise<ChildProcess> {
    await whenLoopbackUp(pid);
    const pidFile = path.join(this.#pidDir, `pasta-${process.pid}-${this.#next++}.pid`);
    const pasta = spawn(SETPRIV_PATH, ['--pdeathsig', 'KILL', '--', this.#pastaPath, ...this.#pastaArgs(pid, pidFile)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    pasta.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    try {
      await whenWritten(pidFile, pasta, () => err);
      return pasta;
    } catch (e) {
      pasta.kill('SIGKILL');
      throw e;
    } finally {
      void rm(pidFile, { force: true });
    }
  }
}

/**
 * Resolves once the sandbox's loopback interface is up. bwrap sets it up (adds 127.0.0.1 exclusively,
 * then brings lo up) in the new namespace while reporting the PID; pasta brings lo up too, which
 * makes the kernel add 127.0.0.1 itself, so a pasta that came first would make bwrap's exclusive add
 * fail and the sandbox die ("loopback: Failed RTM_NEWADDR"). The namespace's /proc/<pid>/net/igmp
 * lists lo once it is up. Gives up quietly after the attach timeout: pasta's own checks then report.
 */
async function whenLoopbackUp(pid: number): Promise<void> {
  const deadline = Date.now() + ATTACH_TIMEOUT_MS;
  for (;;) {
    const igmp = await readFile(`/proc/${pid}/net/igmp`, 'utf8').catch(() => undefined);
    if (igmp === undefined || /^\d+\s+lo\s/m.test(igmp) || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Resolves once pasta wrote its PID (its namespace is configured); rejects if it exits first or takes too long. */
async function whenWritten(pidFile: string, pasta: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + ATTACH_TIMEOUT_MS;
  let exited = false;
  let failure = '';
  pasta.once('exit', () => (exited = true));
  pasta.once('error', (e) => {
    exited = true;
    failure = e.message;
  });
  for (;;) {
    // pasta opens the file early and writes it once initialisation is done.
    const written = await readFile(pidFile, 'utf8').catch(() => '');
    if (written.trim() !== '') return;
    if (exited) throw new Error(`pasta could not configure the environment's network: ${failure || lastLine(stderr())}`);
    if (Date.now() > deadline) throw new Error('pasta did not configure the environment\'s network in time');
    await new Promise((r) => setTimeout(r, PID_FILE_POLL_MS));
  }
}

const lastLine = (text: string): string => text.trim().split('\n').filter((l) => !l.startsWith('Failed to send')).pop() ?? 'no message';

/** One environment's namespace: pasta attached to it, and (once an extension subscribes to telemetry) a relay inside it. */
export class NetworkNamespace {
  #pasta: ChildProcess | undefined;
  #relay: TelemetryRelay | undefined;
  #closed = false;
  /** Why pasta could not configure the namespace (the sandbox is killed then). */
  problem: string | undefined;
  /** The sandbox's first process (PID in the host's namespace), once bwrap reported it. */
  sandboxPid: number | undefined;

  constructor(child: ChildProcess, fds: NamespaceFds, startPasta: (pid: number) => Promise<ChildProcess>) {
    const info = child.stdio[fds.info] as Readable | null;
    const block = child.stdio[fds.block] as Writable | null;
    block?.on('error', () => {
      /* the sandbox is gone: its environment notices */
    });
    let json = '';
    info?.on('data', (c: Buffer) => (json += c.toString()));
    info?.on('end', () => {
      const pid = parseChildPid(json);
      if (pid === undefined) return; // bwrap failed before forking: the environment sees it exit
      this.sandboxPid = pid;
      startPasta(pid).then(
        (pasta) => {
          if (this.#closed) return void pasta.kill('SIGKILL');
          this.#pasta = pasta;
          pasta.once('exit', (code, signal) => {
            if (!this.#closed) logger.warn('an environment lost its network: its pasta process ended', { code, signal });
          });
          block?.end('1');
        },
        (e: Error) => {
          this.problem = e.message;
          logger.warn('an environment could not get its network namespace', { error: e.message });
          child.kill('SIGKILL');
        },
      );
    });
  }

  /** An extension subscribed to telemetry: the relay starts now, so that it is ready for the first batch. */
  prepareRelay(): void {
    if (this.sandboxPid === undefined || this.#closed) return;
    this.#relay ??= new TelemetryRelay(this.sandboxPid);
  }

  /** POSTs a telemetry batch to a listener inside the namespace (its loopback is not the host's). */
  post(url: URL, body: string): Promise<void> {
    this.prepareRelay();
    return this.#relay?.post(url, body) ?? Promise.resolve();
  }

  /** The environment is gone: its pasta and relay go too. */
  close(): void {
    this.#closed = true;
    this.#pasta?.kill('SIGKILL');
    this.#relay?.close();
  }
}

function parseChildPid(json: string): number | undefined {
  try {
    const pid = (JSON.parse(json) as { 'child-pid'?: unknown })['child-pid'];
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** What environments' networks are: their own namespaces when pasta works here, else the host's (with a warning, or a refusal when the sandbox is required). */
export async function chooseFunctionNetwork(
  setting: FunctionNetworkSetting,
  sandboxed: boolean,
  required: boolean,
  probe: () => Promise<string | undefined>,
  pastaPath = DEFAULT_PASTA_PATH,
): Promise<{ status: FunctionNetworkStatus; refusal?: string }> {
  if (!sandboxed) return { status: { mode: 'host', reason: 'functions run unsandboxed' } };
  if (setting === 'host') {
    logger.warn('Functions share the host\'s network (--function-network host): they can reach every service on its loopback.');
    return { status: { mode: 'host', reason: 'shared network by configuration' } };
  }
  const exists = await stat(pastaPath).catch(() => undefined);
  const problem = exists ? await probe() : `${pastaPath} not found (install the passt package)`;
  if (problem === undefined) return { status: { mode: 'isolated' } };
  const status: FunctionNetworkStatus = { mode: 'host', reason: problem };
  if (required) {
    logger.error('The sandbox is required but functions cannot get their own network: functions will not run.', { reason: problem });
    return { status, refusal: problem };
  }
  logger.warn('Functions share the host\'s network: they can reach every service on its loopback.', { reason: problem });
  return { status };
}

/**
 * Checks that a sandbox gets a configured namespace here (pasta installed is not enough: it must be
 * allowed to join it) by running the host's node in one and counting its interfaces (loopback and
 * pasta's). Returns the problem, if any.
 */
export async function probeFunctionNetwork(bubblewrap: Bubblewrap, network: FunctionNetwork, scratchDir: string): Promise<string | undefined> {
  const fds = { info: 3, block: 4 };
  const args = bubblewrap.args({ codeDir: scratchDir, tmpSizeMb: 1, marker: '_STAGECRAFT_NET_PROBE', hostPaths: [installPrefix(process.execPath)], network: fds }, [
    process.execPath,
    '-e',
    'process.stdout.write(String(Object.keys(require("os").networkInterfaces()).length))',
  ]);
  const child = spawn(bubblewrap.path, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'], env: {} });
  const namespace = network.attach(child, fds);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const ok = await new Promise<boolean>((resolve) => {
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0 && Number(out) >= 2));
  });
  clearTimeout(timer);
  namespace.close();
  return ok ? undefined : `a sandbox could not get its own network here (${namespace.problem ?? 'no interface besides loopback'})`;
}

/** The port of an http(s) URL on this host's loopback (the server's, as functions are told it), if it is one. */
export function loopbackPort(url: string | undefined): number | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return undefined;
    return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  } catch {
    return undefined;
  }
}
