// Multi-level API mappings and changing mappings in place through AWS's ApiGatewayV2 client (and the
// REST API client and AWS CLI reading the same mappings): keys such as "orders/v1" map HTTP API
// and REST API stages on one REGIONAL domain, requests by Host go to the longest matching key,
// UpdateApiMapping re-points or moves a mapping with effect at once, UpdateDomainName replaces the
// domain's configuration, and AWS's refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand, CreateStageCommand, GetApiMappingsCommand, UpdateApiMappingCommand,
  UpdateDomainNameCommand, type UpdateApiMappingCommandInput,
} from '@aws-sdk/client-apigatewayv2';
import {
  CreateDomainNameCommand as CreateRestDomainNameCommand, DeleteBasePathMappingCommand, GetBasePathMappingCommand, GetBasePathMappingsCommand, UpdateDomainNameCommand as UpdateRestDomainNameCommand,
} from '@aws-sdk/client-api-gateway';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';
import { callDomain, contextEchoApi } from '../src/testing/context-echo-api.js';

const env = useServer();

const ECHO = 'exports.handler = async (event) => ({ rawPath: event.rawPath, stage: event.requestContext.stage });';

async function served(host: string, target: string) {
  const answer = await callDomain(env.url, host, target);
  assert.equal(answer.status, 200, `${target}: ${answer.text}`);
  return answer.json();
}

