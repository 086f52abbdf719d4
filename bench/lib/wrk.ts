// Runs wrk (Debian's /usr/bin/wrk) as its own process against a loopback URL for a bounded time
// and reads its results: requests/s from its summary, latency percentiles from its distribution.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const WRK = process.env.STAGECRAFT_BENCH_WRK ?? '/usr/bin/wrk';

export interface WrkOptions {
  url: string;
  /** Open connections, one request in flight on each (wrk's -c). */
  connections: number;
  /** How long the load runs, in seconds (wrk's -d); every run is bounded. */
  durationSec: number;
  /** wrk threads (default 1: on a small machine the servers under test need the other cores). */
  threads?: number;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

export interface LatencyMs {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface WrkResult {
  requests: number;
  durationSec: number;
  requestsPerSec: number;
  latencyMs: LatencyMs;
  /** Socket errors and non-2xx/3xx answers together; a run with any is reported, not hidden. */
  errors: number;
  non2xx: number;
}

// wrk's done() hook prints the exact figures (microseconds) as one JSON line after its summary.
const REPORT_MARKER = 'STAGECRAFT_WRK_JSON ';
const luaScript = (o: WrkOptions): string => {
  const lua = (s: string) => JSON.stringify(s); // JSON string escapes are valid Lua string escapes for ASCII
  const headers = Object.entries(o.headers ?? {}).map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`);
  return [
    `wrk.method = ${lua(o.method ?? 'GET')}`,
    o.body !== undefined ? `wrk.body = ${lua(o.body)}` : '',
    ...headers,
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    `  io.write(string.format('${REPORT_MARKER}{"requests":%d,"durationUs":%d,"meanUs":%f,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}\\n',`,
    '    summary.requests, summary.duration, latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,',
    '    e.connect, e.read, e.write, e.timeout, e.status))',
    'end',
  ].join('\n');
};

/** Refuses anything but the loopback address: load runs never leave the machine. */
export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1') throw new Error(`load runs target 127.0.0.1 only, not ${host}`);
}

export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  assertLoopback(options.url);
  const threads = Math.min(options.threads ?? 1, options.connections);
  const duration = Math.max(1, Math.round(options.durationSec));
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-wrk-'));
  const script = join(dir, 'report.lua');
  writeFileSync(script, luaScript(options));
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(WRK, ['--latency', '-t', String(threads), '-c', String(options.connections), '-d', `${duration}s`, '--timeout', '5s', '-s', script, options.url], {
        // A hard stop well past the run's end, should wrk ever hang.
        timeout: (duration + 20) * 1000,
        killSignal: 'SIGKILL',
        maxBuffer: 4 * 1024 * 1024,
      }, (error, out, err) => (error ? reject(new Error(`wrk failed: ${error.message}\n${out}\n${err}`)) : resolve(out)));
    });
    return parseWrkOutput(stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads wrk's output: the done() JSON line when present, else its text summary. */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith(REPORT_MARKER));
  const text = parseWrkText(stdout);
  if (!line) return text;
  const j = JSON.parse(line.slice(REPORT_MARKER.length)) as Record<string, number>;
  const durationSec = j.durationUs / 1e6;
  return {
    requests: j.requests,
    durationSec,
    requestsPerSec: durationSec > 0 ? j.requests / durationSec : 0,
    latencyMs: { mean: j.meanUs / 1000, p50: j.p50Us / 1000, p90: j.p90Us / 1000, p99: j.p99Us / 1000, max: j.maxUs / 1000 },
    errors: j.connect + j.read + j.write + j.timeout + j.status,
    non2xx: j.status,
  };
}

const UNIT_MS: Record<string, number> = { us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const toMs = (value: string, unit: string): number => Number(value) * (UNIT_MS[unit] ?? NaN);

/** Parses wrk's human-readable output (`wrk --latency`). */
export function parseWrkText(stdout: string): WrkResult {
  const pct = (p: number): number => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm').exec(stdout);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  const lat = /^\s*Latency\s+([\d.]+)(us|ms|s|m|h)\s+[\d.]+\w+\s+([\d.]+)(us|ms|s|m|h)/m.exec(stdout);
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m|h)/.exec(stdout);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
  const status = non2xx ? Number(non2xx[1]) : 0;
  return {
    requests: total ? Number(total[1]) : 0,
    durationSec: total ? toMs(total[2], total[3]) / 1000 : 0,
    requestsPerSec: rps ? Number(rps[1]) : 0,
    latencyMs: { mean: lat ? toMs(lat[1], lat[2]) : NaN, p50: pct(50), p90: pct(90), p99: pct(99), max: lat ? toMs(lat[3], lat[4]) : NaN },
    errors: (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + status,
    non2xx: status,
  };
}
