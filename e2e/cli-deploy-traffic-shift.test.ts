// `stagecraft deploy` with SAM's DeploymentPreference against a real server: the first deploy
// moves the alias at once; a new version is shifted in steps (the alias's RoutingConfig observed
// at 10%, then fully on the new version); Ctrl-C leaves the alias split, and promote/rollback
// finish or undo it; PreTraffic/PostTraffic hooks report through CodeDeploy's
// PutLifecycleEventHookExecutionStatus (the real AWS CLI, and a hook calling AWS_ENDPOINT_URL),
// and a failing or silent hook puts the alias back and fails the deploy. Several functions shift
// side by side, and one failure rolls every alias back.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetAliasCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { awsCli } from '../src/testing/aws.js';
import { liveFunction, runCli, startCli, unique, writeFiles, writeProject, type LongRunningCli } from '../src/cli/testing.js';

const dirs = useTempDirs();

/** What hook functions send the test: their event and what they were told. */
interface HookCall { event: { DeploymentId: string; LifecycleEventHookExecutionId: string }; endpoint?: string; newVersion?: string }
const calls: HookCall[] = [];
const waiting: ((c: HookCall) => void)[] = [];

/** Hook functions report here, a host loopback port their network namespaces are given (--function-host-ports). */
const listener: Server = createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => (body += d.toString()));
  req.on('end', () => {
    const call = JSON.parse(body) as HookCall;
    const w = waiting.shift();
    if (w) w(call);
    else calls.push(call);
    res.end('ok');
  });
});
await new Promise<void>((ok) => listener.listen(0, '127.0.0.1', ok));
const reportPort = (listener.address() as AddressInfo).port;
const reportUrl = `http://127.0.0.1:${reportPort}/`;
const env = useServer({ args: ['--function-host-ports', String(reportPort)] });
after(() => new Promise<void>((ok) => listener.close(() => ok())));

