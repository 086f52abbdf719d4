// `stagecraft invoke` and `stagecraft logs` against a real server: results, executed versions,
// log tails, function errors, payload files; log events through FilterLogEvents (filtered,
// followed, coloured on request), and the same events through `aws logs tail`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, startCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();
let dir: string;
const fn = unique('echo');

const handler = (tag: string) => `export const handler = async (event) => {
  console.log('${tag} got', JSON.stringify(event));
  if (event && event.fail) throw new Error('asked to fail: ' + event.fail);
  return { tag: '${tag}', echo: event };
};
`;

const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${fn}
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      AutoPublishAlias: live
`;

env.setup(async () => {
  dir = dirs.removeLater(writeProject({ 'template.yaml': template, 'src/index.mjs': handler('one'), 'event.json': '{"from":"file"}' }));
  const deployed = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(deployed.code, 0, deployed.output);
});

const cli = (...args: string[]) => runCli(args, { cwd: dir, endpoint: env.url });

test('invoke prints the result on stdout and the executed version on stderr', async () => {
  const run = await cli('invoke', fn, '--payload', '{"hello":"world"}');
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(JSON.parse(run.stdout), { tag: 'one', echo: { hello: 'world' } });
  assert.match(run.stderr, new RegExp(`${fn} · version \\$LATEST · status 200 · \\d+ ms`));

  const alias = await cli('invoke', `${fn}:live`, '--payload', '@event.json', '--json');
  assert.equal(alias.code, 0, alias.output);
  const out = alias.json();
  assert.equal(out.executedVersion, '1');
  assert.equal(out.qualifier, 'live');
  assert.equal(out.statusCode, 200);
  assert.deepEqual(out.payload, { tag: 'one', echo: { from: 'file' } });

  const byFlag = await cli('invoke', fn, '--qualifier', '1');
  assert.equal(byFlag.code, 0, byFlag.output);
  assert.match(byFlag.stderr, /version 1 ·/);
});

test('invoke --logs prints the log tail', async () => {
  const run = await cli('invoke', `${fn}:live`, '--logs', '--payload', '{"n":1}');
  assert.equal(run.code, 0, run.output);
  assert.match(run.stderr, /--- log tail ---/);
  assert.match(run.stderr, /START RequestId: [\w-]+ Version: 1/);
  assert.match(run.stderr, /one got \{"n":1\}/);
  assert.match(run.stderr, /REPORT RequestId: [\w-]+\tDuration: /);
  // The tail's lines end with their newline, as on AWS: shown once each, no blank lines between.
  assert.doesNotMatch(run.stderr, /\n\s*\n/);
});

test('a failing function: its error on stdout, exit code 1', async () => {
  const run = await cli('invoke', fn, '--payload', '{"fail":"please"}');
  assert.equal(run.code, 1);
  assert.equal(JSON.parse(run.stdout).errorMessage, 'asked to fail: please');
  assert.match(run.stderr, new RegExp(`${fn} failed \\(Unhandled: \\w+: asked to fail: please\\) · version \\$LATEST`), 'stderr says what failed');
});

test('invoke explains bad input and unknown functions', async () => {
  const badJson = await cli('invoke', fn, '--payload', '{nope');
  assert.equal(badJson.code, 2);
  assert.match(badJson.stderr, /stagecraft invoke: the --payload value is not valid JSON/);
  const noFile = await cli('invoke', fn, '--payload', '@missing.json');
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /cannot read payload file missing\.json: no such file/);
  const unknown = await cli('invoke', 'no-such-function');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /stagecraft invoke: ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function:\$LATEST\. Check the name with `stagecraft status`\./);
  const alias = await cli('invoke', `${fn}:nope`);
  assert.equal(alias.code, 1);
  assert.match(alias.stderr, /ResourceNotFoundException/);
});

test("logs shows the function's log: START/END/REPORT and its own lines, filtered, as JSON", async () => {
  const invoked = await cli('invoke', fn, '--payload', '{"mark":"logs-test"}');
  assert.equal(invoked.code, 0, invoked.output);
  const run = await cli('logs', fn);
  assert.equal(run.code, 0, run.output);
  assert.match(run.stdout, /START RequestId:/);
  assert.match(run.stdout, /one got \{"mark":"logs-test"\}/);
  assert.match(run.stdout, /END RequestId:/);
  assert.match(run.stdout, /REPORT RequestId:/);
  assert.match(run.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+Z \d{4}\/\d\d\/\d\d\/\[\$LATEST\]\w+ START/m);
  // The stored events end with their newline, as on AWS; each is still shown as one line.
  assert.doesNotMatch(run.stdout, /\n\s*\n/);

  const filtered = await cli('logs', fn, '--filter', 'logs-test');
  assert.equal(filtered.code, 0, filtered.output);
  assert.match(filtered.stdout, /logs-test/);
  assert.doesNotMatch(filtered.stdout, /REPORT RequestId/);
  const rejected = await cli('logs', fn, '--filter', '{ $.x = ');
  assert.equal(rejected.code, 2, 'a pattern the server rejects is a usage error');
  assert.match(rejected.stderr, /^stagecraft logs: the server rejected --filter '\{ \$\.x = ': InvalidParameterException: Invalid filter pattern/);

  const json = await cli('logs', fn, '--json', '--since', '1h');
  assert.equal(json.code, 0, json.output);
  const events = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(events.some((e) => /REPORT RequestId/.test(e.message)));
  assert.ok(events.every((e) => !e.message.endsWith('\n')), 'shown without the trailing newline');
  assert.ok(events.every((e) => typeof e.timestamp === 'number' && e.logStreamName));

  const coloured = await runCli(['logs', fn], { cwd: dir, endpoint: env.url, env: { FORCE_COLOR: '1' } });
  assert.match(coloured.stdout, /\x1b\[36mREPORT RequestId/, 'REPORT lines in cyan');
  assert.match(coloured.stdout, /\x1b\[2mSTART RequestId/, 'START lines dimmed');
  const errors = await runCli(['logs', fn, '--filter', 'fail'], { cwd: dir, endpoint: env.url, env: { FORCE_COLOR: '1' } });
  assert.match(errors.stdout, /\x1b\[31m.*asked to fail|\x1b\[31m.*Error/, 'errors in red');
});

test('aws logs tail reads the same events', async () => {
  const tail = await awsCli(env.url, ['logs', 'tail', `/aws/lambda/${fn}`, '--since', '1h', '--format', 'short']);
  assert.equal(tail.code, 0, tail.stderr);
  assert.match(tail.stdout, /START RequestId:/);
  assert.match(tail.stdout, /one got/);
});

test('logs --follow prints new events as they arrive, and stops on Ctrl-C', async () => {
  const group = `/aws/lambda/${unique('follow')}`;
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's1' }));
  await env.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's1', logEvents: [{ timestamp: Date.now() - 1000, message: 'before follow' }] }));
  const follow = startCli(['logs', group, '--follow', '--interval', '200'], { cwd: dir, endpoint: env.url });
  try {
    await follow.waitFor('before follow');
    await env.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's1', logEvents: [{ timestamp: Date.now(), message: 'ERROR during follow' }] }));
    await follow.waitFor('ERROR during follow');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(follow.stdout().match(/before follow/g)?.length, 1, 'no event printed twice');
  } finally {
    assert.equal(await follow.interrupt(), 0);
  }
});

test('logs of a function that never logged: clear error, or --follow waits', async () => {
  const run = await cli('logs', 'never-logged');
  assert.equal(run.code, 1);
  assert.match(run.stderr, /stagecraft logs: there is no log group \/aws\/lambda\/never-logged yet\. never-logged has not logged anything: invoke it/);

  const name = unique('late');
  const follow = startCli(['logs', name, '--follow', '--interval', '200'], { cwd: dir, endpoint: env.url });
  try {
    await follow.waitFor(`Waiting for log group /aws/lambda/${name} to appear`, { stream: 'stderr' });
    await env.logs.send(new CreateLogGroupCommand({ logGroupName: `/aws/lambda/${name}` }));
    await env.logs.send(new CreateLogStreamCommand({ logGroupName: `/aws/lambda/${name}`, logStreamName: 's' }));
    await env.logs.send(new PutLogEventsCommand({ logGroupName: `/aws/lambda/${name}`, logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'finally' }] }));
    await follow.waitFor('finally');
  } finally {
    assert.equal(await follow.interrupt(), 0);
  }
});

test('a new deploy changes what invoke runs for $LATEST and the alias', async () => {
  writeFiles(dir, { 'src/index.mjs': handler('two') });
  const deployed = await cli('deploy');
  assert.equal(deployed.code, 0, deployed.output);
  const run = await cli('invoke', `${fn}:live`, '--json');
  assert.equal(run.json().executedVersion, '2');
  assert.equal(run.json().payload.tag, 'two');
});
