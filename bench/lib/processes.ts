// Starting and stopping the processes under test, and reading their resident memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs as dist/bench/lib/processes.js). */
export const repoRoot = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');

export interface Started {
  /** Base URL on 127.0.0.1. */
  url: string;
  pid: number;
  child: ChildProcess;
  /** Output so far (both streams), for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `command` in its own process group, waits until `ready` matches its output, and returns a
 * handle whose stop() ends that group (the process and whatever it started) by its id.
 */
export async function startProcess(command: string, args: string[], options: {
  ready: RegExp;
  url: (match: RegExpExecArray) => string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<Started> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not start in time:\n${out}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = options.ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(options.url(m));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    url,
    pid: child.pid!,
    child,
    output: () => out,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM'); // a graceful stop first
        const forced = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(forced);
        killGroup(child, 'SIGKILL'); // anything of the group left behind
      })();
      return stopping;
    },
  };
}

/** Everything started here and not yet stopped: ended by its process group if the run dies. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** A free TCP port on 127.0.0.1 (for tools that cannot pick their own). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// --- Memory ------------------------------------------------------------------------------------

/** VmRSS of one process in KiB (0 when it is gone or a kernel thread). */
export function rssKiB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Parent pid of every process, from /proc/<pid>/stat. */
function parentMap(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: the fields follow the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  return children;
}

function descendants(pid: number, children: Map<number, number[]>): number[] {
  const out: number[] = [];
  const todo = [...(children.get(pid) ?? [])];
  while (todo.length) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

export interface TreeMemory {
  /** The process itself. */
  selfKiB: number;
  /** Each direct child with everything under it (for Stagecraft: one execution environment each). */
  childrenKiB: number[];
  totalKiB: number;
}

/** Resident memory of a process and of each subtree under its direct children. */
export function treeMemory(pid: number): TreeMemory {
  const children = parentMap();
  const selfKiB = rssKiB(pid);
  const childrenKiB = (children.get(pid) ?? []).map((c) => rssKiB(c) + descendants(c, children).reduce((sum, d) => sum + rssKiB(d), 0));
  return { selfKiB, childrenKiB, totalKiB: selfKiB + childrenKiB.reduce((a, b) => a + b, 0) };
}
