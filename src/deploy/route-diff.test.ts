import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffRoutes, isEmptyRouteDiff, routesOf } from './route-diff.js';

const lambdaUri = (alias: string) => `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f:${alias}/invocations`;
const proxy = (alias: string) => ({ 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: lambdaUri(alias) } });

const before = {
  openapi: '3.0.1',
  paths: {
    '/hello': { get: proxy('${stageVariables.alias}'), post: proxy('prod') },
    '/old': { delete: { 'x-amazon-apigateway-integration': { type: 'mock' } } },
  },
};

test('routes are named METHOD path, ANY for the any-method extension, $default for an HTTP API default route', () => {
  const routes = routesOf({ paths: { '/{proxy+}': { 'x-amazon-apigateway-any-method': {} }, '/$default': { 'x-amazon-apigateway-any-method': {} }, '/a': { parameters: [], get: {} } } });
  assert.deepEqual([...routes.keys()].sort(), ['$default', 'ANY /{proxy+}', 'GET /a']);
});

test('added, removed and changed routes, with the changed parts and both integrations', () => {
  const after = {
    openapi: '3.0.1',
    paths: {
      '/hello': { get: proxy('${stageVariables.alias}'), post: { ...proxy('v2'), security: [{ sigv4: [] }] } },
      '/new': { 'x-amazon-apigateway-any-method': { 'x-amazon-apigateway-integration': { type: 'http_proxy', httpMethod: 'ANY', uri: 'http://backend/' } } },
    },
  };
  assert.deepEqual(diffRoutes(before, after), {
    added: [{ route: 'ANY /new', integration: 'http_proxy ANY http://backend/' }],
    removed: [{ route: 'DELETE /old', integration: 'mock' }],
    changed: [{ route: 'POST /hello', integration: `aws_proxy ${lambdaUri('v2')}`, integrationBefore: `aws_proxy ${lambdaUri('prod')}`, fields: ['security', 'integration.uri'] }],
    unchanged: 1,
  });
});

test('no current deployment: every route is added; the same document: nothing differs', () => {
  const all = diffRoutes(null, before);
  assert.deepEqual(all.added.map((r) => r.route), ['DELETE /old', 'GET /hello', 'POST /hello']);
  const same = diffRoutes(before, JSON.parse(JSON.stringify(before)));
  assert.ok(isEmptyRouteDiff(same));
  assert.equal(same.unchanged, 3);
});

test("a WebSocket API's routes export: route keys as they are, integrations and settings compared alike", () => {
  const ws = (alias: string, extra = {}) => ({ authorizationType: 'NONE', apiKeyRequired: false, ...extra, 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: lambdaUri(alias) } });
  const was = { specification: 'STAGECRAFT_ROUTES', routes: { $connect: ws('prod'), $default: ws('prod'), gone: ws('prod') } };
  const now = { specification: 'STAGECRAFT_ROUTES', routes: { $connect: ws('prod', { apiKeyRequired: true }), $default: ws('prod'), sendMessage: ws('v2') } };
  assert.deepEqual(diffRoutes(was, now), {
    added: [{ route: 'sendMessage', integration: `aws_proxy ${lambdaUri('v2')}` }],
    removed: [{ route: 'gone', integration: `aws_proxy ${lambdaUri('prod')}` }],
    changed: [{ route: '$connect', integration: `aws_proxy ${lambdaUri('prod')}`, integrationBefore: `aws_proxy ${lambdaUri('prod')}`, fields: ['apiKeyRequired'] }],
    unchanged: 1,
  });
});
