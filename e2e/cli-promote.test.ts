// The DEV/PROD workflow with the stagecraft CLI against a real server: the hello-lambda example
// deployed with one `stagecraft deploy`, `promote` (full and canary), `rollback`, `status`; and the
// invoke URLs of both stages.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AddPermissionCommand, GetAliasCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { repoRoot } from '../src/testing/server.js';
import { awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { httpGet, runCli } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();
let dir: string;
let apiId: string;

before(() => {
  dir = dirs.make('stagecraft-promote-');
  cpSync(join(repoRoot, 'examples', 'hello-lambda'), dir, { recursive: true });
});

const cli = (...args: string[]) => runCli(args, { cwd: dir, endpoint: env.url });
const alias = (name: string) => env.lambda.send(new GetAliasCommand({ FunctionName: 'hello-lambda', Name: name }));

/** GETs an invoke URL; undefined while the server has no execute-api data plane yet. */
async function call(url: string): Promise<{ status: number; body: string; version: string | undefined } | undefined> {
  const res = await httpGet(url);
  if (res.status === 404 && /No service serves/.test(res.body)) return undefined;
  return { status: res.status, body: res.body, version: res.headers['x-function-version'] as string | undefined };
}

function changeGreeting(text: string): void {
  const file = join(dir, 'template.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/Default: .*\n(\s+Description: What the function says)/, `Default: ${text}\n$1`));
}

test('one deploy and one promote give DEV and PROD', async () => {
  const deployed = await cli('deploy', '--json');
  assert.equal(deployed.code, 0, deployed.output);
  const result = deployed.json();
  apiId = result.apis[0].id;
  assert.deepEqual(result.apis[0].stages.map((s: any) => [s.name, s.variables]), [['dev', { env: 'dev' }], ['prod', { env: 'prod' }]]);
  assert.equal((await alias('dev')).FunctionVersion, '1');
  assert.match(deployed.stderr, /calls hello-lambda:prod, which doesn't exist yet/);

  const promoted = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod');
  assert.equal(promoted.code, 0, promoted.output);
  assert.match(promoted.stdout, /Created alias hello-lambda:prod → version 1 \(the version dev runs\)/);
  assert.match(promoted.stdout, /Copied 1 API Gateway permission from hello-lambda:dev to hello-lambda:prod/);
  assert.equal((await alias('prod')).FunctionVersion, '1');
  const policy = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: 'hello-lambda', Qualifier: 'prod' }))).Policy!);
  assert.equal(policy.Statement[0].Condition.ArnLike['AWS:SourceArn'], `arn:aws:execute-api:us-east-1:000000000000:${apiId}/*/GET/hello`);

  // Invoking through the Lambda API works now; through the stages once execute-api is served.
  const invoked = await cli('invoke', 'hello-lambda:prod', '--json');
  assert.equal(invoked.code, 0, invoked.output);
  assert.equal(invoked.json().executedVersion, '1');
  assert.equal(JSON.parse(invoked.json().payload.body), 'Hello from Lambda!');
});

test('invoke URLs of dev and prod answer', async () => {
  const port = new URL(env.url).port;
  for (const stage of ['dev', 'prod']) {
    const hostStyle = await call(`http://${apiId}.execute-api.localhost:${port}/${stage}/hello`);
    assert.ok(hostStyle, `no answer from the ${stage} stage`);
    assert.equal(hostStyle.status, 200, hostStyle.body);
    assert.equal(JSON.parse(hostStyle.body), 'Hello from Lambda!');
    assert.equal(hostStyle.version, '1');
    const pathStyle = await call(`http://127.0.0.1:${port}/restapis/${apiId}/${stage}/_user_request_/hello`);
    assert.equal(pathStyle?.status, 200, pathStyle?.body);
  }
});

