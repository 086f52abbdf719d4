// S3's hostile input on a server that verifies signatures: a request signed with a wrong secret is
// refused before its body is decoded or parsed (a malformed aws-chunked body or a DTD gets 403, not
// the parse error), and a correctly signed one still gets S3's parse errors, storing nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';

const KEY = { accessKeyId: 'AKIASTAGECRAFTS3HOST', secretAccessKey: 'hostile-secret' };
const WRONG = { accessKeyId: KEY.accessKeyId, secretAccessKey: 'not-it' };
const env = useServer({ env: { STAGECRAFT_CREDENTIALS: `${KEY.accessKeyId}:${KEY.secretAccessKey}` } });

type Credentials = typeof KEY;
async function send(credentials: Credentials, method: string, target: string, body = '', headers: Record<string, string> = {}): Promise<Response> {
  const url = new URL(target, env.url);
  const signer = new SignatureV4({ credentials, region: testRegion, service: 's3', sha256: Sha256, uriEscapePath: false });
  const signed = await signer.sign({
    method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers }, body,
  });
  return fetch(url, { method, headers: signed.headers as Record<string, string>, body: method === 'GET' || method === 'HEAD' ? undefined : body });
}
const codeOf = async (res: Response) => /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];
const CHUNKED = { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '3' };

test('a wrong signature is refused before the body is decoded or parsed; a right one gets the parse errors', async () => {
  assert.equal((await send(KEY, 'PUT', '/signed')).status, 200);

  const badFraming = 'zz\r\nabc\r\n0\r\n\r\n';
  const forged = await send(WRONG, 'PUT', '/signed/k', badFraming, CHUNKED);
  assert.equal(forged.status, 403);
  assert.equal(await codeOf(forged), 'SignatureDoesNotMatch');
  const signed = await send(KEY, 'PUT', '/signed/k', badFraming, CHUNKED);
  assert.equal(signed.status, 400);
  assert.equal(await codeOf(signed), 'InvalidArgument');
  assert.equal((await send(KEY, 'HEAD', '/signed/k')).status, 404, 'nothing stored');

  const dtd = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Delete><Object><Key>&x;</Key></Object></Delete>';
  const forgedDelete = await send(WRONG, 'POST', '/signed?delete', dtd);
  assert.equal(forgedDelete.status, 403);
  assert.equal(await codeOf(forgedDelete), 'SignatureDoesNotMatch');
  const signedDelete = await send(KEY, 'POST', '/signed?delete', dtd);
  assert.equal(signedDelete.status, 400);
  assert.equal(await codeOf(signedDelete), 'MalformedXML');

  const good = await send(KEY, 'PUT', '/signed/k', '3\r\nabc\r\n0\r\n\r\n', CHUNKED);
  assert.equal(good.status, 200, await good.clone().text());
  assert.equal((await send(WRONG, 'GET', '/signed/k')).status, 403, 'a wrong key reads nothing');
  assert.equal(await (await send(KEY, 'GET', '/signed/k')).text(), 'abc');
});
