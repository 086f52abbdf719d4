import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError, forbidden, integrationTimeout, missingAuthenticationToken, requestTooLarge, configurationError, badIntegrationResponse } from './errors.js';

test('gateway errors carry AWS status, body and x-amzn-ErrorType', () => {
  const cases: [GatewayError, number, string, string][] = [
    [missingAuthenticationToken(), 403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException'],
    [forbidden(), 403, '{"message":"Forbidden"}', 'ForbiddenException'],
    [configurationError('x'), 500, '{"message": "Internal server error"}', 'InternalServerErrorException'],
    [badIntegrationResponse('x'), 502, '{"message": "Internal server error"}', 'InternalServerErrorException'],
    [integrationTimeout(), 504, '{"message": "Endpoint request timed out"}', 'InternalServerErrorException'],
    [requestTooLarge(), 413, 'HTTP content length exceeded 10485760 bytes.', 'RequestEntityTooLargeException'],
  ];
  for (const [e, status, body, type] of cases) {
    assert.equal(e.status, status);
    assert.equal(e.body().toString(), body);
    assert.equal(e.errorType, type);
  }
  assert.equal(requestTooLarge().contentType, 'text/plain');
  assert.equal(forbidden().contentType, 'application/json');
});
