import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync, deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SigV4Verifier } from '../aws/sigv4-verify.js';
import type { InvocationResponse } from './context.js';
import { verifySignature } from './chain.js';
import { context } from './chain-testing.js';
import { compressResponse, decompressRequest } from './compression.js';
import { isGatewayError } from './errors.js';

function requestWith(headers: Record<string, string>, body: Buffer) {
  const r = context('POST', '/x', { headers }).request;
  r.body = body;
  return r;
}

const refused = async (p: Promise<unknown>, status: number): Promise<void> => {
  await assert.rejects(p, (e: unknown) => isGatewayError(e) && e.status === status);
};

test('a gzip body is decoded; Content-Encoding goes, Content-Length says the decoded size, what was sent is kept', async () => {
  const plain = Buffer.from('{"type":"dog","price":249.99}');
  const sent = gzipSync(plain);
  const r = requestWith({ 'Content-Encoding': 'gzip', 'Content-Length': String(sent.length) }, sent);
  await decompressRequest(r);
  assert.deepEqual(r.body, plain);
  assert.equal(r.headers['Content-Encoding'], undefined);
  assert.equal(r.headerNames.has('content-encoding'), false);
  assert.equal(r.headers['Content-Length'], String(plain.length));
  assert.deepEqual(r.received, { body: sent, headers: { 'content-encoding': 'gzip', 'content-length': String(sent.length) } });
});

test('deflate bodies are decoded, zlib-wrapped or raw; stacked codings are undone from the last', async () => {
  const plain = Buffer.from('hello deflate');
  for (const sent of [deflateSync(plain), deflateRawSync(plain)]) {
    const r = requestWith({ 'Content-Encoding': 'deflate' }, sent);
    await decompressRequest(r);
    assert.deepEqual(r.body, plain);
  }
  const r = requestWith({ 'Content-Encoding': 'deflate, gzip' }, gzipSync(deflateSync(plain)));
  await decompressRequest(r);
  assert.deepEqual(r.body, plain);
});

test('identity, and no Content-Encoding, leave the request as it is', async () => {
  const r = requestWith({ 'Content-Encoding': 'identity' }, Buffer.from('as is'));
  await decompressRequest(r);
  assert.equal(r.body.toString(), 'as is');
  assert.equal(r.received, undefined);
  const plain = requestWith({}, Buffer.from('plain'));
  await decompressRequest(plain);
  assert.equal(plain.received, undefined);
});

test('an unsupported coding, or a body not in the coding it claims, is 415 Unsupported Media Type', async () => {
  await refused(decompressRequest(requestWith({ 'Content-Encoding': 'br' }, Buffer.from('x'))), 415);
  await refused(decompressRequest(requestWith({ 'Content-Encoding': 'gzip' }, Buffer.from('not gzip at all'))), 415);
  await refused(decompressRequest(requestWith({ 'Content-Encoding': 'gzip' }, gzipSync('truncated body here').subarray(0, 12))), 415);
});

test('a body that inflates past 10 MB is refused as an oversized body (413), without inflating it all', async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  assert.ok(bomb.length < 100_000);
  await refused(decompressRequest(requestWith({ 'Content-Encoding': 'gzip' }, bomb)), 413);
  const justUnder = gzipSync(Buffer.alloc(10 * 1024 * 1024 - 1));
  const r = requestWith({ 'Content-Encoding': 'gzip' }, justUnder);
  await decompressRequest(r);
  assert.equal(r.body.length, 10 * 1024 * 1024 - 1);
});

const answer = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }): InvocationResponse => ({ status: 200, headers, body: Buffer.from(body) });

test('a response at or above the minimum is compressed with the preferred coding', async () => {
  const body = 'x'.repeat(100);
  const gz = await compressResponse(requestWith({ 'Accept-Encoding': 'gzip' }, Buffer.alloc(0)), answer(body), 100);
  assert.equal(gz.headers['Content-Encoding'], 'gzip');
  assert.equal(gunzipSync(gz.body).toString(), body);
  assert.equal(gz.headers['Content-Type'], 'application/json');
  const df = await compressResponse(requestWith({ 'Accept-Encoding': 'deflate;q=1, gzip;q=0.5' }, Buffer.alloc(0)), answer(body), 0);
  assert.equal(df.headers['Content-Encoding'], 'deflate');
  assert.equal(inflateSync(df.body).toString(), body);
});

test('no compression below the minimum, without a supported preferred coding, for coded, streamed or empty answers', async () => {
  const gzipReq = requestWith({ 'Accept-Encoding': 'gzip' }, Buffer.alloc(0));
  const small = answer('x'.repeat(99));
  assert.equal(await compressResponse(gzipReq, small, 100), small);
  for (const accept of [undefined, '*', 'identity', 'br, gzip']) {
    const r = requestWith(accept === undefined ? {} : { 'Accept-Encoding': accept }, Buffer.alloc(0));
    const a = answer('x'.repeat(200));
    assert.equal(await compressResponse(r, a, 0), a, String(accept));
  }
  const coded = answer('already', { 'content-encoding': 'br' });
  assert.equal(await compressResponse(gzipReq, coded, 0), coded);
  const empty = answer('');
  assert.equal(await compressResponse(gzipReq, empty, 0), empty);
  const streamed: InvocationResponse = { ...answer(''), stream: Readable.from(['chunk']) };
  assert.equal(await compressResponse(gzipReq, streamed, 0), streamed);
});

test('the response given is left untouched (a stage cache may hold it)', async () => {
  const cached = answer('y'.repeat(50));
  const before = Buffer.from(cached.body);
  const out = await compressResponse(requestWith({ 'Accept-Encoding': 'gzip' }, Buffer.alloc(0)), cached, 1);
  assert.notEqual(out, cached);
  assert.equal(cached.headers['Content-Encoding'], undefined);
  assert.deepEqual(cached.body, before);
});

test('an AWS_IAM signature over the compressed body and its headers still verifies once the body is decoded', async () => {
  const key = { accessKeyId: 'AKIDCOMPRESS', secretAccessKey: 'compress-secret' };
  const verifier = new SigV4Verifier(new Map([[key.accessKeyId, { secretAccessKey: key.secretAccessKey }]]), { skewMinutes: () => 5 });
  const sent = gzipSync('{"signed":true}');
  const host = 'api1.execute-api.localhost:4566';
  const signer = new SignatureV4({ credentials: key, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: host, path: '/dev/x',
    headers: { host, 'content-encoding': 'gzip', 'content-length': String(sent.length) }, body: sent,
  });
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== 'host')) as Record<string, string>;
  const ctx = context('POST', '/x', { headers });
  ctx.request.body = sent;
  await decompressRequest(ctx.request);
  assert.equal(ctx.request.body.toString(), '{"signed":true}');
  await verifySignature(ctx, verifier);
  // The decoded body is not what was signed: without `received` it would not verify.
  delete ctx.request.received;
  await refused(verifySignature(ctx, verifier), 403);
});
