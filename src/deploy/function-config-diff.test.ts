import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffFunctionConfigurations, isEmptyConfigurationDiff } from './function-config-diff.js';

const v1 = {
  FunctionName: 'f', Version: '1', FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:1', LastModified: '2026-01-01T00:00:00.000+0000', RevisionId: 'a',
  CodeSha256: 'aaa', CodeSize: 100, Runtime: 'nodejs20.x', Handler: 'index.handler', MemorySize: 128, Timeout: 3, Architectures: ['x86_64'],
  Layers: [{ Arn: 'arn:aws:lambda:us-east-1:000000000000:layer:l:1', CodeSize: 10 }],
  Environment: { Variables: { KEEP: 'same', SECRET: 'old-secret', GONE: 'x' } },
  TracingConfig: { Mode: 'PassThrough' },
};

test('identity and bookkeeping fields are not differences', () => {
  const diff = diffFunctionConfigurations(v1, { ...v1, Version: '2', FunctionArn: 'other', LastModified: 'later', RevisionId: 'b', State: 'Active' });
  assert.ok(isEmptyConfigurationDiff(diff));
});

test('main fields come first in a fixed order, other fields after; layers compare by ARN', () => {
  const v2 = {
    ...v1, CodeSha256: 'bbb', CodeSize: 120, Timeout: 10, Handler: 'app.handler',
    Layers: [{ Arn: 'arn:aws:lambda:us-east-1:000000000000:layer:l:2', CodeSize: 10 }], TracingConfig: { Mode: 'Active' }, Description: 'two',
  };
  const diff = diffFunctionConfigurations(v1, v2);
  assert.deepEqual(diff.changes.map((c) => c.field), ['CodeSha256', 'CodeSize', 'Handler', 'Timeout', 'Layers', 'Description', 'TracingConfig']);
  assert.deepEqual(diff.changes.find((c) => c.field === 'Layers'), {
    field: 'Layers', before: ['arn:aws:lambda:us-east-1:000000000000:layer:l:1'], after: ['arn:aws:lambda:us-east-1:000000000000:layer:l:2'],
  });
  assert.deepEqual(diff.changes.find((c) => c.field === 'Description'), { field: 'Description', before: null, after: 'two' });
});

test('environment variables are reported by name only, never by value', () => {
  const diff = diffFunctionConfigurations(v1, { ...v1, Environment: { Variables: { KEEP: 'same', SECRET: 'new-secret', NEW: 'y' } } });
  assert.deepEqual(diff.environment, { added: ['NEW'], removed: ['GONE'], changed: ['SECRET'] });
  assert.deepEqual(diff.changes, []);
  assert.doesNotMatch(JSON.stringify(diff), /secret|old-|new-/);
});

test('key order inside objects is not a difference', () => {
  const a = { ...v1, VpcConfig: { SubnetIds: ['s'], SecurityGroupIds: ['g'] } };
  const b = { ...v1, VpcConfig: { SecurityGroupIds: ['g'], SubnetIds: ['s'] } };
  assert.ok(isEmptyConfigurationDiff(diffFunctionConfigurations(a, b)));
});
