// SAM's FunctionUrlConfig as the deploy reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionUrlSpec } from './function-url-spec.js';

const fail = (m: string): never => {
  throw new Error(m);
};

test('AuthType, Cors in Lambda shape and InvokeMode are read', () => {
  assert.deepEqual(functionUrlSpec({ AuthType: 'NONE' }, fail), { authType: 'NONE' });
  assert.deepEqual(functionUrlSpec({ AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM', Cors: { AllowOrigins: ['*'], MaxAge: '30', AllowCredentials: false } }, fail), {
    authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM', cors: { AllowOrigins: ['*'], MaxAge: 30, AllowCredentials: false },
  });
});

test('mistakes are refused with what is expected', () => {
  assert.throws(() => functionUrlSpec({}, fail), /AuthType must be NONE or AWS_IAM$/);
  assert.throws(() => functionUrlSpec({ AuthType: 'NONE', Auth: 'x' }, fail), /has no property Auth/);
  assert.throws(() => functionUrlSpec({ AuthType: 'NONE', InvokeMode: 'STREAM' }, fail), /InvokeMode must be BUFFERED or RESPONSE_STREAM/);
  assert.throws(() => functionUrlSpec({ AuthType: 'NONE', Cors: { AllowOrigin: "'*'" } }, fail), /Cors has no property AllowOrigin/);
  assert.throws(() => functionUrlSpec({ AuthType: 'NONE', Cors: { AllowOrigins: '*' } }, fail), /AllowOrigins is a list of strings/);
  assert.throws(() => functionUrlSpec({ AuthType: 'NONE', Cors: { MaxAge: 90000 } }, fail), /MaxAge is a whole number of seconds from 0 to 86400/);
  assert.throws(() => functionUrlSpec('NONE', fail), /is a map/);
});
