import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeDeploy } from './deploy-summary.js';
import type { Change } from '../deploy/progress.js';

const fn = { logicalId: 'Hello', name: 'hello-lambda', arn: 'arn', alias: 'dev', version: '4' };

test('a code change: the function by name, its new version and where the alias went', () => {
  const changes: Change[] = [
    { subject: 'Api', kind: 'unchanged', message: 'REST API hello-api' },
    { subject: 'Hello', kind: 'updated', message: 'code of hello-lambda (sha256 aaa → bbb, from src/)' },
    { subject: 'Hello', kind: 'published', message: 'version 4 of hello-lambda' },
    { subject: 'Hello', kind: 'moved', message: 'alias hello-lambda:dev → version 4 (was version 3)' },
  ];
  assert.equal(summarizeDeploy({ changes, functions: [fn], layers: [] }), 'hello-lambda: code updated, version 4, alias dev → 4');
});

test('configuration, a new function, a layer and other resources', () => {
  const changes: Change[] = [
    { subject: 'Deps', kind: 'published', message: 'layer deps version 2 (content sha256 …)' },
    { subject: 'Hello', kind: 'updated', message: 'configuration of hello-lambda: MemorySize' },
    { subject: 'Hello', kind: 'updated', message: 'settings of hello-lambda: tracing' },
    { subject: 'Other', kind: 'created', message: 'function other (nodejs20.x, index.handler, 1 file from src/)' },
    { subject: 'Api', kind: 'created', message: 'route GET /hi → hello-lambda:dev' },
  ];
  const summary = summarizeDeploy({ changes, functions: [fn, { logicalId: 'Other', name: 'other', arn: 'arn2' }], layers: [{ logicalId: 'Deps', name: 'deps', arn: 'l', version: 2 }] });
  assert.equal(summary, 'deps: version 2 published; hello-lambda: configuration updated; other: created; Api: route GET /hi → hello-lambda:dev [created]');
});

test('several changes of an API are counted by kind', () => {
  const changes: Change[] = [
    { subject: 'Api', kind: 'created', message: 'route GET /a → f:dev' },
    { subject: 'Api', kind: 'created', message: 'deployment d1 of api (2 routes)' },
    { subject: 'Api', kind: 'updated', message: 'stage dev → deployment d1' },
    { subject: 'Api', kind: 'removed', message: 'route GET /b' },
  ];
  assert.equal(summarizeDeploy({ changes, functions: [fn], layers: [] }), 'Api: 2 created, 1 updated, 1 removed');
});

test('nothing changed', () => {
  assert.equal(summarizeDeploy({ changes: [{ subject: 'Hello', kind: 'unchanged', message: 'function hello-lambda' }], functions: [fn], layers: [] }), 'nothing changed');
});
