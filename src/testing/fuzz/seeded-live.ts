// Test support: what a fuzz run seeds beyond the APIs and functions, so that fuzzed requests naming
// these reach real handlers too: a WebSocket API with live connections (for @connections), REST
// and HTTP API domain names with their mappings, VPC links of both kinds, a code-signing config.
import {
  CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand as CreateHttpDomainNameCommand, CreateIntegrationCommand, CreateRouteCommand,
  CreateRouteResponseCommand, CreateStageCommand, CreateVpcLinkCommand as CreateHttpVpcLinkCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateBasePathMappingCommand, CreateDomainNameCommand, CreateVpcLinkCommand } from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand, CreateCodeSigningConfigCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../functions.js';
import { testAccount, testRegion } from '../server.js';
import { openWebSocket, type TestSocket } from '../../execute-api/websocket/testing.js';
import type { Clients } from './seeded-resources.js';
import type { KnownIds } from './values.js';

export interface LiveResources {
  known: KnownIds;
  /** Closes the seeded connections. */
  close(): void;
}

/** Seeds them; `restApiId` and `httpApiId` (with stage prod) are what the domain names map to. */
export async function seedLiveResources(c: Clients, url: string, apis: { restApiId: string; httpApiId: string }): Promise<LiveResources> {
  await createNodeFunction(c.lambda, 'fuzz-ws-id', 'exports.handler = async (e) => ({ statusCode: 200, body: e.requestContext.connectionId });');
  const wsApiId = (await c.apigwv2.send(new CreateApiCommand({ Name: 'fuzz-ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  await c.lambda.send(new AddPermissionCommand({ FunctionName: 'fuzz-ws-id', StatementId: 'ws', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  const integration = await c.apigwv2.send(new CreateIntegrationCommand({ ApiId: wsApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: `arn:aws:lambda:${testRegion}:${testAccount}:function:fuzz-ws-id` }));
  const route = await c.apigwv2.send(new CreateRouteCommand({ ApiId: wsApiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId}`, RouteResponseSelectionExpression: '$default' }));
  await c.apigwv2.send(new CreateRouteResponseCommand({ ApiId: wsApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }));
  await c.apigwv2.send(new CreateStageCommand({ ApiId: wsApiId, StageName: 'live', AutoDeploy: true }));
  const sockets: TestSocket[] = [];
  const connectionIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const socket = await openWebSocket(url, wsApiId, 'live');
    socket.ws.on('error', () => undefined); // fuzzed DeleteConnection may close it
    socket.ws.send('who am i');
    connectionIds.push(await socket.next());
    sockets.push(socket);
  }
  const pinger = setInterval(() => sockets.forEach((s) => s.ws.readyState === s.ws.OPEN && s.ws.ping()), 5_000);

  const restDomain = 'fuzz-rest.example.com';
  await c.apigw.send(new CreateDomainNameCommand({ domainName: restDomain, regionalCertificateArn: `arn:aws:acm:${testRegion}:${testAccount}:certificate/fuzz`, endpointConfiguration: { types: ['REGIONAL'] } }));
  await c.apigw.send(new CreateBasePathMappingCommand({ domainName: restDomain, basePath: 'v1', restApiId: apis.restApiId, stage: 'prod' }));
  const httpDomain = 'fuzz-http.example.com';
  await c.apigwv2.send(new CreateHttpDomainNameCommand({ DomainName: httpDomain, DomainNameConfigurations: [{ CertificateArn: `arn:aws:acm:${testRegion}:${testAccount}:certificate/fuzz`, EndpointType: 'REGIONAL' }] }));
  const apiMappingId = (await c.apigwv2.send(new CreateApiMappingCommand({ DomainName: httpDomain, ApiId: apis.httpApiId, Stage: 'prod', ApiMappingKey: 'v2' }))).ApiMappingId!;

  const restVpcLinkId = (await c.apigw.send(new CreateVpcLinkCommand({ name: 'fuzz-link', targetArns: [`arn:aws:elasticloadbalancing:${testRegion}:${testAccount}:loadbalancer/net/fuzz/1234567890abcdef`] }))).id!;
  const httpVpcLinkId = (await c.apigwv2.send(new CreateHttpVpcLinkCommand({ Name: 'fuzz-link', SubnetIds: ['subnet-0a'] }))).VpcLinkId!;
  const codeSigningConfigArn = (await c.lambda.send(new CreateCodeSigningConfigCommand({
    AllowedPublishers: { SigningProfileVersionArns: [`arn:aws:signer:${testRegion}:${testAccount}:/signing-profiles/fuzz`] },
  }))).CodeSigningConfig!.CodeSigningConfigArn!;

  return {
    known: {
      connectionid: connectionIds, domainname: [restDomain, httpDomain], basepath: ['v1'], apimappingid: [apiMappingId], apimappingkey: ['v2'],
      vpclinkid: [restVpcLinkId, httpVpcLinkId], codesigningconfigarn: [codeSigningConfigArn],
    },
    close() {
      clearInterval(pinger);
      for (const s of sockets) s.ws.terminate();
    },
  };
}