function nextHookCall(timeoutMs = 20_000): Promise<HookCall> {
  const queued = calls.shift();
  if (queued) return Promise.resolve(queued);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no hook was invoked')), timeoutMs);
    waiting.push((c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
}

const HEADER = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:`;

const helloFunction = (fn: string, preference: string, logicalId = 'Hello') =>
  `\n${liveFunction(fn, `      DeploymentPreference:\n${preference}`, logicalId)}`;

/** A hook function; `!Ref Hello.Version` makes it depend on the function whose deploy it checks, as in SAM's examples. */
const hookFunction = (id: string, name: string, code: string) => `
  ${id}:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${name}
      CodeUri: ${code}/
      Handler: index.handler
      Runtime: nodejs20.x
      Environment:
        Variables:
          NEW_VERSION: !Ref Hello.Version
          REPORT_TO: ${reportUrl}`;

/** Tells the test about the call; the test reports the status. */
const FORWARDING_HOOK = `exports.handler = async (event) => {
  await fetch(process.env.REPORT_TO, { method: 'POST', body: JSON.stringify({ event, endpoint: process.env.AWS_ENDPOINT_URL, newVersion: process.env.NEW_VERSION }) });
};
`;

/** Reports Failed itself, as a hook written for AWS would (CodeDeploy's JSON 1.1 API at AWS_ENDPOINT_URL). */
const FAILING_HOOK = `exports.handler = async (event) => {
  const res = await fetch(process.env.AWS_ENDPOINT_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus' },
    body: JSON.stringify({ deploymentId: event.DeploymentId, lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId, status: 'Failed' }),
  });
  if (res.status !== 200) throw new Error('CodeDeploy answered ' + res.status + ': ' + await res.text());
};
`;

const SILENT_HOOK = 'exports.handler = async () => undefined;\n';

const code = (text: string) => `exports.handler = async () => ${JSON.stringify(text)};\n`;

async function aliasState(fn: string): Promise<{ version?: string; weights: Record<string, number> }> {
  const a = await env.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }));
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {} };
}

async function historyTag(fn: string): Promise<string | undefined> {
  const arn = `arn:aws:lambda:us-east-1:000000000000:function:${fn}`;
  return (await env.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags?.['stagecraft:previous:live'];
}

function exitCode(cli: LongRunningCli, timeoutMs = 60_000): Promise<number> {
  if (cli.child.exitCode !== null) return Promise.resolve(cli.child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`deploy did not finish\nstdout: ${cli.stdout()}\nstderr: ${cli.stderr()}`)), timeoutMs);
    cli.child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c ?? 1);
    });
  });
}

/** A project whose function is deployed once (version 1 on alias live), ready for a second version. */
async function deployedOnce(fn: string, template: string, files: Record<string, string> = {}): Promise<string> {
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template, 'src/index.js': code('one'), ...files }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  assert.match(first.stdout, new RegExp(`alias ${fn}:live → version 1 \\[created\\]`), 'a new alias moves at once');
  assert.doesNotMatch(first.output, /shifting/);
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} });
  writeFiles(dir, { 'src/index.js': code('two') });
  return dir;
}

test('a canary sends 10% to the new version, waits the interval, then moves the alias fully', async () => {
  const fn = unique('shift-canary');
  const dir = await deployedOnce(fn, HEADER + helloFunction(fn, '        Type: Canary10Percent30Minutes\n'));
  const started = Date.now();
  const deploy = startCli(['deploy', '--traffic-shift-interval', '3s'], { cwd: dir, endpoint: env.url });
  await deploy.waitFor(/next step in 3s/);
  assert.deepEqual(await aliasState(fn), { version: '1', weights: { 2: 0.1 } }, 'the 10% step');
  assert.equal(await exitCode(deploy), 0, deploy.stdout() + deploy.stderr());
  assert.ok(Date.now() - started >= 3000, 'the deploy waited the interval');
  assert.deepEqual(await aliasState(fn), { version: '2', weights: {} }, 'the alias on the new version, without RoutingConfig');
  const out = deploy.stdout();
  assert.match(out, new RegExp(`shifting ${fn}:live from version 1 to 2 with Canary10Percent30Minutes \\(deployment d-[A-Z0-9]{9}, 3s between steps\\)`));
  assert.match(out, new RegExp(`alias ${fn}:live → 90% version 1, 10% version 2; next step in 3s`));
  assert.match(out, new RegExp(`alias ${fn}:live → version 2 \\(was version 1\\)`));
  assert.equal(await historyTag(fn), '1', 'the shift is recorded once, as the version it left');

  // `stagecraft rollback` returns to the version before the shift.
  const back = await runCli(['rollback', fn, '--alias', 'live'], { endpoint: env.url });
  assert.equal(back.code, 0, back.output);
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} });
});

test('a linear configuration adds 10% per interval up to 90%, then moves fully; AllAtOnce moves at once', async () => {
  const fn = unique('shift-linear');
  const dir = await deployedOnce(fn, HEADER + helloFunction(fn, '        Type: Linear10PercentEvery10Minutes\n'));
  const linear = await runCli(['deploy', '--traffic-shift-interval', '200ms'], { cwd: dir, endpoint: env.url });
  assert.equal(linear.code, 0, linear.output);
  const steps = [...linear.stdout.matchAll(/→ (\d+)% version 1, (\d+)% version 2/g)].map((m) => Number(m[2]));
  assert.deepEqual(steps, [10, 20, 30, 40, 50, 60, 70, 80, 90]);
  assert.deepEqual(await aliasState(fn), { version: '2', weights: {} });

  writeFiles(dir, { 'template.yaml': HEADER + helloFunction(fn, '        Type: AllAtOnce\n'), 'src/index.js': code('three') });
  const all = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(all.code, 0, all.output);
  assert.match(all.stdout, /with AllAtOnce/);
  assert.doesNotMatch(all.stdout, /next step/);
  assert.deepEqual(await aliasState(fn), { version: '3', weights: {} });

  // Enabled: false moves at once, as without a preference.
  writeFiles(dir, { 'template.yaml': HEADER + helloFunction(fn, '        Type: Canary10Percent5Minutes\n        Enabled: false\n'), 'src/index.js': code('four') });
  const disabled = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(disabled.code, 0, disabled.output);
  assert.doesNotMatch(disabled.stdout, /shifting/);
  assert.deepEqual(await aliasState(fn), { version: '4', weights: {} });
});

test('Ctrl-C leaves the alias split; promote finishes the shift and rollback returns to the old version', async () => {
  const fn = unique('shift-interrupt');
  const dir = await deployedOnce(fn, HEADER + helloFunction(fn, '        Type: Canary10Percent5Minutes\n'));
  const deploy = startCli(['deploy'], { cwd: dir, endpoint: env.url });
  // (the hint is written just after the step's line, and may arrive in a later chunk)
  await deploy.waitFor(/next step in 5m[^]*Ctrl-C stops the shift/);
  assert.match(deploy.stdout(), new RegExp(`Ctrl-C stops the shift and leaves ${fn}:live split: \`stagecraft promote ${fn} --from 2 --to live\` finishes it`));
  await deploy.interrupt();
  assert.deepEqual(await aliasState(fn), { version: '1', weights: { 2: 0.1 } });

  const promoted = await runCli(['promote', fn, '--from', '2', '--to', 'live'], { endpoint: env.url });
  assert.equal(promoted.code, 0, promoted.output);
  assert.deepEqual(await aliasState(fn), { version: '2', weights: {} });
  const back = await runCli(['rollback', fn, '--alias', 'live'], { endpoint: env.url });
  assert.equal(back.code, 0, back.output);
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} }, 'rollback passes over the 10% state to the version before the shift');
});

