// The console's per-version view of a canary alias: the GetMetricData query and rows
// (console/canary-metrics.js), the client's signed-style JSON 1.0 call to `monitoring` against a
// real server, and the function card in a real browser showing each version's invocations and
// errors as invoked through a 50% canary whose version 2 throws; an alias without a canary shows
// nothing and costs no metrics call, and a failed metrics call leaves a muted note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAliasCommand, InvokeCommand, PublishVersionCommand, UpdateFunctionCodeCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { nodeHandlerZip } from '../src/testing/zip.js';
import { consoleModules } from '../src/testing/console-modules.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import type { Page } from '../src/testing/browser.js';
import { browserSkip, useConsolePage } from '../src/testing/console-page.js';

// The page's globals, for the functions run in it (this file is compiled without the DOM library).
declare const document: any;
declare const window: any;
declare const performance: any;
declare const location: any;

const CANARY = 'console-canary-metrics';
const PLAIN = 'console-canary-plain';
const ok = 'exports.handler = async () => ({ ok: true });\n';
const throws = "exports.handler = async () => { throw new Error('version 2 is broken'); };\n";

const env = useServer();
const load = consoleModules(useTempDirs());
let page: Page;
/** What the invocations through prod did, by executed version, as Lambda answered them. */
const invoked: Record<string, { invocations: number; errors: number }> = {};

env.setup(async () => {
  await createNodeFunction(env.lambda, CANARY, ok);
  await env.lambda.send(new PublishVersionCommand({ FunctionName: CANARY }));
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: CANARY, ZipFile: await nodeHandlerZip(throws) }));
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: CANARY });
  await env.lambda.send(new PublishVersionCommand({ FunctionName: CANARY }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: CANARY, Name: 'prod', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 2: 0.5 } } }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: CANARY, Name: 'dev', FunctionVersion: '2' }));
  for (let i = 0; i < 24; i++) {
    const out = await env.lambda.send(new InvokeCommand({ FunctionName: CANARY, Qualifier: 'prod', Payload: Buffer.from('{}') }));
    const row = (invoked[out.ExecutedVersion!] ??= { invocations: 0, errors: 0 });
    row.invocations++;
    if (out.FunctionError) row.errors++;
  }
  // Invocations through dev are another alias's: they must not count in prod's rows.
  await env.lambda.send(new InvokeCommand({ FunctionName: CANARY, Qualifier: 'dev', Payload: Buffer.from('{}') }));
  assert.ok(invoked['1']?.invocations && invoked['2']?.invocations, `both versions ran: ${JSON.stringify(invoked)}`);

  await createNodeFunction(env.lambda, PLAIN, ok);
  await env.lambda.send(new PublishVersionCommand({ FunctionName: PLAIN }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: PLAIN, Name: 'prod', FunctionVersion: '1' }));
});

useConsolePage((p) => { page = p; });

test('the canary query names each version of the alias; the answer becomes rows', async () => {
  const m = await load('canary-metrics.js');
  const now = Date.UTC(2026, 0, 1, 12, 30, 20);
  const q = m.canaryMetricsQuery('fn', 'prod', ['1', '2'], now);
  // The last 15 whole minutes, the current one included, in epoch seconds (JSON 1.0).
  assert.equal(q.EndTime, Date.UTC(2026, 0, 1, 12, 31) / 1000);
  assert.equal(q.StartTime, Date.UTC(2026, 0, 1, 12, 16) / 1000);
  assert.equal(q.MetricDataQueries.length, 8);
  assert.deepEqual(q.MetricDataQueries.map((x: any) => x.Id), ['inv_0', 'err_0', 'dur_0', 'n_0', 'inv_1', 'err_1', 'dur_1', 'n_1']);
  assert.deepEqual(q.MetricDataQueries[5].MetricStat, {
    Metric: {
      Namespace: 'AWS/Lambda', MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: 'fn' }, { Name: 'Resource', Value: 'fn:prod' }, { Name: 'ExecutedVersion', Value: '2' }],
    },
    Period: 60, Stat: 'Sum',
  });
  assert.deepEqual(q.MetricDataQueries.map((x: any) => x.MetricStat.Stat).slice(0, 4), ['Sum', 'Sum', 'Sum', 'SampleCount']);

  const answer = {
    MetricDataResults: [
      { Id: 'inv_0', Values: [3, 5] }, { Id: 'err_0', Values: [0, 0] }, { Id: 'dur_0', Values: [20, 40] }, { Id: 'n_0', Values: [3, 5] },
      { Id: 'inv_1', Values: [4, 4] }, { Id: 'err_1', Values: [1, 2] }, { Id: 'dur_1', Values: [10, 15] }, { Id: 'n_1', Values: [4, 4] },
    ],
  };
  assert.deepEqual(m.canaryMetricRows(['1', '2'], answer), [
    { version: '1', invocations: 8, errors: 0, errorRate: '0%', averageDuration: '7.5 ms' },
    { version: '2', invocations: 8, errors: 3, errorRate: '37.5%', averageDuration: '3.1 ms' },
  ]);
  // A version nothing ran on (no datapoints, or no result at all) reads as none, not as a rate of 0.
  assert.deepEqual(m.canaryMetricRows(['1', '3'], { MetricDataResults: [{ Id: 'inv_0', Values: [] }] }), [
    { version: '1', invocations: 0, errors: 0, errorRate: '—', averageDuration: '—' },
    { version: '3', invocations: 0, errors: 0, errorRate: '—', averageDuration: '—' },
  ]);
});

