import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleSessions } from './console-session.js';

test('a console session lasts 12 hours and belongs to the key that signed in', () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const sessions = new ConsoleSessions({ AKIDA: 'secret-a', AKIDB: 'secret-b' }, () => now);
  assert.equal(sessions.signIn('AKIDA', 'secret-b'), undefined);
  assert.equal(sessions.signIn('NOBODY', 'secret-a'), undefined);
  const token = sessions.signIn('AKIDA', 'secret-a')!;
  const headers = { cookie: `other=1; stagecraft_console=${token}`, 'x-stagecraft-console': '1' };
  assert.equal(sessions.accessKeyOf(headers), 'AKIDA');
  assert.equal(sessions.accessKeyOf({ cookie: headers.cookie }), undefined);
  now += 12 * 3600_000 - 1000;
  assert.equal(sessions.accessKeyOf(headers), 'AKIDA');
  now += 1000;
  assert.equal(sessions.accessKeyOf(headers), undefined);
  // A new secret for the key ends its sessions.
  const rotated = new ConsoleSessions({ AKIDA: 'rotated' }, () => Date.parse('2026-01-01T01:00:00Z'));
  assert.equal(rotated.accessKeyOf(headers), undefined);
});
