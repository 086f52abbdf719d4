// What a crash, a graceful stop or a mistaken start leaves: one server per data dir, environments
// that die with the server, nothing left over from a killed one, callers answered during a stop,
// and a clear message when the data dir cannot be used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteFunctionConcurrencyCommand, InvokeCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { repoRoot, startServerProcess } from '../src/testing/server.js';
import { lambdaClient, logsClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { waitFor } from '../src/testing/wait.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a second server on the same data dir is refused while the first runs, and starts once the first was killed', async () => {
  const first = await startServerProcess();
  try {
    await assert.rejects(startServerProcess({ dataDir: first.dataDir }), (e: Error) => {
      assert.match(e.message, /server exited with 1/);
      assert.match(e.message, new RegExp(`could not start: the data dir ${first.dataDir} is in use by another Stagecraft server \\(pid ${first.child.pid}\\): stop it, or pass another --data-dir`));
      assert.doesNotMatch(e.message, /\n\s+at /, 'no stack trace');
      return true;
    });
    assert.equal((await fetch(`${first.url}/_stagecraft/health`)).status, 200, 'the first still serves');
    await first.kill9();
    const second = await startServerProcess({ dataDir: first.dataDir });
    await second.stop({ remove: false });
  } finally {
    await first.stop();
  }
});

test('unsandboxed environments die with a killed server, and the next server removes what it left', async () => {
  const first = await startServerProcess({ args: ['--sandbox', 'off', '--prewarm', '0'] });
  const pidFile = join(first.dataDir, 'handler.pid');
  let pid = 0;
  try {
    const lambda = lambdaClient(first.url);
    await createNodeFunction(lambda, 'spins',
      `exports.handler = async () => { require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); for (;;); };`, { Timeout: 900 });
    lambda.send(new InvokeCommand({ FunctionName: 'spins' })).catch(() => undefined);
    pid = await waitFor('the handler to run', () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined));
    // What a server killed while extracting code or writing a zip leaves.
    mkdirSync(join(first.dataDir, 'code', 'trees', '.tmp-0123456789abcdef'));
    writeFileSync(join(first.dataDir, 'code', 'zips', `${'0'.repeat(64)}.zip.0123456789ab.tmp`), 'partial');
    mkdirSync(join(first.dataDir, 'code', '.trash-0123456789ab')); // a blob collection it did not finish
    const environments = join(first.dataDir, 'environments');
    const leftover = `env-${first.child.pid}-1`;
    assert.ok(existsSync(join(environments, leftover)));
    lambda.destroy();

    await first.kill9(); // the server alone: its environments are in process groups of their own
    await waitFor('the environment to die with the server', () => (alive(pid) ? undefined : true), 5000);

    const second = await startServerProcess({ dataDir: first.dataDir, args: ['--sandbox', 'off'] });
    await second.stop({ remove: false });
    assert.ok(!existsSync(join(environments, leftover)), 'the killed server\'s environment directory is removed');
    assert.ok(!existsSync(join(first.dataDir, 'code', 'trees', '.tmp-0123456789abcdef')), 'a half-extracted tree is removed');
    assert.ok(!existsSync(join(first.dataDir, 'code', 'zips', `${'0'.repeat(64)}.zip.0123456789ab.tmp`)), 'a half-written zip is removed');
    assert.ok(!existsSync(join(first.dataDir, 'code', '.trash-0123456789ab')), 'a half-finished blob collection is removed');
  } finally {
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    await first.stop();
  }
});

