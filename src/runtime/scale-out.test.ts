// Paced and eager scale-out: the policy's rule, and what a real pool does with bursts.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { EnvironmentPool, EnvironmentPoolOptions } from './environment-pool.js';
import { ScaleOutPolicy } from './scale-out.js';
import { TempDirs, TestPools, json, request, specFor } from './testing.js';
import type { FunctionSpec } from './types.js';

describe('ScaleOutPolicy', () => {
  it('starts at once while a version is unmeasured, has nothing busy, or when eager', () => {
    const paced = new ScaleOutPolicy('paced');
    assert.equal(paced.waitBudgetMs('k'), 0, 'nothing known');
    paced.leased('k', true);
    assert.equal(paced.waitBudgetMs('k'), 0, 'first cold start still running: nothing measured');
    paced.returned('k', true, 0.5, 40);
    assert.equal(paced.waitBudgetMs('k'), 0, 'nothing busy: nobody will hand an environment over');

    const eager = new ScaleOutPolicy('eager');
    eager.leased('k', true);
    eager.returned('k', true, 0.5, 40);
    eager.leased('k', false);
    assert.equal(eager.waitBudgetMs('k'), 0);
  });

  it('waits up to a cold start for quick functions, not for slow ones', () => {
    const policy = new ScaleOutPolicy('paced');
    policy.leased('quick', true);
    policy.returned('quick', true, 0.5, 40);
    policy.leased('quick', false);
    assert.equal(policy.waitBudgetMs('quick'), 40);

    policy.leased('slow', true);
    policy.returned('slow', true, 300, 40);
    policy.leased('slow', false);
    assert.equal(policy.waitBudgetMs('slow'), 0);
  });

  it('lets one environment start at a time after a wait, and forgets versions without environments', () => {
    const policy = new ScaleOutPolicy('paced');
    policy.leased('k', true);
    assert.equal(policy.mayStartAfterWaiting('k'), false);
    policy.returned('k', true, 1, 30);
    assert.equal(policy.mayStartAfterWaiting('k'), true);
    policy.leased('k', false);
    policy.retainOnly(new Set());
    assert.equal(policy.busy('k'), 1, 'a busy version is kept');
    policy.returned('k', false, 1, undefined);
    policy.retainOnly(new Set());
    policy.leased('k', false);
    assert.equal(policy.waitBudgetMs('k'), 0, 'figures gone: unmeasured again');
  });
});

describe('EnvironmentPool scale-out', () => {
  const dirs = new TempDirs();
  const pools = new TestPools(dirs, { maxEnvironments: 16, prewarm: 0 });
  after(async () => {
    await pools.closeAll();
    await dirs.cleanup();
  });
  const newPool = (options: Partial<EnvironmentPoolOptions>): Promise<EnvironmentPool> => pools.start(options);

  // Each environment answers with its own id; `wait` makes an invocation slow.
  const ID_CODE = {
    'index.js': 'const id = Math.random().toString(36).slice(2); exports.handler = async (e) => { if (e.wait) await new Promise((r) => setTimeout(r, e.wait)); return id; };',
  };

  /** `count` invocations at once; the environment ids that answered them. */
  async function burst(pool: EnvironmentPool, spec: FunctionSpec, count: number, event: object = {}): Promise<string[]> {
    const results = await Promise.all(Array.from({ length: count }, () => pool.invoke(spec, request(event))));
    for (const r of results) assert.equal(r.functionError, undefined, r.payload.toString());
    return results.map((r) => json(r.payload) as string);
  }

  /** A measured version: one cold start and a few warm invocations. */
  async function measured(pool: EnvironmentPool, spec: FunctionSpec, event: object = {}): Promise<void> {
    for (let i = 0; i < 3; i++) await pool.invoke(spec, request(event));
  }

  it('paced: a burst of quick invocations shares a few warm environments', async () => {
    const pool = await newPool({ scaleOut: 'paced' });
    const spec = specFor(await dirs.code(ID_CODE));
    await measured(pool, spec);
    const ids = await burst(pool, spec, 12);
    const environments = new Set(ids).size;
    assert.ok(environments < 12, `12 quick invocations at once used ${environments} environments`);
    assert.equal(pool.stats().environments, environments);
  });

  it('eager: every concurrent invocation gets an environment of its own, as on AWS', async () => {
    const pool = await newPool({ scaleOut: 'eager' });
    const spec = specFor(await dirs.code(ID_CODE));
    await measured(pool, spec);
    const ids = await burst(pool, spec, 6);
    assert.equal(new Set(ids).size, 6);
  });

  it('paced: slow invocations run side by side', async () => {
    const pool = await newPool({ scaleOut: 'paced' });
    const spec = specFor(await dirs.code(ID_CODE));
    await measured(pool, spec, { wait: 1000 });
    const started = performance.now();
    const ids = await burst(pool, spec, 4, { wait: 1000 });
    const elapsed = performance.now() - started;
    assert.equal(new Set(ids).size, 4);
    // One after another they would take 4 s; side by side, 1 s plus three cold starts.
    assert.ok(elapsed < 3000, `4 concurrent 1 s invocations took ${Math.round(elapsed)} ms`);
  });

  it('paced: an invocation stuck behind a long one gets its own environment after the wait budget', async () => {
    const pool = await newPool({ scaleOut: 'paced' });
    const spec = specFor(await dirs.code(ID_CODE));
    await measured(pool, spec);
    const long = pool.invoke(spec, request({ wait: 3000 }));
    const started = performance.now();
    const quick = await pool.invoke(spec, request({}));
    const elapsed = performance.now() - started;
    assert.equal(quick.functionError, undefined);
    assert.ok(elapsed < 2000, `the quick invocation waited ${Math.round(elapsed)} ms for the long one`);
    assert.notEqual(json(quick.payload), json((await long).payload));
  });
});
