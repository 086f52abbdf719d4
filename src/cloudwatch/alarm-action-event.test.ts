import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alarmActionEvent } from './alarm-action-event.js';
import type { AlarmRecord } from './alarm-record.js';

const base: AlarmRecord = {
  accountId: '111122223333', region: 'eu-west-1', AlarmName: 'error-rate', ActionsEnabled: true, OKActions: [], AlarmActions: [], InsufficientDataActions: [],
  Dimensions: [], EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', configurationUpdatedMs: 0,
  StateValue: 'OK', StateReason: 'fine', stateUpdatedMs: Date.UTC(2026, 10, 27, 8, 30), stateTransitionedMs: Date.UTC(2026, 10, 27, 8, 30),
  Metrics: [
    { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'f' }] }, Period: 60, Stat: 'Sum' }, ReturnData: false },
    { Id: 'rate', Expression: '100 * errors', Label: 'Error rate' },
  ],
};

test('a metric math alarm\'s event: its queries in camelCase, the watched one returning data; states with their reasons', () => {
  const after: AlarmRecord = { ...base, StateValue: 'ALARM', StateReason: 'Threshold Crossed', StateReasonData: '{"version":"1.0"}', stateUpdatedMs: Date.UTC(2026, 10, 27, 8, 31, 0, 5) };
  assert.deepEqual(JSON.parse(JSON.stringify(alarmActionEvent(base, after))), {
    source: 'aws.cloudwatch',
    alarmArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:error-rate',
    accountId: '111122223333',
    time: '2026-11-27T08:31:00.005+0000',
    region: 'eu-west-1',
    alarmData: {
      alarmName: 'error-rate',
      state: { value: 'ALARM', reason: 'Threshold Crossed', reasonData: '{"version":"1.0"}', timestamp: '2026-11-27T08:31:00.005+0000' },
      previousState: { value: 'OK', reason: 'fine', timestamp: '2026-11-27T08:30:00.000+0000' },
      configuration: {
        metrics: [
          { id: 'errors', metricStat: { metric: { namespace: 'AWS/Lambda', name: 'Errors', dimensions: { FunctionName: 'f' } }, period: 60, stat: 'Sum' }, returnData: false },
          { id: 'rate', expression: '100 * errors', label: 'Error rate', returnData: true },
        ],
      },
    },
  });
});
