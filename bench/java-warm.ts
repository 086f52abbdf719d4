// Warm Java invocations on two builds side by side (this one and another checkout's, e.g. the
// main branch's): a java17 RequestHandler<Map, Map> of 512 MB that writes a System.out line and a
// LambdaLogger record, invoked through the SDK at concurrency 1 (sequential) and 8 (eight callers,
// each sequential) — or, with --wrk, wrk on the Invoke API for 3 s at 1 and 8 connections — in
// rounds that alternate which server goes first. Prints each round's median latency and
// requests/s per side, then the median and range over the rounds.
// Usage: node dist/bench/java-warm.js --before <checkout> [rounds=6] [invokes=200] [--sandbox off] [--wrk]
import { CreateFunctionCommand, InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { invokePath, lambdaClient } from './lib/stagecraft-setup.js';
import { runWrk } from './lib/wrk.js';
import { median, summarize } from './lib/stats.js';
import { startStagecraft, stagecraftHealth, type StagecraftTarget } from './lib/targets.js';
import { compileJava } from '../src/testing/java.js';
import { testFunctionRole } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const before = option('--before');
if (!before) throw new Error('usage: node dist/bench/java-warm.js --before <checkout> [rounds] [invokes] [--sandbox off]');
const numbers = argv.filter((a, i) => /^\d+$/.test(a) && argv[i - 1] !== '--sandbox');
const rounds = Number(numbers[0] ?? 6);
const invokes = Number(numbers[1] ?? 200);
const extra = option('--sandbox') ? ['--sandbox', option('--sandbox')!] : [];

const classes = await compileJava({
  'bench/Warm.java': `package bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Collections;
import java.util.Map;

public class Warm implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        System.out.println("event " + event.get("n"));
        context.getLogger().log("warm invoke of " + context.getFunctionName());
        return Collections.singletonMap("ok", true);
    }
}
`,
});

interface Side {
  label: string;
  server: StagecraftTarget;
  lambda: LambdaClient;
  /** Per round: [median latency ms, requests/s] at concurrency 1 and 8. */
  c1: [number, number][];
  c8: [number, number][];
}

async function side(label: string, root: string | undefined): Promise<Side> {
  const server = await startStagecraft({ args: extra, root });
  const lambda = lambdaClient(server.url);
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'java-warm', Runtime: 'java17', Handler: 'bench.Warm', MemorySize: 512, Role: testFunctionRole, Code: { ZipFile: await makeZip(classes) } }));
  return { label: `${label} (${(await stagecraftHealth(server.url)).sandbox?.mode ?? 'unknown'})`, server, lambda, c1: [], c8: [] };
}

/** `total` invokes from `concurrency` sequential callers (or wrk's connections for 3 s): the median latency and requests/s. */
async function load(s: Side, concurrency: number, total: number): Promise<[number, number]> {
  if (argv.includes('--wrk')) {
    const r = await runWrk({ url: s.server.url + invokePath('java-warm'), connections: concurrency, durationSec: 3, method: 'POST', body: '{"n":1}' });
    if (r.errors > 0) throw new Error(`${s.label}: ${r.errors} errors under wrk`);
    return [r.latencyMs.p50, r.requestsPerSec];
  }
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const n = next++;
        const t = performance.now();
        const res = await s.lambda.send(new InvokeCommand({ FunctionName: 'java-warm', Payload: Buffer.from(JSON.stringify({ n })) }));
        latencies.push(performance.now() - t);
        if (res.FunctionError) throw new Error(`${s.label}: ${Buffer.from(res.Payload ?? []).toString()}`);
      }
    }),
  );
  return [median(latencies), (total * 1000) / (performance.now() - started)];
}

const sides = [await side('before', before), await side('after', undefined)];
const fmt = ([ms, rps]: [number, number]): string => `${ms.toFixed(2)} ms ${rps.toFixed(0)}/s`;
try {
  // Warm-up: JVMs started (eight at concurrency 8) and their code compiled.
  for (const s of sides) {
    await load(s, 8, 400);
    await load(s, 1, 200);
  }
  for (let r = 0; r < rounds; r++) {
    for (const s of r % 2 === 0 ? sides : [...sides].reverse()) {
      s.c1.push(await load(s, 1, invokes));
      s.c8.push(await load(s, 8, invokes * 2));
    }
    console.log(`round ${r + 1}: ${sides.map((s) => `${s.label} c1 ${fmt(s.c1[r])}, c8 ${fmt(s.c8[r])}`).join(' | ')}`);
  }
  for (const s of sides) {
    for (const [name, runs] of [['concurrency 1', s.c1], ['concurrency 8', s.c8]] as const) {
      const ms = summarize(runs.map((x) => x[0]));
      const rps = summarize(runs.map((x) => x[1]));
      console.log(`${s.label} ${name}: median latency ${ms.median.toFixed(2)} ms (rounds ${ms.min.toFixed(2)}–${ms.max.toFixed(2)}), ${rps.median.toFixed(0)} invokes/s (${rps.min.toFixed(0)}–${rps.max.toFixed(0)})`);
    }
  }
} finally {
  for (const s of sides) {
    s.lambda.destroy();
    await s.server.stop();
  }
}
