// Documentation parts and versions through the AWS SDK and the AWS CLI: create, get, list with its
// filters and paging, update, delete and import of parts, with AWS's location rules and errors
// (checked against recorded AWS answers where there are some); versions as frozen copies of the
// parts, associated with a stage on creation; everything gone with its REST API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand, CreateDocumentationPartCommand, CreateDocumentationVersionCommand, CreateRestApiCommand, DeleteDocumentationPartCommand,
  DeleteDocumentationVersionCommand, DeleteRestApiCommand, GetDocumentationPartCommand, GetDocumentationPartsCommand, GetDocumentationVersionCommand,
  GetDocumentationVersionsCommand, GetExportCommand, GetRestApiCommand, ImportRestApiCommand, PutRestApiCommand, GetStageCommand, ImportDocumentationPartsCommand, PutIntegrationCommand, PutMethodCommand, UpdateStageCommand, UpdateDocumentationPartCommand, UpdateDocumentationVersionCommand,
  type DocumentationPartLocation,
} from '@aws-sdk/client-api-gateway';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testAccount } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';

const env = useServer();

const newApi = async (name = 'docs') => (await env.apigw.send(new CreateRestApiCommand({ name }))).id!;
const createPart = (restApiId: string, location: DocumentationPartLocation, properties: unknown = { description: 'd' }) =>
  env.apigw.send(new CreateDocumentationPartCommand({ restApiId, location, properties: typeof properties === 'string' ? properties : JSON.stringify(properties) }));
const strip = <T extends { $metadata?: unknown }>(o: T) => ({ ...o, $metadata: undefined });

/** The document AWS's guide imports (x-amazon-apigateway-documentation with four parts). */
const IMPORTED = {
  swagger: '2.0', info: { title: 'doc', version: '1' }, paths: { '/': { get: {
    responses: { 200: { description: '200 response' } },
    'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } },
  } } },
  'x-amazon-apigateway-documentation': {
    version: '1.0.3',
    documentationParts: [
      { location: { type: 'API' }, properties: { description: 'API description', info: { description: 'API info description 4', version: 'API info version 3' } } },
      { location: { type: 'METHOD', method: 'GET' }, properties: { description: 'Method description.' } },
      { location: { type: 'MODEL', name: 'Empty' }, properties: { title: 'Empty Schema' } },
      { location: { type: 'RESPONSE', method: 'GET', statusCode: '200' }, properties: { description: '200 response' } },
    ],
  },
};

