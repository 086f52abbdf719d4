// AWS's JSON log format: the Node.js runtime's console records, the Python runtime's logging
// records, and the platform's own events (START/REPORT…) with their SystemLogLevel filtering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { jsonRecord } from './bootstraps/node/json-record.mjs';
import { platformEvent, platformLog } from './platform-log.js';
import type { FunctionSpec } from './types.js';

const T = '2024-05-01T12:00:00.000Z';
const ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

test('a console record: one string, one object, several arguments', () => {
  assert.equal(jsonRecord(T, 'INFO', ID, ['hello']), `{"timestamp":"${T}","level":"INFO","requestId":"${ID}","message":"hello"}`);
  assert.deepEqual(JSON.parse(jsonRecord(T, 'WARN', ID, [{ a: 1, b: [2] }])), { timestamp: T, level: 'WARN', requestId: ID, message: { a: 1, b: [2] } });
  assert.deepEqual(JSON.parse(jsonRecord(T, 'INFO', ID, ['x %d', 5, { a: 1 }])).message, 'x 5 { a: 1 }');
  assert.equal(jsonRecord(T, 'INFO', ID, []), `{"timestamp":"${T}","level":"INFO","requestId":"${ID}"}`);
  // Init: no invocation yet, so no requestId.
  assert.deepEqual(JSON.parse(jsonRecord(T, 'INFO', undefined, ['init'])), { timestamp: T, level: 'INFO', message: 'init' });
});

test('a console record with an Error: alone it is the message, among others it adds errorType/errorMessage/stackTrace', () => {
  class ValidationError extends Error {
    field = 'name';
  }
  const alone = JSON.parse(jsonRecord(T, 'ERROR', ID, [new ValidationError('bad input')]));
  assert.equal(alone.message.errorType, 'ValidationError');
  assert.equal(alone.message.errorMessage, 'bad input');
  assert.equal(alone.message.field, 'name');
  assert.match(alone.message.stackTrace[0], /^Error: bad input/);
  const among = JSON.parse(jsonRecord(T, 'ERROR', ID, ['failed:', new TypeError('boom')]));
  assert.match(among.message, /^failed: TypeError: boom\n/);
  assert.equal(among.errorType, 'TypeError');
  assert.equal(among.errorMessage, 'boom');
  assert.ok(Array.isArray(among.stackTrace) && among.stackTrace[0] === 'TypeError: boom');
});

test('a record that JSON cannot hold falls back to its util.format text', () => {
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  assert.equal(JSON.parse(jsonRecord(T, 'INFO', ID, [circular])).message, "<ref *1> { name: 'loop', self: [Circular *1] }");
  assert.equal(JSON.parse(jsonRecord(T, 'INFO', ID, [10n])).message, '10n');
});

const spec = (logging?: FunctionSpec['jsonLogging']): FunctionSpec => ({
  key: 'k', accountId: '000000000000', region: 'us-east-1', functionName: 'fn', version: '$LATEST', runtime: 'nodejs20.x', handler: 'index.handler',
  memorySize: 256, timeout: 3, environment: {}, codeDir: '/nonexistent', logGroupName: '/aws/lambda/fn', ...(logging ? { jsonLogging: logging } : {}),
});

