import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Environment } from './environment.js';
import type { FunctionSpec } from './types.js';
import { ProvisionedEnvironments } from './provisioned-environments.js';

const spec = (key: string) => ({ key, runtime: 'nodejs20.x' }) as FunctionSpec;

/** Environments the host "starts": their init outcome is settled by the test. */
function host(capacity = 10) {
  const started: { env: Environment; spec: FunctionSpec; init(ok: boolean): void }[] = [];
  const offered: Environment[] = [];
  const h = {
    launch(s: FunctionSpec): Environment | undefined {
      if (started.length >= capacity) return undefined;
      let init!: (ok: boolean) => void;
      const initialised = new Promise<boolean>((r) => (init = r));
      const env = { key: s.key, leased: false, state: 'starting', initialised } as unknown as Environment;
      started.push({ env, spec: s, init: (ok) => { (env as { state: string }).state = ok ? 'ready' : 'dead'; init(ok); } });
      return env;
    },
    offer: (env: Environment) => void offered.push(env),
    running: () => true,
  };
  return { h, started, offered };
}

test('starts what a target misses as provisioned environments, offers them once initialised, counts the ready ones', async () => {
  const { h, started, offered } = host();
  const p = new ProvisionedEnvironments(h);
  p.setTargets(new Map([['a', { spec: spec('a'), count: 2 }]]));
  assert.equal(started.length, 2);
  assert.ok(started.every((s) => s.spec.initializationType === 'provisioned-concurrency'));
  assert.deepEqual(p.state('a'), { ready: 0 });
  started[0].init(true);
  await started[0].env.initialised;
  assert.deepEqual(p.state('a'), { ready: 1 });
  assert.deepEqual(offered, [started[0].env]);
  assert.ok(p.keeps(started[0].env));
});

test('a lower target releases the surplus, idle ones first; a key left out releases all', () => {
  const { h, started } = host();
  const p = new ProvisionedEnvironments(h);
  p.setTargets(new Map([['a', { spec: spec('a'), count: 2 }]]));
  (started[0].env as { leased: boolean }).leased = true;
  p.setTargets(new Map([['a', { spec: spec('a'), count: 1 }]]));
  assert.ok(p.keeps(started[0].env), 'the busy one is kept');
  assert.ok(!p.keeps(started[1].env));
  p.setTargets(new Map());
  assert.ok(!p.keeps(started[0].env));
  assert.equal(started.length, 2, 'nothing new started');
});

test('three failed inits in a row stop the attempts and report why; a new target tries again', async () => {
  const { h, started } = host();
  const p = new ProvisionedEnvironments(h);
  p.setTargets(new Map([['a', { spec: spec('a'), count: 1 }]]));
  for (let i = 0; i < 3; i++) {
    const s = started[started.length - 1];
    s.init(false);
    await s.env.initialised;
    p.died(s.env);
    p.close(); // (the refill timer is driven by hand here)
    p.fill();
  }
  assert.equal(started.length, 3);
  assert.match(p.state('a').failure!, /could not be initialized/);
  p.setTargets(new Map([['a', { spec: spec('a'), count: 2 }]]));
  assert.equal(p.state('a').failure, undefined);
  assert.equal(started.length, 5);
});

test('no capacity: it stops starting and tries again on the next fill', () => {
  const { h, started } = host(1);
  const p = new ProvisionedEnvironments(h);
  p.setTargets(new Map([['a', { spec: spec('a'), count: 3 }]]));
  assert.equal(started.length, 1);
});

test('usage: whether an invocation ran on a kept environment, and how many of them are busy', () => {
  const { h, started } = host();
  const p = new ProvisionedEnvironments(h);
  p.setTargets(new Map([['a', { spec: spec('a'), count: 2 }]]));
  (started[0].env as { leased: boolean }).leased = true;
  assert.deepEqual(p.usage(started[0].env), { onProvisioned: true, busy: 1, allocated: 2 });
  const onDemand = { key: 'a', leased: true } as unknown as Environment;
  assert.deepEqual(p.usage(onDemand), { onProvisioned: false, busy: 1, allocated: 2 }, 'spilled over');
  assert.equal(p.usage({ key: 'b', leased: true } as unknown as Environment), undefined, 'no provisioned concurrency');
});
