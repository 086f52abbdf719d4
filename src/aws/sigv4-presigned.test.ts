import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SigV4Verifier } from './sigv4-verify.js';

const KEY = { accessKeyId: 'AKIDPRESIGN', secretAccessKey: 'presign-secret' };
const NOW = new Date('2026-01-02T03:04:05Z');
const verifier = new SigV4Verifier(new Map([[KEY.accessKeyId, { secretAccessKey: KEY.secretAccessKey }]]), { skewMinutes: () => 5, now: () => NOW });

/** The request target AWS's signer presigns for a WebSocket handshake URL, as a client would send it. */
async function presignedTarget(options: { signingDate?: Date; expiresIn?: number; secret?: string; sessionToken?: string; payload?: string } = {}): Promise<string> {
  const signer = new SignatureV4({ credentials: { ...KEY, secretAccessKey: options.secret ?? KEY.secretAccessKey, sessionToken: options.sessionToken }, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });
  const headers: Record<string, string> = { host: 'abc123.execute-api.localhost:4566' };
  if (options.payload) headers['x-amz-content-sha256'] = options.payload;
  const out = await signer.presign(
    { method: 'GET', protocol: 'wss:', hostname: 'abc123.execute-api.localhost', port: 4566, path: '/prod', query: { room: 'a b' }, headers },
    { signingDate: options.signingDate ?? NOW, expiresIn: options.expiresIn ?? 300, unhoistableHeaders: new Set(['x-amz-content-sha256']), unsignableHeaders: new Set(['x-amz-content-sha256']) },
  );
  const query = new URLSearchParams(out.query as Record<string, string>).toString();
  return `/prod?${query}`;
}
const request = (rawUrl: string) => ({ method: 'GET', rawUrl, headers: { host: 'abc123.execute-api.localhost:4566' }, body: Buffer.alloc(0) });
const kindOf = async (rawUrl: string) => ((await verifier.verifyPresigned(request(rawUrl))) as { kind?: string }).kind;

test('a URL presigned by AWS\'s signer verifies, with the empty-body hash or UNSIGNED-PAYLOAD as its payload', async () => {
  assert.deepEqual(await verifier.verifyPresigned(request(await presignedTarget())), { accessKeyId: 'AKIDPRESIGN' });
  assert.deepEqual(await verifier.verifyPresigned(request(await presignedTarget({ payload: 'UNSIGNED-PAYLOAD' }))), { accessKeyId: 'AKIDPRESIGN' });
});

test('a changed query, path or signature, or another secret, does not verify', async () => {
  const target = await presignedTarget();
  assert.equal(await kindOf(target.replace('room=a', 'room=b')), 'mismatch');
  assert.equal(await kindOf(target.replace('/prod?', '/dev?')), 'mismatch');
  assert.equal(await kindOf(target.replace(/X-Amz-Signature=([0-9a-f])/, (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`)), 'mismatch');
  assert.equal(await kindOf(await presignedTarget({ secret: 'wrong' })), 'mismatch');
  // X-Amz-Expires is part of what was signed: stretching it breaks the signature.
  assert.equal(await kindOf(target.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000')), 'mismatch');
});

test('valid for X-Amz-Expires seconds from X-Amz-Date, not before it (less the skew), at most a week', async () => {
  const ago = (s: number) => new Date(NOW.getTime() - s * 1000);
  assert.equal(await kindOf(await presignedTarget({ signingDate: ago(299) })), undefined);
  const expired = await verifier.verifyPresigned(request(await presignedTarget({ signingDate: ago(301) })));
  assert.deepEqual(expired, { kind: 'expired', message: 'Signature expired: 20260102T030404Z is now earlier than 20260102T030405Z (20260102T025904Z + 300 s).' });
  assert.equal(await kindOf(await presignedTarget({ signingDate: ago(3000), expiresIn: 3600 })), undefined);
  assert.equal(await kindOf(await presignedTarget({ signingDate: ago(-4 * 60) })), undefined);
  assert.equal(await kindOf(await presignedTarget({ signingDate: ago(-6 * 60) })), 'expired');
  assert.equal(await kindOf((await presignedTarget()).replace('X-Amz-Expires=300', 'X-Amz-Expires=604801')), 'incomplete');
});

test('unknown keys, missing parameters and other algorithms are refused before any signature is computed', async () => {
  const target = await presignedTarget();
  assert.equal(await kindOf(target.replace('AKIDPRESIGN', 'AKIDOTHER')), 'unknown-key');
  assert.equal(await kindOf(target.replace(/&?X-Amz-SignedHeaders=[^&]*/, '')), 'incomplete');
  assert.equal(await kindOf(target.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA1')), 'incomplete');
  assert.equal(await kindOf('/prod?room=a'), 'missing');
});

test('temporary credentials verify only with their session token in the query', async () => {
  const temp = new SigV4Verifier(new Map([[KEY.accessKeyId, { secretAccessKey: KEY.secretAccessKey, sessionToken: 'the-token' }]]), { skewMinutes: () => 5, now: () => NOW });
  assert.deepEqual(await temp.verifyPresigned(request(await presignedTarget({ sessionToken: 'the-token' }))), { accessKeyId: 'AKIDPRESIGN' });
  assert.equal(((await temp.verifyPresigned(request(await presignedTarget()))) as { kind: string }).kind, 'unknown-key');
  assert.equal(((await temp.verifyPresigned(request(await presignedTarget({ sessionToken: 'other' })))) as { kind: string }).kind, 'unknown-key');
});
