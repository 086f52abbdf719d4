import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateCoding, requestCodings } from './content-coding.js';

test('Accept-Encoding: an explicit gzip or deflate is chosen', () => {
  assert.equal(negotiateCoding('gzip'), 'gzip');
  assert.equal(negotiateCoding('deflate'), 'deflate');
  assert.equal(negotiateCoding(' GZIP '), 'gzip');
  assert.equal(negotiateCoding('deflate,gzip'), 'deflate');
  assert.equal(negotiateCoding('gzip, deflate, br'), 'gzip');
});

test('Accept-Encoding: the largest q wins, the first listed among equals', () => {
  assert.equal(negotiateCoding('deflate;q=0.5,gzip;q=1.0'), 'gzip');
  assert.equal(negotiateCoding('gzip;q=0.2, deflate;q=0.9'), 'deflate');
  assert.equal(negotiateCoding('gzip;q=1.0,identity;q=0.5,*;q=0'), 'gzip');
  assert.equal(negotiateCoding('deflate; q=0.8, gzip; Q=0.8'), 'deflate');
});

test('Accept-Encoding: nothing is compressed unless the highest-priority coding is supported', () => {
  assert.equal(negotiateCoding(undefined), undefined);
  assert.equal(negotiateCoding(''), undefined);
  assert.equal(negotiateCoding('*'), undefined);
  assert.equal(negotiateCoding('identity'), undefined);
  assert.equal(negotiateCoding('br'), undefined);
  assert.equal(negotiateCoding('br, gzip'), undefined);
  assert.equal(negotiateCoding('br;q=1, gzip;q=0.8'), undefined);
  assert.equal(negotiateCoding('identity;q=1, gzip;q=0.5'), undefined);
});

test('Accept-Encoding: q=0 refuses a coding; malformed q values count as 0', () => {
  assert.equal(negotiateCoding('gzip;q=0'), undefined);
  assert.equal(negotiateCoding('gzip;q=0, deflate'), 'deflate');
  assert.equal(negotiateCoding('gzip;q=abc, deflate;q=0.1'), 'deflate');
  assert.equal(negotiateCoding('br;q=0, gzip;q=0.3'), 'gzip');
});

test('Content-Encoding: deflate, gzip and identity, in the order applied; anything else is refused', () => {
  assert.deepEqual(requestCodings('gzip'), ['gzip']);
  assert.deepEqual(requestCodings('Deflate'), ['deflate']);
  assert.deepEqual(requestCodings('identity'), ['identity']);
  assert.deepEqual(requestCodings('deflate, gzip'), ['deflate', 'gzip']);
  assert.deepEqual(requestCodings(''), []);
  assert.equal(requestCodings('br'), undefined);
  assert.equal(requestCodings('compress'), undefined);
  assert.equal(requestCodings('gzip, br'), undefined);
});
