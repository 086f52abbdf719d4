// Hostile and oversized requests to the invoke URLs: bodies over 10 MB, `..` and encoded slashes,
// very long paths, odd methods and hosts, clients that vanish mid-request, a burst of parallel
// requests. None escapes routing, none crashes the server, the control plane still answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand, GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { apiGatewayInvokeRole, createNodeFunction, putLambdaProxyMethod } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { httpCall, invokeHost, invokePath } from '../src/execute-api/testing.js';

const env = useServer();
let apiId: string;
let otherApiId: string;

env.setup(async () => {
  await createNodeFunction(env.lambda, 'echo',
    'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ resource: e.resource, path: e.path, params: e.pathParameters, size: (e.body || "").length }) });');
  const make = async (name: string, parts: string[]) => {
    const id = (await env.apigw.send(new CreateRestApiCommand({ name }))).id!;
    const root = (await env.apigw.send(new GetResourcesCommand({ restApiId: id }))).items!.find((r) => r.path === '/')!.id!;
    for (const part of parts) {
      const r = await env.apigw.send(new CreateResourceCommand({ restApiId: id, parentId: root, pathPart: part }));
      await putLambdaProxyMethod(env.apigw, { restApiId: id, resourceId: r.id!, httpMethod: 'ANY' }, 'echo', { credentials: apiGatewayInvokeRole });
    }
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: id, stageName: 'dev' }));
    return id;
  };
  apiId = await make('bad-input', ['files', '{proxy+}']);
  otherApiId = await make('other', ['secret']);
});

const alive = async () => assert.equal((await httpCall(env.url, '/_stagecraft/health')).status, 200);

test('bodies over 10 MB are refused with 413; 10 MB exactly is accepted', async () => {
  const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
  const r = await invokePath(env.url, apiId, 'dev', '/files', { method: 'POST', body: big, headers: { 'Content-Type': 'text/plain' } });
  assert.deepEqual([r.status, r.text, r.headers['x-amzn-errortype']], [413, 'HTTP content length exceeded 10485760 bytes.', 'RequestEntityTooLargeException']);

  // Streamed without a Content-Length (chunked): counted as it arrives.
  const chunked = await invokeHost(env.url, apiId, 'dev', '/files', { method: 'POST', body: big, headers: { 'Transfer-Encoding': 'chunked' } });
  assert.equal(chunked.status, 413);

  // A declared length far beyond the limit is answered at once, body unread.
  const early = await rawRequest(`POST /restapis/${apiId}/dev/_user_request_/files HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\nabc`);
  assert.match(early, /^HTTP\/1\.1 413 /);

  const justRight = await invokePath(env.url, apiId, 'dev', '/files', { method: 'POST', body: Buffer.alloc(1024 * 1024, 0x62) });
  assert.deepEqual([justRight.status, justRight.json().size], [200, 1024 * 1024]);
  await alive();
});

test('a body API Gateway takes but whose event is over Lambda\'s 6 MB payload limit: 413 Request Too Long', async () => {
  const seven = Buffer.alloc(7 * 1024 * 1024, 0x61);
  const r = await invokePath(env.url, apiId, 'dev', '/files', { method: 'POST', body: seven, headers: { 'Content-Type': 'text/plain' } });
  // As AWS answers it: not a gateway-response template (a space after the colon), BadRequestException.
  assert.deepEqual([r.status, r.text, r.headers['x-amzn-errortype'], r.headers['content-type']],
    [413, '{"message": "Request Too Long"}', 'BadRequestException', 'application/json']);
  const five = await invokePath(env.url, apiId, 'dev', '/files', { method: 'POST', body: Buffer.alloc(5 * 1024 * 1024, 0x61), headers: { 'Content-Type': 'text/plain' } });
  assert.deepEqual([five.status, five.json().size], [200, 5 * 1024 * 1024]);
  await alive();
});

