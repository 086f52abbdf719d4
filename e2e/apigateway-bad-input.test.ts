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
  const values: unknown[] = [null, 1, -1, 1e308, true, '', 'x'.repeat(5000), [], [1], [null], {}, { a: 1 }, { a: [] }, { a: null }, { a: [null] }, '../..', '\u0000'];
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

test('null list items and map values are validation errors, not server errors', async () => {
  const api = await deployedApi('null-items');
  const cases: [string, string, unknown, string][] = [
    ['POST', '/apikeys', { name: 'k', stageKeys: [null] }, "Value null at 'createApiKeyInput.stageKeys.1.member' failed to satisfy constraint: Member must not be null"],
    ['POST', '/usageplans', { name: 'p', apiStages: [null] }, "Value null at 'createUsagePlanInput.apiStages.1.member' failed to satisfy constraint: Member must not be null"],
    ['PATCH', `/restapis/${api.id}`, { patchOperations: [null] }, "Value null at 'updateRestApiInput.patchOperations.1.member' failed to satisfy constraint: Member must not be null"],
    ['POST', `/restapis/${api.id}/resources/${api.root}/methods/GET`, { multiValueHeaders: { a: null } },
      "Value '{a=null}' at 'testInvokeMethodInput.multiValueHeaders' failed to satisfy constraint: Map value must satisfy constraint: [Member must not be null]"],
    ['POST', `/restapis/${api.id}/resources/${api.root}/methods/GET`, { multiValueHeaders: { a: [null] } },
      "Value '[null]' at 'testInvokeMethodInput.multiValueHeaders.a' failed to satisfy constraint: Member must satisfy constraint: [Member must not be null]"],
    ['POST', `/restapis/${api.id}/deployments`, { stageName: 'dev', variables: { a: null } },
      "Value '{a=null}' at 'createDeploymentInput.variables' failed to satisfy constraint: Map value must satisfy constraint: [Member must not be null]"],
    ['PUT', `/restapis/${api.id}/resources/${api.root}/methods/POST`, { authorizationType: 'NONE', authorizationScopes: ['a', null] },
      "Value '[a, null]' at 'putMethodInput.authorizationScopes' failed to satisfy constraint: Member must satisfy constraint: [Member must not be null]"],
  ];
  for (const [method, path, body, message] of cases) {
    const r = await call(method, path, JSON.stringify(body));
    assert.equal(r.status, 400, `${method} ${path} ${r.text}`);
    assert.equal(r.type, 'ValidationException');
    assert.equal(JSON.parse(r.text).message, `1 validation error detected: ${message}`);
  }
  assert.equal((await call('GET', '/apikeys')).status, 200);
});

test('an API key file full of quotes is read in linear time', async () => {
  // Each quote used to re-trim the growing field: 4 MB of them kept the server busy for an hour.
  const body = '{"a":'.repeat(800_000);
  const started = Date.now();
  const res = await fetch(`${env.server.url}/apikeys?mode=import&format=csv`, { method: 'POST', body, headers: { 'content-type': 'text/csv' }, signal: AbortSignal.timeout(20_000) });
  assert.equal(res.status, 400);
  assert.equal(JSON.parse(await res.text()).message, 'The API key file must have the Name and Key columns');
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
});

test('a resource tree deeper than 1000 levels can be replaced and deleted', async () => {
  // SQLite gives up on ON DELETE CASCADE chains deeper than 1000 levels: such a tree made the
  // API impossible to overwrite or delete (500).
  const deep = (name: string) => JSON.stringify({ openapi: '3.0.1', info: { title: name, version: '1' }, paths: { ['/a'.repeat(1100)]: { get: { responses: { 200: { description: 'ok' } } } } } });
  const imported = await fetch(`${env.server.url}/restapis?mode=import`, { method: 'POST', body: deep('deep') });
  assert.equal(imported.status, 201);
  const { id } = await imported.json() as { id: string };
  const overwrite = await fetch(`${env.server.url}/restapis/${id}?mode=overwrite`, { method: 'PUT', body: deep('deeper') });
  assert.equal(overwrite.status, 200, await overwrite.text());
  const resources = await env.apigw.send(new GetResourcesCommand({ restApiId: id, limit: 500 }));
  const top = resources.items!.find((r) => r.path === '/a')!;
  assert.equal((await call('DELETE', `/restapis/${id}/resources/${top.id}`)).status, 202);
  assert.deepEqual((await env.apigw.send(new GetResourcesCommand({ restApiId: id }))).items!.map((r) => r.path), ['/']);
  const again = await fetch(`${env.server.url}/restapis/${id}?mode=overwrite`, { method: 'PUT', body: deep('deeper') });
  assert.equal(again.status, 200);
  assert.equal((await call('DELETE', `/restapis/${id}`)).status, 202);
  assert.equal((await call('GET', `/restapis/${id}`)).status, 404);
});

