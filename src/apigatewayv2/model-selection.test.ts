import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkModelSelectionExpression, selectModel } from './model-selection.js';

test('without an expression the $default model applies; without requestModels nothing does', () => {
  assert.equal(selectModel({ requestModels: { $default: 'Chat' } }, '{"text":"hi"}'), 'Chat');
  assert.equal(selectModel({}, '{"text":"hi"}'), undefined);
  assert.equal(selectModel({ requestModels: { other: 'Chat' } }, '{}'), undefined);
});

test('a body expression picks the key, falling back to $default when it yields none or an unknown one', () => {
  const route = { modelSelectionExpression: '$request.body.kind', requestModels: { text: 'Text', image: 'Image', $default: 'Any' } };
  assert.equal(selectModel(route, '{"kind":"image"}'), 'Image');
  assert.equal(selectModel(route, '{"kind":"video"}'), 'Any');
  assert.equal(selectModel(route, 'not json'), 'Any');
  const templated = { modelSelectionExpression: '${request.body.kind}/v1', requestModels: { 'text/v1': 'TextV1' } };
  assert.equal(selectModel(templated, '{"kind":"text"}'), 'TextV1');
  assert.equal(selectModel(templated, '{"kind":"image"}'), undefined);
});

test('a literal expression always picks its key', () => {
  assert.equal(selectModel({ modelSelectionExpression: 'strict', requestModels: { strict: 'Strict', $default: 'Loose' } }, '{}'), 'Strict');
});

test('expressions reading anything but the body are refused', () => {
  assert.doesNotThrow(() => checkModelSelectionExpression('$request.body.type'));
  assert.doesNotThrow(() => checkModelSelectionExpression('$default'));
  assert.throws(() => checkModelSelectionExpression('$request.header.x'), /Invalid model selection expression/);
  assert.throws(() => checkModelSelectionExpression(''), /Invalid model selection expression/);
});
