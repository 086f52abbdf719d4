import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpApiRecord, HttpAuthorizerRecord, IntegrationRecord, RouteRecord } from '../../store/httpapi-store.js';
import { parseDocument } from '../../apigateway/openapi/document.js';
import { exportHttpApi } from './export.js';
import { importHttpApi } from './import.js';

const LAMBDA = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:hello/invocations';
const api: HttpApiRecord = {
  accountId: '000000000000', region: 'us-east-1', apiId: 'abc123defg', name: 'pets', protocolType: 'HTTP', createdDate: Date.UTC(2020, 3, 8, 17, 19, 38),
  routeSelectionExpression: '$request.method $request.path', apiKeySelectionExpression: '$request.header.x-api-key', disableExecuteApiEndpoint: false,
  ipAddressType: 'ipv4', tags: {}, corsConfiguration: { AllowOrigins: ['*'], MaxAge: 10 },
};
const integrations: IntegrationRecord[] = [
  { integrationId: 'i1', integrationType: 'AWS_PROXY', integrationUri: LAMBDA, integrationMethod: 'POST', payloadFormatVersion: '2.0', timeoutInMillis: 30000, connectionType: 'INTERNET' },
];
const authorizers: HttpAuthorizerRecord[] = [
  { authorizerId: 'a1', name: 'jwt', authorizerType: 'JWT', identitySource: ['$request.header.Authorization'], jwtConfiguration: { audience: ['x'], issuer: 'https://issuer.example' } },
  { authorizerId: 'a2', name: 'lambda', authorizerType: 'REQUEST', identitySource: ['$request.header.auth'], authorizerUri: LAMBDA, authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true, authorizerResultTtlInSeconds: 0 },
];
const routes: RouteRecord[] = [
  { routeId: 'r1', routeKey: 'GET /pets/{id}', target: 'integrations/i1', authorizationType: 'JWT', authorizerId: 'a1', authorizationScopes: ['read'], apiKeyRequired: false, operationName: 'getPet' },
  { routeId: 'r2', routeKey: 'ANY /{proxy+}', target: 'integrations/i1', authorizationType: 'CUSTOM', authorizerId: 'a2', apiKeyRequired: false },
  { routeId: 'r3', routeKey: 'POST /pets/{id}', target: 'integrations/i1', authorizationType: 'AWS_IAM', apiKeyRequired: false },
  { routeId: 'r4', routeKey: '$default', target: 'integrations/i1', authorizationType: 'NONE', apiKeyRequired: false },
];

test('the export: info, servers, paths by route key, parameters, security and API Gateway extensions', () => {
  const doc = exportHttpApi({ api, snapshot: { routes, integrations, authorizers }, stageName: 'prod', includeExtensions: true }) as any;
  assert.equal(doc.openapi, '3.0.1');
  assert.deepEqual(doc.info, { title: 'pets', version: '2020-04-08 17:19:38UTC' });
  assert.deepEqual(doc.servers, [{ url: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/{basePath}', variables: { basePath: { default: 'prod' } } }]);
  assert.deepEqual(Object.keys(doc.paths), ['/pets/{id}', '/{proxy+}', '/$default']);
  const get = doc.paths['/pets/{id}'].get;
  assert.equal(get.operationId, 'getPet');
  assert.deepEqual(get.parameters, [{ name: 'id', in: 'path', description: 'Generated path parameter for id', required: true, schema: { type: 'string' } }]);
  assert.deepEqual(get.responses, { default: { description: 'Default response for GET /pets/{id}' } });
  assert.deepEqual(get.security, [{ jwt: ['read'] }]);
  assert.deepEqual(get['x-amazon-apigateway-integration'], { type: 'aws_proxy', uri: LAMBDA, httpMethod: 'POST', payloadFormatVersion: '2.0', connectionType: 'INTERNET', timeoutInMillis: 30000 });
  assert.deepEqual(doc.paths['/{proxy+}']['x-amazon-apigateway-any-method'].security, [{ lambda: [] }]);
  assert.deepEqual(doc.paths['/pets/{id}'].post.security, [{ sigv4: [] }]);
  assert.ok(doc.paths['/$default']['x-amazon-apigateway-any-method']);
  assert.deepEqual(doc.components.securitySchemes.jwt, {
    type: 'oauth2', flows: {}, 'x-amazon-apigateway-authorizer': { identitySource: '$request.header.Authorization', type: 'jwt', jwtConfiguration: { audience: ['x'], issuer: 'https://issuer.example' } },
  });
  assert.equal(doc.components.securitySchemes.lambda.name, 'auth');
  assert.equal(doc.components.securitySchemes.sigv4['x-amazon-apigateway-authtype'], 'awsSigv4');
  assert.deepEqual(doc['x-amazon-apigateway-cors'], { allowOrigins: ['*'], maxAge: 10 });
  assert.equal(doc['x-amazon-apigateway-importexport-version'], '1.0');
});

test('without extensions the document has no integrations, authorizers or CORS (ANY is still x-amazon-apigateway-any-method)', () => {
  const text = JSON.stringify(exportHttpApi({ api, snapshot: { routes, integrations, authorizers }, includeExtensions: false }));
  assert.doesNotMatch(text, /x-amazon-apigateway-(?!any-method)/);
  assert.match(text, /"default":""/);
});

test('export then import gives back the same routes, integrations, authorizers and settings', () => {
  const doc = exportHttpApi({ api: { ...api, description: 'd', version: '7' }, snapshot: { routes, integrations, authorizers }, includeExtensions: true });
  let n = 0;
  const back = importHttpApi(parseDocument(JSON.stringify(doc)), { newId: (kind) => `${kind}${++n}` });
  assert.deepEqual([back.name, back.description, back.version], ['pets', 'd', '7']);
  assert.deepEqual(back.corsConfiguration, api.corsConfiguration);
  assert.deepEqual(back.warnings, []);
  const strip = (r: RouteRecord) => ({ routeKey: r.routeKey, authorizationType: r.authorizationType, authorizationScopes: r.authorizationScopes, operationName: r.operationName });
  assert.deepEqual(back.routes.map(strip).sort((a, b) => a.routeKey.localeCompare(b.routeKey)), routes.map(strip).sort((a, b) => a.routeKey.localeCompare(b.routeKey)));
  assert.equal(back.integrations.length, 1);
  assert.deepEqual({ ...back.integrations[0], integrationId: 'i1' }, integrations[0]);
  assert.deepEqual(back.authorizers.map(({ authorizerId: _id, ...a }) => a), authorizers.map(({ authorizerId: _id, ...a }) => a));
});
