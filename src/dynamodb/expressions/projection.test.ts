import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Item } from '../attribute-value.js';
import { expressions } from './index.js';
import { refuses, scopeOf } from './test-helpers.js';

const item: Item = {
  id: { S: '1' },
  m: { M: { a: { N: '1' }, b: { M: { c: { S: 'c' }, d: { S: 'd' } } } } },
  l: { L: [{ S: 'zero' }, { M: { x: { N: '1' }, y: { N: '2' } } }, { S: 'two' }] },
};

function project(expression: string, names?: Record<string, string>) {
  return expressions.projection(expression, scopeOf(undefined, names));
}

test('projects top-level and nested attributes, keeping their structure', () => {
  assert.deepEqual(project('id').project(item), { id: { S: '1' } });
  assert.deepEqual(project('id, m.b.c, absent, m.zz').project(item), { id: { S: '1' }, m: { M: { b: { M: { c: { S: 'c' } } } } } });
  assert.deepEqual(project('#m.a', { '#m': 'm' }).project(item), { m: { M: { a: { N: '1' } } } });
  assert.deepEqual(project('id, m').topLevelNames, ['id', 'm']);
  assert.deepEqual(project('m.a, m.b').topLevelNames, ['m']);
});

test('list elements come back as a shorter list in index order', () => {
  assert.deepEqual(project('l[2], l[1].y, l[9]').project(item), { l: { L: [{ M: { y: { N: '2' } } }, { S: 'two' }] } });
  assert.deepEqual(project('m[0], id.x').project(item), {});
});

test('refuses overlapping paths, reserved words and bad syntax', () => {
  refuses(() => project('m, m.a'), 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, a]');
  const overlap = 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths;';
  refuses(() => project('id, m.b, m'), `${overlap} path one: [m, b], path two: [m]`);
  refuses(() => project('l[0], l'), `${overlap} path one: [l, [0]], path two: [l]`);
  refuses(() => project('#p, #p.#q', { '#p': 'm', '#q': 'b' }), `${overlap} path one: [m], path two: [m, b]`);
  refuses(() => project('id, id'), `${overlap} path one: [id], path two: [id]`);
  refuses(() => project('l[0], l.a'), 'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, a]');
  refuses(() => project('id, AND'), 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: AND');
  refuses(() => project('id, name'), 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name');
  refuses(() => project('id,'), 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","');
  refuses(() => project('#n'), 'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #n');
  const long = Array.from({ length: 1000 }, (_, i) => `a${i}`).join(',');
  refuses(() => project(long), 'Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;');
  assert.doesNotThrow(() => project(`a${'z'.repeat(4095)}`));
  const condition = `attribute_not_exists(a${'z'.repeat(4096)})`;
  refuses(
    () => expressions.condition(condition, 'ConditionExpression', scopeOf()),
    `Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: ${condition.length}`,
  );
  refuses(() => expressions.update(`SET a${'z'.repeat(4096)} = :v`, scopeOf()), 'Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;');
  assert.equal(project(long.slice(0, 4096).replace(/,[^,]*$/, '')).topLevelNames.length > 500, true);
  refuses(() => project(''), 'Invalid ProjectionExpression: The expression can not be empty;');
});
