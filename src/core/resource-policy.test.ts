import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servicePolicyAllows, type ServiceRequest } from './resource-policy.js';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:orders';
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:alerts';
const send = (extra: Partial<ServiceRequest> = {}): ServiceRequest => ({
  principal: 'sns.amazonaws.com', action: 'sqs:SendMessage', resource: QUEUE, sourceArn: TOPIC, sourceAccount: '000000000000', ...extra,
});
const policy = (...Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const allowSns = (Condition?: unknown) => ({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: QUEUE, ...(Condition ? { Condition } : {}) });

test('no policy, or an unparsable one, allows no service', () => {
  assert.equal(servicePolicyAllows(undefined, send()), false);
  assert.equal(servicePolicyAllows('{not json', send()), false);
});

test('an Allow for the service principal and action, with ArnEquals aws:SourceArn', () => {
  const p = policy(allowSns({ ArnEquals: { 'aws:SourceArn': TOPIC } }));
  assert.equal(servicePolicyAllows(p, send()), true);
  assert.equal(servicePolicyAllows(p, send({ sourceArn: `${TOPIC}-other` })), false);
  assert.equal(servicePolicyAllows(p, send({ principal: 's3.amazonaws.com' })), false);
  assert.equal(servicePolicyAllows(p, send({ action: 'sqs:DeleteMessage' })), false);
});

test('ArnLike wildcards, StringEquals aws:SourceAccount, action wildcards and lists, single statements', () => {
  const p = JSON.stringify({ Statement: { Effect: 'Allow', Principal: { Service: ['s3.amazonaws.com', 'events.amazonaws.com'] }, Action: ['SQS:*'], Resource: QUEUE,
    Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::photos-*' }, StringEquals: { 'aws:SourceAccount': '000000000000' } } } });
  const s3 = (sourceArn: string, sourceAccount = '000000000000') => send({ principal: 's3.amazonaws.com', sourceArn, sourceAccount });
  assert.equal(servicePolicyAllows(p, s3('arn:aws:s3:::photos-2026')), true);
  assert.equal(servicePolicyAllows(p, s3('arn:aws:s3:::videos')), false);
  assert.equal(servicePolicyAllows(p, s3('arn:aws:s3:::photos-2026', '111111111111')), false);
});

test('an explicit Deny wins over an Allow; Principal "*" and {AWS:"*"} include services', () => {
  const deny = { Effect: 'Deny', Principal: '*', Action: 'sqs:SendMessage', Resource: QUEUE, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } };
  const p = policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sqs:SendMessage', Resource: QUEUE }, deny);
  assert.equal(servicePolicyAllows(p, send()), true);
  assert.equal(servicePolicyAllows(p, send({ sourceAccount: '111111111111' })), false);
});

test('a resource that does not match, or no Resource (the policy\'s own resource)', () => {
  assert.equal(servicePolicyAllows(policy({ ...allowSns(), Resource: 'arn:aws:sqs:us-east-1:000000000000:other' }), send()), false);
  const { Resource: _omitted, ...noResource } = allowSns();
  assert.equal(servicePolicyAllows(policy(noResource), send()), true);
});

test('SNS\'s default topic policy: aws:SourceOwner only holds for services that send it', () => {
  const p = policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['SNS:Publish'], Resource: TOPIC, Condition: { StringEquals: { 'AWS:SourceOwner': '000000000000' } } });
  const publish = { action: 'sns:Publish', resource: TOPIC, sourceArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:a', sourceAccount: '000000000000' };
  assert.equal(servicePolicyAllows(p, { ...publish, principal: 'cloudwatch.amazonaws.com', sourceOwner: '000000000000' }), true);
  assert.equal(servicePolicyAllows(p, { ...publish, principal: 'events.amazonaws.com' }), false);
});
