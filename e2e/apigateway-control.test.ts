// The API Gateway control plane end to end through the AWS SDK v3: REST APIs, resources, methods,
// method responses, integrations and integration responses, with AWS's shapes, PATCH operations
// and error messages (as recorded from real AWS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateResourceCommand, CreateRestApiCommand, DeleteIntegrationCommand, DeleteIntegrationResponseCommand,
  DeleteMethodCommand, DeleteMethodResponseCommand, DeleteResourceCommand, DeleteRestApiCommand, GetIntegrationCommand,
  GetIntegrationResponseCommand, GetMethodCommand, GetMethodResponseCommand, GetResourceCommand, GetResourcesCommand,
  GetRestApiCommand, GetRestApisCommand, GetTagsCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand,
  PutMethodResponseCommand, TagResourceCommand, TestInvokeMethodCommand, UntagResourceCommand, UpdateIntegrationCommand,
  UpdateIntegrationResponseCommand, UpdateMethodCommand, UpdateMethodResponseCommand, UpdateResourceCommand, UpdateRestApiCommand,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { testRegion } from '../src/testing/server.js';
import { apiGatewayClient } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

async function newApi(name = 'test-api', extra: Record<string, unknown> = {}) {
  const api = await env.apigw.send(new CreateRestApiCommand({ name, ...extra }));
  return api;
}

const patch = (...ops: PatchOperation[]) => ops;

test('CreateRestApi answers with AWS defaults and the root resource', async () => {
  const api = await newApi('defaults', { description: 'this is my api' });
  assert.match(api.id!, /^[a-z0-9]{10}$/);
  assert.match(api.rootResourceId!, /^[a-z0-9]{10}$/);
  assert.equal(api.$metadata.httpStatusCode, 201);
  assert.equal(api.apiKeySource, 'HEADER');
  assert.deepEqual(api.endpointConfiguration, { types: ['EDGE'], ipAddressType: 'ipv4' });
  assert.equal(api.disableExecuteApiEndpoint, false);
  assert.equal(api.description, 'this is my api');
  assert.ok(api.createdDate instanceof Date);
  assert.equal(api.binaryMediaTypes, undefined);
  assert.equal(api.tags, undefined);

  const resources = await env.apigw.send(new GetResourcesCommand({ restApiId: api.id }));
  assert.deepEqual(resources.items, [{ id: api.rootResourceId, path: '/' }]);

  const priv = await newApi('private', { endpointConfiguration: { types: ['PRIVATE'] } });
  assert.deepEqual(priv.endpointConfiguration, { types: ['PRIVATE'], ipAddressType: 'dualstack' });
  const media = await newApi('media', { binaryMediaTypes: ['image/png'], tags: { team: 'a' }, version: 'v1' });
  assert.deepEqual(media.binaryMediaTypes, ['image/png']);
  assert.deepEqual(media.tags, { team: 'a' });
  assert.equal(media.version, 'v1');
});

test('CreateRestApi validation answers as AWS does', async () => {
  await expectAwsError(newApi('x', { description: '' }), 'BadRequestException', 'Description cannot be an empty string', 400);
  await expectAwsError(newApi('x', { minimumCompressionSize: -1 }), 'BadRequestException', 'Invalid minimum compression size, must be between 0 and 10485760');
  await expectAwsError(newApi('x', { endpointConfiguration: { types: [] } }), 'BadRequestException', 'REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.');
  await expectAwsError(newApi('x', { endpointConfiguration: { types: ['EDGE', 'REGIONAL'] } }), 'BadRequestException', 'Cannot create an api with multiple Endpoint Types.');
  await expectAwsError(newApi('x', { endpointConfiguration: { types: ['PRIVATE'], ipAddressType: 'ipv4' } }), 'BadRequestException',
    'Only dualstack ipAddressType is supported for Private APIs.');
  await expectAwsError(newApi('x', { endpointConfiguration: { types: ['wrong'], ipAddressType: 'wrong' } }), 'ValidationException',
    "2 validation errors detected: Value '[wrong]' at 'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: "
    + 'Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]; '
    + "Value 'wrong' at 'createRestApiInput.endpointConfiguration.ipAddressType' failed to satisfy constraint: Member must satisfy enum value set: [ipv4, dualstack]");
  await expectAwsError(env.apigw.send(new CreateRestApiCommand({} as any)), 'ValidationException',
    "1 validation error detected: Value null at 'createRestApiInput.name' failed to satisfy constraint: Member must not be null");
});

