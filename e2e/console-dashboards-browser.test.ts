// The console's Dashboards page in a real browser (headless Chromium) against a real server: a
// dashboard put through the SDK with a text widget and a metric widget on a function's invocations
// is listed, its text shown and its metric drawn with the count the SDK's invocations made. Skips
// when Chromium is not installed, unless STAGECRAFT_REQUIRE_BROWSER=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PutDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import type { Page } from '../src/testing/browser.js';
import { browserSkip, useConsolePage } from '../src/testing/console-page.js';
import { unique } from '../src/cli/testing.js';

declare const document: any;

const FN = unique('console-dash-fn');
const env = useServer();
let page: Page;
useConsolePage((p) => { page = p; });

test('a dashboard is listed; its text and its metric widget (the function\'s invocations) are shown', { skip: browserSkip, timeout: 60_000 }, async () => {
  await createNodeFunction(env.lambda, FN, "exports.handler = async () => 'ok';\n");
  for (let i = 0; i < 3; i++) await env.lambda.send(new InvokeCommand({ FunctionName: FN }));
  await cloudWatchClient(env.url).send(new PutDashboardCommand({
    DashboardName: 'console-board',
    DashboardBody: JSON.stringify({ widgets: [
      { type: 'text', x: 0, y: 0, width: 6, height: 2, properties: { markdown: '# Release notes' } },
      { type: 'metric', x: 0, y: 2, properties: { title: 'Calls', region: 'us-east-1', stat: 'Sum', metrics: [['AWS/Lambda', 'Invocations', 'FunctionName', FN]] } },
    ] }),
  }));
  await page.goto(`${env.url}/_stagecraft/console/#dashboards`);
  const label = await page.waitFor('the metric widget drawn', () => document.querySelector('.dashboard-widget[data-type=metric] svg.sparkline')?.getAttribute('aria-label'), []);
  assert.equal(label, `Calls: Invocations ${FN}: 3`);
  assert.equal(await page.evaluate("document.querySelector('.dashboard-widget[data-type=text] pre').textContent"), '# Release notes');
  assert.match(await page.evaluate<string>("document.querySelector('main table').textContent"), /console-board/);
});
