// Models and request validators through the AWS SDK, control plane: CreateModel, GetModel(s),
// UpdateModel, DeleteModel, GetModelTemplate and the request-validator operations, with the
// built-in models, the references methods make to both, and the errors AWS answers (checked
// against recorded AWS answers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateModelCommand, CreateRequestValidatorCommand, CreateResourceCommand, CreateRestApiCommand, DeleteMethodCommand, DeleteModelCommand,
  DeleteRequestValidatorCommand, DeleteRestApiCommand, GetMethodCommand, GetModelCommand, GetModelTemplateCommand, GetModelsCommand,
  GetRequestValidatorCommand, GetRequestValidatorsCommand, PutMethodCommand, PutMethodResponseCommand, UpdateMethodCommand, UpdateModelCommand,
  UpdateRequestValidatorCommand,
} from '@aws-sdk/client-api-gateway';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testAccount } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

const newApi = async (name = 'models') => {
  const api = await env.apigw.send(new CreateRestApiCommand({ name }));
  return { restApiId: api.id!, root: api.rootResourceId! };
};
const CALC = JSON.stringify({
  title: 'Calc output', type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' }, op: { description: 'operation of +, -, * or /', type: 'string' }, c: { type: 'number' } },
  required: ['a', 'b', 'op'],
});
const schema = (title: string) => JSON.stringify({ title, type: 'object' });

