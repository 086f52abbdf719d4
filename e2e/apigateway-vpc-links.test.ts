// REST API VPC links end to end, through AWS's own APIGateway client and the AWS CLI: the links'
// lifecycle and AWS's refusals, a private integration (connectionType VPC_LINK) that calls a local
// HTTP server directly, its link named directly or by a stage variable, and the 500 a stage answers
// when its link does not exist.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateVpcLinkCommand, DeleteVpcLinkCommand, GetResourcesCommand, GetVpcLinkCommand,
  GetVpcLinksCommand, PutIntegrationCommand, PutMethodCommand, UpdateIntegrationCommand, UpdateVpcLinkCommand,
} from '@aws-sdk/client-api-gateway';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { startPrivateService, type PrivateService } from '../src/testing/private-service.js';
import { invokeHost } from '../src/execute-api/testing.js';

const env = useServer();
let backend: PrivateService;
let backendUrl: string;
const nlbArn = (name: string) => `arn:aws:elasticloadbalancing:${testRegion}:${testAccount}:loadbalancer/net/${name}/1234567890abcdef`;

env.setup(async () => {
  backend = await startPrivateService();
  backendUrl = backend.url;
});
after(() => backend?.close());

test('a VPC link: created available at once (202), read, listed by pages, renamed; AWS\'s refusals', async () => {
  const created = await env.apigw.send(new CreateVpcLinkCommand({ name: 'orders-link', description: 'to the orders NLB', targetArns: [nlbArn('orders')], tags: { team: 'orders' } }));
  assert.equal(created.$metadata.httpStatusCode, 202);
  assert.match(created.id!, /^[a-z0-9]{6}$/);
  assert.equal(created.status, 'AVAILABLE');
  assert.equal(created.statusMessage, 'Your vpc link is ready for use');
  assert.deepEqual(created.targetArns, [nlbArn('orders')]);
  assert.deepEqual(created.tags, { team: 'orders' });

  const other = await env.apigw.send(new CreateVpcLinkCommand({ name: 'plain-link', targetArns: [nlbArn('plain')] }));
  assert.equal(other.tags, undefined, 'no tags, none in the answer');
  const read = await env.apigw.send(new GetVpcLinkCommand({ vpcLinkId: other.id! }));
  assert.deepEqual({ ...read, $metadata: undefined }, {
    $metadata: undefined, id: other.id, name: 'plain-link', targetArns: [nlbArn('plain')], status: 'AVAILABLE', statusMessage: 'Your vpc link is ready for use', tags: {},
  });

  const first = await env.apigw.send(new GetVpcLinksCommand({ limit: 1 }));
  assert.equal(first.items?.length, 1);
  assert.ok(first.position);
  const rest = await env.apigw.send(new GetVpcLinksCommand({ position: first.position }));
  const ids = [...first.items!, ...rest.items!].map((l) => l.id);
  assert.ok(ids.includes(created.id) && ids.includes(other.id));

  const renamed = await env.apigw.send(new UpdateVpcLinkCommand({ vpcLinkId: other.id!, patchOperations: [
    { op: 'replace', path: '/name', value: 'plain-link-updated' }, { op: 'replace', path: '/description', value: 'now described' },
  ] }));
  assert.equal(renamed.name, 'plain-link-updated');
  assert.equal(renamed.description, 'now described');
  assert.deepEqual(renamed.tags, {});

  await expectAwsError(env.apigw.send(new CreateVpcLinkCommand({ name: 'bad', targetArns: ['invalid-arn'] })), 'BadRequestException', 'Invalid ARN. ARN is not well formed invalid-arn', 400);
  await expectAwsError(env.apigw.send(new CreateVpcLinkCommand({ name: '', targetArns: [nlbArn('x')] })), 'BadRequestException', 'Name cannot be empty', 400);
  await expectAwsError(env.apigw.send(new CreateVpcLinkCommand({ name: 'two', targetArns: [nlbArn('a'), nlbArn('b')] })), 'BadRequestException',
    'More than one target arn specified for vpc link.');
  await expectAwsError(env.apigw.send(new UpdateVpcLinkCommand({ vpcLinkId: other.id!, patchOperations: [{ op: 'add', path: '/targetArns', value: nlbArn('c') }] })),
    'BadRequestException', 'Target arns are not allowed to be changed/added.');
  for (const call of [
    () => env.apigw.send(new GetVpcLinkCommand({ vpcLinkId: 'nope42' })),
    () => env.apigw.send(new UpdateVpcLinkCommand({ vpcLinkId: 'nope42', patchOperations: [{ op: 'replace', path: '/name', value: 'x' }] })),
    () => env.apigw.send(new DeleteVpcLinkCommand({ vpcLinkId: 'nope42' })),
  ]) await expectAwsError(call(), 'NotFoundException', 'Invalid Vpc Link identifier specified', 404);

  const deleted = await env.apigw.send(new DeleteVpcLinkCommand({ vpcLinkId: other.id! }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  await expectAwsError(env.apigw.send(new GetVpcLinkCommand({ vpcLinkId: other.id! })), 'NotFoundException');
});

test('a private integration calls its URI from the server; its link must exist, to integrate and to be called, and cannot be deleted while deployed', async () => {
  const link = await env.apigw.send(new CreateVpcLinkCommand({ name: 'private-api-link', targetArns: [nlbArn('private')] }));
  const apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'private-integration-api' }))).id!;
  const rootId = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
  const method = async (pathPart: string) => {
    const resourceId = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart }))).id!;
    await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
    return resourceId;
  };
  const direct = await method('direct');
  const byVariable = await method('by-variable');
  const integration = (resourceId: string, connectionId: string) => env.apigw.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `${backendUrl}/orders`,
    connectionType: 'VPC_LINK', connectionId,
  }));

  await expectAwsError(integration(direct, 'nolink'), 'BadRequestException', 'Invalid VPC link identifier specified nolink', 400);
  const put = await integration(direct, link.id!);
  assert.equal(put.connectionType, 'VPC_LINK');
  assert.equal(put.connectionId, link.id);
  // A stage variable reference is kept as given (recorded) and resolved per request.
  assert.equal((await integration(byVariable, '${stageVariables.vpcLinkId}')).connectionId, '${stageVariables.vpcLinkId}');
  await expectAwsError(env.apigw.send(new UpdateIntegrationCommand({ restApiId: apiId, resourceId: direct, httpMethod: 'GET',
    patchOperations: [{ op: 'replace', path: '/connectionId', value: 'gone00' }] })), 'BadRequestException', 'Invalid VPC link identifier specified gone00');

  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'prod', variables: { vpcLinkId: link.id! } }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'broken', variables: { vpcLinkId: 'nolink' } }));

  const answer = await invokeHost(env.url, apiId, 'prod', '/direct');
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(answer.json(), { from: 'private-service', method: 'GET', url: '/orders' });
  assert.equal((await invokeHost(env.url, apiId, 'prod', '/by-variable')).json().from, 'private-service');
  // The stage variable names no link: AWS answers a broken private integration with 500.
  const broken = await invokeHost(env.url, apiId, 'broken', '/by-variable');
  assert.equal(broken.status, 500);
  assert.deepEqual(broken.json(), { message: 'Internal server error' });

  const refused = env.apigw.send(new DeleteVpcLinkCommand({ vpcLinkId: link.id! }));
  await expectAwsError(refused, 'BadRequestException', new RegExp(`^Cannot delete vpc link\\. Vpc link '${link.id}', is referenced in \\[.*${apiId}:GET:${direct}:prod.*\\] `
    + 'in format of \\[RESTApiId:Method:Resource:Stage\\]\\.$'), 400);
});

