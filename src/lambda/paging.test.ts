import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageAfter } from './paging.js';
import { isAwsError } from '../core/errors.js';

const names = ['a', 'b', 'c', 'd', 'e'];
const key = (s: string) => s;

test('pages follow one another by the last key served, and a deleted key still resumes after it', () => {
  const first = pageAfter(names, key, undefined, 2);
  assert.deepEqual(first.items, ['a', 'b']);
  const second = pageAfter(names, key, first.nextMarker, 2);
  assert.deepEqual(second.items, ['c', 'd']);
  assert.deepEqual(pageAfter(names, key, second.nextMarker, 2), { items: ['e'], nextMarker: undefined });
  assert.deepEqual(pageAfter(['a', 'c', 'e'], key, first.nextMarker, 5).items, ['c', 'e']);
});

test('a marker the server did not make is refused as AWS refuses an invalid one', () => {
  for (const marker of ['garbage', '!!!', 'YQ==', 'abc']) {
    assert.throws(() => pageAfter(names, key, marker, 2), (e: unknown) =>
      isAwsError(e) && e.code === 'InvalidParameterValueException' && e.message === 'Invalid marker.', marker);
  }
});
