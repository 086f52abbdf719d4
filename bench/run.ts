// `npm run bench [-- <suite>...] [--quick]`: runs the benchmark suites side by side on this machine
// (loopback only, every load run bounded in time), writes bench/results/latest.json and generates
// docs/benchmarks.md with its chart from it.
//
//   npm run bench                 all suites, full length (run on a quiet machine)
//   npm run bench -- warm --quick one suite, short runs
//   npm run bench -- --report     regenerate the docs from bench/results/latest.json only
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { machineFacts } from './lib/machine.js';
import { repoRoot } from './lib/processes.js';
import type { SuiteContext } from './lib/context.js';
import type { BenchResults } from './lib/results.js';
import { writeReport } from './report/markdown.js';
import { runCold } from './suites/cold.js';
import { runScale } from './suites/scale.js';
import { runWarm } from './suites/warm.js';

const SUITES = {
  warm: async (ctx: SuiteContext, results: BenchResults) => void (results.warm = await runWarm(ctx)),
  cold: async (ctx: SuiteContext, results: BenchResults) => void (results.cold = await runCold(ctx)),
  scale: async (ctx: SuiteContext, results: BenchResults) => void (results.scale = await runScale(ctx)),
} as const;
type SuiteName = keyof typeof SUITES;

const USAGE = `Usage: npm run bench -- [warm] [cold] [scale] [options]

Runs the named suites (all when none is named), records bench/results/latest.json (other suites'
earlier results are kept) and regenerates docs/benchmarks.md and docs/benchmarks-warm.svg.

Options:
  --quick            Short load runs (2 s, 1 s warm-up, one round) and a smaller scale case, for development
  --duration <s>     Seconds per measured load run (default 5; --quick: 2)
  --rounds <n>       Measured runs per warm target and concurrency, interleaved across the targets;
                     the tables show their medians (default 3; --quick: 1)
  --functions <n>    Functions in the large scale case (default 1000; --quick: 200)
  --samples <n>      Cold-start samples per row (default 30; at least 20)
  --report           Only regenerate the docs from the recorded results
  -h, --help         Show this help
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quick: { type: 'boolean' },
      duration: { type: 'string' },
      functions: { type: 'string' },
      samples: { type: 'string' },
      rounds: { type: 'string' },
      report: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = positionals.filter((p) => !(p in SUITES));
  if (unknown.length) {
    process.stderr.write(`Unknown suite ${unknown.join(', ')}.\n\n${USAGE}`);
    return 2;
  }
  const resultsFile = join(repoRoot, 'bench', 'results', 'latest.json');
  const results: BenchResults = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchResults) : {};

  if (!values.report) {
    const quick = values.quick ?? false;
    const loadSec = positiveNumber(values.duration, 'duration') ?? (quick ? 2 : 5);
    const log = (m: string): void => void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
    const ctx: SuiteContext = {
      quick,
      loadSec,
      rounds: Math.round(positiveNumber(values.rounds, 'rounds') ?? (quick ? 1 : 3)),
      warmupSec: quick ? 1 : Math.max(2, Math.round(loadSec / 3)),
      machine: await machineFacts(quick ? 0 : 120, log),
      scaleFunctions: positiveNumber(values.functions, 'functions') ?? (quick ? 200 : 1000),
      coldSamples: Math.max(20, positiveNumber(values.samples, 'samples') ?? 30),
      log,
    };
    const names = (positionals.length ? positionals : Object.keys(SUITES)) as SuiteName[];
    ctx.log(`suites: ${names.join(', ')}${quick ? ' (quick)' : ''}; ${ctx.machine.cores} cores, load average ${ctx.machine.loadAverage}, CPU busy ${ctx.machine.cpuBusyPercent ?? '?'}%`);
    for (const name of names) {
      ctx.log(`suite ${name}`);
      await SUITES[name](ctx, results);
      mkdirSync(dirname(resultsFile), { recursive: true });
      writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n'); // after each suite: a later failure keeps it
    }
  }
  const written = writeReport(results, repoRoot);
  process.stderr.write(`wrote ${['bench/results/latest.json', ...written].join(', ')}\n`);
  return 0;
}

function positiveNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got '${value}'`);
  return n;
}

// The AWS SDK's notice about future Node.js versions is not about the benchmark.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// Interrupted: exit, which ends every process the run started (see lib/processes.ts).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
