// The nesting limit on user-supplied JSON documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nestsDeeperThan, parseShallowJson } from './json-depth.js';

test('nesting is counted over objects and arrays, without recursion', () => {
  assert.equal(nestsDeeperThan({ a: [1] }, 2), false);
  assert.equal(nestsDeeperThan({ a: [[1]] }, 2), true);
  assert.equal(nestsDeeperThan('x', 0), false);
  assert.equal(nestsDeeperThan(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000))), true);
  assert.equal(parseShallowJson('{"a":{"b":[]}}', 3) !== undefined, true);
  assert.throws(() => parseShallowJson('{"a":{"b":[]}}', 2), SyntaxError);
  assert.throws(() => parseShallowJson('{'), SyntaxError);
});
