import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigV4Verifier } from '../aws/sigv4-verify.js';
import { parseAwsChunked } from './aws-chunked.js';
import { chunkSignaturesMatch } from './chunk-signatures.js';

// The example of S3's "Transferring payload in multiple chunks" (sigv4-streaming): 66,560 bytes of
// 'a' in a 65,536-byte chunk, a 1,024-byte one and the final empty one, with AWS's signatures.
const SEED = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
const SIGNATURES = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
];
const verifier = new SigV4Verifier(new Map([['AKIAIOSFODNN7EXAMPLE', { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }]]), { skewMinutes: () => 5 });
const signing = verifier.chunkSigning({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=${SEED}`,
  'x-amz-date': '20130524T000000Z',
})!;

const body = (signatures: string[], sizes = [65536, 1024, 0]): Buffer => Buffer.concat(sizes.map((n, i) =>
  Buffer.from(`${n.toString(16)};chunk-signature=${signatures[i]}\r\n${'a'.repeat(n)}\r\n`, 'latin1')));

test("AWS's documented chunk signatures verify; a changed byte, signature or a dropped chunk does not", () => {
  assert.ok(signing);
  assert.equal(chunkSignaturesMatch(parseAwsChunked(body(SIGNATURES)), signing, false), true);
  const tampered = body(SIGNATURES);
  tampered[100] = 'b'.charCodeAt(0);
  assert.equal(chunkSignaturesMatch(parseAwsChunked(tampered), signing, false), false);
  assert.equal(chunkSignaturesMatch(parseAwsChunked(body([SIGNATURES[0], SIGNATURES[2].replace('b', 'c'), SIGNATURES[2]])), signing, false), false);
  assert.equal(chunkSignaturesMatch(parseAwsChunked(body([SIGNATURES[0], SIGNATURES[2]], [65536, 0])), signing, false), false);
  assert.equal(chunkSignaturesMatch(parseAwsChunked(body(['', ...SIGNATURES.slice(1)])), signing, false), false);
});
