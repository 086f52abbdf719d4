// One measurement: a warm-up run, then the measured run, both wrk, both bounded in time.
import { runWrk, type WrkOptions } from './wrk.js';
import type { LoadFigures, SuiteContext } from './results.js';

export async function measureLoad(ctx: SuiteContext, options: Omit<WrkOptions, 'durationSec'>): Promise<LoadFigures> {
  if (ctx.warmupSec > 0) await runWrk({ ...options, durationSec: ctx.warmupSec });
  const r = await runWrk({ ...options, durationSec: ctx.loadSec });
  const figures: LoadFigures = {
    status: 'ok',
    requestsPerSec: r.requestsPerSec,
    p50Ms: r.latencyMs.p50,
    p90Ms: r.latencyMs.p90,
    p99Ms: r.latencyMs.p99,
    requests: r.requests,
    errors: r.errors,
  };
  if (r.errors > 0) figures.note = `${r.errors} of ${r.requests} requests failed (${r.non2xx} non-2xx)`;
  return figures;
}

export const notAvailable = (note: string): LoadFigures => ({ status: 'n/a', note });