test('a new version goes to dev only; promote --canary splits prod; promote finishes; rollback returns', async () => {
  changeGreeting('Hello from version two!');
  const deployed = await cli('deploy');
  assert.equal(deployed.code, 0, deployed.output);
  assert.match(deployed.stdout, /version 2 of hello-lambda \[published\]/);
  assert.equal((await alias('dev')).FunctionVersion, '2');
  assert.equal((await alias('prod')).FunctionVersion, '1', 'deploy never moves prod');

  const canary = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod', '--canary', '10%');
  assert.equal(canary.code, 0, canary.output);
  assert.match(canary.stdout, /hello-lambda:prod now sends 10% of its traffic to version 2 and the rest to version 1/);
  const split = await alias('prod');
  assert.equal(split.FunctionVersion, '1');
  assert.deepEqual(split.RoutingConfig?.AdditionalVersionWeights, { '2': 0.1 });

  const status = await cli('status', '--json');
  assert.equal(status.code, 0, status.output);
  const fn = status.json().functions.find((f: any) => f.name === 'hello-lambda');
  assert.deepEqual(fn.aliases.map((a: any) => [a.name, a.version, a.weights]), [['dev', '2', {}], ['prod', '1', { '2': 0.1 }]]);
  assert.equal(fn.newestVersion, '2');
  const api = status.json().apis.find((a: any) => a.id === apiId);
  assert.deepEqual(api.stages.map((s: any) => [s.name, s.variables.env]), [['dev', 'dev'], ['prod', 'prod']]);
  assert.ok(api.stages.every((s: any) => s.deploymentId));

  const table = await cli('status');
  assert.match(table.stdout, /FUNCTION\s+RUNTIME\s+NEWEST VERSION\s+ALIAS\s+TRAFFIC/);
  assert.match(table.stdout, /prod\s+90% → 1, 10% → 2\s+version 1/);
  assert.match(table.stdout, new RegExp(`hello-api\\s+${apiId}\\s+REST\\s+dev\\s+\\w+`));
  assert.match(table.stdout, /env=prod/);

  const finish = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod');
  assert.equal(finish.code, 0, finish.output);
  assert.match(finish.stdout, /Promoted hello-lambda:prod → version 2 \(was 90% version 1, 10% version 2\)\./, 'says what changed, from → to');
  const full = await alias('prod');
  assert.equal(full.FunctionVersion, '2');
  assert.deepEqual(full.RoutingConfig?.AdditionalVersionWeights ?? {}, {});

  // The history lives on the function, visible to any AWS client.
  const tags = await awsCli(env.url, ['lambda', 'list-tags', '--resource', 'arn:aws:lambda:us-east-1:000000000000:function:hello-lambda']);
  assert.equal(tags.code, 0, tags.stderr);
  assert.equal(tags.json().Tags['stagecraft:previous:prod'], '1 1+2@0.1');

  const back = await cli('rollback', 'hello-lambda', '--alias', 'prod');
  assert.equal(back.code, 0, back.output);
  assert.match(back.stdout, /Rolled back hello-lambda:prod → version 1 \(was version 2\)/);
  assert.equal((await alias('prod')).FunctionVersion, '1');
  assert.deepEqual((await alias('prod')).RoutingConfig?.AdditionalVersionWeights ?? {}, {});

  const nothing = await cli('rollback', 'hello-lambda', '--alias', 'prod');
  assert.equal(nothing.code, 1);
  assert.match(nothing.stderr, /stagecraft rollback: no earlier version is recorded for alias prod of hello-lambda, which runs version 1 .*Pass the version explicitly: stagecraft rollback hello-lambda --alias prod --to VERSION/);

  const explicit = await cli('rollback', 'hello-lambda', '--alias', 'prod', '--to', '2', '--json');
  assert.equal(explicit.code, 0, explicit.output);
  assert.deepEqual(explicit.json().after, { version: '2', weights: {} });
  assert.equal((await alias('prod')).FunctionVersion, '2');
});

test('rolling back a running canary puts all traffic back on the old version', async () => {
  changeGreeting('Hello from version three!');
  assert.equal((await cli('deploy')).code, 0);
  assert.equal((await alias('dev')).FunctionVersion, '3');
  assert.equal((await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod', '--canary', '25')).code, 0);
  assert.deepEqual((await alias('prod')).RoutingConfig?.AdditionalVersionWeights, { '3': 0.25 });
  const back = await cli('rollback', 'hello-lambda', '--alias', 'prod');
  assert.equal(back.code, 0, back.output);
  const prod = await alias('prod');
  assert.equal(prod.FunctionVersion, '2');
  assert.deepEqual(prod.RoutingConfig?.AdditionalVersionWeights ?? {}, {});
});

test('a grant the target alias already has, under another statement ID, is not copied again', async () => {
  const sourceArn = `arn:aws:execute-api:us-east-1:000000000000:${apiId}/*/GET/hello`;
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'hello-lambda', Qualifier: 'dev', StatementId: 'hand-made', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: sourceArn,
  }));
  const before = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: 'hello-lambda', Qualifier: 'prod' }))).Policy!).Statement.length;
  const promoted = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod');
  assert.equal(promoted.code, 0, promoted.output);
  assert.doesNotMatch(promoted.stdout, /Copied/);
  const after = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: 'hello-lambda', Qualifier: 'prod' }))).Policy!).Statement.length;
  assert.equal(after, before, 'prod already lets API Gateway call it for that source');
});

test('promote and rollback explain bad requests', async () => {
  const unknown = await cli('promote', 'no-such-fn', '--from', 'dev', '--to', 'prod');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /stagecraft promote: function no-such-fn does not exist\. Check the name with `stagecraft status`/);

  const noAlias = await cli('promote', 'hello-lambda', '--from', 'qa', '--to', 'prod');
  assert.equal(noAlias.code, 1);
  assert.match(noAlias.stderr, /function hello-lambda has no alias qa \(--from\)/);

  const newCanary = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'staging', '--canary', '10%');
  assert.equal(newCanary.code, 1);
  assert.match(newCanary.stderr, /alias staging doesn't exist yet, so there is no current version to share traffic with\. Promote without --canary first/);

  const badShare = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod', '--canary', '150%');
  assert.equal(badShare.code, 2, 'a usage error');
  assert.match(badShare.stderr, /--canary '150%' is not a share of traffic between 0% and 100%/);

  const missing = await cli('promote', 'hello-lambda', '--to', 'prod');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--from and --to are required/);

  const json = await cli('rollback', 'hello-lambda', '--alias', 'nope', '--json');
  assert.equal(json.code, 1);
  assert.deepEqual(Object.keys(json.json().error).sort(), ['hint', 'message', 'type']);
  assert.equal(json.json().error.type, 'ResourceNotFoundException');

  const status = await cli('status', 'no-such-fn');
  assert.equal(status.code, 1);
  assert.match(status.stderr, /function no-such-fn does not exist/);
});
