import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../core/errors.js';
import { petStoreSwagger, itemsOpenApiYaml } from '../../testing/openapi-documents.js';
import { parseDocument } from './document.js';
import { importDocument, type ImportOptions } from './import.js';

let counter = 0;
const options = (extra: Partial<ImportOptions> = {}): ImportOptions => ({ apiId: 'api123', idFor: (kind, name) => `${kind}-${name}-${++counter}`, ...extra });
const swagger = () => parseDocument(Buffer.from(JSON.stringify(petStoreSwagger)));
const methodAt = (api: ReturnType<typeof importDocument>, path: string, httpMethod: string) =>
  api.methods.find((m) => m.path === path && m.method.httpMethod === httpMethod)?.method;

const rejects = (fn: () => unknown, message: RegExp | string) => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AwsError);
    assert.equal(e.code, 'BadRequestException');
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
};

test('bodies that are not OpenAPI documents get AWS\'s "Invalid OpenAPI input."', () => {
  for (const body of ['{"swagger": "2.0", "paths": {', 'not: [valid', '"just a string"', '{"info": {"title": "x"}, "paths": {}}', '{"openapi": "4.0"}', '']) {
    rejects(() => parseDocument(Buffer.from(body)), 'Invalid OpenAPI input.');
  }
  assert.equal(parseDocument(Buffer.from('openapi: 3.0.1\ninfo: {title: t}\npaths: {}\n')).version, 'oas3');
  assert.equal(swagger().version, 'swagger2');
});

test('Swagger 2.0: info, resources with their parents, methods, request settings and method responses', () => {
  const api = importDocument(swagger(), options());
  assert.deepEqual([api.name, api.description, api.version], ['PetShop', 'Pets, imported', '1.0']);
  assert.deepEqual(api.binaryMediaTypes, ['image/png', 'image/jpg']);
  assert.deepEqual(api.paths, ['/', '/pets', '/pets/{petId}']);
  assert.deepEqual(api.methods.map((m) => `${m.method.httpMethod} ${m.path}`), ['GET /', 'GET /pets', 'POST /pets', 'GET /pets/{petId}']);
  const list = methodAt(api, '/pets', 'GET')!;
  assert.equal(list.operationName, 'ListPets');
  assert.deepEqual(list.requestParameters, { 'method.request.querystring.type': false, 'method.request.querystring.page': true });
  assert.deepEqual(list.methodResponses, { 200: { statusCode: '200', responseModels: { 'application/json': 'Pets' } } });
  assert.equal(list.apiKeyRequired, true);
  assert.equal(list.requestValidatorId, api.requestValidators.find((v) => v.name === 'params')!.id);
  const create = methodAt(api, '/pets', 'POST')!;
  assert.deepEqual(create.requestModels, { 'application/json': 'NewPet' });
  assert.equal(create.requestValidatorId, api.requestValidators.find((v) => v.name === 'all')!.id, 'the document-wide validator applies');
  assert.deepEqual(methodAt(api, '/pets/{petId}', 'GET')!.requestParameters, { 'method.request.path.petId': true });
  assert.deepEqual(methodAt(api, '/', 'GET')!.methodResponses, { 200: { statusCode: '200', responseParameters: { 'method.response.header.Content-Type': false } } });
});

test('integrations: types and passthrough in upper case, defaults, responses keyed by status code with selection patterns', () => {
  const api = importDocument(swagger(), options());
  assert.deepEqual(methodAt(api, '/pets', 'GET')!.methodIntegration, {
    type: 'HTTP', httpMethod: 'GET', uri: 'http://pets.example.com/pets', connectionType: 'INTERNET',
    requestParameters: { 'integration.request.querystring.page': 'method.request.querystring.page' },
    passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 5000, cacheKeyParameters: [],
    integrationResponses: { 200: { statusCode: '200' }, 400: { statusCode: '400', selectionPattern: '4\\d{2}' } },
  });
  assert.deepEqual(methodAt(api, '/', 'GET')!.methodIntegration, {
    type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' }, passthroughBehavior: 'WHEN_NO_MATCH', timeoutInMillis: 29000,
    cacheKeyParameters: [],
    integrationResponses: { 200: { statusCode: '200', responseParameters: { 'method.response.header.Content-Type': "'text/html'" }, responseTemplates: { 'text/html': '<p>pets</p>' } } },
  });
  // A non-string request parameter is dropped with AWS's warning (recorded wording).
  assert.deepEqual(api.warnings, [
    "Invalid format for 'requestParameters'. Expected type string for property 'integration.request.header.x-flag' of resource '/pets' and method 'GET' but got 'true'",
  ]);
});

