// The fuzz verdict catches what it is there to catch: server errors for client mistakes, 501s of
// served operations, error bodies out of their protocol's shape, and successes an SDK cannot parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../aws/model.js';
import { judge, type VerdictContext } from './verdict.js';
import type { WireResponse } from './send.js';

const lambda = loadModel('lambda-2015-03-31');
const logs = loadModel('logs-2014-03-28');
const sts = loadModel('sts-2011-06-15');
const ctx = (model: typeof lambda, service: string, op: string, documented: string[] = []): VerdictContext =>
  ({ service, model, op: model.operations[op], documented: new Set(documented) });
const answer = (status: number, body: string, type?: string): WireResponse =>
  ({ status, headers: type ? { 'x-amzn-errortype': type } : {}, body: Buffer.from(body) });

test('AWS-shaped client errors pass', () => {
  assert.deepEqual(judge(ctx(lambda, 'lambda', 'GetFunction'), answer(404, '{"Type":"User","Message":"Function not found"}', 'ResourceNotFoundException')), []);
  assert.deepEqual(judge(ctx(logs, 'logs', 'CreateLogGroup'), answer(400, '{"__type":"InvalidParameterException","message":"x"}', 'InvalidParameterException')), []);
  assert.deepEqual(judge(ctx(sts, 'sts', 'AssumeRole'), answer(501, '<ErrorResponse xmlns="x"><Error><Type>Receiver</Type><Code>InvalidAction</Code><Message>m</Message></Error></ErrorResponse>')), []);
  assert.deepEqual(judge(ctx(lambda, 'lambda', 'GetFunction'), answer(200, '{"Configuration":{"FunctionName":"f","Timeout":3}}')), []);
});

test('server errors, 501s of served operations and misshapen answers are problems', () => {
  assert.equal(judge(ctx(lambda, 'lambda', 'GetFunction'), answer(500, '{"Type":"Service","Message":"x"}', 'ServiceException')).length, 1);
  assert.equal(judge(ctx(lambda, 'lambda', 'GetFunction', ['GetFunction']), answer(501, '{"message":"x"}', 'UnknownOperationException')).length, 1);
  assert.equal(judge(ctx(lambda, 'lambda', 'GetFunction'), answer(400, 'not json', 'ValidationException')).length, 1);
  assert.equal(judge(ctx(lambda, 'lambda', 'GetFunction'), answer(400, '{"message":"no error type header"}')).length, 1);
  assert.equal(judge(ctx(logs, 'logs', 'CreateLogGroup'), answer(400, '{"__type":"Other","message":"x"}', 'InvalidParameterException')).length, 1);
  assert.equal(judge(ctx(sts, 'sts', 'GetCallerIdentity'), answer(400, '{"message":"json, not XML"}', 'ValidationError')).length, 1);
  assert.equal(judge(ctx(lambda, 'lambda', 'GetFunction'), answer(200, '{"Configuration":{"Timeout":"3"}}')).length, 1);
});
