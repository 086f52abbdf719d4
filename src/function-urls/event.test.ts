// The payload format 2.0 event built from a request: header and query joining, cookies, body encoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUrlEvent, isTextContentType, queryParameters } from './event.js';

const request = (over: Partial<Parameters<typeof buildUrlEvent>[0]> = {}) => ({
  method: 'GET', rawPath: '/a/b', rawQuery: '', rawHeaders: ['Host', 'x.lambda-url.us-east-1.localhost'], body: Buffer.alloc(0), sourceIp: '10.0.0.1', protocol: 'HTTP/1.1', ...over,
});
const context = { accountId: '000000000000', urlId: 'x', domainName: 'x.lambda-url.us-east-1.localhost', requestId: 'rid', epochMs: Date.UTC(2020, 2, 12, 19, 3, 58, 390) };

test('headers are lower-cased and repeated ones comma-joined; Cookie becomes cookies', () => {
  const e = buildUrlEvent(request({ rawHeaders: ['X-A', '1', 'x-a', '2', 'Cookie', 'a=1; b=2', 'Cookie', 'c=3', 'User-Agent', 'ua'] }), context);
  assert.deepEqual(e.headers, { 'x-a': '1,2', 'user-agent': 'ua' });
  assert.deepEqual(e.cookies, ['a=1', 'b=2', 'c=3']);
  assert.equal((e.requestContext as { http: { userAgent: string } }).http.userAgent, 'ua');
});

test('query parameters: decoded, repeated ones comma-joined, absent for an empty query', () => {
  assert.deepEqual(queryParameters('a=1&a=2&b=x%20y&c=p+q&flag'), { a: '1,2', b: 'x y', c: 'p q', flag: '' });
  assert.equal(queryParameters(''), undefined);
  assert.equal(buildUrlEvent(request(), context).queryStringParameters, undefined);
  assert.equal(buildUrlEvent(request({ rawQuery: 'a=1' }), context).rawQueryString, 'a=1');
});

test('request context: $default route and stage, time in CLF form, anonymous account unless IAM-signed', () => {
  const e = buildUrlEvent(request(), context);
  assert.deepEqual(e.requestContext, {
    accountId: 'anonymous', apiId: 'x', domainName: 'x.lambda-url.us-east-1.localhost', domainPrefix: 'x',
    http: { method: 'GET', path: '/a/b', protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: '' },
    requestId: 'rid', routeKey: '$default', stage: '$default', time: '12/Mar/2020:19:03:58 +0000', timeEpoch: Date.UTC(2020, 2, 12, 19, 3, 58, 390),
  });
  const signed = buildUrlEvent(request(), { ...context, iam: { accessKey: 'AK' } }).requestContext as Record<string, unknown>;
  assert.equal(signed.accountId, '000000000000');
  assert.deepEqual(signed.authorizer, { iam: { accessKey: 'AK' } });
});

test('bodies: text as is, anything else base64; no body member without a body', () => {
  const text = buildUrlEvent(request({ rawHeaders: ['Content-Type', 'application/json; charset=utf-8'], body: Buffer.from('{"a":1}') }), context);
  assert.equal(text.body, '{"a":1}');
  assert.equal(text.isBase64Encoded, false);
  const binary = buildUrlEvent(request({ rawHeaders: ['Content-Type', 'image/png'], body: Buffer.from([0, 255]) }), context);
  assert.equal(binary.body, 'AP8=');
  assert.equal(binary.isBase64Encoded, true);
  const empty = buildUrlEvent(request(), context);
  assert.ok(!('body' in empty));
  assert.equal(empty.isBase64Encoded, false);
  assert.ok(isTextContentType('text/html') && isTextContentType('application/vnd.api+json') && isTextContentType(undefined));
  assert.ok(!isTextContentType('multipart/form-data; boundary=x') && !isTextContentType('application/octet-stream'));
});
