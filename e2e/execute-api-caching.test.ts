// Stage caching (AWS's API cache), end to end: the cache cluster fields through the SDK, and over
// plain HTTP a Lambda proxy function that answers a fresh nonce on every invocation (nonce-api.ts),
// so an answer seen twice came from the cache. Each test uses its own stage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateStageCommand, FlushStageCacheCommand, GetResourcesCommand,
  GetStageCommand, UpdateStageCommand, type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';
import { createNonceFunction, putNonceMethod } from '../src/testing/nonce-api.js';
import { testCredentials } from '../src/testing/server.js';
import { invokeHost, type HttpAnswer } from '../src/execute-api/testing.js';

const env = useServer();
let apiId: string;
let deploymentId: string;

const method = (parentId: string, pathPart: string, httpMethod: string, options: { cacheKeyParameters?: string[]; auth?: string } = {}) =>
  putNonceMethod(env.apigw, apiId, parentId, pathPart, httpMethod, { cacheKeyParameters: options.cacheKeyParameters, authorizationType: options.auth });

const updateStage = (stageName: string, patchOperations: PatchOperation[]) => env.apigw.send(new UpdateStageCommand({ restApiId: apiId, stageName, patchOperations }));

/** A stage with its cache cluster enabled and "*" caching on (GET methods), plus `patch`. */
async function cachedStage(stageName: string, patch: PatchOperation[] = []): Promise<string> {
  await env.apigw.send(new CreateStageCommand({ restApiId: apiId, stageName, deploymentId, cacheClusterEnabled: true }));
  await updateStage(stageName, [{ op: 'replace', path: '/*/*/caching/enabled', value: 'true' }, ...patch]);
  return stageName;
}

const call = (stage: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer> =>
  invokeHost(env.url, apiId, stage, path, options);
const nonce = async (stage: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<string> => {
  const r = await call(stage, path, options);
  assert.equal(r.status, path === '/fail' ? 500 : 200, r.text);
  return r.json<{ nonce: string }>().nonce;
};

env.setup(async () => {
  await createNonceFunction(env.lambda);
  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'caching' }))).id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
  await method(root, 'plain', 'GET');
  await method(root, 'fail', 'GET');
  await method(root, 'post', 'POST');
  await method(root, 'secure', 'GET', { auth: 'AWS_IAM' });
  await method(root, 'keyed', 'GET', { cacheKeyParameters: ['method.request.querystring.key', 'method.request.header.X-Tenant'] });
  const items = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart: 'items' }))).id!;
  await method(items, '{id}', 'GET', { cacheKeyParameters: ['method.request.path.id'] });
  const shared = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart: 'shared' }))).id!;
  await method(shared, '{id}', 'GET');
  deploymentId = (await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId }))).id!;
});

test('the cache cluster: AWS\'s default size, allowed sizes and status', async () => {
  const created = await env.apigw.send(new CreateStageCommand({ restApiId: apiId, stageName: 'cluster', deploymentId, cacheClusterEnabled: true }));
  assert.equal(created.cacheClusterEnabled, true);
  assert.equal(created.cacheClusterSize, '0.5');
  assert.equal(created.cacheClusterStatus, 'AVAILABLE');
  const resized = await updateStage('cluster', [{ op: 'replace', path: '/cacheClusterSize', value: '6.1' }]);
  assert.equal(resized.cacheClusterSize, '6.1');
  const off = await updateStage('cluster', [{ op: 'replace', path: '/cacheClusterEnabled', value: 'false' }]);
  assert.equal(off.cacheClusterStatus, 'NOT_AVAILABLE');
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId: apiId, stageName: 'cluster' }))).cacheClusterEnabled, false);

  const sizes = 'Valid options are 0.5,1.6,6.1,13.5,28.4,58.2,118,237';
  await expectAwsError(updateStage('cluster', [{ op: 'replace', path: '/cacheClusterSize', value: '2' }]), 'BadRequestException', `Invalid cache cluster size specified: 2. ${sizes}`, 400);
  // CreateStage and CreateDeployment check the size against the model's enum, as AWS does.
  const enumError = (input: string, value: string) =>
    `1 validation error detected: Value '${value}' at '${input}.cacheClusterSize' failed to satisfy constraint: Member must satisfy enum value set: [0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237]`;
  await expectAwsError(env.apigw.send(new CreateStageCommand({ restApiId: apiId, stageName: 'badsize', deploymentId, cacheClusterEnabled: true, cacheClusterSize: '1' as '0.5' })),
    'ValidationException', enumError('createStageInput', '1'), 400);
  await expectAwsError(env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'badsize', cacheClusterEnabled: true, cacheClusterSize: '3' as '0.5' })),
    'ValidationException', enumError('createDeploymentInput', '3'), 400);
  const deployed = await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'deployed', cacheClusterEnabled: true, cacheClusterSize: '1.6' }));
  const stage = await env.apigw.send(new GetStageCommand({ restApiId: apiId, stageName: 'deployed' }));
  assert.equal(stage.deploymentId, deployed.id);
  assert.deepEqual([stage.cacheClusterEnabled, stage.cacheClusterSize, stage.cacheClusterStatus], [true, '1.6', 'AVAILABLE']);
});

