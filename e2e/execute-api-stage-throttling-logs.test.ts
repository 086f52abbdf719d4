// Stage settings on the data plane, end to end over plain HTTP: method settings' throttles (a
// token bucket per stage and method, "*/*" for every method, a method's own setting winning) answer
// 429 THROTTLED, customisable like any gateway response; access log settings write one line per
// request to the named CloudWatch Logs log group. Both apply as soon as UpdateStage commits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand, PutGatewayResponseCommand, PutIntegrationCommand,
  PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, UpdateStageCommand, type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { CreateLogGroupCommand, DescribeLogStreamsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { invokeHost, type HttpAnswer } from '../src/execute-api/testing.js';

const env = useServer();
let apiId: string;

const call = (stage: string, path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> => invokeHost(env.url, apiId, stage, path, { headers });
const updateStage = (stageName: string, patchOperations: PatchOperation[]) => env.apigw.send(new UpdateStageCommand({ restApiId: apiId, stageName, patchOperations }));
const statuses = async (stage: string, path: string, n: number): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(stage, path)).status);
  return out;
};
const THROTTLED_BODY = '{"message":"Too Many Requests"}';

/** A GET MOCK method on /{pathPart} answering 200 {"ok": true}. */
async function method(parentId: string, pathPart: string): Promise<void> {
  const resourceId = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId, pathPart }))).id!;
  const m = { restApiId: apiId, resourceId, httpMethod: 'GET' };
  await env.apigw.send(new PutMethodCommand({ ...m, authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ ...m, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await env.apigw.send(new PutMethodResponseCommand({ ...m, statusCode: '200' }));
  await env.apigw.send(new PutIntegrationResponseCommand({ ...m, statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }));
}

env.setup(async () => {
  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'stage-settings' }))).id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
  await method(root, 'a');
  await method(root, 'b');
  for (const stageName of ['throttled', 'custom', 'logged']) await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName }));
});

