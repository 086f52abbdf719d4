// Isolation for execution environments with bubblewrap (bwrap): each environment sees its code
// read-only at /var/task, its runtime read-only at /var/runtime, a private writable /tmp (a tmpfs
// of the function's ephemeral storage size, gone with the sandbox), the read-only system
// directories a runtime needs, and nothing else (no platform data directory, no other function's
// code). It gets its own PID, IPC and UTS namespaces and runs as an unprivileged
// user (uid 993, as on AWS) with no capabilities. Its network is a namespace of its own
// (function-network.ts: pasta gives it outbound connectivity and the platform's loopback ports),
// or, where that is unavailable or configured so, the host's.
import { spawn } from 'node:child_process';
import { lstat, mkdir, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { logger } from '../core/logger.js';
import type { NamespaceFds } from './function-network.js';

export type SandboxSetting = 'auto' | 'required' | 'off';

export interface SandboxStatus {
  mode: 'bubblewrap' | 'none';
  /** Why there is no sandbox (when mode is 'none'). */
  reason?: string;
}

/** Where bubblewrap is installed by the distribution's package (apt install bubblewrap). */
export const DEFAULT_BWRAP_PATH = '/usr/bin/bwrap';
/** The user functions run as inside the sandbox (sbx_user1051 on AWS). */
const SANDBOX_UID = 993;
const SANDBOX_GID = 990;
/** Ephemeral storage "MB" are taken as MiB (Stagecraft's choice, as for memory sizes). */
const MIB = 1024 * 1024;
/** The sandbox's user database: libraries ask for the current user's home (os.homedir(), AWS SDKs). */
const PASSWD = `root:x:0:0:root:/root:/sbin/nologin\nsbx_user1051:x:${SANDBOX_UID}:${SANDBOX_GID}::/home/sbx_user1051:/sbin/nologin\n`;
const GROUP = `root:x:0:\nsbx_user1051:x:${SANDBOX_GID}:\n`;

/**
 * AWS's per-environment limits on processes and threads (a fork bomb fails with EAGAIN instead of
 * taking the host's PIDs) and on file descriptors, set inside the sandbox's own user namespace so
 * each environment counts its own. The kernel does not apply the process limit to root: on a server
 * run as root the memory watchdog is what stops a fork bomb.
 */
const PRLIMIT_PATH = '/usr/bin/prlimit';
const ENVIRONMENT_LIMITS = { processes: 1024, files: 1024 };

/** Top-level system directories: bound read-only, or recreated as the symlinks they are. */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/** The parts of /etc a runtime needs: name resolution, TLS roots, dynamic linker cache. */
const ETC_FILES = [
  '/etc/resolv.conf',
  '/etc/nsswitch.conf',
  '/etc/host.conf',
  '/etc/gai.conf',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/pki',
  '/etc/crypto-policies',
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/localtime',
  '/etc/mime.types',
];

export interface SandboxLayout {
  /** Host directory with the function's code, mounted read-only at /var/task. */
  codeDir: string;
  /** Host directory with the runtime's bootstrap, mounted read-only at /var/runtime. */
  runtimeDir?: string;
  /** The size of the environment's private /tmp (a tmpfs: writes past it fail with ENOSPC, as on AWS), MB. */
  tmpSizeMb: number;
  /** A string unique to this environment, put on bwrap's command line so its processes can be found (RuntimeProcess). */
  marker: string;
  /** Host directory with the function's merged layers, mounted read-only at /opt (an empty /opt without layers). */
  optDir?: string;
  /** Extra host paths (e.g. an interpreter installed outside /usr) bound read-only in place. */
  hostPaths: string[];
  /** Symbolic links to add; their targets need not exist yet (a pre-started cell's /opt fills later). */
  links?: SandboxLink[];
  /** A network namespace of its own: bwrap reports the sandbox's PID on `info` and waits on `block` until it is configured (function-network.ts). */
  network?: NamespaceFds;
}

export interface SandboxLink {
  path: string;
  target: string;
}

/** The system part of the bwrap command line, computed once per host. */
export class Bubblewrap {
  readonly #systemArgs: string[];
  /** What the sandboxed command is started through (the environment's limits), if anything. */
  readonly #limits: string[];
  /** The bwrap executable. */
  readonly path: string;

  private constructor(bwrapPath: string, systemArgs: string[], limits: string[]) {
    this.path = bwrapPath;
    this.#systemArgs = systemArgs;
    this.#limits = limits;
  }

  /** `scratchDir` receives the sandbox's /etc/passwd and /etc/group. */
  static async forHost(scratchDir: string, bwrapPath = DEFAULT_BWRAP_PATH): Promise<Bubblewrap> {
    const args: string[] = [];
    const etc = `${scratchDir}/sandbox-etc`;
    await mkdir(etc, { recursive: true });
    await writeFile(`${etc}/passwd`, PASSWD);
    await writeFile(`${etc}/group`, GROUP);
    // The host's names, and sandbox.localdomain: where extensions' Telemetry API listeners are (telemetry-api.ts).
    const hosts = await readFile('/etc/hosts', 'utf8').catch(() => '127.0.0.1 localhost\n');
    await writeFile(`${etc}/hosts`, `${hosts.endsWith('\n') ? hosts : hosts + '\n'}127.0.0.1 sandbox.localdomain\n`);
    for (const dir of SYSTEM_DIRS) {
      const info = await lstat(dir).catch(() => undefined);
      if (!info) continue;
      if (info.isSymbolicLink()) args.push('--symlink', await readlink(dir), dir);
      else if (info.isDirectory()) args.push('--ro-bind', dir, dir);
    }
    for (const file of ETC_FILES) args.push('--ro-bind-try', file, file);
    args.push('--ro-bind', `${etc}/passwd`, '/etc/passwd', '--ro-bind', `${etc}/group`, '/etc/group', '--ro-bind', `${etc}/hosts`, '/etc/hosts');
    const prlimit = await stat(PRLIMIT_PATH).catch(() => undefined);
    if (!prlimit) logger.warn(`${PRLIMIT_PATH} not found (util-linux): functions run without process and file descriptor limits.`);
    const limits = prlimit ? [PRLIMIT_PATH, `--nproc=${ENVIRONMENT_LIMITS.processes}`, `--nofile=${ENVIRONMENT_LIMITS.files}`, '--'] : [];
    return new Bubblewrap(bwrapPath, args, limits);
  }

  /** bwrap's arguments to run `command` in an environment laid out as `layout`. */
  args(layout: SandboxLayout, command: string[]): string[] {
    const args = [
      '--die-with-parent',
      '--new-session',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--unshare-cgroup-try',
      ...(layout.network ? ['--unshare-net', '--info-fd', String(layout.network.info), '--block-fd', String(layout.network.block)] : []),
      '--unshare-user',
      '--uid',
      String(SANDBOX_UID),
      '--gid',
      String(SANDBOX_GID),
      '--hostname',
      'localhost',
      '--cap-drop',
      'ALL',
      ...this.#systemArgs,
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      // A variable nobody sets, unset: no effect inside, but it names the sandbox on bwrap's command line.
      '--unsetenv',
      layout.marker,
      // Owned by the sandbox's user (bwrap mounts it as that user); 1777 as a /tmp usually is.
      '--size',
      String(layout.tmpSizeMb * MIB),
      '--perms',
      '1777',
      '--tmpfs',
      '/tmp',
      '--ro-bind',
      layout.codeDir,
      '/var/task',
    ];
    if (layout.runtimeDir) args.push('--ro-bind', layout.runtimeDir, '/var/runtime');
    // Without layers, an empty /opt (as on AWS, and as a pre-started cell's own shows until specialised).
    if (layout.optDir) args.push('--ro-bind', layout.optDir, '/opt');
    else args.push('--dir', '/opt');
    for (const p of layout.hostPaths) {
      if (!isUnder(p, '/usr')) args.push('--ro-bind', p, p);
    }
    for (const link of layout.links ?? []) args.push('--symlink', link.target, link.path);
    args.push('--remount-ro', '/', '--chdir', '/var/task', '--', ...this.#limits, ...command);
    return args;
  }
}

const isUnder = (p: string, dir: string): boolean => p === dir || p.startsWith(dir + '/');

/**
 * Checks that bubblewrap really works here (installed is not enough: containers often forbid the
 * namespaces it needs) by running the host's node in a sandbox laid out like an environment.
 */
/**
 * What a pool with this setting runs functions in: bubblewrap when it works here; otherwise none,
 * with a loud warning, or — for 'required' — a refusal reason (functions will not run).
 */
export async function chooseSandbox(setting: SandboxSetting, workDir: string, bubblewrapPath?: string): Promise<{ status: SandboxStatus; bubblewrap?: Bubblewrap; refusal?: string }> {
  if (setting === 'off') {
    logger.warn('Functions run WITHOUT a sandbox (--sandbox off): they can read and change everything this process can.');
    return { status: { mode: 'none', reason: 'sandbox disabled by configuration' } };
  }
  const bubblewrap = await Bubblewrap.forHost(workDir, bubblewrapPath);
  const probe = await probeBubblewrap(bubblewrap, workDir);
  if (probe.ok) return { status: { mode: 'bubblewrap' }, bubblewrap };
  const status: SandboxStatus = { mode: 'none', reason: probe.reason };
  if (setting === 'required') {
    logger.error('The sandbox is required but unavailable: functions will not run.', { reason: probe.reason });
    return { status, refusal: probe.reason };
  }
  logger.warn('Functions run WITHOUT a sandbox: bubblewrap is unavailable. They can read and change everything this process can.', { reason: probe.reason });
  return { status };
}

export async function probeBubblewrap(bwrap: Bubblewrap, scratchDir: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const exists = await stat(bwrap.path).catch(() => undefined);
  if (!exists) return { ok: false, reason: `${bwrap.path} not found (install the bubblewrap package)` };
  const nodePrefix = installPrefix(process.execPath);
  const args = bwrap.args({ codeDir: scratchDir, tmpSizeMb: 1, marker: '_STAGECRAFT_PROBE', hostPaths: [nodePrefix] }, [
    process.execPath,
    '-e',
    'process.stdout.write(String(process.getuid()))',
  ]);
  return new Promise((resolve) => {
    const child = spawn(bwrap.path, args, { stdio: ['ignore', 'pipe', 'pipe'], env: {} });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `cannot run ${bwrap.path}: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && out === String(SANDBOX_UID)) resolve({ ok: true });
      else resolve({ ok: false, reason: `${bwrap.path} does not work here (${signal ?? `exit ${code}`}): ${err.trim().split('\n')[0] ?? ''}`.trim() });
    });
  });
}

/** The directory an interpreter is installed under: /opt/node for /opt/node/bin/node. */
export function installPrefix(binary: string): string {
  const dir = path.dirname(binary);
  return path.basename(dir) === 'bin' ? path.dirname(dir) : dir;
}
