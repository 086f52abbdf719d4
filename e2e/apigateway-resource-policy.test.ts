// REST API resource policies end to end: policies set with the AWS SDK (CreateRestApi,
// UpdateRestApi) and the AWS CLI, plain HTTP to the stage and to a custom domain — an IP allow
// list (the loopback caller allowed or not), an explicit deny on one path, a changed policy
// served only once redeployed, and a Lambda authorizer combined with the policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAuthorizerCommand, CreateBasePathMappingCommand, CreateDeploymentCommand, CreateDomainNameCommand, CreateResourceCommand,
  CreateRestApiCommand, GetRestApiCommand, PutMethodCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodResponseCommand,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { apiGatewayInvokeRole, createNodeFunction, invocationsUri, putMockGet } from '../src/testing/functions.js';
import { awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';
import { callDomain } from '../src/testing/context-echo-api.js';
import { invokeHost, type HttpAnswer } from '../src/execute-api/testing.js';

const env = useServer();

const policy = (...Statement: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement });
const allowFrom = (cidr: string) => ({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { IpAddress: { 'aws:SourceIp': cidr } } });
const denyPath = (path: string) => ({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: `execute-api:/*/GET${path}` });

/** An API with GET /open and GET /secret (MOCK, 200 `{}`) and the given policy, deployed to prod. */
async function apiWith(text: string | undefined): Promise<string> {
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'guarded', ...(text !== undefined ? { policy: text } : {}) }));
  await putMockGet(env.apigw, api.id!, 'open');
  await putMockGet(env.apigw, api.id!, 'secret');
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'prod' }));
  return api.id!;
}

