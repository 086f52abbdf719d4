// The chain end to end without sockets: a stage runtime and an invoker standing in for the real
// ones, requests built as the parse step builds them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Integration } from '../aws/generated/apigateway.js';
import type { ResolvedStage } from '../apigateway/stage-runtime.js';
import { InvokePermissionError, type InvokeOutcome } from '../lambda/invoke.js';
import { awsError } from '../core/errors.js';
import { setLogLevel } from '../core/logger.js';
import { runChain, type ChainDeps } from './chain.js';
import { LAMBDA_URI, context, invoker, ok, resource, run, runtime, stageWith } from './chain-testing.js';

setLogLevel('silent');

const proxy = (extra: Partial<Integration> = {}): Integration => ({ type: 'AWS_PROXY', httpMethod: 'POST', uri: LAMBDA_URI, ...extra });

test('unknown APIs and stages are 403 Forbidden; unmatched routes 403 Missing Authentication Token', async () => {
  const deps: ChainDeps = { stages: runtime(stageWith([resource('/hello', { GET: { integration: proxy() } })])), invoker: invoker(() => ok({})), enforcePermissions: true };
  for (const ctx of [context('GET', '/hello', { api: 'nope' }), context('GET', '/hello', { stage: 'qa' }), context('GET', '/hello', { stage: 'bad stage!' })]) {
    const r = await run(deps, ctx);
    assert.deepEqual([r.status, r.body, r.headers['x-amzn-ErrorType']], [403, '{"message":"Forbidden"}', 'ForbiddenException']);
  }
  for (const ctx of [context('GET', '/nope'), context('POST', '/hello')]) {
    const r = await run(deps, ctx);
    assert.deepEqual([r.status, r.body, r.headers['x-amzn-ErrorType']], [403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException']);
  }
});

test('AWS_PROXY: the function named by the stage variable is invoked as API Gateway, with the proxy event', async () => {
  const inv = invoker(() => ok({ statusCode: 201, headers: { 'X-Out': 'y' }, body: 'created' }));
  const deps: ChainDeps = { stages: runtime(stageWith([resource('/items/{id}', { ANY: { integration: proxy() } })])), invoker: inv, enforcePermissions: true };
  const r = await run(deps, context('PUT', '/items/42?a=1&a=2', { headers: { 'Content-Type': 'application/json', 'content-length': '7' }, body: '{"x":1}' }));
  assert.deepEqual([r.status, r.body, r.headers['X-Out'], r.headers['Content-Type']], [201, 'created', 'y', 'application/json']);
  const call = inv.calls[0];
  assert.deepEqual(call.ref, { accountId: '000000000000', region: 'us-east-1', name: 'fn', qualifier: 'dev' });
  assert.deepEqual(call.caller, { principal: 'apigateway.amazonaws.com', sourceArn: 'arn:aws:execute-api:us-east-1:000000000000:api1/dev/PUT/items/{id}', sourceAccount: '000000000000' });
  const event = JSON.parse(call.payload.toString());
  assert.equal(event.resource, '/items/{id}');
  assert.equal(event.path, '/items/42');
  assert.equal(event.httpMethod, 'PUT');
  assert.deepEqual(event.pathParameters, { id: '42' });
  assert.deepEqual(event.queryStringParameters, { a: '2' });
  assert.deepEqual(event.multiValueQueryStringParameters, { a: ['1', '2'] });
  assert.deepEqual(event.stageVariables, { env: 'dev' });
  assert.equal(event.body, '{"x":1}');
  assert.equal(event.isBase64Encoded, false);
  assert.equal(event.headers['Content-Type'], 'application/json');
  assert.equal(event.headers['content-length'], undefined, 'Content-Length is not passed on');
  assert.equal(event.headers['X-Amzn-Trace-Id'], 'Root=1-00000000-000000000000000000000000');
  assert.equal(event.headers['X-Forwarded-For'], '10.0.0.1');
  assert.deepEqual(event.multiValueHeaders['User-Agent'], ['test/1']);
  assert.deepEqual(Object.keys(event), ['resource', 'path', 'httpMethod', 'headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'requestContext', 'body', 'isBase64Encoded']);
  assert.deepEqual(event.requestContext, {
    resourceId: 'id-/items/{id}', resourcePath: '/items/{id}', httpMethod: 'PUT', extendedRequestId: 'ext-1', requestTime: '14/Nov/2023:22:13:20 +0000',
    path: '/dev/items/42', accountId: '000000000000', protocol: 'HTTP/1.1', stage: 'dev', domainPrefix: 'api1', requestTimeEpoch: 1_700_000_000_000,
    requestId: 'req-1',
    identity: { cognitoIdentityPoolId: null, accountId: null, cognitoIdentityId: null, caller: null, sourceIp: '10.0.0.1', principalOrgId: null, accessKey: null, cognitoAuthenticationType: null, cognitoAuthenticationProvider: null, userArn: null, userAgent: 'test/1', user: null },
    domainName: 'api1.execute-api.localhost:4566', deploymentId: 'dep1', apiId: 'api1',
  });
});

test('AWS_PROXY failures: permission (500), function error and malformed output (502), timeout (504), non-POST (500)', async () => {
  const res = [resource('/p', { GET: { integration: proxy() } }), resource('/t', { GET: { integration: proxy({ timeoutInMillis: 50 }) } }), resource('/g', { GET: { integration: proxy({ httpMethod: 'GET' }) } })];
  const cases: [() => InvokeOutcome | Promise<InvokeOutcome>, string, number, string][] = [
    [() => { throw new InvokePermissionError('no policy'); }, '/p', 500, '{"message": "Internal server error"}'],
    [() => { throw awsError('ResourceNotFoundException', 'Function not found'); }, '/p', 500, '{"message": "Internal server error"}'],
    [() => ({ ...ok({ errorMessage: 'boom', errorType: 'Error' }), functionError: 'Unhandled' }), '/p', 502, '{"message": "Internal server error"}'],
    [() => ok({ statusCode: 200, extra: 1 }), '/p', 502, '{"message": "Internal server error"}'],
    [() => new Promise<InvokeOutcome>(() => undefined), '/t', 504, '{"message": "Endpoint request timed out"}'],
    [() => ok({}), '/g', 500, '{"message": "Internal server error"}'],
  ];
  for (const [fn, path, status, body] of cases) {
    const deps: ChainDeps = { stages: runtime(stageWith(res)), invoker: invoker(fn), enforcePermissions: true };
    const r = await run(deps, context('GET', path));
    assert.deepEqual([r.status, r.body, r.headers['x-amzn-ErrorType']], [status, body, 'InternalServerErrorException'], `${path} → ${status}`);
  }
});

test('no caller identity (so no policy check) when permissions are relaxed or the integration has credentials', async () => {
  for (const [enforce, credentials] of [[false, undefined], [true, 'arn:aws:iam::000000000000:role/apigw']] as const) {
    const inv = invoker(() => ok({ statusCode: 200 }));
    const deps: ChainDeps = { stages: runtime(stageWith([resource('/p', { GET: { integration: proxy({ credentials }) } })])), invoker: inv, enforcePermissions: enforce };
    assert.equal((await run(deps, context('GET', '/p'))).status, 200);
    assert.equal(inv.calls[0].caller, undefined);
  }
});

test('binary media types: base64 towards the function, decoded towards the client when Accept says so', async () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);
  const inv = invoker((input) => {
    const e = JSON.parse(input.payload.toString());
    return ok({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: e.body, isBase64Encoded: e.isBase64Encoded });
  });
  const uri = LAMBDA_URI.replace(':${stageVariables.env}', '');
  const stage = stageWith([resource('/img', { POST: { integration: proxy({ uri }) } })], {}, { binaryMediaTypes: ['image/png'] });
  const deps: ChainDeps = { stages: runtime(stage), invoker: inv, enforcePermissions: false };
  const ctx = context('POST', '/img', { headers: { 'Content-Type': 'image/png', Accept: 'image/png' } });
  ctx.request.body = png;
  const r = await runChain(ctx, deps);
  assert.deepEqual(r.body, png);
  const event = JSON.parse(inv.calls[0].payload.toString());
  assert.equal(event.isBase64Encoded, true);
  assert.equal(event.body, png.toString('base64'));
  assert.equal(event.stageVariables, null);
});

test('method request: AWS_IAM needs a signature, API keys a header, a CUSTOM method its authorizer', async () => {
  const stage = stageWith([
    resource('/iam', { GET: { integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: { '200': { statusCode: '200' } } }, authorizationType: 'AWS_IAM' } }),
    resource('/key', { GET: { integration: { type: 'MOCK', integrationResponses: { '200': { statusCode: '200' } } }, apiKeyRequired: true } }),
    resource('/custom', { GET: { integration: { type: 'MOCK' }, authorizationType: 'CUSTOM' } }),
  ]);
  const deps: ChainDeps = { stages: runtime(stage), invoker: invoker(() => ok({})), enforcePermissions: true };
  assert.deepEqual((await run(deps, context('GET', '/iam'))).body, '{"message":"Missing Authentication Token"}');
  assert.equal((await run(deps, context('GET', '/iam', { headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=x/20240101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc' } }))).status, 200);
  const noKey = await run(deps, context('GET', '/key'));
  assert.deepEqual([noKey.status, noKey.body, noKey.headers['x-amzn-ErrorType']], [403, '{"message":"Forbidden"}', 'ForbiddenException']);
  assert.equal((await run(deps, context('GET', '/key', { headers: { 'x-api-key': 'k' } }))).status, 200);
  assert.equal((await run(deps, context('GET', '/custom'))).status, 500);
});

test('MOCK: the request template picks the status; response templates and overrides shape the answer', async () => {
  const integration: Integration = {
    type: 'MOCK',
    requestTemplates: { 'application/json': `#if($input.params('fail') == "yes"){"statusCode": 404}#else{statusCode: 200}#end` },
    integrationResponses: {
      '200': { statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '{"echo": "$input.params(\'q\')", "stage": "$context.stage", "env": "$stageVariables.env"}' }, responseParameters: { 'method.response.header.X-Static': "'fixed'" } },
      '404': { statusCode: '404', selectionPattern: '404', responseTemplates: { 'application/json': '#set($context.responseOverride.status = 410){"gone": true}' } },
    },
  };
  const deps: ChainDeps = { stages: runtime(stageWith([resource('/m', { GET: { integration } })])), invoker: invoker(() => ok({})), enforcePermissions: true };
  const okr = await run(deps, context('GET', '/m?q=hi'));
  assert.deepEqual([okr.status, JSON.parse(okr.body), okr.headers['X-Static']], [200, { echo: 'hi', stage: 'dev', env: 'dev' }, 'fixed']);
  const gone = await run(deps, context('GET', '/m?fail=yes'));
  assert.deepEqual([gone.status, JSON.parse(gone.body)], [410, { gone: true }]);
});

test('AWS (Lambda, non-proxy): request template in, selection pattern on the error message, response template out', async () => {
  const integration: Integration = {
    type: 'AWS', httpMethod: 'POST', uri: LAMBDA_URI,
    requestTemplates: { 'application/json': '{"param1": "$input.params(\'param1\')", "body": $input.json(\'$\')}' },
    integrationResponses: {
      '200': { statusCode: '200' },
      '400': { statusCode: '400', selectionPattern: '.*Bad request.*', responseTemplates: { 'application/json': '{"error": "$input.path(\'$.errorMessage\')"}' } },
    },
  };
  const inv = invoker((input) => {
    const e = JSON.parse(input.payload.toString());
    if (e.param1 === 'fail') return { ...ok({ errorMessage: 'Bad request: nope', errorType: 'Error' }), functionError: 'Unhandled' };
    return ok({ got: e });
  });
  const deps: ChainDeps = { stages: runtime(stageWith([resource('/a', { POST: { integration } })])), invoker: inv, enforcePermissions: false };
  const good = await run(deps, context('POST', '/a?param1=foobar', { body: '{"k": 1}', headers: { 'Content-Type': 'application/json' } }));
  assert.deepEqual([good.status, JSON.parse(good.body)], [200, { got: { param1: 'foobar', body: { k: 1 } } }]);
  const bad = await run(deps, context('POST', '/a?param1=fail'));
  assert.deepEqual([bad.status, JSON.parse(bad.body)], [400, { error: 'Bad request: nope' }]);
  const passed = await run(deps, context('POST', '/a', { headers: { 'Content-Type': 'text/plain' }, body: '"as is"' }));
  assert.deepEqual([passed.status, JSON.parse(passed.body)], [200, { got: 'as is' }], 'WHEN_NO_MATCH passes an unmatched content type through');
});

test('canary: a share of requests is served by the canary deployment with its variable overrides', async () => {
  const stage = stageWith([resource('/p', { GET: { integration: proxy() } })]);
  const canaryDeployment = { id: 'dep2', createdDate: 0, snapshot: { api: stage.deployment.snapshot.api, resources: [resource('/p', { GET: { integration: proxy() } })] } };
  const withCanary: ResolvedStage = { ...stage, canary: { deployment: canaryDeployment, percentTraffic: 50, stageVariableOverrides: { env: 'canary' }, useStageCache: false } };
  const inv = invoker(() => ok({ statusCode: 200 }));
  let roll = 0.1;
  const deps: ChainDeps = { stages: runtime(withCanary), invoker: inv, enforcePermissions: false, random: () => roll };
  await run(deps, context('GET', '/p'));
  roll = 0.9;
  await run(deps, context('GET', '/p'));
  assert.deepEqual(inv.calls.map((c) => c.ref.qualifier), ['canary', 'dev']);
});

test('headers API Gateway owns: mapping them in is a 500, mapping them out is remapped', async () => {
  const stage = stageWith([
    resource('/in', { GET: { integration: { type: 'AWS_PROXY', httpMethod: 'POST', uri: LAMBDA_URI, requestParameters: { 'integration.request.header.Connection': "'x'" } } } }),
    resource('/out', { GET: { integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: { '200': { statusCode: '200', responseParameters: { 'method.response.header.Server': "'mine'", 'method.response.header.Warn': "'w'" } } } } } }),
  ]);
  const deps: ChainDeps = { stages: runtime(stage), invoker: invoker(() => ok({ statusCode: 200 })), enforcePermissions: false };
  assert.equal((await run(deps, context('GET', '/in'))).status, 500);
  const out = await run(deps, context('GET', '/out'));
  assert.deepEqual([out.status, out.headers['x-amzn-Remapped-Server'], out.headers.Server, out.headers.Warn], [200, 'mine', undefined, 'w']);
});
