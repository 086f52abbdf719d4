import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportViolations } from './export-rules.js';

const current = [
  { name: 'A:Arn', value: 'arn-1', stackName: 'A', importers: ['B', 'C'] },
  { name: 'A:Free', value: 'x', stackName: 'A', importers: [] },
];

test('CloudFormation\'s refusals, in its words', () => {
  assert.deepEqual(exportViolations(current, 'A', [{ name: 'A:Arn', value: 'arn-1' }], []), [], 'an unused export may go');
  assert.deepEqual(exportViolations(current, 'A', [{ name: 'A:Arn', value: 'arn-2' }, { name: 'A:Free', value: 'y' }], []), ['Export A:Arn cannot be updated as it is in use by B, C']);
  assert.deepEqual(exportViolations(current, 'A', [{ name: 'A:Arn' }, { name: 'A:Free' }], []), [], 'a value not known yet is not compared');
  assert.deepEqual(exportViolations(current, 'A', [], []), ['Export A:Arn cannot be deleted as it is in use by B, C']);
  assert.deepEqual(exportViolations(current, 'D', [{ name: 'A:Free', value: 'x' }], ['A:Arn', 'A:Nope']), [
    'Export with name A:Free is already exported by stack A',
    'No export named A:Nope found',
  ]);
  assert.deepEqual(exportViolations(current, 'B', [], ['A:Arn']), []);
  assert.deepEqual(exportViolations([], 'A', [{ name: 'n', value: '1' }, { name: 'n', value: '2' }], []), ['Template format error: Output export names must be unique: n']);
});
