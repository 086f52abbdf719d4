// Cold start: the first invoke of a freshly published version (no environment of it exists yet),
// against spawning an empty node process until it exits. Samples are interleaved so that other
// work on the machine affects both sides alike.
import { spawn } from 'node:child_process';
import { DeleteFunctionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { send, timed } from '../lib/http.js';
import { HELLO_BODY } from '../lib/hello.js';
import type { SuiteContext } from '../lib/context.js';
import type { ColdResults, ColdRow, SampleFigures } from '../lib/results.js';
import { deployHello, helloZip, invokePath, lambdaClient } from '../lib/stagecraft-setup.js';
import { summarize } from '../lib/stats.js';
import { startStagecraft, stagecraftHealth } from '../lib/targets.js';

const FUNCTION = 'cold-probe';

/** Milliseconds from spawning `node -e ''` to its exit. */
export async function spawnEmptyNode(): Promise<number> {
  const { ms } = await timed(() => new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node -e '' exited with ${code}`))));
  }));
  return ms;
}

const figures = (samples: number[]): SampleFigures => {
  const s = summarize(samples);
  return { n: s.n, medianMs: s.median, p90Ms: s.p90, minMs: s.min, maxMs: s.max };
};

export async function runCold(ctx: SuiteContext): Promise<ColdResults> {
  const spawnSamples: number[] = [];
  const rows: ColdRow[] = [];
  const variants = [
    { id: 'default', label: 'Stagecraft, default settings', args: [] as string[] },
    { id: 'sandbox-off', label: 'Stagecraft, --sandbox off', args: ['--sandbox', 'off'] },
  ];
  for (const variant of variants) {
    ctx.log(`cold: ${variant.label}, ${ctx.coldSamples} samples`);
    rows.push(await coldRow(ctx, variant, spawnSamples));
  }
  return {
    machine: ctx.machine,
    settings: { quick: ctx.quick, loadSec: ctx.loadSec, warmupSec: ctx.warmupSec },
    emptyNodeSpawn: figures(spawnSamples),
    rows,
  };
}

async function coldRow(ctx: SuiteContext, variant: { id: string; label: string; args: string[] }, spawnSamples: number[]): Promise<ColdRow> {
  const server = await startStagecraft({ args: variant.args });
  const lambda = lambdaClient(server.url);
  try {
    const health = await stagecraftHealth(server.url);
    const sandbox = health.sandbox?.mode ?? 'unknown';
    await deployHello(lambda, FUNCTION, { alias: false });
    const cold: number[] = [];
    const warm: number[] = [];
    // Sample 0 warms the platform's own code paths and is not recorded.
    for (let i = 0; i <= ctx.coldSamples; i++) {
      const published = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: FUNCTION, ZipFile: await helloZip(`sample ${i}`), Publish: true }));
      const version = published.Version!;
      const url = server.url + invokePath(`${FUNCTION}:${version}`);
      const request = { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } };
      const spawnMs = await spawnEmptyNode();
      const first = await timed(() => send(url, request));
      if (first.value.status !== 200 || !first.value.body.includes(HELLO_BODY)) {
        return { id: variant.id, label: variant.label, sandbox, status: 'n/a', note: `Invoke answered ${first.value.status}: ${first.value.body.slice(0, 120)}` };
      }
      const second = await timed(() => send(url, request));
      if (i > 0) {
        spawnSamples.push(spawnMs);
        cold.push(first.ms);
        warm.push(second.ms);
      }
      // Frees the version's environment so that idle ones do not pile up.
      await lambda.send(new DeleteFunctionCommand({ FunctionName: FUNCTION, Qualifier: version }));
    }
    return { id: variant.id, label: variant.label, sandbox, status: 'ok', cold: figures(cold), warm: figures(warm) };
  } finally {
    lambda.destroy();
    await server.stop();
  }
}
