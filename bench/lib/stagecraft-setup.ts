// Setting up Stagecraft through its public AWS APIs (SDK v3), as users do: hello-lambda with a
// published version behind the `prod` alias, and a REST API whose `prod` stage invokes it.
import { AddPermissionCommand, CreateAliasCommand, CreateFunctionCommand, UpdateFunctionCodeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutMethodCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { makeZip } from '../../src/testing/zip.js';
import { helloHandlerSource } from './hello.js';

export { lambdaClient, apiGatewayClient } from '../../src/testing/aws.js';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;

export const helloZip = (comment = ''): Promise<Buffer> => makeZip({ 'index.js': helloHandlerSource('handler', comment) });

/** Creates `name` with version 1 published and alias `prod` → 1; further versions when asked. */
export async function deployHello(lambda: LambdaClient, name: string, options: { versions?: number; alias?: boolean } = {}): Promise<void> {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await helloZip(`${name} v1`) }, Publish: true,
  }));
  for (let v = 2; v <= (options.versions ?? 1); v++) {
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await helloZip(`${name} v${v}`), Publish: true }));
  }
  if (options.alias ?? true) await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'prod', FunctionVersion: '1' }));
}

export const invokePath = (qualifiedName: string): string => `/2015-03-31/functions/${encodeURIComponent(qualifiedName)}/invocations`;

const stageVariableUri = (fn: string) =>
  `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}:\${stageVariables.env}/invocations`;

export interface DeployedApi {
  apiId: string;
  /** Path-style invoke URL of the stage: {base}/restapis/{id}/prod/_user_request_ */
  stageUrl: string;
}

/**
 * A REST API with GET methods (auth NONE) on `paths` (created under the root), each an AWS_PROXY
 * integration to `fn:${stageVariables.env}`, deployed to stage `prod` with env=prod, and the
 * permission for API Gateway to invoke fn:prod.
 */
export async function deployApi(apigw: APIGatewayClient, lambda: LambdaClient, baseUrl: string, options: { name: string; fn: string; paths: string[]; concurrency?: number }): Promise<DeployedApi> {
  const api = await apigw.send(new CreateRestApiCommand({ name: options.name }));
  const apiId = api.id!;
  await inParallel(options.paths, options.concurrency ?? 4, async (path) => {
    const resource = await apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId!, pathPart: path }));
    await apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: resource.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
    await apigw.send(new PutIntegrationCommand({
      restApiId: apiId, resourceId: resource.id!, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: stageVariableUri(options.fn),
    }));
  });
  await apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', variables: { env: 'prod' } }));
  await lambda.send(new AddPermissionCommand({
    FunctionName: options.fn, Qualifier: 'prod', StatementId: `apigateway-${apiId}`, Action: 'lambda:InvokeFunction',
    Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/*/GET/*`,
  }));
  return { apiId, stageUrl: `${baseUrl}/restapis/${apiId}/prod/_user_request_` };
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inParallel<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
