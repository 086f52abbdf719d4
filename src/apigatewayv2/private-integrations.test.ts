import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionOf } from './private-integrations.js';

const badRequest = (message: RegExp) => (e: any) => e.name === 'BadRequestException' && message.test(e.message);

test('an integration is INTERNET unless told otherwise, and keeps a TLS server name', () => {
  assert.deepEqual(connectionOf({}, {}), { connectionType: 'INTERNET' });
  assert.deepEqual(connectionOf({ TlsConfig: { ServerNameToVerify: 'a.internal' } }, {}), { connectionType: 'INTERNET', tlsConfig: { serverNameToVerify: 'a.internal' } });
});

test('a private HTTP_PROXY integration takes a link id and a URL', () => {
  assert.deepEqual(connectionOf({ IntegrationType: 'HTTP_PROXY', ConnectionType: 'VPC_LINK', ConnectionId: 'abc123', IntegrationUri: 'http://orders.internal:8080' }, {}),
    { connectionType: 'VPC_LINK', connectionId: 'abc123' });
});

test('an update keeps the link it does not change, and INTERNET drops it', () => {
  const base = { integrationType: 'HTTP_PROXY' as const, integrationUri: 'http://x', connectionType: 'VPC_LINK' as const, connectionId: 'abc123', tlsConfig: { serverNameToVerify: 'x' } };
  assert.deepEqual(connectionOf({ IntegrationUri: 'http://y' }, base), { connectionType: 'VPC_LINK', connectionId: 'abc123', tlsConfig: { serverNameToVerify: 'x' } });
  assert.deepEqual(connectionOf({ ConnectionType: 'INTERNET' }, base), { connectionType: 'INTERNET', tlsConfig: { serverNameToVerify: 'x' } });
});

test('refusals: a link without an id, on a Lambda integration, an ARN for a URI, an id on an INTERNET integration', () => {
  assert.throws(() => connectionOf({ IntegrationType: 'HTTP_PROXY', ConnectionType: 'VPC_LINK', IntegrationUri: 'http://x' }, {}), badRequest(/ConnectionId is required/));
  assert.throws(() => connectionOf({ IntegrationType: 'AWS_PROXY', ConnectionType: 'VPC_LINK', ConnectionId: 'abc123' }, {}), badRequest(/only supported for HTTP_PROXY/));
  const arn = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/a/1/2';
  assert.throws(() => connectionOf({ IntegrationType: 'HTTP_PROXY', ConnectionType: 'VPC_LINK', ConnectionId: 'abc123', IntegrationUri: arn }, {}),
    badRequest(/^Stagecraft cannot resolve arn:.*http\(s\) URL/));
  assert.throws(() => connectionOf({ ConnectionId: 'abc123' }, {}), badRequest(/only supported for integrations of connection type VPC_LINK/));
});
