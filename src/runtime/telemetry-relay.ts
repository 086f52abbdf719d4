// Telemetry batches for an environment with its own network namespace: the extension's listener is
// on the namespace's loopback, which the server cannot reach, so a small Node.js process started
// inside the namespace (nsenter) POSTs them for it, told over its IPC channel. Started when an
// extension subscribes (environments whose extensions do are few), ended with the environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const NSENTER_PATH = '/usr/bin/nsenter';
const CHILD = fileURLToPath(new URL('./telemetry-relay-child.js', import.meta.url));

/** What the relay is asked, and answers with the same id once the POST is over. */
export interface RelayMessage {
  id: number;
  url?: string;
  body?: string;
}

export class TelemetryRelay {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, () => void>();
  #next = 0;

  constructor(sandboxPid: number) {
    // As root, the namespace belongs to the host's user namespace; otherwise to the sandbox's.
    const enter = process.getuid?.() === 0 ? [`--net=/proc/${sandboxPid}/ns/net`] : ['-t', String(sandboxPid), '-U', '-n', '--preserve-credentials'];
    this.#child = spawn(NSENTER_PATH, [...enter, '--', process.execPath, CHILD], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    this.#child.on('message', (m: RelayMessage) => {
      this.#pending.get(m.id)?.();
      this.#pending.delete(m.id);
    });
    const fail = () => {
      for (const done of this.#pending.values()) done();
      this.#pending.clear();
    };
    this.#child.on('exit', fail);
    this.#child.on('error', fail);
  }

  /** Resolves once the listener answered (or failed: batches are dropped, as on AWS when a listener is gone). */
  post(url: URL, body: string): Promise<void> {
    if (!this.#child.connected) return Promise.resolve();
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#child.send({ id, url: url.href, body } satisfies RelayMessage, (e) => {
        if (e) {
          this.#pending.delete(id);
          resolve();
        }
      });
    });
  }

  close(): void {
    this.#child.kill('SIGKILL');
  }
}
