import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRouteSelectionExpression, selectRouteKey } from './selection-expressions.js';

test('a whole $request.body path selects the value at that path', () => {
  const e = parseRouteSelectionExpression('$request.body.action');
  assert.equal(selectRouteKey(e, '{"action":"sendmessage"}'), 'sendmessage');
  assert.equal(selectRouteKey(e, '{"action":7}'), '7');
  assert.equal(selectRouteKey(e, '{"other":1}'), undefined);
  assert.equal(selectRouteKey(e, 'not json'), undefined);
  assert.equal(selectRouteKey(e, '[1]'), undefined);
  assert.equal(selectRouteKey(parseRouteSelectionExpression('$request.body.message.type'), '{"message":{"type":"x"}}'), 'x');
});

test('templates join literal text and ${request.body.path} parts', () => {
  const e = parseRouteSelectionExpression('${request.body.service}/${request.body.action}');
  assert.equal(selectRouteKey(e, '{"service":"chat","action":"join"}'), 'chat/join');
  assert.equal(selectRouteKey(e, '{"service":"chat"}'), undefined);
});

test('expressions that read anything but the body are refused', () => {
  for (const bad of ['$request.method $request.path', 'action', '$request.header.x', '${request.body.}', '$request.body.a b']) {
    assert.throws(() => parseRouteSelectionExpression(bad), /Invalid route selection expression/, bad);
  }
});
