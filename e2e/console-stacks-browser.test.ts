// The Stacks page of the web console in a real browser (headless Chromium) against a real server:
// a stack deployed with `stagecraft deploy` is shown with its functions and aliases; Promote stack
// previews every function first (Cancel changes nothing), then promotes as a canary once
// confirmed; Finish canary previews too; Roll back stack asks first and says which aliases it moves; and the
// CLI rolls back what the page did. Skips when Chromium is not installed, unless
// STAGECRAFT_REQUIRE_BROWSER=1. STAGECRAFT_CONSOLE_SHOTS=<dir> saves screenshots of the page there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import type { Page } from '../src/testing/browser.js';
import { actionOutcome, browserSkip, clickPreview, previewText, submitForm, useConsolePage } from '../src/testing/console-page.js';
import { aliasState, answering, deployStackProject, type StackProject } from '../src/testing/stack-project.js';
import { unique } from '../src/cli/testing.js';

declare const document: any;
declare const window: any;

const skip = browserSkip;

const env = useServer();
const dirs = useTempDirs();
const STACK = unique('bshop');
let project: StackProject;
let page: Page;

env.setup(async () => {
  // prod made by the CLI on version 1 of a and b, then a second version of a on dev.
  project = await deployStackProject(dirs, env.url, STACK);
  assert.equal((await project.cli('promote', '--stack', STACK, '--from', 'dev', '--to', 'prod')).code, 0);
  await project.deploy({ 'a/index.mjs': answering('a two') });
});

useConsolePage((p) => { page = p; });

async function shot(name: string): Promise<void> {
  if (process.env.STAGECRAFT_CONSOLE_SHOTS) await page.screenshot(join(process.env.STAGECRAFT_CONSOLE_SHOTS, `${name}.png`));
}

/** The stack card's table: function, then its aliases' traffic. */
function stackRows(stack: string): string[][] | undefined {
  const rows = [...(window.consoleTest.card(stack)?.querySelectorAll('tbody tr') ?? [])];
  return rows.length ? rows.map((r: any) => [...r.cells].map((c: any) => c.textContent)) : undefined;
}

