// Function logs end to end: an invocation's lines reach /aws/lambda/{name} through the log sink and
// can be read at once with GetLogEvents, FilterLogEvents and `aws logs tail`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { awsCli } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

test('an invocation writes START, the function output, END and REPORT to its log group', { timeout: 60_000 }, async () => {
  await createNodeFunction(env.lambda, 'logs-fn', 'exports.handler = async (event) => { console.log(JSON.stringify({ level: "ERROR", n: event.n })); return "done"; };\n');
  const invoked = await env.lambda.send(new InvokeCommand({ FunctionName: 'logs-fn', Payload: Buffer.from('{"n":7}') }));
  assert.equal(invoked.StatusCode, 200, Buffer.from(invoked.Payload ?? []).toString());

  const group = '/aws/lambda/logs-fn';
  // The group is listed as soon as the invocation has answered, as the streams and events are.
  const { logGroups } = await env.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
  assert.deepEqual(logGroups?.map((g) => g.logGroupName), [group]);
  const { logStreams } = await env.logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true }));
  assert.equal(logStreams?.length, 1);
  assert.match(logStreams![0].logStreamName!, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);

  const { events } = await env.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: logStreams![0].logStreamName, startFromHead: true }));
  const messages = events!.map((e) => e.message!);
  const start = messages.findIndex((m) => m.startsWith('START RequestId: '));
  assert.ok(start >= 0, messages.join('\n'));
  assert.ok(messages.some((m) => m.includes('{"level":"ERROR","n":7}')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('END RequestId: ')), messages.join('\n'));
  assert.match(messages.find((m) => m.startsWith('REPORT RequestId: '))!, /Duration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB/);

  const filtered = await env.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.level = "ERROR" && $.n = 7 }' }));
  assert.equal(filtered.events?.length, 1);
  const reports = await env.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '[type=REPORT, ...]' }));
  assert.equal(reports.events?.length, 1);

  const tail = await awsCli(env.server.url, ['logs', 'tail', group, '--format', 'short']);
  assert.equal(tail.code, 0, tail.stderr);
  assert.match(tail.stdout, /START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
  assert.match(tail.stdout, /REPORT RequestId: /);
});

/** The messages of a function's one log stream, oldest first. */
async function streamMessages(group: string): Promise<string[]> {
  const { logStreams } = await env.logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
  const { events } = await env.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: logStreams![0].logStreamName, startFromHead: true }));
  return events!.map((e) => e.message!);
}

test('text log events end with their newline, as AWS stores them; a half line and JSON records have none', { timeout: 60_000 }, async () => {
  const code = 'exports.handler = async () => { console.log("hello"); process.stdout.write("printed\\r\\n"); process.stdout.write("half"); return 1; };\n';
  await createNodeFunction(env.lambda, 'logs-newlines', code);
  const invoked = await env.lambda.send(new InvokeCommand({ FunctionName: 'logs-newlines', LogType: 'Tail' }));
  assert.equal(invoked.FunctionError, undefined);
  const messages = await streamMessages('/aws/lambda/logs-newlines');
  const id = invoked.$metadata.requestId!;
  const start = messages.indexOf(`START RequestId: ${id} Version: $LATEST\n`);
  assert.ok(start > 0, JSON.stringify(messages));
  assert.match(messages[0], /^INIT_START Runtime Version: nodejs:20\.\S+\tRuntime Version ARN: \S+\n$/);
  assert.match(messages[start + 1], new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\thello\\n$`));
  assert.equal(messages[start + 2], 'printed\n');
  assert.equal(messages[start + 3], 'half', 'a line written without a newline keeps none');
  assert.equal(messages[start + 4], `END RequestId: ${id}\n`);
  assert.match(messages[start + 5], new RegExp(`^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [\\d.]+ ms\\t\\n$`));
  // The tail is the same lines, each ending in one newline.
  const tail = Buffer.from(invoked.LogResult!, 'base64').toString('utf8');
  assert.ok(tail.endsWith(`\thello\nprinted\nhalf\nEND RequestId: ${id}\n${messages[start + 5]}`), tail);

  await createNodeFunction(env.lambda, 'logs-newlines-json', 'exports.handler = async () => { console.log("hello"); return 1; };\n', { LoggingConfig: { LogFormat: 'JSON' } });
  await env.lambda.send(new InvokeCommand({ FunctionName: 'logs-newlines-json' }));
  const json = await streamMessages('/aws/lambda/logs-newlines-json');
  assert.ok(json.length >= 3, JSON.stringify(json));
  for (const m of json) assert.ok(m.startsWith('{') && m.endsWith('}'), `one JSON object without a newline: ${JSON.stringify(m)}`);
});
