import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envelope } from './envelope.js';
import { targetInput } from './input-transform.js';

const event = envelope({ accountId: '123456789012', region: 'us-east-1' }, {
  id: 'e-1', source: 'com.example', detailType: 'Thing Happened', detail: { name: 'Ann "A"', count: 3, nested: { a: [1, 2] } }, resources: ['arn:r'], timeMs: Date.parse('2026-01-01T00:00:00.250Z'),
});
const arn = 'arn:aws:events:us-east-1:123456789012:rule/r';
const input = (target: Record<string, unknown>) => targetInput({ Id: 't', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:f', ...target }, event, arn, 'r');

test('the whole event by default, in AWS\'s envelope', () => {
  assert.deepEqual(JSON.parse(input({})), {
    version: '0', id: 'e-1', 'detail-type': 'Thing Happened', source: 'com.example', account: '123456789012', time: '2026-01-01T00:00:00Z', region: 'us-east-1',
    resources: ['arn:r'], detail: { name: 'Ann "A"', count: 3, nested: { a: [1, 2] } },
  });
});

test('Input is sent as given; InputPath selects a part', () => {
  assert.equal(input({ Input: '{"fixed":true}' }), '{"fixed":true}');
  assert.equal(input({ InputPath: '$.detail.nested' }), '{"a":[1,2]}');
  assert.equal(input({ InputPath: '$.detail.nested.a[1]' }), '2');
  assert.equal(input({ InputPath: '$.detail.missing' }), 'null');
});

test('InputTransformer: JSON values outside quotes, text inside, predefined variables', () => {
  const transformer = (InputTemplate: string, InputPathsMap: Record<string, string> = { name: '$.detail.name', count: '$.detail.count', nested: '$.detail.nested', none: '$.detail.none' }) =>
    input({ InputTransformer: { InputPathsMap, InputTemplate } });
  assert.deepEqual(JSON.parse(transformer('{"who": <name>, "n": <count>, "obj": <nested>, "none": <none>}')), { who: 'Ann "A"', n: 3, obj: { a: [1, 2] }, none: null });
  assert.equal(JSON.parse(transformer('"<name> counted <count> <none>"')), 'Ann "A" counted 3 ');
  assert.deepEqual(JSON.parse(transformer('{"rule": "<aws.events.rule-name>", "arn": <aws.events.rule-arn>, "id": <aws.events.event>}', {})).rule, 'r');
  assert.equal(JSON.parse(transformer('{"arn": <aws.events.rule-arn>}', {})).arn, arn);
  assert.equal(transformer('{"keep": "<unknown>"}'), '{"keep": "<unknown>"}');
});
