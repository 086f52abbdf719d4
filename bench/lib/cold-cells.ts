// Cold starts with and without pre-started cells, for one runtime: the first Invoke of each freshly
// published version of a function (its code changed each time, so nothing of it is warm), on two
// servers side by side, one with `--prewarm 0` (every cold start spawns a fresh process), one with
// the default (a cell serves it), samples interleaved so that other work on the machine affects
// both alike. Prints the medians of the Invoke API's wall time and of REPORT's Init Duration.
import { DeleteFunctionCommand, InvokeCommand, UpdateFunctionCodeCommand, CreateFunctionCommand, type LambdaClient, type Runtime } from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { lambdaClient } from './stagecraft-setup.js';
import { summarize } from './stats.js';
import { startStagecraft, stagecraftHealth, type StagecraftTarget } from './targets.js';
import { testFunctionRole } from '../../src/testing/functions.js';

export interface ColdFunction {
  name: string;
  runtime: Runtime;
  handler: string;
  memorySize?: number;
  /** The zip of sample `i` (different for each). */
  code(i: number): Promise<Buffer>;
}

interface Side {
  label: string;
  server: StagecraftTarget;
  lambda: LambdaClient;
  wall: number[];
  init: number[];
}

async function side(fn: ColdFunction, label: string, args: string[]): Promise<Side> {
  const server = await startStagecraft({ args });
  const lambda = lambdaClient(server.url);
  await lambda.send(new CreateFunctionCommand({ FunctionName: fn.name, Runtime: fn.runtime, Handler: fn.handler, MemorySize: fn.memorySize, Role: testFunctionRole, Code: { ZipFile: await fn.code(0) } }));
  return { label: `${label} (${(await stagecraftHealth(server.url)).sandbox?.mode ?? 'unknown'})`, server, lambda, wall: [], init: [] };
}

async function sample(fn: ColdFunction, s: Side, i: number): Promise<void> {
  const { Version } = await s.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn.name, ZipFile: await fn.code(i), Publish: true }));
  const started = performance.now();
  const res = await s.lambda.send(new InvokeCommand({ FunctionName: fn.name, Qualifier: Version, LogType: 'Tail', Payload: Buffer.from('{}') }));
  const wall = performance.now() - started;
  const log = Buffer.from(res.LogResult ?? '', 'base64').toString();
  const init = /Init Duration: ([\d.]+) ms/.exec(log);
  if (res.FunctionError || !init) throw new Error(`${s.label}: ${Buffer.from(res.Payload ?? []).toString()} ${log}`);
  // Sample 0 warms the platform's own code paths (and asks for the runtime's cell): not recorded.
  if (i > 0) {
    s.wall.push(wall);
    s.init.push(Number(init[1]));
  }
  await s.lambda.send(new DeleteFunctionCommand({ FunctionName: fn.name, Qualifier: Version }));
}

/** Runs the comparison; argv: [samples=20] [--sandbox off]; `settleMs`: time for a used cell's replacement to start. */
export async function compareColdStarts(fn: ColdFunction, argv: string[], settleMs = 1000): Promise<void> {
  const samples = Number(argv.find((a) => /^\d+$/.test(a)) ?? 20);
  const extra = argv.includes('--sandbox') ? ['--sandbox', argv[argv.indexOf('--sandbox') + 1]] : [];
  const sides = [await side(fn, 'fresh process (--prewarm 0)', ['--prewarm', '0', ...extra]), await side(fn, 'pre-started cell', extra)];
  try {
    for (let i = 0; i <= samples; i++) {
      for (const s of i % 2 === 0 ? sides : [...sides].reverse()) await sample(fn, s, i);
      // Both sides wait alike.
      await sleep(settleMs);
    }
    for (const s of sides) {
      const wall = summarize(s.wall);
      const init = summarize(s.init);
      console.log(`${s.label}: n=${wall.n} Invoke median ${wall.median.toFixed(1)} ms (p90 ${wall.p90.toFixed(1)}), Init Duration median ${init.median.toFixed(1)} ms (p90 ${init.p90.toFixed(1)}, ${init.min.toFixed(1)}–${init.max.toFixed(1)})`);
    }
  } finally {
    for (const s of sides) {
      s.lambda.destroy();
      await s.server.stop();
    }
  }
}
