// A WebSocket API's stages in the web console, in a real browser (headless Chromium) against a real
// server: Promote stage first shows the routes added, removed and changed between the deployments
// (Cancel moves nothing), then promotes once confirmed; Roll back stage asks first and returns the
// stage, with the history the CLI reads; a stage with automatic deployment is refused both ways.
// Skips when Chromium is not installed, unless STAGECRAFT_REQUIRE_BROWSER=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GetStageCommand, GetTagsCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import type { Page } from '../src/testing/browser.js';
import { actionOutcome, browserSkip, clickPreview, previewText, submitForm, useConsolePage } from '../src/testing/console-page.js';
import { BACKEND, createWebSocketStages, type WebSocketStages } from '../src/testing/websocket-stages.js';
import { runCli, unique } from '../src/cli/testing.js';

declare const window: any;

const skip = browserSkip;
const env = useServer();
const NAME = unique('console-ws');
let ws: WebSocketStages;
let page: Page;

env.setup(async () => {
  ws = await createWebSocketStages(env.apigwv2, NAME);
});

useConsolePage((p) => { page = p; });

async function shot(name: string): Promise<void> {
  if (process.env.STAGECRAFT_CONSOLE_SHOTS) await page.screenshot(join(process.env.STAGECRAFT_CONSOLE_SHOTS, `${name}.png`));
}

const prod = async () => (await env.apigwv2.send(new GetStageCommand({ ApiId: ws.apiId, StageName: 'prod' }))).DeploymentId;
const history = async () => (await env.apigwv2.send(new GetTagsCommand({ ResourceArn: `arn:aws:apigateway:us-east-1::/apis/${ws.apiId}/stages/prod` }))).Tags?.['stagecraft:previous'];

test('a WebSocket stage is promoted after its route preview and rolled back, as the CLI does it', { skip, timeout: 60_000 }, async () => {
  await page.goto(`${env.url}/_stagecraft/console/#apis`);
  await page.waitFor('the WebSocket API card with its stage actions', (n: string) => window.consoleTest.fieldset(n, 'Promote stage'), [NAME]);
  assert.equal(await page.call((n: string) => window.consoleTest.fieldset(n, 'Promote stage').querySelector('input.short'), NAME), null, 'no canary share: WebSocket APIs have no canaries');

  // The preview lists what prod would serve differently; Cancel moves nothing.
  assert.ok(await page.call(submitForm, NAME, 'Promote stage', [['select', 'dev'], ['input', 'prod']]));
  const preview = await previewText(page, NAME, 'Promote stage');
  assert.match(preview, new RegExp(`Would point stage prod → deployment ${ws.two} \\("two", created [^)]+\\) \\(now ${ws.one} \\("one", created [^)]+\\)\\)`));
  assert.match(preview, new RegExp(`Routes, deployment ${ws.one} → deployment ${ws.two}`));
  assert.match(preview, new RegExp(`\\+ join → http_proxy POST ${BACKEND}/join`));
  assert.match(preview, new RegExp(`- sendMessage → http_proxy POST ${BACKEND}/send`));
  assert.match(preview, /~ \$connect \(apiKeyRequired\)/);
  assert.match(preview, /1 other route\(s\) unchanged/);
  assert.match(preview, /Stage variables: prod keeps its own/);
  await shot('websocket-stage-preview');
  assert.ok(await page.call(clickPreview, NAME, 'Promote stage', 'preview-cancel'));
  assert.equal(await prod(), ws.one, 'a preview and Cancel move nothing');

  // Confirmed: prod serves dev's deployment, and the one before is recorded as the CLI records it.
  assert.ok(await page.call(submitForm, NAME, 'Promote stage', [['select', 'dev'], ['input', 'prod']]));
  await previewText(page, NAME, 'Promote stage');
  assert.ok(await page.call(clickPreview, NAME, 'Promote stage', 'preview-confirm'));
  const promoted = await actionOutcome(page);
  assert.equal(promoted.error, '');
  assert.equal(promoted.notice, `Stage prod now serves deployment ${ws.two} (was ${ws.one}), as dev does.`);
  assert.equal(await prod(), ws.two);
  assert.equal(await history(), ws.one);

  // Roll back stage asks first (Cancel: nothing moves), then returns prod.
  page.acceptDialogs = false;
  assert.ok(await page.call(submitForm, NAME, 'Roll back stage', [['select', 'prod']]));
  assert.equal(page.dialogs.at(-1), `Roll back stage prod to deployment ${ws.one}? All of its traffic (now on ${ws.two}) moves there.`);
  assert.equal(await prod(), ws.two);
  page.acceptDialogs = true;
  assert.ok(await page.call(submitForm, NAME, 'Roll back stage', [['select', 'prod']]));
  assert.equal((await actionOutcome(page)).notice, `Rolled back stage prod → deployment ${ws.one} (was ${ws.two}).`);
  assert.equal(await prod(), ws.one);
  assert.equal(await history(), undefined);

  // A stage with automatic deployment is refused both ways, with the CLI's reasons.
  assert.ok(await page.call(submitForm, NAME, 'Promote stage', [['select', 'dev'], ['input', 'auto']]));
  assert.match((await actionOutcome(page)).error, /^BadRequestException: stage auto has automatic deployment on: it follows every change to the API/);
  assert.ok(await page.call(submitForm, NAME, 'Roll back stage', [['select', 'auto']]));
  assert.match((await actionOutcome(page)).error, /^BadRequestException: stage auto has automatic deployment on: it serves the API's latest state/);

  // What the console promoted, the CLI rolls back (and the other way round).
  assert.equal((await runCli(['promote', '--api', NAME, '--from', 'dev', '--to', 'prod'], { endpoint: env.url })).code, 0);
  await page.goto(`${env.url}/_stagecraft/console/index.html#apis`); // a new document, reading prod's new history
  await page.waitFor('the reloaded card', (n: string) => window.consoleTest.fieldset(n, 'Roll back stage'), [NAME]);
  assert.ok(await page.call(submitForm, NAME, 'Roll back stage', [['select', 'prod']]));
  assert.equal((await actionOutcome(page)).notice, `Rolled back stage prod → deployment ${ws.one} (was ${ws.two}).`);
  assert.equal(await prod(), ws.one);

  assert.deepEqual(page.problems, []);
  assert.deepEqual(page.failedRequests, []);
});
