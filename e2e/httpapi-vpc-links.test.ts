// HTTP API VPC links (V2) end to end, through AWS's own ApiGatewayV2 client: the links' lifecycle,
// a private integration (ConnectionType VPC_LINK) to a local HTTP server called directly from the
// server, and the refusals: an unknown link, a load balancer ARN Stagecraft cannot resolve, and
// deleting a link routes still go through.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, CreateVpcLinkCommand, DeleteIntegrationCommand, DeleteRouteCommand,
  DeleteVpcLinkCommand, GetIntegrationCommand, GetVpcLinkCommand, GetVpcLinksCommand, UpdateIntegrationCommand, UpdateVpcLinkCommand,
} from '@aws-sdk/client-apigatewayv2';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { startPrivateService, type PrivateService } from '../src/testing/private-service.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';

const env = useServer();
let backend: PrivateService;
let backendUrl: string;

env.setup(async () => {
  backend = await startPrivateService();
  backendUrl = backend.url;
});
after(() => backend?.close());

test('a VPC link (V2): created available at once (201), read, listed by pages, renamed; unknown ids are 404', async () => {
  const created = await env.apigwv2.send(new CreateVpcLinkCommand({ Name: 'orders-link', SubnetIds: ['subnet-0a', 'subnet-0b'], SecurityGroupIds: ['sg-01'], Tags: { team: 'orders' } }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.match(created.VpcLinkId!, /^[a-z0-9]{6}$/);
  assert.equal(created.VpcLinkStatus, 'AVAILABLE');
  assert.equal(created.VpcLinkStatusMessage, 'VPC link is ready to route traffic');
  assert.equal(created.VpcLinkVersion, 'V2');
  assert.ok(created.CreatedDate instanceof Date);
  assert.deepEqual([created.SubnetIds, created.SecurityGroupIds, created.Tags], [['subnet-0a', 'subnet-0b'], ['sg-01'], { team: 'orders' }]);
  const other = await env.apigwv2.send(new CreateVpcLinkCommand({ Name: 'other', SubnetIds: ['subnet-0c'] }));

  assert.equal((await env.apigwv2.send(new GetVpcLinkCommand({ VpcLinkId: created.VpcLinkId! }))).Name, 'orders-link');
  const first = await env.apigwv2.send(new GetVpcLinksCommand({ MaxResults: '1' }));
  assert.equal(first.Items?.length, 1);
  const rest = await env.apigwv2.send(new GetVpcLinksCommand({ NextToken: first.NextToken }));
  assert.deepEqual([...first.Items!, ...rest.Items!].map((l) => l.VpcLinkId), [created.VpcLinkId, other.VpcLinkId]);
  const renamed = await env.apigwv2.send(new UpdateVpcLinkCommand({ VpcLinkId: other.VpcLinkId!, Name: 'renamed' }));
  assert.equal(renamed.Name, 'renamed');
  assert.deepEqual(renamed.SubnetIds, ['subnet-0c']);

  const deleted = await env.apigwv2.send(new DeleteVpcLinkCommand({ VpcLinkId: other.VpcLinkId! }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  await expectAwsError(env.apigwv2.send(new GetVpcLinkCommand({ VpcLinkId: other.VpcLinkId! })), 'NotFoundException', `Invalid VpcLink identifier specified ${other.VpcLinkId}`, 404);
  await expectAwsError(env.apigwv2.send(new DeleteVpcLinkCommand({ VpcLinkId: 'nope42' })), 'NotFoundException', undefined, 404);
});

test('a private integration calls its URL from the server through an existing link; ARNs, unknown links and deleting a link in use are refused', async () => {
  const link = (await env.apigwv2.send(new CreateVpcLinkCommand({ Name: 'private-api-link', SubnetIds: ['subnet-0a'] }))).VpcLinkId!;
  const apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'private-integration-api', ProtocolType: 'HTTP' }))).ApiId!;
  const integrate = (extra: { ConnectionId?: string; IntegrationUri?: string }) => env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', PayloadFormatVersion: '1.0', ConnectionType: 'VPC_LINK',
    IntegrationUri: `${backendUrl}/orders`, ConnectionId: link, ...extra,
  }));

  await expectAwsError(integrate({ ConnectionId: 'nolink' }), 'BadRequestException', 'Invalid VPC link identifier specified nolink', 400);
  const listenerArn = `arn:aws:elasticloadbalancing:${testRegion}:${testAccount}:listener/app/orders/50dc6c495c0c9188/f2f7dc8efc522ab2`;
  await expectAwsError(integrate({ IntegrationUri: listenerArn }), 'BadRequestException', /^Stagecraft cannot resolve arn:aws:elasticloadbalancing:.*http\(s\) URL/, 400);

  const integration = await env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', PayloadFormatVersion: '1.0', ConnectionType: 'VPC_LINK', ConnectionId: link,
    IntegrationUri: `${backendUrl}/orders`, TlsConfig: { ServerNameToVerify: 'orders.internal' },
  }));
  assert.equal(integration.ConnectionType, 'VPC_LINK');
  assert.equal(integration.ConnectionId, link);
  assert.deepEqual(integration.TlsConfig, { ServerNameToVerify: 'orders.internal' });
  const stored = await env.apigwv2.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId! }));
  assert.deepEqual([stored.ConnectionType, stored.ConnectionId, stored.TlsConfig], ['VPC_LINK', link, { ServerNameToVerify: 'orders.internal' }]);
  await expectAwsError(env.apigwv2.send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId!, ConnectionId: 'gone00' })),
    'BadRequestException', 'Invalid VPC link identifier specified gone00');

  const route = await env.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /orders', Target: `integrations/${integration.IntegrationId}` }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
  const answer = await invokeHttpApi(env.url, apiId, '/orders');
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(answer.json(), { from: 'private-service', method: 'GET', url: '/orders' });

  await expectAwsError(env.apigwv2.send(new DeleteVpcLinkCommand({ VpcLinkId: link })), 'BadRequestException',
    `Cannot delete vpc link. Vpc link '${link}', is referenced in [GET:${route.RouteId}] in format of [Method:Resource].`, 400);
  await env.apigwv2.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: route.RouteId! }));
  await env.apigwv2.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId! }));
  assert.equal((await env.apigwv2.send(new DeleteVpcLinkCommand({ VpcLinkId: link }))).$metadata.httpStatusCode, 202);
});

test('switching a private integration back to INTERNET drops its link', async () => {
  const link = (await env.apigwv2.send(new CreateVpcLinkCommand({ Name: 'switch-link', SubnetIds: ['subnet-0a'] }))).VpcLinkId!;
  const apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'switch-api', ProtocolType: 'HTTP' }))).ApiId!;
  const created = await env.apigwv2.send(new CreateIntegrationCommand({
    ApiId: apiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', PayloadFormatVersion: '1.0', ConnectionType: 'VPC_LINK', ConnectionId: link, IntegrationUri: backendUrl,
  }));
  const updated = await env.apigwv2.send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: created.IntegrationId!, ConnectionType: 'INTERNET' }));
  assert.equal(updated.ConnectionType, 'INTERNET');
  assert.equal(updated.ConnectionId, undefined);
});