test('GetRestApi, GetRestApis and DeleteRestApi', async () => {
  const a = await newApi('list-a');
  const b = await newApi('list-b');
  const all = await env.apigw.send(new GetRestApisCommand({}));
  const ids = all.items!.map((i) => i.id);
  assert.ok(ids.includes(a.id) && ids.includes(b.id));
  const page = await env.apigw.send(new GetRestApisCommand({ limit: 1 }));
  assert.equal(page.items!.length, 1);
  assert.ok(page.position);

  const got = await env.apigw.send(new GetRestApiCommand({ restApiId: a.id }));
  assert.equal(got.name, 'list-a');
  const deleted = await env.apigw.send(new DeleteRestApiCommand({ restApiId: a.id }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  await expectAwsError(env.apigw.send(new GetRestApiCommand({ restApiId: a.id })), 'NotFoundException', `Invalid API identifier specified 000000000000:${a.id}`, 404);
  await expectAwsError(env.apigw.send(new DeleteRestApiCommand({ restApiId: a.id })), 'NotFoundException', `Invalid API identifier specified 000000000000:${a.id}`);
  // Upper-casing an id names another (missing) API.
  await expectAwsError(env.apigw.send(new GetRestApiCommand({ restApiId: b.id!.toUpperCase() })), 'NotFoundException', /Invalid API identifier specified/);
  // APIs are scoped by region.
  const west = apiGatewayClient(env.server.url, 'us-west-2');
  try {
    await expectAwsError(west.send(new GetRestApiCommand({ restApiId: b.id })), 'NotFoundException', /Invalid API identifier specified/);
    assert.ok(!(await west.send(new GetRestApisCommand({}))).items!.some((i) => i.id === b.id));
  } finally {
    west.destroy();
  }
});

test('UpdateRestApi PATCH operations', async () => {
  const api = await newApi('patch-me', { description: 'this is my api' });
  const update = (...ops: PatchOperation[]) => env.apigw.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: ops }));

  let r = await update({ op: 'add', path: '/binaryMediaTypes/image~1png' }, { op: 'add', path: '/binaryMediaTypes/image~1jpeg' });
  assert.deepEqual(r.binaryMediaTypes, ['image/png', 'image/jpeg']);
  assert.deepEqual(r.tags, {});
  r = await update({ op: 'replace', path: '/binaryMediaTypes/image~1png', value: 'image/gif' });
  assert.deepEqual(r.binaryMediaTypes, ['image/jpeg', 'image/gif']);
  r = await update({ op: 'remove', path: '/binaryMediaTypes/image~1gif' }, { op: 'remove', path: '/description' });
  assert.deepEqual(r.binaryMediaTypes, ['image/jpeg']);
  assert.equal(r.description, undefined);

  r = await update({ op: 'replace', path: '/minimumCompressionSize', value: '10' }, { op: 'replace', path: '/name', value: 'renamed' });
  assert.equal(r.minimumCompressionSize, 10);
  assert.equal(r.name, 'renamed');
  r = await update({ op: 'replace', path: '/minimumCompressionSize', value: '' });
  assert.equal(r.minimumCompressionSize, undefined);
  await expectAwsError(update({ op: 'replace', path: '/minimumCompressionSize', value: 'test' }), 'BadRequestException',
    'Invalid minimum compression size, must be between 0 and 10485760');
  await expectAwsError(update({ op: 'add', path: '/minimumCompressionSize', value: '10' }), 'BadRequestException',
    'Invalid patch operation specified. Must be one of: [replace]');
  await expectAwsError(update({ op: 'add', path: '/binaryMediaTypes', value: 'image/gif' }), 'BadRequestException', 'Invalid patch path /binaryMediaTypes');

  r = await update({ op: 'replace', path: '/endpointConfiguration/types/EDGE', value: 'PRIVATE' });
  assert.deepEqual(r.endpointConfiguration, { types: ['PRIVATE'], ipAddressType: 'dualstack' });
  await expectAwsError(update({ op: 'replace', path: '/endpointConfiguration/ipAddressType', value: 'ipv4' }), 'BadRequestException',
    'Only dualstack ipAddressType is supported for Private APIs.');
  await expectAwsError(update({ op: 'replace', path: '/endpointConfiguration/types/PRIVATE', value: 'WRONG' }), 'BadRequestException',
    'Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE');
  await expectAwsError(update({ op: 'wrong' as any, path: '/endpointConfiguration/ipAddressType', value: 'wrong' }, { op: 'wrong' as any, path: '/x' }),
    'ValidationException', "2 validation errors detected: Value 'wrong' at 'updateRestApiInput.patchOperations.1.member.op' failed to satisfy constraint: "
    + "Member must satisfy enum value set: [add, remove, move, test, replace, copy]; Value 'wrong' at 'updateRestApiInput.patchOperations.2.member.op' "
    + 'failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]');
  await expectAwsError(env.apigw.send(new UpdateRestApiCommand({ restApiId: 'api_id', patchOperations: [{ op: 'replace', path: '/apiKeySource', value: 'AUTHORIZER' }] })),
    'NotFoundException', 'Invalid API identifier specified 000000000000:api_id');

  // A rejected batch changes nothing.
  const before = await env.apigw.send(new GetRestApiCommand({ restApiId: api.id }));
  await expectAwsError(update({ op: 'replace', path: '/name', value: 'half' }, { op: 'replace', path: '/nope', value: 'x' }), 'BadRequestException', 'Invalid patch path /nope');
  assert.equal((await env.apigw.send(new GetRestApiCommand({ restApiId: api.id }))).name, before.name);
});

