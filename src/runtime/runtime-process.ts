// One environment's OS process once launched (environment-launch.ts starts it): its output pipes,
// SIGKILL (to the whole process group when unsandboxed), its exit, and its memory from /proc.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { descendants, treeRssBytes } from './memory.js';

/** How long to wait for a dead process's pipes to close before giving up on its last output. */
const CLOSE_GRACE_MS = 250;

/** What the environment hears from its process. */
export interface ProcessEvents {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
  /** It could not be started (or signalled). */
  failed(error: Error): void;
  /** It exited and its pipes closed, or did not close in time: its last output is in. */
  gone(): void;
}

export class RuntimeProcess {
  readonly #child: ChildProcess;
  readonly #sandboxed: boolean;
  /** Sandboxed: a string on the command line of the sandbox's processes (see #killStragglers). */
  readonly #marker: string | undefined;
  /** How it ended, once it did. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #closeTimer: NodeJS.Timeout | undefined;

  /** `sandboxMarker`: set for a sandboxed process, a string only its sandbox's command lines carry. */
  constructor(child: ChildProcess, sandboxMarker: string | undefined, events: ProcessEvents) {
    this.#child = child;
    this.#sandboxed = sandboxMarker !== undefined;
    this.#marker = sandboxMarker;
    child.on('error', (e) => events.failed(e));
    child.on('exit', (code, signal) => this.#onExit(code, signal, events));
    child.on('close', () => events.gone());
    child.stdout?.on('data', (c: Buffer) => events.stdout(c));
    child.stderr?.on('data', (c: Buffer) => events.stderr(c));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The process's pipes by fd (the private channel is on fds 3 and 4). */
  get stdio(): ChildProcess['stdio'] {
    return this.#child.stdio;
  }

  /**
   * A signal to the environment's main process alone (below the sandbox's supervisors): the
   * runtime, or for a function with external extensions their launcher (extension-launch.ts).
   */
  signalMain(signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (pid === undefined || this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    for (const main of descendants(pid, this.#sandboxed ? 2 : 0)) {
      try {
        process.kill(main, signal);
      } catch {
        /* gone already */
      }
    }
  }

  /** SIGKILL, unless it has ended already. */
  kill(): void {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (this.#sandboxed || child.pid === undefined) child.kill('SIGKILL');
      else process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** The resident memory of the runtime's process tree in bytes (0 when it cannot be read). */
  rss(): number {
    const pid = this.#child.pid;
    if (pid === undefined) return 0;
    // The roots (below the sandbox's supervisors) are read each time: what the function double-forks
    // is re-parented to the sandbox's PID 1 and becomes one of them (two small reads).
    return treeRssBytes(descendants(pid, this.#sandboxed ? 2 : 0));
  }

  /**
   * The process is done with (its end was handled): no more waiting for its pipes, and our ends of
   * them closed, so that nothing it left behind keeps this process's event loop alive.
   */
  settled(): void {
    clearTimeout(this.#closeTimer);
    for (const stream of this.#child.stdio) stream?.destroy();
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null, events: ProcessEvents): void {
    this.exit = { code, signal };
    const pid = this.#child.pid;
    // Unsandboxed, take down whatever the function left running in its process group.
    if (!this.#sandboxed && pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Nothing left.
      }
    }
    this.#closeTimer = setTimeout(() => {
      // Its pipes are still open: something outlived it.
      this.#killStragglers();
      events.gone();
    }, CLOSE_GRACE_MS);
    this.#closeTimer.unref();
  }

  /**
   * bubblewrap's inner process (the sandbox's PID 1) dies with the outer one we signal, except when
   * the outer one is killed while it is still setting the inner one up: then the inner one lives
   * on, re-parented, holding the pipes. It carries the same command line as the outer one, so it
   * is found by the environment's marker; killing it ends everything in the sandbox's PID namespace.
   */
  #killStragglers(): void {
    const marker = this.#marker;
    if (marker === undefined) return;
    let pids: string[];
    try {
      pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
    } catch {
      return;
    }
    for (const pid of pids) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(marker)) process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Gone meanwhile, or not ours to read.
      }
    }
  }
}
