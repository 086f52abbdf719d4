// Function URLs called over plain HTTP: the payload format 2.0 event a real function receives, the
// response formats AWS was recorded answering, the resource-policy check for AuthType NONE, AWS_IAM
// requests, alias URLs, binary bodies, cookies, CORS preflights and function errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddPermissionCommand, CreateAliasCommand, CreateFunctionUrlConfigCommand, DeleteAliasCommand, PublishVersionCommand,
  CreateFunctionCommand, RemovePermissionCommand, UpdateFunctionCodeCommand, type CreateFunctionUrlConfigCommandInput,
} from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction, testFunctionRole } from '../src/testing/functions.js';
import { makeZip } from '../src/testing/zip.js';
import { httpCall } from '../src/execute-api/testing.js';
import { testAccount, testRegion } from '../src/testing/server.js';

const env = useServer();

const ECHO = 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ event }) });';
/** Answers with the JSON value the request body holds (the recorded response-format cases). */
const MIRROR = 'exports.handler = async (event) => JSON.parse(event.body);';
const THROWS = 'exports.handler = async () => { throw new Error("kaboom"); };';
const SLOW = 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 5000)); return "late"; };';
const FORBIDDEN = '{"Message":"Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"}';

/** Creates a function with a URL (and, unless `permission: false`, the NONE permission AWS's examples add); returns the URL. */
async function functionWithUrl(name: string, code: string, options: { permission?: boolean; url?: Partial<CreateFunctionUrlConfigCommandInput>; timeout?: number } = {}): Promise<string> {
  await createNodeFunction(env.lambda, name, code, { Timeout: options.timeout ?? 3 });
  const { FunctionUrl } = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE', ...options.url }));
  if (options.permission !== false && (options.url?.AuthType ?? 'NONE') === 'NONE') await allowUrl(name);
  return FunctionUrl!;
}

async function allowUrl(name: string, qualifier?: string): Promise<void> {
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: name, Qualifier: qualifier, StatementId: 'urlPermission', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE',
  }));
}

/** The path form of a function URL on this server: /lambda-url/{url-id}/. */
function pathForm(functionUrl: string): string {
  const urlId = new URL(functionUrl).hostname.split('.')[0];
  return `${env.url}/lambda-url/${urlId}/`;
}

test('AddPermission with FunctionUrlAuthType writes the condition AWS writes', async () => {
  await createNodeFunction(env.lambda, 'url-permission-shape', ECHO);
  const r = await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'url-permission-shape', StatementId: 'urlPermission', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE',
  }));
  assert.deepEqual(JSON.parse(r.Statement!), {
    Sid: 'urlPermission', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl',
    Resource: `arn:aws:lambda:${testRegion}:${testAccount}:function:url-permission-shape`,
    Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
  });
  const via = await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'url-permission-shape', StatementId: 'viaUrl', Action: 'lambda:InvokeFunction', Principal: '*', FunctionUrlAuthType: 'NONE', InvokedViaFunctionUrl: true,
  }));
  assert.deepEqual(JSON.parse(via.Statement!).Condition, { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' }, Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } });
});

