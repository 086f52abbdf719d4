// Invocation records have AWS's version 1.0 shape (as recorded on AWS), in AWS's member order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invocationRecord } from './invocation-record.js';

const base = {
  requestId: 'c2a6f2ae-7dbb-4d22-8782-d0485c9877e2',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fn:$LATEST',
  payload: Buffer.from('{"raise_error":1}'),
  now: new Date('2026-01-02T03:04:05.678Z'),
};

test('a failure record carries the request, the last response and its function error', () => {
  const record = invocationRecord({
    ...base, condition: 'RetriesExhausted', attempts: 3,
    response: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled', payload: '{"errorMessage":"boom","errorType":"Error"}' },
  });
  assert.deepEqual(record, {
    version: '1.0',
    timestamp: '2026-01-02T03:04:05.678Z',
    requestContext: { requestId: base.requestId, functionArn: base.functionArn, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: { raise_error: 1 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorMessage: 'boom', errorType: 'Error' },
  });
  assert.deepEqual(Object.keys(record), ['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload']);
});

test('a success record has no functionError; empty and non-JSON payloads are kept as the function saw them', () => {
  const record = invocationRecord({ ...base, payload: Buffer.alloc(0), condition: 'Success', attempts: 1, response: { statusCode: 200, executedVersion: '1', payload: 'null' } });
  assert.deepEqual(record.requestPayload, {});
  assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '1' });
  assert.equal(record.responsePayload, null);
  const text = invocationRecord({ ...base, condition: 'Success', attempts: 1, response: { statusCode: 200, payload: 'plain text' } });
  assert.equal(text.responsePayload, 'plain text');
});

test('an event that expired before it ever ran has no response', () => {
  const record = invocationRecord({ ...base, condition: 'EventAgeExceeded', attempts: 0 });
  assert.equal(record.requestContext.approximateInvokeCount, 0);
  assert.equal('responseContext' in record, false);
  assert.equal('responsePayload' in record, false);
});
