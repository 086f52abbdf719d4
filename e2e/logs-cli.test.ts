// CloudWatch Logs through the real AWS CLI v2: `aws logs tail` (with and without --follow, which
// polls FilterLogEvents), paginated describe calls, and error output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { testRegion } from '../src/testing/server.js';
import { AWS_CLI, awsCli, awsCliEnvironment } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

async function groupWithEvents(group: string, stream: string, events: { timestamp: number; message: string }[]) {
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  if (events.length) await env.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events }));
}

/** The CLI's detailed timestamp format: Python's isoformat with microseconds, in UTC. */
const cliTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');

test('aws logs tail prints recent events of every stream, in detailed and short format, with a filter pattern', async () => {
  const g = '/aws/lambda/tail-demo';
  const t = Date.now() - 60_000;
  // As Lambda stores them: each line with its newline (the CLI prints one line each all the same).
  await groupWithEvents(g, '2024/01/01/[$LATEST]aaaa', [
    { timestamp: t, message: 'START RequestId: r1 Version: $LATEST\n' },
    { timestamp: t + 5, message: 'END RequestId: r1\n' },
  ]);
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: 'other' }));
  await env.logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: 'other', logEvents: [{ timestamp: t + 2, message: 'ERROR from other' }] }));
  await env.logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: 'other', logEvents: [{ timestamp: Date.now() - 3_600_000, message: 'an hour ago' }] }));

  const detailed = await awsCli(env.server.url, ['logs', 'tail', g]);
  assert.equal(detailed.code, 0, detailed.stderr);
  assert.equal(detailed.stdout, [
    `${cliTime(t)} 2024/01/01/[$LATEST]aaaa START RequestId: r1 Version: $LATEST`,
    `${cliTime(t + 2)} other ERROR from other`,
    `${cliTime(t + 5)} 2024/01/01/[$LATEST]aaaa END RequestId: r1`,
    '',
  ].join('\n'));

  const short = await awsCli(env.server.url, ['logs', 'tail', g, '--format', 'short', '--since', '2h', '--filter-pattern', '?ERROR ?hour']);
  assert.equal(short.code, 0, short.stderr);
  const lines = short.stdout.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.replace(/^\S+ /, '')), ['an hour ago', 'ERROR from other']);
  assert.match(lines[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d an hour ago$/);

  const missing = await awsCli(env.server.url, ['logs', 'tail', '/aws/lambda/none']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /ResourceNotFoundException.*The specified log group does not exist\./);
});

test('aws logs tail --follow prints existing lines, then new ones as they arrive', { timeout: 60_000 }, async () => {
  const g = '/aws/lambda/follow-demo';
  const stream = '2024/01/01/[$LATEST]ffff';
  await groupWithEvents(g, stream, [{ timestamp: Date.now() - 1000, message: 'before follow' }]);
  const child = spawn(AWS_CLI, ['--endpoint-url', env.server.url, '--region', testRegion, 'logs', 'tail', g, '--follow', '--format', 'short'], {
    env: awsCliEnvironment({ PYTHONUNBUFFERED: '1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = async (text: string, ms: number) => {
    const deadline = Date.now() + ms;
    while (!out.includes(text)) {
      if (child.exitCode !== null) assert.fail(`aws logs tail --follow exited early (${child.exitCode}): ${err}`);
      if (Date.now() > deadline) assert.fail(`'${text}' not printed within ${ms} ms; stdout: ${out} stderr: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await waitFor('before follow', 20_000);
    await env.logs.send(new PutLogEventsCommand({ logGroupName: g, logStreamName: stream, logEvents: [{ timestamp: Date.now(), message: 'after follow started' }] }));
    // The CLI polls every 5 seconds.
    await waitFor('after follow started', 20_000);
    assert.equal(out.split('\n').filter((l) => l.includes('before follow')).length, 1, 'an event was printed twice');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});

test('paginated CLI commands follow nextToken; service errors reach the CLI with AWS wording', async () => {
  for (const n of ['one', 'two', 'three']) await env.logs.send(new CreateLogGroupCommand({ logGroupName: `/cli/${n}` }));
  const groups = await awsCli(env.server.url, ['logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/', '--page-size', '1']);
  assert.equal(groups.code, 0, groups.stderr);
  assert.deepEqual(groups.json().logGroups.map((g: { logGroupName: string }) => g.logGroupName), ['/cli/one', '/cli/three', '/cli/two']);

  const t = Date.now() - 10_000;
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: '/cli/one', logStreamName: 's' }));
  await env.logs.send(new PutLogEventsCommand({ logGroupName: '/cli/one', logStreamName: 's', logEvents: [1, 2, 3, 4, 5].map((i) => ({ timestamp: t + i, message: `line ${i}` })) }));
  const filtered = await awsCli(env.server.url, ['logs', 'filter-log-events', '--log-group-name', '/cli/one', '--filter-pattern', '-"line 3"', '--page-size', '2']);
  assert.equal(filtered.code, 0, filtered.stderr);
  assert.deepEqual(filtered.json().events.map((e: { message: string }) => e.message), ['line 1', 'line 2', 'line 4', 'line 5']);

  const events = await awsCli(env.server.url, ['logs', 'get-log-events', '--log-group-name', '/cli/one', '--log-stream-name', 's', '--start-from-head', '--limit', '2']);
  assert.equal(events.code, 0, events.stderr);
  assert.deepEqual(events.json().events.map((e: { message: string }) => e.message), ['line 1', 'line 2']);

  const dup = await awsCli(env.server.url, ['logs', 'create-log-group', '--log-group-name', '/cli/one']);
  assert.equal(dup.code, 254);
  // With AWS_MAX_ATTEMPTS=1 the CLI adds "(reached max retries: 0)" to every error it prints.
  assert.match(dup.stderr, /An error occurred \(ResourceAlreadyExistsException\) when calling the CreateLogGroup operation( \(reached max retries: 0\))?: The specified log group already exists\n/);
});