test('the payload format 2.0 event: path, query, headers, cookies, request context (host form)', async () => {
  const functionUrl = await functionWithUrl('url-echo', ECHO);
  const host = new URL(functionUrl).host;
  const urlId = host.split('.')[0];
  const r = await httpCall(env.url, '/custom_path/extend?test_param=test_value&multi=a&multi=b&sp=a%20b', {
    method: 'POST',
    headers: { Host: host, 'Content-Type': 'text/plain', 'ExTrA-HeadErs': 'With WeiRd CapS', 'User-Agent': 'test/echo', Cookie: 'c1=v1; c2=v2', 'X-Multi': ['one', 'two'] },
    body: 'text',
  });
  assert.equal(r.status, 200);
  assert.match(String(r.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  assert.match(String(r.headers['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  const { event } = r.json();
  assert.equal(event.version, '2.0');
  assert.equal(event.routeKey, '$default');
  assert.equal(event.rawPath, '/custom_path/extend');
  assert.equal(event.rawQueryString, 'test_param=test_value&multi=a&multi=b&sp=a%20b');
  assert.deepEqual(event.queryStringParameters, { test_param: 'test_value', multi: 'a,b', sp: 'a b' });
  assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2']);
  assert.equal(event.headers.cookie, undefined, 'cookies leave the headers');
  assert.equal(event.headers['extra-headers'], 'With WeiRd CapS');
  assert.equal(event.headers['x-multi'], 'one,two');
  assert.equal(event.headers.host, host);
  assert.equal(event.headers['x-forwarded-proto'], 'http');
  assert.equal(event.headers['x-amzn-trace-id'], r.headers['x-amzn-trace-id']);
  assert.equal(event.body, 'text');
  assert.equal(event.isBase64Encoded, false);
  const c = event.requestContext;
  assert.equal(c.apiId, urlId);
  assert.equal(c.domainPrefix, urlId);
  assert.equal(c.domainName, host.replace(/:\d+$/, ''));
  assert.equal(c.requestId, r.headers['x-amzn-requestid']);
  assert.equal(c.routeKey, '$default');
  assert.equal(c.stage, '$default');
  assert.deepEqual(c.http, { method: 'POST', path: '/custom_path/extend', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test/echo' });
  assert.match(c.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  assert.equal(typeof c.timeEpoch, 'number');

  // The path form reaches the same URL; a request without a body has no body member.
  const viaPath = await fetch(pathForm(functionUrl));
  assert.equal(viaPath.status, 200);
  const plain = ((await viaPath.json()) as { event: Record<string, unknown> }).event;
  assert.equal(plain.rawPath, '/');
  assert.equal(plain.body, undefined);
  assert.equal(plain.isBase64Encoded, false);
  assert.equal(plain.queryStringParameters, undefined);
});

test('binary request bodies reach the function base64-encoded; binary answers are decoded', async () => {
  const code = 'exports.handler = async (event) => ({ statusCode: 200, headers: { "content-type": "application/octet-stream" }, body: event.body, isBase64Encoded: event.isBase64Encoded });';
  const functionUrl = await functionWithUrl('url-binary', code);
  const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
  const r = await fetch(pathForm(functionUrl), { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: bytes });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/octet-stream');
  assert.deepEqual(Buffer.from(await r.arrayBuffer()), bytes);

  const form = await fetch(pathForm(await functionWithUrl('url-binary-echo', ECHO)), {
    method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=b' }, body: '--b\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n--b--\r\n',
  });
  const { event } = (await form.json()) as { event: { body: string; isBase64Encoded: boolean } };
  assert.equal(event.isBase64Encoded, true);
  assert.equal(Buffer.from(event.body, 'base64').toString(), '--b\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n--b--\r\n');
});

test('response formats as recorded on AWS: any JSON value is a 200 application/json; statusCode objects are HTTP responses', async () => {
  const url = pathForm(await functionWithUrl('url-mirror', MIRROR));
  const cases: [unknown, string][] = [
    [{ hello: 'world' }, '{"hello":"world"}'],
    [{ statusCode: 200, body: 'body123' }, 'body123'],
    [{ statusCode: 200, body: '{"hello": "world"}' }, '{"hello": "world"}'],
    [['hello', 3, true], '["hello",3,true]'],
    ['hello', 'hello'],
    [3, '3'],
    [3.1, '3.1'],
    [true, 'true'],
  ];
  for (const [value, body] of cases) {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) });
    assert.equal(r.status, 200, JSON.stringify(value));
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(await r.text(), body);
    assert.equal(r.headers.get('content-length'), String(Buffer.byteLength(body)));
  }
  const custom = await fetch(url, {
    method: 'POST',
    body: JSON.stringify({ statusCode: 201, headers: { 'Content-Type': 'application/json', 'My-Custom-Header': 'Custom Value' }, body: '{"message":"hello-world"}', cookies: ['a=1; Path=/', 'b=2'] }),
  });
  assert.equal(custom.status, 201);
  assert.equal(custom.headers.get('my-custom-header'), 'Custom Value');
  assert.deepEqual(custom.headers.getSetCookie(), ['a=1; Path=/', 'b=2']);
  assert.deepEqual(await custom.json(), { message: 'hello-world' });
  const framed = await fetch(url, { method: 'POST', body: JSON.stringify({ statusCode: 200, headers: { 'Content-Length': '1', 'X-Amzn-RequestId': 'fake', 'Transfer-Encoding': 'chunked' }, body: 'whole body' }) });
  assert.equal(await framed.text(), 'whole body', "the URL frames the answer, whatever length the function claims");
  assert.match(String(framed.headers.get('x-amzn-requestid')), /^[0-9a-f-]{36}$/);
  const teapot = await fetch(url, { method: 'POST', body: JSON.stringify({ statusCode: '418', body: "i'm a teapot", isBase64Encoded: false }) });
  assert.equal(teapot.status, 418);
  assert.equal(await teapot.text(), "i'm a teapot");
});

test('AuthType NONE without a permission, or after it is removed, is AWS 403; an unknown url-id is 403 with a null message', async () => {
  const functionUrl = await functionWithUrl('url-no-permission', ECHO, { permission: false });
  const denied = await fetch(pathForm(functionUrl), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'text' });
  assert.equal(denied.status, 403);
  assert.equal(denied.headers.get('x-amzn-errortype'), 'AccessDeniedException');
  assert.equal(await denied.text(), FORBIDDEN);

  await allowUrl('url-no-permission');
  assert.equal((await fetch(pathForm(functionUrl))).status, 200);
  await env.lambda.send(new RemovePermissionCommand({ FunctionName: 'url-no-permission', StatementId: 'urlPermission' }));
  assert.equal((await fetch(pathForm(functionUrl))).status, 403);

  // A statement for another action does not open the URL.
  await env.lambda.send(new AddPermissionCommand({ FunctionName: 'url-no-permission', StatementId: 'invoke', Action: 'lambda:InvokeFunction', Principal: '*' }));
  assert.equal((await fetch(pathForm(functionUrl))).status, 403);

  const unknown = await httpCall(env.url, '/', { headers: { Host: `0123456789abcdefghijklmnopqrstuv.lambda-url.${testRegion}.localhost` } });
  assert.equal(unknown.status, 403);
  assert.equal(unknown.text, '{"Message":null}');
  assert.equal(unknown.headers['content-type'], 'application/json');
  assert.equal(unknown.headers['x-amzn-errortype'], 'AccessDeniedException');
  const otherRegion = await httpCall(env.url, '/', { headers: { Host: new URL(functionUrl).host.replace(testRegion, 'eu-west-3') } });
  assert.equal(otherRegion.status, 403);
});

test('AWS_IAM URLs need a SigV4-signed request', async () => {
  const functionUrl = await functionWithUrl('url-iam', ECHO, { url: { AuthType: 'AWS_IAM' } });
  const unsigned = await fetch(pathForm(functionUrl));
  assert.equal(unsigned.status, 403);
  assert.equal(await unsigned.text(), FORBIDDEN);
  const signed = await fetch(pathForm(functionUrl), {
    headers: { Authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/${testRegion}/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc`, 'X-Amz-Date': '20250101T000000Z' },
  });
  assert.equal(signed.status, 200);
  const { event } = (await signed.json()) as { event: { requestContext: { authorizer: { iam: { accessKey: string } } } } };
  assert.equal(event.requestContext.authorizer.iam.accessKey, 'AKIDEXAMPLE');
});

test('an alias URL runs the version the alias points at; after the alias is deleted its URL answers 403', async () => {
  const name = 'url-alias';
  await createNodeFunction(env.lambda, name, 'exports.handler = async () => "v1";');
  await env.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await makeZip({ 'index.js': 'exports.handler = async () => "latest";' }) }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
  const aliasUrl = (await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'NONE' }))).FunctionUrl!;
  const fnUrl = (await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }))).FunctionUrl!;
  // The alias's policy is its own: a permission on the function does not open the alias URL.
  await allowUrl(name);
  assert.equal(await (await fetch(pathForm(fnUrl))).text(), 'latest');
  assert.equal((await fetch(pathForm(aliasUrl))).status, 403);
  await allowUrl(name, 'live');
  assert.equal(await (await fetch(pathForm(aliasUrl))).text(), 'v1');

  await env.lambda.send(new DeleteAliasCommand({ FunctionName: name, Name: 'live' }));
  const gone = await fetch(pathForm(aliasUrl));
  assert.equal(gone.status, 403);
  assert.equal(gone.headers.get('x-amzn-errortype'), 'AccessDeniedException');
  assert.equal(await gone.text(), FORBIDDEN);
});

test('CORS: Lambda answers preflights itself and adds the configured headers to answers for allowed origins', async () => {
  const cors = { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-custom'], ExposeHeaders: ['x-out'], MaxAge: 600, AllowCredentials: true };
  const code = 'exports.handler = async (event) => ({ statusCode: 200, headers: { "access-control-allow-origin": "https://evil.example" }, body: event.requestContext.http.method });';
  const url = pathForm(await functionWithUrl('url-cors', code, { url: { Cors: cors } }));
  const preflight = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-custom' } });
  assert.equal(preflight.status, 200);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example');
  assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET,POST');
  assert.equal(preflight.headers.get('access-control-allow-headers'), 'x-custom');
  assert.equal(preflight.headers.get('access-control-max-age'), '600');
  assert.equal(preflight.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(await preflight.text(), '', 'the function is not called');

  const other = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'https://other.example', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null);

  const actual = await fetch(url, { method: 'POST', headers: { Origin: 'https://app.example' } });
  assert.equal(await actual.text(), 'POST');
  assert.equal(actual.headers.get('access-control-allow-origin'), 'https://app.example', "the URL's settings replace the function's");
  assert.equal(actual.headers.get('access-control-expose-headers'), 'x-out');
  // Without CORS settings, OPTIONS goes to the function like any other method.
  const plain = pathForm(await functionWithUrl('url-no-cors', code));
  const options = await fetch(plain, { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(await options.text(), 'OPTIONS');
});

test('function errors and timeouts are 502 "Internal Server Error", as recorded on AWS', async () => {
  const failing = await fetch(pathForm(await functionWithUrl('url-throws', THROWS)), { method: 'POST', body: '{}', headers: { 'User-Agent': 'testing' } });
  assert.equal(failing.status, 502);
  assert.equal(await failing.text(), 'Internal Server Error');
  assert.match(String(failing.headers.get('x-amzn-requestid')), /^[0-9a-f-]{36}$/);
  const slow = await fetch(pathForm(await functionWithUrl('url-timeout', SLOW, { timeout: 1 })));
  assert.equal(slow.status, 502);
  assert.equal(await slow.text(), 'Internal Server Error');
});

test('hostile requests: oversized bodies are 413, odd paths and absolute-form targets are served, the server keeps serving', async () => {
  const functionUrl = await functionWithUrl('url-hostile', ECHO);
  const big = await fetch(pathForm(functionUrl), { method: 'POST', body: Buffer.alloc(6_291_457, 97) });
  assert.equal(big.status, 413);
  assert.equal(big.headers.get('x-amzn-errortype'), 'RequestEntityTooLargeException');
  const host = new URL(functionUrl).host;
  const odd = await httpCall(env.url, '/%ZZ/..//a?%ZZ=1&=&x', { headers: { Host: host } });
  assert.equal(odd.status, 200);
  const { event } = odd.json();
  assert.equal(event.rawPath, '/%ZZ/..//a');
  assert.deepEqual(event.queryStringParameters, { '%ZZ': '1', '': '', x: '' });
  const absolute = await httpCall(env.url, `http://${host}/abs?q=1`, { headers: { Host: host } });
  assert.equal(absolute.json().event.rawPath, '/abs');
  assert.equal((await fetch(pathForm(functionUrl))).status, 200);
});

test('RESPONSE_STREAM URLs: a streaming handler answers with its prelude and what it wrote; a plain result is sent as is', async () => {
  const streaming = `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 202, headers: { 'content-type': 'text/plain', 'x-streamed': 'yes' } });
  stream.write('Hello, ');
  stream.write('world!');
  stream.end();
});`;
  const r = await fetch(pathForm(await functionWithUrl('url-stream', streaming, { url: { InvokeMode: 'RESPONSE_STREAM' } })));
  assert.equal(r.status, 202);
  assert.equal(r.headers.get('content-type'), 'text/plain');
  assert.equal(r.headers.get('x-streamed'), 'yes');
  assert.equal(await r.text(), 'Hello, world!');

  const plain = await fetch(pathForm(await functionWithUrl('url-stream-plain', ECHO, { url: { InvokeMode: 'RESPONSE_STREAM' } })), { method: 'POST', body: 'text', headers: { 'Content-Type': 'text/plain' } });
  assert.equal(plain.status, 200);
  const whole = (await plain.json()) as { statusCode: number; body: string };
  assert.equal(whole.statusCode, 200, 'the handler result arrives whole, as recorded on AWS');
  assert.equal(JSON.parse(whole.body).event.body, 'text');
});

test('RESPONSE_STREAM URLs send the head and each part as the handler writes it; a failure after that cuts the answer short', async () => {
  const slow = `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'content-type': 'text/plain' }, cookies: ['a=1'] });
  stream.write('first;');
  await new Promise((r) => setTimeout(r, 1500));
  stream.write('second');
  if (event.rawPath === '/fail') throw new Error('failed mid-stream');
  stream.end();
});`;
  const base = pathForm(await functionWithUrl('url-stream-slow', slow, { url: { InvokeMode: 'RESPONSE_STREAM' }, timeout: 10 }));
  const started = Date.now();
  const r = await fetch(base);
  const headAt = Date.now() - started;
  assert.equal(r.status, 201);
  assert.equal(r.headers.get('set-cookie'), 'a=1');
  assert.equal(r.headers.get('content-length'), null, 'sent chunked');
  const reader = r.body!.getReader();
  const decoder = new TextDecoder();
  const first = await reader.read();
  const firstAt = Date.now() - started;
  assert.equal(decoder.decode(first.value), 'first;');
  let rest = '';
  for (let part = await reader.read(); !part.done; part = await reader.read()) rest += decoder.decode(part.value);
  const endAt = Date.now() - started;
  assert.equal(rest, 'second');
  assert.ok(endAt - firstAt >= 1000 && endAt - headAt >= 1000, `head at ${headAt} ms, first part at ${firstAt} ms, end at ${endAt} ms`);

  const failing = await fetch(`${base}fail`);
  assert.equal(failing.status, 201);
  await assert.rejects(failing.text(), 'the answer is cut short, not ended as if complete');
});

test('a Python function behind a URL: the recorded handlers return values that become the recorded answers', async () => {
  const code = 'def handler(event, ctx):\n    return {"statusCode": 200, "body": "body123"} if event["rawPath"] == "/http" else "hello"\n';
  await env.lambda.send(new CreateFunctionCommand({
    FunctionName: 'url-python', Runtime: 'python3.12', Handler: 'handler.handler', Role: testFunctionRole, Code: { ZipFile: await makeZip({ 'handler.py': code }) },
  }));
  const { FunctionUrl } = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-python', AuthType: 'NONE' }));
  await allowUrl('url-python');
  const text = await fetch(pathForm(FunctionUrl!), { method: 'POST', body: "{'key':'value'}" });
  assert.equal(text.status, 200);
  assert.equal(text.headers.get('content-type'), 'application/json');
  assert.equal(await text.text(), 'hello');
  const http = await fetch(`${pathForm(FunctionUrl!)}http`);
  assert.equal(await http.text(), 'body123');
  assert.equal(http.headers.get('content-length'), '7');
});