test('platform events in JSON: platform.initStart, platform.start, platform.report with metrics', () => {
  const s = spec({ applicationLogLevel: 'INFO', systemLogLevel: 'INFO' });
  const log = platformLog(s);
  const initStart = JSON.parse(log.initStart(s, 'nodejs:20.v1')!);
  assert.equal(initStart.type, 'platform.initStart');
  assert.match(initStart.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual({ ...initStart.record, runtimeVersionArn: undefined }, {
    initializationType: 'on-demand', phase: 'init', runtimeVersion: 'nodejs:20.v1', runtimeVersionArn: undefined, functionName: 'fn', functionVersion: '$LATEST',
  });
  assert.match(initStart.record.runtimeVersionArn, /^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/);
  assert.deepEqual(JSON.parse(log.start(s, ID)!).record, { requestId: ID, version: '$LATEST' });
  const report = JSON.parse(log.report(s, { requestId: ID, durationMs: 12.345, memorySize: 256, maxMemoryUsedMb: 40, initDurationMs: 100.5 })!);
  assert.equal(report.type, 'platform.report');
  assert.deepEqual(report.record, {
    requestId: ID, metrics: { durationMs: 12.35, billedDurationMs: 113, memorySizeMB: 256, maxMemoryUsedMB: 40, initDurationMs: 100.5 }, status: 'success',
  });
  const timedOut = JSON.parse(log.report(s, { requestId: ID, durationMs: 3000, memorySize: 256, maxMemoryUsedMb: 40, status: 'timeout' })!);
  assert.equal(timedOut.record.status, 'timeout');
  const failedInit = JSON.parse(log.initReport(s, 42, 'error', 'Runtime.ImportModuleError')!);
  assert.deepEqual(failedInit.record, { initializationType: 'on-demand', phase: 'init', status: 'error', errorType: 'Runtime.ImportModuleError', metrics: { durationMs: 42 } });
});

test('SystemLogLevel: INFO leaves out platform.runtimeDone (DEBUG), WARN leaves out INFO events too', () => {
  const info = spec({ applicationLogLevel: 'INFO', systemLogLevel: 'INFO' });
  assert.equal(platformLog(info).end(info, ID, 5, undefined, false), undefined);
  const debug = spec({ applicationLogLevel: 'INFO', systemLogLevel: 'DEBUG' });
  assert.deepEqual(JSON.parse(platformLog(debug).end(debug, ID, 5, undefined, true)!).record, { requestId: ID, status: 'error', metrics: { durationMs: 5 } });
  const warn = spec({ applicationLogLevel: 'INFO', systemLogLevel: 'WARN' });
  assert.equal(platformLog(warn).start(warn, ID), undefined);
  assert.equal(platformLog(warn).report(warn, { requestId: ID, durationMs: 1, memorySize: 128, maxMemoryUsedMb: 1 }), undefined);
});

test('Text functions keep AWS text lines, byte for byte', () => {
  const s = spec();
  const log = platformLog(s);
  assert.equal(log.start(s, ID), `START RequestId: ${ID} Version: $LATEST\n`);
  assert.equal(log.end(s, ID, 1, undefined, false), `END RequestId: ${ID}\n`);
  assert.equal(log.report(s, { requestId: ID, durationMs: 1.5, memorySize: 256, maxMemoryUsedMb: 40 }),
    `REPORT RequestId: ${ID}\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 256 MB\tMax Memory Used: 40 MB\t\n`);
  assert.equal(log.report(s, { requestId: ID, durationMs: 1.5, memorySize: 256, maxMemoryUsedMb: 40, initDurationMs: 110.1, status: 'timeout' }),
    `REPORT RequestId: ${ID}\tDuration: 1.50 ms\tBilled Duration: 112 ms\tMemory Size: 256 MB\tMax Memory Used: 40 MB\tInit Duration: 110.10 ms\tStatus: timeout\t\n`);
  assert.equal(log.initReport(s, 10000.15, 'timeout'), 'INIT_REPORT Init Duration: 10000.15 ms\tPhase: init\tStatus: timeout\n');
  assert.equal(platformEvent('platform.start', { requestId: ID }, new Date(T)), `{"time":"${T}","type":"platform.start","record":{"requestId":"${ID}"}}`);
});

test('Python logging records in JSON: fields, extra, exceptions, custom levels', () => {
  const dir = path.resolve('src/runtime/bootstraps/python');
  const script = `
import logging, json, sys
import stagecraft_json_logs as j
f = j.JsonFormatter()
log = logging.getLogger("app")
rec = log.makeRecord("app", logging.WARNING, "/var/task/h.py", 7, "n=%d", (3,), None, "handler", {"order": 42})
rec.aws_request_id = "${ID}"
print(f.format(rec))
try:
    raise ValueError("bad")
except ValueError:
    rec = log.makeRecord("app", logging.ERROR, "/var/task/h.py", 9, "failed", (), sys.exc_info(), "handler")
rec.aws_request_id = "${ID}"
print(f.format(rec))
rec = log.makeRecord("app", 15, "/var/task/h.py", 1, "between", (), None, "handler")
rec.aws_request_id = ""
print(f.format(rec))
print(j.error_record({"errorMessage": "boom", "errorType": "Exception", "requestId": "${ID}", "stackTrace": []}))
`;
  const run = spawnSync('python3', ['-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONPATH: dir } });
  assert.equal(run.status, 0, run.stderr);
  const [plain, failed, custom, error] = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.match(plain.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual({ ...plain, timestamp: undefined }, { timestamp: undefined, level: 'WARNING', message: 'n=3', logger: 'app', requestId: ID, order: 42 });
  assert.equal(failed.errorType, 'ValueError');
  assert.equal(failed.errorMessage, 'bad');
  assert.equal(failed.location, '/var/task/h.py:handler:9');
  assert.ok(failed.stackTrace.length > 0);
  assert.equal(custom.level, 'DEBUG');
  assert.equal(custom.requestId, '');
  assert.match(error.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  assert.deepEqual({ ...error, timestamp: undefined }, { timestamp: undefined, level: 'ERROR', errorMessage: 'boom', errorType: 'Exception', requestId: ID, stackTrace: [] });
});
