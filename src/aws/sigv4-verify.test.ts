import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SigV4Verifier } from './sigv4-verify.js';

const KEY = { accessKeyId: 'AKIDUNIT', secretAccessKey: 'unit-secret' };
const NOW = new Date('2026-01-02T03:04:05Z');
const verifier = new SigV4Verifier(new Map([[KEY.accessKeyId, { secretAccessKey: KEY.secretAccessKey }]]), { skewMinutes: () => 5, now: () => NOW });

async function signedHeaders(signingDate: Date, body = '{}'): Promise<Record<string, string>> {
  const signer = new SignatureV4({ credentials: KEY, region: 'eu-west-1', service: 'lambda', sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: 'localhost', path: '/2015-03-31/functions/f%3A1/invocations', query: { Qualifier: 'a b' }, headers: { host: 'localhost:4566' }, body }, { signingDate });
  return Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
}
const request = (headers: Record<string, string>, body = '{}') => ({ method: 'POST', rawUrl: '/2015-03-31/functions/f%3A1/invocations?Qualifier=a%20b', headers, body: Buffer.from(body) });

test('a signature made with the key over this request verifies, whatever the path and query encoding', async () => {
  assert.deepEqual(await verifier.verify(request(await signedHeaders(NOW))), { accessKeyId: 'AKIDUNIT' });
});

test('within the allowed skew on either side, and not beyond', async () => {
  assert.ok(!('kind' in await verifier.verify(request(await signedHeaders(new Date(NOW.getTime() - 4 * 60_000))))));
  const late = await verifier.verify(request(await signedHeaders(new Date(NOW.getTime() - 6 * 60_000))));
  assert.deepEqual(late, { kind: 'expired', message: 'Signature expired: 20260102T025805Z is now earlier than 20260102T025905Z (20260102T030405Z - 5 min.)' });
  const early = await verifier.verify(request(await signedHeaders(new Date(NOW.getTime() + 6 * 60_000))));
  assert.deepEqual(early, { kind: 'expired', message: 'Signature not yet current: 20260102T031005Z is still later than 20260102T030905Z (20260102T030405Z + 5 min.)' });
});

test('a changed query value or body does not verify', async () => {
  const headers = await signedHeaders(NOW);
  assert.equal((await verifier.verify({ ...request(headers), rawUrl: '/2015-03-31/functions/f%3A1/invocations?Qualifier=b' }) as { kind: string }).kind, 'mismatch');
  assert.equal((await verifier.verify(request(headers, '{"x":1}')) as { kind: string }).kind, 'mismatch');
});

test('malformed Authorization headers are incomplete, not mismatches', async () => {
  const kind = async (authorization: string) => ((await verifier.verify(request({ host: 'localhost:4566', 'x-amz-date': '20260102T030405Z', authorization }))) as { kind: string }).kind;
  assert.equal(await kind('AWS4-HMAC-SHA256 Credential=AKIDUNIT/20260102/eu-west-1/lambda/aws4_request, SignedHeaders=host'), 'incomplete');
  assert.equal(await kind('Basic dXNlcjpwYXNz'), 'incomplete');
  assert.equal(await kind('AWS4-HMAC-SHA256 Credential=AKIDUNIT/bad, SignedHeaders=host, Signature=00'), 'incomplete');
  assert.equal(await kind('AWS4-HMAC-SHA256 Credential=OTHER/20260102/eu-west-1/lambda/aws4_request, SignedHeaders=host, Signature=00'), 'unknown-key');
});

test('temporary credentials verify only with their session token', async () => {
  const temp = { accessKeyId: 'ASIAUNIT', secretAccessKey: 'temp-secret', sessionToken: 'the-token' };
  const withTemp = new SigV4Verifier(new Map([[temp.accessKeyId, { secretAccessKey: temp.secretAccessKey, sessionToken: temp.sessionToken }]]), { skewMinutes: () => 5, now: () => NOW });
  const signed = async (sessionToken?: string) => {
    const signer = new SignatureV4({ credentials: { ...temp, sessionToken }, region: 'eu-west-1', service: 'lambda', sha256: Sha256, applyChecksum: false });
    const out = await signer.sign({ method: 'GET', protocol: 'http:', hostname: 'localhost', path: '/2015-03-31/functions/', query: {}, headers: { host: 'localhost:4566' } }, { signingDate: NOW });
    return { method: 'GET', rawUrl: '/2015-03-31/functions/', headers: Object.fromEntries(Object.entries(out.headers).map(([k, v]) => [k.toLowerCase(), v])), body: Buffer.alloc(0) };
  };
  assert.deepEqual(await withTemp.verify(await signed('the-token')), { accessKeyId: 'ASIAUNIT' });
  assert.equal((await withTemp.verify(await signed()) as { kind: string }).kind, 'unknown-key');
  assert.equal((await withTemp.verify(await signed('another-token')) as { kind: string }).kind, 'unknown-key');
});
