// The web console in a real browser (headless Chromium over the DevTools Protocol) against a real
// server: the Functions page, Invoke with its log tail, Promote, the APIs page, the Logs view with
// markup in a log line kept as text, and no page exception or console error along the way; then the
// DEV→PROD workflow a user follows (publish, dev, a canary on prod, promote, a confirmed rollback),
// AWS's errors shown, accessible names, empty states and a phone-width layout.
// STAGECRAFT_CONSOLE_SHOTS=<dir> saves a screenshot of each page it checks there, to look at.
// Skips when Chromium is not installed, unless STAGECRAFT_REQUIRE_BROWSER=1 (CI sets it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  CreateAliasCommand, DeleteFunctionCommand, GetAliasCommand, PublishVersionCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { CreateDeploymentCommand, CreateRestApiCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import {
  CreateApiCommand, CreateDeploymentCommand as CreateHttpDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand,
  GetStageCommand as GetHttpStageCommand, GetTagsCommand as GetHttpTagsCommand,
} from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction, putMockGet } from '../src/testing/functions.js';
import { nodeHandlerZip } from '../src/testing/zip.js';
import type { Page } from '../src/testing/browser.js';
import { actionOutcome, browserSkip, clickPreview, previewText, submitForm, useConsolePage } from '../src/testing/console-page.js';

// The page's globals, for the functions run in it (this file is compiled without the DOM library).
declare const document: any;
declare const window: any;

const skip = browserSkip;

const FN = 'console-browser';
const FLOW = 'console-browser-flow';
const REST = 'console-browser-rest';
const shots = process.env.STAGECRAFT_CONSOLE_SHOTS;
const MARKUP = '<img src=x onerror=window.__markupRan=1>';
const handler = (word: string) => `exports.handler = async (event) => {
  console.log('${word} says', event.n);
  console.log(${JSON.stringify(MARKUP)});
  return { word: '${word}', n: event.n };
};\n`;

const env = useServer();
let page: Page;
let restApiId: string;

env.setup(async () => {
  await createNodeFunction(env.lambda, FN, handler('one'));
  await env.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: FN, ZipFile: await nodeHandlerZip(handler('two')) }));
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: FN });
  await env.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: FN, Name: 'dev', FunctionVersion: '2' }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: FN, Name: 'prod', FunctionVersion: '1' }));

  // The workflow's function: version 1 behind dev and prod, and a changed $LATEST to publish.
  await createNodeFunction(env.lambda, FLOW, handler('first'));
  await env.lambda.send(new PublishVersionCommand({ FunctionName: FLOW }));
  for (const Name of ['dev', 'prod']) await env.lambda.send(new CreateAliasCommand({ FunctionName: FLOW, Name, FunctionVersion: '1' }));
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: FLOW, ZipFile: await nodeHandlerZip(handler('second')) }));
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: FLOW });

  const rest = await env.apigw.send(new CreateRestApiCommand({ name: REST }));
  restApiId = rest.id!;
  await putMockGet(env.apigw, rest.id!, 'hello');
  for (const stageName of ['dev', 'prod']) await env.apigw.send(new CreateDeploymentCommand({ restApiId: rest.id!, stageName, variables: { color: stageName } }));
  const http = await env.apigwv2.send(new CreateApiCommand({ Name: 'console-browser-http', ProtocolType: 'HTTP' }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: http.ApiId!, StageName: '$default', AutoDeploy: true }));
});

useConsolePage((p) => { page = p; });

const waitForPreview = (name: string, legend: string) => previewText(page, name, legend);