test('a second GET within the TTL is served from the cache; query strings not in the key share the entry', async () => {
  const s = await cachedStage('basic');
  const first = await nonce(s, '/plain');
  assert.equal(await nonce(s, '/plain'), first, 'the function is not invoked again');
  assert.equal(await nonce(s, '/plain?page=2'), first, 'a query string outside cacheKeyParameters is not in the key');
  // Hits and misses are counted as CloudWatch's CacheHitCount and CacheMissCount are.
  const metrics = await (await fetch(`${env.url}/_stagecraft/metrics`)).text();
  assert.match(metrics, new RegExp(`^stagecraft_apigateway_cache_requests_total\\{api_id="${apiId}",stage="${s}",result="miss"\\} 1$`, 'm'));
  assert.match(metrics, new RegExp(`^stagecraft_apigateway_cache_requests_total\\{api_id="${apiId}",stage="${s}",result="hit"\\} 2$`, 'm'));
  // Path parameters are not in the key unless listed, as on AWS.
  const shared = await nonce(s, '/shared/1');
  assert.equal(await nonce(s, '/shared/2'), shared);
});

test('cacheKeyParameters split entries by query string, header and path parameter', async () => {
  const s = await cachedStage('keys');
  const a = await nonce(s, '/keyed?key=a');
  const b = await nonce(s, '/keyed?key=b');
  assert.notEqual(a, b);
  assert.equal(await nonce(s, '/keyed?key=a&other=1'), a);
  const tenant = await nonce(s, '/keyed?key=a', { headers: { 'X-Tenant': 't1' } });
  assert.notEqual(tenant, a);
  assert.equal(await nonce(s, '/keyed?key=a', { headers: { 'x-tenant': 't1' } }), tenant, 'header names are case-insensitive');
  const one = await nonce(s, '/items/1');
  assert.notEqual(await nonce(s, '/items/2'), one);
  assert.equal(await nonce(s, '/items/1'), one);
});

test('error answers are not cached; other methods cache only with their own setting', async () => {
  const s = await cachedStage('methods');
  assert.notEqual(await nonce(s, '/fail'), await nonce(s, '/fail'));
  assert.notEqual(await nonce(s, '/post', { method: 'POST' }), await nonce(s, '/post', { method: 'POST' }), '"*/*" enables GET methods only');
  await updateStage(s, [{ op: 'replace', path: '/~1post/POST/caching/enabled', value: 'true' }]);
  const posted = await nonce(s, '/post', { method: 'POST' });
  assert.equal(await nonce(s, '/post', { method: 'POST' }), posted);
});

test('TTL 0, caching disabled and a disabled cache cluster bypass the cache; the TTL expires entries', async () => {
  const s = await cachedStage('bypass', [{ op: 'replace', path: '/~1plain/GET/caching/ttlInSeconds', value: '0' }]);
  assert.notEqual(await nonce(s, '/plain'), await nonce(s, '/plain'), 'TTL 0');
  const keyed = await nonce(s, '/keyed');
  assert.equal(await nonce(s, '/keyed'), keyed, 'other methods keep the stage-wide TTL');

  await updateStage(s, [{ op: 'replace', path: '/*/*/caching/enabled', value: 'false' }]);
  assert.notEqual(await nonce(s, '/keyed'), keyed, 'caching disabled');
  assert.notEqual(await nonce(s, '/keyed'), await nonce(s, '/keyed'));

  await updateStage(s, [{ op: 'replace', path: '/*/*/caching/enabled', value: 'true' }, { op: 'replace', path: '/cacheClusterEnabled', value: 'false' }]);
  assert.notEqual(await nonce(s, '/keyed'), await nonce(s, '/keyed'), 'no cache cluster');

  await updateStage(s, [{ op: 'replace', path: '/cacheClusterEnabled', value: 'true' }, { op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '1' }]);
  const fresh = await nonce(s, '/keyed');
  assert.equal(await nonce(s, '/keyed'), fresh);
  await new Promise((r) => setTimeout(r, 1100));
  assert.notEqual(await nonce(s, '/keyed'), fresh, 'expired after the TTL');
});