const deniedBody = (apiId: string, stage: string, path: string, explicit = false): string =>
  JSON.stringify({ Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********0000:${apiId}/${stage}/GET${path}${explicit ? ' with an explicit deny' : ''}` });

function assertDenied(r: HttpAnswer, apiId: string, path: string, explicit = false, stage = 'prod'): void {
  assert.deepEqual([r.status, r.text, r.headers['x-amzn-errortype']], [403, deniedBody(apiId, stage, path, explicit), 'AccessDeniedException']);
}

test('an IP allow list: the loopback caller is let in by 127.0.0.1/32, refused by 10.0.0.0/8 with AWS 403 body', async () => {
  const allowed = await apiWith(policy(allowFrom('127.0.0.1/32')));
  assert.equal((await invokeHost(env.url, allowed, 'prod', '/open')).status, 200);
  // GetRestApi answers the policy as it was given.
  assert.deepEqual(JSON.parse((await env.apigw.send(new GetRestApiCommand({ restApiId: allowed }))).policy!), JSON.parse(policy(allowFrom('127.0.0.1/32'))));
  const refused = await apiWith(policy(allowFrom('10.0.0.0/8')));
  assertDenied(await invokeHost(env.url, refused, 'prod', '/open'), refused, '/open');
  // IPv6 blocks never take an IPv4 caller.
  const v6 = await apiWith(policy(allowFrom('::/0')));
  assertDenied(await invokeHost(env.url, v6, 'prod', '/secret'), v6, '/secret');
});

test('an explicit Deny on one path wins over the Allow for everything', async () => {
  const apiId = await apiWith(policy(allowFrom('0.0.0.0/0'), denyPath('/secret')));
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/open')).status, 200);
  assertDenied(await invokeHost(env.url, apiId, 'prod', '/secret'), apiId, '/secret', true);
});

test('a changed policy is served once the API is redeployed, on every stage that gets the deployment', async () => {
  const apiId = await apiWith(undefined);
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/open')).status, 200);
  await env.apigw.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'replace', path: '/policy', value: policy(allowFrom('10.0.0.0/8')) }] }));
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/open')).status, 200, 'the stage still serves the deployment without a policy');
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'beta' }));
  assertDenied(await invokeHost(env.url, apiId, 'prod', '/open'), apiId, '/open');
  assertDenied(await invokeHost(env.url, apiId, 'beta', '/open'), apiId, '/open', false, 'beta');
  // Removing it takes a deployment too.
  await env.apigw.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'remove', path: '/policy' }] }));
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/open')).status, 403);
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/open')).status, 200);
});

test('requests through a custom domain are held to the policy too', async () => {
  const apiId = await apiWith(policy(allowFrom('0.0.0.0/0'), denyPath('/secret')));
  await env.apigw.send(new CreateDomainNameCommand({ domainName: 'guarded.example.com', regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/g', endpointConfiguration: { types: ['REGIONAL'] } }));
  await env.apigw.send(new CreateBasePathMappingCommand({ domainName: 'guarded.example.com', restApiId: apiId, stage: 'prod', basePath: 'v1' }));
  assert.equal((await callDomain(env.url, 'guarded.example.com', '/v1/open')).status, 200);
  assertDenied(await callDomain(env.url, 'guarded.example.com', '/v1/secret'), apiId, '/secret', true);
});

test('AWS_IAM methods: a same-account caller needs no allow from the policy; a deny refuses it by its account', async () => {
  const make = async (text: string) => {
    const api = await env.apigw.send(new CreateRestApiCommand({ name: 'iam', policy: text }));
    const m = { restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' };
    await env.apigw.send(new PutMethodCommand({ ...m, authorizationType: 'AWS_IAM' }));
    await env.apigw.send(new PutIntegrationCommand({ ...m, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await env.apigw.send(new PutMethodResponseCommand({ ...m, statusCode: '200' }));
    await env.apigw.send(new PutIntegrationResponseCommand({ ...m, statusCode: '200', responseTemplates: { 'application/json': '{}' } }));
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'prod' }));
    // The server checks no signatures here: a SigV4 Authorization header is enough to be the account's caller.
    return invokeHost(env.url, api.id!, 'prod', '/', { headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=0' } });
  };
  assert.equal((await make(policy(allowFrom('192.0.2.0/24')))).status, 200);
  const r = await make(policy({ Effect: 'Deny', Principal: { AWS: '000000000000' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }));
  assert.equal(r.status, 403);
  assert.match(r.json().Message, /^User: arn:aws:iam::000000000000:root is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:\*{8}0000:\w+\/prod\/GET\/ with an explicit deny$/);
});

// A TOKEN authorizer whose policy the token chooses: allow, deny or say nothing about this method.
const AUTHORIZER = `
exports.handler = async (event) => {
  const statement = (Effect) => [{ Action: 'execute-api:Invoke', Effect, Resource: event.methodArn }];
  const Statement = event.authorizationToken === 'allow' ? statement('Allow') : event.authorizationToken === 'deny' ? statement('Deny') : [];
  return { principalId: 'caller', policyDocument: { Version: '2012-10-17', Statement } };
};`;

test('with a Lambda authorizer: an allow from either admits, a deny from either refuses', async () => {
  await createNodeFunction(env.lambda, 'policy-authorizer', AUTHORIZER);
  const make = async (text: string) => {
    const api = await env.apigw.send(new CreateRestApiCommand({ name: 'authorized', policy: text }));
    const authorizerId = (await env.apigw.send(new CreateAuthorizerCommand({
      restApiId: api.id!, name: 'token', type: 'TOKEN', authorizerUri: invocationsUri('policy-authorizer'), authorizerCredentials: apiGatewayInvokeRole,
      identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 0,
    }))).id!;
    const resourceId = (await env.apigw.send(new CreateResourceCommand({ restApiId: api.id!, parentId: api.rootResourceId!, pathPart: 'me' }))).id!;
    const m = { restApiId: api.id!, resourceId, httpMethod: 'GET' };
    await env.apigw.send(new PutMethodCommand({ ...m, authorizationType: 'CUSTOM', authorizerId }));
    await env.apigw.send(new PutIntegrationCommand({ ...m, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await env.apigw.send(new PutMethodResponseCommand({ ...m, statusCode: '200' }));
    await env.apigw.send(new PutIntegrationResponseCommand({ ...m, statusCode: '200', responseTemplates: { 'application/json': '{}' } }));
    await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'prod' }));
    return (token: string) => invokeHost(env.url, api.id!, 'prod', '/me', { headers: { Authorization: token } });
  };
  // The policy allows the loopback caller: an authorizer saying nothing is enough, its Deny is not.
  let call = await make(policy(allowFrom('127.0.0.0/8')));
  assert.equal((await call('silent')).status, 200);
  assert.equal((await call('allow')).status, 200);
  const deny = await call('deny');
  assert.deepEqual([deny.status, deny.json().Message], [403, 'User is not authorized to access this resource with an explicit deny in an identity-based policy']);
  // The policy allows someone else: the authorizer decides.
  call = await make(policy(allowFrom('192.0.2.0/24')));
  assert.equal((await call('allow')).status, 200);
  assert.deepEqual([(await call('silent')).status, (await call('silent')).text], [403, '{"Message":"User is not authorized to access this resource"}']);
  // The policy denies the caller: refused whatever the authorizer would say.
  call = await make(policy(allowFrom('0.0.0.0/0'), { Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*', Condition: { NotIpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }));
  const refused = await call('allow');
  assert.deepEqual([refused.status, refused.headers['x-amzn-errortype']], [403, 'AccessDeniedException']);
  assert.match(refused.json().Message, /^User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:\*{8}0000:\w+\/prod\/GET\/me with an explicit deny$/);
});

test('the AWS CLI: update-rest-api --patch-operations op=replace,path=/policy,value=…, then a deployment and a call', async () => {
  const apiId = await apiWith(undefined);
  const text = policy(allowFrom('10.0.0.0/8'));
  const update = await awsCli(env.url, ['apigateway', 'update-rest-api', '--rest-api-id', apiId, '--patch-operations', `op=replace,path=/policy,value='${text}'`]);
  assert.equal(update.code, 0, update.stderr);
  assert.deepEqual(JSON.parse(update.json().policy), JSON.parse(text));
  const deployment = await awsCli(env.url, ['apigateway', 'create-deployment', '--rest-api-id', apiId, '--stage-name', 'prod']);
  assert.equal(deployment.code, 0, deployment.stderr);
  assertDenied(await invokeHost(env.url, apiId, 'prod', '/open'), apiId, '/open');
});