test('the console in a real browser: functions, invoke, promote, APIs, logs', { skip, timeout: 60_000 }, async () => {
  await page.goto(`${env.url}/_stagecraft/console/`);

  // Functions: the function with its aliases (alias name, then its traffic).
  const aliases = await page.waitFor('the function card with its aliases', (name: string) => {
    const section = window.consoleTest.card(name);
    const rows = [...(section?.querySelectorAll('table')[0]?.querySelectorAll('tbody tr') ?? [])];
    return rows.length ? rows.map((r: any) => [r.cells[0].textContent, r.cells[1].textContent]) : undefined;
  }, [FN]);
  assert.deepEqual(aliases.map(([alias]) => alias).sort(), ['dev', 'prod']);
  assert.match(aliases.find(([alias]) => alias === 'prod')![1], /\b1\b/);

  // Invoke dev: the result and the log tail, markup in the tail shown as text.
  assert.ok(await page.call(submitForm, FN, 'Invoke', [['select', 'dev'], ['textarea', '{"n": 7}']]));
  const invoked = await page.waitFor('the invoke result', (name: string, legend: string) => {
    const box = window.consoleTest.fieldset(name, legend);
    const pres = [...(box?.querySelectorAll('.result pre') ?? [])].map((p: any) => p.textContent);
    return pres.length === 2 ? { status: box.querySelector('.result div').textContent, result: pres[0], tail: pres[1] } : undefined;
  }, [FN, 'Invoke']);
  assert.match(invoked.status, /Executed version 2 · status 200/);
  assert.deepEqual(JSON.parse(invoked.result), { word: 'two', n: 7 });
  assert.match(invoked.tail, /two says 7/);
  assert.ok(invoked.tail.includes(MARKUP), invoked.tail);

  // Promote dev → prod (the form's defaults): first a preview, and prod moves only once it is confirmed.
  assert.ok(await page.call(submitForm, FN, 'Promote', []));
  const preview = await waitForPreview(FN, 'Promote');
  assert.match(preview, new RegExp(`Would point ${FN}:prod → version 2 \\(now version 1\\)`));
  assert.match(preview, /Configuration, version 1 → version 2/);
  assert.match(preview, /CodeSha256/);
  await shot('function-preview');
  assert.equal((await env.lambda.send(new GetAliasCommand({ FunctionName: FN, Name: 'prod' }))).FunctionVersion, '1', 'the preview changed nothing');
  assert.ok(await page.call(clickPreview, FN, 'Promote', 'preview-confirm'));
  const notice = await page.waitFor('the promotion notice', () => {
    const box = document.getElementById('notice');
    return !box.hidden && box.textContent;
  }, []);
  assert.match(notice, new RegExp(`${FN}:prod now runs`));
  const prod = await env.lambda.send(new GetAliasCommand({ FunctionName: FN, Name: 'prod' }));
  assert.equal(prod.FunctionVersion, '2');
  assert.equal(prod.RoutingConfig?.AdditionalVersionWeights, undefined);
  // The page reloaded with prod's new traffic.
  await page.waitFor('prod shown on version 2', (name: string) => {
    const section = window.consoleTest.card(name);
    const row = [...(section?.querySelectorAll('table')[0]?.querySelectorAll('tbody tr') ?? [])].find((r: any) => r.cells[0].textContent === 'prod');
    return row && /\b2\b/.test(row.cells[1].textContent);
  }, [FN]);

  // Logs: the function's panel shows the invocation's lines; the markup line stays text.
  assert.ok(await page.call((name: string) => {
    const section = window.consoleTest.card(name);
    const summary = [...(section?.querySelectorAll('details.logs > summary') ?? [])].find((s: any) => s.textContent === 'Logs');
    summary?.click();
    return Boolean(summary);
  }, FN));
  const lines = await page.waitFor('the invocation in the Logs view', (name: string) => {
    const section = window.consoleTest.card(name);
    const shown = [...(section?.querySelectorAll('details.logs .log-line') ?? [])].map((l: any) => l.textContent);
    return shown.some((l: string) => l.includes('two says 7')) && shown;
  }, [FN], 15_000);
  assert.ok(lines.some((l: string) => l.includes(MARKUP)), lines.join('\n'));
  assert.deepEqual(await page.evaluate(`[document.querySelectorAll('img').length, window.__markupRan ?? null]`), [0, null]);

  // APIs: the REST API with its stages, the HTTP API.
  await page.evaluate(`window.location.hash = '#apis'`);
  const apis = await page.waitFor('the APIs page', (rest: string, http: string) => {
    const restCard = window.consoleTest.card(rest);
    const httpCard = window.consoleTest.card(http);
    if (!restCard || !httpCard) return undefined;
    const stagesOf = (c: any) => [...c.querySelectorAll('table')].find((t: any) => t.querySelector('th')?.textContent === 'Stage');
    return {
      restStages: [...(stagesOf(restCard)?.querySelectorAll('tbody tr') ?? [])].map((r: any) => r.cells[0].firstChild.textContent),
      httpStages: [...(stagesOf(httpCard)?.querySelectorAll('tbody tr') ?? [])].map((r: any) => r.cells[0].firstChild.textContent),
      httpBadge: httpCard.querySelector('.badge')?.textContent,
    };
  }, ['console-browser-rest', 'console-browser-http']);
  assert.deepEqual(apis.restStages.sort(), ['dev', 'prod']);
  assert.deepEqual(apis.httpStages, ['$default']);
  assert.equal(apis.httpBadge, 'HTTP');

  assert.deepEqual(page.problems, []);
  // The only failed request is the one the console expects: GetPolicy's 404 (no grants yet).
  const unexpected = page.failedRequests.filter((url) => !/\/2015-03-31\/functions\/[^/]+\/policy\b/.test(url));
  assert.deepEqual(unexpected, []);
});

