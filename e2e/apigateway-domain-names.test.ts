// Custom domain names end to end through the AWS SDK v3 and the AWS CLI: CreateDomainName and the
// base path mapping calls with AWS's answers and errors, then real requests whose Host is the
// domain, routed by base path to REST API stages ('(none)' taking the rest, a mapping without a
// stage taking it from the path, 403 Forbidden for paths no mapping takes), deletions taking
// effect at once, and all of it surviving a server restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBasePathMappingCommand, CreateDeploymentCommand, CreateDomainNameCommand, DeleteBasePathMappingCommand, DeleteDomainNameCommand, GetBasePathMappingCommand,
  GetBasePathMappingsCommand, GetDomainNameCommand, GetDomainNamesCommand, UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { testRegion } from '../src/testing/server.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';
import { httpCall, invokeHost, type HttpAnswer } from '../src/execute-api/testing.js';
import { callDomain, contextEchoApi } from '../src/testing/context-echo-api.js';

const env = useServer();

const onDomain = (host: string, target: string): Promise<HttpAnswer> => callDomain(env.url, host, target);

async function served(host: string, target: string) {
  const answer = await onDomain(host, target);
  assert.equal(answer.status, 200, `${target}: ${answer.text}`);
  return answer.json();
}

async function forbidden(host: string, target: string) {
  const answer = await onDomain(host, target);
  assert.equal(answer.status, 403, target);
  assert.deepEqual(answer.json(), { message: 'Forbidden' });
  assert.equal(answer.headers['x-amzn-errortype'], 'ForbiddenException');
}

