// Payload compression for REST APIs end to end: an API created with minimumCompressionSize answers
// gzip or deflate to clients that prefer them (not below the minimum, not without an explicit
// supported coding, not when the backend coded its answer), the setting takes effect once deployed,
// compressed request bodies reach a Lambda proxy function, a mapping template and an HTTP_PROXY
// backend decoded, unsupported codings are 415 and zip bombs 413 — and the AWS CLI turns it on and off.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand, GetRestApiCommand, PutIntegrationCommand,
  PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { awsCli } from '../src/testing/aws.js';
import { apiGatewayInvokeRole, createNodeFunction, putLambdaProxyMethod } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHost, type CallOptions } from '../src/execute-api/testing.js';

const env = useServer();
let backend: Server;
let backendPort: number;
let apiId: string;
let rootId: string;

const BIG = 'pets '.repeat(60); // 300 bytes
const SMALL = 'tiny';

env.setup(async () => {
  // Echoes what it receives; /coded answers with a body it gzipped itself.
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url?.endsWith('/coded')) {
        const coded = gzipSync(BIG);
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip', 'Content-Length': coded.length });
        res.end(coded);
        return;
      }
      const body = Buffer.from(JSON.stringify({ headers: req.headers, body: Buffer.concat(chunks).toString() }));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(body);
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
  backendPort = (backend.address() as AddressInfo).port;

  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'compression', minimumCompressionSize: 100 }))).id!;
  rootId = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
  await mock('big', BIG);
  await mock('small', SMALL);

  await createNodeFunction(env.lambda, 'compression-echo', `exports.handler = async (event) => ({
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ body: event.body, headers: event.headers, isBase64Encoded: event.isBase64Encoded }),
  });`);
  await putLambdaProxyMethod(env.apigw, { restApiId: apiId, resourceId: await resource('fn'), httpMethod: 'POST' }, 'compression-echo', { credentials: apiGatewayInvokeRole });

  const mapped = await resource('mapped');
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: mapped, httpMethod: 'POST', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId: mapped, httpMethod: 'POST', type: 'HTTP', integrationHttpMethod: 'POST', uri: `http://127.0.0.1:${backendPort}/mapped`,
    requestTemplates: { 'application/json': '{"petType": $input.json(\'$.type\')}' },
  }));
  await env.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: mapped, httpMethod: 'POST', statusCode: '200' }));
  await env.apigw.send(new PutIntegrationResponseCommand({
    restApiId: apiId, resourceId: mapped, httpMethod: 'POST', statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '$input.json(\'$.body\')' },
  }));

  const proxyParent = await resource('hp');
  const proxy = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: proxyParent, pathPart: '{proxy+}' }))).id!;
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: proxy, httpMethod: 'ANY', authorizationType: 'NONE', requestParameters: { 'method.request.path.proxy': true } }));
  await env.apigw.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId: proxy, httpMethod: 'ANY', type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri: `http://127.0.0.1:${backendPort}/{proxy}`,
    requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
  }));
  const streamed = { restApiId: apiId, resourceId: await resource('streamed'), httpMethod: 'GET' };
  await env.apigw.send(new PutMethodCommand({ ...streamed, authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ ...streamed, type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `http://127.0.0.1:${backendPort}/streamed`, responseTransferMode: 'STREAM' }));
  await deploy();
});
after(async () => {
  await new Promise<void>((r) => backend.close(() => r()));
});

async function resource(pathPart: string): Promise<string> {
  return (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart }))).id!;
}