const outcome = () => actionOutcome(page);

/** Submits a form of a card (the workflow function's by default) and waits for the notice (an error shown instead fails). */
async function action(legend: string, values: [string, string][], card = FLOW): Promise<string> {
  assert.ok(await page.call(submitForm, card, legend, values), `no ${legend} form`);
  // Promotions show what they would change first and act once confirmed.
  if (legend.startsWith('Promote') && legend !== 'Promote canary') {
    const shown = await page.waitFor(`the ${legend} preview or an error`, (n: string, l: string) => {
      if (document.getElementById('main').hasAttribute('aria-busy')) return undefined;
      const error = document.getElementById('error');
      return window.consoleTest.fieldset(n, l)?.querySelector('.preview') ? 'preview' : !error.hidden && 'error';
    }, [card, legend]);
    if (shown === 'preview') assert.ok(await page.call(clickPreview, card, legend, 'preview-confirm'), `${legend}: nothing to confirm`);
  }
  const out = await outcome();
  assert.equal(out.error, '', `${legend}: ${out.error}`);
  return out.notice;
}

async function aliasOf(Name: string): Promise<{ version?: string; weights?: Record<string, number> }> {
  const a = await env.lambda.send(new GetAliasCommand({ FunctionName: FLOW, Name }));
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights };
}

async function shot(name: string): Promise<void> {
  if (shots) await page.screenshot(join(shots, `${name}.png`));
}

/** Controls on the page without an accessible name, and buttons without text. */
function unnamedControls(): string[] {
  const named = (c: any) => c.getAttribute('aria-label') || c.closest('label') || (c.id && document.querySelector(`label[for="${c.id}"]`));
  return [
    ...[...document.querySelectorAll('main input, main select, main textarea, header select')].filter((c: any) => !named(c)).map((c: any) => c.outerHTML.slice(0, 80)),
    ...[...document.querySelectorAll('button')].filter((b: any) => !b.textContent.trim()).map((b: any) => b.outerHTML.slice(0, 80)),
  ];
}

