// The console's Metrics boxes in a real browser (headless Chromium) against a real server: a
// function invoked through AWS's SDK (through alias prod, unqualified, and by an HTTP API), a REST
// stage, an HTTP stage and a WebSocket stage called over real sockets; the page's totals and chart
// labels are checked against what was done (and, for percentiles, against CloudWatch's own answer
// through the SDK). Also: the empty state, the page-wide window, the alias choice, the 30-second
// refresh, and an inline error. Skips when Chromium is not installed, unless STAGECRAFT_REQUIRE_BROWSER=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GetMetricDataCommand, GetMetricStatisticsCommand, type CloudWatchClient, type Dimension } from '@aws-sdk/client-cloudwatch';
import { AddPermissionCommand, CreateAliasCommand, InvokeCommand, PublishVersionCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { contextEchoApi } from '../src/testing/context-echo-api.js';
import { createWebSocketStages } from '../src/testing/websocket-stages.js';
import { invokeHttpApi, invokePath } from '../src/execute-api/testing.js';
import { openWebSocket } from '../src/execute-api/websocket/testing.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import type { Page } from '../src/testing/browser.js';
import { browserSkip, useConsolePage } from '../src/testing/console-page.js';
import { unique } from '../src/cli/testing.js';

// The page's globals, for the functions run in it (this file is compiled without the DOM library).
declare const document: any;
declare const window: any;

const FN = unique('console-metrics-fn');
const IDLE = unique('console-metrics-idle');
const HELD = unique('console-metrics-held');
const REST = unique('console-metrics-rest');
const HTTP = unique('console-metrics-http');
const WS = unique('console-metrics-ws');
const code = `exports.handler = async (e) => {
  if (e.fail) throw new Error('asked to fail');
  return { statusCode: e.rawPath === '/fail' ? 500 : 200, body: 'ok' };
};\n`;

const env = useServer();
let cw: CloudWatchClient;
let page: Page;
let httpApiId: string;
let wsApiId: string;
/** Lambda's answers: [through prod, unqualified] invocations and function errors. */
const done = { prod: { invocations: 0, errors: 0 }, all: { invocations: 0, errors: 0 } };

async function invoke(Qualifier: string | undefined, fail: boolean): Promise<void> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: FN, Qualifier, Payload: Buffer.from(JSON.stringify(fail ? { fail: true } : {})) }));
  for (const row of Qualifier === 'prod' ? [done.prod, done.all] : [done.all]) {
    row.invocations++;
    if (out.FunctionError) row.errors++;
  }
}

env.setup(async () => {
  cw = cloudWatchClient(env.url);
  await createNodeFunction(env.lambda, FN, code);
  await env.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: FN, Name: 'prod', FunctionVersion: '1' }));
  await createNodeFunction(env.lambda, IDLE, code);
  // No concurrency at all: every call is throttled (429), none is an invocation.
  await createNodeFunction(env.lambda, HELD, code);
  await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: HELD, ReservedConcurrentExecutions: 0 }));
  for (let i = 0; i < 2; i++) await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: HELD })), (e: { name?: string }) => e.name === 'TooManyRequestsException');
  for (const fail of [false, false, true, false]) await invoke('prod', fail);
  for (let i = 0; i < 2; i++) await invoke(undefined, false);

  // An HTTP API in front of the same function: its calls are the function's invocations too.
  httpApiId = (await env.apigwv2.send(new CreateApiCommand({ Name: HTTP, ProtocolType: 'HTTP', Target: `arn:aws:lambda:${testRegion}:${testAccount}:function:${FN}` }))).ApiId!;
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: FN, StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${httpApiId}/*`,
  }));
  const httpStatuses = [];
  for (const path of ['/a', '/b', '/fail']) httpStatuses.push((await invokeHttpApi(env.url, httpApiId, path, { method: 'GET' })).status);
  assert.deepEqual(httpStatuses, [200, 200, 500]);
  done.all.invocations += 3; // the function answered: not function errors

  const restId = await contextEchoApi(env.apigw, REST, ['prod']);
  const restStatuses = [];
  for (const path of ['/pets', '/pets', '/nowhere']) restStatuses.push((await invokePath(env.url, restId, 'prod', path)).status);
  assert.deepEqual(restStatuses.map((s) => Math.floor(s / 100)), [2, 2, 4]);

  wsApiId = (await createWebSocketStages(env.apigwv2, WS)).apiId;
  const socket = await openWebSocket(env.url, wsApiId, 'prod');
  socket.ws.send(JSON.stringify({ action: 'sendMessage' })); // its HTTP backend is not there
  await socket.next();
  socket.ws.close();
  await socket.closed;
});

useConsolePage((p) => { page = p; });

async function shot(name: string): Promise<void> {
  if (process.env.STAGECRAFT_CONSOLE_SHOTS) await page.screenshot(join(process.env.STAGECRAFT_CONSOLE_SHOTS, `${name}.png`));
}

/** The totals a card's Metrics box shows, by chart title (of its section `stage` on an API's card); waits for them, and for `until` when given. */
function totals(card: string, stage?: string, until?: [string, string]): Promise<Record<string, string>> {
  return page.waitFor(`the metrics of ${card}`, (name: string, st?: string, want?: [string, string]) => {
    const panel = window.consoleTest.card(name)?.querySelector('.metrics');
    if (!panel || panel.hasAttribute('aria-busy')) return undefined;
    const part = !st ? panel : [...panel.querySelectorAll('.metrics-section')].find((x: any) => x.dataset.stage === st);
    if (!part?.querySelector('.metric')) return undefined;
    const out: Record<string, string> = {};
    for (const m of part.querySelectorAll('.metric')) out[m.dataset.metric] = m.querySelector('.metric-total').textContent;
    return (!want || out[want[0]] === want[1]) && out;
  }, [card, stage, until], 45_000);
}

