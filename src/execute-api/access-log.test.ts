// Access log lines: the format's $context variables substituted, "-" for absent values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AccessLogger, accessLogStreamName, compileFormat, parseLogGroupArn, renderAccessLog } from './access-log.js';
import type { InvocationContext } from './context.js';
import { GatewayError } from './errors.js';

test('formats compile to literal text and variable paths ($context.x.y and ${context.x})', () => {
  assert.deepEqual(compileFormat('$context.requestId $context.identity.sourceIp [${context.status}].'), [
    ['requestId'], ' ', ['identity', 'sourceIp'], ' [', ['status'], '].',
  ]);
  assert.deepEqual(compileFormat('no variables'), ['no variables']);
});

test('rendering: values as text, objects as JSON, absent/null/empty as "-", one line', () => {
  const parts = compileFormat('{"id":"$context.requestId","ip":"$context.identity.sourceIp","user":"$context.identity.user","n":$context.status,"a":$context.authorizer,"x":"$context.nope.deeper","e":"$context.error.message"}\n');
  const line = renderAccessLog(parts, { requestId: 'r1', identity: { sourceIp: '1.2.3.4', user: null }, status: 200, authorizer: { k: 'v' }, error: { message: '' } });
  assert.equal(line, '{"id":"r1","ip":"1.2.3.4","user":"-","n":200,"a":{"k":"v"},"x":"-","e":"-"} ');
});

test('log group ARNs name region, account and group; other destinations are not log groups', () => {
  assert.deepEqual(parseLogGroupArn('arn:aws:logs:eu-west-1:123456789012:log-group:my/access-logs'), { region: 'eu-west-1', accountId: '123456789012', logGroupName: 'my/access-logs' });
  assert.deepEqual(parseLogGroupArn('arn:aws:logs:us-east-1:123456789012:log-group:g:*'), { region: 'us-east-1', accountId: '123456789012', logGroupName: 'g' });
  assert.equal(parseLogGroupArn('arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-x'), undefined);
  assert.equal(parseLogGroupArn('not an arn'), undefined);
  assert.match(accessLogStreamName('abc', 'prod'), /^[0-9a-f]{32}$/);
});

function context(accessLogSettings: object | undefined): InvocationContext {
  const stage = { name: 'prod', accessLogSettings };
  return {
    requestId: 'req-1', extendedRequestId: 'ext-1', traceId: 't', startedAt: 1_700_000_000_000, apiId: 'api1', stageName: 'prod',
    request: {
      method: 'GET', rawUrl: '/prod/pets', rawPath: '/pets', path: '/pets', rawQuery: '', query: null, multiQuery: null, headers: {}, multiHeaders: {},
      headerNames: new Map(), body: Buffer.alloc(0), sourceIp: '127.0.0.1', userAgent: 'curl/8', protocol: 'HTTP/1.1', host: 'api1.execute-api.localhost', domainPrefix: 'api1',
    },
    resolved: { stage, api: { accountId: '000000000000' }, deployment: { id: 'd1' } } as unknown as InvocationContext['resolved'],
    resource: { id: 'r', path: '/pets', resourceMethods: {} },
    stageVariables: null, pathParameters: null,
  };
}

test('the logger queues one rendered line per request on the stage\'s log group, and nothing without settings', () => {
  const appended: unknown[][] = [];
  const logger = new AccessLogger({ append: (...args) => void appended.push(args) });
  const settings = { destinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:access', format: '$context.requestId $context.httpMethod $context.resourcePath $context.status $context.responseLength $context.error.responseType $context.integrationLatency' };
  const ok = context(settings);
  logger.record(ok, { status: 200, headers: {}, body: Buffer.from('hello') });
  const failed = context(settings);
  failed.error = new GatewayError('THROTTLED');
  logger.record(failed, { status: 429, headers: {}, body: failed.error.body() });
  logger.record(context(undefined), { status: 200, headers: {}, body: Buffer.alloc(0) });
  logger.record(context({ destinationArn: settings.destinationArn }), { status: 200, headers: {}, body: Buffer.alloc(0) });
  const stream = accessLogStreamName('api1', 'prod');
  assert.deepEqual(appended, [
    ['000000000000', 'us-east-1', 'access', stream, ['req-1 GET /pets 200 5 - -']],
    ['000000000000', 'us-east-1', 'access', stream, ['req-1 GET /pets 429 31 THROTTLED -']],
  ]);
});