test('a PreTraffic hook runs before any traffic moves and reports through the AWS CLI', async () => {
  const fn = unique('shift-pre');
  const hookName = `CodeDeployHook_${fn}`;
  const template = HEADER + helloFunction(fn, `        Type: Canary10Percent5Minutes\n        Hooks:\n          PreTraffic: !Ref PreHook\n`)
    + hookFunction('PreHook', hookName, 'hook');
  const dir = await deployedOnce(fn, template, { 'hook/index.js': FORWARDING_HOOK });
  const deploy = startCli(['deploy', '--traffic-shift-interval', '1s'], { cwd: dir, endpoint: env.url });
  const call = await nextHookCall();
  assert.deepEqual(Object.keys(call.event).sort(), ['DeploymentId', 'LifecycleEventHookExecutionId']);
  assert.match(call.event.DeploymentId, /^d-[A-Z0-9]{9}$/);
  assert.equal(call.endpoint, env.url, 'functions get AWS_ENDPOINT_URL');
  assert.equal(call.newVersion, `arn:aws:lambda:us-east-1:000000000000:function:${fn}:2`);
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} }, 'no traffic moves before the PreTraffic hook succeeds');
  assert.match(deploy.stdout(), new RegExp(`invoking the PreTraffic hook ${hookName} and waiting up to 1h`));

  const args = ['deploy', 'put-lifecycle-event-hook-execution-status', '--deployment-id', call.event.DeploymentId,
    '--lifecycle-event-hook-execution-id', call.event.LifecycleEventHookExecutionId];
  const reported = await awsCli(env.url, [...args, '--status', 'Succeeded']);
  assert.equal(reported.code, 0, reported.stderr);
  assert.deepEqual(reported.json(), { lifecycleEventHookExecutionId: call.event.LifecycleEventHookExecutionId });
  const again = await awsCli(env.url, [...args, '--status', 'Failed']);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /LifecycleEventAlreadyCompletedException/);
  const unknown = await awsCli(env.url, ['deploy', 'put-lifecycle-event-hook-execution-status', '--deployment-id', 'd-AAAAAAAAA', '--lifecycle-event-hook-execution-id', 'x', '--status', 'Succeeded']);
  assert.match(unknown.stderr, /DeploymentDoesNotExistException/);

  assert.equal(await exitCode(deploy), 0, deploy.stdout() + deploy.stderr());
  assert.match(deploy.stdout(), new RegExp(`PreTraffic hook ${hookName} reported Succeeded`));
  assert.deepEqual(await aliasState(fn), { version: '2', weights: {} });
});

