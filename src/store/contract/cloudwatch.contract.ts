// The CloudWatchStore contract: every backend (src/store/*/stores.test.ts) runs these cases.
// Datapoints of one minute (or second) added by several writers (a cluster's nodes) add up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreBackend } from './backend.js';
import type { CloudWatchStore, MetricDatapoint, SeriesId, StoredAlarmHistory } from '../cloudwatch-store.js';
import { Histogram } from '../../cloudwatch/histogram.js';
import { parseAlarm, parseAnyAlarm, storedAlarm, type AlarmRecord } from '../../cloudwatch/alarm-record.js';
import type { CompositeAlarmRecord } from '../../cloudwatch/composite-record.js';
import { settleComposites } from '../../cloudwatch/composite-evaluation.js';

const scope = { accountId: '000000000000', region: 'us-east-1' };
const errors: SeriesId = { ...scope, namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: '[{"Name":"FunctionName","Value":"f"}]' };
const point = (series: SeriesId, minute: number, values: Partial<MetricDatapoint> = {}): MetricDatapoint =>
  ({ ...series, timestampMs: minute * 60_000, sum: 1, sampleCount: 1, min: 1, max: 1, ...values });

export function cloudWatchStoreContract(backend: StoreBackend): void {
  const withStore = (name: string, fn: (store: CloudWatchStore) => Promise<void>) => test(`${backend.name}: CloudWatchStore ${name}`, async () => {
    const opened = await backend.open();
    try {
      await fn(opened.cloudwatch);
    } finally {
      await opened.close();
    }
  });

  withStore('adds statistic sets of the same minute and reads a time range', async (store) => {
    await store.addDatapoints([point(errors, 10, { sum: 2, sampleCount: 4, min: 0, max: 1, unit: 'Count' }), point(errors, 11)]);
    // A second writer (another node) flushing the same minute, concurrently with a third.
    await Promise.all([
      store.addDatapoints([point(errors, 10, { sum: 3, sampleCount: 3, min: 1, max: 1 })]),
      store.addDatapoints([point(errors, 10, { sum: -1, sampleCount: 1, min: -1, max: 7 })]),
    ]);
    const read = await store.datapoints(errors, 10 * 60_000, 12 * 60_000);
    assert.deepEqual(read, [
      point(errors, 10, { sum: 4, sampleCount: 8, min: -1, max: 7, unit: 'Count' }),
      point(errors, 11),
    ]);
    assert.deepEqual(await store.datapoints(errors, 11 * 60_000, 12 * 60_000), [point(errors, 11)]);
    assert.deepEqual(await store.datapoints({ ...errors, dimensions: '[]' }, 0, 1e15), []);
    assert.deepEqual(await store.datapoints({ ...errors, region: 'eu-west-1' }, 0, 1e15), []);
  });

  withStore('adds the histograms of a minute; a minute written without one keeps none', async (store) => {
    const duration: SeriesId = { ...errors, metricName: 'Duration' };
    const histogramOf = (...values: number[]) => {
      const h = new Histogram();
      for (const v of values) h.add(v);
      return h;
    };
    await store.addDatapoints([point(duration, 10, { sampleCount: 2, histogram: histogramOf(1, 100) })]);
    await Promise.all([
      store.addDatapoints([point(duration, 10, { sampleCount: 1, histogram: histogramOf(100) })]),
      store.addDatapoints([point(duration, 10, { sampleCount: 2, histogram: histogramOf(5, 5) }), point(duration, 11)]),
    ]);
    const [ten, eleven] = await store.datapoints(duration, 0, 1e15);
    assert.deepEqual(ten.histogram?.buckets, histogramOf(1, 100, 100, 5, 5).buckets);
    assert.equal(ten.histogram?.count, 5);
    assert.equal(ten.sampleCount, 5);
    assert.equal(eleven.histogram, undefined);
    // A statistic set added later leaves the histogram as it was (now short of samples).
    await store.addDatapoints([point(duration, 10, { sampleCount: 3 })]);
    assert.equal((await store.datapoints(duration, 0, 1e15))[0].histogram?.count, 5);
  });

  withStore('lists series active since a time, and purges old minutes', async (store) => {
    const custom: SeriesId = { ...scope, namespace: 'Shop', metricName: 'Orders', dimensions: '[]' };
    await store.addDatapoints([point(errors, 1), point(custom, 5), point({ ...custom, region: 'eu-west-1' }, 5)]);
    assert.deepEqual(await store.series(scope, 0), [errors, custom]);
    assert.deepEqual(await store.series(scope, 2 * 60_000), [custom]);
    assert.equal(await store.purgeDatapoints(5 * 60_000), 1);
    assert.deepEqual(await store.datapoints(errors, 0, 1e15), []);
    assert.equal((await store.datapoints(custom, 0, 1e15)).length, 1);
  });

  withStore('keeps seconds (high resolution) apart from minutes: added up, read and purged on their own', async (store) => {
    const second = (s: number, values: Partial<MetricDatapoint> = {}): MetricDatapoint => ({ ...point(errors, 0, values), timestampMs: 600_000 + s * 1000 });
    await store.addDatapoints([second(1, { sum: 2, max: 2 }), second(5)], 'second');
    await Promise.all([store.addDatapoints([second(1, { sum: 3, min: 0 })], 'second'), store.addDatapoints([second(1)], 'second')]);
    assert.deepEqual(await store.datapoints(errors, 600_000, 606_000, 'second'), [second(1, { sum: 6, sampleCount: 3, min: 0, max: 2 }), second(5)]);
    assert.deepEqual(await store.datapoints(errors, 0, 1e15), [], 'no minutes');
    await store.addDatapoints([point(errors, 10)]);
    assert.equal(await store.purgeDatapoints(603_000, 'second'), 1);
    assert.deepEqual(await store.datapoints(errors, 0, 1e15, 'second'), [second(5)]);
    assert.equal((await store.datapoints(errors, 0, 1e15)).length, 1, 'the minute stays');
  });

  withStore('creates, replaces (compare-and-set), lists and deletes alarms', async (store) => {
    await store.putAlarm({ ...scope, name: 'b', body: '{"v":1}' });
    await store.putAlarm({ ...scope, name: 'a', body: '{"v":1}' });
    await store.putAlarm({ ...scope, region: 'eu-west-1', name: 'c', body: '{}' });
    await store.putAlarm({ ...scope, name: 'b', body: '{"v":2}' });
    assert.deepEqual((await store.listAlarms(scope)).map((a) => [a.name, a.body]), [['a', '{"v":1}'], ['b', '{"v":2}']]);
    assert.equal((await store.allAlarms()).length, 3);
    assert.equal((await store.getAlarm(scope, 'b'))?.body, '{"v":2}');
    assert.equal(await store.getAlarm(scope, 'c'), undefined);
    assert.equal(await store.replaceAlarm({ ...scope, name: 'b', body: '{"v":3}' }, '{"v":1}'), false);
    assert.equal(await store.replaceAlarm({ ...scope, name: 'b', body: '{"v":3}' }, '{"v":2}'), true);
    assert.equal((await store.getAlarm(scope, 'b'))?.body, '{"v":3}');
    await store.deleteAlarms(scope, ['a', 'b', 'missing']);
    assert.deepEqual(await store.listAlarms(scope), []);
    assert.equal((await store.allAlarms()).length, 1);
  });

  withStore('keeps a metric math alarm as written: its queries, and compare-and-set on its body', async (store) => {
    const record: AlarmRecord = {
      ...scope, AlarmName: 'error-rate', ActionsEnabled: true, OKActions: [], AlarmActions: [], InsufficientDataActions: [], Dimensions: [],
      Metrics: [
        { Id: 'errors', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'f' }] }, Period: 60, Stat: 'Sum' } },
        { Id: 'rate', Expression: '100 * errors / invocations', Label: 'Error rate (%) — ünïcode', ReturnData: true },
      ],
      EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', configurationUpdatedMs: 1, StateValue: 'INSUFFICIENT_DATA', StateReason: 'x', stateUpdatedMs: 1, stateTransitionedMs: 1,
    };
    await store.putAlarm(storedAlarm(record));
    const stored = (await store.getAlarm(scope, 'error-rate'))!;
    assert.deepEqual(parseAlarm(stored), record);
    const fired = { ...record, StateValue: 'ALARM' as const };
    assert.equal(await store.replaceAlarm(storedAlarm(fired), stored.body), true);
    assert.deepEqual(parseAlarm((await store.allAlarms()).find((a) => a.name === 'error-rate')!).Metrics, record.Metrics);
    await store.deleteAlarms(scope, ['error-rate']);
  });

  withStore('keeps a composite alarm beside metric alarms; nodes settling it at once write its transition once', async (store) => {
    const child: AlarmRecord = {
      ...scope, AlarmName: 'child', ActionsEnabled: true, OKActions: [], AlarmActions: [], InsufficientDataActions: [], Dimensions: [], Namespace: 'N', MetricName: 'M',
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
      configurationUpdatedMs: 1, StateValue: 'ALARM', StateReason: 'x', stateUpdatedMs: 5, stateTransitionedMs: 5,
    };
    const composite: CompositeAlarmRecord = {
      AlarmType: 'CompositeAlarm', ...scope, AlarmName: 'parent', AlarmRule: 'ALARM("child") AND NOT FALSE', ActionsEnabled: false, OKActions: [], AlarmActions: ['arn:aws:sns:us-east-1:000000000000:t'],
      InsufficientDataActions: [], ActionsSuppressor: 'child', ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 90, Tags: [{ Key: 'k', Value: 'ü' }],
      configurationUpdatedMs: 1, StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation', stateUpdatedMs: 1, stateTransitionedMs: 1,
    };
    await store.putAlarm(storedAlarm(child));
    await store.putAlarm(storedAlarm(composite));
    assert.deepEqual(parseAnyAlarm((await store.getAlarm(scope, 'parent'))!), composite);
    // Two nodes see the same child change at once: compare-and-set lets one write the transition.
    const counts = await Promise.all([1, 2].map(() => settleComposites(store, scope, { names: ['child'] }, () => 10)));
    assert.equal(counts[0] + counts[1], 1);
    const settled = parseAnyAlarm((await store.getAlarm(scope, 'parent'))!);
    assert.equal(settled.StateValue, 'ALARM');
    assert.equal(settled.stateTransitionedMs, 10);
    const history = await store.alarmHistory(scope, { alarmTypes: ['CompositeAlarm'], ascending: true, limit: 10 });
    assert.deepEqual(history.map((h) => [h.alarmName, h.alarmType, h.summary]), [['parent', 'CompositeAlarm', 'Alarm updated from INSUFFICIENT_DATA to ALARM']]);
  });

  withStore('keeps alarm history: filters, both scan orders, keyset pages, purge', async (store) => {
    const item = (alarmName: string, timestampMs: number, itemType: StoredAlarmHistory['itemType'] = 'StateUpdate'): StoredAlarmHistory =>
      ({ ...scope, alarmName, alarmType: 'MetricAlarm', timestampMs, itemType, summary: `${alarmName}@${timestampMs}`, data: '{}' });
    await store.addAlarmHistory(item('a', 1000, 'ConfigurationUpdate'));
    await store.addAlarmHistory(item('a', 2000));
    await store.addAlarmHistory(item('b', 2000));
    await store.addAlarmHistory(item('a', 3000));
    await store.addAlarmHistory({ ...item('a', 2500), region: 'eu-west-1' });
    const summaries = async (q: Partial<Parameters<CloudWatchStore['alarmHistory']>[1]>) =>
      (await store.alarmHistory(scope, { ascending: false, limit: 100, ...q })).map((h) => h.summary);
    assert.deepEqual(await summaries({}), ['a@3000', 'b@2000', 'a@2000', 'a@1000'], 'newest first; same millisecond: last written first');
    assert.deepEqual(await summaries({ ascending: true }), ['a@1000', 'a@2000', 'b@2000', 'a@3000']);
    assert.deepEqual(await summaries({ alarmName: 'a', itemType: 'StateUpdate' }), ['a@3000', 'a@2000']);
    assert.deepEqual(await summaries({ fromMs: 2000, toMs: 2000 }), ['b@2000', 'a@2000']);
    assert.deepEqual(await summaries({ alarmTypes: ['CompositeAlarm'] }), []);
    const first = await store.alarmHistory(scope, { ascending: true, limit: 2 });
    const last = first[first.length - 1];
    assert.deepEqual((await store.alarmHistory(scope, { ascending: true, limit: 2, after: { timestampMs: last.timestampMs, id: last.id } })).map((h) => h.summary), ['b@2000', 'a@3000']);
    const [newest] = await store.alarmHistory(scope, { ascending: false, limit: 1 });
    assert.deepEqual(newest, { ...item('a', 3000), id: newest.id });
    assert.equal(await store.purgeAlarmHistory(2000), 1);
    assert.deepEqual(await summaries({ ascending: true }), ['a@2000', 'b@2000', 'a@3000']);
  });
}
