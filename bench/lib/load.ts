// One measurement: a warm-up run, then the measured run, both wrk, both bounded in time.
import { send } from './http.js';
import { runWrk, type WrkOptions } from './wrk.js';
import type { SuiteContext } from './context.js';
import type { LoadFigures } from './results.js';

export async function measureLoad(ctx: SuiteContext, options: Omit<WrkOptions, 'durationSec'>, prime?: () => Promise<void>): Promise<LoadFigures> {
  if (prime) await prime();
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

/**
 * Sends waves of `concurrency` simultaneous requests, each on its own connection, so that a target
 * starts whatever it runs per concurrent request (workers, execution environments) before the
 * warm-up: at least `minWaves`, and more while `ready()` says no (at most `maxWaves`).
 */
export async function primeConcurrency(options: Omit<WrkOptions, 'durationSec'>, ready?: () => Promise<boolean>, minWaves = 2, maxWaves = 20): Promise<void> {
  for (let wave = 0; wave < maxWaves; wave++) {
    await Promise.all(Array.from({ length: options.connections }, () =>
      send(options.url, { method: options.method, body: options.body, headers: options.headers, ownConnection: true }).catch(() => undefined)));
    if (wave + 1 >= minWaves && (!ready || (await ready()))) return;
  }
}

export const notAvailable = (note: string): LoadFigures => ({ status: 'n/a', note });