test('CreateDomainName answers in AWS shape; names are unique and listed; errors as AWS words them', async () => {
  const regional = await env.apigw.send(new CreateDomainNameCommand({
    domainName: 'API.Regional.example.com', regionalCertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/abc',
    endpointConfiguration: { types: ['REGIONAL'] }, tags: { team: 'a' },
  }));
  assert.equal(regional.$metadata.httpStatusCode, 201);
  assert.equal(regional.domainName, 'api.regional.example.com');
  assert.match(regional.regionalDomainName!, new RegExp(`^d-[a-z0-9]{10}\\.execute-api\\.${testRegion}\\.amazonaws\\.com$`));
  assert.equal(regional.regionalCertificateArn, 'arn:aws:acm:us-east-1:000000000000:certificate/abc');
  assert.equal(regional.distributionDomainName, undefined);
  assert.deepEqual(regional.endpointConfiguration?.types, ['REGIONAL']);
  assert.equal(regional.domainNameStatus, 'AVAILABLE');
  assert.equal(regional.securityPolicy, 'TLS_1_2');
  assert.deepEqual(regional.tags, { team: 'a' });

  const edge = await env.apigw.send(new CreateDomainNameCommand({ domainName: 'edge.example.com', certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/e' }));
  assert.match(edge.distributionDomainName!, /^d[a-z0-9]{13}\.cloudfront\.net$/);
  assert.equal(edge.distributionHostedZoneId, 'Z2FDTNDATAQYW2');
  assert.ok(edge.certificateUploadDate instanceof Date);
  assert.deepEqual(edge.endpointConfiguration?.types, ['EDGE']);

  assert.deepEqual(await env.apigw.send(new GetDomainNameCommand({ domainName: 'edge.example.com' })).then(({ $metadata, ...d }) => d), (({ $metadata, ...d }) => d)(edge));
  const names = (await env.apigw.send(new GetDomainNamesCommand({}))).items!.map((d) => d.domainName);
  assert.ok(names.includes('api.regional.example.com') && names.includes('edge.example.com'));

  await expectAwsError(env.apigw.send(new CreateDomainNameCommand({ domainName: 'edge.example.com' })), 'ConflictException', 'The domain name you provided already exists.');
  await expectAwsError(env.apigw.send(new CreateDomainNameCommand({ domainName: 'not a name' })), 'BadRequestException', 'Invalid domain name: not a name');
  await expectAwsError(env.apigw.send(new GetDomainNameCommand({ domainName: 'missing.example.com' })), 'NotFoundException', 'Invalid domain name identifier specified');
  await env.apigw.send(new DeleteDomainNameCommand({ domainName: 'edge.example.com' }));
  await expectAwsError(env.apigw.send(new DeleteDomainNameCommand({ domainName: 'edge.example.com' })), 'NotFoundException', 'Invalid domain name identifier specified');
});

test('requests to a custom domain are routed by base path to API stages; mapping errors as AWS words them', async () => {
  const host = 'shop.example.com';
  const apiId = await contextEchoApi(env.apigw, 'shop');
  const other = await contextEchoApi(env.apigw, 'other');
  await env.apigw.send(new CreateDomainNameCommand({ domainName: host, endpointConfiguration: { types: ['REGIONAL'] } }));

  // Nothing is mapped yet: every path is refused as AWS refuses it.
  await forbidden(host, '/');
  await forbidden(host, '/v1/pets');

  const v1 = await env.apigw.send(new CreateBasePathMappingCommand({ domainName: host, basePath: 'v1', restApiId: apiId, stage: 'dev' }));
  assert.equal(v1.$metadata.httpStatusCode, 201);
  assert.deepEqual({ ...v1, $metadata: undefined }, { basePath: 'v1', restApiId: apiId, stage: 'dev', $metadata: undefined });
  await env.apigw.send(new CreateBasePathMappingCommand({ domainName: host, basePath: 'v2', restApiId: apiId, stage: 'prod' }));
  // A mapping without a stage: the stage is the next path segment.
  await env.apigw.send(new CreateBasePathMappingCommand({ domainName: host, basePath: 'any', restApiId: other }));

  assert.deepEqual(await served(host, '/v1/pets'), { api: apiId, stage: 'dev', resource: '/pets', path: '/v1/pets' });
  assert.deepEqual(await served(host, '/v2/pets?x=1'), { api: apiId, stage: 'prod', resource: '/pets', path: '/v2/pets' });
  assert.deepEqual(await served(host, '/v1'), { api: apiId, stage: 'dev', resource: '/', path: '/v1/' });
  assert.deepEqual(await served(host, '/any/prod/pets'), { api: other, stage: 'prod', resource: '/pets', path: '/any/prod/pets' });
  await forbidden(host, '/v3/pets');
  await forbidden(host, '/v1x/pets');

  // Through the AWS CLI: the mapping that takes every path no other mapping does.
  const cli = await awsCli(env.server.url, ['apigateway', 'create-base-path-mapping', '--domain-name', host, '--rest-api-id', other, '--stage', 'dev']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual(cli.json(), { basePath: '(none)', restApiId: other, stage: 'dev' });
  assert.deepEqual(await served(host, '/pets'), { api: other, stage: 'dev', resource: '/pets', path: '/pets' });
  assert.deepEqual(await served(host, '/'), { api: other, stage: 'dev', resource: '/', path: '/' });
  assert.deepEqual(await served(host, '/v1/pets'), { api: apiId, stage: 'dev', resource: '/pets', path: '/v1/pets' }, 'a named base path wins over (none)');

  const listed = await env.apigw.send(new GetBasePathMappingsCommand({ domainName: host }));
  assert.deepEqual(listed.items, [
    { basePath: '(none)', restApiId: other, stage: 'dev' },
    { basePath: 'any', restApiId: other },
    { basePath: 'v1', restApiId: apiId, stage: 'dev' },
    { basePath: 'v2', restApiId: apiId, stage: 'prod' },
  ]);
  const none = await env.apigw.send(new GetBasePathMappingCommand({ domainName: host, basePath: '(none)' }));
  assert.equal(none.restApiId, other);

  // AWS's refusals.
  const create = (input: { basePath?: string; restApiId: string; stage?: string }, domainName = host) =>
    env.apigw.send(new CreateBasePathMappingCommand({ domainName, ...input }));
  await expectAwsError(create({ basePath: 'v1', restApiId: apiId, stage: 'prod' }), 'ConflictException', 'Base path already exists for this domain name');
  await expectAwsError(create({ restApiId: apiId, stage: 'prod' }), 'ConflictException', 'Only one base path mapping is allowed if the base path is empty.');
  await expectAwsError(create({ basePath: 'v9', restApiId: 'nope', stage: 'dev' }), 'BadRequestException', 'Invalid REST API identifier specified');
  await expectAwsError(create({ basePath: 'v9', restApiId: apiId, stage: 'staging' }), 'BadRequestException', 'Invalid stage identifier specified');
  await expectAwsError(create({ basePath: 'a/b', restApiId: apiId, stage: 'dev' }), 'BadRequestException', /^API Gateway V1 doesn't support the slash character/);
  await expectAwsError(create({ basePath: 'a b', restApiId: apiId, stage: 'dev' }), 'BadRequestException', /base path may contain only/);
  await expectAwsError(create({ basePath: 'v9', restApiId: apiId }, 'missing.example.com'), 'NotFoundException', 'Invalid domain name identifier specified');
  await expectAwsError(env.apigw.send(new GetBasePathMappingCommand({ domainName: host, basePath: 'v9' })), 'NotFoundException', 'Invalid base path mapping identifier specified');

  // Deleting a mapping takes effect at once: /v1/pets now falls to (none), whose API has no such resource.
  await env.apigw.send(new DeleteBasePathMappingCommand({ domainName: host, basePath: 'v1' }));
  const fallen = await onDomain(host, '/v1/pets');
  assert.equal(fallen.status, 403);
  assert.deepEqual(fallen.json(), { message: 'Missing Authentication Token' });
  await expectAwsError(env.apigw.send(new DeleteBasePathMappingCommand({ domainName: host, basePath: 'v1' })), 'NotFoundException', 'Invalid base path mapping identifier specified');
  await env.apigw.send(new DeleteBasePathMappingCommand({ domainName: host, basePath: '(none)' }));
  await forbidden(host, '/v1/pets');
  await forbidden(host, '/pets');
  assert.deepEqual(await served(host, '/v2/pets'), { api: apiId, stage: 'prod', resource: '/pets', path: '/v2/pets' });

  // An API whose execute-api endpoint is disabled is still served on its custom domain.
  await env.apigw.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'replace', path: '/disableExecuteApiEndpoint', value: 'true' }] }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod' }));
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/pets')).status, 403);
  assert.deepEqual(await served(host, '/v2/pets'), { api: apiId, stage: 'prod', resource: '/pets', path: '/v2/pets' });

  // A call signed for an AWS API on a host that is also a domain name still reaches that API.
  const control = await httpCall(env.url, '/domainnames', { headers: {
    host: `${host}:${new URL(env.url).port}`,
    authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/${testRegion}/apigateway/aws4_request, SignedHeaders=host, Signature=00`,
  } });
  assert.equal(control.status, 200, control.text);
  assert.ok(control.json().item.some((d: { domainName: string }) => d.domainName === host));

  // The domain and its mappings survive a restart.
  await env.restart();
  assert.deepEqual(await served(host, '/v2/pets'), { api: apiId, stage: 'prod', resource: '/pets', path: '/v2/pets' });
  await forbidden(host, '/pets');

  // Deleting the domain takes its mappings: the host is no longer routed anywhere.
  await env.apigw.send(new DeleteDomainNameCommand({ domainName: host }));
  await forbidden(host, '/v2/pets');
  await expectAwsError(env.apigw.send(new GetBasePathMappingsCommand({ domainName: host })), 'NotFoundException', 'Invalid domain name identifier specified');
});
