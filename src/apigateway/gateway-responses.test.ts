// AWS's gateway response catalogue and the DEFAULT_4XX/DEFAULT_5XX inheritance (recorded answers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayResponseRecord } from '../store/apigateway-store.js';
import { DEFAULT_TEMPLATE, RESPONSE_TYPES, customisationFor, gatewayResponseView, newGatewayResponse, parentType } from './gateway-responses.js';

test('21 types, by name, with their parents by status class', () => {
  assert.equal(RESPONSE_TYPES.length, 21);
  assert.deepEqual(RESPONSE_TYPES.slice(0, 3), ['ACCESS_DENIED', 'API_CONFIGURATION_ERROR', 'AUTHORIZER_CONFIGURATION_ERROR']);
  assert.equal(parentType('INTEGRATION_FAILURE'), 'DEFAULT_5XX');
  assert.equal(parentType('MISSING_AUTHENTICATION_TOKEN'), 'DEFAULT_4XX');
  assert.equal(parentType('DEFAULT_4XX'), undefined);
});

test('a type takes its own customisation, else its parent\'s (status included), else none', () => {
  const parent: GatewayResponseRecord = { responseType: 'DEFAULT_5XX', statusCode: '599', responseParameters: { 'gatewayresponse.header.a': "'b'" }, responseTemplates: { 'application/json': '{}' } };
  const noStatus: GatewayResponseRecord = { responseType: 'DEFAULT_4XX', responseParameters: {}, responseTemplates: { 'text/plain': 'x' } };
  const own = newGatewayResponse('AUTHORIZER_FAILURE', { responseParameters: { 'gatewayresponse.header.foo': "'bar'" } });
  const customised = { DEFAULT_5XX: parent, DEFAULT_4XX: noStatus, AUTHORIZER_FAILURE: own };
  assert.deepEqual(customisationFor('INTEGRATION_TIMEOUT', customised), { record: { ...parent, responseType: 'INTEGRATION_TIMEOUT' }, inherited: true });
  assert.deepEqual(customisationFor('AUTHORIZER_FAILURE', customised), { record: own, inherited: false });
  assert.equal(customisationFor('THROTTLED', {}), undefined);
  // A parent without a status leaves the type's own.
  assert.equal(gatewayResponseView('THROTTLED', customised).statusCode, '429');
  assert.equal(gatewayResponseView('THROTTLED', customised).defaultResponse, true);
  assert.deepEqual(gatewayResponseView('AUTHORIZER_FAILURE', customised), {
    defaultResponse: false, responseParameters: { 'gatewayresponse.header.foo': "'bar'" }, responseTemplates: { 'application/json': DEFAULT_TEMPLATE },
    responseType: 'AUTHORIZER_FAILURE', statusCode: '500',
  });
  assert.equal(gatewayResponseView('DEFAULT_5XX', {}).statusCode, undefined);
});
