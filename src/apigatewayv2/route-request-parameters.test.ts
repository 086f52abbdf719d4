import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InvocationRequest } from '../execute-api/context.js';
import type { RouteRecord } from '../store/httpapi-store.js';
import { missingRequestParameters, routeRequestParametersFrom } from './route-request-parameters.js';

const requestWith = (headers: Record<string, string>, query: Record<string, string> | null): InvocationRequest =>
  ({ headers, headerNames: new Map(Object.keys(headers).map((k) => [k.toLowerCase(), k])), query }) as unknown as InvocationRequest;

test('requestParameters: only $connect takes them, with header and querystring keys', () => {
  assert.deepEqual(routeRequestParametersFrom('$connect', { 'route.request.header.Auth': { Required: true }, 'route.request.querystring.x': {} }),
    { 'route.request.header.Auth': { required: true }, 'route.request.querystring.x': { required: false } });
  assert.equal(routeRequestParametersFrom('send', {}), undefined);
  assert.throws(() => routeRequestParametersFrom('send', { 'route.request.header.Auth': { Required: true } }), /only for the \$connect route/);
  assert.throws(() => routeRequestParametersFrom('$connect', { 'route.request.path.x': { Required: true } }), /Invalid request parameter key/);
  assert.throws(() => routeRequestParametersFrom('$connect', { 'route.request.header.': { Required: true } }), /Invalid request parameter key/);
});

test('missingRequestParameters: required ones the handshake lacks, headers in any case', () => {
  const route = { requestParameters: routeRequestParametersFrom('$connect', {
    'route.request.header.Auth': { Required: true }, 'route.request.querystring.room': { Required: true }, 'route.request.querystring.nick': { Required: false },
  }) } as RouteRecord;
  assert.deepEqual(missingRequestParameters(route, requestWith({}, null)), ['Auth', 'room']);
  assert.deepEqual(missingRequestParameters(route, requestWith({ auth: 'x' }, { room: '' })), []);
  assert.deepEqual(missingRequestParameters({} as RouteRecord, requestWith({}, null)), []);
});
