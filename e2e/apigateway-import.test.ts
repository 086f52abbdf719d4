// ImportRestApi and PutRestApi through the AWS SDK and the AWS CLI: OpenAPI documents with API
// Gateway's extensions become resources, methods, integrations, models, authorizers, validators and
// gateway responses, read back with the Get* operations in the shapes AWS was recorded answering;
// bad documents create nothing; an imported Lambda proxy API answers through its stage URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import {
  CreateDeploymentCommand, CreateRestApiCommand, GetAuthorizersCommand, GetGatewayResponseCommand, GetIntegrationCommand, GetMethodCommand,
  GetModelsCommand, GetRequestValidatorsCommand, GetResourcesCommand, GetRestApiCommand, GetRestApisCommand, ImportRestApiCommand, PutRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { AWS_CLI, awsCli } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { itemsOpenApiYaml, petStoreSwagger } from '../src/testing/openapi-documents.js';
import { invokePath } from '../src/execute-api/testing.js';
import { existsSync } from 'node:fs';

const env = useServer();
const dirs = useTempDirs();
const body = (doc: unknown) => Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc));
const strip = <T extends { $metadata?: unknown }>(out: T) => ({ ...out, $metadata: undefined });
const resourceIds = async (restApiId: string) =>
  new Map((await env.apigw.send(new GetResourcesCommand({ restApiId }))).items!.map((r) => [r.path!, r]));

