// Helpers for the runtime tests: function code written to temp directories, specs, requests.
import { mkdtemp, mkdir, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { EnvironmentPool, type EnvironmentPoolOptions } from './environment-pool.js';
import type { FunctionSpec, InvokeRequest, InvokeResult } from './types.js';

export class TempDirs {
  readonly #dirs: string[] = [];

  async make(prefix = 'stagecraft-runtime-test-'): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), prefix));
    this.#dirs.push(dir);
    return dir;
  }

  /** A code directory holding `files` (path → content; executable when the path is 'bootstrap'). */
  async code(files: Record<string, string | Buffer>): Promise<string> {
    const dir = await this.make('stagecraft-code-');
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(dir, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      if (path.basename(name) === 'bootstrap') await chmod(file, 0o755);
    }
    return dir;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.#dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  }
}

let keySeq = 0;

export function specFor(codeDir: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  const functionName = overrides.functionName ?? 'test-fn';
  return {
    key: `000000000000:us-east-1:${functionName}:$LATEST:${++keySeq}`,
    accountId: '000000000000',
    region: 'us-east-1',
    functionName,
    version: '$LATEST',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    memorySize: 128,
    timeout: 3,
    environment: {},
    codeDir,
    logGroupName: `/aws/lambda/${functionName}`,
    ...overrides,
  };
}

export function request(event: unknown = {}, overrides: Partial<InvokeRequest> = {}): InvokeRequest {
  return {
    requestId: randomUUID(),
    payload: Buffer.from(JSON.stringify(event)),
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test-fn',
    ...overrides,
  };
}

export const json = (b: Buffer): any => JSON.parse(b.toString('utf8'));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Invokes `first`, then (50 ms later, while it runs) `behind`: with one busy environment the
 * second is sent ahead to it. Both results, once both have answered.
 */
export async function invokeBehind(pool: EnvironmentPool, spec: FunctionSpec, first: unknown, behind: unknown): Promise<[InvokeResult, InvokeResult]> {
  const running = pool.invoke(spec, request(first));
  await sleep(50);
  const second = pool.invoke(spec, request(behind));
  return [await running, await second];
}

/** Started pools for a test file, closed together at the end; each in its own work directory. */
export class TestPools {
  readonly #dirs: TempDirs;
  readonly #defaults: Partial<EnvironmentPoolOptions>;
  readonly #pools: EnvironmentPool[] = [];

  constructor(dirs: TempDirs, defaults: Partial<EnvironmentPoolOptions> = {}) {
    this.#dirs = dirs;
    this.#defaults = defaults;
  }

  async start(options: Partial<EnvironmentPoolOptions> = {}): Promise<EnvironmentPool> {
    const pool = new EnvironmentPool({ maxEnvironments: 4, idleMs: 60_000, sandbox: 'auto', workDir: await this.#dirs.make(), ...this.#defaults, ...options });
    this.#pools.push(pool);
    await pool.start();
    return pool;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#pools.splice(0).map((p) => p.close()));
  }
}

/**
 * An extension that registers for INVOKE and SHUTDOWN and appends every event to
 * <tmp>/events-<name>.jsonl (and EXT_OUT, when set); it creates <tmp>/started-<name> just before
 * registering, EXT_DELAY_MS after it started. EXT_MODE=crash exits before registering;
 * EXT_MODE=hang never calls event/next again after its first INVOKE. With EXT_NOTIFY (a URL), each
 * event is also POSTed there before the extension goes on. With EXT_POST_MS, it works that long
 * after each INVOKE (then prints `[name] done <requestId>`) before calling event/next again.
 */
export const EXTENSION = `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
const name = path.basename(__filename);
const base = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2020-01-01/extension';
const files = [path.join(require('os').tmpdir(), 'events-' + name + '.jsonl')];
if (process.env.EXT_OUT) files.push(path.join(process.env.EXT_OUT, 'events-' + name + '.jsonl'));
const write = (o) => { for (const f of files) fs.appendFileSync(f, JSON.stringify(o) + '\\n'); };
if (process.env.EXT_MODE === 'crash') process.exit(3);
setTimeout(async () => {
  fs.writeFileSync(path.join(require('os').tmpdir(), 'started-' + name), '');
  const r = await fetch(base + '/register', { method: 'POST', headers: { 'Lambda-Extension-Name': name, 'Lambda-Extension-Accept-Feature': 'accountId' }, body: JSON.stringify({ events: ['INVOKE', 'SHUTDOWN'] }) });
  const id = r.headers.get('lambda-extension-identifier');
  write({ registered: await r.json(), status: r.status });
  for (;;) {
    const res = await fetch(base + '/event/next', { headers: { 'Lambda-Extension-Identifier': id } });
    const ev = await res.json();
    write(ev);
    if (process.env.EXT_NOTIFY) await fetch(process.env.EXT_NOTIFY, { method: 'POST', body: JSON.stringify(ev) }).catch(() => {});
    console.log('[' + name + '] ' + ev.eventType + ' ' + (ev.requestId || ev.shutdownReason) + (ev.eventType === 'SHUTDOWN' ? ' at ' + Date.now() + ' deadline ' + ev.deadlineMs : ''));
    if (ev.eventType === 'SHUTDOWN') process.exit(0);
    if (process.env.EXT_MODE === 'hang') { setInterval(() => {}, 1000); return; }
    if (ev.eventType === 'INVOKE' && process.env.EXT_POST_MS) { await new Promise((r) => setTimeout(r, Number(process.env.EXT_POST_MS))); console.log('[' + name + '] done ' + ev.requestId); }
  }
}, Number(process.env.EXT_DELAY_MS || 0));
`;

/** A custom runtime's bootstrap (node, HTTP Runtime API) that answers each invocation with the events EXTENSION `name` wrote so far. */
export const eventsBootstrap = (name: string): string => `#!/usr/bin/env node
const api = 'http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2018-06-01/runtime/invocation/';
const fs = require('fs'), os = require('os');
(async () => {
  for (;;) {
    const next = await fetch(api + 'next');
    const id = next.headers.get('lambda-runtime-aws-request-id');
    await next.text();
    let events = [];
    try { events = fs.readFileSync(os.tmpdir() + '/events-${name}.jsonl', 'utf8').trim().split('\\n').map(JSON.parse); } catch {}
    await fetch(api + id + '/response', { method: 'POST', body: JSON.stringify(events) });
  }
})();
`;

/** Python lines defining `uptime()`: seconds since the process started (a pre-started cell's is older than its first invocation). */
export const PYTHON_UPTIME = [
  'def uptime():',
  '    with open("/proc/self/stat") as f:',
  '        started = int(f.read().rsplit(")", 1)[1].split()[19])',
  '    with open("/proc/uptime") as f:',
  '        return float(f.read().split()[0]) - started / os.sysconf("SC_CLK_TCK")',
];

/** Waits until the pool has `n` pre-started cells ready. */
export async function readyCells(pool: EnvironmentPool, n = 1, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (pool.stats().prestartedReady < n) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} ready cell(s)`);
    await sleep(10);
  }
}
