import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingApiTags, ownedApi, stackApiTags } from './api-ownership.js';

interface Api { id: string; tags?: Record<string, string> }
const tagsOf = (a: Api) => a.tags;
const api = (id: string, stack?: string, logicalId?: string): Api => ({
  id, tags: stack === undefined ? undefined : { 'stagecraft:stack': stack, ...(logicalId ? { 'aws:cloudformation:logical-id': logicalId } : {}) },
});

test('a stack finds its own API by logical ID, never another stack\'s of the same name', () => {
  assert.deepEqual(ownedApi([api('a', 'A', 'Api'), api('b', 'B', 'Api')], tagsOf, 'B', 'Api'), { found: api('b', 'B', 'Api'), adopted: false });
  assert.deepEqual(ownedApi([api('a', 'A', 'Api')], tagsOf, 'B', 'Api'), {}, 'another stack\'s: B makes its own');
  // Two APIs of one stack with the same name (CDK constructs of the same id in different scopes) by logical ID.
  assert.equal(ownedApi([api('x', 'A', 'OneApi1'), api('y', 'A', 'TwoApi2')], tagsOf, 'A', 'TwoApi2').found?.id, 'y');
});

test('APIs deployed before the logical-ID tag, and hand-made ones, are found as before', () => {
  assert.deepEqual(ownedApi([api('old', 'A'), api('b', 'B', 'Api')], tagsOf, 'A', 'Api'), { found: api('old', 'A'), adopted: false });
  assert.deepEqual(ownedApi([api('hand')], tagsOf, 'A', 'Api'), { found: api('hand'), adopted: true });
  assert.deepEqual(ownedApi([api('h1'), api('h2')], tagsOf, 'A', 'Api').ambiguous?.map((a) => a.id), ['h1', 'h2']);
  assert.deepEqual(ownedApi([api('o1', 'A'), api('o2', 'A')], tagsOf, 'A', 'Api').ambiguous?.map((a) => a.id), ['o1', 'o2']);
});

test('the tags a stack\'s API carries, and what an older one lacks', () => {
  assert.deepEqual(stackApiTags('A', 'Api'), { 'stagecraft:stack': 'A', 'aws:cloudformation:stack-name': 'A', 'aws:cloudformation:logical-id': 'Api' });
  assert.deepEqual(missingApiTags({ 'stagecraft:stack': 'A' }, 'A', 'Api'), { 'aws:cloudformation:stack-name': 'A', 'aws:cloudformation:logical-id': 'Api' });
  assert.deepEqual(missingApiTags(stackApiTags('A', 'Api'), 'A', 'Api'), {});
});
