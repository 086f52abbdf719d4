// Changing custom domains in place through the AWS SDK v3 and the AWS CLI: UpdateBasePathMapping
// re-points a base path at another stage or API (how a stage is promoted behind a domain) and
// requests sent with the domain as Host are served by the new target at once; mappings move to
// free base paths; UpdateDomainName replaces certificates, security policy and endpoint type;
// UpdateAccount sets the CloudWatch role GetAccount then answers. Errors as AWS words them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBasePathMappingCommand, CreateDomainNameCommand, GetAccountCommand, GetBasePathMappingsCommand, GetDomainNameCommand, UpdateAccountCommand,
  UpdateBasePathMappingCommand, UpdateDomainNameCommand, type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';
import { callDomain, contextEchoApi } from '../src/testing/context-echo-api.js';

const env = useServer();

async function served(host: string, target: string) {
  const answer = await callDomain(env.url, host, target);
  assert.equal(answer.status, 200, `${target}: ${answer.text}`);
  return answer.json();
}

const replace = (path: string, value?: string): PatchOperation => ({ op: 'replace', path, value });

test('UpdateBasePathMapping promotes a base path to another stage or API; requests by Host follow at once', async () => {
  const host = 'promote.example.com';
  const apiId = await contextEchoApi(env.apigw, 'orders');
  const other = await contextEchoApi(env.apigw, 'orders-next');
  await env.apigw.send(new CreateDomainNameCommand({ domainName: host, endpointConfiguration: { types: ['REGIONAL'] } }));
  await env.apigw.send(new CreateBasePathMappingCommand({ domainName: host, basePath: 'orders', restApiId: apiId, stage: 'dev' }));
  await env.apigw.send(new CreateBasePathMappingCommand({ domainName: host, basePath: 'admin', restApiId: apiId, stage: 'dev' }));
  assert.deepEqual(await served(host, '/orders/pets'), { api: apiId, stage: 'dev', resource: '/pets', path: '/orders/pets' });

  const update = (basePath: string, ...ops: PatchOperation[]) => env.apigw.send(new UpdateBasePathMappingCommand({ domainName: host, basePath, patchOperations: ops }));
  const promoted = await update('orders', replace('/stage', 'prod'));
  assert.equal(promoted.$metadata.httpStatusCode, 200);
  assert.deepEqual({ ...promoted, $metadata: undefined }, { basePath: 'orders', restApiId: apiId, stage: 'prod', $metadata: undefined });
  assert.deepEqual(await served(host, '/orders/pets'), { api: apiId, stage: 'prod', resource: '/pets', path: '/orders/pets' });

  // Through the AWS CLI: another API and stage in one call.
  const cli = await awsCli(env.server.url, ['apigateway', 'update-base-path-mapping', '--domain-name', host, '--base-path', 'orders',
    '--patch-operations', `op=replace,path=/restapiId,value=${other}`, 'op=replace,path=/stage,value=dev']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual(cli.json(), { basePath: 'orders', restApiId: other, stage: 'dev' });
  assert.deepEqual(await served(host, '/orders/pets'), { api: other, stage: 'dev', resource: '/pets', path: '/orders/pets' });

  // Moving to a free base path; the old one is no longer routed.
  await update('orders', replace('/basePath', 'shop'));
  assert.deepEqual(await served(host, '/shop/pets'), { api: other, stage: 'dev', resource: '/pets', path: '/shop/pets' });
  assert.equal((await callDomain(env.url, host, '/orders/pets')).status, 403);
  // Without a stage, the stage is the next path segment again.
  await update('shop', replace('/stage', ''));
  assert.deepEqual(await served(host, '/shop/prod/pets'), { api: other, stage: 'prod', resource: '/pets', path: '/shop/prod/pets' });
  assert.deepEqual((await env.apigw.send(new GetBasePathMappingsCommand({ domainName: host }))).items, [
    { basePath: 'admin', restApiId: apiId, stage: 'dev' }, { basePath: 'shop', restApiId: other },
  ]);

  // AWS's refusals; a refused update changes nothing.
  await expectAwsError(update('shop', replace('/basePath', 'admin')), 'ConflictException', 'Base path already exists for this domain name');
  await expectAwsError(update('shop', replace('/basePath', 'a/b')), 'BadRequestException',
    "API Gateway V1 doesn't support the slash character (/) in base path mappings. To create a multi-level base path mapping, use API Gateway V2.");
  await expectAwsError(update('shop', replace('/restapiId', 'nope')), 'BadRequestException', 'Invalid REST API identifier specified');
  await expectAwsError(update('shop', replace('/stage', 'staging')), 'BadRequestException', 'Invalid stage identifier specified');
  await expectAwsError(update('shop', replace('/description', 'x')), 'BadRequestException', 'Invalid patch path /description');
  await expectAwsError(update('shop', { op: 'add', path: '/stage', value: 'dev' }), 'BadRequestException', 'Invalid patch operation specified. Must be one of: [replace]');
  await expectAwsError(update('gone', replace('/stage', 'dev')), 'NotFoundException', 'Invalid base path mapping identifier specified');
  await expectAwsError(env.apigw.send(new UpdateBasePathMappingCommand({ domainName: 'missing.example.com', basePath: 'shop', patchOperations: [replace('/stage', 'dev')] })),
    'NotFoundException', 'Invalid domain name identifier specified');
  assert.deepEqual(await served(host, '/shop/prod/pets'), { api: other, stage: 'prod', resource: '/pets', path: '/shop/prod/pets' });

  // The '(none)' mapping is named '(none)', as AWS names it.
  await env.apigw.send(new CreateBasePathMappingCommand({ domainName: host, restApiId: apiId, stage: 'dev' }));
  await update('(none)', replace('/stage', 'prod'));
  assert.deepEqual(await served(host, '/pets'), { api: apiId, stage: 'prod', resource: '/pets', path: '/pets' });
  await expectAwsError(update('admin', replace('/basePath', '')), 'ConflictException', 'Only one base path mapping is allowed if the base path is empty.');

  await env.restart();
  assert.deepEqual(await served(host, '/pets'), { api: apiId, stage: 'prod', resource: '/pets', path: '/pets' });
});

test('UpdateDomainName replaces certificates, the security policy and the endpoint type', async () => {
  const domainName = 'migrate.example.com';
  const created = await env.apigw.send(new CreateDomainNameCommand({ domainName, certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/edge' }));
  const update = (...ops: PatchOperation[]) => env.apigw.send(new UpdateDomainNameCommand({ domainName, patchOperations: ops }));

  const secured = await update(replace('/securityPolicy', 'TLS_1_0'), replace('/certificateName', 'edge-cert'));
  assert.equal(secured.$metadata.httpStatusCode, 200);
  assert.equal(secured.securityPolicy, 'TLS_1_0');
  assert.equal(secured.certificateName, 'edge-cert');
  assert.equal(secured.distributionDomainName, created.distributionDomainName);

  // EDGE to REGIONAL, as AWS migrates a domain: a regional host name and certificate take over.
  const regional = await update(replace('/endpointConfiguration/types/EDGE', 'REGIONAL'),
    replace('/regionalCertificateArn', 'arn:aws:acm:us-east-1:000000000000:certificate/regional'), { op: 'remove', path: '/certificateArn' });
  assert.deepEqual(regional.endpointConfiguration?.types, ['REGIONAL']);
  assert.match(regional.regionalDomainName!, /^d-[a-z0-9]{10}\.execute-api\./);
  assert.equal(regional.distributionDomainName, undefined);
  assert.equal(regional.certificateArn, undefined);
  assert.equal(regional.regionalCertificateArn, 'arn:aws:acm:us-east-1:000000000000:certificate/regional');
  const { $metadata: _, ...stored } = await env.apigw.send(new GetDomainNameCommand({ domainName }));
  assert.deepEqual(stored, (({ $metadata: __, ...d }) => d)(regional));

  await expectAwsError(update(replace('/domainName', 'x.example.com')), 'BadRequestException', 'Invalid patch path /domainName');
  await expectAwsError(update(replace('/securityPolicy', 'TLS_9')), 'BadRequestException', 'Invalid securityPolicy: TLS_9. Must be one of: [TLS_1_0, TLS_1_2]');
  await expectAwsError(update(replace('/endpointConfiguration/types/0', 'PRIVATE')), 'BadRequestException', 'Private custom domain names are not supported');
  await expectAwsError(env.apigw.send(new UpdateDomainNameCommand({ domainName: 'missing.example.com', patchOperations: [] })),
    'NotFoundException', 'Invalid domain name identifier specified');
});

test('UpdateAccount sets the CloudWatch role GetAccount answers, per region, across restarts', async () => {
  const before = await env.apigw.send(new GetAccountCommand({}));
  assert.equal(before.cloudwatchRoleArn, undefined);
  assert.deepEqual(before.throttleSettings, { burstLimit: 5000, rateLimit: 10000 });

  const role = 'arn:aws:iam::000000000000:role/apigateway-logs';
  const updated = await env.apigw.send(new UpdateAccountCommand({ patchOperations: [replace('/cloudwatchRoleArn', role)] }));
  assert.equal(updated.cloudwatchRoleArn, role);
  assert.deepEqual(updated.features, ['UsagePlans']);

  const cli = await awsCli(env.server.url, ['apigateway', 'get-account']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(cli.json().cloudwatchRoleArn, role);
  const elsewhere = await awsCli(env.server.url, ['apigateway', 'get-account', '--region', 'eu-west-3']);
  assert.equal(elsewhere.json().cloudwatchRoleArn, undefined, 'kept per region');

  await expectAwsError(env.apigw.send(new UpdateAccountCommand({ patchOperations: [replace('/throttle/rateLimit', '1')] })),
    'BadRequestException', 'Invalid patch path /throttle/rateLimit');
  await env.restart();
  assert.equal((await env.apigw.send(new GetAccountCommand({}))).cloudwatchRoleArn, role);
  const cleared = await env.apigw.send(new UpdateAccountCommand({ patchOperations: [replace('/cloudwatchRoleArn', '')] }));
  assert.equal(cleared.cloudwatchRoleArn, undefined);
});
