// Test support for data-plane fuzzing: the front doors a fuzz run sends raw requests through — a
// REST API with every integration kind and gate (AWS_PROXY to an echo function, AWS with VTL, MOCK,
// HTTP_PROXY to a local echo server and to a closed port, a Lambda authorizer, an API key, a request
// validator, binary media types, `{proxy+}`, a custom domain's base path), HTTP APIs on payload
// formats 2.0 and 1.0, a WebSocket API and a function URL.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateApiKeyCommand, CreateAuthorizerCommand, CreateBasePathMappingCommand, CreateDeploymentCommand, CreateDomainNameCommand, CreateModelCommand,
  CreateRequestValidatorCommand, CreateResourceCommand, CreateRestApiCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand,
  PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand, type APIGatewayClient, type PutMethodCommandInput,
} from '@aws-sdk/client-api-gateway';
import { CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, type ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand, CreateFunctionUrlConfigCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { apiGatewayInvokeRole, createNodeFunction, invocationsUri } from '../../functions.js';
import { testAccount, testRegion } from '../../server.js';

/** The event format a door hands the echo function, or `none` where no echoed event comes back. */
export type EventFormat = 'rest' | 'v1' | 'v2' | 'none';

export interface Door {
  name: string;
  /** Host header (with the port) and the path prefix every request's path goes under. */
  host: string;
  prefix: string;
  format: EventFormat;
  /** Headers a request needs to get through the door's gate. */
  pass?: Record<string, string>;
}

/** Returns its event as the JSON body, so the fuzzer can check what the function was handed. */
const ECHO = 'exports.handler = async (e) => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ echoed: e }) });';
/** Allows a request whose `x-auth` header is `allow`, and denies any other. */
const AUTHORIZER = `exports.handler = async (e) => ({ principalId: 'fuzz', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke',
  Effect: (e.headers || {})['x-auth'] === 'allow' ? 'Allow' : 'Deny', Resource: e.methodArn }] } });`;
export const API_KEY = 'fuzzkey0123456789abcdefghij';
export const DOMAIN = 'fuzz.data.example.com';

export interface Targets {
  doors: Door[];
  /** The local server HTTP_PROXY integrations reach. */
  upstream: Server;
  wsApiId: string;
}

export async function seedTargets(c: { lambda: LambdaClient; apigw: APIGatewayClient; apigwv2: ApiGatewayV2Client }, baseUrl: string): Promise<Targets> {
  const port = new URL(baseUrl).port;
  const echoArn = `arn:aws:lambda:${testRegion}:${testAccount}:function:fuzz-echo`;
  await createNodeFunction(c.lambda, 'fuzz-echo', ECHO);
  await createNodeFunction(c.lambda, 'fuzz-authorizer', AUTHORIZER);
  await c.lambda.send(new AddPermissionCommand({ FunctionName: 'fuzz-echo', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  await c.lambda.send(new AddPermissionCommand({ FunctionName: 'fuzz-echo', StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));

  const upstream = createServer((req, res) => {
    let size = 0;
    req.on('data', (d: Buffer) => (size += d.length));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ upstream: true, method: req.method, url: req.url, size }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

  const api = await c.apigw.send(new CreateRestApiCommand({ name: 'fuzz-data', binaryMediaTypes: ['application/octet-stream', 'image/*'] }));
  const restApiId = api.id!;
  const root = api.rootResourceId!;
  const resource = async (parentId: string, pathPart: string) => (await c.apigw.send(new CreateResourceCommand({ restApiId, parentId, pathPart }))).id!;
  const rest = (resourceId: string, httpMethod: string) => ({ restApiId, resourceId, httpMethod });

  /** ANY on a new resource, AWS_PROXY to the echo function, behind what `method` adds. */
  const echoMethod = async (pathPart: string, method: Partial<PutMethodCommandInput> = {}) => {
    const m = rest(await resource(root, pathPart), 'ANY');
    await c.apigw.send(new PutMethodCommand({ ...m, authorizationType: 'NONE', ...method }));
    await c.apigw.send(new PutIntegrationCommand({ ...m, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: invocationsUri('fuzz-echo'), credentials: apiGatewayInvokeRole }));
  };
  await echoMethod('{proxy+}');
  await echoMethod('echo');

  // /vtl: an AWS integration whose templates reshape the request and the answer.
  const vtl = rest(await resource(root, 'vtl'), 'ANY');
  await c.apigw.send(new PutMethodCommand({ ...vtl, authorizationType: 'NONE' }));
  await c.apigw.send(new PutIntegrationCommand({
    ...vtl, type: 'AWS', integrationHttpMethod: 'POST', uri: invocationsUri('fuzz-echo'), credentials: apiGatewayInvokeRole, passthroughBehavior: 'WHEN_NO_TEMPLATES',
    requestTemplates: { 'application/json': '{"body": $input.json(\'$\'), "path": "$util.escapeJavaScript($context.resourcePath)", "q": "$util.escapeJavaScript($input.params().querystring)", "h": "$util.urlEncode($input.params(\'x-fuzz\'))"}' },
  }));
  await c.apigw.send(new PutMethodResponseCommand({ ...vtl, statusCode: '200' }));
  await c.apigw.send(new PutIntegrationResponseCommand({ ...vtl, statusCode: '200', responseTemplates: { 'application/json': '$input.json(\'$.body\')' } }));

  // /mock: MOCK.
  const mock = rest(await resource(root, 'mock'), 'ANY');
  await c.apigw.send(new PutMethodCommand({ ...mock, authorizationType: 'NONE' }));
  await c.apigw.send(new PutIntegrationCommand({ ...mock, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await c.apigw.send(new PutMethodResponseCommand({ ...mock, statusCode: '200' }));
  await c.apigw.send(new PutIntegrationResponseCommand({ ...mock, statusCode: '200', responseTemplates: { 'application/json': '{"mock": "$context.requestId"}' } }));

  // /http/{proxy+}: HTTP_PROXY to the local server; /down/{proxy+}: to a port nothing listens on.
  for (const [part, target] of [['http', upstreamUrl], ['down', 'http://127.0.0.1:9']]) {
    const m = rest(await resource(await resource(root, part), '{proxy+}'), 'ANY');
    await c.apigw.send(new PutMethodCommand({ ...m, authorizationType: 'NONE', requestParameters: { 'method.request.path.proxy': true } }));
    await c.apigw.send(new PutIntegrationCommand({ ...m, type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri: `${target}/{proxy}`, requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } }));
  }

  // /auth: a REQUEST Lambda authorizer in front of the echo function.
  const authorizerId = (await c.apigw.send(new CreateAuthorizerCommand({
    restApiId, name: 'fuzz-request', type: 'REQUEST', authorizerUri: invocationsUri('fuzz-authorizer'), authorizerCredentials: apiGatewayInvokeRole,
    identitySource: 'method.request.header.x-auth', authorizerResultTtlInSeconds: 0,
  }))).id!;
  await echoMethod('auth', { authorizationType: 'CUSTOM', authorizerId });
  // /keyed: an API key is required.
  await echoMethod('keyed', { apiKeyRequired: true });

  // /validated: the body must match a model.
  await c.apigw.send(new CreateModelCommand({ restApiId, name: 'FuzzBody', contentType: 'application/json', schema: JSON.stringify({ type: 'object', required: ['n'], properties: { n: { type: 'integer' } } }) }));
  const validatorId = (await c.apigw.send(new CreateRequestValidatorCommand({ restApiId, name: 'body', validateRequestBody: true, validateRequestParameters: true }))).id!;
  const validated = rest(await resource(root, 'validated'), 'POST');
  await c.apigw.send(new PutMethodCommand({ ...validated, authorizationType: 'NONE', requestValidatorId: validatorId, requestModels: { 'application/json': 'FuzzBody' } }));
  await c.apigw.send(new PutIntegrationCommand({ ...validated, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: invocationsUri('fuzz-echo'), credentials: apiGatewayInvokeRole }));

  await c.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev' }));
  const keyId = (await c.apigw.send(new CreateApiKeyCommand({ name: 'fuzz-data-key', enabled: true, value: API_KEY }))).id!;
  const usagePlanId = (await c.apigw.send(new CreateUsagePlanCommand({ name: 'fuzz-data-plan', apiStages: [{ apiId: restApiId, stage: 'dev' }] }))).id!;
  await c.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId, keyId, keyType: 'API_KEY' }));
  await c.apigw.send(new CreateDomainNameCommand({ domainName: DOMAIN, regionalCertificateArn: `arn:aws:acm:${testRegion}:${testAccount}:certificate/fuzz`, endpointConfiguration: { types: ['REGIONAL'] } }));
  await c.apigw.send(new CreateBasePathMappingCommand({ domainName: DOMAIN, basePath: 'v1', restApiId, stage: 'dev' }));

  const doors: Door[] = [
    { name: 'rest-path', host: `localhost:${port}`, prefix: `/restapis/${restApiId}/dev/_user_request_`, format: 'rest', pass: { 'x-api-key': API_KEY, 'x-auth': 'allow' } },
    { name: 'rest-host', host: `${restApiId}.execute-api.localhost:${port}`, prefix: '/dev', format: 'rest', pass: { 'x-api-key': API_KEY, 'x-auth': 'allow' } },
    { name: 'rest-domain', host: `${DOMAIN}:${port}`, prefix: '/v1', format: 'rest', pass: { 'x-api-key': API_KEY, 'x-auth': 'allow' } },
  ];

  for (const version of ['2.0', '1.0']) {
    const apiId = (await c.apigwv2.send(new CreateApiCommand({ Name: `fuzz-http-${version}`, ProtocolType: 'HTTP' }))).ApiId!;
    const integration = await c.apigwv2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: echoArn, PayloadFormatVersion: version }));
    await c.apigwv2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId}` }));
    await c.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    doors.push({ name: `http-${version}`, host: `${apiId}.execute-api.localhost:${port}`, prefix: '', format: version === '2.0' ? 'v2' : 'v1' });
  }

  const { FunctionUrl } = await c.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'fuzz-echo', AuthType: 'NONE' }));
  doors.push({ name: 'function-url', host: `${new URL(FunctionUrl!).hostname.split('.')[0]}.lambda-url.${testRegion}.localhost:${port}`, prefix: '', format: 'v2' });

  const wsApiId = (await c.apigwv2.send(new CreateApiCommand({ Name: 'fuzz-ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }))).ApiId!;
  const wsIntegration = await c.apigwv2.send(new CreateIntegrationCommand({ ApiId: wsApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: echoArn }));
  for (const RouteKey of ['$connect', '$default']) await c.apigwv2.send(new CreateRouteCommand({ ApiId: wsApiId, RouteKey, Target: `integrations/${wsIntegration.IntegrationId}` }));
  await c.apigwv2.send(new CreateStageCommand({ ApiId: wsApiId, StageName: 'dev', AutoDeploy: true }));
  doors.push({ name: 'websocket', host: `${wsApiId}.execute-api.localhost:${port}`, prefix: '/dev', format: 'none' });

  return { doors, upstream, wsApiId };
}
