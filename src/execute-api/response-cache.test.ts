import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CACHED_RESPONSE_BYTES, ResponseCache } from './response-cache.js';

const answer = (body: string) => ({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: Buffer.from(body) });

test('entries live for their TTL', () => {
  let now = 0;
  const cache = new ResponseCache(() => now);
  assert.equal(cache.set('api', 's', '0.5', 'k', answer('a'), 10), true);
  now = 9_999;
  assert.equal(cache.get('api', 's', '0.5', 'k')?.body.toString(), 'a');
  now = 10_000;
  assert.equal(cache.get('api', 's', '0.5', 'k'), undefined);
  assert.deepEqual(cache.stats('api', 's'), { entries: 0, bytes: 0 });
  assert.equal(cache.set('api', 's', '0.5', 'k', answer('a'), 0), false, 'TTL 0 keeps nothing');
});

test('a full stage cache drops its least recently used entries', () => {
  const cache = new ResponseCache();
  // 0.000002 GB = 2,000 bytes: room for one 1,500-byte entry.
  const size = '0.000002';
  cache.set('api', 's', size, 'a', answer('x'.repeat(1000)), 60);
  cache.set('api', 's', size, 'b', answer('y'.repeat(500)), 60);
  assert.ok(cache.get('api', 's', size, 'a'), 'a is now the most recently used');
  cache.set('api', 's', size, 'c', answer('z'.repeat(500)), 60);
  assert.equal(cache.get('api', 's', size, 'b'), undefined);
  assert.ok(cache.get('api', 's', size, 'a'));
  assert.ok(cache.get('api', 's', size, 'c'));
});

test('responses over 1 MB are not kept; a new size or a flush starts the stage empty', () => {
  const cache = new ResponseCache();
  assert.equal(cache.set('api', 's', '0.5', 'big', answer('x'.repeat(MAX_CACHED_RESPONSE_BYTES)), 60), false);
  cache.set('api', 's', '0.5', 'k', answer('a'), 60);
  cache.set('api', 'other', '0.5', 'k', answer('b'), 60);
  assert.equal(cache.get('api', 's', '1.6', 'k'), undefined, 'resizing recreates the cache');
  cache.set('api', 's', '1.6', 'k', answer('a'), 60);
  cache.flushStage('api', 's');
  assert.equal(cache.get('api', 's', '1.6', 'k'), undefined);
  assert.equal(cache.get('api', 'other', '0.5', 'k')?.body.toString(), 'b', 'other stages keep theirs');
});
