// The Alarms page's Create composite alarm and metric math forms in a real browser (headless
// Chromium) against a real server: a composite built from the alarms offered (ALARM("…") AND
// OK("…")), a function picked as its action and an actions suppressor with its periods, appears
// with the state its children and rule give and follows them; a bad rule and a rule naming a
// missing alarm show AWS's own message; Edit shows and changes the suppression, and removes it. A
// metric math alarm created from a function alias's error rate shows its expression and label,
// goes OK then ALARM as the alias's invocations fail; Edit opens its queries, adds and removes a row,
// and a changed expression is what DescribeAlarms then says. A hostile label and expression stay
// text. Skips when Chromium is not installed, unless STAGECRAFT_REQUIRE_BROWSER=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteAlarmsCommand, DescribeAlarmsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, type CloudWatchClient, type PutCompositeAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { CreateAliasCommand, InvokeCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';
import type { Page } from '../src/testing/browser.js';
import { browserSkip, useConsolePage } from '../src/testing/console-page.js';
import { createAlarmReceiver } from '../src/testing/alarm-receiver.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { quietAlarm, setAlarmState } from '../src/testing/alarms.js';
import { alarmFormPage } from '../src/testing/alarm-form-page.js';

declare const document: any;
declare const window: any;

const env = useServer({ args: ['--cloudwatch-interval', '200'] });
let page: Page;
let cw: CloudWatchClient;
useConsolePage((p) => { page = p; });
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const { form, formReady, formError, press, open, reload, waitRow } = alarmFormPage(() => page);

const described = async (name: string) => {
  const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
  return (out.MetricAlarms?.[0] ?? out.CompositeAlarms?.[0]) as any;
};
/** AWS's message for a composite `input` sent through the SDK (it must be refused). */
const compositeRefusal = (input: PutCompositeAlarmCommandInput) => cw.send(new PutCompositeAlarmCommand(input)).then(() => assert.fail('accepted'), (e: Error) => e.message);
/** The options of the named select in the form of `alarm` ('' for Create's). */
const options = (alarm: string, name: string) => page.call((a: string, n: string) => {
  const f = a ? [...document.querySelectorAll('tbody.alarm')].find((b: any) => b.dataset.alarm === a).querySelector('form.alarm-form') : document.querySelector('.alarm-creator form.alarm-form');
  return [...f.elements.namedItem(n).options].map((o: any) => o.value).filter(Boolean);
}, alarm, name);
/** Reloads the list until `name` shows `state` (state changes come with evaluations, not by themselves to the page). */
async function untilState(name: string, state: string, timeoutMs = 15_000): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await reload();
    const r = await waitRow(name, 'listed');
    if (r.state === state) return r;
    if (Date.now() > deadline) throw new Error(`${name}: still ${r.state}, waiting for ${state} (${JSON.stringify(r)})`);
    await new Promise((res) => setTimeout(res, 300));
  }
}