test('`..`, encoded slashes and dots never leave the API and stage they were sent to', async () => {
  const escapes = [
    `/restapis/${apiId}/dev/_user_request_/../../${otherApiId}/dev/_user_request_/secret`,
    `/restapis/${apiId}/dev/_user_request_/..%2F..%2F${otherApiId}%2Fdev%2F_user_request_%2Fsecret`,
    `/restapis/${apiId}/dev/_user_request_/%2e%2e/%2e%2e/secret`,
  ];
  for (const target of escapes) {
    const r = await httpCall(env.url, target);
    assert.equal(r.status, 200, target);
    assert.equal(r.json().resource, '/{proxy+}', `${target} stays in ${apiId}`);
  }
  const port = new URL(env.url).port;
  const viaHost = await httpCall(env.url, `/dev/../../secret`, { headers: { Host: `${apiId}.execute-api.localhost:${port}` } });
  assert.deepEqual([viaHost.status, viaHost.json().path], [200, '/../../secret']);
  const stageEscape = await httpCall(env.url, `/dev%2F..%2Fprod/files`, { headers: { Host: `${apiId}.execute-api.localhost:${port}` } });
  assert.equal(stageEscape.status, 403, 'an encoded slash in the stage is not a separator');
  const files = await invokePath(env.url, apiId, 'dev', '/files%2F..%2Fsecret');
  assert.equal(files.json().resource, '/{proxy+}');
  await alive();
});

test('very long paths, deep paths and odd methods are answered, not crashed on', async () => {
  const long = await invokePath(env.url, apiId, 'dev', '/' + 'a'.repeat(12_000));
  assert.equal(long.status, 200);
  const deep = await invokePath(env.url, apiId, 'dev', '/' + Array.from({ length: 2000 }, () => 'x').join('/'));
  assert.equal(deep.status, 200);
  // Beyond Node's request-line limit the connection is refused before any handler runs.
  const tooLong = await invokePath(env.url, apiId, 'dev', '/' + 'a'.repeat(100_000)).then((r) => String(r.status), (e: Error & { code?: string }) => e.code);
  assert.ok(['431', '414', '400', 'ECONNRESET', 'EPIPE'].includes(tooLong ?? ''), tooLong);
  const odd = await invokePath(env.url, otherApiId, 'dev', '/secret', { method: 'PROPFIND' });
  assert.equal(odd.status, 200, 'ANY takes every method');
  const unknown = await invokePath(env.url, otherApiId, 'dev', '/nothing', { method: 'PROPFIND' });
  assert.equal(unknown.status, 403);
  await alive();
});

test('odd hosts and stage names', async () => {
  const port = new URL(env.url).port;
  for (const host of [`${apiId}.execute-api.localhost:${port}`, `${apiId.toUpperCase()}.EXECUTE-API.localhost`, `${apiId}.execute-api.localhost.localstack.cloud:${port}`]) {
    const r = await httpCall(env.url, '/dev/files', { headers: { Host: host } });
    assert.equal(r.status, 200, host);
  }
  for (const target of ['/', '/%00/files', '/dev%00/files', `/${'s'.repeat(300)}/files`, '/dev?x=%zz']) {
    const r = await httpCall(env.url, target, { headers: { Host: `${apiId}.execute-api.localhost:${port}` } });
    assert.ok([403, 200].includes(r.status), `${target}: ${r.status}`);
  }
  await alive();
});

test('clients that vanish mid-request and a burst of parallel requests', async () => {
  for (let i = 0; i < 5; i++) {
    const socket = connect(Number(new URL(env.url).port), '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(`POST /restapis/${apiId}/dev/_user_request_/files HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\npartial`);
    socket.destroy();
  }
  const results = await Promise.all(Array.from({ length: 64 }, (_, i) => invokePath(env.url, apiId, 'dev', `/p${i}`)));
  assert.ok(results.every((r) => r.status === 200));
  assert.deepEqual(results.map((r) => r.json().path), Array.from({ length: 64 }, (_, i) => `/p${i}`));
  await alive();
});

test('the control plane still owns /restapis/… that is not an invocation', async () => {
  const api = await env.apigw.send(new GetRestApiCommand({ restApiId: apiId }));
  assert.equal(api.name, 'bad-input');
  const stage = await httpCall(env.url, `/restapis/${apiId}/stages/dev`, { headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=x' } });
  assert.equal(stage.status, 200);
  assert.equal(stage.json().stageName, 'dev');
});

function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(env.url).port), '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(out);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(out));
  });
}
