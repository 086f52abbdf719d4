// Request validation without sockets: required parameters, the model chosen by Content-Type,
// $ref between models, the validator's findings, and one compilation per deployment snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResolvedStage } from '../apigateway/stage-runtime.js';
import type { DeploymentSnapshot, MethodRecord, ModelRecord } from '../store/apigateway-store.js';
import { setLogLevel } from '../core/logger.js';
import type { ChainDeps } from './chain.js';
import { LAMBDA_URI, context, invoker, ok, resource, run, runtime, stageWith } from './chain-testing.js';
import { modelForContentType, validatorFor } from './request-validation.js';

setLogLevel('silent');

const ref = (name: string) => `https://apigateway.amazonaws.com/restapis/api1/models/${name}`;
const model = (name: string, schema: object): ModelRecord => ({ id: `m-${name}`, name, contentType: 'application/json', schema: JSON.stringify(schema) });
const MODELS = {
  Pet: model('Pet', { type: 'object', properties: { name: { type: 'string', minLength: 2 }, age: { type: 'integer' } }, required: ['name', 'age'] }),
  // Another API's canonical form still resolves by name (a cloned API's models name their source).
  Pets: model('Pets', { type: 'array', items: { $ref: 'https://apigateway.amazonaws.com/restapis/source1/models/Pet' } }),
  Text: model('Text', { type: 'string' }),
  Status: model('Status', { type: 'object', properties: { status: { oneOf: [{ type: 'null' }, { $ref: ref('Pet') }] } }, required: ['status'] }),
};

/** A stage whose /pets/{id} POST has the given validator settings and models. */
function stage(method: Partial<MethodRecord>, validator = { validateRequestBody: true, validateRequestParameters: true }): ResolvedStage {
  const r = resource('/pets/{id}', { POST: { integration: { type: 'AWS_PROXY', httpMethod: 'POST', uri: LAMBDA_URI } } });
  Object.assign(r.resourceMethods.POST, { requestValidatorId: 'v1', ...method });
  const s = stageWith([r]);
  (s.deployment.snapshot as DeploymentSnapshot).models = MODELS;
  (s.deployment.snapshot as DeploymentSnapshot).requestValidators = { v1: { id: 'v1', ...validator } };
  return s;
}

const deps = (s: ResolvedStage): ChainDeps & { invoker: ReturnType<typeof invoker> } =>
  ({ stages: runtime(s), invoker: invoker(() => ok({ statusCode: 200, body: 'reached' })), enforcePermissions: false });

const PARAMS = { 'method.request.querystring.qs1': true, 'method.request.header.x-h': true, 'method.request.path.issuer': true, 'method.request.path.id': true, 'method.request.querystring.opt': false };

test('missing required parameters are listed by name in AWS\'s order, before the body is looked at', async () => {
  const d = deps(stage({ requestParameters: PARAMS, requestModels: { 'application/json': 'Pet' } }));
  const r = await run(d, context('POST', '/pets/7', { body: 'not json' }));
  assert.equal(r.status, 400);
  assert.equal(r.body, '{"message":"Missing required request parameters: [x-h, issuer, qs1]"}');
  assert.equal(r.headers['x-amzn-ErrorType'], 'BadRequestException');
  // Blank values count as missing; the header name is case-insensitive.
  const blank = await run(d, context('POST', '/pets/7?qs1=%20', { headers: { 'X-H': 'v' }, body: '{}' }));
  assert.equal(blank.body, '{"message":"Missing required request parameters: [issuer, qs1]"}');
  assert.equal(d.invoker.calls.length, 0);
});

test('with only validateRequestParameters, a bad body passes; with only validateRequestBody, missing parameters pass', async () => {
  const onlyParams = deps(stage({ requestParameters: { 'method.request.querystring.q': true }, requestModels: { 'application/json': 'Pet' } },
    { validateRequestBody: false, validateRequestParameters: true }));
  assert.equal((await run(onlyParams, context('POST', '/pets/7?q=1', { body: 'nope' }))).body, 'reached');
  const onlyBody = deps(stage({ requestParameters: { 'method.request.querystring.q': true }, requestModels: { 'application/json': 'Pet' } },
    { validateRequestBody: true, validateRequestParameters: false }));
  assert.equal((await run(onlyBody, context('POST', '/pets/7', { body: '{"name":"Rex","age":3}' }))).body, 'reached');
});

