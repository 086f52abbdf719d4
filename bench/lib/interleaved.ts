// Measures several targets at one concurrency in interleaved rounds: every target is primed and
// warmed once, then each round runs every target once (the order rotating from round to round),
// and each target's figures are the medians of its runs. On a shared or virtual machine the speed
// of the whole machine drifts by tens of percent within minutes; measuring targets one after
// another lets that drift decide comparisons, interleaving spreads it over all of them.
import { runWrk, type WrkOptions, type WrkResult } from './wrk.js';
import { primeConcurrency } from './load.js';
import type { SuiteContext } from './context.js';
import type { LoadFigures } from './results.js';

export interface LoadTarget<K> {
  key: K;
  options: Omit<WrkOptions, 'durationSec'>;
  /** Tells when the target is warm at this concurrency (priming waves continue until it is). */
  ready?: () => Promise<boolean>;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Figures of one target from its runs: medians, the spread of requests/s, failures summed. */
export function summarise(runs: WrkResult[]): LoadFigures {
  const rps = runs.map((r) => r.requestsPerSec);
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  const errors = runs.reduce((n, r) => n + r.errors, 0);
  const figures: LoadFigures = {
    status: 'ok',
    requestsPerSec: median(rps),
    p50Ms: median(runs.map((r) => r.latencyMs.p50)),
    p90Ms: median(runs.map((r) => r.latencyMs.p90)),
    p99Ms: median(runs.map((r) => r.latencyMs.p99)),
    requests,
    errors,
    runs: runs.length,
    requestsPerSecMin: Math.min(...rps),
    requestsPerSecMax: Math.max(...rps),
  };
  if (errors > 0) figures.note = `${errors} of ${requests} requests failed (${runs.reduce((n, r) => n + r.non2xx, 0)} non-2xx)`;
  return figures;
}

/** Primes and warms each target, then runs `ctx.rounds` interleaved rounds; a target that fails gets its error. */
export async function measureInterleaved<K>(ctx: SuiteContext, targets: LoadTarget<K>[], label: (key: K) => string): Promise<Map<K, LoadFigures>> {
  const failed = new Map<K, LoadFigures>();
  const runs = new Map<K, WrkResult[]>(targets.map((t) => [t.key, []]));
  const fail = (key: K, e: unknown) => failed.set(key, { status: 'n/a', note: (e instanceof Error ? e.message : String(e)).split('\n')[0] });
  for (const t of targets) {
    ctx.log(`warm: priming ${label(t.key)} at concurrency ${t.options.connections}`);
    try {
      await primeConcurrency(t.options, t.ready);
      if (ctx.warmupSec > 0) await runWrk({ ...t.options, durationSec: ctx.warmupSec });
    } catch (e) {
      fail(t.key, e);
    }
  }
  for (let round = 0; round < ctx.rounds; round++) {
    ctx.log(`warm: round ${round + 1} of ${ctx.rounds} at concurrency ${targets[0]?.options.connections}`);
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + round) % targets.length];
      if (failed.has(t.key)) continue;
      try {
        runs.get(t.key)!.push(await runWrk({ ...t.options, durationSec: ctx.loadSec }));
      } catch (e) {
        fail(t.key, e);
      }
    }
  }
  return new Map(targets.map((t) => [t.key, failed.get(t.key) ?? summarise(runs.get(t.key)!)]));
}
