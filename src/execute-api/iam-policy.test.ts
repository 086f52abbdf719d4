import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePolicy, parsePolicyDocument } from './iam-policy.js';

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets/7';
const doc = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
const decide = (document: unknown) => evaluatePolicy(parsePolicyDocument(document)!, ARN);

test('Allow for the method ARN, exactly or by wildcards', () => {
  assert.equal(decide(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: ARN })), 'Allow');
  assert.equal(decide(doc({ Effect: 'Allow', Action: 'execute-api:*', Resource: 'arn:aws:execute-api:*:*:abc123/*/GET/*' })), 'Allow');
  assert.equal(decide(doc({ Effect: 'Allow', Action: ['s3:GetObject', 'EXECUTE-API:INVOKE'], Resource: ['arn:aws:execute-api:us-east-1:000000000000:abc123/prod/GET/pets/?'] })), 'Allow');
  assert.equal(decide({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }), 'Allow', 'a single statement object is accepted');
});

test('nothing matching is an implicit deny; a matching Deny wins over any Allow', () => {
  assert.equal(decide(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:000000000000:abc123/prod/POST/*' })), 'ImplicitDeny');
  assert.equal(decide(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' })), 'ImplicitDeny');
  assert.equal(decide(doc()), 'ImplicitDeny');
  assert.equal(decide(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: ARN })), 'ExplicitDeny');
  assert.equal(decide(doc({ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:abc123/prod/GET/other' }, { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*' })), 'Allow');
  assert.equal(decide(doc({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })), 'ImplicitDeny');
});

test('documents that are not IAM policies are refused', () => {
  for (const bad of [undefined, null, 'Allow', [], {}, { Statement: 'x' }, doc({ Effect: 'allow', Action: '*', Resource: '*' }), doc({ Effect: 'Allow', Resource: '*' }), doc({ Effect: 'Allow', Action: '*', Resource: 7 })]) {
    assert.equal(parsePolicyDocument(bad), undefined, JSON.stringify(bad));
  }
});