test('Create composite alarm: the rule from the alarms offered, its state from its children; AWS\'s refusals; suppression edited', { skip: browserSkip, timeout: 120_000 }, async () => {
  const receiver = 'composite-receiver';
  const receiverArn = `arn:aws:lambda:us-east-1:${testAccount}:function:${receiver}`;
  await createAlarmReceiver(env.lambda, receiver, { SourceAccount: testAccount });
  for (const name of ['child-a', 'child-b', 'maintenance']) await cw.send(new PutMetricAlarmCommand(quietAlarm(name)));
  await setAlarmState(cw, 'child-a', 'ALARM');
  await setAlarmState(cw, 'child-b', 'OK');
  await setAlarmState(cw, 'maintenance', 'OK');

  await open(env.url);
  await press('', 'alarm-create-composite');
  const fresh = await formReady('');
  assert.deepEqual([fresh.name, fresh.readonly, fresh.rule, fresh.suppressor], ['', 'false', '', '']);
  assert.deepEqual(await options('', 'ruleInsert'), ['child-a', 'child-b', 'maintenance']);
  assert.equal(await page.call(() => document.querySelector('.alarm-creator [name=waitPeriod]').disabled), true, 'the periods go with a suppressor');
  // Two terms inserted: the second joined with the joiner chosen.
  await form('', 'fill', [['name', 'svc-health'], ['ruleState', 'ALARM'], ['ruleInsert', 'child-a']]);
  await form('', 'fill', [['ruleState', 'OK'], ['ruleJoiner', 'AND'], ['ruleInsert', 'child-b']]);
  assert.equal((await form('', 'values') as Record<string, string>).rule, 'ALARM("child-a") AND OK("child-b")');
  await form('', 'fill', [['description', 'the service as a whole'], ['suppressor', 'maintenance'], ['waitPeriod', '120'], ['extensionPeriod', '60']]);
  await form('', 'add', [['ALARM', receiverArn]]);
  await form('', 'submit');
  const created = await waitRow('svc-health', 'created');
  assert.equal(created.state, 'ALARM', 'child-a in ALARM and child-b OK');
  assert.equal(created.rule, 'ALARM("child-a") AND OK("child-b")');
  assert.equal(created.note, 'Suppressor maintenance (WaitPeriod 120 s, ExtensionPeriod 60 s)');
  assert.equal(created.description, 'the service as a whole');
  assert.equal(created.links, `λ ${receiver}`);
  assert.equal(await page.call(() => document.querySelector('.alarm-creator').children.length), 0, 'the form closes once saved');
  const put = await described('svc-health');
  assert.deepEqual([put.AlarmRule, put.AlarmActions, put.ActionsSuppressor, put.ActionsSuppressorWaitPeriod, put.ActionsSuppressorExtensionPeriod],
    ['ALARM("child-a") AND OK("child-b")', [receiverArn], 'maintenance', 120, 60]);
  // Its rule, not a child alone: child-b in ALARM makes OK("child-b") false.
  await setAlarmState(cw, 'child-b', 'ALARM');
  await untilState('svc-health', 'OK');

  // Refused: a rule AWS cannot read, then one naming an alarm that does not exist. Nothing created.
  await press('', 'alarm-create-composite');
  await formReady('');
  await form('', 'fill', [['name', 'bad-rule'], ['rule', 'ALARM("child-a") OR']]);
  await form('', 'submit');
  const syntax = await compositeRefusal({ AlarmName: 'bad-rule', AlarmRule: 'ALARM("child-a") OR' });
  assert.match(syntax, /^Error in AlarmRule \[Unsupported token/);
  assert.equal(await formError(''), `Not saved: ${syntax}`);
  await form('', 'fill', [['rule', 'ALARM("child-a") OR ALARM("no-such-alarm")']]);
  await form('', 'submit');
  const missing = await compositeRefusal({ AlarmName: 'bad-rule', AlarmRule: 'ALARM("child-a") OR ALARM("no-such-alarm")' });
  assert.match(missing, /no-such-alarm/);
  await page.waitFor('the second refusal', (m: string) => document.querySelector('.alarm-creator .alarm-form-error')?.textContent === m, [`Not saved: ${missing}`]);
  assert.equal((await form('', 'values') as Record<string, string>).rule, 'ALARM("child-a") OR ALARM("no-such-alarm")', 'the rule stays as typed');
  assert.equal(await described('bad-rule'), undefined);
  await page.call(() => document.querySelector('.alarm-creator .alarm-form-cancel').click());

  // Edit: the suppression shown and changed, then removed; the composite itself not offered.
  await press('svc-health', 'alarm-edit');
  const editing = await formReady('svc-health');
  assert.deepEqual([editing.readonly, editing.rule, editing.suppressor, editing.waitPeriod, editing.extensionPeriod], ['true', 'ALARM("child-a") AND OK("child-b")', 'maintenance', '120', '60']);
  assert.deepEqual(await options('svc-health', 'ruleInsert'), ['child-a', 'child-b', 'maintenance']);
  await form('svc-health', 'fill', [['extensionPeriod', '30']]);
  await form('svc-health', 'submit');
  await waitRow('svc-health', 'the new extension period', (r) => r.note.includes('ExtensionPeriod 30 s'));
  assert.equal((await described('svc-health')).ActionsSuppressorExtensionPeriod, 30);
  await press('svc-health', 'alarm-edit');
  await formReady('svc-health');
  await form('svc-health', 'fill', [['suppressor', '']]);
  await form('svc-health', 'submit');
  await waitRow('svc-health', 'no suppressor', (r) => r.note === '');
  const unsuppressed = await described('svc-health');
  assert.deepEqual([unsuppressed.ActionsSuppressor, unsuppressed.AlarmRule, unsuppressed.AlarmActions], [undefined, 'ALARM("child-a") AND OK("child-b")', [receiverArn]]);
  assert.deepEqual(page.problems, []);
});

test('a metric math alarm: an alias\'s error rate created, its state follows the invocations; its queries edited', { skip: browserSkip, timeout: 120_000 }, async () => {
  const fn = 'math-target';
  await createNodeFunction(env.lambda, fn, "exports.handler = async (e) => { if (e.fail) throw new Error('boom'); return 'ok'; };");
  const v1 = await env.lambda.send(new PublishVersionCommand({ FunctionName: fn }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: v1.Version }));
  const dims = [{ Name: 'FunctionName', Value: fn }, { Name: 'Resource', Value: `${fn}:live` }];

  await open(env.url);
  await press('', 'alarm-create');
  await formReady('');
  // The function and alias picked, then Metric math: the alias's error rate to start from.
  await form('', 'fill', [['name', 'live-error-rate'], ['function', fn], ['qualifier', 'live'], ['source', 'math']]);
  const seeded = await form('', 'values') as Record<string, string>;
  assert.deepEqual([seeded['query-0-id'], seeded['query-0-metricName'], seeded['query-0-dimensions'], seeded['query-1-id'], seeded['query-2-kind'], seeded['query-2-expression'], seeded['query-return']],
    ['errors', 'Errors', `FunctionName=${fn}, Resource=${fn}:live`, 'invocations', 'expression', '100 * errors / invocations', '2']);
  await form('', 'fill', [['threshold', '50'], ['treatMissingData', 'notBreaching']]);
  await form('', 'submit');
  const created = await waitRow('live-error-rate', 'created');
  assert.equal(created.rule, '100 * errors / invocations > 50 for 1 period');
  assert.equal(created.note, 'Error rate (%)');
  const metric = (id: string, name: string) => ({ Id: id, ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: name, Dimensions: dims }, Period: 60, Stat: 'Sum' } });
  const expected = [metric('errors', 'Errors'), metric('invocations', 'Invocations'), { Id: 'rate', Label: 'Error rate (%)', ReturnData: true, Expression: '100 * errors / invocations' }];
  const put = await described('live-error-rate');
  assert.deepEqual(put.Metrics, expected);
  assert.equal(put.Namespace, undefined);

  // No invocations: no datapoint, not breaching. A failing invocation of the alias: 100% > 50.
  await untilState('live-error-rate', 'OK');
  await env.lambda.send(new InvokeCommand({ FunctionName: fn, Qualifier: 'live', Payload: Buffer.from('{"fail":true}') }));
  await untilState('live-error-rate', 'ALARM');
  assert.match((await described('live-error-rate')).StateReason, /^Threshold Crossed: 1 datapoint \[100\.0 /);

  // Edit: the queries prefilled; a row added and removed; the expression changed.
  await press('live-error-rate', 'alarm-edit');
  const editing = await formReady('live-error-rate');
  assert.deepEqual([editing.source, editing.function, editing.qualifier, editing['query-2-expression'], editing['query-2-label'], editing['query-return'], editing['query-3-id']],
    ['math', fn, 'live', '100 * errors / invocations', 'Error rate (%)', '2', undefined]);
  await form('live-error-rate', 'press', [['alarm-query-add-metric', '']]);
  const added = await form('live-error-rate', 'values') as Record<string, string>;
  assert.deepEqual([added['query-3-id'], added['query-3-kind'], added['query-3-dimensions']], ['m1', 'metric', `FunctionName=${fn}, Resource=${fn}:live`]);
  await page.call(() => [...document.querySelectorAll('tbody.alarm .alarm-query')].at(-1).querySelector('.alarm-query-remove').click());
  await form('live-error-rate', 'fill', [['query-2-expression', '100 * errors / (invocations + 1)'], ['query-2-label', 'Error rate, damped']]);
  await form('live-error-rate', 'submit');
  const edited = await waitRow('live-error-rate', 'the new expression', (r) => r.rule.startsWith('100 * errors / (invocations + 1)'));
  assert.equal(edited.rule, '100 * errors / (invocations + 1) > 50 for 1 period');
  assert.equal(edited.note, 'Error rate, damped');
  const after = await described('live-error-rate');
  assert.deepEqual(after.Metrics, [...expected.slice(0, 2), { Id: 'rate', Label: 'Error rate, damped', ReturnData: true, Expression: '100 * errors / (invocations + 1)' }]);
  assert.equal(after.Threshold, 50);
  assert.deepEqual(page.problems, []);
});

