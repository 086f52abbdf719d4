// The function card's Roll back to version (`stagecraft rollback --alias A --to V`) in a real
// browser (headless Chromium) against a real server: a version picked from the list is previewed
// first (the move and the configuration diff; Cancel moves nothing), then, confirmed, the alias
// goes there and the move is recorded as the CLI records it, so `stagecraft rollback` returns.
// Skips when Chromium is not installed, unless STAGECRAFT_REQUIRE_BROWSER=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  CreateAliasCommand, DeleteFunctionCommand, GetAliasCommand, ListTagsCommand, PublishVersionCommand, UpdateFunctionCodeCommand, waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { nodeHandlerZip } from '../src/testing/zip.js';
import type { Page } from '../src/testing/browser.js';
import { actionOutcome, browserSkip, clickPreview, previewText, submitForm, useConsolePage } from '../src/testing/console-page.js';
import { runCli, unique } from '../src/cli/testing.js';

declare const window: any;

const skip = browserSkip;
const env = useServer();
const FN = unique('rollback-to');
let page: Page;

env.setup(async () => {
  // Versions 1, 2 and 3, each with its own code; prod on 3.
  await createNodeFunction(env.lambda, FN, 'exports.handler = async () => 1;\n');
  for (const n of [1, 2, 3]) {
    if (n > 1) {
      await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: FN, ZipFile: await nodeHandlerZip(`exports.handler = async () => ${n};\n`) }));
      await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: FN });
    }
    await env.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
  }
  await env.lambda.send(new CreateAliasCommand({ FunctionName: FN, Name: 'prod', FunctionVersion: '3' }));
});

useConsolePage((p) => { page = p; });

async function shot(name: string): Promise<void> {
  if (process.env.STAGECRAFT_CONSOLE_SHOTS) await page.screenshot(join(process.env.STAGECRAFT_CONSOLE_SHOTS, `${name}.png`));
}

const prod = async () => {
  const a = await env.lambda.send(new GetAliasCommand({ FunctionName: FN, Name: 'prod' }));
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {} };
};

test('Roll back to version previews the move, then rolls back as `rollback --to` does', { skip, timeout: 60_000 }, async () => {
  await page.goto(`${env.url}/_stagecraft/console/`);
  const choice = await page.waitFor('the Roll back to version form', (name: string) => {
    const box = window.consoleTest.fieldset(name, 'Roll back to version');
    return box && [...box.querySelectorAll('select')].map((s: any) => `${s.getAttribute('aria-label')}=${s.value}`).join(' ');
  }, [FN]);
  assert.equal(choice, 'Alias to roll back to a version=prod Version to roll back to=2', 'the newest version before the one prod runs is offered first');

  // The preview is the move's; Cancel changes nothing.
  assert.ok(await page.call(submitForm, FN, 'Roll back to version', [['select[aria-label="Version to roll back to"]', '1']]));
  const preview = await previewText(page, FN, 'Roll back to version');
  assert.match(preview, new RegExp(`Would point ${FN}:prod → version 1 \\(now version 3\\)\\.`));
  assert.match(preview, /Configuration, version 3 → version 1/);
  assert.match(preview, /CodeSha256/);
  assert.match(preview, /Nothing has changed yet\./);
  await shot('rollback-to-preview');
  assert.ok(await page.call(clickPreview, FN, 'Roll back to version', 'preview-cancel'));
  assert.deepEqual(await prod(), { version: '3', weights: {} }, 'a preview and Cancel move nothing');

  // Confirmed: prod runs version 1, and the version it ran is recorded as `rollback --to` records it.
  assert.ok(await page.call(submitForm, FN, 'Roll back to version', [['select[aria-label="Version to roll back to"]', '1']]));
  await previewText(page, FN, 'Roll back to version');
  assert.ok(await page.call(clickPreview, FN, 'Roll back to version', 'preview-confirm'));
  const done = await actionOutcome(page);
  assert.equal(done.error, '');
  assert.equal(done.notice, `Rolled back ${FN}:prod → version 1 (was version 3). Rolling back again would go to version 3.`);
  assert.deepEqual(await prod(), { version: '1', weights: {} });
  const arn = (await env.lambda.send(new GetAliasCommand({ FunctionName: FN, Name: 'prod' }))).AliasArn!.replace(/:prod$/, '');
  assert.equal((await env.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags?.['stagecraft:previous:prod'], '3');

  // The version the alias already runs: the preview says so and offers only Close.
  assert.ok(await page.call(submitForm, FN, 'Roll back to version', [['select[aria-label="Version to roll back to"]', '1']]));
  assert.match(await previewText(page, FN, 'Roll back to version'), new RegExp(`${FN}:prod already runs version 1; nothing to change\\.`));
  assert.equal(await page.call((n: string) => window.consoleTest.fieldset(n, 'Roll back to version').querySelector('.preview-confirm'), FN), null);
  assert.ok(await page.call(clickPreview, FN, 'Roll back to version', 'preview-cancel'));

  // The CLI continues the history the console wrote: its plain rollback returns prod to version 3.
  const cli = await runCli(['rollback', FN, '--alias', 'prod'], { endpoint: env.url });
  assert.equal(cli.code, 0, cli.output);
  assert.deepEqual(await prod(), { version: '3', weights: {} });

  assert.deepEqual(page.problems, []);

  // A version deleted since the page loaded: AWS's 404 is shown, prod is not moved.
  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: FN, Qualifier: '2' }));
  assert.ok(await page.call(submitForm, FN, 'Roll back to version', [['select[aria-label="Version to roll back to"]', '2']]));
  assert.match((await actionOutcome(page)).error, /^ResourceNotFoundException: /);
  assert.deepEqual(await prod(), { version: '3', weights: {} });
  assert.deepEqual(page.problems, []);
  const unexpected = page.failedRequests.filter((url) => !/\/2015-03-31\/functions\/[^/]+\/policy\b/.test(url) && !/\/functions\/[^/]+\/configuration\?Qualifier=2$/.test(url));
  assert.deepEqual(unexpected, [], 'only the deleted version\'s 404 and GetPolicy\'s for a function without grants');
});
