// Test support for the CLI: runs `bin/stagecraft` as users do (a child process, real files in a
// temporary directory) against a server, and builds small SAM projects on disk.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../testing/server.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr, in that order. */
  output: string;
  json<T = any>(): T;
}

export interface CliOptions {
  cwd?: string;
  endpoint?: string;
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

function cliEnv(options: CliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NO_COLOR: '1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    ...options.env,
  };
  if (options.endpoint) env.AWS_ENDPOINT_URL = options.endpoint;
  if (options.env && 'FORCE_COLOR' in options.env) delete env.NO_COLOR;
  return env;
}

/** Runs `stagecraft <args>` to completion. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'stagecraft'), ...args], { cwd: options.cwd, env: cliEnv(options), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stagecraft ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr, output: stdout + stderr, json: () => JSON.parse(stdout) });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface LongRunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout (or stderr), from character `from` on, contains `text`; rejects after `timeoutMs`. */
  waitFor(text: string | RegExp, options?: { timeoutMs?: number; stream?: 'stdout' | 'stderr'; from?: number }): Promise<void>;
  /** Sends SIGINT and waits for the exit code. */
  interrupt(): Promise<number>;
}

/** Starts `stagecraft <args>` that keeps running (logs --follow). */
export function startCli(args: string[], options: CliOptions = {}): LongRunningCli {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'stagecraft'), ...args], { cwd: options.cwd, env: cliEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const l of listeners) l();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const l of listeners) l();
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor(text, { timeoutMs = 20_000, stream = 'stdout', from = 0 } = {}) {
      const has = () => {
        const seen = (stream === 'stdout' ? stdout : stderr).slice(from);
        return typeof text === 'string' ? seen.includes(text) : text.test(seen);
      };
      if (has()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(text)}\nstdout: ${stdout}\nstderr: ${stderr}`)), timeoutMs);
        listeners.push(() => {
          if (has()) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    },
    async interrupt() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

/** Writes `files` (path → content) into a new temporary directory and returns it. */
export function writeProject(files: Record<string, string>, prefix = 'stagecraft-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** A Node.js handler module returning `body` through API Gateway's proxy format. */
export function nodeHandler(body: string): string {
  return `export const handler = async (event) => {
  console.log('handled', JSON.stringify(event && event.path ? { path: event.path } : event));
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(body)} };
};
`;
}

/** A unique-per-test name suffix (tests share one server). */
/**
 * A SAM template with Node.js functions (nodejs20.x, index.handler) and one AWS::Serverless::Api
 * `Api` (stage dev): `apiProperties` are more of the API's properties and `resources` more resources,
 * both as YAML already indented for their place.
 */
export function samApiTemplate(apiName: string, apiProperties: string, resources: string): string {
  return `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Handler: index.handler
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      Name: ${apiName}
      StageName: dev
${apiProperties}
${resources}`;
}

/** The head of a SAM template, up to and including `Resources:`. */
export const SAM_HEADER = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
`;

/**
 * A Node.js function resource (code in src/, index.handler, alias `live` published on each
 * deploy) as YAML under Resources; `properties` are more of its properties, indented for their place.
 */
export const liveFunction = (fn: string, properties = '', logicalId = 'Hello'): string => `  ${logicalId}:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${fn}
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
      AutoPublishAlias: live
${properties}`;

/** One Api event of a function, on the template's `Api`, as a line under Events. */
/** A template's metric alarm on a metric nothing writes (missing data ignored): it stays in the state it is set to. */
export const gateAlarm = (logicalId: string, alarmName: string, metricName = logicalId): string => `  ${logicalId}:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: ${alarmName}
      Namespace: Release
      MetricName: ${metricName}
      Statistic: Sum
      Period: 60
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      TreatMissingData: ignore
`;

export const apiEvent = (name: string, path: string, method: string, extra = ''): string =>
  `        ${name}:\n          Type: Api\n          Properties: { RestApiId: !Ref Api, Path: ${path}, Method: ${method}${extra} }`;

export function unique(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * GETs a URL; names under .localhost (as in {apiId}.execute-api.localhost) are sent to 127.0.0.1
 * with their Host header, as browsers and curl resolve them. `headers` are sent too.
 */
export function httpGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return httpRequest('GET', url, headers);
}

/** One request without a body (GET, OPTIONS, …) to a local invoke URL, host-style ones included. */
export function httpRequest(method: string, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(url);
  const local = u.hostname === 'localhost' || u.hostname.endsWith('.localhost');
  return new Promise((resolve, reject) => {
    const req = request({ host: local ? '127.0.0.1' : u.hostname, port: u.port || 80, path: `${u.pathname}${u.search}`, method, headers: { ...headers, host: u.host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