test('JSON documents nested too deeply to walk are refused as unreadable, never a server error', async () => {
  const api = await deployedApi('deep-documents');
  const nested = (levels: number) => '{"type":"object","properties":{"a":'.repeat(levels) + '{"type":"string"}' + '}}'.repeat(levels);
  const deepJson = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
  const invalidModel = 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]';
  // 127 schema levels are 255 JSON levels: accepted; one more is not.
  assert.equal((await call('POST', `/restapis/${api.id}/models`, JSON.stringify({ name: 'Deep', contentType: 'application/json', schema: nested(127) }))).status, 201);
  for (const levels of [128, 5000]) {
    const r = await call('POST', `/restapis/${api.id}/models`, JSON.stringify({ name: `M${levels}`, contentType: 'application/json', schema: nested(levels) }));
    assert.deepEqual([r.status, JSON.parse(r.text).message], [400, invalidModel]);
  }
  const part = await call('POST', `/restapis/${api.id}/documentation/parts`, JSON.stringify({ location: { type: 'API' }, properties: deepJson }));
  assert.deepEqual([part.status, JSON.parse(part.text).message], [400, 'Documentation part properties must be valid JSON']);
  const docs = `{"swagger":"2.0","info":{"title":"t","version":"1"},"paths":{},"x-amazon-apigateway-documentation":{"documentationParts":[{"location":{"type":"API"},"properties":${deepJson}}]}}`;
  const importedDocs = await call('PUT', `/restapis/${api.id}/documentation/parts`, docs);
  assert.deepEqual([importedDocs.status, JSON.parse(importedDocs.text).message], [400, 'Unable to build importer with provided input.']);
  const openapi = `{"openapi":"3.0.1","info":{"title":"t","version":"1"},"paths":{},"components":{"schemas":{"D":${nested(5000)}}}}`;
  const imported = await call('POST', '/restapis?mode=import', openapi);
  assert.deepEqual([imported.status, JSON.parse(imported.text).message], [400, 'Invalid OpenAPI input.']);
  const httpApi = await call('PUT', '/v2/apis', `{"body":${JSON.stringify(openapi)}}`);
  assert.deepEqual([httpApi.status, JSON.parse(httpApi.text).message], [400, 'Invalid OpenAPI input.']);
  // A resource policy is stored as given; the export carries one too deep to nest as text.
  const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*","Condition":${deepJson}}]}`;
  await call('PATCH', `/restapis/${api.id}`, JSON.stringify({ patchOperations: [{ op: 'replace', path: '/policy', value: policy }] }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  const exported = await fetch(`${env.server.url}/restapis/${api.id}/stages/dev/exports/oas30?extensions=apigateway`, { headers: { accept: 'application/json' } });
  assert.equal(exported.status, 200);
  assert.equal((await exported.json() as Record<string, unknown>)['x-amazon-apigateway-policy'], policy);
});

test('a PATCH may carry at most 1000 operations', async () => {
  // Each operation copied the map it changed: 20000 "/variables/…" operations kept the server busy for minutes.
  const api = await deployedApi('many-patches');
  const variables = (n: number) => JSON.stringify({ patchOperations: Array.from({ length: n }, (_, i) => ({ op: 'replace', path: `/variables/v${i}`, value: 'x' })) });
  const accepted = await call('PATCH', `/restapis/${api.id}/stages/dev`, variables(1000));
  assert.equal(accepted.status, 200);
  assert.equal(Object.keys(JSON.parse(accepted.text).variables).length, 1000);
  for (const n of [1001, 20_000]) {
    const refused = await call('PATCH', `/restapis/${api.id}/stages/dev`, variables(n));
    assert.deepEqual([refused.status, refused.type, JSON.parse(refused.text).message],
      [400, 'BadRequestException', `Too many patch operations: ${n}. A request may carry at most 1000.`]);
  }
  const stage = await env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }));
  assert.equal(Object.keys(stage.variables ?? {}).length, 1000);
});
