// Request validation on invoke URLs: a method's request validator checks required parameters and
// the body against the model for its Content-Type before the Lambda function runs, answering as
// AWS was recorded answering; models refer to each other with $ref; customised BAD_REQUEST_BODY
// and BAD_REQUEST_PARAMETERS gateway responses apply; a stage validates with what was deployed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand, CreateModelCommand, CreateRequestValidatorCommand, CreateResourceCommand, CreateRestApiCommand, DeleteGatewayResponseCommand,
  PutGatewayResponseCommand, PutMethodCommand, PutIntegrationCommand, UpdateModelCommand, UpdateRequestValidatorCommand, type PutMethodCommandInput,
} from '@aws-sdk/client-api-gateway';
import { apiGatewayInvokeRole, createNodeFunction, invocationsUri } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHost, type HttpAnswer } from '../src/execute-api/testing.js';

const env = useServer();
let apiId: string;
let validatorId: string;

// Says what reached it, so a test can tell the function ran.
const ECHO = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ data: 'ok', body: event.body }) });`;
const modelUri = (name: string) => `https://apigateway.amazonaws.com/restapis/${apiId}/models/${name}`;

const post = (stage: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<HttpAnswer> =>
  invokeHost(env.url, apiId, stage, path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
const deploy = (stageName: string) => env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName }));

function isInvalidBody(r: HttpAnswer): void {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.text, '{"message":"Invalid request body"}');
  assert.equal(r.headers['x-amzn-errortype'], 'BadRequestException');
}

function reached(r: HttpAnswer, body: string): void {
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json(), { data: 'ok', body });
}

env.setup(async () => {
  await createNodeFunction(env.lambda, 'echo', ECHO);
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'request-validation' }));
  apiId = api.id!;
  const model = (name: string, schema: object) => env.apigw.send(new CreateModelCommand({ restApiId: apiId, name, contentType: 'application/json', schema: JSON.stringify(schema) }));
  await model('testSchema', { $schema: 'http://json-schema.org/draft-04/schema#', title: 'testSchema', type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] });
  await model('testSchemaList', { type: 'array', items: { $ref: modelUri('testSchema') } });
  await model('StatusModel', { type: 'object', properties: { Status: { type: 'string' }, Order: { type: 'integer' } }, required: ['Status', 'Order'] });
  await model('TestModel', { type: 'object', properties: { status: { oneOf: [{ type: 'null' }, { $ref: modelUri('StatusModel') }] } }, required: ['status'] });
  validatorId = (await env.apigw.send(new CreateRequestValidatorCommand({ restApiId: apiId, name: 'test-validator', validateRequestBody: true, validateRequestParameters: true }))).id!;

  const method = async (pathPart: string, extra: Partial<PutMethodCommandInput>) => {
    const resourceId = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId!, pathPart }))).id!;
    const m = { restApiId: apiId, resourceId, httpMethod: 'POST' };
    await env.apigw.send(new PutMethodCommand({ ...m, authorizationType: 'NONE', ...extra }));
    await env.apigw.send(new PutIntegrationCommand({ ...m, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: invocationsUri('echo'), credentials: apiGatewayInvokeRole }));
  };
  await method('{test}', {
    requestValidatorId: validatorId,
    requestParameters: { 'method.request.header.x-header-param': true, 'method.request.path.test': true, 'method.request.querystring.qs1': true, 'method.request.querystring.opt': false },
    requestModels: { 'application/json': 'testSchema' },
  });
  await method('list', { requestValidatorId: validatorId, requestModels: { 'application/json': 'testSchemaList' } });
  await method('status', { requestValidatorId: validatorId, requestModels: { 'application/json': 'TestModel' } });
  await method('unchecked', { requestModels: { 'application/json': 'testSchema' }, requestParameters: { 'method.request.querystring.qs1': true } });
  await deploy('dev');
});

const PARAMS = { headers: { 'x-header-param': 'h' }, query: '?qs1=1' };

test('missing required parameters are answered 400 before the body is looked at, naming them as AWS does', async () => {
  let r = await post('dev', '/p', '{"a": "not a number"}');
  assert.equal(r.status, 400, r.text);
  assert.equal(r.text, '{"message":"Missing required request parameters: [x-header-param, qs1]"}');
  assert.equal(r.headers['x-amzn-errortype'], 'BadRequestException');
  r = await post('dev', '/p', '{}', PARAMS.headers);
  assert.equal(r.text, '{"message":"Missing required request parameters: [qs1]"}');
  r = await post('dev', '/p?qs1=1', '{}');
  assert.equal(r.text, '{"message":"Missing required request parameters: [x-header-param]"}');
});