const labels = (card: string): Promise<string[]> => page.evaluate(`[...window.consoleTest.card(${JSON.stringify(card)}).querySelectorAll('.metrics svg.sparkline')].map((s) => s.getAttribute('aria-label'))`);

/** The peak per-minute percentile over the last hour, as CloudWatch answers it through the SDK, formatted as the page does. */
async function peak(Namespace: string, MetricName: string, Dimensions: Dimension[], stat: string): Promise<string> {
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);
  const out = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(end.getTime() - 3600_000), EndTime: end,
    MetricDataQueries: [{ Id: 'q', MetricStat: { Metric: { Namespace, MetricName, Dimensions }, Period: 60, Stat: stat } }],
  }));
  const values = out.MetricDataResults![0].Values!;
  assert.ok(values.length > 0, `${MetricName} ${stat} has data`);
  return String(Math.round(Math.max(...values) * 10) / 10);
}

const sumOf = async (MetricName: string, Dimensions: Dimension[]): Promise<number> => {
  const out = await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/ApiGateway', MetricName, Dimensions, Period: 3600 * 2, Statistics: ['Sum'], StartTime: new Date(Date.now() - 3600_000), EndTime: new Date(Date.now() + 60_000),
  }));
  return (out.Datapoints ?? []).reduce((n, p) => n + (p.Sum ?? 0), 0);
};

test('a function card shows its invocations, errors, throttles and duration; per alias; empty when idle', { skip: browserSkip, timeout: 120_000 }, async () => {
  await page.goto(`${env.url}/_stagecraft/console/`);
  const fn = [{ Name: 'FunctionName', Value: FN }];
  const all = await totals(FN);
  const rate = (r: { invocations: number; errors: number }) => `${Math.round((r.errors / r.invocations) * 1000) / 10}%`;
  assert.equal(all.Invocations, String(done.all.invocations));
  assert.equal(all.Errors, `${done.all.errors} (error rate ${rate(done.all)})`);
  assert.equal(all.Throttles, '0');
  assert.equal(all.Duration, `p50 ${await peak('AWS/Lambda', 'Duration', fn, 'p50')} ms · p99 ${await peak('AWS/Lambda', 'Duration', fn, 'p99')} ms (peak)`);
  // Each chart says its numbers to a screen reader.
  assert.deepEqual((await labels(FN)).slice(0, 2), [`Invocations, last hour: ${done.all.invocations}`, `Errors, last hour: ${all.Errors}`]);
  const lines = await page.evaluate<number>(`window.consoleTest.card(${JSON.stringify(FN)}).querySelectorAll('.metrics svg polyline').length`);
  assert.ok(lines >= 5, `a line per series: ${lines}`);
  await shot('metrics-function');

  // The idle function: the empty state instead of charts.
  const idle = await page.waitFor('the idle function\'s empty state', (n: string) => window.consoleTest.card(n)?.querySelector('.metrics-empty')?.textContent, [IDLE]);
  assert.equal(idle, 'No invocations in the last hour.');
  // Throttled calls are no invocations, but they are something that happened: charts, not the empty state.
  assert.deepEqual(await totals(HELD), { Invocations: '0', Errors: '0', Throttles: '2', Duration: 'no data' });

  // Through alias prod only (Resource fn:prod).
  await page.evaluate(`(() => { const s = window.consoleTest.card(${JSON.stringify(FN)}).querySelector('select[aria-label="Metrics of"]'); s.value = 'prod'; s.dispatchEvent(new Event('change')); })()`);
  const prod = await totals(FN, undefined, ['Invocations', String(done.prod.invocations)]);
  assert.equal(prod.Errors, `${done.prod.errors} (error rate ${rate(done.prod)})`);
  const resource = [...fn, { Name: 'Resource', Value: `${FN}:prod` }];
  assert.equal(prod.Duration, `p50 ${await peak('AWS/Lambda', 'Duration', resource, 'p50')} ms · p99 ${await peak('AWS/Lambda', 'Duration', resource, 'p99')} ms (peak)`);

  // One window for the page: 15 minutes here moves every box, and is remembered.
  await page.evaluate(`(() => { const s = window.consoleTest.card(${JSON.stringify(IDLE)}).querySelector('select[aria-label="Metrics window"]'); s.value = '15m'; s.dispatchEvent(new Event('change')); })()`);
  await page.waitFor('the 15-minute window everywhere', (n: string) => window.consoleTest.card(n).querySelector('svg.sparkline')?.getAttribute('aria-label').startsWith('Invocations, last 15 minutes: '), [FN]);
  // Boxes redraw as their own answers arrive: wait for the idle one's too.
  await page.waitFor('the idle function\'s 15-minute empty state',
    (n: string) => window.consoleTest.card(n)?.querySelector('.metrics-empty')?.textContent === 'No invocations in the last 15 minutes.', [IDLE]);
  assert.equal(await page.evaluate("window.localStorage.getItem('stagecraft.metricsWindow')"), '15m');

  // Left open, the page refreshes itself within 30 seconds (and a few of its checks).
  await invoke('prod', false);
  const before = Date.now();
  await totals(FN, undefined, ['Invocations', String(done.prod.invocations)]);
  assert.ok(Date.now() - before < 40_000);
  assert.deepEqual(page.problems, []);
});