test('a documentation part is created, read, listed, updated and deleted as AWS answers (recorded lifecycle)', async () => {
  const restApiId = await newApi();
  const created = await createPart(restApiId, { type: 'API' }, { description: 'Sample API description' });
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.match(created.id!, /^[a-z0-9]{6}$/);
  assert.deepEqual(strip(created), { $metadata: undefined, id: created.id, location: { type: 'API' }, properties: '{"description":"Sample API description"}' });
  const got = await env.apigw.send(new GetDocumentationPartCommand({ restApiId, documentationPartId: created.id! }));
  assert.deepEqual(strip(got), strip(created));
  const listed = await env.apigw.send(new GetDocumentationPartsCommand({ restApiId }));
  const { $metadata: _, ...view } = created;
  assert.deepEqual(listed.items, [view]);

  const updated = await env.apigw.send(new UpdateDocumentationPartCommand({
    restApiId, documentationPartId: created.id!, patchOperations: [{ op: 'replace', path: '/properties', value: '{"description":"Updated Sample API description"}' }],
  }));
  assert.equal(updated.properties, '{"description":"Updated Sample API description"}');
  assert.equal((await env.apigw.send(new GetDocumentationPartCommand({ restApiId, documentationPartId: created.id! }))).properties, updated.properties);
  const deleted = await env.apigw.send(new DeleteDocumentationPartCommand({ restApiId, documentationPartId: created.id! }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  await expectAwsError(env.apigw.send(new DeleteDocumentationPartCommand({ restApiId, documentationPartId: created.id! })),
    'NotFoundException', 'Invalid Documentation part identifier specified', 404);
});

test('locations take the fields of their type, with AWS\'s defaults filled in; one part per location', async () => {
  const restApiId = await newApi();
  const resource = await createPart(restApiId, { type: 'RESOURCE' });
  assert.deepEqual(resource.location, { type: 'RESOURCE', path: '/' });
  const method = await createPart(restApiId, { type: 'METHOD', path: '/pets' });
  assert.deepEqual(method.location, { type: 'METHOD', path: '/pets', method: '*' });
  const response = await createPart(restApiId, { type: 'RESPONSE_HEADER', name: 'Content-Type', statusCode: '200' });
  assert.deepEqual(response.location, { type: 'RESPONSE_HEADER', path: '/', method: '*', statusCode: '200', name: 'Content-Type' });
  assert.deepEqual((await createPart(restApiId, { type: 'MODEL', name: 'Error.message' })).location, { type: 'MODEL', name: 'Error.message' });

  // The same location, spelled with or without its defaults, is taken (AWS's 409, from its guide).
  await expectAwsError(createPart(restApiId, { type: 'METHOD', path: '/pets', method: '*' }), 'ConflictException',
    "Documentation part already exists for the specified location: type 'METHOD', path '/pets', method '*'.", 409);
  await expectAwsError(createPart(restApiId, { type: 'RESOURCE', path: '/' }), 'ConflictException', /type 'RESOURCE', path '\/'/, 409);

  await expectAwsError(createPart(restApiId, { type: 'API', path: '/' }), 'BadRequestException', /'path' is not a valid location field for type API/, 400);
  await expectAwsError(createPart(restApiId, { type: 'RESOURCE', method: 'GET' }), 'BadRequestException', /'method' is not a valid location field for type RESOURCE/, 400);
  await expectAwsError(createPart(restApiId, { type: 'MODEL' }), 'BadRequestException', /'name' is required for type MODEL/, 400);
  await expectAwsError(createPart(restApiId, { type: 'QUERY_PARAMETER', path: '/pets' }), 'BadRequestException', /'name' is required/, 400);
  await expectAwsError(createPart(restApiId, { type: 'RESPONSE', statusCode: '99' }), 'ValidationException', /location.statusCode' failed to satisfy constraint/, 400);
  await expectAwsError(createPart(restApiId, { type: 'RESOURCE', path: 'pets' }), 'BadRequestException', /path must start with/, 400);
  await expectAwsError(createPart(restApiId, { type: 'API' }, 'not json'), 'BadRequestException', 'Documentation part properties must be valid JSON', 400);
  // An unknown type is refused before the API is looked up (recorded).
  await expectAwsError(createPart('api_id', { type: 'INVALID' as 'API' }), 'ValidationException',
    "1 validation error detected: Value 'INVALID' at 'createDocumentationPartInput.location.type' failed to satisfy constraint: Member must satisfy enum value set: "
    + '[RESPONSE_BODY, RESPONSE, METHOD, MODEL, AUTHORIZER, RESPONSE_HEADER, RESOURCE, PATH_PARAMETER, REQUEST_BODY, QUERY_PARAMETER, API, REQUEST_HEADER]', 400);
});

test('GetDocumentationParts filters by type, path, name and location status, and pages by position', async () => {
  const restApiId = await newApi();
  const api = await createPart(restApiId, { type: 'API' });
  const page = await createPart(restApiId, { type: 'QUERY_PARAMETER', path: '/pets', method: 'GET', name: 'page' });
  const size = await createPart(restApiId, { type: 'QUERY_PARAMETER', path: '/pets', method: 'GET', name: 'PageSize' }, {});
  const model = await createPart(restApiId, { type: 'MODEL', name: 'Pet' });
  const ids = async (filter: Record<string, unknown>) =>
    (await env.apigw.send(new GetDocumentationPartsCommand({ restApiId, ...filter }))).items!.map((p) => p.id);
  assert.deepEqual(await ids({}), [api.id, page.id, size.id, model.id]);
  assert.deepEqual(await ids({ type: 'QUERY_PARAMETER' }), [page.id, size.id]);
  assert.deepEqual(await ids({ path: '/pets' }), [page.id, size.id]);
  assert.deepEqual(await ids({ nameQuery: 'page' }), [page.id, size.id]);
  assert.deepEqual(await ids({ locationStatus: 'UNDOCUMENTED' }), [size.id]);
  assert.deepEqual(await ids({ locationStatus: 'DOCUMENTED', type: 'QUERY_PARAMETER' }), [page.id]);
  const first = await env.apigw.send(new GetDocumentationPartsCommand({ restApiId, limit: 3 }));
  assert.deepEqual(first.items!.map((p) => p.id), [api.id, page.id, size.id]);
  const second = await env.apigw.send(new GetDocumentationPartsCommand({ restApiId, limit: 3, position: first.position }));
  assert.deepEqual(second.items!.map((p) => p.id), [model.id]);
  assert.equal(second.position, undefined);
});

test('documentation part errors: missing APIs and parts, and patches other than replace /properties (recorded)', async () => {
  const restApiId = await newApi();
  const part = await createPart(restApiId, { type: 'API' });
  await expectAwsError(createPart('api_id', { type: 'API' }), 'NotFoundException', `Invalid API identifier specified ${testAccount}:api_id`, 404);
  await expectAwsError(env.apigw.send(new GetDocumentationPartsCommand({ restApiId: 'api_id' })), 'NotFoundException', `Invalid API identifier specified ${testAccount}:api_id`, 404);
  await expectAwsError(env.apigw.send(new GetDocumentationPartCommand({ restApiId: 'api_id', documentationPartId: part.id! })), 'NotFoundException', 'Invalid Documentation part identifier specified', 404);
  await expectAwsError(env.apigw.send(new GetDocumentationPartCommand({ restApiId, documentationPartId: 'nope' })), 'NotFoundException', 'Invalid Documentation part identifier specified', 404);
  await expectAwsError(env.apigw.send(new DeleteDocumentationPartCommand({ restApiId: 'api_id', documentationPartId: part.id! })), 'NotFoundException', `Invalid API identifier specified ${testAccount}:api_id`, 404);
  const update = (restApi: string, op: 'add' | 'replace', path: string) => env.apigw.send(new UpdateDocumentationPartCommand({
    restApiId: restApi, documentationPartId: part.id!, patchOperations: [{ op, path, value: '{"a":1}' }],
  }));
  await expectAwsError(update('api_id', 'replace', '/properties'), 'NotFoundException', 'Invalid Documentation part identifier specified', 404);
  await expectAwsError(update(restApiId, 'add', '/properties'), 'BadRequestException', "Invalid patch path  '/properties' specified for op 'add'. Please choose supported operations", 400);
  await expectAwsError(update(restApiId, 'replace', '/invalidPath'), 'BadRequestException', "Invalid patch path  '/invalidPath' specified for op 'replace'. Must be one of: [/properties]", 400);
});

test('ImportDocumentationParts overwrites or merges the parts an OpenAPI document carries', async () => {
  const restApiId = await newApi();
  const old = await createPart(restApiId, { type: 'MODEL', name: 'Empty' }, { description: 'kept', title: 'old' });
  const other = await createPart(restApiId, { type: 'AUTHORIZER', name: 'auth' });
  const merged = await env.apigw.send(new ImportDocumentationPartsCommand({ restApiId, body: Buffer.from(JSON.stringify(IMPORTED)) }));
  assert.equal(merged.ids!.length, 4);
  assert.equal(merged.ids![2], old.id, 'the part at an existing location keeps its id');
  const afterMerge = (await env.apigw.send(new GetDocumentationPartsCommand({ restApiId }))).items!;
  assert.deepEqual(afterMerge.map((p) => p.id).sort(), [...merged.ids!, other.id].sort());
  assert.deepEqual(JSON.parse(afterMerge.find((p) => p.id === old.id)!.properties!), { description: 'kept', title: 'Empty Schema' });
  assert.deepEqual(afterMerge.find((p) => p.location!.type === 'RESPONSE')!.location, { type: 'RESPONSE', path: '/', method: 'GET', statusCode: '200' });

  const overwritten = await env.apigw.send(new ImportDocumentationPartsCommand({ restApiId, mode: 'overwrite', body: Buffer.from(JSON.stringify(IMPORTED)) }));
  const afterOverwrite = (await env.apigw.send(new GetDocumentationPartsCommand({ restApiId }))).items!;
  assert.deepEqual(afterOverwrite.map((p) => p.id), overwritten.ids);
  assert.ok(overwritten.ids!.every((id) => !merged.ids!.includes(id)), 'overwriting draws new ids (recorded)');
  assert.deepEqual(afterOverwrite.map((p) => [p.location, JSON.parse(p.properties!)]), [
    [{ type: 'API' }, IMPORTED['x-amazon-apigateway-documentation'].documentationParts[0].properties],
    [{ type: 'METHOD', path: '/', method: 'GET' }, { description: 'Method description.' }],
    [{ type: 'MODEL', name: 'Empty' }, { title: 'Empty Schema' }],
    [{ type: 'RESPONSE', path: '/', method: 'GET', statusCode: '200' }, { description: '200 response' }],
  ]);

  const bad = { ...IMPORTED, 'x-amazon-apigateway-documentation': { documentationParts: [{ location: { type: 'API', path: '/x' }, properties: {} }] } };
  const warned = await env.apigw.send(new ImportDocumentationPartsCommand({ restApiId, body: Buffer.from(JSON.stringify(bad)) }));
  assert.deepEqual(warned.ids, []);
  assert.match(warned.warnings![0], /'path' is not a valid location field for type API/);
  await expectAwsError(env.apigw.send(new ImportDocumentationPartsCommand({ restApiId, failOnWarnings: true, body: Buffer.from(JSON.stringify(bad)) })),
    'BadRequestException', /^Warnings found during import/, 400);
  for (const body of ['{"bad": json', 'a: [b']) {
    await expectAwsError(env.apigw.send(new ImportDocumentationPartsCommand({ restApiId, body: Buffer.from(body) })),
      'BadRequestException', 'Unable to build importer with provided input.', 400);
  }
});

test('a documentation version keeps the parts as they were; created with a stage it becomes the stage\'s', async () => {
  const restApiId = await newApi();
  const part = await createPart(restApiId, { type: 'API' }, { description: 'first' });
  const { rootResourceId: resourceId } = await env.apigw.send(new GetRestApiCommand({ restApiId }));
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId, resourceId, httpMethod: 'GET', type: 'MOCK' }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
  const v1 = await env.apigw.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1.0.0', stageName: 'prod', description: 'v1' }));
  assert.equal(v1.$metadata.httpStatusCode, 201);
  assert.equal(v1.version, '1.0.0');
  assert.ok(v1.createdDate instanceof Date);
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).documentationVersion, '1.0.0');
  await env.apigw.send(new UpdateDocumentationPartCommand({ restApiId, documentationPartId: part.id!, patchOperations: [{ op: 'replace', path: '/properties', value: '{"description":"second"}' }] }));
  await env.apigw.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '0.9' }));

  const got = await env.apigw.send(new GetDocumentationVersionCommand({ restApiId, documentationVersion: '1.0.0' }));
  assert.deepEqual(strip(got), { $metadata: undefined, version: '1.0.0', createdDate: v1.createdDate, description: 'v1' });
  assert.deepEqual((await env.apigw.send(new GetDocumentationVersionsCommand({ restApiId }))).items!.map((v) => v.version), ['0.9', '1.0.0']);
  const updated = await env.apigw.send(new UpdateDocumentationVersionCommand({ restApiId, documentationVersion: '1.0.0', patchOperations: [{ op: 'replace', path: '/description', value: 'renamed' }] }));
  assert.equal(updated.description, 'renamed');
  await expectAwsError(env.apigw.send(new UpdateDocumentationVersionCommand({ restApiId, documentationVersion: '1.0.0', patchOperations: [{ op: 'replace', path: '/version', value: 'x' }] })),
    'BadRequestException', "Invalid patch path  '/version' specified for op 'replace'. Must be one of: [/description]", 400);

  await expectAwsError(env.apigw.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1.0.0' })), 'ConflictException', /already exists/, 409);
  await expectAwsError(env.apigw.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '2', stageName: 'nope' })), 'NotFoundException', 'Invalid Stage identifier specified', 404);
  await expectAwsError(env.apigw.send(new GetDocumentationVersionCommand({ restApiId, documentationVersion: '7' })), 'NotFoundException', 'Invalid Documentation version identifier specified', 404);
  await expectAwsError(env.apigw.send(new DeleteDocumentationVersionCommand({ restApiId, documentationVersion: '1.0.0' })), 'BadRequestException', /associated with stage prod/, 400);
  const deleted = await env.apigw.send(new DeleteDocumentationVersionCommand({ restApiId, documentationVersion: '0.9' }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  await expectAwsError(env.apigw.send(new DeleteDocumentationVersionCommand({ restApiId, documentationVersion: '0.9' })), 'NotFoundException', 'Invalid Documentation version identifier specified', 404);
});