test('Cache-Control: max-age=0 from an unauthorized caller follows unauthorizedCacheControlHeaderStrategy', async () => {
  const s = await cachedStage('control');
  const fresh = { headers: { 'Cache-Control': 'max-age=0' } };
  const cached = await nonce(s, '/plain');
  // The default: SUCCEED_WITH_RESPONSE_HEADER.
  const warned = await call(s, '/plain', fresh);
  assert.equal(warned.json().nonce, cached);
  assert.equal(warned.headers.warning, '199 Cache-control headers were ignored because the caller was unauthorized.');

  await updateStage(s, [{ op: 'replace', path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy', value: 'SUCCEED_WITHOUT_RESPONSE_HEADER' }]);
  const quiet = await call(s, '/plain', fresh);
  assert.equal(quiet.json().nonce, cached);
  assert.equal(quiet.headers.warning, undefined);

  await updateStage(s, [{ op: 'replace', path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy', value: 'FAIL_WITH_403' }]);
  const refused = await call(s, '/plain', fresh);
  assert.equal(refused.status, 403);
  assert.equal(refused.text, '{"Message":"User is not authorized to access this resource"}');
  assert.equal(refused.headers['x-amzn-errortype'], 'AccessDeniedException');
  assert.equal(await nonce(s, '/plain'), cached, 'the entry is untouched');

  // Without requireAuthorizationForCacheControl, anyone may refresh the entry.
  await updateStage(s, [{ op: 'replace', path: '/*/*/caching/requireAuthorizationForCacheControl', value: 'false' }]);
  const refreshed = await nonce(s, '/plain', fresh);
  assert.notEqual(refreshed, cached);
  assert.equal(await nonce(s, '/plain'), refreshed, 'the new answer replaced the entry');
});

test('a SigV4-signed caller of an AWS_IAM method may invalidate its entry', async () => {
  const s = await cachedStage('signed', [{ op: 'replace', path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy', value: 'FAIL_WITH_403' }]);
  const host = `${apiId}.execute-api.localhost:${new URL(env.url).port}`;
  const signer = new SignatureV4({ credentials: testCredentials, region: 'us-east-1', service: 'execute-api', sha256: Sha256 });
  const signedCall = async (cacheControl?: string): Promise<string> => {
    const headers: Record<string, string> = { host, ...(cacheControl ? { 'cache-control': cacheControl } : {}) };
    const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: host, path: `/${s}/secure`, query: {}, headers });
    const r = await call(s, '/secure', { headers: signed.headers as Record<string, string> });
    assert.equal(r.status, 200, r.text);
    return r.json().nonce;
  };
  const first = await signedCall();
  assert.equal(await signedCall(), first);
  const refreshed = await signedCall('max-age=0');
  assert.notEqual(refreshed, first);
  assert.equal(await signedCall(), refreshed);
});

test('a canary uses the stage cache only with useStageCache', async () => {
  const s = await cachedStage('canary');
  const stageAnswer = await nonce(s, '/plain');
  await updateStage(s, [{ op: 'replace', path: '/canarySettings/percentTraffic', value: '100' }]);
  assert.notEqual(await nonce(s, '/plain'), await nonce(s, '/plain'), 'canary requests are not cached without useStageCache');
  await updateStage(s, [{ op: 'replace', path: '/canarySettings/useStageCache', value: 'true' }]);
  assert.equal(await nonce(s, '/plain'), stageAnswer);
});

test('FlushStageCache empties the stage\'s cache (SDK and AWS CLI)', async () => {
  const s = await cachedStage('flushed');
  const first = await nonce(s, '/plain');
  assert.equal(await nonce(s, '/plain'), first);
  await env.apigw.send(new FlushStageCacheCommand({ restApiId: apiId, stageName: s }));
  const second = await nonce(s, '/plain');
  assert.notEqual(second, first);
  assert.equal(await nonce(s, '/plain'), second);

  const cli = await awsCli(env.server.url, ['apigateway', 'flush-stage-cache', '--rest-api-id', apiId, '--stage-name', s]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.notEqual(await nonce(s, '/plain'), second);

  await expectAwsError(env.apigw.send(new FlushStageCacheCommand({ restApiId: apiId, stageName: 'nope' })), 'NotFoundException', 'Invalid Stage identifier specified', 404);
});
