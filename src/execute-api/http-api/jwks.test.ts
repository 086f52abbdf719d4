import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JwksCache } from './jwks.js';
import { JwtRejection } from './jwt.js';
import { startTestIssuer } from '../../testing/jwt-issuer.js';

test('keys are fetched once per issuer, shared by concurrent lookups, and refetched for an unknown kid at most once a minute', async () => {
  const issuer = await startTestIssuer();
  try {
    let now = 1_000_000;
    const cache = new JwksCache(() => now);
    const [a, b] = await Promise.all([cache.key(issuer.url, 'test-key-1'), cache.key(issuer.url, 'test-key-1')]);
    assert.equal(a, b);
    assert.equal(a.kty, 'RSA');
    assert.equal(issuer.hits.get('/issuer/jwks.json'), 1);
    assert.equal((await cache.key(issuer.url, undefined)).kid, 'test-key-1', 'a token without kid uses the only key');
    await assert.rejects(cache.key(issuer.url, 'rotated'), JwtRejection);
    assert.equal(issuer.hits.get('/issuer/jwks.json'), 1, 'no refetch within a minute of the last');
    now += 61_000;
    await assert.rejects(cache.key(issuer.url, 'rotated'), /no signing key of the issuer matches its kid/);
    assert.equal(issuer.hits.get('/issuer/jwks.json'), 2);
    await assert.rejects(new JwksCache().key(`${issuer.url}/nowhere`, 'k'), /could not be retrieved/);
  } finally {
    await issuer.close();
  }
});
