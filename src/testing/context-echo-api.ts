// Test support for routing checks: a REST API whose MOCK methods answer which API, stage and
// resource served them, and requests sent with a custom domain as their Host.
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand,
  PutMethodResponseCommand, type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { httpCall, type HttpAnswer } from '../execute-api/testing.js';

/** What every method answers: the API, stage and resource that served it, and the request path AWS reports. */
const ECHO = '{"api": "$context.apiId", "stage": "$context.stage", "resource": "$context.resourcePath", "path": "$context.path"}';

/** An API with GET / and GET /pets (MOCK integrations echoing their context), deployed to each of `stages`. */
export async function contextEchoApi(apigw: APIGatewayClient, name: string, stages = ['dev', 'prod']): Promise<string> {
  const api = await apigw.send(new CreateRestApiCommand({ name }));
  const pets = await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'pets' }));
  for (const resourceId of [api.rootResourceId, pets.id]) {
    const method = { restApiId: api.id, resourceId, httpMethod: 'GET' };
    await apigw.send(new PutMethodCommand({ ...method, authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({ ...method, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await apigw.send(new PutMethodResponseCommand({ ...method, statusCode: '200' }));
    await apigw.send(new PutIntegrationResponseCommand({ ...method, statusCode: '200', responseTemplates: { 'application/json': ECHO } }));
  }
  for (const stageName of stages) await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName }));
  return api.id!;
}

/** A request to the server at `baseUrl` with a custom domain (and the port, as browsers send it) as Host. */
export const callDomain = (baseUrl: string, domain: string, target: string): Promise<HttpAnswer> =>
  httpCall(baseUrl, target, { headers: { host: `${domain}:${new URL(baseUrl).port}` } });
