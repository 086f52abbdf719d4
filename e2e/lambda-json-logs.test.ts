// LoggingConfig LogFormat JSON end to end: the Node.js and Python runtimes' records and the
// platform's events as JSON, filtered by ApplicationLogLevel and SystemLogLevel, the same lines
// in LogType=Tail and CloudWatch Logs; back to Text; and what the AWS CLI v2 reads of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { awsCli } from '../src/testing/aws.js';
import { createNodeFunction, testFunctionRole } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';

const env = useServer();
const dirs = useTempDirs();

const JSON_WARN = { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO' } as const;

const NODE_HANDLER = `
console.warn('cold');
exports.handler = async (event) => {
  console.debug('debug dropped');
  console.info('info dropped');
  console.log('log dropped');
  console.warn('careful', { n: 1 });
  console.warn({ order: 42, items: ['a'] });
  console.error(new RangeError('out of range'));
  if (event.fail) throw new Error('handler failed');
  return 'ok';
};`;

async function invokeTail(name: string, payload: unknown = {}) {
  const res = await env.lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail', Payload: Buffer.from(JSON.stringify(payload)) }));
  return { res, lines: Buffer.from(res.LogResult!, 'base64').toString().split('\n').filter((l) => l !== '') };
}

/** Every log line parses as one JSON object. */
function parseAll(lines: string[]): any[] {
  return lines.map((l) => {
    try {
      return JSON.parse(l);
    } catch {
      assert.fail(`not JSON: ${l}`);
    }
  });
}

/** The events of the function's only log stream, once `done` holds for them. */
async function cloudWatchLines(group: string, done: (lines: string[]) => boolean): Promise<string[]> {
  let lines: string[] = [];
  for (let i = 0; i < 50 && !done(lines); i++) {
    await new Promise((r) => setTimeout(r, 100));
    const stream = (await env.logs.send(new DescribeLogStreamsCommand({ logGroupName: group })).catch(() => undefined))?.logStreams?.[0]?.logStreamName;
    if (!stream) continue;
    const got = await env.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }));
    lines = got.events!.map((e) => e.message!);
  }
  return lines;
}

test('Node.js with JSON and ApplicationLogLevel WARN: JSON records, lower levels dropped, platform events', async () => {
  await createNodeFunction(env.lambda, 'json-node', NODE_HANDLER, { LoggingConfig: JSON_WARN });
  const { res, lines } = await invokeTail('json-node');
  assert.equal(res.FunctionError, undefined);
  const events = parseAll(lines);
  const types = events.map((e) => e.type ?? e.level);
  assert.deepEqual(types, ['platform.initStart', 'WARN', 'platform.start', 'WARN', 'WARN', 'ERROR', 'platform.report']);
  const [initStart, cold, start, careful, object, error, report] = events;
  assert.equal(initStart.record.functionName, 'json-node');
  assert.equal(initStart.record.phase, 'init');
  assert.match(initStart.record.runtimeVersion, /^nodejs:20/);
  assert.equal(cold.message, 'cold');
  assert.equal(cold.requestId, undefined, 'init records belong to no invocation');
  const requestId = start.record.requestId;
  assert.match(requestId, /^[0-9a-f-]{36}$/);
  assert.deepEqual(start.record, { requestId, version: '$LATEST' });
  assert.match(careful.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual({ ...careful, timestamp: undefined }, { timestamp: undefined, level: 'WARN', requestId, message: 'careful { n: 1 }' });
  assert.deepEqual(object.message, { order: 42, items: ['a'] });
  assert.equal(error.message.errorType, 'RangeError');
  assert.equal(error.message.errorMessage, 'out of range');
  assert.ok(Array.isArray(error.message.stackTrace));
  assert.equal(report.record.requestId, requestId);
  assert.equal(report.record.status, 'success');
  assert.equal(report.record.metrics.memorySizeMB, 128);
  for (const k of ['durationMs', 'billedDurationMs', 'maxMemoryUsedMB', 'initDurationMs']) assert.equal(typeof report.record.metrics[k], 'number', k);

  // CloudWatch Logs holds the same lines (GetLogEvents and FilterLogEvents).
  const stored = await cloudWatchLines('/aws/lambda/json-node', (l) => l.some((x) => x.includes('platform.report')));
  assert.deepEqual(stored, lines);
  const filtered = await env.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/json-node', filterPattern: '{ $.level = "WARN" }' }));
  assert.deepEqual(filtered.events!.map((e) => JSON.parse(e.message!).message), ['cold', 'careful { n: 1 }', { order: 42, items: ['a'] }]);
});

test('Node.js with JSON: ApplicationLogLevel defaults to INFO; an unhandled error is logged as AWS logs it', async () => {
  await createNodeFunction(env.lambda, 'json-node-fail', NODE_HANDLER, { LoggingConfig: { LogFormat: 'JSON' } });
  const { res, lines } = await invokeTail('json-node-fail', { fail: true });
  assert.equal(res.FunctionError, 'Unhandled');
  const events = parseAll(lines);
  // ApplicationLogLevel defaults to INFO: info and log records are there, debug is not.
  assert.deepEqual(events.filter((e) => e.level).map((e) => e.message?.errorType ?? e.message),
    ['cold', 'info dropped', 'log dropped', 'careful { n: 1 }', { order: 42, items: ['a'] }, 'RangeError', 'Error']);
  const invokeError = events.find((e) => e.message?.errorMessage === 'handler failed');
  assert.equal(invokeError.level, 'ERROR');
  assert.equal(invokeError.message.errorType, 'Error');
  assert.ok(invokeError.message.stackTrace.length > 0);
});

test('SystemLogLevel WARN drops the platform events; DEBUG adds platform.runtimeDone', async () => {
  await createNodeFunction(env.lambda, 'json-sys', 'exports.handler = async () => { console.log("x"); return 1; };',
    { LoggingConfig: { LogFormat: 'JSON', SystemLogLevel: 'WARN' } });
  assert.deepEqual(parseAll((await invokeTail('json-sys')).lines).map((e) => e.type ?? e.level), ['INFO']);
  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'json-sys', LoggingConfig: { SystemLogLevel: 'DEBUG' } }));
  const events = parseAll((await invokeTail('json-sys')).lines);
  assert.deepEqual(events.map((e) => e.type ?? e.level), ['platform.initStart', 'platform.start', 'INFO', 'platform.runtimeDone', 'platform.report']);
  assert.equal(events[3].record.status, 'success');
});

