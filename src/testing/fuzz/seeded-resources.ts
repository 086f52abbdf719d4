// Test support: the resources a fuzz run creates first, so that a share of its requests name real
// ones, and the check afterwards that they are all still there, whole and readable.
import assert from 'node:assert/strict';
import {
  AddPermissionCommand, CreateAliasCommand, CreateFunctionUrlConfigCommand, GetAliasCommand, GetFunctionUrlConfigCommand, GetPolicyCommand, GetFunctionCommand, GetLayerVersionCommand, ListAliasesCommand, ListFunctionsCommand,
  ListLayersCommand, ListVersionsByFunctionCommand, PublishLayerVersionCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import {
  CreateApiKeyCommand, CreateAuthorizerCommand, CreateDocumentationPartCommand, CreateDocumentationVersionCommand, CreateModelCommand,
  CreateRequestValidatorCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GenerateClientCertificateCommand, GetApiKeyCommand,
  GetAuthorizerCommand, GetModelCommand, GetUsagePlanCommand, PutGatewayResponseCommand,
  CreateDeploymentCommand, CreateRestApiCommand, GetApiKeysCommand, GetDeploymentsCommand, GetResourcesCommand, GetRestApiCommand,
  GetRestApisCommand, GetStageCommand, GetStagesCommand, GetUsagePlansCommand, type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import {
  CreateAuthorizerCommand as CreateHttpAuthorizerCommand, CreateDeploymentCommand as CreateHttpDeploymentCommand, GetAuthorizerCommand as GetHttpAuthorizerCommand,
  CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, GetApiCommand, GetApisCommand, GetRouteCommand,
  GetRoutesCommand, GetStageCommand as GetHttpStageCommand, type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import { CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { createNodeFunction, putMockGet, testFunctionRole } from '../functions.js';
import { makeZip } from '../zip.js';
import type { KnownIds } from './values.js';

export interface Clients {
  lambda: LambdaClient;
  apigw: APIGatewayClient;
  apigwv2: ApiGatewayV2Client;
  logs: CloudWatchLogsClient;
}

export interface Seeded {
  known: KnownIds;
  restApiId: string;
  httpApiId: string;
  routeId: string;
  /** Ids of the REST API's and the HTTP API's other seeded parts. */
  parts: { authorizerId: string; apiKeyId: string; usagePlanId: string; httpAuthorizerId: string };
}

const FUNCTION = 'fuzz-fn';
const LAYER = 'fuzz-layer';
const LOG_GROUP = '/fuzz/group';

/** A REST API `{prefix}-api` with GET /items (MOCK) deployed to stage prod, and an HTTP API `{prefix}-http` with GET /items on stage prod. */
export async function createApis(c: Clients, prefix: string) {
  const restApiId = (await c.apigw.send(new CreateRestApiCommand({ name: `${prefix}-api` }))).id!;
  await putMockGet(c.apigw, restApiId, 'items');
  const resources = (await c.apigw.send(new GetResourcesCommand({ restApiId }))).items!;
  const deploymentId = (await c.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }))).id!;

  const httpApiId = (await c.apigwv2.send(new CreateApiCommand({ Name: `${prefix}-http`, ProtocolType: 'HTTP' }))).ApiId!;
  const integrationId = (await c.apigwv2.send(new CreateIntegrationCommand({ ApiId: httpApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: 'https://example.com', PayloadFormatVersion: '1.0' }))).IntegrationId!;
  const routeId = (await c.apigwv2.send(new CreateRouteCommand({ ApiId: httpApiId, RouteKey: 'GET /items', Target: `integrations/${integrationId}` }))).RouteId!;
  await c.apigwv2.send(new CreateStageCommand({ ApiId: httpApiId, StageName: 'prod' }));
  return { restApiId, resources, deploymentId, httpApiId, integrationId, routeId };
}

export async function seedResources(c: Clients): Promise<Seeded> {
  const fn = await createNodeFunction(c.lambda, FUNCTION, 'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify(e ?? null).slice(0, 100) });', { Publish: true });
  await c.lambda.send(new CreateAliasCommand({ FunctionName: FUNCTION, Name: 'live', FunctionVersion: '1' }));
  await c.lambda.send(new PublishLayerVersionCommand({ LayerName: LAYER, Content: { ZipFile: await makeZip({ 'nodejs/x.js': 'module.exports = 1' }) } }));

  const { restApiId, resources, deploymentId, httpApiId, integrationId, routeId } = await createApis(c, 'fuzz');

  await c.lambda.send(new AddPermissionCommand({ FunctionName: FUNCTION, StatementId: 'fuzz-sid', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  await c.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: FUNCTION, AuthType: 'NONE' }));

  const rest = { restApiId };
  const authorizerId = (await c.apigw.send(new CreateAuthorizerCommand({
    ...rest, name: 'fuzz-auth', type: 'TOKEN', authorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn.FunctionArn}/invocations`, identitySource: 'method.request.header.Authorization',
  }))).id!;
  await c.apigw.send(new CreateModelCommand({ ...rest, name: 'FuzzModel', contentType: 'application/json', schema: '{"type":"object"}' }));
  const validatorId = (await c.apigw.send(new CreateRequestValidatorCommand({ ...rest, name: 'fuzz-validator', validateRequestBody: true }))).id!;
  const apiKeyId = (await c.apigw.send(new CreateApiKeyCommand({ name: 'fuzz-key', enabled: true }))).id!;
  const usagePlanId = (await c.apigw.send(new CreateUsagePlanCommand({ name: 'fuzz-plan', apiStages: [{ apiId: restApiId, stage: 'prod' }] }))).id!;
  await c.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId: apiKeyId, keyType: 'API_KEY' }));
  const partId = (await c.apigw.send(new CreateDocumentationPartCommand({ ...rest, location: { type: 'API' }, properties: '{"description":"fuzz"}' }))).id!;
  await c.apigw.send(new CreateDocumentationVersionCommand({ ...rest, documentationVersion: 'v1' }));
  const certificateId = (await c.apigw.send(new GenerateClientCertificateCommand({ description: 'fuzz' }))).clientCertificateId!;
  await c.apigw.send(new PutGatewayResponseCommand({ ...rest, responseType: 'DEFAULT_4XX', statusCode: '400' }));

  const httpAuthorizerId = (await c.apigwv2.send(new CreateHttpAuthorizerCommand({
    ApiId: httpApiId, Name: 'fuzz-jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['fuzz'] },
  }))).AuthorizerId!;
  const httpDeploymentId = (await c.apigwv2.send(new CreateHttpDeploymentCommand({ ApiId: httpApiId }))).DeploymentId!;

  await c.logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
  await c.logs.send(new CreateLogStreamCommand({ logGroupName: LOG_GROUP, logStreamName: 's1' }));

  const known: KnownIds = {
    functionname: [FUNCTION, fn.FunctionArn!], qualifier: ['live', '1', '$LATEST'], name: ['live', 'fuzz-api'], functionversion: ['1'],
    layername: [LAYER], versionnumber: ['1'], role: [testFunctionRole],
    restapiid: [restApiId], resourceid: resources.map((r) => r.id!), parentid: resources.map((r) => r.id!), httpmethod: ['GET'],
    stagename: ['prod'], deploymentid: [deploymentId, httpDeploymentId], statuscode: ['200', '400'],
    authorizerid: [authorizerId, httpAuthorizerId], modelname: ['FuzzModel'], requestvalidatorid: [validatorId], apikey: [apiKeyId], keyid: [apiKeyId],
    usageplanid: [usagePlanId], documentationpartid: [partId], documentationversion: ['v1'], clientcertificateid: [certificateId],
    responsetype: ['DEFAULT_4XX', 'DEFAULT_5XX'], exporttype: ['swagger', 'oas30'], statementid: ['fuzz-sid'],
    zipfile: [(await makeZip({ 'index.js': 'exports.handler = async () => 1;' })).toString('base64')],
    apiid: [httpApiId], routeid: [routeId], integrationid: [integrationId],
    loggroupname: [LOG_GROUP], logstreamname: ['s1'], loggroupidentifier: [LOG_GROUP],
    resourcearn: [fn.FunctionArn!, `arn:aws:logs:us-east-1:000000000000:log-group:${LOG_GROUP}`, `arn:aws:apigateway:us-east-1::/apis/${httpApiId}`],
  };
  return { known, restApiId, httpApiId, routeId, parts: { authorizerId, apiKeyId, usagePlanId, httpAuthorizerId } };
}

/** The seeded resources are all there, and every list a fuzzed create may have added to still reads. */
export async function assertSeededIntact(c: Clients, s: Seeded): Promise<void> {
  const fn = await c.lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION }));
  assert.equal(fn.Configuration?.FunctionName, FUNCTION);
  assert.equal((await c.lambda.send(new GetAliasCommand({ FunctionName: FUNCTION, Name: 'live' }))).Name, 'live');
  assert.equal((await c.lambda.send(new GetLayerVersionCommand({ LayerName: LAYER, VersionNumber: 1 }))).Version, 1);
  assert.match((await c.lambda.send(new GetPolicyCommand({ FunctionName: FUNCTION }))).Policy!, /fuzz-sid/);
  await c.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: FUNCTION }));
  await c.lambda.send(new ListFunctionsCommand({}));
  await c.lambda.send(new ListLayersCommand({}));
  await c.lambda.send(new ListAliasesCommand({ FunctionName: FUNCTION }));
  await c.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: FUNCTION }));

  assert.equal((await c.apigw.send(new GetRestApiCommand({ restApiId: s.restApiId }))).id, s.restApiId); // valid-looking updates may rename it
  assert.ok((await c.apigw.send(new GetResourcesCommand({ restApiId: s.restApiId }))).items!.some((r) => r.path === '/items'));
  assert.equal((await c.apigw.send(new GetStageCommand({ restApiId: s.restApiId, stageName: 'prod' }))).stageName, 'prod');
  await c.apigw.send(new GetStagesCommand({ restApiId: s.restApiId }));
  await c.apigw.send(new GetDeploymentsCommand({ restApiId: s.restApiId }));
  await c.apigw.send(new GetAuthorizerCommand({ restApiId: s.restApiId, authorizerId: s.parts.authorizerId }));
  await c.apigw.send(new GetModelCommand({ restApiId: s.restApiId, modelName: 'FuzzModel' }));
  await c.apigw.send(new GetApiKeyCommand({ apiKey: s.parts.apiKeyId }));
  await c.apigw.send(new GetUsagePlanCommand({ usagePlanId: s.parts.usagePlanId }));
  await c.apigw.send(new GetRestApisCommand({ limit: 500 }));
  await c.apigw.send(new GetApiKeysCommand({ limit: 500 }));
  await c.apigw.send(new GetUsagePlansCommand({ limit: 500 }));

  assert.equal((await c.apigwv2.send(new GetApiCommand({ ApiId: s.httpApiId }))).ApiId, s.httpApiId); // valid-looking updates may rename it
  assert.equal((await c.apigwv2.send(new GetRouteCommand({ ApiId: s.httpApiId, RouteId: s.routeId }))).RouteKey, 'GET /items');
  assert.equal((await c.apigwv2.send(new GetHttpStageCommand({ ApiId: s.httpApiId, StageName: 'prod' }))).StageName, 'prod');
  await c.apigwv2.send(new GetRoutesCommand({ ApiId: s.httpApiId }));
  await c.apigwv2.send(new GetHttpAuthorizerCommand({ ApiId: s.httpApiId, AuthorizerId: s.parts.httpAuthorizerId }));
  await c.apigwv2.send(new GetApisCommand({}));

  assert.ok((await c.logs.send(new DescribeLogStreamsCommand({ logGroupName: LOG_GROUP }))).logStreams!.some((st) => st.logStreamName === 's1'));
  await c.logs.send(new DescribeLogGroupsCommand({}));
}