test('resources: create, list, move, rename, delete with children', async () => {
  const api = await newApi('resources');
  const root = api.rootResourceId!;
  const pets = await env.apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: 'pets' }));
  assert.equal(pets.$metadata.httpStatusCode, 201);
  assert.equal(pets.path, '/pets');
  assert.equal(pets.parentId, root);
  const sub = await env.apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: pets.id, pathPart: 'subpets' }));
  assert.equal(sub.path, '/pets/subpets');
  const leaf = await env.apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: sub.id, pathPart: '{id}' }));
  assert.equal(leaf.path, '/pets/subpets/{id}');

  await expectAwsError(env.apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: 'pets' })), 'ConflictException',
    'Another resource with the same parent already has this name: pets', 409);
  await expectAwsError(env.apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: 'fake-resource-id', pathPart: 'x' })), 'NotFoundException',
    'Invalid Resource identifier specified');
  await expectAwsError(env.apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: 'a/b' })), 'BadRequestException',
    /^Resource's path part only allow a-zA-Z0-9\._- and curly braces/);

  // Renaming rewrites the paths of the whole subtree.
  const renamed = await env.apigw.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: pets.id, patchOperations: patch({ op: 'replace', path: '/pathPart', value: 'dogs' }) }));
  assert.equal(renamed.path, '/dogs');
  assert.equal((await env.apigw.send(new GetResourceCommand({ restApiId: api.id, resourceId: leaf.id }))).path, '/dogs/subpets/{id}');

  // Moving under a descendant would make a cycle.
  await expectAwsError(env.apigw.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: pets.id, patchOperations: patch({ op: 'replace', path: '/parentId', value: leaf.id }) })),
    'BadRequestException', 'Resources cannot be cyclical.');
  const moved = await env.apigw.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: sub.id, patchOperations: patch({ op: 'replace', path: '/parentId', value: root }) }));
  assert.equal(moved.path, '/subpets');
  assert.equal((await env.apigw.send(new GetResourceCommand({ restApiId: api.id, resourceId: leaf.id }))).path, '/subpets/{id}');
  await expectAwsError(env.apigw.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: sub.id, patchOperations: patch({ op: 'replace', path: '/pathPart', value: 'dogs' }) })),
    'ConflictException', 'Another resource with the same parent already has this name: dogs');
  await expectAwsError(env.apigw.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: sub.id, patchOperations: patch({ op: 'replace', path: '/invalid', value: 'x' }) })),
    'BadRequestException', "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]");
  await expectAwsError(env.apigw.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: sub.id, patchOperations: patch({ op: 'add', path: '/pathPart', value: 'x' }) })),
    'BadRequestException', "Invalid patch path  '/pathPart' specified for op 'add'. Please choose supported operations");
  await expectAwsError(env.apigw.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: root, patchOperations: patch({ op: 'replace', path: '/pathPart', value: 'x' }) })),
    'BadRequestException', 'Root resource cannot update its pathPart.');
  await expectAwsError(env.apigw.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: 'fake', patchOperations: patch({ op: 'replace', path: '/pathPart', value: 'x' }) })),
    'NotFoundException', 'Invalid Resource identifier specified');

  // Deleting a resource deletes its children (and their methods).
  await env.apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: leaf.id, httpMethod: 'GET', authorizationType: 'NONE' }));
  const del = await env.apigw.send(new DeleteResourceCommand({ restApiId: api.id, resourceId: sub.id }));
  assert.equal(del.$metadata.httpStatusCode, 202);
  await expectAwsError(env.apigw.send(new DeleteResourceCommand({ restApiId: api.id, resourceId: leaf.id })), 'NotFoundException', 'Invalid Resource identifier specified');
  const left = await env.apigw.send(new GetResourcesCommand({ restApiId: api.id }));
  assert.deepEqual(left.items!.map((r) => r.path), ['/', '/dogs']);
});

