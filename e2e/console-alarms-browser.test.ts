// The console's Alarms page in a real browser (headless Chromium) against a real server: a metric
// alarm whose action invokes a Lambda function (allowed for CloudWatch alarms) and a composite on it,
// put through the SDK, are listed with their badges, conditions and actions (the function as a link
// to its card); Set state… (asked first) changes the badge, runs the action and its Action item
// appears in the History panel; actions are disabled and enabled again; the filter by prefix and
// by state; names and descriptions with HTML stay text; a failed call is shown in its row, a refused
// filter in the list's place. Skips when Chromium is not installed, unless STAGECRAFT_REQUIRE_BROWSER=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteAlarmsCommand, DescribeAlarmsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, SetAlarmStateCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { useServer } from '../src/testing/fixture.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';
import type { Page } from '../src/testing/browser.js';
import { browserSkip, useConsolePage } from '../src/testing/console-page.js';
import { createAlarmReceiver, waitForAlarmEvents } from '../src/testing/alarm-receiver.js';
import { quietAlarm, setAlarmState } from '../src/testing/alarms.js';

declare const document: any;
declare const window: any;

const env = useServer({ args: ['--cloudwatch-interval', '300'] });
let page: Page;
let cw: CloudWatchClient;
useConsolePage((p) => { page = p; });
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const FN = 'console-alarm-receiver';
const METRIC = 'canary-errors';
const COMPOSITE = 'canary-health';
const fnArn = `arn:aws:lambda:us-east-1:${testAccount}:function:${FN}`;

/** The row of alarm `name` as the page shows it (undefined while absent). */
function rowText(name: string): { state: string; reason: string; rule: string; enabled: string; toggle: string; links: string[]; description: string } | undefined {
  const body = [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === name);
  if (!body) return undefined;
  const text = (sel: string) => body.querySelector(sel)?.textContent ?? '';
  return {
    state: text('.state'), reason: text('.alarm-reason'), rule: text('.alarm-rule'), enabled: text('.alarm-enabled'), toggle: text('.alarm-toggle'),
    links: [...body.querySelectorAll('a.alarm-lambda')].map((a: any) => `${a.textContent} ${a.getAttribute('href')}`), description: text('.alarm-description'),
  };
}

const row = (name: string) => page.call(rowText, name);
const waitRow = (name: string, what: string, ok: (r: NonNullable<ReturnType<typeof rowText>>) => boolean) =>
  page.waitFor(`${name}: ${what}`, (n: string) => {
    const body = [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === n);
    return body && !document.querySelector('.alarms').hasAttribute('aria-busy') ? n : undefined;
  }, [name]).then(async () => {
    for (let i = 0; i < 100; i++) {
      const r = await row(name);
      if (r && ok(r)) return r;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`${name}: ${what} — last seen ${JSON.stringify(await row(name))}`);
  });

const shownAlarms = () => page.call(() => [...document.querySelectorAll('tbody.alarm')].map((b: any) => b.dataset.alarm));

