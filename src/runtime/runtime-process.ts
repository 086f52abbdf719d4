// One environment's OS process once launched (environment-launch.ts starts it): its output pipes,
// SIGKILL (to the whole process group when unsandboxed), its exit, and its memory from /proc.
import type { ChildProcess } from 'node:child_process';
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
  /** How it ended, once it did. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  #closeTimer: NodeJS.Timeout | undefined;
  /** The runtime process(es) whose memory counts (below the sandbox's supervisors). */
  #measured: number[] | undefined;

  constructor(child: ChildProcess, sandboxed: boolean, events: ProcessEvents) {
    this.#child = child;
    this.#sandboxed = sandboxed;
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
    if (!this.#measured?.length) this.#measured = descendants(pid, this.#sandboxed ? 2 : 0);
    return treeRssBytes(this.#measured);
  }

  /** The process is done with (its end was handled): no more waiting for its pipes. */
  settled(): void {
    clearTimeout(this.#closeTimer);
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
    this.#closeTimer = setTimeout(() => events.gone(), CLOSE_GRACE_MS);
    this.#closeTimer.unref();
  }
}