test('"*/*" throttles every method on its own, a method setting overrides it, and removing them lifts it without a redeploy', async () => {
  assert.deepEqual(await statuses('throttled', '/a', 3), [200, 200, 200], 'no method settings: no throttle');
  // Burst 1 and no refill: one request per method, then 429, with no timing involved.
  await updateStage('throttled', [
    { op: 'replace', path: '/*/*/throttling/rateLimit', value: '0' },
    { op: 'replace', path: '/*/*/throttling/burstLimit', value: '1' },
  ]);
  assert.deepEqual(await statuses('throttled', '/a', 2), [200, 429]);
  const refused = await call('throttled', '/a');
  assert.equal(refused.status, 429);
  assert.equal(refused.text, THROTTLED_BODY);
  assert.equal(refused.headers['x-amzn-errortype'], 'TooManyRequestsException');
  assert.match(String(refused.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  assert.deepEqual(await statuses('throttled', '/b', 2), [200, 429], '/b has its own bucket with the stage limits');

  // /b's own setting (starting from "*/*"'s values) wins; /a keeps the stage's.
  await updateStage('throttled', [{ op: 'replace', path: '/~1b/GET/throttling/burstLimit', value: '3' }]);
  assert.deepEqual(await statuses('throttled', '/b', 4), [200, 200, 200, 429]);
  assert.deepEqual(await statuses('throttled', '/a', 2), [200, 429]);

  await updateStage('throttled', [{ op: 'remove', path: '/*/*' }, { op: 'remove', path: '/~1b/GET' }]);
  assert.deepEqual(await statuses('throttled', '/a', 3), [200, 200, 200]);
  assert.deepEqual(await statuses('throttled', '/b', 3), [200, 200, 200]);
});

test('a customised THROTTLED gateway response applies to throttled requests', async () => {
  await env.apigw.send(new PutGatewayResponseCommand({
    restApiId: apiId, responseType: 'THROTTLED', statusCode: '503',
    responseParameters: { 'gatewayresponse.header.Retry-After': "'1'" },
    responseTemplates: { 'application/json': '{"error": "$context.error.message", "type": "$context.error.responseType", "stage": "$context.stage"}' },
  }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'custom' }));
  await updateStage('custom', [{ op: 'replace', path: '/~1a/GET/throttling/burstLimit', value: '0' }]);
  const r = await call('custom', '/a');
  assert.equal(r.status, 503, r.text);
  assert.deepEqual(r.json(), { error: 'Too Many Requests', type: 'THROTTLED', stage: 'custom' });
  assert.equal(r.headers['retry-after'], '1');
  assert.equal((await call('custom', '/b')).status, 200, 'only /a is throttled');
});

/** The access log events of the group, once `count` of them match the pattern (the sink writes asynchronously). */
async function logged(group: string, filterPattern: string, count = 1): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    const { events } = await env.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern }));
    if ((events?.length ?? 0) >= count || attempt === 100) return (events ?? []).map((e) => e.message!);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('access logs: a line per request in the log group, the format\'s $context variables substituted', { timeout: 60_000 }, async () => {
  const group = 'stage-access-logs';
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const format = '{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId","ip":"$context.identity.sourceIp",'
    + '"userAgent":"$context.identity.userAgent","caller":"$context.identity.caller","requestTime":"$context.requestTime","epoch":$context.requestTimeEpoch,'
    + '"httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","path":"$context.path","status":"$context.status",'
    + '"protocol":"$context.protocol","responseLength":"$context.responseLength","integrationLatency":"$context.integrationLatency",'
    + '"responseLatency":"$context.responseLatency","error":"$context.error.message","responseType":"$context.error.responseType",'
    + '"apiId":"$context.apiId","stage":"$context.stage","domainName":"$context.domainName"}';
  await updateStage('logged', [
    { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:${testRegion}:${testAccount}:log-group:${group}` },
    { op: 'replace', path: '/accessLogSettings/format', value: format },
  ]);

  const ok = await call('logged', '/a', { 'User-Agent': 'access-log-test/1.0' });
  assert.equal(ok.status, 200);
  const requestId = String(ok.headers['x-amzn-requestid']);
  const [line] = await logged(group, `{ $.requestId = "${requestId}" }`);
  assert.ok(line, 'the request was logged');
  const entry = JSON.parse(line);
  assert.equal(entry.extendedRequestId, ok.headers['x-amz-apigw-id']);
  assert.equal(entry.ip, '127.0.0.1');
  assert.equal(entry.userAgent, 'access-log-test/1.0');
  assert.equal(entry.caller, '-');
  assert.match(entry.requestTime, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  assert.equal(typeof entry.epoch, 'number');
  assert.deepEqual(
    [entry.httpMethod, entry.resourcePath, entry.path, entry.status, entry.protocol, entry.responseLength, entry.error, entry.responseType, entry.apiId, entry.stage],
    ['GET', '/a', '/logged/a', '200', 'HTTP/1.1', String(ok.body.length), '-', '-', apiId, 'logged'],
  );
  assert.match(entry.integrationLatency, /^\d+$/);
  assert.match(entry.responseLatency, /^\d+$/);
  assert.match(entry.domainName, new RegExp(`^${apiId}\\.execute-api\\.localhost`));

  // Gateway errors are logged too, with $context.error.*.
  const missing = await call('logged', '/nowhere');
  assert.equal(missing.status, 403);
  const [missingLine] = await logged(group, `{ $.requestId = "${String(missing.headers['x-amzn-requestid'])}" }`);
  const missed = JSON.parse(missingLine);
  assert.deepEqual([missed.status, missed.error, missed.responseType, missed.resourcePath, missed.integrationLatency], ['403', 'Missing Authentication Token', 'MISSING_AUTHENTICATION_TOKEN', '-', '-']);

  // One stream per stage, named as AWS names access log streams (32 hex digits).
  const { logStreams } = await env.logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
  assert.equal(logStreams?.length, 1);
  assert.match(logStreams![0].logStreamName!, /^[0-9a-f]{32}$/);
  const tail = await awsCli(env.server.url, ['logs', 'tail', group, '--format', 'short']);
  assert.equal(tail.code, 0, tail.stderr);
  assert.ok(tail.stdout.includes(requestId), tail.stdout);

  // Without settings nothing is logged: a request made then is absent when a later one, logged again, has arrived.
  await updateStage('logged', [{ op: 'remove', path: '/accessLogSettings' }]);
  const unlogged = String((await call('logged', '/a')).headers['x-amzn-requestid']);
  await updateStage('logged', [
    { op: 'replace', path: '/accessLogSettings/destinationArn', value: `arn:aws:logs:${testRegion}:${testAccount}:log-group:${group}` },
    { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId $context.status' },
  ]);
  const later = String((await call('logged', '/b')).headers['x-amzn-requestid']);
  assert.deepEqual(await logged(group, `"${later} 200"`), [`${later} 200`]);
  assert.deepEqual(await logged(group, `"${unlogged}"`, 0), []);
});