test('the Stacks page previews, promotes as a canary, finishes it and rolls the stack back', { skip, timeout: 90_000 }, async () => {
  const { a, b, c } = project.names;
  const alias = (fn: string) => aliasState(env.lambda, fn, 'prod');
  await page.goto(`${env.url}/_stagecraft/console/#stacks`);
  const headers = await page.waitFor('the stack card', (s: string) => [...(window.consoleTest.card(s)?.querySelectorAll('th') ?? [])].map((h: any) => h.textContent).join('|'), [STACK]);
  assert.equal(headers, 'Function|Alias dev|Alias prod');
  assert.deepEqual(await page.call(stackRows, STACK), [[a, '100% → 2', '100% → 1'], [b, '100% → 1', '100% → 1'], [c, '—', '—']]);
  assert.equal(await page.evaluate(`document.getElementById('nav-stacks').classList.contains('active')`), true);

  // The preview shows each function as its Promote button would, and the skipped one; Cancel changes nothing.
  assert.ok(await page.call(submitForm, STACK, 'Promote stack', [['select', 'dev'], ['input[type=text]', 'prod'], ['input.short', '10%']]));
  const preview = await previewText(page, STACK, 'Promote stack');
  assert.match(preview, new RegExp(`Would promote stack ${STACK} from dev to prod: 1 of its function\\(s\\) change\\.`));
  assert.match(preview, new RegExp(`Would send 10% of ${a}:prod's traffic to version 2 and the rest to version 1 \\(now version 1\\)\\.`));
  assert.match(preview, /Configuration, version 1 → version 2/);
  assert.match(preview, new RegExp(`${b}:prod already runs version 1; nothing to change\\.`));
  assert.match(preview, new RegExp(`${c}: skipped \\(has no alias dev\\)`));
  await shot('stack-preview');
  assert.ok(await page.call(clickPreview, STACK, 'Promote stack', 'preview-cancel'));
  assert.equal(await page.call((s: string) => Boolean(window.consoleTest.fieldset(s, 'Promote stack').querySelector('.preview')), STACK), false);
  assert.deepEqual(await alias(a), { version: '1', weights: {} }, 'a preview and Cancel move nothing');

  // Confirmed: the canary runs, recorded as the CLI records it.
  assert.ok(await page.call(submitForm, STACK, 'Promote stack', [['select', 'dev'], ['input[type=text]', 'prod'], ['input.short', '10%']]));
  await previewText(page, STACK, 'Promote stack');
  assert.ok(await page.call(clickPreview, STACK, 'Promote stack', 'preview-confirm'));
  const promoted = await actionOutcome(page);
  assert.equal(promoted.error, '');
  assert.match(promoted.notice, new RegExp(`Stack ${STACK}: 1 alias prod now send 10% of their traffic to what dev runs\\.`));
  assert.deepEqual(await alias(a), { version: '1', weights: { 2: 0.1 } });
  assert.deepEqual(await alias(b), { version: '1', weights: {} });
  await page.waitFor('the canary shown', (s: string) => window.consoleTest.card(s)?.querySelector('p.canary')?.textContent, [STACK]);
  await shot('stack-canary');

  // Finish canary previews first, as `promote --stack --dry-run` without --canary; Cancel keeps the split.
  assert.ok(await page.call(submitForm, STACK, 'Finish canary', [['select', 'dev']]));
  const finish = await previewText(page, STACK, 'Finish canary');
  assert.match(finish, new RegExp(`Would promote stack ${STACK} from dev to prod: 1 of its function\\(s\\) change\\.`));
  assert.match(finish, new RegExp(`Would point ${a}:prod → version 2 \\(now 90% version 1, 10% version 2\\)\\.`));
  assert.match(finish, new RegExp(`${b}:prod already runs version 1; nothing to change\\.`));
  assert.match(finish, new RegExp(`${c}: skipped \\(has no alias dev\\)`));
  assert.ok(await page.call(clickPreview, STACK, 'Finish canary', 'preview-cancel'));
  assert.deepEqual(await alias(a), { version: '1', weights: { 2: 0.1 } }, 'a preview and Cancel keep the split');
  assert.deepEqual(page.dialogs, [], 'the preview is the question: no dialog');
  assert.ok(await page.call(submitForm, STACK, 'Finish canary', [['select', 'dev']]));
  await previewText(page, STACK, 'Finish canary');
  assert.ok(await page.call(clickPreview, STACK, 'Finish canary', 'preview-confirm'));
  assert.match((await actionOutcome(page)).notice, new RegExp(`Stack ${STACK}: 1 alias prod run what dev runs\\. Undo it with Roll back stack\\.`));
  assert.deepEqual(await alias(a), { version: '2', weights: {} });
  await page.waitFor('no canary left', (s: string) => /No canary runs in this stack/.test(window.consoleTest.fieldset(s, 'Finish canary')?.textContent ?? ''), [STACK]);

  // Roll back stack says which aliases return (only a's: b was not moved) and acts once confirmed.
  page.acceptDialogs = false;
  assert.ok(await page.call(submitForm, STACK, 'Roll back stack', [['select', 'prod']]));
  assert.equal(page.dialogs.at(-1), `Roll back the last promotion of stack ${STACK} to prod? Returns ${a}:prod to version 1 (now version 2).`);
  assert.deepEqual(await alias(a), { version: '2', weights: {} });
  page.acceptDialogs = true;
  assert.ok(await page.call(submitForm, STACK, 'Roll back stack', [['select', 'prod']]));
  assert.match((await actionOutcome(page)).notice, new RegExp(`Rolled back the last promotion of stack ${STACK} to prod \\(1 alias\\)\\. Rolling back again undoes the promotion before it\\.`));
  assert.deepEqual(await alias(a), { version: '1', weights: {} });

  // The promotion before it was the CLI's (it created prod): the page names what it keeps.
  assert.ok(await page.call(submitForm, STACK, 'Roll back stack', [['select', 'prod']]));
  assert.equal(page.dialogs.at(-1), `Roll back the last promotion of stack ${STACK} to prod? It only created aliases: nothing is returned. Keeps ${a}:prod, ${b}:prod (created by that promotion, nothing to return to).`);
  assert.match((await actionOutcome(page)).notice, /only created aliases; there is nothing to return them to\. Kept the aliases it created/);
  const nothing = await project.cli('rollback', '--stack', STACK, '--alias', 'prod');
  assert.match(nothing.stderr, /no promotion of alias prod is recorded for stack/, 'the CLI sees the console\'s rollbacks');

  assert.deepEqual(page.problems, []);
});
