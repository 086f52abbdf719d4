// How many execution environments concurrent invocations get, through the Invoke API as users call
// it: paced scale-out by default (quick functions share warm environments under a burst) and
// `stagecraft serve --scale-out eager` (an environment per concurrent invocation, as on AWS).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { useServer, type ServerFixture } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { repoRoot } from '../src/testing/server.js';

// Each environment answers with its own id; `wait` (ms) sets how long an invocation takes.
const ID_FUNCTION = 'const id = Math.random().toString(36).slice(2); exports.handler = async (e) => { if (e.wait) await new Promise((r) => setTimeout(r, e.wait)); return id; };';

/** Quicker than a cold start, long enough for invocations sent together to overlap. */
const QUICK = { wait: 30 };

async function invoke(env: ServerFixture, name: string, event: object = {}): Promise<string> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return JSON.parse(Buffer.from(out.Payload!).toString()) as string;
}

/**
 * Environment ids that answered `count` invocations sent at once, after a few sequential ones (so
 * the version's durations and cold start are known), and how long the concurrent ones took.
 */
async function burst(env: ServerFixture, name: string, count: number, event: object = {}): Promise<{ ids: Set<string>; ms: number }> {
  for (let i = 0; i < 3; i++) await invoke(env, name, event);
  const started = Date.now();
  const ids = new Set(await Promise.all(Array.from({ length: count }, () => invoke(env, name, event))));
  return { ids, ms: Date.now() - started };
}

async function functionEnvironments(env: ServerFixture): Promise<number> {
  const health = (await (await fetch(`${env.url}/_stagecraft/health`)).json()) as { environments: { environments: number } };
  return health.environments.environments;
}

describe('scale-out, paced (default)', () => {
  const env = useServer({ args: ['--prewarm', '0'] });

  it('runs a burst of quick invocations in a few warm environments', async () => {
    await createNodeFunction(env.lambda, 'quick', ID_FUNCTION);
    const { ids } = await burst(env, 'quick', 16, QUICK);
    assert.ok(ids.size < 16, `16 concurrent quick invocations used ${ids.size} environments`);
    assert.equal(await functionEnvironments(env), ids.size);
  });

  it("sends a burst's waiting invocations ahead, each still with only its own logs in its LogResult", async () => {
    await createNodeFunction(env.lambda, 'tails', `exports.handler = async (e) => {
      console.log('log', e.n); process.stdout.write('out ' + e.n + '\\n'); process.stderr.write('err ' + e.n);
      return e.n;
    };`);
    const call = async (n: number) => {
      const out = await env.lambda.send(new InvokeCommand({ FunctionName: 'tails', LogType: 'Tail', Payload: Buffer.from(JSON.stringify({ n })) }));
      assert.equal(out.FunctionError, undefined);
      return { n, answer: JSON.parse(Buffer.from(out.Payload!).toString()), tail: Buffer.from(out.LogResult!, 'base64').toString() };
    };
    for (let i = 0; i < 3; i++) await call(-1);
    const results = [];
    for (let round = 0; round < 5; round++) results.push(...(await Promise.all(Array.from({ length: 24 }, (_, i) => call(round * 24 + i)))));
    const health = (await (await fetch(`${env.url}/_stagecraft/health`)).json()) as { environments: { sentAhead: number } };
    assert.ok(health.environments.sentAhead > 0, 'waiting invocations were sent ahead to busy environments');
    for (const { n, answer, tail } of results) {
      assert.equal(answer, n);
      const numbered = (tail.match(/\b(?:log|out|err) -?\d+/g) ?? []).sort();
      assert.deepEqual(numbered, [`err ${n}`, `log ${n}`, `out ${n}`], `invocation ${n}'s tail: ${tail}`);
    }
  });

  it('runs slow invocations side by side, each in its own environment', async () => {
    await createNodeFunction(env.lambda, 'slow', ID_FUNCTION);
    const { ids, ms } = await burst(env, 'slow', 4, { wait: 1000 });
    assert.equal(ids.size, 4);
    // One after another they would take 4 s; side by side, 1 s plus three cold starts.
    assert.ok(ms < 3000, `four concurrent 1 s invocations took ${ms} ms`);
  });
});

describe('scale-out, eager (stagecraft serve --scale-out eager)', () => {
  const env = useServer({ args: ['--prewarm', '0', '--scale-out', 'eager'] });

  it('gives every concurrent invocation an environment of its own', async () => {
    await createNodeFunction(env.lambda, 'quick', ID_FUNCTION);
    // Long enough that all six overlap even when the machine is busy (eager mode never waits for a busy one).
    const { ids } = await burst(env, 'quick', 6, { wait: 500 });
    assert.equal(ids.size, 6);
  });
});

describe('stagecraft serve --scale-out', () => {
  it('refuses a mode it does not know, naming the ones it does', () => {
    const run = spawnSync(process.execPath, [join(repoRoot, 'bin', 'stagecraft'), 'serve', '--scale-out', 'sometimes'], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--scale-out must be paced or eager, got 'sometimes'/);
  });
});
