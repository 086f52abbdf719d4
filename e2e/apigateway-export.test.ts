// GetExport through the AWS SDK and the AWS CLI: a stage's deployment as Swagger 2.0 and OpenAPI
// 3.0.1, JSON and YAML, with and without API Gateway's extensions, in the shape AWS was recorded
// exporting; an export with extensions imports back into the same API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  CreateDeploymentCommand, CreateRestApiCommand, GetExportCommand, GetMethodCommand, GetResourcesCommand, ImportRestApiCommand, PutRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { AWS_CLI, awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { testRegion } from '../src/testing/server.js';
import { petStoreSwagger } from '../src/testing/openapi-documents.js';

const env = useServer();
const dirs = useTempDirs();
let restApiId: string;

env.setup(async () => {
  restApiId = (await env.apigw.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(petStoreSwagger)) }))).id!;
  await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'local' }));
});

const exported = async (exportType: string, parameters?: Record<string, string>, accepts?: string) => {
  const out = await env.apigw.send(new GetExportCommand({ restApiId, stageName: 'local', exportType, parameters, accepts }));
  const text = Buffer.from(out.body!).toString();
  return { out, text, doc: accepts === 'application/yaml' ? parseYaml(text) : JSON.parse(text) };
};

test('swagger export without extensions: paths, parameters, models and security as AWS writes them', async () => {
  const { out, doc } = await exported('swagger');
  assert.equal(out.contentType, 'application/octet-stream');
  assert.equal(out.contentDisposition, 'attachment; filename="swagger_1.0.json"');
  assert.deepEqual([doc.swagger, doc.info, doc.host, doc.basePath, doc.schemes], [
    '2.0', { description: 'Pets, imported', version: '1.0', title: 'PetShop' }, `${restApiId}.execute-api.${testRegion}.amazonaws.com`, '/local', ['https'],
  ]);
  assert.deepEqual(Object.keys(doc.paths), ['/', '/pets', '/pets/{petId}']);
  assert.deepEqual(doc.paths['/pets'].post, {
    operationId: 'CreatePet', consumes: ['application/json'], produces: ['application/json'],
    parameters: [{ in: 'body', name: 'NewPet', required: true, schema: { $ref: '#/definitions/NewPet' } }],
    responses: { 200: { description: '200 response', schema: { $ref: '#/definitions/Pet' } } },
  });
  assert.deepEqual(doc.paths['/'].get, {
    consumes: ['application/json'], produces: ['text/html'],
    responses: { 200: { description: '200 response', headers: { 'Content-Type': { type: 'string' } } } },
    security: [{ shopAuth: [] }],
  });
  assert.deepEqual(doc.paths['/pets/{petId}'].get.parameters, [{ name: 'petId', in: 'path', required: true, type: 'string' }]);
  assert.deepEqual(doc.paths['/pets'].get.security, [{ api_key: [] }]);
  assert.deepEqual(doc.securityDefinitions, {
    api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
    shopAuth: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom' },
  });
  assert.deepEqual(Object.keys(doc.definitions).sort(), ['NewPet', 'Pet', 'PetType', 'Pets'], 'only the models methods use, and theirs');
  assert.deepEqual(doc.definitions.Pets, { type: 'array', items: { $ref: '#/definitions/Pet' } });
  assert.equal(doc.paths['/pets'].get['x-amazon-apigateway-integration'], undefined);
  assert.equal(doc['x-amazon-apigateway-binary-media-types'], undefined);
});