test('a new API has the Empty and Error models; models are listed by name', async () => {
  const { restApiId } = await newApi();
  const created = await env.apigw.send(new CreateModelCommand({ restApiId, name: 'CalcOutput', description: 'Calc output model', contentType: 'application/json', schema: CALC }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.match(created.id!, /^[a-z0-9]{6}$/);
  assert.deepEqual({ ...created, $metadata: undefined }, {
    $metadata: undefined, contentType: 'application/json', description: 'Calc output model', id: created.id, name: 'CalcOutput', schema: CALC,
  });
  const all = await env.apigw.send(new GetModelsCommand({ restApiId }));
  assert.deepEqual(all.items!.map((m) => m.name), ['CalcOutput', 'Empty', 'Error']);
  const [, empty, error] = all.items!;
  assert.equal(empty.description, 'This is a default empty schema model');
  assert.deepEqual(JSON.parse(empty.schema!), { $schema: 'http://json-schema.org/draft-04/schema#', title: 'Empty Schema', type: 'object' });
  assert.equal(error.description, 'This is a default error schema model');
  assert.deepEqual(JSON.parse(error.schema!), {
    $schema: 'http://json-schema.org/draft-04/schema#', title: 'Error Schema', type: 'object', properties: { message: { type: 'string' } },
  });
  assert.equal(new Set(all.items!.map((m) => m.id)).size, 3);
  const got = await env.apigw.send(new GetModelCommand({ restApiId, modelName: 'CalcOutput' }));
  assert.equal(got.schema, CALC);
  const page = await env.apigw.send(new GetModelsCommand({ restApiId, limit: 2 }));
  assert.deepEqual([page.items!.length, page.position], [2, '2']);
  const deleted = await env.apigw.send(new DeleteModelCommand({ restApiId, modelName: 'CalcOutput' }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  await expectAwsError(env.apigw.send(new GetModelCommand({ restApiId, modelName: 'CalcOutput' })), 'NotFoundException', 'Invalid model name specified: CalcOutput', 404);
});

test('CreateModel, GetModel(s) and DeleteModel refuse what AWS refuses, with its messages', async () => {
  const { restApiId } = await newApi();
  const bad = 'abcde0';
  await expectAwsError(env.apigw.send(new CreateModelCommand({ restApiId: bad, name: 'MySchema', contentType: 'application/json', schema: schema('x') })),
    'NotFoundException', `Invalid API identifier specified ${testAccount}:${bad}`, 404);
  await expectAwsError(env.apigw.send(new GetModelsCommand({ restApiId: bad })), 'NotFoundException', `Invalid API identifier specified ${testAccount}:${bad}`, 404);
  await expectAwsError(env.apigw.send(new GetModelCommand({ restApiId, modelName: 'MySchema' })), 'NotFoundException', 'Invalid model name specified: MySchema', 404);
  await expectAwsError(env.apigw.send(new DeleteModelCommand({ restApiId, modelName: 'MySchema' })), 'NotFoundException', 'Invalid model name specified: MySchema', 404);
  await env.apigw.send(new CreateModelCommand({ restApiId, name: 'MySchema', contentType: 'application/json', schema: schema('x') }));
  await expectAwsError(env.apigw.send(new CreateModelCommand({ restApiId, name: 'MySchema', contentType: 'application/json', schema: schema('x') })),
    'ConflictException', 'Model name already exists for this REST API', 409);
  await expectAwsError(env.apigw.send(new CreateModelCommand({ restApiId, name: '', contentType: 'application/json', schema: schema('x') })),
    'BadRequestException', 'Model name must be non-empty', 400);
  await expectAwsError(env.apigw.send(new CreateModelCommand({ restApiId, name: 'my_schema', contentType: 'application/json', schema: schema('x') })),
    'BadRequestException', 'Model name must be alphanumeric: my_schema', 400);
  const empty = 'Model schema must have at least 1 property or array items defined';
  await expectAwsError(env.apigw.send(new CreateModelCommand({ restApiId, name: 'NoSchema', contentType: 'application/json', schema: '{}' })), 'BadRequestException', empty, 400);
  await expectAwsError(env.apigw.send(new CreateModelCommand({ restApiId, name: 'NoSchema', contentType: 'application/json' })), 'BadRequestException', empty, 400);
  await expectAwsError(env.apigw.send(new CreateModelCommand({ restApiId, name: 'NoSchema', contentType: 'application/xml' })), 'BadRequestException', empty, 400);
  await expectAwsError(env.apigw.send(new CreateModelCommand({ restApiId, name: 'Broken', contentType: 'application/json', schema: '{"type": "objekt"}' })),
    'BadRequestException', 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]', 400);
  await expectAwsError(env.apigw.send(new CreateModelCommand({
    restApiId, name: 'Refs', contentType: 'application/json', schema: JSON.stringify({ type: 'array', items: { $ref: 'MySchema' } }),
  })), 'BadRequestException', 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified, Model reference must be in canonical form]', 400);
  await expectAwsError(env.apigw.send(new CreateModelCommand({
    restApiId, name: 'Refs', contentType: 'application/json', schema: JSON.stringify({ type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${restApiId}/models/Nope` } }),
  })), 'BadRequestException', 'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model specified: Nope]', 400);
});

test('UpdateModel replaces the description and schema only; flatten and the model template follow references', async () => {
  const { restApiId } = await newApi();
  await expectAwsError(env.apigw.send(new UpdateModelCommand({ restApiId, modelName: 'mySchema', patchOperations: [] })),
    'NotFoundException', 'Invalid model name specified: mySchema', 404);
  await env.apigw.send(new CreateModelCommand({ restApiId, name: 'Pet', contentType: 'application/json', schema: schema('Pet') }));
  const updated = await env.apigw.send(new UpdateModelCommand({ restApiId, modelName: 'Pet', patchOperations: [
    { op: 'replace', path: '/schema', value: JSON.stringify({ title: 'Updated schema', type: 'object', properties: { name: { type: 'string' } } }) },
    { op: 'replace', path: '/description', value: 'a pet' },
  ] }));
  assert.equal(updated.$metadata.httpStatusCode, 200);
  assert.equal(JSON.parse(updated.schema!).title, 'Updated schema');
  assert.equal(updated.description, 'a pet');
  const update = (op: 'add' | 'replace', path: string, value?: string) => env.apigw.send(new UpdateModelCommand({ restApiId, modelName: 'Pet', patchOperations: [{ op, path, value }] }));
  await expectAwsError(update('add', '/wrong-path', 'x'), 'BadRequestException', "Invalid patch path  '/wrong-path' specified for op 'add'. Please choose supported operations", 400);
  await expectAwsError(update('replace', '/name', 'Cat'), 'BadRequestException', "Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/description, /schema]", 400);
  await expectAwsError(update('replace', '/schema', '{}'), 'BadRequestException', 'Model schema must have at least 1 property or array items defined', 400);

  const petUri = `https://apigateway.amazonaws.com/restapis/${restApiId}/models/Pet`;
  await env.apigw.send(new CreateModelCommand({ restApiId, name: 'Pets', contentType: 'application/json', schema: JSON.stringify({ type: 'array', items: { $ref: petUri } }) }));
  const flat = await env.apigw.send(new GetModelCommand({ restApiId, modelName: 'Pets', flatten: true }));
  assert.deepEqual(JSON.parse(flat.schema!), { type: 'array', items: { title: 'Updated schema', type: 'object', properties: { name: { type: 'string' } } } });
  const template = await env.apigw.send(new GetModelTemplateCommand({ restApiId, modelName: 'Pets' }));
  assert.equal(template.value, "#set($inputRoot = $input.path('$'))\n[\n#foreach($elem in $inputRoot)\n  {\n    \"name\" : \"$elem.name\"\n  }#if($foreach.hasNext),#end\n#end\n]");
  await expectAwsError(env.apigw.send(new GetModelTemplateCommand({ restApiId, modelName: 'Nope' })), 'NotFoundException', 'Invalid model name specified: Nope', 404);
  // A model another refers to stays.
  await expectAwsError(env.apigw.send(new DeleteModelCommand({ restApiId, modelName: 'Pet' })), 'ConflictException', "Cannot delete model 'Pet', is referenced in model: Pets", 409);
});

test('methods name existing models; a model a method request uses cannot be deleted (AWS\'s recorded sequence)', async () => {
  const { restApiId, root } = await newApi();
  await env.apigw.send(new CreateModelCommand({ restApiId, name: 'One', contentType: 'application/json', schema: schema('One') }));
  await env.apigw.send(new CreateModelCommand({ restApiId, name: 'OneTwo', contentType: 'application/json', schema: schema('OneTwo') }));
  const put = await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'ANY', authorizationType: 'NONE', requestModels: { 'application/json': 'One' } }));
  assert.deepEqual(put.requestModels, { 'application/json': 'One' });
  await expectAwsError(env.apigw.send(new DeleteModelCommand({ restApiId, modelName: 'One' })), 'ConflictException', "Cannot delete model 'One', is referenced in method request: //ANY", 409);
  const updated = await env.apigw.send(new UpdateMethodCommand({ restApiId, resourceId: root, httpMethod: 'ANY', patchOperations: [{ op: 'replace', path: '/requestModels/application~1json', value: 'OneTwo' }] }));
  assert.deepEqual(updated.requestModels, { 'application/json': 'OneTwo' });
  assert.equal((await env.apigw.send(new DeleteModelCommand({ restApiId, modelName: 'One' }))).$metadata.httpStatusCode, 202);
  const test = (await env.apigw.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: 'test' }))).id!;
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: test, httpMethod: 'ANY', authorizationType: 'NONE', requestModels: { 'application/json': 'OneTwo' } }));
  await expectAwsError(env.apigw.send(new DeleteModelCommand({ restApiId, modelName: 'OneTwo' })), 'ConflictException', "Cannot delete model 'OneTwo', is referenced in method request: /test/ANY", 409);
  await env.apigw.send(new UpdateMethodCommand({ restApiId, resourceId: test, httpMethod: 'ANY', patchOperations: [{ op: 'remove', path: '/requestModels/application~1json' }] }));
  await expectAwsError(env.apigw.send(new DeleteModelCommand({ restApiId, modelName: 'OneTwo' })), 'ConflictException', "Cannot delete model 'OneTwo', is referenced in method request: //ANY", 409);
  await env.apigw.send(new DeleteMethodCommand({ restApiId, resourceId: root, httpMethod: 'ANY' }));
  assert.equal((await env.apigw.send(new DeleteModelCommand({ restApiId, modelName: 'OneTwo' }))).$metadata.httpStatusCode, 202);
  // Unknown models in method requests and responses.
  await expectAwsError(env.apigw.send(new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE', requestModels: { 'application/json': 'OneTwo' } })),
    'BadRequestException', 'Invalid model identifier specified: OneTwo', 400);
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
  await expectAwsError(env.apigw.send(new PutMethodResponseCommand({ restApiId, resourceId: root, httpMethod: 'GET', statusCode: '200', responseModels: { 'application/json': 'Nope' } })),
    'BadRequestException', 'Invalid model identifier specified: Nope', 400);
  await env.apigw.send(new PutMethodResponseCommand({ restApiId, resourceId: root, httpMethod: 'GET', statusCode: '200', responseModels: { 'application/json': 'Error' } }));
  await expectAwsError(env.apigw.send(new DeleteModelCommand({ restApiId, modelName: 'Error' })), 'ConflictException', "Cannot delete model 'Error', is referenced in method response: //GET/200", 409);
});

test('request validators: lifecycle as recorded on AWS', async () => {
  const { restApiId } = await newApi();
  const created = await env.apigw.send(new CreateRequestValidatorCommand({ restApiId, name: 'my-validator' }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.match(created.id!, /^[a-z0-9]{6}$/);
  const view = { id: created.id, name: 'my-validator', validateRequestBody: false, validateRequestParameters: false };
  assert.deepEqual({ ...created, $metadata: undefined }, { $metadata: undefined, ...view });
  const requestValidatorId = created.id!;
  assert.deepEqual({ ...(await env.apigw.send(new GetRequestValidatorCommand({ restApiId, requestValidatorId }))), $metadata: undefined }, { $metadata: undefined, ...view });
  assert.deepEqual((await env.apigw.send(new GetRequestValidatorsCommand({ restApiId }))).items, [view]);
  const update = (...patchOperations: { op: 'add' | 'remove' | 'replace'; path: string; value?: string }[]) =>
    env.apigw.send(new UpdateRequestValidatorCommand({ restApiId, requestValidatorId, patchOperations }));
  assert.deepEqual((await update({ op: 'replace', path: '/validateRequestBody', value: 'true' })).validateRequestBody, true);
  const cleared = await update({ op: 'replace', path: '/validateRequestBody' });
  assert.deepEqual({ ...cleared, $metadata: undefined }, { $metadata: undefined, ...view });
  const renamed = await update({ op: 'replace', path: '/name', value: 'renamed' }, { op: 'replace', path: '/validateRequestParameters', value: 'TRUE' });
  assert.deepEqual([renamed.name, renamed.validateRequestParameters], ['renamed', true]);
  await expectAwsError(update({ op: 'add', path: '/validateRequestBody', value: 'true' }), 'BadRequestException',
    "Invalid patch path  '/validateRequestBody' specified for op 'add'. Please choose supported operations", 400);
  await expectAwsError(update({ op: 'remove', path: '/validateRequestBody' }), 'BadRequestException',
    "Invalid patch path  '/validateRequestBody' specified for op 'remove'. Please choose supported operations", 400);
  await expectAwsError(update({ op: 'replace', path: '/invalidPath', value: 'x' }), 'BadRequestException',
    "Invalid patch path  '/invalidPath' specified for op 'replace'. Must be one of: [/name, /validateRequestParameters, /validateRequestBody]", 400);
  await expectAwsError(update({ op: 'replace', path: '/name', value: '' }), 'BadRequestException', 'Request Validator name cannot be blank', 400);
  const deleted = await env.apigw.send(new DeleteRequestValidatorCommand({ restApiId, requestValidatorId }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  await expectAwsError(env.apigw.send(new GetRequestValidatorCommand({ restApiId, requestValidatorId })), 'NotFoundException', 'Invalid Request Validator identifier specified', 404);
  assert.deepEqual((await env.apigw.send(new GetRequestValidatorsCommand({ restApiId }))).items, []);
});

test('request validators: unknown APIs and ids answer as AWS does', async () => {
  const { restApiId } = await newApi();
  await expectAwsError(env.apigw.send(new CreateRequestValidatorCommand({ restApiId: 'test-fake-rest-id', name: 'v' })), 'BadRequestException', 'Invalid REST API identifier specified', 400);
  await expectAwsError(env.apigw.send(new GetRequestValidatorsCommand({ restApiId: 'test-fake-rest-id' })),
    'NotFoundException', `Invalid API identifier specified ${testAccount}:test-fake-rest-id`, 404);
  for (const [api, id] of [['fake', 'abc123'], [restApiId, 'abc123']]) {
    await expectAwsError(env.apigw.send(new GetRequestValidatorCommand({ restApiId: api, requestValidatorId: id })), 'NotFoundException', 'Invalid Request Validator identifier specified', 404);
    await expectAwsError(env.apigw.send(new DeleteRequestValidatorCommand({ restApiId: api, requestValidatorId: id })), 'NotFoundException', 'Invalid Request Validator identifier specified', 404);
    await expectAwsError(env.apigw.send(new UpdateRequestValidatorCommand({ restApiId: api, requestValidatorId: id, patchOperations: [] })),
      'NotFoundException', 'Invalid Request Validator identifier specified', 404);
  }
});

test('methods name existing validators and keep required parameters; a validator in use stays; deleting the API removes both', async () => {
  const { restApiId, root } = await newApi();
  const requestValidatorId = (await env.apigw.send(new CreateRequestValidatorCommand({ restApiId, name: 'all', validateRequestBody: true, validateRequestParameters: true }))).id!;
  await expectAwsError(env.apigw.send(new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'POST', authorizationType: 'NONE', requestValidatorId: 'nope00' })),
    'BadRequestException', 'Invalid Request Validator identifier specified', 400);
  const requestParameters = { 'method.request.header.x-header-param': true, 'method.request.path.issuer': true, 'method.request.querystring.qs1': true };
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'POST', authorizationType: 'NONE', requestValidatorId, requestParameters, requestModels: { 'application/json': 'Empty' } }));
  const method = await env.apigw.send(new GetMethodCommand({ restApiId, resourceId: root, httpMethod: 'POST' }));
  assert.deepEqual([method.requestValidatorId, method.requestParameters, method.requestModels], [requestValidatorId, requestParameters, { 'application/json': 'Empty' }]);
  await expectAwsError(env.apigw.send(new DeleteRequestValidatorCommand({ restApiId, requestValidatorId })), 'ConflictException',
    `Cannot delete request validator '${requestValidatorId}', is referenced in method: //POST`, 409);
  const cleared = await env.apigw.send(new UpdateMethodCommand({ restApiId, resourceId: root, httpMethod: 'POST', patchOperations: [{ op: 'replace', path: '/requestValidatorId', value: '' }] }));
  assert.equal(cleared.requestValidatorId, undefined);
  await env.apigw.send(new DeleteRequestValidatorCommand({ restApiId, requestValidatorId }));
  await env.apigw.send(new DeleteRestApiCommand({ restApiId }));
  await expectAwsError(env.apigw.send(new GetModelsCommand({ restApiId })), 'NotFoundException', `Invalid API identifier specified ${testAccount}:${restApiId}`, 404);
});

test('a cloned API has the source\'s models and validators', async () => {
  const { restApiId } = await newApi('source');
  await env.apigw.send(new CreateModelCommand({ restApiId, name: 'Pet', contentType: 'application/json', schema: schema('Pet') }));
  const validator = await env.apigw.send(new CreateRequestValidatorCommand({ restApiId, name: 'body', validateRequestBody: true }));
  const clone = await env.apigw.send(new CreateRestApiCommand({ name: 'clone', cloneFrom: restApiId }));
  assert.deepEqual((await env.apigw.send(new GetModelsCommand({ restApiId: clone.id }))).items!.map((m) => m.name), ['Empty', 'Error', 'Pet']);
  assert.deepEqual((await env.apigw.send(new GetRequestValidatorsCommand({ restApiId: clone.id }))).items!.map((v) => [v.id, v.name]), [[validator.id, 'body']]);
});
