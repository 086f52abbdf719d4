// Test support for stage caching: a Lambda proxy function that answers a fresh nonce on every
// invocation (so an answer seen twice came from the cache), and methods that call it.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateResourceCommand, PutIntegrationCommand, PutMethodCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { apiGatewayInvokeRole, createNodeFunction, invocationsUri } from './functions.js';

export const NONCE_FUNCTION = 'cache-nonce';

/** Creates the nonce function: 200 {"nonce", "path"}, or 500 on the path /fail. */
export async function createNonceFunction(lambda: LambdaClient): Promise<void> {
  await createNodeFunction(lambda, NONCE_FUNCTION, `
const { randomUUID } = require('node:crypto');
exports.handler = async (event) => ({
  statusCode: event.path === '/fail' ? 500 : 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ nonce: randomUUID(), path: event.path }),
});`);
}

/** A method on a new resource under `parentId` whose AWS_PROXY integration calls the nonce function; its resource id. */
export async function putNonceMethod(
  apigw: APIGatewayClient, restApiId: string, parentId: string, pathPart: string, httpMethod: string,
  options: { cacheKeyParameters?: string[]; authorizationType?: string } = {},
): Promise<string> {
  const resourceId = (await apigw.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;
  const m = { restApiId, resourceId, httpMethod };
  const keys = options.cacheKeyParameters ?? [];
  await apigw.send(new PutMethodCommand({ ...m, authorizationType: options.authorizationType ?? 'NONE', requestParameters: Object.fromEntries(keys.map((k) => [k, false])) }));
  await apigw.send(new PutIntegrationCommand({
    ...m, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: invocationsUri(NONCE_FUNCTION), credentials: apiGatewayInvokeRole, cacheKeyParameters: keys,
  }));
  return resourceId;
}