test('the AWS CLI: aws apigateway create-vpc-link, get-vpc-links; aws apigatewayv2 get-vpc-links', async () => {
  const created = await awsCli(env.url, ['apigateway', 'create-vpc-link', '--name', 'cli-link', '--target-arns', nlbArn('cli')]);
  assert.equal(created.code, 0, created.stderr);
  const link = created.json();
  assert.equal(link.name, 'cli-link');
  assert.equal(link.status, 'AVAILABLE');
  const listed = await awsCli(env.url, ['apigateway', 'get-vpc-links']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.ok(listed.json().items.some((l: { id: string }) => l.id === link.id));

  const v2 = await awsCli(env.url, ['apigatewayv2', 'create-vpc-link', '--name', 'cli-http-link', '--subnet-ids', 'subnet-0abc', 'subnet-0def', '--security-group-ids', 'sg-0123']);
  assert.equal(v2.code, 0, v2.stderr);
  assert.equal(v2.json().VpcLinkStatus, 'AVAILABLE');
  const v2Listed = await awsCli(env.url, ['apigatewayv2', 'get-vpc-links']);
  assert.equal(v2Listed.code, 0, v2Listed.stderr);
  const item = v2Listed.json().Items.find((l: { VpcLinkId: string }) => l.VpcLinkId === v2.json().VpcLinkId);
  assert.deepEqual({ ...item, CreatedDate: undefined }, {
    CreatedDate: undefined, Name: 'cli-http-link', SubnetIds: ['subnet-0abc', 'subnet-0def'], SecurityGroupIds: ['sg-0123'], Tags: {}, VpcLinkId: v2.json().VpcLinkId,
    VpcLinkStatus: 'AVAILABLE', VpcLinkStatusMessage: 'VPC link is ready to route traffic', VpcLinkVersion: 'V2',
  });
  const gone = await awsCli(env.url, ['apigateway', 'get-vpc-link', '--vpc-link-id', 'nope42']);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /NotFoundException.*Invalid Vpc Link identifier specified/);
});