test('models: local $refs become API Gateway model URLs; only the document\'s models, no built-in ones', () => {
  const api = importDocument(swagger(), options());
  assert.deepEqual(api.models.map((m) => m.name), ['Pets', 'Pet', 'NewPet', 'PetType']);
  const pets = api.models.find((m) => m.name === 'Pets')!;
  assert.deepEqual(JSON.parse(pets.schema), { type: 'array', items: { $ref: 'https://apigateway.amazonaws.com/restapis/api123/models/Pet' } });
  assert.equal(api.models.find((m) => m.name === 'Pet')!.description, 'A pet');
});

test('authorizers from security schemes; methods that use them are CUSTOM; gateway responses', () => {
  const api = importDocument(swagger(), options());
  assert.equal(api.authorizers.length, 1);
  const [auth] = api.authorizers;
  assert.deepEqual({ ...auth, id: undefined }, {
    id: undefined, name: 'shopAuth', type: 'TOKEN', authType: 'custom', identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 60,
    authorizerUri: petStoreSwagger.securityDefinitions.shopAuth['x-amazon-apigateway-authorizer'].authorizerUri,
  });
  const root = methodAt(api, '/', 'GET')!;
  assert.deepEqual([root.authorizationType, root.authorizerId, root.apiKeyRequired], ['CUSTOM', auth.id, false]);
  assert.equal(methodAt(api, '/pets', 'POST')!.authorizationType, 'NONE');
  assert.deepEqual(api.gatewayResponses, [{
    responseType: 'UNAUTHORIZED', statusCode: '401', responseParameters: { 'gatewayresponse.header.X-Why': "'no token'" }, responseTemplates: { 'application/json': '{"why":"no token"}' },
  }]);
});

test('OpenAPI 3.0 in YAML: servers, requestBody and content models, greedy ANY, circular models', () => {
  const doc = parseDocument(Buffer.from(itemsOpenApiYaml()));
  const api = importDocument(doc, options());
  assert.deepEqual(api.paths, ['/', '/items', '/items/{proxy+}', '/people']);
  const any = methodAt(api, '/items/{proxy+}', 'ANY')!;
  assert.equal(any.methodIntegration!.type, 'AWS_PROXY');
  assert.deepEqual(any.requestParameters, { 'method.request.path.proxy': true });
  const post = methodAt(api, '/people', 'POST')!;
  assert.deepEqual(post.requestModels, { 'application/json': 'Person' });
  assert.deepEqual(post.methodResponses, { 201: { statusCode: '201', responseParameters: { 'method.response.header.Location': false }, responseModels: { 'application/json': 'House' } } });
  assert.deepEqual(post.methodIntegration!.integrationResponses, { 201: { statusCode: '201' } });
  const house = api.models.find((m) => m.name === 'House')!;
  assert.equal(house.description, 'Where a Person lives');
  assert.equal(JSON.parse(house.schema).properties.residents.items.$ref, 'https://apigateway.amazonaws.com/restapis/api123/models/Person');
});

