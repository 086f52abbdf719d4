import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRequestParameters, compileResponseParameters, parseMappingValue } from '../../apigatewayv2/parameter-mapping.js';
import type { IntegrationRecord } from '../../store/httpapi-store.js';
import { evaluateMapping, mapRequest, mapResponse, mappingsOf, type MappingSources } from './parameter-mapping.js';

const sources: MappingSources = {
  header: (n) => ({ 'x-id': 'abc', 'x-multi': 'a,b' })[n],
  querystring: (n) => ({ q: 'search' })[n],
  body: () => '{"user":{"name":"ann","tags":[1,2]}}',
  path: () => '/items/7',
  pathParameter: (n) => ({ id: '7' })[n],
  context: () => ({ requestId: 'req-1', authorizer: { claims: { sub: 'u1' } } }),
  stageVariable: (n) => ({ env: 'prod' })[n],
};
const value = (v: string, side: 'request' | 'response' = 'request') => evaluateMapping(parseMappingValue(v, side), sources);

test('expressions read headers, query strings, body paths, path, path parameters, context and stage variables', () => {
  assert.equal(value('$request.header.X-Id'), 'abc');
  assert.equal(value('$request.querystring.q'), 'search');
  assert.equal(value('$request.body.user.name'), 'ann');
  assert.equal(value('$request.body.user.tags'), '[1,2]');
  assert.equal(value('$request.body'), '{"user":{"name":"ann","tags":[1,2]}}');
  assert.equal(value('$request.path'), '/items/7');
  assert.equal(value('/v2/${request.path.id}/${stageVariables.env}'), '/v2/7/prod');
  assert.equal(value('$context.authorizer.claims.sub'), 'u1');
  assert.equal(value('id=${context.requestId};'), 'id=req-1;');
});

test('a value that is one expression reading nothing is undefined; in mixed text it is empty', () => {
  assert.equal(value('$request.header.missing'), undefined);
  assert.equal(value('x-${request.header.missing}'), 'x-');
  assert.equal(value('$request.body.nope'), undefined);
});

test('request mappings rewrite headers and the query string in place, reading the request as it came', () => {
  const mappings = compileRequestParameters({
    'append:header.X-Renamed': '$request.header.x-id', 'remove:header.X-Id': '', 'overwrite:header.Accept': 'text/plain',
    'append:querystring.q': 'more stuff', 'overwrite:querystring.page': '2', 'remove:querystring.debug': '', 'overwrite:header.x-skip': '$request.header.missing',
    'overwrite:path': '/v2/$request.path.id',
  });
  const mapped = mapRequest(mappings, ['Host', 'h', 'X-Id', 'abc', 'accept', 'a/b', 'Accept', 'c/d'], 'q=search&page=1&debug=true&debug', sources);
  assert.deepEqual(mapped.rawHeaders, ['Host', 'h', 'Accept', 'text/plain', 'X-Renamed', 'abc']);
  assert.equal(mapped.rawQuery, 'q=search&page=2&q=more%20stuff');
  assert.equal(mapped.path, '/v2/7');
});

test('response mappings: selected by status code; headers appended, overwritten, removed; status overwritten', () => {
  const mappings = compileResponseParameters({
    200: { 'append:header.X-Tags': 'b', 'overwrite:header.x-new': '$response.body.user.name', 'remove:header.X-Secret': "''", 'overwrite:statuscode': '201' },
    404: { 'overwrite:statuscode': '403' },
  });
  const answer = { status: 200, headers: { 'x-tags': 'a', 'X-Secret': 's', 'content-type': 'application/json' }, cookies: [], body: Buffer.from('{"user":{"name":"ann"}}') };
  const mapped = mapResponse(mappings, answer, sources);
  assert.equal(mapped.status, 201);
  assert.deepEqual(mapped.headers, { 'x-tags': 'a,b', 'content-type': 'application/json', 'x-new': 'ann' });
  assert.equal(mapResponse(mappings, { ...answer, status: 404 }, sources).status, 403);
  const unselected = { ...answer, status: 502 };
  assert.equal(mapResponse(mappings, unselected, sources), unselected, 'an unselected status leaves the answer as it was');
});

test('mappings are compiled once per integration record, and an integration without any costs nothing', () => {
  const plain = { integrationId: 'a', integrationType: 'HTTP_PROXY', payloadFormatVersion: '1.0', timeoutInMillis: 1, connectionType: 'INTERNET' } as IntegrationRecord;
  assert.equal(mappingsOf(plain), undefined);
  const mapped = { ...plain, requestParameters: { 'overwrite:header.x': 'y' } };
  assert.equal(mappingsOf(mapped), mappingsOf(mapped));
  assert.equal(mappingsOf(mapped)!.request.length, 1);
});
