import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTargetArns, vpcLinkView, VPC_LINK_READY } from './vpc-links.js';
import type { VpcLinkRecord } from '../../store/vpc-link-store.js';

const NLB = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/orders/1234567890abcdef';
const refusal = (message: string) => (e: any) => e.name === 'BadRequestException' && e.message === message;

test('a link targets exactly one well-formed ARN, as AWS checks', () => {
  checkTargetArns([NLB]);
  assert.throws(() => checkTargetArns([]), refusal('A target arn must be specified for vpc link.'));
  assert.throws(() => checkTargetArns([NLB, NLB]), refusal('More than one target arn specified for vpc link.'));
  assert.throws(() => checkTargetArns(['invalid-arn']), refusal('Invalid ARN. ARN is not well formed invalid-arn'));
  assert.throws(() => checkTargetArns(['arn:aws:elasticloadbalancing']), refusal('Invalid ARN. ARN is not well formed arn:aws:elasticloadbalancing'));
});

test('a link is rendered available, with tags always on Get and Update and otherwise only when it has some', () => {
  const link: VpcLinkRecord = {
    accountId: '000000000000', region: 'us-east-1', kind: 'rest', id: 'abc123', name: 'orders', targetArns: [NLB], subnetIds: [], securityGroupIds: [], tags: {}, createdDate: 0,
  };
  assert.deepEqual(vpcLinkView(link), { id: 'abc123', name: 'orders', targetArns: [NLB], status: 'AVAILABLE', statusMessage: VPC_LINK_READY });
  assert.deepEqual(vpcLinkView(link, { tagsAlways: true }).tags, {});
  assert.deepEqual(vpcLinkView({ ...link, description: 'd', tags: { a: 'b' } }).tags, { a: 'b' });
});
