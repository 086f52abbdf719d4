import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advertiseUrl } from './advertise-url.js';

test('a node advertises the address it listens on, loopback for a wildcard, or the configured URL', () => {
  assert.equal(advertiseUrl(undefined, '127.0.0.1', 4566), 'http://127.0.0.1:4566');
  assert.equal(advertiseUrl(undefined, '10.0.0.7', 4567), 'http://10.0.0.7:4567');
  assert.equal(advertiseUrl(undefined, '0.0.0.0', 4566), 'http://127.0.0.1:4566');
  assert.equal(advertiseUrl(undefined, '::', 4566), 'http://127.0.0.1:4566');
  assert.equal(advertiseUrl(undefined, '::1', 4566), 'http://[::1]:4566');
  assert.equal(advertiseUrl('http://node-a.internal:4566/', '0.0.0.0', 4566), 'http://node-a.internal:4566');
});