test('a hostile label and expression stay text, in the row, the Edit form and AWS\'s refusal', { skip: browserSkip, timeout: 60_000 }, async () => {
  const label = '<img src=x onerror="window.pwned=1">rate';
  // A valid expression that reads as HTML: query `img` compared (errors < img) > 0.
  const expression = 'errors<img>0';
  await open(env.url);
  await press('', 'alarm-create');
  await formReady('');
  await form('', 'fill', [['name', 'hostile-math'], ['source', 'math']]);
  await form('', 'fill', [['query-1-id', 'img'], ['query-2-expression', expression], ['query-2-label', label], ['threshold', '1']]);
  await form('', 'submit');
  const r = await waitRow('hostile-math', 'created');
  assert.equal(r.rule, `${expression} > 1 for 1 period`);
  assert.equal(r.note, label);
  await press('hostile-math', 'alarm-edit');
  const values = await formReady('hostile-math');
  assert.deepEqual([values['query-2-expression'], values['query-2-label']], [expression, label]);
  // Refused: AWS's message, whatever it quotes, is text too.
  const bad = 'errors <script>window.pwned=2</script>';
  await form('hostile-math', 'fill', [['query-2-expression', bad]]);
  await form('hostile-math', 'submit');
  const message = await formError('hostile-math');
  const sdk = await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'hostile-math', EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
    Metrics: [...(await described('hostile-math')).Metrics.slice(0, 2), { Id: 'rate', Expression: bad, ReturnData: true }],
  })).then(() => assert.fail('accepted'), (e: Error) => e.message);
  assert.equal(message, `Not saved: ${sdk}`);
  assert.equal(await page.evaluate("document.querySelectorAll('main img, main script').length"), 0);
  assert.equal(await page.evaluate('window.pwned'), undefined);
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['hostile-math'] }));
});
