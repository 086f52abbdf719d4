// Test support: the Lambda functions and API Gateway methods that suites set up in order to test
// something else (invoke URLs, logs, the console), made one way with the test account's roles.
import { CreateFunctionCommand, type CreateFunctionCommandInput, type CreateFunctionCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateResourceCommand, GetResourcesCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand,
  type APIGatewayClient, type PutIntegrationCommandInput,
} from '@aws-sdk/client-api-gateway';
import { testAccount, testRegion } from './server.js';
import { makeZip } from './zip.js';

/** The execution role test functions name (Stagecraft accepts any well-formed role ARN). */
export const testFunctionRole = `arn:aws:iam::${testAccount}:role/lambda-role`;
/** Credentials an integration passes to call its function without a resource policy. */
export const apiGatewayInvokeRole = `arn:aws:iam::${testAccount}:role/apigateway-invoke`;

/** Creates a Node.js function with handler index.handler: `code` is the source of index.js, or a zip as is. */
export async function createNodeFunction(lambda: LambdaClient, name: string, code: string | Buffer, extra: Partial<CreateFunctionCommandInput> = {}): Promise<CreateFunctionCommandOutput> {
  const zip = typeof code === 'string' ? await makeZip({ 'index.js': code }) : code;
  return lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: testFunctionRole, Code: { ZipFile: zip }, ...extra }));
}

/** The integration URI that calls `fn` (a name, or `name:qualifier`) in the test account. */
export function invocationsUri(fn: string): string {
  return `arn:aws:apigateway:${testRegion}:lambda:path/2015-03-31/functions/arn:aws:lambda:${testRegion}:${testAccount}:function:${fn}/invocations`;
}

/** Puts a method (no authorization) whose AWS_PROXY integration calls `fn`; `integration` adds to or overrides the integration. */
export async function putLambdaProxyMethod(
  apigw: APIGatewayClient,
  method: { restApiId: string; resourceId: string; httpMethod: string },
  fn: string,
  integration: Partial<PutIntegrationCommandInput> = {},
): Promise<void> {
  await apigw.send(new PutMethodCommand({ ...method, authorizationType: 'NONE' }));
  await apigw.send(new PutIntegrationCommand({ ...method, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: invocationsUri(fn), ...integration }));
}

/** GET /{pathPart} on the API's root, answering 200 `{}` from a MOCK integration; the method requires an API key when asked. */
export async function putMockGet(apigw: APIGatewayClient, restApiId: string, pathPart: string, options: { apiKeyRequired?: boolean } = {}): Promise<void> {
  const root = (await apigw.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!.id!;
  const resourceId = (await apigw.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart }))).id!;
  const m = { restApiId, resourceId, httpMethod: 'GET' };
  await apigw.send(new PutMethodCommand({ ...m, authorizationType: 'NONE', apiKeyRequired: options.apiKeyRequired ?? false }));
  await apigw.send(new PutIntegrationCommand({ ...m, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await apigw.send(new PutMethodResponseCommand({ ...m, statusCode: '200' }));
  await apigw.send(new PutIntegrationResponseCommand({ ...m, statusCode: '200', responseTemplates: { 'application/json': '{}' } }));
}