test('a graceful stop answers the RequestResponse invocations in flight before it exits', async () => {
  const server = await startServerProcess({ args: ['--scale-out', 'eager'] });
  const lambda = lambdaClient(server.url);
  try {
    await createNodeFunction(lambda, 'takes-a-while',
      'exports.handler = async (event) => { await new Promise((r) => setTimeout(r, 1000)); return event.n; };');
    await lambda.send(new InvokeCommand({ FunctionName: 'takes-a-while', Payload: '{"n":0}' })); // (started once)
    const inFlight = [1, 2, 3].map((n) => lambda.send(new InvokeCommand({ FunctionName: 'takes-a-while', Payload: JSON.stringify({ n }) })));
    await waitFor('the invocations to run', async () => {
      const health = await (await fetch(`${server.url}/_stagecraft/health`)).json() as { environments: { busy: number } };
      return health.environments.busy >= 3 ? true : undefined;
    });
    const stopped = server.stop();
    const answers = await Promise.all(inFlight);
    assert.deepEqual(answers.map((a) => [a.StatusCode, a.FunctionError, Buffer.from(a.Payload!).toString()]), [[200, undefined, '1'], [200, undefined, '2'], [200, undefined, '3']]);
    await stopped;
    await assert.rejects(fetch(`${server.url}/_stagecraft/health`), 'no longer listening');
  } finally {
    lambda.destroy();
    await server.stop();
  }
});

test('every Event invocation of a burst accepted just before a kill -9 runs after the restart', async () => {
  const first = await startServerProcess();
  let lambda = lambdaClient(first.url);
  // Held in the queue (no concurrency) so none finishes on the killed server, whose last log lines could be lost with it.
  await createNodeFunction(lambda, 'burst', 'exports.handler = async (event) => { console.log("RAN " + event.n); };');
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'burst', ReservedConcurrentExecutions: 0 }));
  const numbers = Array.from({ length: 24 }, (_, n) => n);
  await Promise.all(numbers.map((n) => lambda.send(new InvokeCommand({ FunctionName: 'burst', InvocationType: 'Event', Payload: JSON.stringify({ n }) }))));
  await first.kill9();
  lambda.destroy();

  const second = await startServerProcess({ dataDir: first.dataDir });
  lambda = lambdaClient(second.url);
  const logs = logsClient(second.url);
  try {
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'burst' }));
    const ran = new Set<number>();
    await waitFor('every event to run', async () => {
      let nextToken: string | undefined;
      do {
        const page = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/burst', filterPattern: '"RAN "', nextToken })).catch(() => undefined);
        for (const e of page?.events ?? []) ran.add(Number(/RAN (\d+)/.exec(e.message!)![1]));
        nextToken = page?.nextToken;
      } while (nextToken);
      return ran.size === numbers.length ? true : undefined;
    });
  } finally {
    lambda.destroy();
    logs.destroy();
    await second.stop();
  }
});

/** Runs `stagecraft serve` under bubblewrap with the data dir mounted as `mount` asks; undefined where bubblewrap cannot. */
function serveUnder(mount: string[], dataDir: string): Promise<{ code: number; stderr: string } | undefined> {
  const args = ['--dev-bind', '/', '/', ...mount, process.execPath, join(repoRoot, 'bin', 'stagecraft'), 'serve', '--port', '0', '--data-dir', dataDir];
  return new Promise((resolve) => {
    execFile('/usr/bin/bwrap', args, { timeout: 20_000 }, (error, _stdout, stderr) => {
      if (error && ((error as NodeJS.ErrnoException).code === 'ENOENT' || /^bwrap:/m.test(stderr))) resolve(undefined);
      else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stderr });
    });
  });
}

test('a read-only or full data dir stops the start with a clear message, not a stack trace', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stagecraft-ro-'));
  try {
    const readOnly = await serveUnder(['--ro-bind', dataDir, dataDir], dataDir);
    if (!readOnly) return t.skip('bubblewrap cannot mount here');
    assert.equal(readOnly.code, 1);
    assert.equal(readOnly.stderr, `stagecraft serve: could not start: the data dir ${dataDir} is not writable (it is on a read-only file system): pass a writable --data-dir.\n`);

    const full = await serveUnder(['--size', '65536', '--tmpfs', dataDir], dataDir);
    assert.equal(full!.code, 1);
    assert.match(full!.stderr, /^stagecraft serve: could not start: (database or disk is full\. The disk holding the data dir is full: free some space or pass another --data-dir\.|the data dir \S+ is not writable \(its disk is full\): pass a writable --data-dir\.)\n$/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
