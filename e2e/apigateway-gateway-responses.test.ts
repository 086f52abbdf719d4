// Gateway responses through the AWS SDK, control plane: PutGatewayResponse, GetGatewayResponse(s),
// UpdateGatewayResponse and DeleteGatewayResponse with the defaults, inheritance and errors AWS
// answers (checked against recorded AWS answers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateRestApiCommand, DeleteGatewayResponseCommand, GetGatewayResponseCommand, GetGatewayResponsesCommand, PutGatewayResponseCommand,
  UpdateGatewayResponseCommand, type GatewayResponseType,
} from '@aws-sdk/client-api-gateway';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testAccount } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

const DEFAULT_TEMPLATES = { 'application/json': '{"message":$context.error.messageString}' };
const CUSTOM_TEMPLATE = '{"message": $context.error.messageString, "type": "$context.error.responseType"}';
const strip = <T extends { $metadata?: unknown }>(out: T): Omit<T, '$metadata'> => {
  const { $metadata: _, ...rest } = out;
  return rest;
};
const newApi = async (): Promise<string> => (await env.apigw.send(new CreateRestApiCommand({ name: 'gateway-responses' }))).id!;

test('an API starts with every response type at its default', async () => {
  const restApiId = await newApi();
  const one = await env.apigw.send(new GetGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
  assert.deepEqual(strip(one), { defaultResponse: true, responseParameters: {}, responseTemplates: DEFAULT_TEMPLATES, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '403' });
  const all = await env.apigw.send(new GetGatewayResponsesCommand({ restApiId, limit: 500 }));
  assert.equal(all.items!.length, 21);
  assert.equal(all.position, undefined);
  const byType = Object.fromEntries(all.items!.map((r) => [r.responseType, r]));
  assert.equal(byType.INTEGRATION_FAILURE.statusCode, '504');
  assert.equal(byType.WAF_FILTERED.statusCode, '403');
  assert.equal(byType.DEFAULT_4XX.statusCode, undefined);
  assert.ok(all.items!.every((r) => r.defaultResponse === true));
  // Not paged: AWS documents that limit and position do not apply to this collection.
  for (const page of [{ limit: 5 }, { position: '20' }, { position: 'anything' }]) {
    const got = await env.apigw.send(new GetGatewayResponsesCommand({ restApiId, ...page }));
    assert.deepEqual([got.items!.length, got.position], [21, undefined]);
  }
});

test('PutGatewayResponse replaces the whole customisation; what is not given takes the type\'s defaults', async () => {
  const restApiId = await newApi();
  const responseParameters = { 'gatewayresponse.header.Access-Control-Allow-Origin': "'a.b.c'", 'gatewayresponse.header.x-request-header': 'method.request.header.Accept' };
  const put = await env.apigw.send(new PutGatewayResponseCommand({
    restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404', responseParameters, responseTemplates: { 'application/json': CUSTOM_TEMPLATE },
  }));
  assert.equal(put.$metadata.httpStatusCode, 201);
  assert.deepEqual(strip(put), { defaultResponse: false, responseParameters, responseTemplates: { 'application/json': CUSTOM_TEMPLATE }, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '404' });
  const got = await env.apigw.send(new GetGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
  assert.deepEqual(strip(got), strip(put));

  const paramsOnly = await env.apigw.send(new PutGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN', responseParameters: { 'gatewayresponse.header.x': "'y'" } }));
  assert.deepEqual(strip(paramsOnly), {
    defaultResponse: false, responseParameters: { 'gatewayresponse.header.x': "'y'" }, responseTemplates: DEFAULT_TEMPLATES, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '403',
  });

  // DEFAULT_5XX's customisation shows in every 5XX type not customised itself (still defaultResponse true).
  await env.apigw.send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_5XX', statusCode: '599', responseParameters: { 'gatewayresponse.header.h': "'5'" } }));
  const own = await env.apigw.send(new PutGatewayResponseCommand({ restApiId, responseType: 'AUTHORIZER_FAILURE', responseParameters: { 'gatewayresponse.header.foo': "'bar'" } }));
  assert.equal(own.statusCode, '500');
  const all = Object.fromEntries((await env.apigw.send(new GetGatewayResponsesCommand({ restApiId }))).items!.map((r) => [r.responseType, r]));
  assert.deepEqual(all.INTEGRATION_TIMEOUT, {
    defaultResponse: true, responseParameters: { 'gatewayresponse.header.h': "'5'" }, responseTemplates: DEFAULT_TEMPLATES, responseType: 'INTEGRATION_TIMEOUT', statusCode: '599',
  });
  assert.equal(all.DEFAULT_5XX.defaultResponse, false);
  assert.deepEqual([all.AUTHORIZER_FAILURE.defaultResponse, all.AUTHORIZER_FAILURE.statusCode], [false, '500']);
  assert.deepEqual([all.THROTTLED.defaultResponse, all.THROTTLED.statusCode, all.THROTTLED.responseParameters], [true, '429', {}]);

  const deleted = await env.apigw.send(new DeleteGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  const back = await env.apigw.send(new GetGatewayResponseCommand({ restApiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
  assert.deepEqual([back.defaultResponse, back.statusCode, back.responseParameters], [true, '403', {}]);
});

test('UpdateGatewayResponse patches a type, customised or not, with AWS\'s paths and messages', async () => {
  const restApiId = await newApi();
  const first = await env.apigw.send(new UpdateGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX', patchOperations: [{ op: 'replace', path: '/statusCode', value: '444' }] }));
  assert.equal(first.$metadata.httpStatusCode, 200);
  assert.deepEqual(strip(first), { defaultResponse: false, responseParameters: {}, responseTemplates: DEFAULT_TEMPLATES, responseType: 'DEFAULT_4XX', statusCode: '444' });

  await env.apigw.send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX', statusCode: '404', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'a.b.c'" } }));
  const xml = '<gatewayResponse><message>$context.error.messageString</message></gatewayResponse>';
  const updated = await env.apigw.send(new UpdateGatewayResponseCommand({
    restApiId, responseType: 'DEFAULT_4XX', patchOperations: [
      { op: 'replace', path: '/statusCode', value: '444' },
      { op: 'replace', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin', value: "'example.com'" },
      { op: 'add', path: '/responseTemplates/application~1xml', value: xml },
      { op: 'add', path: '/responseParameters/gatewayresponse.header.x-extra', value: "'1'" },
      { op: 'remove', path: '/responseParameters/gatewayresponse.header.x-extra' },
    ],
  }));
  assert.deepEqual(strip(updated), {
    defaultResponse: false, responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'example.com'" },
    responseTemplates: { ...DEFAULT_TEMPLATES, 'application/xml': xml }, responseType: 'DEFAULT_4XX', statusCode: '444',
  });
  assert.deepEqual(strip(await env.apigw.send(new GetGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX' }))), strip(updated));

  const update = (responseType: GatewayResponseType, patchOperations: { op?: any; path?: string; value?: string }[]) =>
    env.apigw.send(new UpdateGatewayResponseCommand({ restApiId, responseType, patchOperations }));
  await expectAwsError(update('DEFAULT_4XX', [{ op: 'add', path: '/statusCode', value: '444' }]), 'BadRequestException', 'Invalid patch path /statusCode', 400);
  await expectAwsError(update('DEFAULT_4XX', [{ op: 'remove', path: '/statusCode' }]), 'BadRequestException', 'Invalid patch path /statusCode', 400);
  await expectAwsError(update('DEFAULT_5XX', [{ op: 'replace', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin', value: "'x'" }]),
    'NotFoundException', 'Invalid parameter name specified', 404);
  await expectAwsError(update('DEFAULT_4XX', [{ op: 'add', value: "'x'" }]), 'BadRequestException', 'Invalid patch path null', 400);
  await expectAwsError(update('DEFAULT_4XX', [{ op: 'add', path: '/wrongPath', value: "'x'" }]), 'BadRequestException', 'Invalid patch path /wrongPath', 400);
  await expectAwsError(update('DEFAULT_4XX', [{ op: 'wrong-op', path: '/statusCode', value: '1' }]), 'ValidationException',
    "1 validation error detected: Value 'wrong-op' at 'updateGatewayResponseInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]", 400);
  await expectAwsError(update('DEFAULT_4XX', [{ op: 'replace', path: '/responseTemplates/application~1xml' }]), 'BadRequestException', 'Invalid null or empty value in responseTemplates', 400);
  await expectAwsError(update('DEFAULT_4XX', [{ op: 'replace', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin' }]),
    'BadRequestException', 'Invalid null or empty value in responseParameters', 400);
  // A failed patch changes nothing.
  assert.equal((await env.apigw.send(new GetGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX' }))).statusCode, '444');
});

test('header mappings must name a gateway response header and a request value, a stage variable, a context variable or a literal', async () => {
  const restApiId = await newApi();
  const invalid = (expression: string) => `Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${expression}]`;
  await expectAwsError(env.apigw.send(new PutGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED', responseParameters: { 'gatewayresponse.header.test-key': 'test-value' } })),
    'BadRequestException', invalid('test-value'), 400);
  await expectAwsError(env.apigw.send(new PutGatewayResponseCommand({
    restApiId, responseType: 'UNAUTHORIZED', responseParameters: { 'method.response.header.Access-Control-Allow-Origin': "'*'" },
  })), 'BadRequestException', invalid('method.response.header.Access-Control-Allow-Origin'), 400);
  await expectAwsError(env.apigw.send(new UpdateGatewayResponseCommand({
    restApiId, responseType: 'UNAUTHORIZED', patchOperations: [{ op: 'add', path: '/responseParameters/gatewayresponse.header.x', value: '*' }],
  })), 'BadRequestException', invalid('*'), 400);
  const ok = await env.apigw.send(new PutGatewayResponseCommand({
    restApiId, responseType: 'UNAUTHORIZED', responseParameters: {
      'gatewayresponse.header.a': "'*'", 'gatewayresponse.header.b': 'method.request.header.Origin', 'gatewayresponse.header.c': 'stageVariables.v',
      'gatewayresponse.header.d': 'context.requestId', 'gatewayresponse.header.e': 'method.request.multivaluequerystring.q',
    },
  }));
  assert.equal(Object.keys(ok.responseParameters!).length, 5);
});

test('missing APIs, unknown types and deleting a type not customised are refused as AWS refuses them', async () => {
  const restApiId = await newApi();
  const missing = `Invalid API identifier specified ${testAccount}:nosuchapi1`;
  await expectAwsError(env.apigw.send(new GetGatewayResponsesCommand({ restApiId: 'nosuchapi1' })), 'NotFoundException', missing, 404);
  await expectAwsError(env.apigw.send(new GetGatewayResponseCommand({ restApiId: 'nosuchapi1', responseType: 'DEFAULT_4XX' })), 'NotFoundException', missing, 404);
  await expectAwsError(env.apigw.send(new DeleteGatewayResponseCommand({ restApiId: 'nosuchapi1', responseType: 'DEFAULT_4XX' })), 'NotFoundException', missing, 404);
  await expectAwsError(env.apigw.send(new UpdateGatewayResponseCommand({ restApiId: 'nosuchapi1', responseType: 'DEFAULT_4XX', patchOperations: [] })), 'NotFoundException', missing, 404);
  await expectAwsError(env.apigw.send(new PutGatewayResponseCommand({ restApiId: 'nosuchapi1', responseType: 'DEFAULT_4XX' })), 'NotFoundException', missing, 404);
  await expectAwsError(env.apigw.send(new DeleteGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX' })), 'NotFoundException', 'Gateway response type not defined on api', 404);
  const enumSet = '[REQUEST_TOO_LARGE, RESOURCE_NOT_FOUND, AUTHORIZER_CONFIGURATION_ERROR, MISSING_AUTHENTICATION_TOKEN, BAD_REQUEST_BODY, INVALID_SIGNATURE, '
    + 'INVALID_API_KEY, BAD_REQUEST_PARAMETERS, AUTHORIZER_FAILURE, UNAUTHORIZED, INTEGRATION_TIMEOUT, ACCESS_DENIED, DEFAULT_4XX, DEFAULT_5XX, WAF_FILTERED, '
    + 'QUOTA_EXCEEDED, THROTTLED, API_CONFIGURATION_ERROR, UNSUPPORTED_MEDIA_TYPE, INTEGRATION_FAILURE, EXPIRED_TOKEN]';
  const wrongType = `1 validation error detected: Value 'FAKE_RESPONSE_TYPE' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: ${enumSet}`;
  const fake = 'FAKE_RESPONSE_TYPE' as GatewayResponseType;
  await expectAwsError(env.apigw.send(new GetGatewayResponseCommand({ restApiId, responseType: fake })), 'ValidationException', wrongType, 400);
  await expectAwsError(env.apigw.send(new DeleteGatewayResponseCommand({ restApiId, responseType: fake })), 'ValidationException', wrongType, 400);
  await expectAwsError(env.apigw.send(new UpdateGatewayResponseCommand({ restApiId, responseType: fake, patchOperations: [] })), 'ValidationException', wrongType, 400);
  await expectAwsError(env.apigw.send(new PutGatewayResponseCommand({ restApiId, responseType: fake, statusCode: '404', responseParameters: {}, responseTemplates: {} })),
    'ValidationException', wrongType, 400);
});

test('CreateRestApi with cloneFrom copies the customised gateway responses', async () => {
  const restApiId = await newApi();
  await env.apigw.send(new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } }));
  const clone = (await env.apigw.send(new CreateRestApiCommand({ name: 'clone', cloneFrom: restApiId }))).id!;
  const copied = await env.apigw.send(new GetGatewayResponseCommand({ restApiId: clone, responseType: 'DEFAULT_4XX' }));
  assert.deepEqual([copied.defaultResponse, copied.responseParameters], [false, { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" }]);
  // The copy is the clone's own: deleting it leaves the source's.
  await env.apigw.send(new DeleteGatewayResponseCommand({ restApiId: clone, responseType: 'DEFAULT_4XX' }));
  assert.equal((await env.apigw.send(new GetGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX' }))).defaultResponse, false);
});
