// The Alarms page's forms in a real browser (headless Chromium) against a real server: Create alarm
// (a function's Errors, and an alias's p99 Duration, with a function picked as the action) puts
// alarms that then appear with their state and condition; a refused input (an action ARN of another
// region) shows AWS's own message in the form; Edit opens the alarm as DescribeAlarms has it and a
// changed threshold shows in its row, a composite's rule and description likewise; Delete asks
// first, shows AWS's refusal while a composite names the alarm, and then removes it; a hostile name
// and description stay text. Skips when Chromium is not installed, unless STAGECRAFT_REQUIRE_BROWSER=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteAlarmsCommand, DescribeAlarmsCommand, PutCompositeAlarmCommand, PutMetricAlarmCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CreateAliasCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { testAccount } from '../src/testing/server.js';
import type { Page } from '../src/testing/browser.js';
import { browserSkip, useConsolePage } from '../src/testing/console-page.js';
import { createAlarmReceiver } from '../src/testing/alarm-receiver.js';
import { alarmFormPage, onForm } from '../src/testing/alarm-form-page.js';

declare const document: any;
declare const window: any;

const env = useServer({ args: ['--cloudwatch-interval', '300'] });
let page: Page;
let cw: CloudWatchClient;
useConsolePage((p) => { page = p; });
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const FN = 'form-alarm-target';
const fnArn = `arn:aws:lambda:us-east-1:${testAccount}:function:${FN}`;

const { form, formReady, press: pressIn, waitRow, gone } = alarmFormPage(() => page);
const described = async (name: string) => {
  const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
  return out.MetricAlarms?.[0] ?? out.CompositeAlarms?.[0];
};
/** AWS's message for `input` sent through the SDK (it must be refused). */
const refusal = (input: ConstructorParameters<typeof PutMetricAlarmCommand>[0]) => cw.send(new PutMetricAlarmCommand(input)).then(() => assert.fail('accepted'), (e: Error) => e.message);

