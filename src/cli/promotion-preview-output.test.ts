import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aliasPreviewLines, stagePreviewLines } from './promotion-preview-output.js';
import { palette } from './output.js';
import type { AliasPromotionPreview } from '../deploy/promotion-preview.js';
import type { StagePromotionPreview } from '../deploy/stage-promotion-preview.js';

const plain = palette(process.stdout, true);
const base: AliasPromotionPreview = {
  dryRun: true, kind: 'function', function: 'f', from: 'dev', to: 'prod', source: { ref: 'dev', version: '2' },
  action: 'move', current: { version: '1', weights: {} }, target: { version: '2', weights: {} },
  configuration: { fromVersion: '1', toVersion: '2', changes: [{ field: 'Layers', before: ['arn:l:1'], after: [] }], environment: { added: [], removed: ['OLD'], changed: [] } },
  permissions: [], changes: true,
};

test('a move: the target, the differing fields (lists joined, empty ones named) and variables by name', () => {
  const text = aliasPreviewLines(base, plain).join('\n');
  assert.match(text, /^Would point f:prod → version 2 \(now version 1\)\./);
  assert.match(text, /Layers\s+arn:l:1\s+→\s+\(none\)/);
  assert.match(text, /Environment variables: removed OLD \(values not shown\)/);
});

test('the same version with permissions still missing is not "nothing to change"', () => {
  const text = aliasPreviewLines({ ...base, action: 'unchanged', current: base.target, configuration: null,
    permissions: [{ statementId: 's1', action: 'lambda:InvokeFunction', sourceArn: 'arn:x' }] }, plain).join('\n');
  assert.match(text, /^f:prod already runs version 2\.\n/);
  assert.match(text, /would be copied to f:prod:\n {2}s1 {2}lambda:InvokeFunction {2}arn:x/);
  const none = aliasPreviewLines({ ...base, action: 'unchanged', current: base.target, configuration: null, changes: false }, plain);
  assert.deepEqual(none, ['f:prod already runs version 2; nothing to change.']);
});

test('a stage: the deployments with their descriptions and dates, route signs, and what happens to variables', () => {
  const p: StagePromotionPreview = {
    dryRun: true, kind: 'api-stage', api: { kind: 'rest', id: 'a1', name: 'shop' }, from: 'dev', to: 'prod', action: 'finish-canary',
    current: { id: 'd1', description: '', createdDate: '2026-01-02T03:04:05.000Z' }, target: { id: 'd2', description: 'two', createdDate: null },
    routes: { added: [{ route: 'GET /b', integration: 'mock' }], removed: [], changed: [{ route: 'GET /a', integration: 'mock', integrationBefore: 'http_proxy GET http://x', fields: ['integration.type'] }], unchanged: 2 },
    stageVariables: { effect: 'overridden', overrides: ['color'] }, changes: true,
  };
  const text = stagePreviewLines(p, plain).join('\n');
  assert.match(text, /Would finish the canary: shop \(a1\) stage prod → deployment d2 \("two"\) \(now d1 \(created 2026-01-02T03:04:05Z\)\)\./);
  assert.match(text, / {2}\+ GET \/b {2}→ mock\n {2}~ GET \/a {2}\(integration\.type\)\n {6}http_proxy GET http:\/\/x → mock\n {2}2 other routes unchanged\./);
  assert.match(text, /the canary's overrides \(color\) would become its values/);
});
