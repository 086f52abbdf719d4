// Test support: runs the real server as a child process (bin/stagecraft serve) on an ephemeral
// port with its own data dir, the way users run it, and hands out real AWS clients for it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far (platform logs). */
  stderr(): string;
  /** Graceful stop (SIGTERM); removes the data dir unless `remove: false`. */
  stop(options?: { remove?: boolean }): Promise<void>;
  /** Hard kill (SIGKILL), as a crash would. */
  kill9(): Promise<void>;
}

export interface ServerOptions {
  /** The data dir to serve from (default: a new temporary one). */
  dataDir?: string;
  /** Extra `stagecraft serve` arguments, e.g. `['--no-enforce-permissions']`. */
  args?: string[];
  env?: Record<string, string>;
}

export async function startServerProcess(options: ServerOptions = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'stagecraft-test-'));
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'stagecraft'), 'serve', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    env: { ...process.env, STAGECRAFT_LOG_LEVEL: process.env.STAGECRAFT_LOG_LEVEL ?? 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}\n${stderr}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}\n${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    child,
    stderr: () => stderr,
    async stop(opts = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (opts.remove ?? true) rmSync(dataDir, { recursive: true, force: true });
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Credentials and region every test client uses (any value is accepted). */
export const testCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const testRegion = 'us-east-1';
/** The account every Stagecraft server reports. */
export const testAccount = '000000000000';
