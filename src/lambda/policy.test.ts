import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch, isAllowed } from './policy.js';
import type { PolicyRecord } from '../store/lambda-store.js';

const statement = (sourceArn: string) => ({
  Sid: 's', Effect: 'Allow' as const, Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction',
  Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f:prod', Condition: { ArnLike: { 'AWS:SourceArn': sourceArn } },
});
const req = (sourceArn: string) => ({ principal: 'apigateway.amazonaws.com', action: 'lambda:InvokeFunction', sourceArn, sourceAccount: '000000000000' });

test('ArnLike globbing: * spans any characters including slashes, ? one, the rest literal', () => {
  assert.ok(globMatch('arn:aws:execute-api:us-east-1:000000000000:abc/*/GET/hello', 'arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/hello'));
  assert.ok(globMatch('arn:aws:execute-api:*:*:abc/*', 'arn:aws:execute-api:us-east-1:000000000000:abc/dev/POST/a/b'));
  assert.ok(!globMatch('arn:aws:execute-api:us-east-1:000000000000:abc/*/GET/hello', 'arn:aws:execute-api:us-east-1:000000000000:abc/prod/POST/hello'));
  assert.ok(globMatch('a?c', 'abc') && !globMatch('a?c', 'abbc'));
  assert.ok(!globMatch('a.c', 'abc'), 'dots are literal');
});

test('a statement grants only its principal, action and source', () => {
  const policy: PolicyRecord = { revisionId: 'r', statements: [statement('arn:aws:execute-api:us-east-1:000000000000:abc/*/GET/hello')] };
  assert.ok(isAllowed(policy, req('arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/hello')));
  assert.ok(!isAllowed(policy, req('arn:aws:execute-api:us-east-1:000000000000:other/prod/GET/hello')));
  assert.ok(!isAllowed(policy, { ...req('arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/hello'), principal: 's3.amazonaws.com' }));
  assert.ok(!isAllowed(undefined, req('x')));
  // A new policy record (after a change) is evaluated afresh.
  const narrowed: PolicyRecord = { revisionId: 'r2', statements: [statement('arn:aws:execute-api:us-east-1:000000000000:abc/dev/GET/hello')] };
  assert.ok(!isAllowed(narrowed, req('arn:aws:execute-api:us-east-1:000000000000:abc/prod/GET/hello')));
});

test('SourceAccount conditions must hold; unknown operators never grant', () => {
  const base = statement('*');
  const withAccount: PolicyRecord = { revisionId: 'a', statements: [{ ...base, Condition: { StringEquals: { 'AWS:SourceAccount': '111111111111' } } }] };
  assert.ok(!isAllowed(withAccount, req('arn:x')));
  const odd: PolicyRecord = { revisionId: 'b', statements: [{ ...base, Condition: { NumericLessThan: { 'AWS:SourceArn': '1' } } }] };
  assert.ok(!isAllowed(odd, req('arn:x')));
});

test('function URL statements: principal *, lambda:InvokeFunctionUrl and the lambda:FunctionUrlAuthType condition', () => {
  const policy: PolicyRecord = {
    revisionId: 'r',
    statements: [{
      Sid: 'url', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
    }],
  };
  assert.ok(isAllowed(policy, { principal: '*', action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE' }));
  assert.ok(!isAllowed(policy, { principal: '*', action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'AWS_IAM' }));
  assert.ok(!isAllowed(policy, { principal: '*', action: 'lambda:InvokeFunctionUrl' }), 'a condition on a key the request lacks does not hold');
  assert.ok(!isAllowed(policy, { principal: '*', action: 'lambda:InvokeFunction', functionUrlAuthType: 'NONE' }));
});

test('lambda:InvokedViaFunctionUrl (Bool) holds only for calls through a function URL', () => {
  const policy: PolicyRecord = {
    revisionId: 'r',
    statements: [{
      Sid: 'via-url', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
    }],
  };
  assert.ok(isAllowed(policy, { principal: '*', action: 'lambda:InvokeFunction', functionUrlAuthType: 'NONE' }));
  assert.ok(!isAllowed(policy, { principal: 'apigateway.amazonaws.com', action: 'lambda:InvokeFunction', sourceArn: 'arn:aws:execute-api:us-east-1:000000000000:a/*' }));
});