test('proxy and variable path parts follow AWS sibling rules', async () => {
  const api = await newApi('proxy');
  const root = api.rootResourceId!;
  const create = (parentId: string, pathPart: string) => env.apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId, pathPart }));
  const proxy = await create(root, '{proxy+}');
  assert.equal(proxy.path, '/{proxy+}');
  await expectAwsError(create(root, '{dynamic}'), 'BadRequestException', 'A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed');
  await expectAwsError(create(proxy.id!, 'child'), 'BadRequestException', 'Cannot create a child of a resource with a greedy path variable: {proxy+}');
  const parent = await create(root, 'parent');
  const child = await create(parent.id!, '{child}');
  const greedy = await create(child.id!, '{proxy+}');
  assert.equal(greedy.path, '/parent/{child}/{proxy+}');
  await create(parent.id!, 'static');
  const all = await env.apigw.send(new GetResourcesCommand({ restApiId: api.id }));
  assert.deepEqual(all.items!.map((r) => r.path), ['/', '/parent', '/parent/static', '/parent/{child}', '/parent/{child}/{proxy+}', '/{proxy+}']);
});

test('methods: put, get, update, delete; embed=methods', async () => {
  const api = await newApi('methods');
  const root = api.rootResourceId!;
  const put = await env.apigw.send(new PutMethodCommand({
    restApiId: api.id, resourceId: root, httpMethod: 'ANY', authorizationType: 'NONE', operationName: 'Any',
    requestParameters: { 'method.request.querystring.q_required': true, 'method.request.header.h_optional': false },
  }));
  assert.equal(put.$metadata.httpStatusCode, 201);
  assert.deepEqual({ ...put, $metadata: undefined }, {
    $metadata: undefined, httpMethod: 'ANY', authorizationType: 'NONE', apiKeyRequired: false, operationName: 'Any',
    requestParameters: { 'method.request.querystring.q_required': true, 'method.request.header.h_optional': false },
  });
  await expectAwsError(env.apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'ANY', authorizationType: 'NONE' })),
    'ConflictException', 'Method already exists for this resource', 409);
  await expectAwsError(env.apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'WRONG', authorizationType: 'NONE' })),
    'BadRequestException', 'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY');
  await expectAwsError(env.apigw.send(new PutMethodCommand({ restApiId: 'fake-api', resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' })),
    'NotFoundException', 'Invalid Resource identifier specified');
  await expectAwsError(env.apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', authorizationType: 'CUSTOM' })),
    'BadRequestException', 'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
  await expectAwsError(env.apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE', requestModels: { 'application/json': 'petModel' } })),
    'BadRequestException', 'Invalid model identifier specified: petModel');
  await expectAwsError(env.apigw.send(new PutMethodCommand({
    restApiId: api.id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE',
    requestParameters: { 'method.request.querystring.optional': false, 'method.request.header.optional': false },
  })), 'BadRequestException', 'Parameter names must be unique across querystring, header and path');

  const update = (...ops: PatchOperation[]) => env.apigw.send(new UpdateMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'ANY', patchOperations: ops }));
  let m = await update(
    { op: 'add', path: '/requestParameters/method.request.querystring.optional', value: 'true' },
    { op: 'add', path: '/requestModels/application~1json', value: 'Empty' },
  );
  assert.equal(m.requestParameters!['method.request.querystring.optional'], true);
  assert.deepEqual(m.requestModels, { 'application/json': 'Empty' });
  m = await update({ op: 'replace', path: '/apiKeyRequired', value: 'true' }, { op: 'replace', path: '/authorizationType', value: 'AWS_IAM' },
    { op: 'replace', path: '/operationName', value: 'Replaced' });
  assert.equal(m.apiKeyRequired, true);
  assert.equal(m.authorizationType, 'AWS_IAM');
  assert.equal(m.operationName, 'Replaced');
  m = await update({ op: 'remove', path: '/requestModels/application~1json' }, { op: 'replace', path: '/apiKeyRequired', value: 'whatever' });
  assert.equal(m.requestModels, undefined);
  assert.equal(m.apiKeyRequired, false);
  await expectAwsError(update({ op: 'add', path: '/operationName', value: 'x' }), 'BadRequestException', 'Invalid patch operation specified. Must be one of: [replace]');
  await expectAwsError(update({ op: 'add', path: '/httpMethod', value: 'PUT' }), 'BadRequestException', 'Invalid patch path /httpMethod');
  await expectAwsError(update({ op: 'replace', path: '/requestParameters', value: 'x' }), 'BadRequestException', 'Invalid patch path /requestParameters');
  await expectAwsError(update({ op: 'add', path: '/requestModels/application/json', value: 'Empty' }), 'BadRequestException',
    'Invalid patch path /requestModels/application/json');
  await expectAwsError(update({ op: 'replace', path: '/requestValidatorId', value: 'fake-id' }), 'BadRequestException', 'Invalid Request Validator identifier specified');
  await expectAwsError(env.apigw.send(new UpdateMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', patchOperations: [] })),
    'NotFoundException', 'Invalid Method identifier specified');

  const embedded = await env.apigw.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }));
  assert.equal(embedded.items![0].resourceMethods!.ANY.operationName, 'Replaced');
  const plain = await env.apigw.send(new GetResourcesCommand({ restApiId: api.id }));
  assert.deepEqual(plain.items![0].resourceMethods, { ANY: {} });

  const del = await env.apigw.send(new DeleteMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'ANY' }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await expectAwsError(env.apigw.send(new GetMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'ANY' })), 'NotFoundException', 'Invalid Method identifier specified');
  await expectAwsError(env.apigw.send(new DeleteMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'ANY' })), 'NotFoundException', 'Invalid Method identifier specified');
});