test('oas30 export in YAML with extensions=apigateway: servers, components, integrations, authorizers, validators', async () => {
  const { out, doc } = await exported('oas30', { extensions: 'apigateway' }, 'application/yaml');
  assert.equal(out.contentDisposition, 'attachment; filename="oas30_1.0.yaml"');
  assert.equal(doc.openapi, '3.0.1');
  assert.deepEqual(doc.servers, [{ url: `https://${restApiId}.execute-api.${testRegion}.amazonaws.com/{basePath}`, variables: { basePath: { default: 'local' } } }]);
  assert.deepEqual(doc.paths['/pets'].get.parameters, [
    { name: 'type', in: 'query', schema: { type: 'string' } }, { name: 'page', in: 'query', required: true, schema: { type: 'string' } },
  ]);
  assert.deepEqual(doc.paths['/pets'].post.requestBody, { content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } }, required: true });
  assert.deepEqual(doc.paths['/pets'].get['x-amazon-apigateway-integration'], {
    type: 'http', httpMethod: 'GET', uri: 'http://pets.example.com/pets',
    responses: { default: { statusCode: '200' }, '4\\d{2}': { statusCode: '400' } },
    requestParameters: { 'integration.request.querystring.page': 'method.request.querystring.page' },
    passthroughBehavior: 'when_no_match', timeoutInMillis: 5000,
  });
  assert.equal(doc.paths['/pets'].get['x-amazon-apigateway-request-validator'], 'params');
  assert.equal(doc.components.securitySchemes.shopAuth['x-amazon-apigateway-authorizer'].type, 'token');
  assert.deepEqual(doc['x-amazon-apigateway-binary-media-types'], ['image/png', 'image/jpg']);
  assert.deepEqual(Object.keys(doc['x-amazon-apigateway-request-validators']).sort(), ['all', 'params']);
  assert.equal(doc['x-amazon-apigateway-gateway-responses'].UNAUTHORIZED.statusCode, '401');
});

test('an export with extensions imports back: the same resources, methods and integrations', async () => {
  const { text } = await exported('oas30', { extensions: 'apigateway' });
  const copy = await env.apigw.send(new ImportRestApiCommand({ body: Buffer.from(text) }));
  const tree = async (id: string) => {
    const resources = (await env.apigw.send(new GetResourcesCommand({ restApiId: id }))).items!;
    const out: Record<string, unknown> = {};
    for (const r of resources) {
      for (const httpMethod of Object.keys(r.resourceMethods ?? {})) {
        const m = await env.apigw.send(new GetMethodCommand({ restApiId: id, resourceId: r.id!, httpMethod }));
        out[`${httpMethod} ${r.path}`] = {
          ...m, $metadata: undefined, authorizerId: m.authorizerId && 'set', requestValidatorId: m.requestValidatorId && 'set',
          methodIntegration: { ...m.methodIntegration, cacheNamespace: undefined },
        };
      }
    }
    return out;
  };
  assert.deepEqual(await tree(copy.id!), await tree(restApiId));
});

test('GetExport refuses unknown stages, export types and extensions', async () => {
  await expectAwsError(env.apigw.send(new GetExportCommand({ restApiId, stageName: 'nope', exportType: 'swagger' })), 'NotFoundException', 'Invalid Stage identifier specified', 404);
  await expectAwsError(env.apigw.send(new GetExportCommand({ restApiId, stageName: 'local', exportType: 'raml' })), 'BadRequestException', /export type: raml/, 400);
  await expectAwsError(env.apigw.send(new GetExportCommand({ restApiId, stageName: 'local', exportType: 'swagger', parameters: { extensions: 'everything' } })),
    'BadRequestException', /Invalid extensions value: everything/, 400);
  // The export is of what the stage serves: later edits do not show until redeployed.
  const { id } = await env.apigw.send(new CreateRestApiCommand({ name: 'later' }));
  await env.apigw.send(new PutRestApiCommand({ restApiId: id!, mode: 'overwrite', body: Buffer.from(JSON.stringify(petStoreSwagger)) }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: id!, stageName: 'v1' }));
  await env.apigw.send(new PutRestApiCommand({ restApiId: id!, mode: 'overwrite', body: Buffer.from(JSON.stringify({ swagger: '2.0', info: { title: 'Later', version: '2' }, paths: {} })) }));
  const after = JSON.parse(Buffer.from((await env.apigw.send(new GetExportCommand({ restApiId: id!, stageName: 'v1', exportType: 'swagger' }))).body!).toString());
  assert.deepEqual(Object.keys(after.paths), ['/', '/pets', '/pets/{petId}']);
});

test('AWS CLI: get-export writes the document to a file', { skip: !existsSync(AWS_CLI) && 'no AWS CLI' }, async () => {
  const file = join(dirs.make(), 'api.json');
  const result = await awsCli(env.url, ['apigateway', 'get-export', '--rest-api-id', restApiId, '--stage-name', 'local', '--export-type', 'oas30',
    '--parameters', 'extensions=integrations', file]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.json().contentDisposition, 'attachment; filename="oas30_1.0.json"');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(doc.info.title, 'PetShop');
  assert.equal(doc.paths['/pets/{petId}'].get['x-amazon-apigateway-integration'].uri, 'http://pets.example.com/pets/{id}');
});
