// `stagecraft deploy --watch` against a real server: the first deploy, a redeploy after the handler
// is edited (the alias then runs the new code), a broken template reported while watching goes on,
// ignored files, a broken template in --json, Ctrl-C (or SIGTERM, during a deploy too) ending with exit code 0,
// and a second Ctrl-C during a deploy (a traffic shift, a large upload) ending it at once with 130.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { GetAliasCommand, InvokeCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, startCli, unique, writeProject, type LongRunningCli } from '../src/cli/testing.js';
import { waitFor } from '../src/testing/wait.js';

const env = useServer();
const dirs = useTempDirs();

const LONG = { timeoutMs: 90_000 };

const template = (fn: string, memory: number, properties = '') => `Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${fn}
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      MemorySize: ${memory}
      AutoPublishAlias: dev
${properties}`;

const handler = (answer: string) => `export const handler = async () => ({ answer: '${answer}' });\n`;

async function invokeDev(fn: string, qualifier = 'dev'): Promise<unknown> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: qualifier }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return JSON.parse(Buffer.from(out.Payload!).toString());
}

/** Sends SIGTERM and waits for the exit code (`interrupt()` sends SIGINT). */
function terminate(cli: LongRunningCli): Promise<number | null> {
  const closed = new Promise<number | null>((resolve) => cli.child.once('close', (code) => resolve(code)));
  cli.child.kill('SIGTERM');
  return closed;
}

/** Runs `body`, then makes sure the watching process is gone whatever happened. */
async function withWatch(cli: LongRunningCli, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
  }
}

test('deploy --watch redeploys on a code change, survives a broken template, and exits 0 on Ctrl-C', async () => {
  const fn = unique('watch');
  // A tool's cache inside the code directory (packaged like the rest, but its churn deploys nothing).
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(fn, 128), 'src/index.mjs': handler('one'), 'src/node_modules/.cache/keep': 'k' }));
  const cli = startCli(['deploy', '--watch'], { cwd: dir, endpoint: env.url });
  await withWatch(cli, async () => {
    await cli.waitFor(/Watching src\/, template\.yaml for changes/, LONG);
    assert.match(cli.stdout(), /\+ Hello\s+function .* \[created\]/, 'the first deploy prints its steps as a plain deploy does');
    assert.match(cli.stdout(), new RegExp(`\\[\\d\\d:\\d\\d:\\d\\d\\] ${fn}: created, version 1, alias dev → 1 \\(\\d+\\.\\ds\\)`));
    assert.deepEqual(await invokeDev(fn), { answer: 'one' });

    let from = cli.stdout().length;
    writeFileSync(join(dir, 'src', 'index.mjs'), handler('two'));
    await cli.waitFor(new RegExp(`\\] ${fn}: code updated, version 2, alias dev → 2 \\(src/index\\.mjs; \\d+\\.\\ds\\)\\n`), { ...LONG, from });
    assert.deepEqual(await invokeDev(fn), { answer: 'two' });

    // A template that doesn't parse: the usual one-sentence error, and the process keeps watching.
    const errFrom = cli.stderr().length;
    writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  Hello: [unclosed\n');
    await cli.waitFor(/\] stagecraft deploy: template\.yaml has 1 problem: template\.yaml:\d+:\d+.*malformed YAML.* Still watching: the next change deploys again\.\n/, { ...LONG, stream: 'stderr', from: errFrom });
    assert.equal(cli.child.exitCode, null, 'still running after a failed deploy');

    // Ignored changes (an editor's swap file, come and gone; the tool cache; .git) trigger nothing:
    // the redeploy names only the fixed template.
    from = cli.stdout().length;
    writeFileSync(join(dir, 'src', '.index.mjs.swp'), 'swap');
    writeFileSync(join(dir, 'src', 'node_modules', '.cache', 'state'), 'x');
    mkdirSync(join(dir, 'src', '.git'), { recursive: true });
    writeFileSync(join(dir, 'src', '.git', 'HEAD'), 'ref: refs/heads/main\n');
    rmSync(join(dir, 'src', '.index.mjs.swp'));
    rmSync(join(dir, 'src', 'node_modules', '.cache', 'state'));
    writeFileSync(join(dir, 'template.yaml'), template(fn, 256));
    await cli.waitFor(new RegExp(`\\] ${fn}: configuration updated, version 3, alias dev → 3 \\(template\\.yaml; \\d+\\.\\ds\\)\\n`), { ...LONG, from });
    assert.doesNotMatch(cli.stdout().slice(from), /nothing changed/, 'no deploy for ignored files');
    assert.deepEqual(await invokeDev(fn), { answer: 'two' });

    assert.equal(await cli.interrupt(), 0, cli.stderr());
    assert.match(cli.stdout(), /Stopped watching\.\n$/);
  });
});

