import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpApiRecord, HttpStageRecord } from '../../store/httpapi-store.js';
import { routeLoggingLevel, WebSocketExecutionLogs } from './execution-log.js';

const api = { apiId: 'a1', accountId: '000000000000', region: 'us-east-1' } as HttpApiRecord;
const stageWith = (defaults: HttpStageRecord['defaultRouteSettings'], routes: HttpStageRecord['routeSettings'] = {}) =>
  ({ stageName: 'live', defaultRouteSettings: defaults, routeSettings: routes }) as HttpStageRecord;

function capture(): { logs: WebSocketExecutionLogs; written: { group: string; lines: string[] }[] } {
  const written: { group: string; lines: string[] }[] = [];
  return { written, logs: new WebSocketExecutionLogs({ append: (_a, _r, group, _s, lines) => written.push({ group, lines }) }) };
}

test('a route\'s own settings win over the stage\'s defaults; OFF and none log nothing', () => {
  assert.equal(routeLoggingLevel(stageWith({ detailedMetricsEnabled: false }), 'send'), undefined);
  assert.equal(routeLoggingLevel(stageWith({ detailedMetricsEnabled: false, loggingLevel: 'OFF' }), 'send'), undefined);
  assert.deepEqual(routeLoggingLevel(stageWith({ detailedMetricsEnabled: false, loggingLevel: 'INFO', dataTraceEnabled: true }), 'send'), { level: 'INFO', dataTrace: true });
  const mixed = stageWith({ detailedMetricsEnabled: false, loggingLevel: 'INFO' }, { send: { loggingLevel: 'OFF' }, ping: { loggingLevel: 'ERROR' } });
  assert.equal(routeLoggingLevel(mixed, 'send'), undefined);
  assert.deepEqual(routeLoggingLevel(mixed, 'ping'), { level: 'ERROR', dataTrace: false });
});

test('INFO writes every line with the request id, and the closing line; data lines only with data tracing', () => {
  const { logs, written } = capture();
  const log = logs.open(api, stageWith({ detailedMetricsEnabled: false, loggingLevel: 'INFO' }), '$connect', 'req1')!;
  log.add('body', 'data');
  log.end(200, 'Client [Connection Id: c] connected to API [a1] successfully.');
  assert.equal(written.length, 1);
  assert.equal(written[0].group, 'API-Gateway-Execution-Logs_a1/live');
  assert.deepEqual(written[0].lines, [
    '(req1) Extended Request Id: req1', '(req1) Starting execution for request: req1', '(req1) WebSocket Request Route: [$connect]',
    '(req1) Method completed with status: 200', '(req1) Client [Connection Id: c] connected to API [a1] successfully.',
  ]);
});

test('ERROR writes only failed events, without their INFO steps', () => {
  const { logs, written } = capture();
  const stage = stageWith({ detailedMetricsEnabled: false, loggingLevel: 'ERROR' });
  logs.open(api, stage, 'send', 'ok')!.end(200);
  const failing = logs.open(api, stage, 'send', 'bad')!;
  failing.add('Execution failed due to a timeout error', 'error');
  failing.end(504);
  assert.deepEqual(written.map((w) => w.lines), [['(bad) Execution failed due to a timeout error', '(bad) Method completed with status: 504']]);
  assert.equal(logs.open(api, stageWith({ detailedMetricsEnabled: false }), 'send', 'x'), undefined);
});