test("the console's client reads the canary's metrics from the server", async () => {
  const { createClient } = await load('api.js');
  const client = createClient({ baseUrl: env.url });
  const rows = await client.canaryMetrics(CANARY, 'prod', ['1', '2']);
  assert.deepEqual(rows.map((r: any) => [r.version, r.invocations, r.errors]), ['1', '2'].map((v) => [v, invoked[v]?.invocations ?? 0, invoked[v]?.errors ?? 0]));
  assert.equal(rows[0].errors, 0);
  assert.equal(rows[1].errors, rows[1].invocations, 'every invocation of version 2 failed');
  assert.ok(rows[0].invocations + rows[1].invocations === 24);
  assert.match(rows[0].averageDuration, /^\d+(\.\d)? ms$/);
  // AWS's errors come back as AwsError.
  await assert.rejects(client.getMetricData({ StartTime: 10, EndTime: 10, MetricDataQueries: [] }), (e: any) => e.name === 'AwsError' && e.status === 400);
});

test('the function card shows each version of a canary, nothing for an alias without one', { skip: browserSkip, timeout: 60_000 }, async () => {
  await page.goto(`${env.url}/_stagecraft/console/`);
  const rows = await page.waitFor('the canary metrics table', (name: string) => {
    const table = window.consoleTest.card(name)?.querySelector('.canary-metrics[data-alias=prod] table');
    return table && [...table.querySelectorAll('tbody tr')].map((r: any) => [...r.cells].map((c: any) => c.textContent));
  }, [CANARY]);
  const expected = (v: string) => invoked[v] ?? { invocations: 0, errors: 0 };
  assert.deepEqual(rows.map((r: string[]) => r.slice(0, 3)), ['1', '2'].map((v) => [v, String(expected(v).invocations), String(expected(v).errors)]));
  assert.equal(rows[0][3], expected('1').invocations ? '0%' : '—');
  assert.equal(rows[1][3], expected('2').invocations ? '100%' : '—');
  assert.match(rows[0][4], / ms$/);

  // It sits before the actions, with Promote and Roll back.
  const order = await page.evaluate<string[]>(`[...window.consoleTest.card(${JSON.stringify(CANARY)}).children].map((n) => n.className).filter((c) => c === 'canary-metrics' || c === 'actions')`);
  assert.deepEqual(order, ['canary-metrics', 'actions']);
  // dev (no canary) and the other function get no panel; the page made one canary metrics call
  // (POST /) in all, beside the one of each card's Metrics box.
  const panels = await page.evaluate<number[]>(`[${JSON.stringify(CANARY)}, ${JSON.stringify(PLAIN)}].map((n) => window.consoleTest.card(n).querySelectorAll('.canary-metrics').length)`);
  assert.deepEqual(panels, [1, 0]);
  const calls = await page.waitFor('every metrics call answered', () => {
    const boxes = document.querySelectorAll('.metrics');
    const done = [...boxes].every((b: any) => !b.hasAttribute('aria-busy'));
    return done && { boxes: boxes.length, posts: performance.getEntriesByType('resource').filter((e: any) => e.name === `${location.origin}/`).length };
  }, []);
  assert.equal(calls.posts, 1 + calls.boxes);

  // A failed metrics call: a muted note in place of the table, the rest of the card untouched.
  const note = await page.evaluate<{ text: string; muted: boolean }>(`import('./canary-panel.js').then(({ canaryPanel }) => {
    const box = canaryPanel({ canaryMetrics: () => Promise.reject(new Error('boom')) }, 'f', 'prod', ['1', '2']);
    return new Promise((r) => setTimeout(r, 0)).then(() => ({ text: box.querySelector('p').textContent, muted: box.querySelector('p').className === 'muted' }));
  })`);
  assert.deepEqual(note, { text: 'Metrics unavailable: boom', muted: true });
  assert.deepEqual(page.problems, []);
});