test('a PostTraffic hook that reports Failed puts the alias back and fails the deploy; history stays as before', async () => {
  const fn = unique('shift-post');
  const hookName = `CodeDeployHook_${fn}`;
  const template = HEADER + helloFunction(fn, `        Type: Linear10PercentEvery1Minute\n        Hooks:\n          PostTraffic: PostHook\n`)
    + hookFunction('PostHook', hookName, 'hook');
  const dir = await deployedOnce(fn, template, { 'hook/index.js': FAILING_HOOK });
  const historyBefore = await historyTag(fn);
  const deployed = await runCli(['deploy', '--traffic-shift-interval', '100ms'], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 1, deployed.output);
  assert.match(deployed.stdout, new RegExp(`alias ${fn}:live → version 2 \\(was version 1\\)`), 'the shift completed before the PostTraffic hook');
  assert.match(deployed.stderr, new RegExp(`deploy failed at Hello while shifting traffic: the PostTraffic hook ${hookName} reported Failed; ${fn}:live was rolled back to version 1`));
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} });
  assert.equal(await historyTag(fn), historyBefore, 'a rolled-back shift leaves no history');
});

test('a PostTraffic hook that cannot be invoked also rolls the alias back', async () => {
  const fn = unique('shift-nohook');
  const missing = `arn:aws:lambda:us-east-1:000000000000:function:${fn}-no-such-hook`;
  const dir = await deployedOnce(fn, HEADER + helloFunction(fn, `        Type: Canary10Percent5Minutes\n        Hooks:\n          PostTraffic: ${missing}\n`));
  const deployed = await runCli(['deploy', '--traffic-shift-interval', '100ms'], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 1, deployed.output);
  assert.match(deployed.stderr, new RegExp(`deploy failed at Hello while running the PostTraffic hook ${missing}: ResourceNotFoundException`));
  assert.match(deployed.stdout, new RegExp(`alias ${fn}:live → version 1 \\(rolled back from version 2\\)`));
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} });
  assert.equal(await historyTag(fn), undefined);
});

test('a hook that does not report within --hook-timeout fails the deploy before traffic moves', async () => {
  const fn = unique('shift-silent');
  const hookName = `CodeDeployHook_${fn}`;
  const template = HEADER + helloFunction(fn, `        Type: Canary10Percent5Minutes\n        Hooks:\n          PreTraffic: !GetAtt PreHook.Arn\n`)
    + hookFunction('PreHook', hookName, 'hook');
  const dir = await deployedOnce(fn, template, { 'hook/index.js': SILENT_HOOK });
  const deployed = await runCli(['deploy', '--hook-timeout', '1500ms'], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 1, deployed.output);
  assert.match(deployed.stderr, new RegExp(`the PreTraffic hook arn:aws:lambda:us-east-1:000000000000:function:${hookName} did not report within 1.5s; ${fn}:live stays on version 1`));
  assert.deepEqual(await aliasState(fn), { version: '1', weights: {} });
});

/** Deploys two functions once (version 1 on live), then changes the code of both. */
async function twoDeployedOnce(fnA: string, fnB: string, template: string, files: Record<string, string> = {}): Promise<string> {
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template, 'src/index.js': code('one'), ...files }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  for (const fn of [fnA, fnB]) assert.deepEqual(await aliasState(fn), { version: '1', weights: {} });
  writeFiles(dir, { 'src/index.js': code('two') });
  return dir;
}

