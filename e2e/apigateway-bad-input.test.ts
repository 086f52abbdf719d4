// Hostile and malformed requests to every API Gateway operation get AWS-shaped 4xx answers (or 501
// for operations not served yet), never a server error; concurrent writes to one API neither lose
// updates nor break the tree rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand,
  GetStageCommand, PutIntegrationCommand, PutMethodCommand, UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { repoRoot } from '../src/testing/server.js';
import type { ServiceModel } from '../src/aws/model.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

async function call(method: string, path: string, body?: string) {
  const res = await fetch(env.server.url + path, { method, body, headers: { 'content-type': 'application/json' } });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), text: await res.text() };
}

/** An API with GET / (MOCK integration, responses), a {proxy+} child, and stage "dev". */
async function deployedApi(name: string) {
  const api = await env.apigw.send(new CreateRestApiCommand({ name }));
  const base = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
  await env.apigw.send(new PutMethodCommand({ ...base, authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ ...base, type: 'MOCK' }));
  await env.apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
  const deployment = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  return { id: api.id!, root: api.rootResourceId!, deploymentId: deployment.id! };
}

test('every operation answers hostile input with a 4xx (or 501), never a server error', async () => {
  const model = JSON.parse(readFileSync(join(repoRoot, 'models', 'apigateway-2015-07-09.json'), 'utf8')) as ServiceModel;
  const values: unknown[] = [null, 1, -1, 1e308, true, '', 'x'.repeat(5000), [], [1], {}, { a: 1 }, { a: [] }, '../..', '\u0000'];
  const patches: unknown[] = [
    [{ op: 'replace' }], [{ op: 'replace', path: '' }], [{ op: 'add', path: '//' }], [{ op: 'copy' }], [{ op: 'move', path: '/name', from: '/x' }],
    [{ op: 'replace', path: '/*/*/throttling/rateLimit', value: 'abc' }], [{ op: 'replace', path: '/canarySettings/percentTraffic', value: 'abc' }],
    [{ op: 'replace', path: '/endpointConfiguration/types/EDGE' }], [{ op: 'add', path: '/binaryMediaTypes/' }], [{ op: 'replace', path: '/uri' }],
    [{ op: 'remove', path: '/variables' }], [{ op: 'replace', path: '/parentId', value: 'x' }], [{ op: 'replace', path: '/timeoutInMillis', value: '1e3' }],
  ];
  const failures: string[] = [];
  for (const [name, op] of Object.entries(model.operations)) {
    const api = await deployedApi(`hostile-${name}`);
    const path = op.http.requestUri.split('?')[0]
      .replace('{restapi_id}', api.id).replace('{resource_id}', api.root).replace('{parent_id}', api.root).replace('{http_method}', 'GET')
      .replace('{status_code}', '200').replace('{deployment_id}', api.deploymentId).replace('{stage_name}', 'dev').replace(/\{[^}]+\}/g, 'x');
    const members = Object.entries(model.shapes[op.input?.shape ?? '']?.members ?? {}).filter(([, ref]) => !ref.location);
    const bodies = ['', 'not json', '[]', '"str"', '{"a":', 'null', '{}'];
    for (const [member, ref] of members) for (const v of values) bodies.push(JSON.stringify({ [ref.locationName ?? member]: v }));
    if (members.some(([member]) => member === 'patchOperations')) for (const p of patches) bodies.push(JSON.stringify({ patchOperations: p }));
    for (const body of bodies) {
      const r = await call(op.http.method, path, op.http.method === 'GET' || op.http.method === 'DELETE' ? undefined : body);
      const shaped = r.status < 400 || (r.type !== null && typeof JSON.parse(r.text).message === 'string');
      if ((r.status >= 500 && r.status !== 501) || !shaped) failures.push(`${name} ${body.slice(0, 80)} → ${r.status} ${r.type} ${r.text.slice(0, 120)}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.equal((await call('GET', '/restapis')).status, 200);
});

test('concurrent writes to one API: one of many identical resources wins, no stage update is lost', async () => {
  const api = await deployedApi('concurrent');
  const attempts = await Promise.allSettled(Array.from({ length: 20 }, () =>
    env.apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.root, pathPart: 'same' }))));
  assert.equal(attempts.filter((a) => a.status === 'fulfilled').length, 1);
  assert.ok(attempts.every((a) => a.status === 'fulfilled' || (a.reason as Error).name === 'ConflictException'));
  const variables = await Promise.allSettled(Array.from({ length: 20 }, (_, i) =>
    env.apigw.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: `/variables/v${i}`, value: String(i) }] }))));
  assert.ok(variables.every((v) => v.status === 'fulfilled'));
  const stage = await env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }));
  assert.equal(Object.keys(stage.variables ?? {}).length, 20);
  const resources = await env.apigw.send(new GetResourcesCommand({ restApiId: api.id }));
  assert.deepEqual(resources.items!.map((r) => r.path), ['/', '/same', '/{proxy+}']);
});
