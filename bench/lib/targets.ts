// The servers benchmarks run against, each started fresh: Stagecraft (as users run it), the bare
// Node floor, serverless-offline (Serverless Framework v3, offline, no AWS account) and an idle
// empty node process (the baseline for an environment's memory).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot, startProcess, type Started } from './processes.js';
import { helloHandlerSource } from './hello.js';
import { getText } from './http.js';

const node = process.execPath;

export interface StagecraftTarget extends Started {
  dataDir: string;
  port: number;
}

export interface StagecraftHealth {
  sandbox?: { mode?: string };
  environments?: { environments?: number; busy?: number; idle?: number };
}

/** GET /_stagecraft/health: the sandbox in use and the execution environments alive. */
export async function stagecraftHealth(baseUrl: string): Promise<StagecraftHealth> {
  return JSON.parse((await getText(`${baseUrl}/_stagecraft/health`)).body) as StagecraftHealth;
}

/** `stagecraft serve --port 0 --data-dir <tmp>`, its printed URL; the data dir goes with stop(). `root`: another checkout's build to run. */
export async function startStagecraft(options: { args?: string[]; root?: string } = {}): Promise<StagecraftTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stagecraft-bench-'));
  const started = await startProcess(node, [join(options.root ?? repoRoot, 'bin', 'stagecraft'), 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, ...(options.args ?? [])], {
    ready: /listening on (http:\/\/\S+)/,
    url: (m) => m[1],
    env: { ...process.env, STAGECRAFT_LOG_LEVEL: process.env.STAGECRAFT_LOG_LEVEL ?? 'warn' },
  });
  return {
    ...started,
    dataDir,
    port: Number(new URL(started.url).port),
    async stop() {
      await started.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function startBareNode(): Promise<Started> {
  return startProcess(node, [join(repoRoot, 'dist', 'bench', 'servers', 'bare-node.js')], {
    ready: /listening on (http:\/\/\S+)/,
    url: (m) => m[1],
  });
}

/** Bare Node handing each request to a worker process and back (bench/servers/one-hop.ts). */
export function startOneHop(): Promise<Started> {
  return startProcess(node, [join(repoRoot, 'dist', 'bench', 'servers', 'one-hop.js')], {
    ready: /listening on (http:\/\/\S+)/,
    url: (m) => m[1],
  });
}

/** An empty node process that stays alive (its memory is the floor for an environment's). */
export function startIdleNode(): Promise<Started> {
  return startProcess(node, ['-e', 'process.stdout.write("idle\\n"); setInterval(() => {}, 1 << 30);'], { ready: /idle/, url: () => '' });
}

export interface OfflineTarget extends Started {
  /** GET URL of the hello function's http event. */
  helloUrl: string;
}

/**
 * serverless-offline 13 under Serverless Framework v3, from a generated service directory:
 * provider aws, nodejs20.x, one function with an http GET event at /hello, stage prod.
 * Default mode runs handlers in worker threads; `inProcess` passes --useInProcess.
 */
export async function startServerlessOffline(options: { inProcess: boolean }): Promise<OfflineTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-bench-sls-'));
  writeFileSync(join(dir, 'serverless.yml'), [
    'service: bench-hello',
    "frameworkVersion: '3'",
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  region: us-east-1',
    '  stage: prod',
    'plugins:',
    '  - serverless-offline',
    'functions:',
    '  hello:',
    '    handler: handler.hello',
    '    events:',
    '      - http:',
    '          path: hello',
    '          method: get',
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'handler.js'), helloHandlerSource('hello'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-hello', private: true }));
  mkdirSync(join(dir, '.serverless'), { recursive: true });
  // The plugin resolves from the service directory: point it at the repository's dev dependencies.
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const [httpPort, lambdaPort, websocketPort, albPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const args = [
    join(repoRoot, 'node_modules', 'serverless', 'bin', 'serverless.js'), 'offline', 'start',
    '--host', '127.0.0.1', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort),
    '--websocketPort', String(websocketPort), '--albPort', String(albPort), '--noSponsor',
    ...(options.inProcess ? ['--useInProcess'] : []),
  ];
  const started = await startProcess(node, args, {
    cwd: dir,
    ready: /Server ready: (http:\/\/\S+)/,
    url: (m) => m[1].replace(/\/$/, ''),
    env: {
      ...process.env,
      // No AWS account or login: dummy credentials, and the framework's network features off.
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_TRACKING_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      SLS_DEPRECATION_DISABLE: '*',
      SLS_INTERACTIVE_SETUP_DISABLE: '1',
      CI: '1',
      NO_COLOR: '1',
    },
  });
  return {
    ...started,
    helloUrl: `${started.url}/prod/hello`,
    async stop() {
      await started.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
