// The web console in a real browser (headless Chromium over the DevTools Protocol) against a real
// server: the Functions page, Invoke with its log tail, Promote, the APIs page, the Logs view with
// markup in a log line kept as text, and no page exception or console error along the way.
// Skips when Chromium is not installed, unless STAGECRAFT_REQUIRE_BROWSER=1 (CI sets it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateAliasCommand, GetAliasCommand, PublishVersionCommand, UpdateFunctionCodeCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { CreateDeploymentCommand, CreateRestApiCommand } from '@aws-sdk/client-api-gateway';
import { CreateApiCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction, putMockGet } from '../src/testing/functions.js';
import { nodeHandlerZip } from '../src/testing/zip.js';
import { Browser, findChromium, type Page } from '../src/testing/browser.js';

// The page's globals, for the functions run in it (this file is compiled without the DOM library).
declare const document: any;
declare const window: any;

const chromium = findChromium();
if (!chromium && process.env.STAGECRAFT_REQUIRE_BROWSER === '1') throw new Error('STAGECRAFT_REQUIRE_BROWSER=1 but chromium is not installed (apt-get install chromium)');
const skip = chromium ? false : 'chromium is not installed (apt-get install chromium); set STAGECRAFT_REQUIRE_BROWSER=1 to fail instead';

const FN = 'console-browser';
const MARKUP = '<img src=x onerror=window.__markupRan=1>';
const handler = (word: string) => `exports.handler = async (event) => {
  console.log('${word} says', event.n);
  console.log(${JSON.stringify(MARKUP)});
  return { word: '${word}', n: event.n };
};\n`;

const env = useServer();
let browser: Browser | undefined;
let page: Page;

env.setup(async () => {
  await createNodeFunction(env.lambda, FN, handler('one'));
  await env.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: FN, ZipFile: await nodeHandlerZip(handler('two')) }));
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: FN });
  await env.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: FN, Name: 'dev', FunctionVersion: '2' }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: FN, Name: 'prod', FunctionVersion: '1' }));

  const rest = await env.apigw.send(new CreateRestApiCommand({ name: 'console-browser-rest' }));
  await putMockGet(env.apigw, rest.id!, 'hello');
  for (const stageName of ['dev', 'prod']) await env.apigw.send(new CreateDeploymentCommand({ restApiId: rest.id!, stageName }));
  const http = await env.apigwv2.send(new CreateApiCommand({ Name: 'console-browser-http', ProtocolType: 'HTTP' }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: http.ApiId!, StageName: '$default', AutoDeploy: true }));
});

before(async () => {
  if (!chromium) return;
  browser = await Browser.launch(chromium);
  page = await browser.newPage();
  await page.addInitScript(installFinders);
});

after(async () => {
  await browser?.close();
});

/** Finders the functions below run in the page share: a card by its title, a fieldset of a card by its legend. */
function installFinders(): void {
  const card = (name: string) => [...document.querySelectorAll('section.card')].find((s: any) => s.querySelector('h2')?.firstChild?.textContent === name);
  const fieldset = (name: string, legend: string) => [...(card(name)?.querySelectorAll('fieldset') ?? [])].find((f: any) => f.querySelector('legend')?.textContent === legend);
  window.consoleTest = { card, fieldset };
}

/** In `name`'s card fieldset `legend`: sets each [selector, value] control, then submits with the button. */
function submitForm(name: string, legend: string, values: [string, string][]): boolean {
  const box = window.consoleTest.fieldset(name, legend);
  if (!box) return false;
  for (const [selector, value] of values) {
    const control = box.querySelector(selector);
    control.value = value;
    control.dispatchEvent(new window.Event('input', { bubbles: true }));
    control.dispatchEvent(new window.Event('change', { bubbles: true }));
  }
  box.querySelector('button[type=submit]').click();
  return true;
}

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

  // Promote dev → prod (the form's defaults), then prod serves version 2 as GetAlias says.
  assert.ok(await page.call(submitForm, FN, 'Promote', []));
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