test('base paths: ignore (default), prepend and split, for basePath and for server URLs with variables', () => {
  const resourcePaths = (body: string, basepath?: string) => importDocument(parseDocument(Buffer.from(body)), options({ basepath })).paths;
  const sw = JSON.stringify(petStoreSwagger);
  assert.deepEqual(resourcePaths(sw), ['/', '/pets', '/pets/{petId}']);
  assert.deepEqual(resourcePaths(sw, 'prepend'), ['/', '/v1', '/v1/pets', '/v1/pets/{petId}']);
  assert.deepEqual(resourcePaths(sw, 'split'), ['/', '/pets', '/pets/{petId}']);
  const oas = itemsOpenApiYaml();
  assert.deepEqual(resourcePaths(oas, 'prepend').filter((p) => p.includes('people')), ['/base/part/people']);
  assert.deepEqual(resourcePaths(oas, 'split').filter((p) => p.includes('people')), ['/part/people']);
  rejects(() => resourcePaths(sw, 'sideways'), /basepath/);
  const trailing = { swagger: '2.0', info: { title: 't' }, paths: { '/a/': { get: {} }, '/a/b/': { get: {} } } };
  const api = importDocument(parseDocument(Buffer.from(JSON.stringify(trailing))), options());
  assert.deepEqual([api.paths, api.methods.map((m) => m.path)], [['/', '/a', '/a/b'], ['/a', '/a/b']], 'a trailing slash names the same resource');
});

test('bad documents: every problem is listed in one "Errors found during import" answer', () => {
  const broken = structuredClone(petStoreSwagger) as Record<string, any>;
  broken.paths['/pets'].get['x-amazon-apigateway-integration'].uri = 'not a url';
  broken.paths['/pets'].post.parameters[0].schema.$ref = '#/definitions/Nope';
  broken.paths['/bad path'] = { get: {} };
  broken.definitions.Pets.items.$ref = '#/definitions/Missing';
  rejects(() => importDocument(parseDocument(Buffer.from(JSON.stringify(broken))), options()), (
    /^Errors found during import:\n\tUnable to create model for 'Pets': Invalid model specified: Missing\n\tUnable to put integration on 'GET' for resource at path '\/pets': Invalid HTTP endpoint specified for URI\n\tInvalid model identifier specified: Nope\n\tInvalid resource path specified: \/bad path/
  ));
  const badValidator = structuredClone(petStoreSwagger) as Record<string, any>;
  badValidator['x-amazon-apigateway-request-validator'] = 'nobody';
  rejects(() => importDocument(parseDocument(Buffer.from(JSON.stringify(badValidator))), options()), /Invalid request validator name specified: nobody/);
});

test('API settings from extensions: API key source, policy, minimum compression size, execute-api endpoint', () => {
  const doc = {
    openapi: '3.0.1', info: { title: 'settings' }, paths: {},
    'x-amazon-apigateway-api-key-source': 'AUTHORIZER',
    'x-amazon-apigateway-policy': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: '*' }] },
    'x-amazon-apigateway-minimum-compression-size': 1024,
    'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true },
  };
  const api = importDocument(parseDocument(Buffer.from(JSON.stringify(doc))), options());
  assert.deepEqual([api.apiKeySource, JSON.parse(api.policy!).Statement[0].Action, api.minimumCompressionSize, api.disableExecuteApiEndpoint],
    ['AUTHORIZER', 'execute-api:Invoke', 1024, true]);
  assert.deepEqual(api.paths, ['/']);
  const bad = { ...doc, 'x-amazon-apigateway-minimum-compression-size': -1 };
  rejects(() => importDocument(parseDocument(Buffer.from(JSON.stringify(bad))), options()), /Invalid minimum compression size/);
});

test('a streaming proxy integration keeps its response transfer mode, in any case, and may time out after 15 minutes', () => {
  const doc = {
    openapi: '3.0.1', info: { title: 'stream', version: '1' },
    paths: { '/chat': { get: { 'x-amazon-apigateway-integration': {
      type: 'http_proxy', httpMethod: 'GET', uri: 'http://llm.example.com/chat', responseTransferMode: 'stream', timeoutInMillis: 900000,
    } } } },
  };
  const api = importDocument(parseDocument(Buffer.from(JSON.stringify(doc))), options());
  const integration = methodAt(api, '/chat', 'GET')!.methodIntegration!;
  assert.equal(integration.responseTransferMode, 'STREAM');
  assert.equal(integration.timeoutInMillis, 900000);
  doc.paths['/chat'].get['x-amazon-apigateway-integration'].type = 'http';
  rejects(() => importDocument(parseDocument(Buffer.from(JSON.stringify(doc))), options()), /Response transfer mode STREAM is only supported for HTTP_PROXY and AWS_PROXY integrations/);
});
