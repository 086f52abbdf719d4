// REST API response streaming (integration responseTransferMode STREAM): a Lambda proxy integration
// answers its head once the function's metadata and delimiter have arrived and the body as the
// function writes it; an HTTP_PROXY integration passes its endpoint's body on as it comes. The
// control plane keeps the mode, allows STREAM only for proxy integrations, with up to 15 minutes
// of timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetIntegrationCommand, GetResourcesCommand, PutIntegrationCommand, PutMethodCommand,
  UpdateIntegrationCommand,
} from '@aws-sdk/client-api-gateway';
import { apiGatewayInvokeRole, createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { expectAwsError } from '../src/testing/aws-errors.js';

const env = useServer();
let apiId: string;
let endpoint: Server;

/** InvokeWithResponseStream's integration URI for a function. */
const streamingUri = (fn: string) =>
  `arn:aws:apigateway:${testRegion}:lambda:path/2021-11-15/functions/arn:aws:lambda:${testRegion}:${testAccount}:function:${fn}/response-streaming-invocations`;

// Metadata, a first part, a pause, the rest; `?fail` throws after the pause.
const STREAMING = `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'content-type': 'text/plain', 'x-kind': 'streamed' }, cookies: ['a=1', 'b=2'] });
  stream.write('first;');
  await new Promise((r) => setTimeout(r, 1500));
  stream.write('second');
  if (event.queryStringParameters && event.queryStringParameters.fail) throw new Error('failed mid-stream');
  stream.end();
});`;
const PLAIN = `exports.handler = async () => ({ statusCode: 200, body: 'not streamed' });`;

env.setup(async () => {
  await createNodeFunction(env.lambda, 'streamer', STREAMING, { Timeout: 10 });
  await createNodeFunction(env.lambda, 'plain', PLAIN);
  endpoint = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
    setTimeout(() => res.end('data: two\n\n'), 1500);
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  endpoint.unref();

  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'streaming' }))).id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
  const method = async (pathPart: string, integration: Omit<ConstructorParameters<typeof PutIntegrationCommand>[0], 'restApiId' | 'resourceId' | 'httpMethod'>) => {
    const resourceId = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart }))).id!;
    await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    await env.apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', ...integration }));
    return resourceId;
  };
  const lambda = (fn: string) => ({ type: 'AWS_PROXY' as const, integrationHttpMethod: 'POST', uri: streamingUri(fn), credentials: apiGatewayInvokeRole, responseTransferMode: 'STREAM' as const });
  await method('stream', { ...lambda('streamer'), timeoutInMillis: 60_000 });
  await method('plain', lambda('plain'));
  const port = (endpoint.address() as AddressInfo).port;
  await method('sse', { type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `http://127.0.0.1:${port}/events`, responseTransferMode: 'STREAM' });
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
});

/** The dev stage's URL for a path (the path form: fetch does not let a test set Host). */
const stageUrl = (path: string) => `${env.url}/restapis/${apiId}/dev/_user_request_${path}`;

/** Reads a streamed answer, noting when each part came. */
async function readTimed(url: string): Promise<{ status: number; headers: Headers; parts: { text: string; at: number }[]; endAt: number }> {
  const started = Date.now();
  const r = await fetch(url);
  const parts: { text: string; at: number }[] = [];
  const decoder = new TextDecoder();
  const reader = r.body!.getReader();
  for (let part = await reader.read(); !part.done; part = await reader.read()) parts.push({ text: decoder.decode(part.value), at: Date.now() - started });
  return { status: r.status, headers: r.headers, parts, endAt: Date.now() - started };
}

test('a streaming Lambda proxy integration answers its head and first part long before the function ends', async () => {
  const { status, headers, parts, endAt } = await readTimed(stageUrl('/stream'));
  assert.equal(status, 201);
  assert.equal(headers.get('content-type'), 'text/plain');
  assert.equal(headers.get('x-kind'), 'streamed');
  assert.equal(headers.get('set-cookie'), 'a=1, b=2');
  assert.equal(headers.get('content-length'), null, 'sent chunked');
  assert.equal(parts.map((p) => p.text).join(''), 'first;second');
  assert.equal(parts[0].text, 'first;');
  assert.ok(endAt - parts[0].at >= 1000, `first part at ${parts[0].at} ms, end at ${endAt} ms`);
});

test('a function that fails after its head cuts the answer short; one that does not stream is a malformed response', async () => {
  const r = await fetch(stageUrl('/stream?fail=1'));
  assert.equal(r.status, 201);
  await assert.rejects(r.text(), 'the body ends without its final chunk');

  const plain = await fetch(stageUrl('/plain'));
  assert.equal(plain.status, 502);
  assert.deepEqual(await plain.json(), { message: 'Internal server error' });
});

test('a streaming HTTP proxy integration passes the endpoint body on as it comes', async () => {
  const { status, headers, parts, endAt } = await readTimed(stageUrl('/sse'));
  assert.equal(status, 200);
  assert.equal(headers.get('content-type'), 'text/event-stream');
  assert.equal(parts.map((p) => p.text).join(''), 'data: one\n\ndata: two\n\n');
  assert.ok(endAt - parts[0].at >= 1000, `first part at ${parts[0].at} ms, end at ${endAt} ms`);
});

test('the control plane keeps the transfer mode, refuses STREAM for other types, and allows streams up to 15 minutes', async () => {
  const restApiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'streaming-control' }))).id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!.id!;
  const m = { restApiId, resourceId: root, httpMethod: 'GET' };
  await env.apigw.send(new PutMethodCommand({ ...m, authorizationType: 'NONE' }));
  const put = await env.apigw.send(new PutIntegrationCommand({ ...m, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: streamingUri('streamer'), responseTransferMode: 'STREAM', timeoutInMillis: 900_000 }));
  assert.equal(put.responseTransferMode, 'STREAM');
  assert.equal(put.timeoutInMillis, 900_000);
  assert.equal((await env.apigw.send(new GetIntegrationCommand(m))).responseTransferMode, 'STREAM');
  await expectAwsError(env.apigw.send(new UpdateIntegrationCommand({ ...m, patchOperations: [{ op: 'replace', path: '/responseTransferMode', value: 'BUFFERED' }] })),
    'BadRequestException', 'Timeout should be between 50 ms and 29000 ms', 400);
  const buffered = await env.apigw.send(new UpdateIntegrationCommand({ ...m, patchOperations: [
    { op: 'replace', path: '/timeoutInMillis', value: '29000' }, { op: 'replace', path: '/responseTransferMode', value: 'BUFFERED' }] }));
  assert.equal(buffered.responseTransferMode, 'BUFFERED');
  await expectAwsError(env.apigw.send(new PutIntegrationCommand({ ...m, type: 'MOCK', responseTransferMode: 'STREAM' })),
    'BadRequestException', 'Response transfer mode STREAM is only supported for HTTP_PROXY and AWS_PROXY integrations', 400);
});