async function httpApi(name: string): Promise<string> {
  await createNodeFunction(env.lambda, name, ECHO);
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP', Target: `arn:aws:lambda:${testRegion}:${testAccount}:function:${name}` }));
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: name, StatementId: 'api', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${api.ApiId}/*`,
  }));
  await env.apigwv2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'beta', AutoDeploy: true }));
  return api.ApiId!;
}

test('multi-level API mappings to HTTP and REST API stages: the longest matching key takes the request; updates take effect at once', async () => {
  const host = 'multi.example.com';
  const http = await httpApi('multi-echo');
  const rest = await contextEchoApi(env.apigw, 'multi-rest');
  await env.apigwv2.send(new CreateDomainNameCommand({ DomainName: host, DomainNameConfigurations: [{ EndpointType: 'REGIONAL' }] }));
  const map = (ApiMappingKey: string, ApiId: string, Stage: string) => env.apigwv2.send(new CreateApiMappingCommand({ DomainName: host, ApiMappingKey, ApiId, Stage }));
  await map('orders', http, '$default');
  const v1 = await map('orders/v1', rest, 'dev');
  assert.deepEqual({ key: v1.ApiMappingKey, api: v1.ApiId, stage: v1.Stage }, { key: 'orders/v1', api: rest, stage: 'dev' });
  await map('orders/v1/items', http, 'beta');

  assert.deepEqual(await served(host, '/orders/x'), { rawPath: '/orders/x', stage: '$default' });
  assert.deepEqual(await served(host, '/orders/v1/pets'), { api: rest, stage: 'dev', resource: '/pets', path: '/orders/v1/pets' });
  assert.deepEqual(await served(host, '/orders/v1/items/7'), { rawPath: '/orders/v1/items/7', stage: 'beta' });
  assert.deepEqual(await served(host, '/orders/v1x'), { rawPath: '/orders/v1x', stage: '$default' }, 'whole segments only');
  assert.equal((await callDomain(env.url, host, '/ordersx')).status, 403);

  // The REST API calls list multi-level mappings too, and find one by its base path (sent as orders%2Fv1).
  assert.deepEqual((await env.apigwv2.send(new GetApiMappingsCommand({ DomainName: host }))).Items!.map((m) => m.ApiMappingKey), ['orders', 'orders/v1', 'orders/v1/items']);
  assert.deepEqual((await env.apigw.send(new GetBasePathMappingsCommand({ domainName: host }))).items!.map((m) => m.basePath), ['orders', 'orders/v1', 'orders/v1/items']);
  assert.deepEqual({ ...(await env.apigw.send(new GetBasePathMappingCommand({ domainName: host, basePath: 'orders/v1' }))), $metadata: undefined },
    { basePath: 'orders/v1', restApiId: rest, stage: 'dev', $metadata: undefined });
  const cli = await awsCli(env.server.url, ['apigateway', 'get-base-path-mapping', '--domain-name', host, '--base-path', 'orders/v1/items']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual(cli.json(), { basePath: 'orders/v1/items', restApiId: http, stage: 'beta' });

  // Promotion: the REST API's prod stage takes orders/v1 at once.
  const update = (input: Partial<UpdateApiMappingCommandInput>) =>
    env.apigwv2.send(new UpdateApiMappingCommand({ DomainName: host, ApiMappingId: v1.ApiMappingId!, ApiId: rest, ...input }));
  const promoted = await update({ Stage: 'prod' });
  assert.equal(promoted.$metadata.httpStatusCode, 200);
  assert.deepEqual({ key: promoted.ApiMappingKey, id: promoted.ApiMappingId, stage: promoted.Stage }, { key: 'orders/v1', id: v1.ApiMappingId, stage: 'prod' });
  assert.deepEqual(await served(host, '/orders/v1/pets'), { api: rest, stage: 'prod', resource: '/pets', path: '/orders/v1/pets' });
  // Moved to another key: the old paths fall to the shorter mapping.
  await update({ ApiMappingKey: 'orders/v2' });
  assert.deepEqual(await served(host, '/orders/v2/pets'), { api: rest, stage: 'prod', resource: '/pets', path: '/orders/v2/pets' });
  assert.deepEqual(await served(host, '/orders/v1/pets'), { rawPath: '/orders/v1/pets', stage: '$default' });

  // AWS's refusals.
  await expectAwsError(update({ ApiMappingKey: 'orders' }), 'ConflictException', 'Base path already exists for this domain name');
  await expectAwsError(update({ ApiMappingKey: 'orders//v3' }), 'BadRequestException', /^An ApiMapping key may contain only letters, numbers/);
  await expectAwsError(update({ ApiMappingKey: '/orders' }), 'BadRequestException', /^An ApiMapping key may contain only/);
  await expectAwsError(update({ ApiId: 'nope1234' }), 'NotFoundException', `Invalid API identifier specified ${testAccount}:nope1234`);
  await expectAwsError(update({ ApiId: rest, Stage: 'staging' }), 'BadRequestException', 'Invalid stage identifier specified');
  await expectAwsError(env.apigwv2.send(new UpdateApiMappingCommand({ DomainName: host, ApiMappingId: 'zzzzzz', ApiId: rest, Stage: 'dev' })),
    'NotFoundException', 'Invalid base path mapping identifier specified');
  await expectAwsError(env.apigwv2.send(new UpdateApiMappingCommand({ DomainName: 'missing.example.com', ApiMappingId: v1.ApiMappingId!, ApiId: rest })),
    'NotFoundException', 'Invalid domain name identifier specified');
  await expectAwsError(env.apigw.send(new UpdateRestDomainNameCommand({ domainName: host, patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_0' }] })),
    'BadRequestException', 'A domain name with multi-level base path mappings must stay REGIONAL with the TLS 1.2 security policy');

  // Another API: an HTTP API stage.
  await update({ ApiId: http, Stage: 'beta' });
  assert.deepEqual(await served(host, '/orders/v2/y'), { rawPath: '/orders/v2/y', stage: 'beta' });

  // UpdateDomainName (HTTP APIs) replaces the configuration's certificate; the mappings stay.
  const updated = await env.apigwv2.send(new UpdateDomainNameCommand({
    DomainName: host, DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/new', IpAddressType: 'dualstack' }],
  }));
  assert.equal(updated.DomainNameConfigurations![0].CertificateArn, 'arn:aws:acm:us-east-1:000000000000:certificate/new');
  assert.equal(updated.DomainNameConfigurations![0].IpAddressType, 'dualstack');
  assert.equal(updated.DomainNameConfigurations![0].EndpointType, 'REGIONAL');
  assert.deepEqual(await served(host, '/orders/v2/y'), { rawPath: '/orders/v2/y', stage: 'beta' });

  // The REST API calls delete a multi-level mapping by its base path.
  await env.apigw.send(new DeleteBasePathMappingCommand({ domainName: host, basePath: 'orders/v2' }));
  assert.deepEqual(await served(host, '/orders/v2/y'), { rawPath: '/orders/v2/y', stage: '$default' });
});

test('API mappings are managed on REGIONAL domains with TLS 1.2 only, as AWS refuses the others', async () => {
  const rest = await contextEchoApi(env.apigw, 'edge-rest');
  await env.apigw.send(new CreateRestDomainNameCommand({ domainName: 'edge-only.example.com' }));
  await expectAwsError(env.apigwv2.send(new CreateApiMappingCommand({ DomainName: 'edge-only.example.com', ApiId: rest, Stage: 'dev', ApiMappingKey: 'a/b' })),
    'BadRequestException', /^Only REGIONAL domain names can be managed through the API Gateway V2 API\./);
  await env.apigw.send(new CreateRestDomainNameCommand({ domainName: 'tls10.example.com', endpointConfiguration: { types: ['REGIONAL'] }, securityPolicy: 'TLS_1_0' }));
  await expectAwsError(env.apigwv2.send(new CreateApiMappingCommand({ DomainName: 'tls10.example.com', ApiId: rest, Stage: 'dev' })),
    'BadRequestException', /^Only REGIONAL domain names with a security policy of TLS 1.2 can be managed through the API Gateway V2 API\./);
  // Upgraded to TLS 1.2, the domain takes multi-level mappings.
  await env.apigw.send(new UpdateRestDomainNameCommand({ domainName: 'tls10.example.com', patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_2' }] }));
  await env.apigwv2.send(new CreateApiMappingCommand({ DomainName: 'tls10.example.com', ApiId: rest, Stage: 'dev', ApiMappingKey: 'shop/v1' }));
  assert.deepEqual(await served('tls10.example.com', '/shop/v1/pets'), { api: rest, stage: 'dev', resource: '/pets', path: '/shop/v1/pets' });
});