test('ImportRestApi (Swagger 2.0): the API, its resources, methods and integrations as AWS answers them', async () => {
  const api = await env.apigw.send(new ImportRestApiCommand({ body: body(petStoreSwagger) }));
  assert.equal(api.$metadata.httpStatusCode, 201);
  assert.deepEqual(strip(api), {
    $metadata: undefined, id: api.id, name: 'PetShop', description: 'Pets, imported', version: '1.0', createdDate: api.createdDate,
    apiKeySource: 'HEADER', binaryMediaTypes: ['image/png', 'image/jpg'], disableExecuteApiEndpoint: false,
    endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4' }, rootResourceId: api.rootResourceId,
    warnings: ["Invalid format for 'requestParameters'. Expected type string for property 'integration.request.header.x-flag' of resource '/pets' and method 'GET' but got 'true'"],
  });
  const restApiId = api.id!;
  const resources = await env.apigw.send(new GetResourcesCommand({ restApiId }));
  const pets = resources.items!.find((r) => r.path === '/pets')!;
  assert.deepEqual(resources.items!.map((r) => [r.path, r.pathPart, Object.keys(r.resourceMethods ?? {}).sort()]), [
    ['/', undefined, ['GET']], ['/pets', 'pets', ['GET', 'POST']], ['/pets/{petId}', '{petId}', ['GET']],
  ]);
  assert.equal(resources.items![0].id, api.rootResourceId);

  const validators = (await env.apigw.send(new GetRequestValidatorsCommand({ restApiId }))).items!;
  const paramsValidator = validators.find((v) => v.name === 'params')!;
  assert.deepEqual(validators.map((v) => [v.name, v.validateRequestBody, v.validateRequestParameters]), [['all', true, true], ['params', false, true]]);
  const method = await env.apigw.send(new GetMethodCommand({ restApiId, resourceId: pets.id!, httpMethod: 'GET' }));
  const integration = {
    type: 'HTTP', httpMethod: 'GET', uri: 'http://pets.example.com/pets', connectionType: 'INTERNET',
    requestParameters: { 'integration.request.querystring.page': 'method.request.querystring.page' },
    passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 5000, cacheNamespace: pets.id, cacheKeyParameters: [],
    integrationResponses: { 200: { statusCode: '200' }, 400: { statusCode: '400', selectionPattern: '4\\d{2}' } },
  };
  assert.deepEqual(strip(method), {
    $metadata: undefined, httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true, operationName: 'ListPets',
    requestValidatorId: paramsValidator.id,
    requestParameters: { 'method.request.querystring.type': false, 'method.request.querystring.page': true },
    methodResponses: { 200: { statusCode: '200', responseModels: { 'application/json': 'Pets' } } },
    methodIntegration: integration,
  });
  assert.deepEqual(strip(await env.apigw.send(new GetIntegrationCommand({ restApiId, resourceId: pets.id!, httpMethod: 'GET' }))), { $metadata: undefined, ...integration });

  const [authorizer] = (await env.apigw.send(new GetAuthorizersCommand({ restApiId }))).items!;
  assert.deepEqual([authorizer.name, authorizer.type, authorizer.authType, authorizer.identitySource, authorizer.authorizerResultTtlInSeconds],
    ['shopAuth', 'TOKEN', 'custom', 'method.request.header.Authorization', 60]);
  const root = await env.apigw.send(new GetMethodCommand({ restApiId, resourceId: api.rootResourceId!, httpMethod: 'GET' }));
  assert.deepEqual([root.authorizationType, root.authorizerId], ['CUSTOM', authorizer.id]);

  const models = (await env.apigw.send(new GetModelsCommand({ restApiId }))).items!;
  assert.deepEqual(models.map((m) => m.name), ['NewPet', 'Pet', 'PetType', 'Pets'], 'no built-in Empty and Error (recorded)');
  assert.deepEqual(JSON.parse(models.find((m) => m.name === 'Pets')!.schema!), {
    type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${restApiId}/models/Pet` },
  });
  const unauthorized = await env.apigw.send(new GetGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED' }));
  assert.deepEqual([unauthorized.statusCode, unauthorized.defaultResponse, unauthorized.responseTemplates], ['401', false, { 'application/json': '{"why":"no token"}' }]);
});

test('bad documents: "Invalid OpenAPI input.", import errors and failOnWarnings create nothing', async () => {
  const count = async () => (await env.apigw.send(new GetRestApisCommand({ limit: 500 }))).items!.length;
  const before = await count();
  await expectAwsError(env.apigw.send(new ImportRestApiCommand({ body: body('{"swagger": "2.0", "paths": {') })), 'BadRequestException', 'Invalid OpenAPI input.', 400);
  await expectAwsError(env.apigw.send(new ImportRestApiCommand({ body: body('openapi: [3.0\n  : x') })), 'BadRequestException', 'Invalid OpenAPI input.', 400);
  const broken = structuredClone(petStoreSwagger) as Record<string, any>;
  broken.paths['/pets'].post.parameters[0].schema.$ref = '#/definitions/Nope';
  await expectAwsError(env.apigw.send(new ImportRestApiCommand({ body: body(broken) })), 'BadRequestException',
    'Errors found during import:\n\tInvalid model identifier specified: Nope', 400);
  const siblings = { swagger: '2.0', info: { title: 'siblings' }, paths: { '/pets/{id}': { get: {} }, '/pets/{petId}': { put: {} } } };
  await expectAwsError(env.apigw.send(new ImportRestApiCommand({ body: body(siblings) })), 'BadRequestException',
    "Errors found during import:\n\tUnable to create resource at path '/pets/{petId}': A sibling ({id}) of this resource already has a variable path part -- only one is allowed", 400);
  await expectAwsError(env.apigw.send(new ImportRestApiCommand({ body: body(petStoreSwagger), failOnWarnings: true })), 'BadRequestException',
    /^Warnings found during import:\n\tInvalid format for 'requestParameters'/, 400);
  // Nesting too deep to walk is a bad document too, and the server keeps answering.
  const deep = `{"swagger": "2.0", "info": {"title": "deep"}, "paths": {}, "definitions": {"X": ${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
  await expectAwsError(env.apigw.send(new ImportRestApiCommand({ body: body(deep) })), 'BadRequestException', undefined, 400);
  assert.equal(await count(), before);

  const { id } = await env.apigw.send(new CreateRestApiCommand({ name: 'target' }));
  await expectAwsError(env.apigw.send(new PutRestApiCommand({ restApiId: id!, body: body('{"openapi": "3.0.1", "paths": [') })), 'BadRequestException', 'Invalid OpenAPI input.', 400);
  // Merging checks the document against the API's tree too, before anything changes.
  await env.apigw.send(new PutRestApiCommand({ restApiId: id!, body: body({ swagger: '2.0', info: { title: 't' }, paths: { '/pets/{id}': { get: {} } } }) }));
  await expectAwsError(env.apigw.send(new PutRestApiCommand({ restApiId: id!, body: body({ swagger: '2.0', info: { title: 'u' }, paths: { '/pets/{other}/x': { get: {} } } }) })),
    'BadRequestException', /Unable to create resource at path '\/pets\/\{other\}': A sibling \(\{id\}\)/, 400);
  assert.deepEqual([...(await resourceIds(id!)).keys()].sort(), ['/', '/pets', '/pets/{id}']);
  assert.equal((await env.apigw.send(new GetRestApiCommand({ restApiId: id! }))).name, 't');
  await expectAwsError(env.apigw.send(new PutRestApiCommand({ restApiId: 'nope000000', body: body(petStoreSwagger) })), 'NotFoundException',
    `Invalid API identifier specified ${testAccount}:nope000000`, 404);
});

test('PutRestApi: merge adds binary media types and resources, overwrite replaces them (recorded answers)', async () => {
  const doc = { swagger: '2.0', info: { title: 'Merged', version: '1.0.0' }, 'x-amazon-apigateway-binary-media-types': ['image/png', 'image/jpg'], paths: {
    '/pets': { get: { responses: { 200: { description: 'ok' } }, 'x-amazon-apigateway-integration': { type: 'mock', responses: { default: { statusCode: '200' } } } } },
  } };
  for (const mode of ['merge', 'overwrite'] as const) {
    const created = await env.apigw.send(new CreateRestApiCommand({ name: `put-${mode}`, binaryMediaTypes: ['image/heif'] }));
    const restApiId = created.id!;
    await env.apigw.send(new PutRestApiCommand({ restApiId, body: body({ ...doc, info: { title: 'first' }, 'x-amazon-apigateway-binary-media-types': ['image/heif'], paths: {
      '/old': { get: { responses: { 200: { description: 'ok' } } } },
    } }) }));
    const put = await env.apigw.send(new PutRestApiCommand({ restApiId, mode, body: body(doc) }));
    assert.equal(put.$metadata.httpStatusCode, 200);
    assert.deepEqual(strip(put), {
      $metadata: undefined, id: restApiId, name: 'Merged', version: '1.0.0', createdDate: created.createdDate, apiKeySource: 'HEADER',
      binaryMediaTypes: mode === 'merge' ? ['image/heif', 'image/png', 'image/jpg'] : ['image/png', 'image/jpg'],
      disableExecuteApiEndpoint: false, endpointConfiguration: { types: ['EDGE'], ipAddressType: 'ipv4' }, rootResourceId: created.rootResourceId, tags: {},
    });
    const paths = [...(await resourceIds(restApiId)).keys()].sort();
    assert.deepEqual(paths, mode === 'merge' ? ['/', '/old', '/pets'] : ['/', '/pets']);
    assert.equal((await env.apigw.send(new GetRestApiCommand({ restApiId }))).name, 'Merged');
    // Merging keeps the models CreateRestApi made; overwriting leaves only the document's (none).
    const models = (await env.apigw.send(new GetModelsCommand({ restApiId }))).items!.map((m) => m.name);
    assert.deepEqual(models, mode === 'merge' ? ['Empty', 'Error'] : []);
  }
});

test('an imported OpenAPI 3.0 API proxies to a real Lambda function through its stage URL', async () => {
  const fn = 'imported-items';
  const created = await createNodeFunction(env.lambda, fn,
    `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ path: event.path, proxy: event.pathParameters.proxy, method: event.httpMethod }) });`);
  const api = await env.apigw.send(new ImportRestApiCommand({ body: body(itemsOpenApiYaml(created.FunctionArn)), parameters: { basepath: 'split' } }));
  const restApiId = api.id!;
  assert.deepEqual([...(await resourceIds(restApiId)).keys()].sort(), ['/', '/part', '/part/items', '/part/items/{proxy+}', '/part/people']);
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: fn, StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${restApiId}/*/*/part/items/*`,
  }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
  const answer = await invokePath(env.url, restApiId, 'dev', '/part/items/a/b', { method: 'PUT', body: '{}' });
  assert.equal(answer.status, 200, answer.body.toString());
  assert.deepEqual(JSON.parse(answer.body.toString()), { path: '/part/items/a/b', proxy: 'a/b', method: 'PUT' });
  // No request validator is named, so the mock answers whatever the body.
  const mock = await invokePath(env.url, restApiId, 'dev', '/part/people', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
  assert.equal(mock.status, 201);
});

test('AWS CLI: import-rest-api --body fileb://api.yaml with --parameters basepath=prepend', { skip: !existsSync(AWS_CLI) && 'no AWS CLI' }, async () => {
  const dir = dirs.make();
  const file = join(dir, 'api.yaml');
  await writeFile(file, itemsOpenApiYaml());
  const result = await awsCli(env.url, ['apigateway', 'import-rest-api', '--body', `fileb://${file}`, '--parameters', 'basepath=prepend']);
  assert.equal(result.code, 0, result.stderr);
  const api = JSON.parse(result.stdout);
  assert.equal(api.name, 'Items');
  assert.equal(api.version, '2.0');
  assert.deepEqual([...(await resourceIds(api.id)).keys()].sort(), ['/', '/base', '/base/part', '/base/part/items', '/base/part/items/{proxy+}', '/base/part/people']);
  const bad = join(dir, 'bad.yaml');
  await writeFile(bad, 'openapi: [3.0\n  : x');
  const failed = await awsCli(env.url, ['apigateway', 'import-rest-api', '--body', `fileb://${bad}`]);
  assert.notEqual(failed.code, 0);
  assert.match(failed.stderr, /BadRequestException.*Invalid OpenAPI input\./);
});

test('circular models and a request validator: the stage validates bodies against the imported models (recorded import)', async () => {
  const doc = {
    openapi: '3.0.1',
    info: { title: 'Circular model reference', version: '1.0' },
    'x-amazon-apigateway-request-validators': { basic: { validateRequestBody: true, validateRequestParameters: true } },
    paths: {
      '/person': {
        post: {
          operationId: 'CreatePerson',
          'x-amazon-apigateway-request-validator': 'basic',
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Person' } } }, required: true },
          responses: { 200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Empty' } } } } },
          'x-amazon-apigateway-integration': {
            type: 'mock', passthroughBehavior: 'when_no_templates', requestTemplates: { 'application/json': '{"statusCode": 200}' },
            responses: { default: { statusCode: 200, responseTemplates: { 'application/json': '{"echo": $input.json(\'$\'), "response": "mocked"}' } } },
          },
        },
      },
    },
    components: {
      schemas: {
        Empty: { title: 'Empty Schema', type: 'object' },
        Person: {
          type: 'object', description: 'Random person schema.', required: ['b', 'name'],
          properties: { name: { type: 'string' }, b: { type: 'number' }, house: { $ref: '#/components/schemas/House' } },
        },
        House: {
          type: 'object', description: 'Where a Person can live',
          properties: { contains: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Person' } } },
        },
      },
    },
  };
  const api = await env.apigw.send(new ImportRestApiCommand({ body: body(doc) }));
  const restApiId = api.id!;
  const models = (await env.apigw.send(new GetModelsCommand({ restApiId }))).items!;
  assert.deepEqual(models.map((m) => [m.name, m.description]), [['Empty', undefined], ['House', 'Where a Person can live'], ['Person', 'Random person schema.']]);
  const [validator] = (await env.apigw.send(new GetRequestValidatorsCommand({ restApiId }))).items!;
  assert.deepEqual([validator.name, validator.validateRequestBody, validator.validateRequestParameters], ['basic', true, true]);
  const person = (await resourceIds(restApiId)).get('/person')!;
  const method = await env.apigw.send(new GetMethodCommand({ restApiId, resourceId: person.id!, httpMethod: 'POST' }));
  assert.deepEqual([method.operationName, method.requestModels, method.requestValidatorId, method.methodIntegration!.passthroughBehavior],
    ['CreatePerson', { 'application/json': 'Person' }, validator.id, 'WHEN_NO_TEMPLATES']);

  await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
  const call = (payload: unknown) => invokePath(env.url, restApiId, 'dev', '/person', { method: 'POST', body: JSON.stringify(payload), headers: { 'Content-Type': 'application/json' } });
  const good = await call({ name: 'A', b: 1, house: { contains: [{ name: 'B', b: 2 }] } });
  assert.equal(good.status, 200, good.text);
  assert.equal(good.json().response, 'mocked');
  const nested = await call({ name: 'A', b: 1, house: { contains: [{ name: 'B' }] } });
  assert.deepEqual([nested.status, nested.json()], [400, { message: 'Invalid request body' }], 'the circular reference is followed');
});

test('Cognito and REQUEST authorizers, API key source and scopes from security schemes (recorded imports)', async () => {
  const pool = `arn:aws:cognito-idp:${testRegion}:${testAccount}:userpool/${testRegion}_ABC123`;
  const fnUri = `arn:aws:apigateway:${testRegion}:lambda:path/2015-03-31/functions/arn:aws:lambda:${testRegion}:${testAccount}:function:auth/invocations`;
  const http = { type: 'http', httpMethod: 'GET', uri: 'http://pets.example.com/pets', responses: { default: { statusCode: '200' } } };
  const doc = {
    swagger: '2.0',
    info: { title: 'Auth schemes', version: '1.0' },
    'x-amazon-apigateway-api-key-source': 'AUTHORIZER',
    securityDefinitions: {
      cognito: { type: 'apiKey', name: 'TestHeaderAuth', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools', 'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [pool] } },
      custom: {
        type: 'apiKey', name: 'Unused', in: 'header', 'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': { type: 'request', authorizerUri: fnUri, identitySource: 'method.request.header.Custom-Authorization', authorizerResultTtlInSeconds: 300 },
      },
    },
    security: [{ cognito: [] }],
    paths: {
      '/default-no-scope': { get: { responses: { 200: { description: 'ok' } }, 'x-amazon-apigateway-integration': http } },
      '/scoped': { get: { security: [{ cognito: ['email', 'openid'] }], responses: { 200: { description: 'ok' } }, 'x-amazon-apigateway-integration': http } },
      '/custom': { get: { security: [{ custom: [] }], responses: { 200: { description: 'ok' } }, 'x-amazon-apigateway-integration': http } },
    },
  };
  const api = await env.apigw.send(new ImportRestApiCommand({ body: body(doc) }));
  assert.equal(api.apiKeySource, 'AUTHORIZER');
  const restApiId = api.id!;
  const authorizers = (await env.apigw.send(new GetAuthorizersCommand({ restApiId }))).items!;
  assert.deepEqual(authorizers.map((a) => ({ ...a, id: undefined })), [
    { id: undefined, name: 'cognito', type: 'COGNITO_USER_POOLS', providerARNs: [pool], authType: 'cognito_user_pools', identitySource: 'method.request.header.TestHeaderAuth' },
    { id: undefined, name: 'custom', type: 'REQUEST', authType: 'custom', authorizerUri: fnUri, identitySource: 'method.request.header.Custom-Authorization', authorizerResultTtlInSeconds: 300 },
  ]);
  const paths = await resourceIds(restApiId);
  const get = (path: string) => env.apigw.send(new GetMethodCommand({ restApiId, resourceId: paths.get(path)!.id!, httpMethod: 'GET' }));
  const [noScope, scoped, custom] = await Promise.all([get('/default-no-scope'), get('/scoped'), get('/custom')]);
  assert.deepEqual([noScope.authorizationType, noScope.authorizerId, noScope.authorizationScopes], ['COGNITO_USER_POOLS', authorizers[0].id, undefined]);
  assert.deepEqual([scoped.authorizationType, scoped.authorizationScopes], ['COGNITO_USER_POOLS', ['email', 'openid']]);
  assert.deepEqual([custom.authorizationType, custom.authorizerId, custom.apiKeyRequired], ['CUSTOM', authorizers[1].id, false]);
});