test('the body is checked against the model for its Content-Type, then $default; otherwise not at all', async () => {
  const d = deps(stage({ requestModels: { 'application/json': 'Pet', 'text/plain': 'Text' } }));
  const json = { 'Content-Type': 'application/json; charset=utf-8' };
  assert.equal((await run(d, context('POST', '/pets/1', { headers: json, body: '{"name":"Rex","age":3}' }))).body, 'reached');
  const bad = await run(d, context('POST', '/pets/1', { headers: json, body: '{"name":"R","age":"3"}' }));
  assert.deepEqual([bad.status, bad.body, bad.headers['x-amzn-ErrorType']], [400, '{"message":"Invalid request body"}', 'BadRequestException']);
  // No Content-Type: application/json's model applies.
  assert.equal((await run(d, context('POST', '/pets/1', { body: '{"name":"Rex"}' }))).status, 400);
  assert.equal((await run(d, context('POST', '/pets/1', { body: '{oops' }))).status, 400);
  // An empty body is an empty object: the required properties are missing.
  assert.equal((await run(d, context('POST', '/pets/1'))).status, 400);
  // A type without a model is not validated.
  assert.equal((await run(d, context('POST', '/pets/1', { headers: { 'Content-Type': 'application/xml' }, body: '<x/>' }))).body, 'reached');
  const withDefault = deps(stage({ requestModels: { $default: 'Pet' } }));
  assert.equal((await run(withDefault, context('POST', '/pets/1', { headers: { 'Content-Type': 'application/xml' }, body: '<x/>' }))).status, 400);
});

test('models refer to each other with $ref (also inside oneOf)', async () => {
  const list = deps(stage({ requestModels: { 'application/json': 'Pets' } }));
  assert.equal((await run(list, context('POST', '/pets/1', { body: '[{"name":"Rex","age":1},{"name":"Tom","age":2}]' }))).body, 'reached');
  assert.equal((await run(list, context('POST', '/pets/1', { body: '[{"name":"Rex","age":1},{"name":"Tom"}]' }))).status, 400);
  const status = deps(stage({ requestModels: { 'application/json': 'Status' } }));
  assert.equal((await run(status, context('POST', '/pets/1', { body: '{"status":null}' }))).body, 'reached');
  assert.equal((await run(status, context('POST', '/pets/1', { body: '{"status":{"name":"Rex","age":1}}' }))).body, 'reached');
  assert.equal((await run(status, context('POST', '/pets/1', { body: '{"status":{"name":"Rex"}}' }))).status, 400);
  assert.equal((await run(status, context('POST', '/pets/1', { body: '{}' }))).status, 400);
});

test('a method without a validator, or naming one the deployment lacks, is not validated', async () => {
  const none = deps(stage({ requestValidatorId: undefined, requestParameters: PARAMS, requestModels: { 'application/json': 'Pet' } }));
  assert.equal((await run(none, context('POST', '/pets/1', { body: 'x' }))).body, 'reached');
  const unknown = deps(stage({ requestValidatorId: 'gone', requestParameters: PARAMS }));
  assert.equal((await run(unknown, context('POST', '/pets/1', { body: 'x' }))).body, 'reached');
});

test('a customised BAD_REQUEST_BODY gets the validator\'s findings in $context.error.validationErrorString', async () => {
  const s = stage({ requestModels: { 'application/json': 'Pet' } });
  (s.deployment.snapshot as DeploymentSnapshot).gatewayResponses = {
    BAD_REQUEST_BODY: { responseType: 'BAD_REQUEST_BODY', statusCode: '422', responseParameters: {}, responseTemplates: {
      'application/json': '{"error": $context.error.messageString, "detail": "$context.error.validationErrorString", "type": "$context.error.responseType"}',
    } },
  };
  const r = await run(deps(s), context('POST', '/pets/1', { body: '{"name":"R","extra":1}' }));
  assert.equal(r.status, 422);
  assert.deepEqual(JSON.parse(r.body), {
    error: 'Invalid request body', type: 'BAD_REQUEST_BODY',
    detail: '[object has missing required properties (["age"]), string "R" is too short (length: 1, required minimum: 2)]',
  });
});

test('each model is compiled once per deployment snapshot', () => {
  const s = stage({});
  const snapshot = s.deployment.snapshot;
  const first = validatorFor(snapshot, 'api1', 'Pet');
  assert.equal(validatorFor(snapshot, 'api1', 'Pet'), first);
  const next = stage({}).deployment.snapshot;
  assert.notEqual(validatorFor(next, 'api1', 'Pet'), first);
});

test('modelForContentType: exact media type (any case, parameters ignored), then $default, else none', () => {
  const models = { 'application/json': 'A', 'Text/Plain': 'B', $default: 'C' };
  assert.equal(modelForContentType(models, 'application/json;charset=UTF-8'), 'A');
  assert.equal(modelForContentType(models, 'text/plain'), 'B');
  assert.equal(modelForContentType(models, undefined), 'A');
  assert.equal(modelForContentType(models, 'application/xml'), 'C');
  assert.equal(modelForContentType({ 'application/json': 'A' }, 'application/xml'), undefined);
  assert.equal(modelForContentType(undefined, 'application/json'), undefined);
});
