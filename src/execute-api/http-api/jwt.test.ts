import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { checkClaims, claimStrings, decodeJwt, hasValidSignature, JwtRejection, scopesOf } from './jwt.js';

const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function es256Token(claims: Record<string, unknown>) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const input = `${encode({ alg: 'ES256', kid: 'k' })}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return { token: `${input}.${signature}`, jwk: publicKey.export({ format: 'jwk' }) };
}

test('signatures are verified with the JWK: ES256 (JOSE r||s form) and RS256, and a changed token fails', () => {
  const { token, jwk } = es256Token({ sub: 'a' });
  const jwt = decodeJwt(token);
  assert.deepEqual(jwt.header, { alg: 'ES256', kid: 'k' });
  assert.equal(hasValidSignature(jwt, jwk), true);
  const [h, , s] = token.split('.');
  assert.equal(hasValidSignature(decodeJwt(`${h}.${encode({ sub: 'b' })}.${s}`), jwk), false);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const input = `${encode({ alg: 'RS256' })}.${encode({ sub: 'r' })}`;
  const rs = decodeJwt(`${input}.${sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64url')}`);
  assert.equal(hasValidSignature(rs, rsa.publicKey.export({ format: 'jwk' })), true);
  assert.equal(hasValidSignature(rs, jwk), false, 'a key of another type verifies nothing');
});

test('malformed tokens and unsupported algorithms are rejected before any key is looked up', () => {
  assert.throws(() => decodeJwt('abc'), JwtRejection);
  assert.throws(() => decodeJwt(`${encode({ alg: 'none' })}.${encode({})}.`), /not supported/);
  assert.throws(() => decodeJwt(`${encode({ alg: 'HS256' })}.${encode({})}.x`), /not supported/);
  assert.throws(() => decodeJwt('e30.bm90IGpzb24.x'), /malformed/);
});

test('claims: issuer, aud before client_id, exp, nbf and iat against the clock', () => {
  const rules = { issuer: 'https://id.example', audience: ['app'], now: 1000 };
  const ok = { iss: 'https://id.example', aud: 'app', exp: 1001 };
  assert.doesNotThrow(() => checkClaims(ok, rules));
  assert.doesNotThrow(() => checkClaims({ ...ok, aud: ['other', 'app'] }, rules));
  assert.doesNotThrow(() => checkClaims({ iss: ok.iss, client_id: 'app', exp: 1001 }, rules));
  assert.throws(() => checkClaims({ ...ok, aud: 'other', client_id: 'app' }, rules), /valid audience/, 'aud wins over client_id');
  assert.throws(() => checkClaims({ ...ok, iss: 'https://evil.example' }, rules), /valid issuer/);
  assert.throws(() => checkClaims({ ...ok, exp: 1000 }, rules), /has expired/);
  assert.throws(() => checkClaims({ iss: ok.iss, aud: 'app' }, rules), /has expired/, 'exp is required');
  assert.throws(() => checkClaims({ ...ok, nbf: 1001 }, rules), /not valid yet/);
  assert.throws(() => checkClaims({ ...ok, iat: 1200 }, rules), /issued in the future/);
});

test('scopes come from scope or scp; claims reach integrations as strings', () => {
  assert.deepEqual(scopesOf({ scope: 'read write' }), ['read', 'write']);
  assert.deepEqual(scopesOf({ scp: ['a', 'b'] }), ['a', 'b']);
  assert.deepEqual(scopesOf({}), []);
  assert.deepEqual(claimStrings({ sub: 'u', exp: 5, admin: true, aud: ['x', 'y'], obj: { a: 1 } }), { sub: 'u', exp: '5', admin: 'true', aud: '[x y]', obj: '{"a":1}' });
});
