// Whose fault a WebSocket event's failure was, as its AWS/ApiGateway error metrics count it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { faultOf } from './cloudwatch.js';

test('faultOf: 4XX from API Gateway is the client\'s, the integration\'s own 4XX/5XX is the integration\'s, the rest execution errors', () => {
  assert.equal(faultOf({ status: 200 }), undefined);
  assert.equal(faultOf({ status: 429, error: 'Too Many Requests' }), 'client');
  assert.equal(faultOf({ status: 403, error: 'Forbidden' }), 'client');
  assert.equal(faultOf({ status: 401, latency: 4 }), 'integration', 'a $connect function refusing with its own status');
  assert.equal(faultOf({ status: 200, integrationStatus: 500, latency: 4 }), 'integration', 'a message route\'s integration answering 500');
  assert.equal(faultOf({ status: 504, error: 'Endpoint request timed out', latency: 29_000 }), 'execution');
  assert.equal(faultOf({ status: 500, error: 'Internal server error' }), 'execution', 'a misconfigured authorizer');
});
