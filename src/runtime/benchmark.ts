// Environment pool benchmark, side by side in one run:
//   cold start (first invoke of a new function) against spawning an empty `node`, from a
//   pre-started cell and from a fresh spawn,
//   warm invoke latency at concurrency 1 and throughput at concurrency N,
//   for the private channel and the HTTP Runtime API, sandboxed and not.
// Run: node dist/src/runtime/benchmark.js [--sandbox auto|off] [--warm 2000] [--concurrency 8]
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EnvironmentPool } from './environment-pool.js';
import { TempDirs, request, specFor } from './testing.js';

const { values } = parseArgs({
  options: {
    sandbox: { type: 'string', default: 'auto' },
    warm: { type: 'string', default: '2000' },
    cold: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
  },
});
const WARM = Number(values.warm);
const COLD = Number(values.cold);
const CONCURRENCY = Number(values.concurrency);

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`);

async function emptyNode(): Promise<number> {
  const t = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env: {} });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
  return performance.now() - t;
}

async function untilCellsReady(pool: EnvironmentPool, want: number): Promise<void> {
  const until = performance.now() + 10_000;
  while (pool.stats().prestartedReady < want && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
  // Let the cell's start-up settle (its process is idle once it reported ready).
  await new Promise((r) => setTimeout(r, 20));
}

async function main(): Promise<void> {
  const dirs = new TempDirs();
  const code = await dirs.code({ 'index.js': 'exports.handler = async (event) => ({ statusCode: 200, body: "hello" });' });
  try {
    const baseline: number[] = [];
    for (let i = 0; i < COLD; i++) baseline.push(await emptyNode());
    baseline.sort((a, b) => a - b);
    console.log(`empty node spawn (clean env)      p50 ${fmt(pct(baseline, 50))}`);

    // Cold start from a pre-started cell (the default) against a fresh spawn (prewarm 0).
    for (const prewarm of [1, 0]) {
      const pool = new EnvironmentPool({ maxEnvironments: 4, idleMs: 60_000, sandbox: values.sandbox as 'auto' | 'off', workDir: await dirs.make(), prewarm });
      await pool.start();
      const cold: number[] = [];
      const init: number[] = [];
      for (let i = 0; i < COLD; i++) {
        await untilCellsReady(pool, prewarm);
        const t = performance.now();
        const r = await pool.invoke(specFor(code), request({}));
        cold.push(performance.now() - t);
        init.push(r.initDurationMs ?? NaN);
        pool.evict('');
      }
      cold.sort((a, b) => a - b);
      init.sort((a, b) => a - b);
      const what = prewarm ? 'pre-started cell' : 'fresh spawn     ';
      console.log(
        `channel ${pool.sandboxStatus().mode.padEnd(10)} cold, ${what}  p50 ${fmt(pct(cold, 50))}  (${((pct(cold, 50) / pct(baseline, 50)) * 100).toFixed(0)}% of empty node)  Init Duration p50 ${fmt(pct(init, 50))}`,
      );
      await pool.close();
    }

    for (const privateChannel of [true, false]) {
      const pool = new EnvironmentPool({
        maxEnvironments: Math.max(4, CONCURRENCY),
        idleMs: 60_000,
        sandbox: values.sandbox as 'auto' | 'off',
        workDir: await dirs.make(),
        privateChannel,
        prewarm: 0,
      });
      await pool.start();
      const label = `${privateChannel ? 'channel' : 'http   '} ${pool.sandboxStatus().mode.padEnd(10)}`;

      const spec = specFor(code);
      await pool.invoke(spec, request({}));
      const lat: number[] = [];
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < WARM; i++) {
        const t = performance.now();
        await pool.invoke(spec, request({}));
        lat.push(performance.now() - t);
      }
      const cpu = process.cpuUsage(cpu0);
      lat.sort((a, b) => a - b);
      console.log(
        `${label} warm, concurrency 1  p50 ${fmt(pct(lat, 50))}  p99 ${fmt(pct(lat, 99))}  platform CPU/invoke ${fmt((cpu.user + cpu.system) / 1000 / WARM)}`,
      );

      await Promise.all(Array.from({ length: CONCURRENCY }, () => pool.invoke(spec, request({}))));
      let left = WARM;
      const t = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (left-- > 0) await pool.invoke(spec, request({}));
        }),
      );
      const secs = (performance.now() - t) / 1000;
      console.log(`${label} warm, concurrency ${CONCURRENCY}  ${(WARM / secs).toFixed(0)} invokes/s`);
      await pool.close();
    }
  } finally {
    await dirs.cleanup();
  }
}

await main();