test('UpdateFunctionConfiguration back to Text: text lines again, every level', async () => {
  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'json-node', LoggingConfig: { LogFormat: 'Text' } }));
  const { lines } = await invokeTail('json-node');
  assert.match(lines[0], /^INIT_START Runtime Version: nodejs:20/);
  assert.ok(lines.some((l) => /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/.test(l)));
  assert.ok(lines.some((l) => /\tDEBUG\tdebug dropped$/.test(l)), 'no level filtering for Text');
  assert.ok(lines.some((l) => /\tWARN\tcareful { n: 1 }$/.test(l)));
  assert.ok(lines.some((l) => l.startsWith('END RequestId: ')));
  assert.match(lines.at(-1)!, /^REPORT RequestId: /);
});

test('Python with JSON: logging records as JSON with extra fields, print() as it is, levels filtered, errors as JSON', async () => {
  const code = `import logging
logger = logging.getLogger()
def handler(event, context):
    logger.debug("debug dropped")
    logger.info("info dropped")
    logger.warning("careful %s", "now", extra={"order": 42})
    print("plain print")
    if event.get("fail"):
        raise ValueError("bad value")
    return "ok"
`;
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: 'json-py', Runtime: 'python3.12', Handler: 'app.handler', Role: testFunctionRole,
    Code: { ZipFile: await makeZip({ 'app.py': code }) }, LoggingConfig: JSON_WARN,
  }));
  const { lines } = await invokeTail('json-py');
  assert.ok(lines.includes('plain print'), lines.join('\n'));
  const events = parseAll(lines.filter((l) => l !== 'plain print'));
  assert.deepEqual(events.map((e) => e.type ?? e.level), ['platform.initStart', 'platform.start', 'WARNING', 'platform.report']);
  const warning = events[2];
  assert.equal(warning.message, 'careful now');
  assert.equal(warning.logger, 'root');
  assert.equal(warning.order, 42);
  assert.equal(warning.requestId, events[1].record.requestId);

  const failed = await invokeTail('json-py', { fail: true });
  assert.equal(failed.res.FunctionError, 'Unhandled');
  const error = parseAll(failed.lines.filter((l) => l !== 'plain print')).find((e) => e.level === 'ERROR');
  assert.equal(error.errorType, 'ValueError');
  assert.equal(error.errorMessage, 'bad value');
  assert.ok(error.stackTrace.length > 0);
});

// The AWS CLI v2 here (2.9.19) predates LoggingConfig, so it cannot send --logging-config: the
// function is created through the SDK, and the CLI reads what a JSON function logs.
test('AWS CLI v2: invoke --log-type Tail and logs filter-log-events on a JSON function', async () => {
  const dir = dirs.make('stagecraft-jsonlogs-');
  await createNodeFunction(env.lambda, 'json-cli', 'exports.handler = async () => { console.info("not shown"); console.error("from cli"); return 1; };',
    { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'ERROR' } });
  const cli = (...args: string[]) => awsCli(env.url, args, { cwd: dir });
  const invoked = await cli('lambda', 'invoke', '--function-name', 'json-cli', '--log-type', 'Tail', join(dir, 'out.json'));
  assert.equal(invoked.code, 0, invoked.stderr);
  const events = parseAll(Buffer.from(invoked.json().LogResult, 'base64').toString().trim().split('\n'));
  assert.deepEqual(events.filter((e) => e.level).map((e) => [e.level, e.message]), [['ERROR', 'from cli']]);
  await cloudWatchLines('/aws/lambda/json-cli', (l) => l.some((x) => x.includes('platform.report')));
  const filtered = await cli('logs', 'filter-log-events', '--log-group-name', '/aws/lambda/json-cli', '--filter-pattern', '{ $.type = "platform.report" }');
  assert.equal(filtered.code, 0, filtered.stderr);
  const reports = filtered.json().events.map((e: { message: string }) => JSON.parse(e.message));
  assert.equal(reports.length, 1);
  assert.equal(reports[0].record.status, 'success');
});