test('deploy --watch --json: one document per deploy and line; an unchanged redeploy publishes nothing', async () => {
  const fn = unique('watchjson');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(fn, 128), 'src/index.mjs': handler('one') }));
  const cli = startCli(['deploy', '--watch', '--json'], { cwd: dir, endpoint: env.url });
  const documents = () => cli.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  await withWatch(cli, async () => {
    // stdout and stderr are separate pipes: wait for each.
    await cli.waitFor(/Watching src\/, template\.yaml/, { ...LONG, stream: 'stderr' });
    await cli.waitFor(/\n/, LONG);
    const [first, ...more] = documents();
    assert.equal(more.length, 0);
    assert.equal(first.changed, true);
    assert.deepEqual(first.trigger, []);
    assert.equal(first.summary, `${fn}: created, version 1, alias dev → 1`);
    assert.equal(first.functions[0].version, '1');
    assert.match(first.time, /^\d{4}-\d\d-\d\dT/);

    // The handler saved again unchanged: the code hash matches, nothing is published.
    writeFileSync(join(dir, 'src', 'index.mjs'), handler('one'));
    await cli.waitFor(/^(.*\n){2}$/, LONG);
    const second = documents()[1];
    assert.equal(second.summary, 'nothing changed');
    assert.equal(second.changed, false);
    assert.deepEqual(second.trigger, ['src/index.mjs']);
    const versions = (await env.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn }))).Versions ?? [];
    assert.deepEqual(versions.map((v) => v.Version), ['$LATEST', '1']);

    // A broken template: an error document on its own line.
    writeFileSync(join(dir, 'template.yaml'), 'Resources: [\n');
    await cli.waitFor(/^(.*\n){3}$/, LONG);
    const third = documents()[2];
    assert.equal(third.error.type, 'InvalidTemplate');
    assert.match(third.error.message, /malformed YAML/);
    assert.deepEqual(third.trigger, ['template.yaml']);

    assert.equal(await terminate(cli), 0, cli.stderr());
  });
});

test('deploy --watch: SIGTERM during a deploy lets it finish, then exits 0', async () => {
  const fn = unique('watchterm');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(fn, 128), 'src/index.mjs': handler('one') }));
  const cli = startCli(['deploy', '--watch', '--json'], { cwd: dir, endpoint: env.url });
  await withWatch(cli, async () => {
    // The first deploy's progress has begun: it is in progress.
    await cli.waitFor('Deploying stack', { ...LONG, stream: 'stderr' });
    assert.equal(await terminate(cli), 0, cli.stderr());
    const docs = cli.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.equal(docs.length, 1, cli.stdout());
    assert.equal(docs[0].summary, `${fn}: created, version 1, alias dev → 1`);
    assert.match(cli.stderr(), /Stopped watching\.\n$/);
  });
});

