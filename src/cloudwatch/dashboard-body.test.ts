import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardBodyErrors } from './dashboard-body.js';

const body = (widgets: unknown[]) => JSON.stringify({ widgets });
const metric = { type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { region: 'us-east-1', metrics: [['AWS/Lambda', 'Invocations', 'FunctionName', 'f']] } };

test('a valid body with metric, text, alarm and log widgets has no errors', () => {
  assert.deepEqual(dashboardBodyErrors(body([
    metric,
    { type: 'text', x: 0, y: 7, width: 3, height: 3, properties: { markdown: 'Hello' } },
    { type: 'alarm', properties: { alarms: ['arn:aws:cloudwatch:us-east-1:000000000000:alarm:a'] } },
    { type: 'log', properties: { query: "SOURCE '/aws/lambda/f' | fields @message", region: 'us-east-1' } },
  ])), []);
  assert.deepEqual(dashboardBodyErrors('{"widgets":[]}'), [], 'the array may be empty');
});

test('a body that is not a JSON object, or has no widgets array, is refused', () => {
  assert.deepEqual(dashboardBodyErrors('not json'), [{ DataPath: '', Message: 'The field DashboardBody must be a valid JSON object' }]);
  assert.deepEqual(dashboardBodyErrors('[]'), [{ DataPath: '', Message: 'The field DashboardBody must be a valid JSON object' }]);
  assert.deepEqual(dashboardBodyErrors('{}'), [{ DataPath: '', Message: "Should have required property 'widgets'" }]);
  assert.deepEqual(dashboardBodyErrors('{"widgets":{}}'), [{ DataPath: '/widgets', Message: 'Should be array' }]);
  assert.deepEqual(dashboardBodyErrors(body(Array(501).fill(metric))), [{ DataPath: '/widgets', Message: 'Should NOT have more than 500 items' }]);
});

test('widgets need a known type, properties, and a place on the 24-column grid', () => {
  assert.deepEqual(dashboardBodyErrors(body([{ x: 24, y: -1, width: 0, height: 1001 }, { type: 'pie', properties: {}, width: 2.5 }])), [
    { DataPath: '/widgets/0', Message: "Should have required property 'type'" },
    { DataPath: '/widgets/0', Message: "Should have required property 'properties'" },
    { DataPath: '/widgets/0/x', Message: 'Should be <= 23' },
    { DataPath: '/widgets/0/y', Message: 'Should be >= 0' },
    { DataPath: '/widgets/0/width', Message: 'Should be >= 1' },
    { DataPath: '/widgets/0/height', Message: 'Should be <= 1000' },
    { DataPath: '/widgets/1/type', Message: 'Should be equal to one of the allowed values' },
    { DataPath: '/widgets/1/width', Message: 'Should be integer' },
  ]);
});

test('each type needs its own properties', () => {
  assert.deepEqual(dashboardBodyErrors(body([
    { type: 'metric', properties: { metrics: [['AWS/Lambda', 'Errors'], 'Duration'] } },
    { type: 'text', properties: { markdown: 3 } },
    { type: 'alarm', properties: {} },
    { type: 'metric', properties: 'x' },
  ])), [
    { DataPath: '/widgets/0/properties', Message: "Should have required property 'region'" },
    { DataPath: '/widgets/0/properties/metrics/1', Message: 'Should be array' },
    { DataPath: '/widgets/1/properties/markdown', Message: 'Should be string' },
    { DataPath: '/widgets/2/properties', Message: "Should have required property 'alarms'" },
    { DataPath: '/widgets/3/properties', Message: 'Should be object' },
  ]);
});
