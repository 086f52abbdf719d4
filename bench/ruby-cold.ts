// Ruby cold starts, with and without pre-started cells: the first Invoke of each freshly published
// version of a ruby3.3 function (its code changed each time, so nothing of it is warm), on two
// servers side by side, one with `--prewarm 0` (every cold start spawns a fresh interpreter), one
// with the default (a cell serves it), samples interleaved so that other work on the machine
// affects both alike. Prints the medians of the Invoke API's wall time and of REPORT's Init
// Duration. Usage: node dist/bench/ruby-cold.js [samples=20] [--sandbox off]
import { DeleteFunctionCommand, InvokeCommand, UpdateFunctionCodeCommand, CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { lambdaClient } from './lib/stagecraft-setup.js';
import { summarize } from './lib/stats.js';
import { startStagecraft, stagecraftHealth, type StagecraftTarget } from './lib/targets.js';
import { testFunctionRole } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';

const FUNCTION = 'ruby-cold';
const code = (i: number) => makeZip({ 'lambda_function.rb': `# sample ${i}\nrequire 'json'\ndef lambda_handler(event:, context:) = { ok: true }\n` });

interface Side {
  label: string;
  server: StagecraftTarget;
  lambda: LambdaClient;
  wall: number[];
  init: number[];
}

async function side(label: string, args: string[]): Promise<Side> {
  const server = await startStagecraft({ args });
  const lambda = lambdaClient(server.url);
  await lambda.send(new CreateFunctionCommand({ FunctionName: FUNCTION, Runtime: 'ruby3.3', Handler: 'lambda_function.lambda_handler', Role: testFunctionRole, Code: { ZipFile: await code(0) } }));
  return { label: `${label} (${(await stagecraftHealth(server.url)).sandbox?.mode ?? 'unknown'})`, server, lambda, wall: [], init: [] };
}

async function sample(s: Side, i: number): Promise<void> {
  const { Version } = await s.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: FUNCTION, ZipFile: await code(i), Publish: true }));
  const started = performance.now();
  const res = await s.lambda.send(new InvokeCommand({ FunctionName: FUNCTION, Qualifier: Version, LogType: 'Tail', Payload: Buffer.from('{}') }));
  const wall = performance.now() - started;
  const log = Buffer.from(res.LogResult ?? '', 'base64').toString();
  const init = /Init Duration: ([\d.]+) ms/.exec(log);
  if (res.FunctionError || !init) throw new Error(`${s.label}: ${Buffer.from(res.Payload ?? []).toString()} ${log}`);
  // Sample 0 warms the platform's own code paths (and asks for the ruby3.3 cell): not recorded.
  if (i > 0) {
    s.wall.push(wall);
    s.init.push(Number(init[1]));
  }
  await s.lambda.send(new DeleteFunctionCommand({ FunctionName: FUNCTION, Qualifier: Version }));
}

const samples = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20);
const extra = process.argv.includes('--sandbox') ? ['--sandbox', process.argv[process.argv.indexOf('--sandbox') + 1]] : [];
const sides = [await side('fresh process (--prewarm 0)', ['--prewarm', '0', ...extra]), await side('pre-started cell', extra)];
try {
  for (let i = 0; i <= samples; i++) {
    for (const s of i % 2 === 0 ? sides : [...sides].reverse()) await sample(s, i);
    // Time for the used cell's replacement to start (both sides wait alike).
    await sleep(1000);
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