test('API stages show requests, 4xx/5xx and latency; WebSocket stages connections and messages', { skip: browserSkip, timeout: 90_000 }, async () => {
  await page.evaluate("window.localStorage.setItem('stagecraft.metricsWindow', '1h')");
  await page.goto('about:blank'); // a new document: a change of hash alone is not a page load
  await page.goto(`${env.url}/_stagecraft/console/#apis`);
  const rest = await totals(REST, 'prod');
  assert.equal(rest.Requests, '3');
  assert.equal(rest.Errors, '4xx 1 · 5xx 0 (error rate 33.3%)');
  const restStage = [{ Name: 'ApiName', Value: REST }, { Name: 'Stage', Value: 'prod' }];
  assert.equal(rest.Latency, `p50 ${await peak('AWS/ApiGateway', 'Latency', restStage, 'p50')} ms · p99 ${await peak('AWS/ApiGateway', 'Latency', restStage, 'p99')} ms (peak)`);
  assert.equal(await page.evaluate(`window.consoleTest.card(${JSON.stringify(REST)}).querySelector('.metrics-section h4').textContent`), 'Stage prod');

  const http = await totals(HTTP, '$default');
  assert.equal(http.Requests, '3');
  assert.equal(http.Errors, '4xx 0 · 5xx 1 (error rate 33.3%)');
  assert.match(http.Latency, /^p50 \d+(\.\d)? ms · p99 \d+(\.\d)? ms \(peak\)$/);

  // The WebSocket API has three stages, in one box (one call for the card); only prod was used.
  const ws = await totals(WS, 'prod');
  const sections = await page.evaluate<string[]>(`[...window.consoleTest.card(${JSON.stringify(WS)}).querySelectorAll('.metrics')].map((b) => [...b.querySelectorAll('.metrics-section h4')].map((h) => h.textContent).join())`);
  assert.deepEqual(sections, ['Stage auto,Stage dev,Stage prod']);
  await shot('metrics-apis');
  const wsStage = [{ Name: 'ApiId', Value: wsApiId }, { Name: 'Stage', Value: 'prod' }];
  assert.equal(ws.Connections, '1');
  assert.equal(ws.Messages, String(await sumOf('MessageCount', wsStage)));
  assert.ok(Number(ws.Messages) >= 1);
  const faults = await Promise.all(['ClientError', 'IntegrationError', 'ExecutionError'].map((m) => sumOf(m, wsStage)));
  assert.ok(faults.some((n) => n > 0), 'the message to a missing backend failed');
  assert.equal(ws.Errors, `client ${faults[0]} · integration ${faults[1]} · execution ${faults[2]}`);
  assert.equal(await page.evaluate(`window.consoleTest.card(${JSON.stringify(WS)}).querySelector('.metrics-section[data-stage=dev] .metrics-empty').textContent`),
    'No connections or messages in the last hour.');
  assert.deepEqual(page.problems, []);
});

test('a failed metrics call is shown in its box; the page carries on', { skip: browserSkip, timeout: 30_000 }, async () => {
  const shown = await page.evaluate<{ error: string; hidden: boolean; charts: number; status: string }>(`import('./metrics-panel.js').then(({ metricsPanel }) => {
    const box = metricsPanel({ loadMetrics: () => Promise.reject(Object.assign(new Error('Rate exceeded'), { type: 'Throttling' })) }, [{ kind: 'function', name: 'f' }]);
    document.getElementById('main').append(box);
    return new Promise((r) => setTimeout(r, 0)).then(() => ({ error: box.querySelector('.metrics-error').textContent, hidden: box.querySelector('.metrics-error').hidden, charts: box.querySelectorAll('.metric').length, status: box.querySelector('.metrics-status').textContent }));
  })`);
  assert.deepEqual(shown, { error: 'Metrics unavailable: Throttling: Rate exceeded', hidden: false, charts: 0, status: '' });
  // The rest of the page is untouched.
  assert.ok(await page.evaluate<number>("document.querySelectorAll('section.card').length") > 0);
  assert.deepEqual(page.problems, []);
});
