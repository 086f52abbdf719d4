// Test support for the console's Alarms page forms in a browser (browser.ts): in-page functions
// that fill, press and read an alarm form (Create's above the table, or an alarm's Edit form under
// its row) and read an alarm's row, and waits for a form, a row and a row's going.
import type { Page } from './browser.js';

// The page's globals, for the functions run in it (this file is compiled without the DOM library).
declare const document: any;
declare const window: any;

/**
 * In the page, on the alarm form of `alarm` (its Edit form; '' for the Create form open): `fill`
 * sets named controls (a change event each; a radio group's value checks that radio), `add` picks a
 * function in a state's "Add function…" list, `press` clicks the button of a class, `submit` its
 * submit button, `values` reads its named controls (a radio group's checked value), `error` its
 * message ('' while none).
 */
export function onForm(alarm: string, op: string, args: [string, string][]): unknown {
  const form = alarm
    ? [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === alarm)?.querySelector('form.alarm-form')
    : document.querySelector('.alarm-creator form.alarm-form');
  if (!form) return undefined;
  const set = (control: any, value: string) => {
    control.value = value;
    if (control.dispatchEvent) control.dispatchEvent(new window.Event('change', { bubbles: true }));
  };
  if (op === 'fill') for (const [n, v] of args) set(form.elements.namedItem(n), v);
  if (op === 'add') for (const [state, arn] of args) set(form.querySelector(`select[aria-label="Add a function to the ${state} actions"]`), arn);
  if (op === 'press') for (const [cls] of args) form.querySelector(`button.${cls}`).click();
  if (op === 'submit') form.querySelector('button[type=submit]').click();
  if (op === 'values') {
    const named = [...form.elements].filter((c: any) => c.name && (c.type !== 'radio' || c.checked));
    return Object.fromEntries(named.map((c: any) => [c.name, c.value]).concat([['readonly', String(form.elements.namedItem('name')?.readOnly)]]));
  }
  if (op === 'error') {
    const m = form.querySelector('.alarm-form-error');
    return m.hidden ? '' : m.textContent;
  }
  return true;
}

/** In the page: the row of alarm `n` as shown (undefined while absent or while the list or the page loads). */
export function readRow(n: string): Record<string, string> | undefined {
  const body = [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === n);
  if (!body || document.querySelector('.alarms').hasAttribute('aria-busy') || document.getElementById('main').hasAttribute('aria-busy')) return undefined;
  const text = (sel: string) => body.querySelector(sel)?.textContent ?? '';
  return {
    name: text('.alarm-name'), description: text('.alarm-description'), state: text('.state'), rule: text('.alarm-rule'), note: text('.alarm-note'), message: text('.alarm-message'),
    links: [...body.querySelectorAll('a.alarm-lambda')].map((a: any) => a.textContent).join(' '),
  };
}

/** The Alarms page's form and row helpers on `page()` (the page is made before the tests run). */
export function alarmFormPage(page: () => Page) {
  const waitRow = async (name: string, what: string, ok: (r: Record<string, string>) => boolean = () => true, timeoutMs = 10_000): Promise<Record<string, string>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await page().call(readRow, name);
      if (r && ok(r)) return r;
      if (Date.now() > deadline) {
        const formError = await page().evaluate<string>("[...document.querySelectorAll('.alarm-form-error')].map((m) => m.textContent).join(' ')");
        throw new Error(`${name}: ${what} — last seen ${JSON.stringify(r)}${formError ? `; the form says ${formError}` : ''}`);
      }
      await new Promise((res) => setTimeout(res, 100));
    }
  };
  return {
    form: (alarm: string, op: string, args: [string, string][] = []) => page().call(onForm, alarm, op, args),
    formReady: (alarm: string) => page().waitFor(`the form of ${alarm || 'a new alarm'}`, onForm, [alarm, 'values', []]) as Promise<Record<string, string>>,
    formError: (alarm: string) => page().waitFor(`the form's error`, onForm, [alarm, 'error', []]) as Promise<string>,
    /** Presses the button of class `cls` in alarm `alarm`'s row, or above the table when `alarm` is ''. */
    press: (alarm: string, cls: string) => page().call((n: string, c: string) => {
      const scope = n ? [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === n) : document.querySelector('.alarm-tools');
      scope.querySelector(`button.${c}`).click();
    }, alarm, cls),
    /** Opens the Alarms page and waits for its list. */
    open: async (url: string) => {
      await page().goto('about:blank');
      await page().goto(`${url}/_stagecraft/console/#alarms`);
      await page().waitFor('the page', () => document.querySelector('button.alarm-create') && !document.querySelector('.alarms').hasAttribute('aria-busy'), []);
    },
    /** Reload, and its end: the page is busy from the click until it is drawn again. */
    reload: async () => {
      await page().call(() => document.getElementById('reload').click());
      await page().waitFor('the page reloaded', () => !document.getElementById('main').hasAttribute('aria-busy'), []);
    },
    waitRow,
    gone: (name: string) => page().waitFor(`${name} gone`, (n: string) => ![...document.querySelectorAll('tbody.alarm')].some((b: any) => b.dataset.alarm === n), [name]),
  };
}
