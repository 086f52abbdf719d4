// The scheduling policy functions run under, seen from inside a function invoked through the SDK:
// SCHED_BATCH by default, the normal policy with `stagecraft serve --scheduling normal`, and the
// policy in /_stagecraft/health.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { useServer, type ServerFixture } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { repoRoot } from '../src/testing/server.js';

// Field 41 of /proc/self/stat is the scheduling policy: 0 SCHED_OTHER, 3 SCHED_BATCH.
const POLICY_FUNCTION = `exports.handler = async () => {
  const stat = require('fs').readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
};`;

async function policyInside(env: ServerFixture): Promise<number> {
  await createNodeFunction(env.lambda, 'policy', POLICY_FUNCTION);
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: 'policy' }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return JSON.parse(Buffer.from(out.Payload!).toString()) as number;
}

async function healthPolicy(env: ServerFixture): Promise<unknown> {
  const health = (await (await fetch(`${env.url}/_stagecraft/health`)).json()) as { scheduling: { policy: string } };
  return health.scheduling.policy;
}

describe('scheduling, batch (default)', () => {
  const env = useServer();

  it('runs functions under SCHED_BATCH and says so in the health report', async () => {
    assert.equal(await policyInside(env), 3);
    assert.equal(await healthPolicy(env), 'batch');
  });
});

describe('scheduling, normal (stagecraft serve --scheduling normal)', () => {
  const env = useServer({ args: ['--scheduling', 'normal'] });

  it('runs functions under the normal policy', async () => {
    assert.equal(await policyInside(env), 0);
    assert.equal(await healthPolicy(env), 'normal');
  });
});

describe('stagecraft serve --scheduling', () => {
  it('refuses a policy it does not know, naming the ones it does', () => {
    const run = spawnSync(process.execPath, [join(repoRoot, 'bin', 'stagecraft'), 'serve', '--scheduling', 'realtime'], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--scheduling must be batch or normal, got 'realtime'/);
  });
});