test('the body must match the model for its Content-Type; a valid one reaches the function', async () => {
  isInvalidBody(await post('dev', `/p${PARAMS.query}`, '{"a": 1}', PARAMS.headers));
  isInvalidBody(await post('dev', `/p${PARAMS.query}`, '{"a": 1, "b": "2"}', PARAMS.headers));
  isInvalidBody(await post('dev', `/p${PARAMS.query}`, 'not json', PARAMS.headers));
  reached(await post('dev', `/p${PARAMS.query}`, '{"a": 1, "b": 2}', PARAMS.headers), '{"a": 1, "b": 2}');
  // No model for text/plain: the body is not validated (AWS's documented rule).
  reached(await post('dev', `/p${PARAMS.query}`, 'plain text', { ...PARAMS.headers, 'Content-Type': 'text/plain' }), 'plain text');
  // A method without a validator validates nothing.
  reached(await post('dev', '/unchecked', '{"a": "x"}'), '{"a": "x"}');
});

test('models referring to other models with $ref (arrays and oneOf)', async () => {
  reached(await post('dev', '/list', '[{"a": 1, "b": 2}, {"a": 3, "b": 4}]'), '[{"a": 1, "b": 2}, {"a": 3, "b": 4}]');
  isInvalidBody(await post('dev', '/list', '[{"a": 1, "b": 2}, {"a": 3}]'));
  reached(await post('dev', '/status', '{"status": null}'), '{"status": null}');
  reached(await post('dev', '/status', '{"status": {"Status": "ok", "Order": 1}}'), '{"status": {"Status": "ok", "Order": 1}}');
  isInvalidBody(await post('dev', '/status', '{}'));
  isInvalidBody(await post('dev', '/status', '{"status": {"Status": "ok", "Order": "one"}}'));
});

test('customised BAD_REQUEST_BODY and BAD_REQUEST_PARAMETERS responses apply, with the validator\'s findings', async () => {
  await env.apigw.send(new PutGatewayResponseCommand({
    restApiId: apiId, responseType: 'BAD_REQUEST_BODY', statusCode: '422',
    responseParameters: { 'gatewayresponse.header.x-reason': "'body'" },
    responseTemplates: { 'application/json': '{"error": $context.error.messageString, "detail": "$context.error.validationErrorString", "type": "$context.error.responseType"}' },
  }));
  await env.apigw.send(new PutGatewayResponseCommand({
    restApiId: apiId, responseType: 'BAD_REQUEST_PARAMETERS', responseTemplates: { 'application/json': '{"params": $context.error.messageString}' },
  }));
  await deploy('custom');
  await env.apigw.send(new DeleteGatewayResponseCommand({ restApiId: apiId, responseType: 'BAD_REQUEST_BODY' }));
  await env.apigw.send(new DeleteGatewayResponseCommand({ restApiId: apiId, responseType: 'BAD_REQUEST_PARAMETERS' }));

  const body = await post('custom', `/p${PARAMS.query}`, '{"a": "1"}', PARAMS.headers);
  assert.equal(body.status, 422, body.text);
  assert.equal(body.headers['x-reason'], 'body');
  assert.deepEqual(body.json(), {
    error: 'Invalid request body', type: 'BAD_REQUEST_BODY',
    detail: '[object has missing required properties (["b"]), instance type (string) does not match any allowed primitive type (allowed: ["number"])]',
  });
  const params = await post('custom', '/p', '{}');
  assert.equal(params.status, 400);
  assert.deepEqual(params.json(), { params: 'Missing required request parameters: [x-header-param, qs1]' });
  // The stage deployed before the customisations keeps AWS's defaults.
  isInvalidBody(await post('dev', `/p${PARAMS.query}`, '{"a": "1"}', PARAMS.headers));
});

test('a stage validates with the models and validator it was deployed with until redeployed', async () => {
  await deploy('redeploy');
  await env.apigw.send(new UpdateModelCommand({ restApiId: apiId, modelName: 'testSchema', patchOperations: [{
    op: 'replace', path: '/schema', value: JSON.stringify({ type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' }, c: { type: 'string' } }, required: ['a', 'b', 'c'] }),
  }] }));
  const ab = '{"a": 1, "b": 2}';
  reached(await post('redeploy', `/p${PARAMS.query}`, ab, PARAMS.headers), ab);
  await deploy('redeploy');
  isInvalidBody(await post('redeploy', `/p${PARAMS.query}`, ab, PARAMS.headers));
  reached(await post('redeploy', `/p${PARAMS.query}`, '{"a": 1, "b": 2, "c": "x"}', PARAMS.headers), '{"a": 1, "b": 2, "c": "x"}');

  // Turning the validator's checks off takes effect with the next deployment too.
  await env.apigw.send(new UpdateRequestValidatorCommand({ restApiId: apiId, requestValidatorId: validatorId, patchOperations: [
    { op: 'replace', path: '/validateRequestBody', value: 'false' }, { op: 'replace', path: '/validateRequestParameters', value: 'false' },
  ] }));
  isInvalidBody(await post('redeploy', `/p${PARAMS.query}`, ab, PARAMS.headers));
  await deploy('redeploy');
  reached(await post('redeploy', '/p', ab), ab);
});