test('create → listed with its state; a refused input shows AWS\'s message; edit → new threshold; composite edit; delete', { skip: browserSkip, timeout: 120_000 }, async () => {
  await createAlarmReceiver(env.lambda, FN, { SourceAccount: testAccount });
  const v1 = await env.lambda.send(new PublishVersionCommand({ FunctionName: FN }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: FN, Name: 'live', FunctionVersion: v1.Version }));

  await page.goto(`${env.url}/_stagecraft/console/#alarms`);
  await page.waitFor('the page', () => document.querySelector('button.alarm-create') && !document.querySelector('.alarms').hasAttribute('aria-busy'), []);

  // Create: the function picked writes AWS/Lambda's dimensions; its ARN picked as the ALARM action.
  await page.call(() => document.querySelector('button.alarm-create').click());
  const fresh = await formReady('');
  assert.equal(fresh.namespace, 'AWS/Lambda');
  assert.equal(fresh.readonly, 'false');
  await form('', 'fill', [['name', 'fn-errors'], ['function', FN], ['metricName', 'Errors'], ['statistic', 'Sum'], ['period', '60'],
    ['comparison', 'GreaterThanThreshold'], ['threshold', '5'], ['evaluationPeriods', '3'], ['datapointsToAlarm', '2'], ['treatMissingData', 'ignore'], ['description', 'errors of the function']]);
  await form('', 'add', [['ALARM', fnArn]]);
  assert.equal(((await form('', 'values')) as Record<string, string>).dimensions, `FunctionName=${FN}`);
  await form('', 'submit');
  const created = await waitRow('fn-errors', 'created');
  assert.equal(created.state, 'INSUFFICIENT_DATA');
  assert.equal(created.rule, `Sum(AWS/Lambda Errors {FunctionName=${FN}}) per 60s > 5 for 2 of 3 periods`);
  assert.equal(created.links, `λ ${FN}`);
  assert.equal(created.description, 'errors of the function');
  assert.equal(await page.call(() => document.querySelector('.alarm-creator').children.length), 0, 'the form closes once saved');
  const put = (await described('fn-errors')) as any;
  assert.deepEqual(put.Dimensions, [{ Name: 'FunctionName', Value: FN }]);
  assert.deepEqual(put.AlarmActions, [fnArn]);
  assert.equal(put.TreatMissingData, 'ignore');

  // An alias and a percentile: Resource fn:alias, ExtendedStatistic.
  await page.call(() => document.querySelector('button.alarm-create').click());
  await formReady('');
  await form('', 'fill', [['name', 'fn-live-p99'], ['function', FN], ['qualifier', 'live'], ['metricName', 'Duration'], ['statistic', 'p99'], ['threshold', '250']]);
  await form('', 'submit');
  assert.equal((await waitRow('fn-live-p99', 'created')).rule, `p99(AWS/Lambda Duration {FunctionName=${FN},Resource=${FN}:live}) per 60s > 250 for 1 period`);
  assert.equal(((await described('fn-live-p99')) as any).ExtendedStatistic, 'p99');

  // Refused: an action in another region. AWS's message in the form; nothing created; the values stay.
  const badArn = `arn:aws:lambda:eu-west-1:${testAccount}:function:${FN}`;
  await page.call(() => document.querySelector('button.alarm-create').click());
  await formReady('');
  await form('', 'fill', [['name', 'fn-refused'], ['function', FN], ['actions-OK', badArn]]);
  await form('', 'submit');
  const error = await page.waitFor('the form\'s error', onForm, ['', 'error', []]);
  const expected = await refusal({
    AlarmName: 'fn-refused', Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: FN }], Statistic: 'Sum', Period: 60,
    EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', OKActions: [badArn],
  });
  assert.equal(error, `Not saved: ${expected}`);
  assert.match(String(error), /Invalid region eu-west-1/);
  assert.equal(((await form('', 'values')) as Record<string, string>)['actions-OK'], badArn);
  assert.equal(await described('fn-refused'), undefined);
  await page.call(() => document.querySelector('.alarm-form-cancel').click());

  // Edit: prefilled from DescribeAlarms, the name fixed; the new threshold shows in the row.
  await pressIn('fn-errors', 'alarm-edit');
  const editing = await formReady('fn-errors');
  assert.deepEqual([editing.name, editing.readonly, editing.function, editing.threshold, editing.evaluationPeriods, editing.datapointsToAlarm, editing.treatMissingData, editing['actions-ALARM']],
    ['fn-errors', 'true', FN, '5', '3', '2', 'ignore', fnArn]);
  await form('fn-errors', 'fill', [['threshold', '7.5']]);
  await form('fn-errors', 'submit');
  assert.equal((await waitRow('fn-errors', 'the new threshold', (r) => r.rule.includes('> 7.5'))).rule, `Sum(AWS/Lambda Errors {FunctionName=${FN}}) per 60s > 7.5 for 2 of 3 periods`);
  assert.equal(await page.evaluate("document.activeElement.textContent + ' ' + document.activeElement.closest('tbody').dataset.alarm"), 'Edit fn-errors');
  const edited = (await described('fn-errors')) as any;
  assert.equal(edited.Threshold, 7.5);
  assert.deepEqual(edited.AlarmActions, [fnArn]);

  // A composite's rule and description.
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'fn-health', AlarmRule: 'ALARM("fn-errors")', AlarmDescription: 'before' }));
  await page.call(() => document.getElementById('reload').click());
  await waitRow('fn-health', 'listed');
  await pressIn('fn-health', 'alarm-edit');
  assert.equal((await formReady('fn-health')).rule, 'ALARM("fn-errors")');
  await form('fn-health', 'fill', [['rule', 'ALARM("fn-errors") OR ALARM("fn-live-p99")'], ['description', 'after']]);
  await form('fn-health', 'submit');
  const composite = await waitRow('fn-health', 'edited', (r) => r.description === 'after');
  assert.equal(composite.rule, 'ALARM("fn-errors") OR ALARM("fn-live-p99")');

  // Delete: Cancel keeps it; confirmed while the composite names it, AWS's refusal in the row.
  page.acceptDialogs = false;
  await pressIn('fn-errors', 'alarm-delete');
  assert.equal(page.dialogs.at(-1), 'Delete alarm fn-errors? This cannot be undone.');
  page.acceptDialogs = true;
  await pressIn('fn-errors', 'alarm-delete');
  const sdkRefusal = await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['fn-errors'] })).then(() => assert.fail('deleted'), (e: Error) => e.message);
  assert.equal((await waitRow('fn-errors', 'refused', (r) => r.message !== '')).message, `Not deleted: ${sdkRefusal}`);
  assert.ok(await described('fn-errors'));
  await pressIn('fn-health', 'alarm-delete');
  assert.equal(page.dialogs.at(-1), 'Delete composite alarm fn-health? This cannot be undone.');
  await gone('fn-health');
  await pressIn('fn-errors', 'alarm-delete');
  await gone('fn-errors');
  assert.equal(await described('fn-errors'), undefined);
  assert.equal(await described('fn-health'), undefined);
  await page.call(() => document.getElementById('reload').click());
  await waitRow('fn-live-p99', 'listed after Reload');
  assert.deepEqual(await page.call(() => [...document.querySelectorAll('tbody.alarm')].map((b: any) => b.dataset.alarm)), ['fn-live-p99']);
  assert.deepEqual(page.problems, []);
});

test('a hostile name and description entered in the form stay text, in the row and in the Edit form', { skip: browserSkip, timeout: 60_000 }, async () => {
  const name = 'x<img src=x onerror="window.pwned=1">';
  const description = '<b>bold</b> & <script>window.pwned=2</script>';
  await page.goto('about:blank');
  await page.goto(`${env.url}/_stagecraft/console/#alarms`);
  await page.waitFor('the page', () => document.querySelector('button.alarm-create') && !document.querySelector('.alarms').hasAttribute('aria-busy'), []);
  await page.call(() => document.querySelector('button.alarm-create').click());
  await formReady('');
  await form('', 'fill', [['name', name], ['namespace', 'Custom/App'], ['metricName', 'Latency'], ['dimensions', 'Route=<a href=x>'], ['statistic', 'Average'], ['threshold', '1'], ['description', description]]);
  await form('', 'submit');
  const r = await waitRow(name, 'created');
  assert.equal(r.name, name);
  assert.equal(r.description, description);
  assert.equal(r.rule, 'Average(Custom/App Latency {Route=<a href=x>}) per 60s > 1 for 1 period');
  await pressIn(name, 'alarm-edit');
  const values = await formReady(name);
  assert.equal(values.name, name);
  assert.equal(values.description, description);
  assert.equal(values.dimensions, 'Route=<a href=x>');
  assert.equal(await page.evaluate("document.querySelectorAll('main img, main b, main script, main a[href=x]').length"), 0);
  assert.equal(await page.evaluate('window.pwned'), undefined);
  await cw.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
});