test('the DEV→PROD workflow in the browser: publish, canary, promote, confirmed rollback, errors, layout', { skip, timeout: 90_000 }, async () => {
  page.problems.length = 0;
  page.failedRequests.length = 0;
  await page.goto(`${env.url}/_stagecraft/console/`);
  await page.waitFor('the workflow function', (name: string) => window.consoleTest.fieldset(name, 'Promote'), [FLOW]);
  await shot('functions');
  assert.deepEqual(await page.call(unnamedControls), []);

  // Publish $LATEST: version 2; again with nothing changed, AWS answers version 2 again and the page says so.
  assert.match(await action('Publish $LATEST', [['input', 'second']]), new RegExp(`Published ${FLOW} version 2\\.`));
  assert.match(await action('Publish $LATEST', []), /Nothing to publish: \$LATEST has not changed since version 2/);

  // dev → version 2; a 10% canary of dev on prod; then the full promotion.
  assert.match(await action('Promote', [['select', '2'], ['input[type=text]', 'dev']]), /:dev now runs version 2 \(was version 1\)/);
  assert.deepEqual(await aliasOf('dev'), { version: '2', weights: undefined });
  assert.match(await action('Promote', [['select', 'dev'], ['input[type=text]', 'prod'], ['input.short', '10%']]), /:prod now runs 90% version 1, 10% version 2 \(was version 1\)/);
  assert.deepEqual(await aliasOf('prod'), { version: '1', weights: { 2: 0.1 } });
  await shot('canary');
  assert.match(await action('Promote', [['select', 'dev'], ['input[type=text]', 'prod']]), /:prod now runs version 2 \(was 90% version 1, 10% version 2\)/);
  assert.deepEqual(await aliasOf('prod'), { version: '2', weights: undefined });
  // The reload kept the keyboard's place: the focus is on the reloaded card's Promote button.
  assert.equal(await page.call((name: string) => document.activeElement === window.consoleTest.fieldset(name, 'Promote')?.querySelector('button'), FLOW), true);

  // Roll back asks first: Cancel changes nothing, OK moves prod back to version 1.
  page.acceptDialogs = false;
  assert.ok(await page.call(submitForm, FLOW, 'Roll back', [['select', 'prod']]));
  assert.deepEqual(page.dialogs, [`Roll back ${FLOW}:prod to version 1? All of its traffic (now 100% → 2) moves there.`]);
  assert.equal(await page.evaluate(`document.getElementById('notice').hidden && document.getElementById('error').hidden`), true);
  assert.deepEqual(await aliasOf('prod'), { version: '2', weights: undefined });
  page.acceptDialogs = true;
  assert.match(await action('Roll back', [['select', 'prod']]), new RegExp(`Rolled back ${FLOW}:prod → version 1 \\(was version 2\\)`));
  assert.equal(page.dialogs.length, 2);
  assert.deepEqual(await aliasOf('prod'), { version: '1', weights: undefined });

  // Pointing an alias at a version that is gone (deleted since the page loaded) shows AWS's error.
  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: FLOW, Description: 'three' }));
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: FLOW });
  await env.lambda.send(new PublishVersionCommand({ FunctionName: FLOW }));
  await page.evaluate(`document.getElementById('reload').click()`);
  await page.waitFor('version 3 offered', (name: string) => [...(window.consoleTest.fieldset(name, 'Promote')?.querySelectorAll('option') ?? [])].some((o: any) => o.value === '3'), [FLOW]);
  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: FLOW, Qualifier: '3' }));
  assert.ok(await page.call(submitForm, FLOW, 'Promote', [['select', '3'], ['input[type=text]', 'dev']]));
  const missing = await outcome();
  assert.equal(missing.notice, '');
  assert.match(missing.error, new RegExp(`^ResourceNotFoundException: .*${FLOW}`));
  assert.deepEqual(await aliasOf('dev'), { version: '2', weights: undefined });
  // The page reloaded without the deleted version, the error still shown.
  assert.equal(await page.call((name: string) => [...window.consoleTest.fieldset(name, 'Promote').querySelectorAll('option')].some((o: any) => o.value === '3'), FLOW), false);
  assert.equal(await page.evaluate(`document.getElementById('error').textContent`), missing.error);

  // Invoke prod, then "Show its logs": the Logs view filtered on that request.
  assert.ok(await page.call(submitForm, FLOW, 'Invoke', [['select', 'prod'], ['textarea', '{"n": 3}']]));
  const requestId = await page.waitFor('the request ID', (name: string) => /request (\S+)/.exec(window.consoleTest.fieldset(name, 'Invoke')?.querySelector('.result div')?.textContent ?? '')?.[1], [FLOW]);
  assert.ok(await page.call((name: string) => {
    const button = [...window.consoleTest.fieldset(name, 'Invoke').querySelectorAll('button')].find((b: any) => b.textContent === 'Show its logs');
    button?.click();
    return Boolean(button);
  }, FLOW));
  const logLines = await page.waitFor('the invocation’s log lines', (name: string) => {
    const shown = [...(window.consoleTest.card(name)?.querySelectorAll('details.logs[open] .log-line') ?? [])].map((l: any) => l.textContent);
    return shown.some((l: string) => l.includes('REPORT')) && shown;
  }, [FLOW], 15_000);
  assert.ok(logLines.every((l: string) => l.includes(requestId)), logLines.join('\n'));
  assert.ok(logLines.some((l: string) => l.includes('first says 3')), logLines.join('\n'));
  await shot('invoke-logs');

  // APIs: a stage list without a canary says how to start one rather than offering an empty choice.
  await page.evaluate(`window.location.hash = '#apis'`);
  const canaryBox = await page.waitFor('the Canary box', () => window.consoleTest.fieldset('console-browser-rest', 'Canary')?.textContent, []);
  assert.match(canaryBox, /No stage has a canary\. Deploy with a canary share to start one\./);
  assert.deepEqual(await page.call(unnamedControls), []);
  // Promote stage dev → prod: a preview first (same routes, prod's variables kept), then prod serves dev's deployment and keeps its own variables.
  const devStage = await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
  const prodBefore = (await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).deploymentId!;
  assert.ok(await page.call(submitForm, REST, 'Promote stage', [['select', 'dev'], ['input', 'prod']]));
  const stagePreview = await waitForPreview(REST, 'Promote stage');
  assert.match(stagePreview, new RegExp(`Would point stage prod → deployment ${devStage.deploymentId} \\(created [^)]+\\) \\(now ${prodBefore} \\(created [^)]+\\)\\)`));
  assert.match(stagePreview, /No differences in routes or integrations\./);
  assert.match(stagePreview, /Stage variables: prod keeps its own/);
  await shot('stage-preview');
  assert.ok(await page.call(clickPreview, REST, 'Promote stage', 'preview-cancel'));
  assert.equal(await page.call((n: string) => Boolean(window.consoleTest.fieldset(n, 'Promote stage').querySelector('.preview')), REST), false, 'Cancel closes the preview');
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).deploymentId, prodBefore, 'nothing moved');
  assert.match(await action('Promote stage', [['select', 'dev'], ['input', 'prod']], REST), new RegExp(`Stage prod now serves deployment ${devStage.deploymentId} \\(was \\w+\\), as dev does\\.`));
  const prodStage = await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'prod' }));
  assert.equal(prodStage.deploymentId, devStage.deploymentId);
  assert.deepEqual(prodStage.variables, { color: 'prod' });
  // A canary on prod; removing it asks first (Cancel keeps it).
  assert.match(await action('Deploy', [['input', 'prod'], ['input.short', '10%']], REST), /as a canary on stage prod: deployment \w+ takes 10% of its traffic/);
  page.acceptDialogs = false;
  assert.ok(await page.call((name: string) => {
    const button = [...(window.consoleTest.fieldset(name, 'Canary')?.querySelectorAll('button') ?? [])].find((b: any) => b.textContent === 'Remove canary');
    button?.click();
    return Boolean(button);
  }, REST));
  assert.equal(page.dialogs.at(-1), 'Remove the canary of stage prod? Its traffic goes back to the stage\'s own deployment.');
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).canarySettings?.percentTraffic, 10);
  page.acceptDialogs = true;
  // Roll back stage prod: first it cancels the running canary, then it returns prod to the deployment it served before the promotion.
  assert.match(await action('Roll back stage', [['select', 'prod']], REST), new RegExp(`Cancelled the canary of stage prod: all traffic on deployment ${devStage.deploymentId}\\.`));
  assert.equal(page.dialogs.at(-1), `Cancel the canary of stage prod? All of its traffic goes back to deployment ${devStage.deploymentId}.`);
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).canarySettings, undefined);
  assert.match(await action('Roll back stage', [['select', 'prod']], REST), new RegExp(`Rolled back stage prod → deployment ${prodBefore} \\(was ${devStage.deploymentId}\\)\\.`));
  assert.equal(page.dialogs.at(-1), `Roll back stage prod to deployment ${prodBefore}? All of its traffic (now on ${devStage.deploymentId}) moves there.`);
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).deploymentId, prodBefore);

  // A phone-width screen: nothing makes the page wider than the screen (wide tables scroll in their box).
  await page.setViewport(390, 844);
  await page.waitFor('the APIs page at 390px', () => window.consoleTest.card('console-browser-rest'), []);
  await shot('apis-390');
  assert.equal(await page.evaluate('document.documentElement.scrollWidth'), 390);
  await page.evaluate(`window.location.hash = '#functions'`);
  await page.waitFor('the Functions page at 390px', (name: string) => window.consoleTest.card(name)?.querySelector('table'), [FLOW]);
  await shot('functions-390');
  assert.equal(await page.evaluate('document.documentElement.scrollWidth'), 390);

  // A region with no functions says how to make one.
  await page.evaluate(`(() => { const r = document.getElementById('region'); r.value = 'eu-west-2'; r.dispatchEvent(new Event('change')); })()`);
  const empty = await page.waitFor('the empty Functions page', () => /No functions in this region yet/.test(document.getElementById('main').textContent) && document.getElementById('main').textContent, []);
  assert.match(empty, /stagecraft deploy/);
  assert.match(empty, new RegExp(`aws --endpoint-url ${env.url} --region eu-west-2 \\\\\n  lambda create-function`));
  await shot('empty-390');
  await page.evaluate(`window.localStorage.removeItem('stagecraft.region')`);
  await page.setViewport(1280, 800);

  assert.deepEqual(page.problems, []);
  const unexpected = page.failedRequests.filter((url) => !/\/2015-03-31\/functions\/[^/]+\/policy\b/.test(url) && !/\/functions\/[^/]+\/configuration\?Qualifier=3$/.test(url));
  assert.deepEqual(unexpected, []);
});