test('alarms listed with badges and actions; Set state…, History, Disable/Enable actions, filter', { skip: browserSkip, timeout: 120_000 }, async () => {
  await createAlarmReceiver(env.lambda, FN, { SourceAccount: testAccount });
  await cw.send(new PutMetricAlarmCommand(quietAlarm(METRIC, { AlarmDescription: 'canary errors roll back', AlarmActions: [fnArn] })));
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: COMPOSITE, AlarmRule: `ALARM("${METRIC}")`, AlarmDescription: 'the canary as a whole' }));

  await page.goto(`${env.url}/_stagecraft/console/#alarms`);
  const metric = await waitRow(METRIC, 'listed', () => true);
  assert.equal(metric.state, 'INSUFFICIENT_DATA');
  assert.equal(metric.reason, 'Unchecked: Initial alarm creation');
  assert.equal(metric.rule, 'Sum(Actions/Test Quiet {Queue=q1}) per 60s > 10 for 1 period');
  assert.deepEqual(metric.links, [`λ ${FN} #functions/${FN}`]);
  assert.equal(metric.description, 'canary errors roll back');
  assert.equal(metric.enabled, 'yes');
  const composite = (await row(COMPOSITE))!;
  assert.equal(composite.rule, `ALARM("${METRIC}")`);
  assert.deepEqual(await shownAlarms(), [METRIC, COMPOSITE]);

  // Set state…: asked first (Cancel changes nothing), then the badge changes and the function runs.
  page.acceptDialogs = false;
  const setState = (name: string, state: string, reason: string) => page.call((n: string, s: string, r: string) => {
    const body = [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === n);
    body.querySelector('.alarm-set-state select').value = s;
    body.querySelector('.alarm-set-state input').value = r;
    body.querySelector('.alarm-set-state button').click();
  }, name, state, reason);
  await setState(METRIC, 'ALARM', 'testing the rollback');
  assert.match(page.dialogs.at(-1)!, new RegExp(`^Set alarm ${METRIC} to ALARM\\? Its ALARM actions run\\.`));
  assert.equal((await row(METRIC))!.state, 'INSUFFICIENT_DATA');
  page.acceptDialogs = true;
  await setState(METRIC, 'ALARM', 'testing the rollback');
  const alarmed = await waitRow(METRIC, 'in ALARM', (r) => r.state === 'ALARM');
  assert.equal(alarmed.reason, 'testing the rollback');
  const [event] = await waitForAlarmEvents(env.logs, FN, 1);
  assert.equal(event.alarmData.state.reason, 'testing the rollback');

  // History: newest first, the Action item among them (Refresh until it is written).
  await page.call((n: string) => { [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === n).querySelector('details.alarm-history-panel').open = true; }, METRIC);
  const history = await page.waitFor('the Action item in the history', (n: string) => {
    const body = [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === n);
    const items = [...body.querySelectorAll('.alarm-history li')];
    if (items.some((li: any) => li.dataset.type === 'Action')) return items.map((li: any) => `${li.dataset.type} ${li.textContent}`);
    if (!body.querySelector('.alarm-history').hasAttribute('aria-busy')) [...body.querySelectorAll('button')].find((b: any) => b.textContent === 'Refresh').click();
    return undefined;
  }, [METRIC], 30_000);
  assert.match(history.find((h) => h.startsWith('Action'))!, new RegExp(`Successfully executed action ${fnArn}`));
  assert.match(history.at(-1)!, /^ConfigurationUpdate /); // oldest last
  assert.ok(history.findIndex((h) => h.startsWith('StateUpdate')) < history.length - 1);

  // Disable, then enable actions.
  const toggle = (n: string) => page.call((name: string) => {
    const button = [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === name).querySelector('.alarm-toggle');
    button.focus();
    button.click();
  }, n);
  await toggle(METRIC);
  assert.match(page.dialogs.at(-1)!, new RegExp(`^Disable the actions of alarm ${METRIC}\\?`));
  await waitRow(METRIC, 'actions disabled', (r) => r.enabled === 'no' && r.toggle === 'Enable actions');
  // The focus stays on the button, in the redrawn row.
  assert.equal(await page.evaluate("document.activeElement.textContent + ' ' + document.activeElement.closest('tbody').dataset.alarm"), `Enable actions ${METRIC}`);
  const described = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [METRIC] }))).MetricAlarms![0].ActionsEnabled;
  assert.equal(await described(), false);
  await toggle(METRIC);
  await waitRow(METRIC, 'actions enabled', (r) => r.enabled === 'yes' && r.toggle === 'Disable actions');
  assert.equal(await described(), true);

  // The composite followed its child into ALARM: the page shows it after Reload.
  await page.call(() => document.getElementById('reload').click());
  await waitRow(COMPOSITE, 'in ALARM', (r) => r.state === 'ALARM');

  // Filter by prefix, then by state.
  const applyFilter = (prefix: string, state: string) => page.call((p: string, s: string) => {
    document.querySelector('.alarm-prefix').value = p;
    document.querySelector('.alarm-state-filter').value = s;
    document.querySelector('.alarm-filter button').click();
  }, prefix, state);
  await applyFilter('canary-h', '');
  await page.waitFor('only the composite', () => !document.querySelector('.alarms').hasAttribute('aria-busy') && [...document.querySelectorAll('tbody.alarm')].length === 1, []);
  assert.deepEqual(await shownAlarms(), [COMPOSITE]);
  await setState(COMPOSITE, 'OK', 'all good');
  await waitRow(COMPOSITE, 'OK', (r) => r.state === 'OK');
  await applyFilter('', 'ALARM');
  await page.waitFor('only the metric alarm', () => {
    const names = [...document.querySelectorAll('tbody.alarm')].map((b: any) => b.dataset.alarm);
    return !document.querySelector('.alarms').hasAttribute('aria-busy') && names.length === 1 && names[0];
  }, []);
  assert.deepEqual(await shownAlarms(), [METRIC]);
  await applyFilter('nothing-', '');
  assert.equal(await page.waitFor('no match', () => document.querySelector('.alarms p')?.textContent, []), 'No alarms match the filter.');
  await applyFilter('', '');

  // The function's link opens its card on the Functions page.
  await waitRow(METRIC, 'listed again', () => true);
  await page.call(() => document.querySelector('a.alarm-lambda').click());
  assert.equal(await page.waitFor('the function card', (id: string) => document.getElementById(id)?.querySelector('h2')?.textContent, [`function-${FN}`]), FN);
  assert.deepEqual(page.problems, []);
});

