// A WebSocket API with two deployments and stages for stage promotion tests (CLI and console):
// deployment `one` serves $connect and $disconnect (MOCK) and sendMessage (HTTP_PROXY); deployment
// `two` adds join, drops sendMessage and makes $connect require an API key. Stage dev serves two,
// prod serves one, and auto deploys automatically.
import {
  CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, DeleteRouteCommand, UpdateRouteCommand,
  type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';

export interface WebSocketStages {
  apiId: string;
  /** What prod serves (deployment "one"). */
  one: string;
  /** What dev serves (deployment "two"). */
  two: string;
}

export const BACKEND = 'http://127.0.0.1:9';

export async function createWebSocketStages(apigwv2: ApiGatewayV2Client, name: string): Promise<WebSocketStages> {
  const ApiId = (await apigwv2.send(new CreateApiCommand({ Name: name, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  const mock = await apigwv2.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'MOCK', TemplateSelectionExpression: '\\$default', RequestTemplates: { $default: '{"statusCode": 200}' } }));
  const proxy = (path: string) => apigwv2.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: `${BACKEND}/${path}` }));
  const route = async (RouteKey: string, integrationId: string) => (await apigwv2.send(new CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${integrationId}` }))).RouteId!;
  const connect = await route('$connect', mock.IntegrationId!);
  await route('$disconnect', mock.IntegrationId!);
  const send = await route('sendMessage', (await proxy('send')).IntegrationId!);
  const one = (await apigwv2.send(new CreateDeploymentCommand({ ApiId, Description: 'one' }))).DeploymentId!;
  await route('join', (await proxy('join')).IntegrationId!);
  await apigwv2.send(new DeleteRouteCommand({ ApiId, RouteId: send }));
  await apigwv2.send(new UpdateRouteCommand({ ApiId, RouteId: connect, ApiKeyRequired: true }));
  const two = (await apigwv2.send(new CreateDeploymentCommand({ ApiId, Description: 'two' }))).DeploymentId!;
  await apigwv2.send(new CreateStageCommand({ ApiId, StageName: 'dev', DeploymentId: two }));
  await apigwv2.send(new CreateStageCommand({ ApiId, StageName: 'prod', DeploymentId: one }));
  await apigwv2.send(new CreateStageCommand({ ApiId, StageName: 'auto', AutoDeploy: true }));
  return { apiId: ApiId, one, two };
}
