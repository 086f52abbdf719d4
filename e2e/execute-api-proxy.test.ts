// The Lambda proxy integration end to end: every field of the payload-format-1.0 event as a real
// function receives it, the response mapping (the cases AWS was recorded answering), binary media
// types, and the error paths — function errors, malformed output, timeouts — with AWS's bodies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand, UpdateRestApiCommand } from '@aws-sdk/client-api-gateway';
import { apiGatewayInvokeRole, createNodeFunction, putLambdaProxyMethod } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { httpCall, invokeHost, invokePath } from '../src/execute-api/testing.js';

const env = useServer();
let apiId: string;

const ECHO = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });`;
// Answers with whatever JSON the request body holds (the recorded response-format cases).
const MIRROR = `exports.handler = async (event) => event.body ? JSON.parse(event.body) : null;`;
const BINARY = `exports.handler = async (event) => ({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: event.body, isBase64Encoded: event.isBase64Encoded });`;
const THROWS = `exports.handler = async () => { throw new Error('kaboom'); };`;
const SLOW = `exports.handler = async () => { await new Promise((r) => setTimeout(r, 3000)); return { statusCode: 200, body: 'late' }; };`;

// Permission checks are the walkthrough's subject; here the integrations carry credentials.
env.setup(async () => {
  for (const [name, code, timeout] of [['echo', ECHO, 3], ['mirror', MIRROR, 3], ['binary', BINARY, 3], ['throws', THROWS, 3], ['slow', SLOW, 5], ['slow-fn-timeout', SLOW, 1]] as const) {
    await createNodeFunction(env.lambda, name, code, { Timeout: timeout });
  }
  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'proxy-tests', binaryMediaTypes: ['image/png'] }))).id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
  const add = async (parentId: string, pathPart: string, fn: string, extra: { timeoutInMillis?: number } = {}) => {
    const r = await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId, pathPart }));
    await putLambdaProxyMethod(env.apigw, { restApiId: apiId, resourceId: r.id!, httpMethod: 'ANY' }, fn, { credentials: apiGatewayInvokeRole, ...extra });
    return r.id!;
  };
  const echo = await add(root, 'echo', 'echo');
  await add(echo, '{id}', 'echo');
  await add(root, '{proxy+}', 'echo');
  await add(root, 'hardcoded', 'echo');
  await add(root, 'mirror', 'mirror');
  await add(root, 'binary', 'binary');
  await add(root, 'throws', 'throws');
  await add(root, 'slow', 'slow', { timeoutInMillis: 500 });
  await add(root, 'fn-timeout', 'slow-fn-timeout');
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'test', variables: { color: 'blue', size: 'L' } }));
});

test('every field of the proxy event', async () => {
  const r = await invokeHost(env.url, apiId, 'test', '/echo/42?single=1&multi=a&multi=b&plus=a+b&email=test%2Balias%40x.com', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'tEsT-HEADeR': 'aValUE', 'user-agent': 'stagecraft-test/1', authorization: 'random-value', 'X-Multi': ['one', 'two'] },
    body: '{"message":"hello world"}',
  });
  assert.equal(r.status, 200);
  const e = r.json();
  const port = new URL(env.url).port;
  assert.equal(e.resource, '/echo/{id}');
  assert.equal(e.path, '/echo/42');
  assert.equal(e.httpMethod, 'POST');
  assert.equal(e.headers['tEsT-HEADeR'], 'aValUE', 'the client casing is kept');
  assert.equal(e.headers['User-Agent'], 'stagecraft-test/1');
  assert.equal(e.headers.Authorization, 'random-value');
  assert.equal(e.headers.Host, `${apiId}.execute-api.localhost:${port}`);
  assert.equal(e.headers['X-Multi'], 'two');
  assert.deepEqual(e.multiValueHeaders['X-Multi'], ['one', 'two']);
  assert.equal(e.headers['Content-Length'] ?? e.headers['content-length'], undefined);
  assert.match(e.headers['X-Amzn-Trace-Id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  assert.equal(e.headers['X-Forwarded-For'], '127.0.0.1');
  assert.equal(e.headers['X-Forwarded-Port'], port);
  assert.equal(e.headers['X-Forwarded-Proto'], 'http');
  assert.deepEqual(e.queryStringParameters, { single: '1', multi: 'b', plus: 'a b', email: 'test+alias@x.com' });
  assert.deepEqual(e.multiValueQueryStringParameters, { single: ['1'], multi: ['a', 'b'], plus: ['a b'], email: ['test+alias@x.com'] });
  assert.deepEqual(e.pathParameters, { id: '42' });
  assert.deepEqual(e.stageVariables, { color: 'blue', size: 'L' });
  assert.equal(e.body, '{"message":"hello world"}');
  assert.equal(e.isBase64Encoded, false);
  const c = e.requestContext;
  assert.equal(c.accountId, '000000000000');
  assert.equal(c.apiId, apiId);
  assert.equal(c.stage, 'test');
  assert.match(c.resourceId, /^[a-z0-9]{10}$/);
  assert.equal(c.resourcePath, '/echo/{id}');
  assert.equal(c.httpMethod, 'POST');
  assert.equal(c.path, '/test/echo/42');
  assert.equal(c.protocol, 'HTTP/1.1');
  assert.equal(c.requestId, r.headers['x-amzn-requestid']);
  assert.equal(c.extendedRequestId, r.headers['x-amz-apigw-id']);
  assert.match(c.requestTime, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  assert.ok(Math.abs(c.requestTimeEpoch - Date.now()) < 60_000);
  assert.equal(c.identity.sourceIp, '127.0.0.1');
  assert.equal(c.identity.userAgent, 'stagecraft-test/1');
  assert.equal(c.identity.user, null);
  assert.equal(c.identity.accessKey, null);
  assert.equal(c.domainName, `${apiId}.execute-api.localhost:${port}`);
  assert.equal(c.domainPrefix, apiId);
  assert.match(c.deploymentId, /^[a-z0-9]{10}$/);
});

test('nulls where AWS sends null; greedy paths, trailing and doubled slashes as recorded', async () => {
  const e = (await invokePath(env.url, apiId, 'test', '/hardcoded')).json();
  assert.equal(e.queryStringParameters, null);
  assert.equal(e.multiValueQueryStringParameters, null);
  assert.equal(e.pathParameters, null);
  assert.equal(e.body, null);
  assert.equal(e.requestContext.path, '/test/hardcoded');
  assert.equal(e.requestContext.domainPrefix, '127');

  const cases: [string, string, string][] = [
    ['/proxy-value', '/proxy-value', 'proxy-value'],
    ['/proxy-value/', '/proxy-value/', 'proxy-value'],
    ['/proxy-value//double-slash', '/proxy-value//double-slash', 'proxy-value//double-slash'],
    ['//proxy-value', '/proxy-value', 'proxy-value'],
    ['/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com', '/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com', 'proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com'],
  ];
  for (const [sent, path, proxy] of cases) {
    const ev = (await invokeHost(env.url, apiId, 'test', sent)).json();
    assert.equal(ev.resource, '/{proxy+}');
    assert.equal(ev.path, path, sent);
    assert.deepEqual(ev.pathParameters, { proxy }, sent);
    assert.equal(ev.requestContext.path, `/test${sent}`);
  }
});

test('response mapping: the recorded cases', async () => {
  const mirror = (body: unknown) => invokeHost(env.url, apiId, 'test', '/mirror', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  const noBody = await mirror({ statusCode: 200 });
  assert.deepEqual([noBody.status, noBody.text, noBody.headers['content-type'], noBody.headers['content-length']], [200, '', 'application/json', '0']);
  const withHeaders = await mirror({ statusCode: 200, headers: { 'test-header': 'value', 'header-bool': true } });
  assert.deepEqual([withHeaders.headers['test-header'], withHeaders.headers['header-bool']], ['value', 'true']);
  assert.equal((await mirror({ statusCode: 200, headers: null })).status, 200);
  assert.equal((await mirror({ statusCode: '201' })).status, 201);
  assert.equal((await mirror({ headers: { 'test-header': 'value' } })).status, 200);
  assert.equal((await mirror({ statusCode: 200, body: 'dGVzdC1kYXRh', isBase64Encoded: true })).text, 'dGVzdC1kYXRh', 'base64 stays text without a binary media type');
  assert.equal((await mirror({ statusCode: 200, multiValueHeaders: { 'test-multi': ['value1', 'value2'] } })).headers['test-multi'], 'value1, value2');
  assert.equal((await mirror({ statusCode: 200, multiValueHeaders: { 'test-multi': ['value-multi'] }, headers: { 'test-multi': 'value-solo' } })).headers['test-multi'], 'value-multi, value-solo');
  const set = await mirror({ statusCode: 302, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, headers: { Location: '/elsewhere' } });
  assert.deepEqual([set.status, set.headers['set-cookie'], set.headers.location], [302, ['a=1', 'b=2'], '/elsewhere']);
  for (const bad of [{ statusCode: 200, wrongValue: 'value' }, { statusCode: 200, multiValueHeaders: { 'test-multi-invalid': 'value1' } }, { statusCode: 'test' }, 'justAString', { statusCode: 200, headers: { bad: 'line\nbreak' } }]) {
    const r = await mirror(bad);
    assert.deepEqual([r.status, r.text, r.headers['x-amzn-errortype']], [502, '{"message": "Internal server error"}', 'InternalServerErrorException'], JSON.stringify(bad));
  }
  const none = await invokeHost(env.url, apiId, 'test', '/mirror');
  assert.equal(none.status, 502, 'a function returning null is malformed');
});

test('binary media types: base64 to the function, bytes back when Accept names the type', async () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);
  const r = await invokeHost(env.url, apiId, 'test', '/binary', { method: 'POST', body: png, headers: { 'Content-Type': 'image/png', Accept: 'image/png' } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, png);
  const asText = await invokeHost(env.url, apiId, 'test', '/binary', { method: 'POST', body: png, headers: { 'Content-Type': 'image/png', Accept: 'application/json' } });
  assert.equal(asText.text, png.toString('base64'));
});

test('function errors are 502, integration timeouts 504, function timeouts 502', async () => {
  const thrown = await invokeHost(env.url, apiId, 'test', '/throws');
  assert.deepEqual([thrown.status, thrown.text, thrown.headers['x-amzn-errortype']], [502, '{"message": "Internal server error"}', 'InternalServerErrorException']);
  const started = Date.now();
  const slow = await invokeHost(env.url, apiId, 'test', '/slow');
  assert.deepEqual([slow.status, slow.text], [504, '{"message": "Endpoint request timed out"}']);
  assert.ok(Date.now() - started < 2500, 'answered at the integration timeout, not the function timeout');
  const fnTimeout = await invokeHost(env.url, apiId, 'test', '/fn-timeout');
  assert.deepEqual([fnTimeout.status, fnTimeout.text], [502, '{"message": "Internal server error"}']);
});

test('binaryMediaTypes are part of the deployment: an undeployed change does not apply', async () => {
  await env.apigw.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'remove', path: '/binaryMediaTypes/image~1png' }] }));
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
  const r = await invokeHost(env.url, apiId, 'test', '/binary', { method: 'POST', body: png, headers: { 'Content-Type': 'image/png', Accept: 'image/png' } });
  assert.deepEqual(r.body, png);
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'test', variables: { color: 'blue', size: 'L' } }));
  const after = await invokeHost(env.url, apiId, 'test', '/binary', { method: 'POST', body: 'plain', headers: { 'Content-Type': 'image/png', Accept: 'image/png' } });
  assert.equal(after.text, 'plain');
});

test('HEAD and OPTIONS reach ANY methods; HEAD answers carry no body', async () => {
  const head = await httpCall(env.url, `/restapis/${apiId}/test/_user_request_/echo`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  const options = await invokePath(env.url, apiId, 'test', '/echo', { method: 'OPTIONS' });
  assert.equal(options.json().httpMethod, 'OPTIONS');
});
