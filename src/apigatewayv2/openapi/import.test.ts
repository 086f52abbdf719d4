import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsError } from '../../core/errors.js';
import { parseDocument } from '../../apigateway/openapi/document.js';
import { importHttpApi, type ImportOptions } from './import.js';

let counter = 0;
const options = (extra: Partial<ImportOptions> = {}): ImportOptions => ({ newId: (kind) => `${kind}${++counter}`, ...extra });
const read = (doc: unknown, extra: Partial<ImportOptions> = {}) => importHttpApi(parseDocument(typeof doc === 'string' ? doc : JSON.stringify(doc)), options(extra));
const LAMBDA = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:hello/invocations';

const rejects = (fn: () => unknown, message: RegExp) => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AwsError);
    assert.equal(e.code, 'BadRequestException');
    assert.match(e.message, message);
    return true;
  });
};

test('AWS CLI example: a YAML document with an ANY route to a Lambda function (payloadFormatVersion written as a number)', () => {
  const api = read(`openapi: 3.0.1
info:
  title: My Lambda API
  version: v1.0
paths:
  /hello:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        payloadFormatVersion: 2.0
        type: aws_proxy
        httpMethod: POST
        uri: ${LAMBDA}
        connectionType: INTERNET
`);
  assert.equal(api.name, 'My Lambda API');
  assert.equal(api.version, 'v1.0');
  assert.equal(api.routes.length, 1);
  assert.equal(api.routes[0].routeKey, 'ANY /hello');
  assert.equal(api.routes[0].authorizationType, 'NONE');
  assert.equal(api.routes[0].target, `integrations/${api.integrations[0].integrationId}`);
  assert.deepEqual({ ...api.integrations[0], integrationId: 'x' }, {
    integrationId: 'x', integrationType: 'AWS_PROXY', integrationUri: LAMBDA, integrationMethod: 'POST', payloadFormatVersion: '2.0',
    timeoutInMillis: 30000, connectionType: 'INTERNET',
  });
  assert.deepEqual(api.warnings, []);
});

const full = {
  openapi: '3.0.1',
  info: { title: 'pets', description: 'Pet store', version: '2' },
  servers: [{ url: 'https://example.com/{basePath}', variables: { basePath: { default: 'v1/store' } } }],
  'x-amazon-apigateway-cors': { allowOrigins: ['https://a.example'], allowMethods: ['GET'], maxAge: 300, allowCredentials: true },
  'x-amazon-apigateway-disable-execute-api-endpoint': true,
  'x-amazon-apigateway-api-key-source': 'HEADER',
  components: {
    securitySchemes: {
      jwt: { type: 'oauth2', flows: {}, 'x-amazon-apigateway-authorizer': { type: 'jwt', identitySource: '$request.header.Authorization', jwtConfiguration: { issuer: 'https://issuer.example', audience: ['aud'] } } },
      lambda: {
        type: 'apiKey', name: 'auth', in: 'header',
        'x-amazon-apigateway-authorizer': { type: 'request', identitySource: '$request.header.auth, $request.querystring.t', authorizerUri: LAMBDA, authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true, authorizerResultTtlInSeconds: 60 },
      },
      sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
    },
    'x-amazon-apigateway-integrations': { shared: { type: 'http_proxy', uri: 'https://backend.example/{proxy}', httpMethod: 'ANY', payloadFormatVersion: '1.0' } },
  },
  paths: {
    '/pets/{id}': {
      get: { operationId: 'getPet', security: [{ jwt: ['read'] }], 'x-amazon-apigateway-integration': { $ref: '#/components/x-amazon-apigateway-integrations/shared' } },
      delete: { security: [{ lambda: [] }], 'x-amazon-apigateway-integration': { $ref: '#/components/x-amazon-apigateway-integrations/shared' } },
      post: { security: [{ sigv4: [] }], requestBody: { content: {} } },
    },
    '/legacy': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } },
    '/$default': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': { type: 'AWS_PROXY', uri: LAMBDA, payloadFormatVersion: '1.0', timeoutInMillis: 5000 } } },
  },
};