test('several functions shift side by side, as CloudFormation runs their deployments at once', async () => {
  const fnA = unique('shift-par-a');
  const fnB = unique('shift-par-b');
  const linear = '        Type: Linear10PercentEvery1Minute\n';
  const dir = await twoDeployedOnce(fnA, fnB, HEADER + helloFunction(fnA, linear, 'First') + helloFunction(fnB, linear, 'Second'));
  const deployed = await runCli(['deploy', '--traffic-shift-interval', '300ms'], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 0, deployed.output);
  const out = deployed.stdout;
  for (const fn of [fnA, fnB]) {
    assert.equal([...out.matchAll(new RegExp(`alias ${fn}:live → \\d+% version 1, \\d+% version 2`, 'g'))].length, 9, `${fn}: nine steps`);
    assert.deepEqual(await aliasState(fn), { version: '2', weights: {} });
  }
  // Each one's first step comes before the other's last: the shifts overlapped.
  const firstStep = (fn: string) => out.indexOf(`alias ${fn}:live → 90% version 1, 10% version 2`);
  const done = (fn: string) => out.indexOf(`alias ${fn}:live → version 2 (was version 1)`);
  assert.ok(firstStep(fnB) < done(fnA) && firstStep(fnA) < done(fnB), out);
});

test('when one function\'s shift fails, the others stop and every alias returns to its old version', async () => {
  const fnA = unique('shift-fail-a');
  const fnB = unique('shift-fail-b');
  const fnC = unique('shift-fail-c');
  const hookName = `CodeDeployHook_${fnB}`;
  const template = HEADER
    + helloFunction(fnA, '        Type: Linear10PercentEvery1Minute\n', 'Slow')
    + helloFunction(fnC, '        Type: AllAtOnce\n', 'Quick')
    + helloFunction(fnB, '        Type: Canary10Percent5Minutes\n        Hooks:\n          PostTraffic: !Ref PostHook\n', 'Checked')
    + hookFunction('PostHook', hookName, 'hook').replace('!Ref Hello.Version', '!Ref Checked.Version');
  const dir = await twoDeployedOnce(fnA, fnB, template, { 'hook/index.js': FAILING_HOOK });
  const historyBefore = await historyTag(fnC);
  const deployed = await runCli(['deploy', '--traffic-shift-interval', '1s'], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 1, deployed.output);
  assert.match(deployed.stderr, new RegExp(`deploy failed at Checked while shifting traffic: the PostTraffic hook ${hookName} reported Failed; ${fnB}:live was rolled back to version 1`));
  assert.match(deployed.stdout, new RegExp(`Slow: stopping the shift of ${fnA}:live, because the shift of Checked failed`));
  // The quick one had finished: it is rolled back as CloudFormation rolls back the whole update.
  assert.match(deployed.stdout, new RegExp(`alias ${fnC}:live → version 2 \\(was version 1\\)[^]*alias ${fnC}:live → version 1 \\(rolled back from version 2\\)`));
  for (const fn of [fnA, fnB, fnC]) assert.deepEqual(await aliasState(fn), { version: '1', weights: {} }, fn);
  assert.equal(await historyTag(fnC), historyBefore, 'a rolled-back shift leaves no history');
});

test('templates the deploy refuses: no AutoPublishAlias, a custom configuration', async () => {
  const fn = unique('shift-bad');
  const noAlias = HEADER + helloFunction(fn, '        Type: Canary10Percent5Minutes\n').replace('      AutoPublishAlias: live\n', '');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': noAlias, 'src/index.js': code('one') }));
  const refused = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /DeploymentPreference needs AutoPublishAlias/);
  writeFiles(dir, { 'template.yaml': HEADER + helloFunction(fn, '        Type: MyCustomConfig\n') });
  const custom = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(custom.code, 1);
  assert.match(custom.stderr, /DeploymentPreference.Type "MyCustomConfig" is not one of CodeDeploy's predefined Lambda configurations/);
  const badFlag = await runCli(['deploy', '--traffic-shift-interval', 'soon'], { cwd: dir, endpoint: env.url });
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /--traffic-shift-interval 'soon' is not a duration/);
});
