// Test support for the web console in a browser (browser.ts): finders installed in the page, the
// in-page functions the tests call (fill and submit a card's form, press a preview's button), and
// waits for a preview and for an action's outcome; and the browser itself, started once per file.
// Browser tests skip when Chromium is not installed, unless STAGECRAFT_REQUIRE_BROWSER=1 (CI sets it).
import { after, before } from 'node:test';
import { Browser, findChromium, type Page } from './browser.js';

// The page's globals, for the functions run in it (this file is compiled without the DOM library).
declare const document: any;
declare const window: any;

/** Finders the in-page functions share: a card by its title, a fieldset of a card by its legend (install with page.addInitScript). */
export function installFinders(): void {
  const card = (name: string) => [...document.querySelectorAll('section.card')].find((s: any) => s.querySelector('h2')?.firstChild?.textContent === name);
  const fieldset = (name: string, legend: string) => [...(card(name)?.querySelectorAll('fieldset') ?? [])].find((f: any) => f.querySelector('legend')?.textContent === legend);
  window.consoleTest = { card, fieldset };
}

/** In `name`'s card fieldset `legend`: sets each [selector, value] control, then submits with the button. */
export function submitForm(name: string, legend: string, values: [string, string][]): boolean {
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

/** Clicks the preview's confirm (`preview-confirm`) or cancel (`preview-cancel`) button. */
export function clickPreview(name: string, legend: string, which: string): boolean {
  const button = window.consoleTest.fieldset(name, legend)?.querySelector(`.preview .${which}`);
  button?.click();
  return Boolean(button);
}

/** Waits for the promotion preview under `name`'s form `legend`; its text. */
export function previewText(page: Page, name: string, legend: string): Promise<string> {
  return page.waitFor(`the ${legend} preview`, (n: string, l: string) => window.consoleTest.fieldset(n, l)?.querySelector('.preview')?.textContent, [name, legend]);
}

/** Waits for the outcome of the action just started: the page reloaded, and its notice or error. */
export function actionOutcome(page: Page): Promise<{ notice: string; error: string }> {
  return page.waitFor('the outcome of the action', () => {
    if (document.getElementById('main').hasAttribute('aria-busy')) return undefined;
    const shown = (id: string) => (document.getElementById(id).hidden ? '' : document.getElementById(id).textContent);
    return (shown('notice') || shown('error')) && { notice: shown('notice'), error: shown('error') };
  }, []);
}

const chromium = findChromium();
if (!chromium && process.env.STAGECRAFT_REQUIRE_BROWSER === '1') throw new Error('STAGECRAFT_REQUIRE_BROWSER=1 but chromium is not installed (apt-get install chromium)');
/** The `skip` option of a browser test: why it can't run here (Chromium missing), or false. */
export const browserSkip: string | false = chromium ? false : 'chromium is not installed (apt-get install chromium); set STAGECRAFT_REQUIRE_BROWSER=1 to fail instead';

/** Starts Chromium before the file's tests with one page (the finders installed), handed to `use`, and stops it after them. */
export function useConsolePage(use: (page: Page) => void): void {
  let browser: Browser | undefined;
  before(async () => {
    if (!chromium) return;
    browser = await Browser.launch(chromium);
    const page = await browser.newPage();
    await page.addInitScript(installFinders);
    use(page);
  });
  after(async () => {
    await browser?.close();
  });
}