test('routes, shared integrations, JWT, Lambda and IAM authorization, CORS and API settings', () => {
  const api = read(full);
  assert.equal(api.description, 'Pet store');
  assert.equal(api.disableExecuteApiEndpoint, true);
  assert.deepEqual(api.corsConfiguration, { AllowOrigins: ['https://a.example'], AllowMethods: ['GET'], MaxAge: 300, AllowCredentials: true });
  const byKey = Object.fromEntries(api.routes.map((r) => [r.routeKey, r]));
  assert.deepEqual(Object.keys(byKey), ['GET /pets/{id}', 'DELETE /pets/{id}', 'POST /pets/{id}', 'GET /legacy', '$default']);
  // One integration for the two routes that $ref the same one.
  assert.equal(api.integrations.length, 2);
  assert.equal(byKey['GET /pets/{id}'].target, byKey['DELETE /pets/{id}'].target);
  assert.equal(byKey['POST /pets/{id}'].target, undefined);
  const http = api.integrations.find((i) => i.integrationType === 'HTTP_PROXY')!;
  assert.equal(http.integrationMethod, 'ANY');
  assert.equal(api.integrations.find((i) => i.integrationType === 'AWS_PROXY')!.timeoutInMillis, 5000);
  const jwt = api.authorizers.find((a) => a.name === 'jwt')!;
  const lambda = api.authorizers.find((a) => a.name === 'lambda')!;
  assert.deepEqual(jwt.jwtConfiguration, { issuer: 'https://issuer.example', audience: ['aud'] });
  assert.deepEqual(lambda.identitySource, ['$request.header.auth', '$request.querystring.t']);
  assert.equal(lambda.authorizerResultTtlInSeconds, 60);
  assert.equal(lambda.enableSimpleResponses, true);
  assert.deepEqual(
    [byKey['GET /pets/{id}'].authorizationType, byKey['GET /pets/{id}'].authorizerId, byKey['GET /pets/{id}'].authorizationScopes, byKey['GET /pets/{id}'].operationName],
    ['JWT', jwt.authorizerId, ['read'], 'getPet'],
  );
  assert.deepEqual([byKey['DELETE /pets/{id}'].authorizationType, byKey['DELETE /pets/{id}'].authorizerId], ['CUSTOM', lambda.authorizerId]);
  assert.equal(byKey['POST /pets/{id}'].authorizationType, 'AWS_IAM');
  assert.equal(byKey.$default.authorizationType, 'NONE');
  // A mock integration and the REST-only API key source are left out with warnings; requestBody is information.
  assert.equal(api.warnings.length, 2);
  assert.match(api.warnings[0], /GET \/legacy: unsupported integration type 'mock'/);
  assert.match(api.warnings[1], /x-amazon-apigateway-api-key-source is not supported for HTTP APIs/);
  assert.equal(api.info.length, 1);
});

test('basepath prepend and split put the server URL\'s path before the routes', () => {
  assert.deepEqual(read(full, { basepath: 'prepend' }).routes.map((r) => r.routeKey).slice(0, 1), ['GET /v1/store/pets/{id}']);
  assert.deepEqual(read(full, { basepath: 'split' }).routes.map((r) => r.routeKey).slice(0, 1), ['GET /store/pets/{id}']);
  assert.deepEqual(read(full, { basepath: 'ignore' }).routes.map((r) => r.routeKey).slice(0, 1), ['GET /pets/{id}']);
  rejects(() => read(full, { basepath: 'sideways' }), /Invalid basepath parameter value/);
});

test('invalid documents: unreadable bodies, Swagger 2.0, no title, and errors found in the parts, reported together', () => {
  rejects(() => read('{"openapi": "3.0.1", "paths": {'), /^Invalid OpenAPI input\.$/);
  rejects(() => read({ openapi: '3.0.1', paths: {} }), /^Invalid OpenAPI input\.$/);
  rejects(() => read({ swagger: '2.0', info: { title: 't' }, paths: {} }), /only from OpenAPI 3/);
  rejects(() => read({ openapi: '3.0.1', info: { title: 't' }, 'x-amazon-apigateway-importexport-version': '2.0', paths: {} }), /importexport-version/);
  rejects(() => read({
    openapi: '3.0.1', info: { title: 't' },
    paths: {
      '/a': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: LAMBDA } } },
      '/b/{x}/{x}': { get: {} },
    },
    components: { securitySchemes: { bad: { 'x-amazon-apigateway-authorizer': { type: 'jwt', identitySource: '$request.header.A' } } } },
  }), /^Errors found during import:\n\tUnable to create authorizer 'bad': JwtConfiguration with an Issuer is required.*\n\tUnable to create integration for GET \/a: PayloadFormatVersion is required.*\n\tUnable to create route 'GET \/b\/\{x\}\/\{x\}'/);
});

test('parameter mappings of an integration are imported and checked as CreateIntegration checks them', () => {
  const doc = (integration: Record<string, unknown>) => ({
    openapi: '3.0.1', info: { title: 'mapped', version: '1' },
    paths: { '/orders': { get: { 'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://backend.example/orders', httpMethod: 'GET', payloadFormatVersion: '1.0', ...integration } } } },
  });
  const api = read(doc({
    requestParameters: { 'append:header.x-stage': '$context.stage', 'overwrite:path': '/v2/orders' },
    responseParameters: { '404': { 'overwrite:statuscode': '410', 'append:header.x-gone': 'yes' } },
  }));
  assert.deepEqual(api.integrations[0].requestParameters, { 'append:header.x-stage': '$context.stage', 'overwrite:path': '/v2/orders' });
  assert.deepEqual(api.integrations[0].responseParameters, { '404': { 'overwrite:statuscode': '410', 'append:header.x-gone': 'yes' } });
  rejects(() => read(doc({ requestParameters: { 'overwrite:header.Connection': 'close' } })), /Errors found during import/);
});

test('the path $default, as SAM writes it for an HttpApi event without Path and Method, is the $default route', () => {
  const api = read({ openapi: '3.0.1', info: { title: 't' }, paths: { $default: { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: LAMBDA, payloadFormatVersion: '2.0' } } } } });
  assert.deepEqual(api.routes.map((r) => r.routeKey), ['$default']);
});
