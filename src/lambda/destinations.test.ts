// Which destination ARNs name a function to invoke, another service, or nothing AWS accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { destinationTarget } from './destinations.js';

test('function ARNs (qualified or not) are functions to invoke; other services are elsewhere', () => {
  assert.deepEqual(destinationTarget('arn:aws:lambda:us-east-1:000000000000:function:recorder', 'onSuccess'),
    { kind: 'function', ref: { accountId: '000000000000', region: 'us-east-1', name: 'recorder', qualifier: undefined } });
  assert.deepEqual(destinationTarget('arn:aws:lambda:eu-west-1:111111111111:function:recorder:live', 'onFailure'),
    { kind: 'function', ref: { accountId: '111111111111', region: 'eu-west-1', name: 'recorder', qualifier: 'live' } });
  for (const service of ['sqs', 'sns', 'events']) {
    assert.deepEqual(destinationTarget(`arn:aws:${service}:us-east-1:000000000000:thing`, 'onSuccess'), { kind: 'elsewhere', service });
  }
  assert.deepEqual(destinationTarget('arn:aws:s3:::bucket', 'onFailure'), { kind: 'elsewhere', service: 's3' });
});

test('what AWS refuses as a destination is undefined', () => {
  assert.equal(destinationTarget('arn:aws:iam:us-east-1:000000000000:function:fn', 'onSuccess'), undefined);
  assert.equal(destinationTarget('arn:aws:s3:::bucket', 'onSuccess'), undefined, 'S3 only takes failure records');
  assert.equal(destinationTarget('arn:aws:lambda:us-east-1:000000000000:layer:x', 'onSuccess'), undefined);
  assert.equal(destinationTarget('recorder', 'onSuccess'), undefined);
});