test('HTTP API stages in the browser: promote with a route preview, roll back, automatic deployment refused', { skip, timeout: 60_000 }, async () => {
  page.problems.length = 0;
  page.failedRequests.length = 0;
  page.acceptDialogs = true;
  const name = 'console-browser-stages';
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }));
  const ApiId = api.ApiId!;
  const integration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: 'http://127.0.0.1:9/', PayloadFormatVersion: '1.0' }));
  await env.apigwv2.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /a', Target: `integrations/${integration.IntegrationId}` }));
  const h1 = (await env.apigwv2.send(new CreateHttpDeploymentCommand({ ApiId, Description: 'first' }))).DeploymentId!;
  await env.apigwv2.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /b', Target: `integrations/${integration.IntegrationId}` }));
  const h2 = (await env.apigwv2.send(new CreateHttpDeploymentCommand({ ApiId, Description: 'second' }))).DeploymentId!;
  await env.apigwv2.send(new CreateStageCommand({ ApiId, StageName: 'dev', DeploymentId: h2 }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId, StageName: 'prod', DeploymentId: h1 }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId, StageName: 'auto', AutoDeploy: true }));
  const prod = async () => (await env.apigwv2.send(new GetHttpStageCommand({ ApiId, StageName: 'prod' }))).DeploymentId;

  await page.goto(`${env.url}/_stagecraft/console/index.html`); // a new document (the last test left this one's URL with only a hash)
  await page.evaluate(`window.location.hash = '#apis'`);
  await page.waitFor('the HTTP API card with its stage actions', (n: string) => window.consoleTest.fieldset(n, 'Promote stage'), [name]);
  assert.deepEqual(await page.call(unnamedControls), []);

  assert.ok(await page.call(submitForm, name, 'Promote stage', [['select', 'dev'], ['input', 'prod']]));
  const preview = await waitForPreview(name, 'Promote stage');
  assert.match(preview, new RegExp(`Would point stage prod → deployment ${h2} \\("second", created [^)]+\\) \\(now ${h1} \\("first", created [^)]+\\)\\)`));
  assert.match(preview, /\+ GET \/b → http_proxy GET http:\/\/127\.0\.0\.1:9\//);
  assert.match(preview, /1 other route\(s\) unchanged/);
  assert.equal(await prod(), h1, 'the preview changed nothing');
  await shot('http-stage-preview');
  assert.ok(await page.call(clickPreview, name, 'Promote stage', 'preview-confirm'));
  assert.match((await outcome()).notice, new RegExp(`Stage prod now serves deployment ${h2} \\(was ${h1}\\), as dev does\\.`));
  assert.equal(await prod(), h2);

  // The same history as `stagecraft rollback --api`: the stage's tag, which the CLI reads too.
  const tags = await env.apigwv2.send(new GetHttpTagsCommand({ ResourceArn: `arn:aws:apigateway:us-east-1::/apis/${ApiId}/stages/prod` }));
  assert.equal(tags.Tags?.['stagecraft:previous'], h1);
  assert.match(await action('Roll back stage', [['select', 'prod']], name), new RegExp(`Rolled back stage prod → deployment ${h1} \\(was ${h2}\\)\\.`));
  assert.equal(page.dialogs.at(-1), `Roll back stage prod to deployment ${h1}? All of its traffic (now on ${h2}) moves there.`);
  assert.equal(await prod(), h1);

  // A stage with automatic deployment is refused both ways, with the CLI's reasons.
  assert.ok(await page.call(submitForm, name, 'Promote stage', [['select', 'dev'], ['input', 'auto']]));
  assert.match((await outcome()).error, /^BadRequestException: stage auto has automatic deployment on: it follows every change to the API, so it can't be pointed at a deployment/);
  assert.ok(await page.call(submitForm, name, 'Roll back stage', [['select', 'auto']]));
  assert.match((await outcome()).error, /^BadRequestException: stage auto has automatic deployment on: it serves the API's latest state and can't be pointed back/);
  assert.equal(await prod(), h1);

  assert.deepEqual(page.problems, []);
  assert.deepEqual(page.failedRequests.filter((url) => !/\/2015-03-31\/functions\/[^/]+\/policy\b/.test(url)), []);
});