/** GET /{pathPart} answering `body` as text/plain from a MOCK integration's response template. */
async function mock(pathPart: string, body: string): Promise<void> {
  const m = { restApiId: apiId, resourceId: await resource(pathPart), httpMethod: 'GET' };
  await env.apigw.send(new PutMethodCommand({ ...m, authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ ...m, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await env.apigw.send(new PutMethodResponseCommand({ ...m, statusCode: '200', responseModels: { 'text/plain': 'Empty' } }));
  await env.apigw.send(new PutIntegrationResponseCommand({ ...m, statusCode: '200', responseTemplates: { 'text/plain': body } }));
}

async function deploy(): Promise<void> {
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
}

const call = (path: string, options: CallOptions = {}) => invokeHost(env.url, apiId, 'prod', path, options);
const get = (path: string, acceptEncoding?: string) => call(path, { headers: acceptEncoding === undefined ? { Accept: 'text/plain' } : { Accept: 'text/plain', 'Accept-Encoding': acceptEncoding } });

test('a body at or above minimumCompressionSize comes gzip- or deflate-compressed, as the client prefers', async () => {
  const gz = await get('/big', 'gzip');
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(Number(gz.headers['content-length']), gz.body.length);
  assert.equal(gunzipSync(gz.body).toString(), BIG);

  const df = await get('/big', 'deflate;q=1.0, gzip;q=0.5');
  assert.equal(df.headers['content-encoding'], 'deflate');
  assert.equal(inflateSync(df.body).toString(), BIG);

  const browser = await get('/big', 'gzip, deflate, br');
  assert.equal(browser.headers['content-encoding'], 'gzip');
});

test('no compression below the minimum, or without an explicit supported coding preferred', async () => {
  const small = await get('/small', 'gzip');
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(small.text, SMALL);
  for (const accept of [undefined, 'identity', '*', 'br', 'br;q=1, gzip;q=0.5', 'gzip;q=0']) {
    const r = await get('/big', accept);
    assert.equal(r.headers['content-encoding'], undefined, String(accept));
    assert.equal(r.text, BIG, String(accept));
  }
});

test('a streamed response (responseTransferMode STREAM) goes out as it comes, uncompressed', async () => {
  const r = await call('/streamed', { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-encoding'], undefined);
  assert.ok(r.text.length >= 100);
  assert.equal(typeof r.json().headers, 'object');
});

test('an integration response with its own Content-Encoding is passed on, not compressed again', async () => {
  const r = await call('/hp/coded', { headers: { 'Accept-Encoding': 'deflate' } });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(r.body).toString(), BIG);
});

test('a gzip request body reaches a Lambda proxy function decoded, without Content-Encoding', async () => {
  const payload = JSON.stringify({ type: 'dog', price: 249.99 });
  const r = await call('/fn', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: gzipSync(payload) });
  assert.equal(r.status, 200, r.text);
  const seen = r.json();
  assert.equal(seen.body, payload);
  assert.equal(seen.isBase64Encoded, false);
  assert.equal(Object.keys(seen.headers).some((h: string) => h.toLowerCase() === 'content-encoding'), false);
});

test('a deflate request body is decoded before the mapping template; an HTTP_PROXY backend gets the plain body', async () => {
  const mapped = await call('/mapped', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' }, body: deflateSync('{"type":"cat","price":124.99}') });
  assert.equal(mapped.status, 200, mapped.text);
  assert.deepEqual(JSON.parse(mapped.json()), { petType: 'cat' });

  const proxied = await call('/hp/echo', { method: 'PUT', headers: { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' }, body: gzipSync('plain to the backend') });
  assert.equal(proxied.status, 200, proxied.text);
  const seen = proxied.json();
  assert.equal(seen.body, 'plain to the backend');
  assert.equal(seen.headers['content-encoding'], undefined);
  assert.equal(seen.headers['content-length'], String('plain to the backend'.length));
});

test('an unsupported Content-Encoding, or a body not in its coding, is 415 Unsupported Media Type', async () => {
  for (const [coding, body] of [['br', 'whatever'], ['compress', 'whatever'], ['gzip', 'not gzip']] as const) {
    const r = await call('/fn', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': coding }, body });
    assert.equal(r.status, 415, coding);
    assert.deepEqual(r.json(), { message: 'Unsupported Media Type' });
    assert.equal(r.headers['x-amzn-errortype'], 'UnsupportedMediaTypeException');
  }
});

test('a zip bomb (64 MB inflated from a few KB) is refused as an oversized body, 413', async () => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 'a'));
  const r = await call('/fn', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: bomb });
  assert.equal(r.status, 413);
  assert.equal(r.text, 'HTTP content length exceeded 10485760 bytes.');
});

test('minimumCompressionSize takes effect on deployment: an undeployed change is not served', async () => {
  await env.apigw.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'replace', path: '/minimumCompressionSize', value: '' }] }));
  assert.equal((await env.apigw.send(new GetRestApiCommand({ restApiId: apiId }))).minimumCompressionSize, undefined);
  assert.equal((await get('/big', 'gzip')).headers['content-encoding'], 'gzip');
  await deploy();
  const off = await get('/big', 'gzip');
  assert.equal(off.headers['content-encoding'], undefined);
  assert.equal(off.text, BIG);
  // Decompression needs no setting.
  const r = await call('/fn', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: gzipSync('{"still":"decoded"}') });
  assert.equal(r.json().body, '{"still":"decoded"}');
});

test('AWS CLI: update-rest-api turns compression on at 0 bytes and off again', async () => {
  const cli = (...args: string[]) => awsCli(env.url, ['apigateway', ...args]);
  const on = await cli('update-rest-api', '--rest-api-id', apiId, '--patch-operations', 'op=replace,path=/minimumCompressionSize,value=0');
  assert.equal(on.code, 0, on.stderr);
  assert.equal(on.json().minimumCompressionSize, 0);
  assert.equal((await cli('create-deployment', '--rest-api-id', apiId, '--stage-name', 'prod')).code, 0);
  const small = await get('/small', 'gzip');
  assert.equal(small.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(small.body).toString(), SMALL);

  const off = await cli('update-rest-api', '--rest-api-id', apiId, '--patch-operations', 'op=replace,path=/minimumCompressionSize,value=');
  assert.equal(off.code, 0, off.stderr);
  assert.equal(off.json().minimumCompressionSize, undefined);
  assert.equal((await cli('create-deployment', '--rest-api-id', apiId, '--stage-name', 'prod')).code, 0);
  assert.equal((await get('/small', 'gzip')).headers['content-encoding'], undefined);
});