test('method responses: put, get, update, delete', async () => {
  const api = await newApi('method-responses');
  const root = api.rootResourceId!;
  await env.apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
  const base = { restApiId: api.id, resourceId: root, httpMethod: 'GET', statusCode: '200' };
  const put = await env.apigw.send(new PutMethodResponseCommand({ ...base, responseParameters: {}, responseModels: {} }));
  assert.equal(put.$metadata.httpStatusCode, 201);
  assert.deepEqual([put.statusCode, put.responseParameters, put.responseModels], ['200', {}, {}]);
  const added = await env.apigw.send(new UpdateMethodResponseCommand({ ...base, patchOperations: [
    { op: 'add', path: '/responseParameters/method.response.header.my-header', value: 'true' },
    { op: 'add', path: '/responseModels/application~1json', value: 'Empty' },
  ] }));
  assert.equal(added.$metadata.httpStatusCode, 201);
  assert.deepEqual(added.responseParameters, { 'method.response.header.my-header': true });
  assert.deepEqual(added.responseModels, { 'application/json': 'Empty' });
  const removed = await env.apigw.send(new UpdateMethodResponseCommand({ ...base, patchOperations: [
    { op: 'remove', path: '/responseParameters/method.response.header.my-header' },
    { op: 'remove', path: '/responseModels/application~1json' },
  ] }));
  assert.equal(removed.responseParameters, undefined);
  assert.equal(removed.responseModels, undefined);
  await expectAwsError(env.apigw.send(new UpdateMethodResponseCommand({ ...base, patchOperations: [{ op: 'replace', path: '/responseParameters/wrong', value: 'true' }] })),
    'NotFoundException', 'Invalid parameter name specified');
  await expectAwsError(env.apigw.send(new UpdateMethodResponseCommand({ ...base, patchOperations: [{ op: 'remove', path: '/responseModels/wrong' }] })),
    'NotFoundException', 'Content-Type specified was not found');
  await expectAwsError(env.apigw.send(new UpdateMethodResponseCommand({ ...base, patchOperations: [{ op: 'remove', path: '/wrong/x' }] })),
    'BadRequestException', 'Invalid patch path /wrong/x');
  await expectAwsError(env.apigw.send(new UpdateMethodResponseCommand({ ...base, statusCode: '201', patchOperations: [] })), 'NotFoundException', 'Invalid Response status code specified');
  await expectAwsError(env.apigw.send(new UpdateMethodResponseCommand({ ...base, statusCode: 'wrong', patchOperations: [{ op: 'wrong_op' as any, path: '/x' }] })),
    'ValidationException', "2 validation errors detected: Value 'wrong_op' at 'updateMethodResponseInput.patchOperations.1.member.op' failed to satisfy constraint: "
    + "Member must satisfy enum value set: [add, remove, move, test, replace, copy]; Value 'wrong' at 'statusCode' failed to satisfy constraint: "
    + 'Member must satisfy regular expression pattern: [1-5]\\d\\d');

  const method = await env.apigw.send(new GetMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET' }));
  assert.deepEqual(method.methodResponses, { 200: { statusCode: '200' } });
  assert.equal((await env.apigw.send(new GetMethodResponseCommand(base))).statusCode, '200');
  const del = await env.apigw.send(new DeleteMethodResponseCommand(base));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await expectAwsError(env.apigw.send(new GetMethodResponseCommand(base)), 'NotFoundException', 'Invalid Response status code specified');
});

test('integrations: types, URI validation, defaults, update, delete', async () => {
  const api = await newApi('integrations');
  const root = api.rootResourceId!;
  await env.apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE',
    requestParameters: { 'method.request.path.id': true } }));
  const base = { restApiId: api.id, resourceId: root, httpMethod: 'GET' };
  const putIntegration = (extra: Record<string, unknown>) => env.apigw.send(new PutIntegrationCommand({ ...base, ...extra } as any));

  const mock = await putIntegration({ type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } });
  assert.equal(mock.$metadata.httpStatusCode, 201);
  assert.deepEqual({ ...mock, $metadata: undefined }, {
    $metadata: undefined, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' }, passthroughBehavior: 'WHEN_NO_MATCH',
    timeoutInMillis: 29000, cacheNamespace: root, cacheKeyParameters: [],
  });
  const http = await putIntegration({ type: 'HTTP', integrationHttpMethod: 'POST', uri: 'http://example.com/${stageVariables.path}' });
  assert.equal(http.connectionType, 'INTERNET');
  assert.equal(http.httpMethod, 'POST');
  const lambdaUri = `arn:aws:apigateway:${testRegion}:lambda:path/2015-03-31/functions/arn:aws:lambda:${testRegion}:000000000000:function:MyLambda/invocations`;
  const proxy = await putIntegration({ type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri, timeoutInMillis: 5000,
    requestParameters: { 'integration.request.path.id': 'method.request.path.id' } });
  assert.equal(proxy.uri, lambdaUri);
  assert.equal(proxy.timeoutInMillis, 5000);
  assert.equal(proxy.connectionType, undefined);
  const staged = await putIntegration({ type: 'AWS_PROXY', integrationHttpMethod: 'POST',
    uri: `arn:aws:apigateway:${testRegion}:lambda:path/2015-03-31/functions/arn:aws:lambda:${testRegion}:000000000000:function:\${stageVariables.fn}/invocations` });
  assert.match(staged.uri!, /stageVariables\.fn/);

  for (const type of ['HTTP', 'HTTP_PROXY', 'AWS']) {
    await expectAwsError(putIntegration({ type, uri: 'http://example.com' }), 'BadRequestException', 'Enumeration value for HttpMethod must be non-empty');
  }
  await expectAwsError(putIntegration({ type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'non-valid-http' }), 'BadRequestException', 'Invalid HTTP endpoint specified for URI');
  await expectAwsError(putIntegration({ type: 'AWS', integrationHttpMethod: 'POST', uri: 'non-valid-arn' }), 'BadRequestException', 'Invalid ARN specified in the request');
  await expectAwsError(putIntegration({ type: 'AWS', integrationHttpMethod: 'POST', uri: 'arn:aws:iam::0000000000:role/service-role/asdf' }), 'BadRequestException',
    'AWS ARN for integration must contain path or action');
  await expectAwsError(putIntegration({ type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: 'arn:aws:apigateway:us-west-2:s3:path/b/k' }), 'BadRequestException',
    "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
  await expectAwsError(putIntegration({ type: 'MOCK', timeoutInMillis: 29001 }), 'BadRequestException', 'Timeout should be between 50 ms and 29000 ms');
  await expectAwsError(putIntegration({ type: 'MOCK', timeoutInMillis: 49 }), 'BadRequestException', 'Timeout should be between 50 ms and 29000 ms');
  await expectAwsError(putIntegration({ type: 'MOCK', requestParameters: { 'integration.request.path.x': 'method.request.path.undeclared' } }), 'BadRequestException',
    'Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: method.request.path.undeclared]');
  await expectAwsError(putIntegration({ type: 'HTTPS_PROXY' }), 'ValidationException',
    "1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]");
  await expectAwsError(env.apigw.send(new PutIntegrationCommand({ ...base, httpMethod: 'POST', type: 'MOCK' })), 'NotFoundException', 'Invalid Method identifier specified');
  await expectAwsError(env.apigw.send(new PutIntegrationCommand({ ...base, resourceId: 'badresource', type: 'MOCK' })), 'NotFoundException', 'Invalid Resource identifier specified');

  const updated = await env.apigw.send(new UpdateIntegrationCommand({ ...base, patchOperations: [
    { op: 'replace', path: '/timeoutInMillis', value: '1000' },
    { op: 'add', path: '/requestTemplates/application~1xml', value: '<x/>' },
    { op: 'add', path: '/cacheKeyParameters/method.request.path.id' },
  ] }));
  assert.equal(updated.timeoutInMillis, 1000);
  assert.equal(updated.requestTemplates!['application/xml'], '<x/>');
  assert.deepEqual(updated.cacheKeyParameters, ['method.request.path.id']);
  await expectAwsError(env.apigw.send(new UpdateIntegrationCommand({ ...base, patchOperations: [{ op: 'replace', path: '/uri', value: 'not-an-arn' }] })),
    'BadRequestException', 'Invalid ARN specified in the request');
  assert.equal((await env.apigw.send(new GetIntegrationCommand(base))).timeoutInMillis, 1000);

  const del = await env.apigw.send(new DeleteIntegrationCommand(base));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await expectAwsError(env.apigw.send(new GetIntegrationCommand(base)), 'NotFoundException', 'Invalid Integration identifier specified');
  assert.equal((await env.apigw.send(new GetMethodCommand(base))).methodIntegration, undefined);
});