test('deleting the REST API deletes its documentation; the AWS CLI lists parts', async () => {
  const restApiId = await newApi();
  const part = await createPart(restApiId, { type: 'METHOD', path: '/pets', method: 'GET' }, { summary: 'List all pets.' });
  const cli = await awsCli(env.url, ['apigateway', 'get-documentation-parts', '--rest-api-id', restApiId]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual(cli.json(), { items: [{ id: part.id, location: { type: 'METHOD', path: '/pets', method: 'GET' }, properties: '{"summary":"List all pets."}' }] });
  const missing = await awsCli(env.url, ['apigateway', 'get-documentation-part', '--rest-api-id', restApiId, '--documentation-part-id', 'nope']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /NotFoundException.*Invalid Documentation part identifier specified/);

  await env.apigw.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1' }));
  await env.apigw.send(new DeleteRestApiCommand({ restApiId }));
  await expectAwsError(env.apigw.send(new GetDocumentationPartsCommand({ restApiId })), 'NotFoundException', /Invalid API identifier specified/, 404);
});

test('ImportRestApi and PutRestApi bring the document\'s documentation parts, unless ignore=documentation', async () => {
  const body = Buffer.from(JSON.stringify(IMPORTED));
  const restApiId = (await env.apigw.send(new ImportRestApiCommand({ body }))).id!;
  const parts = (await env.apigw.send(new GetDocumentationPartsCommand({ restApiId }))).items!;
  assert.deepEqual(parts.map((p) => p.location), [
    { type: 'API' }, { type: 'METHOD', path: '/', method: 'GET' }, { type: 'MODEL', name: 'Empty' }, { type: 'RESPONSE', path: '/', method: 'GET', statusCode: '200' },
  ]);
  const ignored = (await env.apigw.send(new ImportRestApiCommand({ body, parameters: { ignore: 'documentation' } }))).id!;
  assert.deepEqual((await env.apigw.send(new GetDocumentationPartsCommand({ restApiId: ignored }))).items, []);
  // A clone is documented as its source is, under new ids.
  const clone = (await env.apigw.send(new CreateRestApiCommand({ name: 'clone', cloneFrom: restApiId }))).id!;
  const cloned = (await env.apigw.send(new GetDocumentationPartsCommand({ restApiId: clone }))).items!;
  assert.deepEqual(cloned.map((p) => [p.location, p.properties]), parts.map((p) => [p.location, p.properties]));
  assert.ok(cloned.every((p) => !parts.some((q) => q.id === p.id)));

  // Merging keeps a part the document does not name; overwriting replaces them all.
  const extra = await createPart(restApiId, { type: 'AUTHORIZER', name: 'auth' });
  await env.apigw.send(new PutRestApiCommand({ restApiId, mode: 'merge', body }));
  assert.deepEqual((await env.apigw.send(new GetDocumentationPartsCommand({ restApiId }))).items!.map((p) => p.id), [...parts.map((p) => p.id), extra.id]);
  await env.apigw.send(new PutRestApiCommand({ restApiId, mode: 'overwrite', body }));
  const after = (await env.apigw.send(new GetDocumentationPartsCommand({ restApiId }))).items!;
  assert.equal(after.length, 4);
  assert.ok(!after.some((p) => p.id === extra.id));
});

test('GetExport with extensions=documentation publishes the stage\'s documentation version, as it was when created', async () => {
  const restApiId = (await env.apigw.send(new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(IMPORTED)) }))).id!;
  await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
  const exported = async (exportType: string, extensions = 'documentation') => JSON.parse(Buffer.from((await env.apigw.send(new GetExportCommand({
    restApiId, stageName: 'test', exportType, parameters: extensions ? { extensions } : undefined, accepts: 'application/json',
  }))).body!).toString());
  // No version associated with the stage: nothing to publish.
  assert.equal((await exported('swagger'))['x-amazon-apigateway-documentation'], undefined);

  const method = (await env.apigw.send(new GetDocumentationPartsCommand({ restApiId, type: 'METHOD' }))).items![0];
  await env.apigw.send(new UpdateDocumentationPartCommand({ restApiId, documentationPartId: method.id!, patchOperations: [{
    op: 'replace', path: '/properties', value: JSON.stringify({ description: 'Method description.', summary: 'List', foo: 'not OpenAPI', 'x-example': 'x' }),
  }] }));
  const v = await env.apigw.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1.0.0', stageName: 'test' }));
  // Changed after the version: the export still shows the version's text.
  await env.apigw.send(new UpdateDocumentationPartCommand({ restApiId, documentationPartId: method.id!, patchOperations: [{ op: 'replace', path: '/properties', value: '{"description":"later"}' }] }));

  for (const type of ['swagger', 'oas30']) {
    const doc = await exported(type);
    const extension = doc['x-amazon-apigateway-documentation'];
    assert.equal(extension.version, '1.0.0');
    assert.equal(extension.createdDate, v.createdDate!.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    assert.deepEqual(extension.documentationParts.map((p: { location: unknown }) => p.location), [
      { type: 'API' }, { type: 'METHOD', method: 'GET' }, { type: 'MODEL', name: 'Empty' }, { type: 'RESPONSE', method: 'GET', statusCode: '200' },
    ]);
    assert.deepEqual(extension.documentationParts[1].properties, { description: 'Method description.', summary: 'List', foo: 'not OpenAPI', 'x-example': 'x' });
    // OpenAPI's own attributes (and x-*) go into the entities; others stay in the extension only.
    const get = doc.paths['/'].get;
    assert.deepEqual([get.description, get.summary, get['x-example'], get.foo], ['Method description.', 'List', 'x', undefined]);
    assert.equal(get.responses['200'].description, '200 response');
    assert.equal(doc.info.description, 'API info description 4');
    assert.notEqual(doc.info.version, 'API info version 3');
  }
  // Without extensions, documentation is exported too (AWS's guide); with others only, it is not.
  assert.equal((await exported('swagger', ''))['x-amazon-apigateway-documentation'].version, '1.0.0');
  assert.equal((await exported('swagger', 'integrations'))['x-amazon-apigateway-documentation'], undefined);

  // UpdateStage publishes another version on the stage (AWS's guide), and removing it unpublishes.
  await env.apigw.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '2.0.0' }));
  const staged = await env.apigw.send(new UpdateStageCommand({ restApiId, stageName: 'test', patchOperations: [{ op: 'replace', path: '/documentationVersion', value: '2.0.0' }] }));
  assert.equal(staged.documentationVersion, '2.0.0');
  const second = await exported('swagger');
  assert.equal(second['x-amazon-apigateway-documentation'].version, '2.0.0');
  assert.equal(second.paths['/'].get.description, 'later');
  await env.apigw.send(new UpdateStageCommand({ restApiId, stageName: 'test', patchOperations: [{ op: 'remove', path: '/documentationVersion' }] }));
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'test' }))).documentationVersion, undefined);
});