test('deploy --watch: a second Ctrl-C during a deploy exits 130 at once, leaving what a stopped deploy leaves', async () => {
  const fn = unique('watchint');
  // The redeploy shifts traffic in two steps five minutes apart: a deploy in progress for minutes.
  const dir = dirs.removeLater(writeProject({
    'template.yaml': template(fn, 128, '      DeploymentPreference:\n        Type: Canary10Percent5Minutes\n'),
    'src/index.mjs': handler('one'),
  }));
  const cli = startCli(['deploy', '--watch'], { cwd: dir, endpoint: env.url });
  await withWatch(cli, async () => {
    await cli.waitFor(/Watching src\/, template\.yaml for changes/, LONG);
    assert.deepEqual(await invokeDev(fn), { answer: 'one' });

    writeFileSync(join(dir, 'src', 'index.mjs'), handler('two'));
    const alias = async () => {
      const a = await env.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'dev' }));
      return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {} };
    };
    await waitFor('the canary step', async () => ((await alias()).weights['2'] === 0.1 ? true : undefined), LONG.timeoutMs);

    // The first Ctrl-C would wait out the shift: the hint names the second.
    await cli.waitFor(`A second Ctrl-C stops the shift and leaves ${fn}:dev split: \`stagecraft promote ${fn} --from 2 --to dev\` finishes it`, LONG);
    const from = cli.stdout().length;
    cli.child.kill('SIGINT');
    await cli.waitFor('Stopping once the deploy in progress is done (Ctrl-C again to stop now)', { from });
    const second = Date.now();
    assert.equal(await cli.interrupt(), 130, cli.stderr());
    assert.ok(Date.now() - second < 5_000, 'the second Ctrl-C does not wait for the shift');
    assert.doesNotMatch(cli.stdout(), /Stopped watching/);

    // The server holds what a plain deploy stopped mid-shift leaves: version 2 complete, the alias split
    // 90/10; both versions answer, and promote finishes the shift.
    assert.deepEqual(await alias(), { version: '1', weights: { 2: 0.1 } });
    const versions = (await env.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn }))).Versions ?? [];
    assert.deepEqual(versions.map((v) => v.Version), ['$LATEST', '1', '2']);
    assert.deepEqual(await invokeDev(fn, '1'), { answer: 'one' });
    assert.deepEqual(await invokeDev(fn, '2'), { answer: 'two' });
    const promoted = await runCli(['promote', fn, '--from', '2', '--to', 'dev'], { endpoint: env.url });
    assert.equal(promoted.code, 0, promoted.output);
    assert.deepEqual(await alias(), { version: '2', weights: {} });
    assert.deepEqual(await invokeDev(fn), { answer: 'two' });
  });
});

test('deploy --watch: a second Ctrl-C while a large package is deployed exits 130, and a plain deploy then converges', async () => {
  const fn = unique('watchbig');
  // 40 MB that does not compress: packaging and uploading it takes a while.
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(fn, 128), 'src/index.mjs': handler('big') }));
  writeFileSync(join(dir, 'src', 'blob.bin'), randomBytes(40 * 1024 * 1024));
  const cli = startCli(['deploy', '--watch'], { cwd: dir, endpoint: env.url });
  await withWatch(cli, async () => {
    await cli.waitFor('Deploying stack', LONG);
    cli.child.kill('SIGINT');
    await cli.waitFor('Stopping once the deploy in progress is done (Ctrl-C again to stop now)', LONG);
    assert.equal(await cli.interrupt(), 130, cli.stderr());
    assert.doesNotMatch(cli.stdout(), /Stopped watching/);
  });
  // Whatever the interrupted deploy had done, the server answers for it, and deploying again finishes the job.
  const again = await runCli(['deploy'], { cwd: dir, endpoint: env.url, timeoutMs: LONG.timeoutMs });
  assert.equal(again.code, 0, again.output);
  assert.deepEqual(await invokeDev(fn), { answer: 'big' });
  const versions = (await env.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn }))).Versions ?? [];
  assert.deepEqual(versions.map((v) => v.Version), ['$LATEST', '1']);
});