test('integration responses: put, overwrite, update, delete', async () => {
  const api = await newApi('integration-responses');
  const root = api.rootResourceId!;
  const base = { restApiId: api.id, resourceId: root, httpMethod: 'GET' };
  await env.apigw.send(new PutMethodCommand({ ...base, authorizationType: 'NONE' }));
  await expectAwsError(env.apigw.send(new PutIntegrationResponseCommand({ ...base, statusCode: '200' })), 'NotFoundException', 'Invalid Integration identifier specified');
  await env.apigw.send(new PutIntegrationCommand({ ...base, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  const put = await env.apigw.send(new PutIntegrationResponseCommand({ ...base, statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '"created"' } }));
  assert.equal(put.$metadata.httpStatusCode, 201);
  assert.deepEqual([put.statusCode, put.selectionPattern, put.responseTemplates], ['200', '', { 'application/json': '"created"' }]);
  const updated = await env.apigw.send(new UpdateIntegrationResponseCommand({ ...base, statusCode: '200', patchOperations: [
    { op: 'replace', path: '/selectionPattern', value: 'updated-pattern' },
    { op: 'add', path: '/responseParameters/method.response.header.X-Id', value: "'static'" },
  ] }));
  assert.equal(updated.selectionPattern, 'updated-pattern');
  assert.deepEqual(updated.responseParameters, { 'method.response.header.X-Id': "'static'" });
  const overwritten = await env.apigw.send(new PutIntegrationResponseCommand({ ...base, statusCode: '200', selectionPattern: 'overwrite-pattern', responseTemplates: { 'application/json': 'overwrite' } }));
  assert.equal(overwritten.responseParameters, undefined);
  const method = await env.apigw.send(new GetMethodCommand(base));
  assert.deepEqual(method.methodIntegration!.integrationResponses, {
    200: { statusCode: '200', selectionPattern: 'overwrite-pattern', responseTemplates: { 'application/json': 'overwrite' } },
  });
  await expectAwsError(env.apigw.send(new PutIntegrationResponseCommand({ ...base, statusCode: '200', responseTemplates: { 123: 'x' } })), 'BadRequestException',
    'Validation Result: warnings : [], errors : [Invalid content type specified: 123]');
  await expectAwsError(env.apigw.send(new GetIntegrationResponseCommand({ ...base, statusCode: '201' })), 'NotFoundException', 'Invalid Response status code specified');
  await expectAwsError(env.apigw.send(new GetIntegrationResponseCommand({ ...base, statusCode: 'wrong' })), 'ValidationException',
    "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d");
  await expectAwsError(env.apigw.send(new DeleteIntegrationResponseCommand({ ...base, httpMethod: 'POST', statusCode: '200' })), 'NotFoundException', 'Invalid Integration identifier specified');
  const del = await env.apigw.send(new DeleteIntegrationResponseCommand({ ...base, statusCode: '200' }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await expectAwsError(env.apigw.send(new DeleteIntegrationResponseCommand({ ...base, statusCode: '200' })), 'NotFoundException', 'Invalid Response status code specified');
});

test('CreateRestApi cloneFrom copies the resource tree and methods with new ids', async () => {
  const source = await newApi('clone-source');
  const pets = await env.apigw.send(new CreateResourceCommand({ restApiId: source.id, parentId: source.rootResourceId, pathPart: 'pets' }));
  await env.apigw.send(new CreateResourceCommand({ restApiId: source.id, parentId: pets.id, pathPart: '{id}' }));
  await env.apigw.send(new PutMethodCommand({ restApiId: source.id, resourceId: pets.id, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId: source.id, resourceId: pets.id, httpMethod: 'GET', type: 'MOCK' }));
  const copy = await newApi('clone-copy', { cloneFrom: source.id });
  const resources = await env.apigw.send(new GetResourcesCommand({ restApiId: copy.id, embed: ['methods'] }));
  assert.deepEqual(resources.items!.map((r) => r.path), ['/', '/pets', '/pets/{id}']);
  assert.equal(resources.items![0].id, copy.rootResourceId);
  const copiedPets = resources.items![1];
  assert.notEqual(copiedPets.id, pets.id);
  assert.equal(copiedPets.resourceMethods!.GET.methodIntegration!.type, 'MOCK');
  assert.equal(copiedPets.resourceMethods!.GET.methodIntegration!.cacheNamespace, copiedPets.id);
  await expectAwsError(newApi('clone-missing', { cloneFrom: 'nope' }), 'NotFoundException', 'Invalid API identifier specified 000000000000:nope');
});

test('tags on REST APIs', async () => {
  const api = await newApi('tagged', { tags: { a: '1' } });
  const arn = `arn:aws:apigateway:${testRegion}::/restapis/${api.id}`;
  await env.apigw.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2' } }));
  assert.deepEqual((await env.apigw.send(new GetTagsCommand({ resourceArn: arn }))).tags, { a: '1', b: '2' });
  await env.apigw.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a'] }));
  assert.deepEqual((await env.apigw.send(new GetRestApiCommand({ restApiId: api.id }))).tags, { b: '2' });
});

test('TestInvokeMethod checks the API, resource and method, then runs the method as it is now', async () => {
  const api = await newApi('test-invoke');
  const base = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
  await expectAwsError(env.apigw.send(new TestInvokeMethodCommand(base)), 'NotFoundException', 'Invalid Method identifier specified');
  await expectAwsError(env.apigw.send(new TestInvokeMethodCommand({ ...base, resourceId: 'invalid_res' })), 'NotFoundException', 'Invalid Resource identifier specified');
  await env.apigw.send(new PutMethodCommand({ ...base, authorizationType: 'NONE' }));
  await env.apigw.send(new PutMethodResponseCommand({ ...base, statusCode: '200' }));
  await env.apigw.send(new PutIntegrationCommand({ ...base, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await env.apigw.send(new PutIntegrationResponseCommand({ ...base, statusCode: '200', selectionPattern: '',
    responseTemplates: { 'application/json': '{"color": "$stageVariables.color"}' } }));
  // Not deployed: TestInvokeMethod runs the API as it is, with the stage variables given.
  const result = await env.apigw.send(new TestInvokeMethodCommand({ ...base, pathWithQueryString: '/', stageVariables: { color: 'red' } }));
  assert.equal(result.status, 200);
  assert.deepEqual(JSON.parse(result.body!), { color: 'red' });
  assert.match(result.log!, /HTTP Method: GET, Resource Path: \//);
});

test('malformed and oversized bodies get AWS-shaped errors and the server keeps serving', async () => {
  const api = await newApi('malformed');
  const raw = async (method: string, path: string, body?: string | Buffer) => {
    const res = await fetch(env.server.url + path, { method, body, headers: { 'content-type': 'application/json' } });
    return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: await res.json() as { message?: string } };
  };
  let r = await raw('POST', '/restapis', '{"name": ');
  assert.equal(r.status, 400);
  assert.equal(r.type, 'SerializationException');
  assert.ok(r.body.message);
  r = await raw('POST', '/restapis', '{"name": 5}');
  assert.equal(r.type, 'SerializationException');
  // A number or boolean where a string belongs is worded as AWS's deserialiser words it (recorded:
  // test_integration_response_invalid_responsetemplates, test_put_integration_request_parameter_bool_type).
  assert.equal(r.body.message, 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String');
  r = await raw('PUT', `/restapis/${api.id}/resources/${api.rootResourceId}/methods/GET/integration`, JSON.stringify({ type: 'MOCK', requestParameters: { 'integration.request.path.p': true } }));
  assert.equal(r.status, 400);
  assert.equal(r.type, 'SerializationException');
  assert.equal(r.body.message, 'class java.lang.Boolean can not be converted to an String');
  r = await raw('POST', `/restapis/${api.id}/resources/${api.rootResourceId}`, JSON.stringify({ pathPart: 'x'.repeat(10) + 'y'.repeat(7 * 1024 * 1024) }));
  assert.equal(r.status, 413);
  r = await raw('GET', `/restapis/${api.id}`);
  assert.equal(r.status, 200);
  assert.equal((r.body as any).id, api.id);
});