test('names, reasons and descriptions with HTML are shown as text; a failed call is shown in its row', { skip: browserSkip, timeout: 60_000 }, async () => {
  const name = 'x<img src=x onerror="window.pwned=1">';
  const description = '<b>bold</b> & <script>window.pwned=2</script>';
  await cw.send(new PutMetricAlarmCommand(quietAlarm(name, { AlarmDescription: description })));
  await page.goto('about:blank'); // a new document, not the same one's hash
  await page.goto(`${env.url}/_stagecraft/console/#alarms`);
  page.acceptDialogs = true;
  const r = await waitRow(name, 'listed', () => true);
  assert.equal(r.description, description);
  const reason = '<i>set</i> by "me"';
  await page.call((n: string, why: string) => {
    const body = [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === n);
    body.querySelector('.alarm-set-state input').value = why;
    body.querySelector('.alarm-set-state button').click();
  }, name, reason);
  assert.equal((await waitRow(name, 'in ALARM', (x) => x.state === 'ALARM')).reason, reason);
  assert.equal(await page.evaluate("document.querySelectorAll('main img, main b, main i, main script').length"), 0);
  assert.equal(await page.evaluate('window.pwned'), undefined);
  assert.ok(page.dialogs.some((d) => d.startsWith(`Set alarm ${name} to ALARM?`)));

  // Deleted since the page loaded: AWS's error in the row, the rest of the page as it was.
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
  await page.call((n: string) => [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === n).querySelector('.alarm-set-state button').click(), name);
  const message = await page.waitFor('the error in the row', (n: string) => [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === n).querySelector('.alarm-message')?.textContent, [name]);
  const sdkError = await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'OK', StateReason: 'x' })).then(() => undefined, (e: Error) => e);
  assert.equal(message, `Failed: ${sdkError!.message}`);
  assert.equal((await row(name))!.state, 'ALARM');
  assert.equal(await page.evaluate("document.getElementById('error').hidden"), true);

  // A filter AWS refuses: its message in the list's place; the filter is still there to change.
  const long = 'p'.repeat(256);
  const refused = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: long, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] })).then(() => undefined, (e: Error) => e);
  assert.ok(refused, 'a prefix of 256 characters is refused');
  await page.call((p: string) => {
    document.querySelector('.alarm-prefix').value = p;
    document.querySelector('.alarm-filter button').click();
  }, long);
  assert.equal(await page.waitFor('the list\'s error', () => document.querySelector('.alarms > .metrics-error')?.textContent, []), `Could not list the alarms: ${refused!.message}`);
  assert.equal(await page.evaluate("document.getElementById('error').hidden"), true);
  await page.call(() => {
    document.querySelector('.alarm-prefix').value = '';
    document.querySelector('.alarm-filter button').click();
  });
  await page.waitFor('the list again', () => !document.querySelector('.alarms').hasAttribute('aria-busy') && !document.querySelector('.alarms > .metrics-error'), []);
});

test('History pages with More (newest first); a suppressed composite says by what', { skip: browserSkip, timeout: 90_000 }, async () => {
  const busy = 'pager-busy';
  await cw.send(new PutMetricAlarmCommand(quietAlarm(busy)));
  // 1 ConfigurationUpdate + 24 StateUpdates: two pages of 20.
  for (let i = 0; i < 24; i++) await setAlarmState(cw, busy, i % 2 ? 'OK' : 'ALARM', `change ${i}`);
  await cw.send(new PutMetricAlarmCommand(quietAlarm('pager-suppressor')));
  await setAlarmState(cw, 'pager-suppressor', 'ALARM', 'maintenance');
  await cw.send(new PutCompositeAlarmCommand({
    AlarmName: 'pager-composite', AlarmRule: `ALARM("${busy}")`, AlarmActions: [`arn:aws:sns:us-east-1:${testAccount}:ops`],
    ActionsSuppressor: 'pager-suppressor', ActionsSuppressorWaitPeriod: 0, ActionsSuppressorExtensionPeriod: 60,
  }));
  await setAlarmState(cw, busy, 'ALARM', 'change 24');

  await page.goto('about:blank');
  await page.goto(`${env.url}/_stagecraft/console/#alarms`);
  const composite = await waitRow('pager-composite', 'in ALARM, suppressed', (r) => r.state === 'ALARM' && /Suppressed/.test(r.enabled));
  assert.equal(composite.enabled, 'yesActionsSuppressedBy Alarm (suppressor pager-suppressor)');
  const history = (n: string) => page.waitFor('a page of history', (name: string) => {
    const body = [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === name);
    const list = body.querySelector('.alarm-history');
    return !list.hasAttribute('aria-busy') && list.children.length && [...list.children].map((li: any) => li.textContent.replace(/^.*?(StateUpdate|ConfigurationUpdate|Action) /, ''));
  }, [n]);
  const pressMore = () => page.call(() => [...document.querySelectorAll('button')].find((b: any) => b.textContent === 'More' && !b.hidden).click());
  await page.call(() => { [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === 'pager-busy').querySelector('details').open = true; });
  const first = await history(busy);
  assert.equal(first.length, 20);
  assert.deepEqual(first.slice(0, 2), ['Alarm updated from OK to ALARM', 'Alarm updated from ALARM to OK']);
  await pressMore();
  const all = await page.waitFor('the second page', () => {
    const list = [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === 'pager-busy').querySelector('.alarm-history');
    return list.children.length > 20 && !list.hasAttribute('aria-busy') && [...list.children].map((li: any) => li.dataset.type);
  }, []);
  assert.equal(all.length, 26);
  assert.equal(all.at(-1), 'ConfigurationUpdate');
  assert.equal(await page.call(() => [...document.querySelectorAll('button')].some((b: any) => b.textContent === 'More' && !b.hidden)), false);
});
