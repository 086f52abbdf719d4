// Deployments and stages end to end through the AWS SDK v3 and the AWS CLI: deployments freeze
// the API (later edits are not in them), CreateDeployment creates or updates a stage, a deployment
// a stage uses cannot be deleted, stage PATCH operations (variables, method settings, access logs,
// canary), and all of it surviving a server restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, CreateStageCommand, DeleteDeploymentCommand,
  DeleteRestApiCommand, DeleteStageCommand, GetDeploymentCommand, GetDeploymentsCommand, GetResourcesCommand, GetRestApiCommand,
  GetStageCommand, GetStagesCommand, GetTagsCommand, PutIntegrationCommand, PutMethodCommand, TagResourceCommand, UpdateDeploymentCommand,
  UpdateStageCommand, type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import { testRegion } from '../src/testing/server.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

/** An API with GET / wired to a MOCK integration, ready to deploy. */
async function deployableApi(name: string) {
  const api = await env.apigw.send(new CreateRestApiCommand({ name }));
  await env.apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK' }));
  return { id: api.id!, root: api.rootResourceId! };
}

const updateStage = (restApiId: string, stageName: string, ...patchOperations: PatchOperation[]) =>
  env.apigw.send(new UpdateStageCommand({ restApiId, stageName, patchOperations }));

test('an API without methods, or with a method lacking an integration, cannot be deployed', async () => {
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'empty' }));
  await expectAwsError(env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' })), 'BadRequestException', "The REST API doesn't contain any methods");
  await env.apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await expectAwsError(env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id })), 'BadRequestException', 'No integration defined for method');
  assert.deepEqual((await env.apigw.send(new GetStagesCommand({ restApiId: api.id }))).item, []);
  await expectAwsError(env.apigw.send(new CreateDeploymentCommand({ restApiId: 'nope' })), 'NotFoundException', 'Invalid API identifier specified 000000000000:nope');
});

test('a deployment is a snapshot: later changes to the API are not in it', async () => {
  const api = await deployableApi('snapshot');
  const d1 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', description: 'first' }));
  assert.equal(d1.$metadata.httpStatusCode, 201);
  assert.match(d1.id!, /^[a-z0-9]{10}$/);
  assert.equal(d1.description, 'first');

  // Change the API after deploying: a new resource with a method, and API key requirement on GET /.
  const pets = await env.apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.root, pathPart: 'pets' }));
  await env.apigw.send(new PutMethodCommand({ restApiId: api.id, resourceId: pets.id, httpMethod: 'POST', authorizationType: 'AWS_IAM', apiKeyRequired: true }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: pets.id, httpMethod: 'POST', type: 'MOCK' }));

  const summary1 = await env.apigw.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: d1.id, embed: ['apisummary'] }));
  assert.deepEqual(summary1.apiSummary, { '/': { GET: { authorizationType: 'NONE', apiKeyRequired: false } } });

  const d2 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  const summary2 = await env.apigw.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: d2.id, embed: ['apisummary'] }));
  assert.deepEqual(summary2.apiSummary, {
    '/': { GET: { authorizationType: 'NONE', apiKeyRequired: false } },
    '/pets': { POST: { authorizationType: 'AWS_IAM', apiKeyRequired: true } },
  });
  // The first deployment still holds only what it froze, and the stage now serves the second.
  const again = await env.apigw.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: d1.id, embed: ['apisummary'] }));
  assert.deepEqual(again.apiSummary, summary1.apiSummary);
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }))).deploymentId, d2.id);
  const plain = await env.apigw.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: d1.id }));
  assert.equal(plain.apiSummary, undefined);
});

test('CreateDeployment with stageName creates, then updates the stage', async () => {
  const api = await deployableApi('deploy-stage');
  const d1 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', stageDescription: 'production', variables: { a: '1', b: '2' } }));
  let stage = await env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' }));
  assert.equal(stage.deploymentId, d1.id);
  assert.equal(stage.description, 'production');
  assert.deepEqual(stage.variables, { a: '1', b: '2' });
  assert.equal(stage.cacheClusterEnabled, false);
  assert.equal(stage.cacheClusterStatus, 'NOT_AVAILABLE');
  assert.deepEqual(stage.methodSettings, {});
  assert.equal(stage.tracingEnabled, false);
  assert.ok(stage.createdDate instanceof Date && stage.lastUpdatedDate instanceof Date);

  const d2 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', variables: { b: '3' } }));
  stage = await env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' }));
  assert.equal(stage.deploymentId, d2.id);
  assert.deepEqual(stage.variables, { a: '1', b: '3' });
  assert.equal(stage.description, 'production');
  const list = await env.apigw.send(new GetDeploymentsCommand({ restApiId: api.id }));
  assert.deepEqual(list.items!.map((d) => d.id).sort(), [d1.id, d2.id].sort());
});

test("a deployment a stage uses can't be deleted", async () => {
  const api = await deployableApi('delete-deployment');
  const d1 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id }));
  const stage = await env.apigw.send(new CreateStageCommand({ restApiId: api.id, stageName: 's1', deploymentId: d1.id, description: 'my stage' }));
  assert.equal(stage.$metadata.httpStatusCode, 201);
  await expectAwsError(env.apigw.send(new DeleteDeploymentCommand({ restApiId: api.id, deploymentId: d1.id })), 'BadRequestException',
    'Active stages pointing to this deployment must be moved or deleted');
  const d2 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 's1' }));
  const deleted = await env.apigw.send(new DeleteDeploymentCommand({ restApiId: api.id, deploymentId: d1.id }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  await expectAwsError(env.apigw.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: d1.id })), 'NotFoundException', 'Invalid Deployment identifier specified');
  await expectAwsError(env.apigw.send(new DeleteDeploymentCommand({ restApiId: api.id, deploymentId: d2.id })), 'BadRequestException',
    'Active stages pointing to this deployment must be moved or deleted');
  await env.apigw.send(new DeleteStageCommand({ restApiId: api.id, stageName: 's1' }));
  await env.apigw.send(new DeleteDeploymentCommand({ restApiId: api.id, deploymentId: d2.id }));
  assert.deepEqual((await env.apigw.send(new GetDeploymentsCommand({ restApiId: api.id }))).items, []);
});

test('stages: create, list (by deployment), conflicts, delete', async () => {
  const api = await deployableApi('stages');
  const d1 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id }));
  const d2 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id }));
  await env.apigw.send(new CreateStageCommand({ restApiId: api.id, stageName: 'stage1', deploymentId: d1.id, variables: { v: 'x' }, tags: { t: '1' } }));
  await env.apigw.send(new CreateStageCommand({ restApiId: api.id, stageName: 'stage2', deploymentId: d2.id }));
  await expectAwsError(env.apigw.send(new CreateStageCommand({ restApiId: api.id, stageName: 'stage1', deploymentId: d1.id })), 'ConflictException', 'Stage already exists');
  await expectAwsError(env.apigw.send(new CreateStageCommand({ restApiId: api.id, stageName: 'stage3', deploymentId: 'missing' })), 'NotFoundException',
    'Invalid Deployment identifier specified');
  await expectAwsError(env.apigw.send(new CreateStageCommand({ restApiId: api.id, stageName: 'bad name', deploymentId: d1.id })), 'BadRequestException', /Stage name only allows/);

  const all = await env.apigw.send(new GetStagesCommand({ restApiId: api.id }));
  assert.deepEqual(all.item!.map((s) => s.stageName), ['stage1', 'stage2']);
  const byDeployment = await env.apigw.send(new GetStagesCommand({ restApiId: api.id, deploymentId: d2.id }));
  assert.deepEqual(byDeployment.item!.map((s) => s.stageName), ['stage2']);

  const arn = `arn:aws:apigateway:${testRegion}::/restapis/${api.id}/stages/stage1`;
  await env.apigw.send(new TagResourceCommand({ resourceArn: arn, tags: { u: '2' } }));
  assert.deepEqual((await env.apigw.send(new GetTagsCommand({ resourceArn: arn }))).tags, { t: '1', u: '2' });

  const deleted = await env.apigw.send(new DeleteStageCommand({ restApiId: api.id, stageName: 'stage1' }));
  assert.equal(deleted.$metadata.httpStatusCode, 202);
  await expectAwsError(env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'stage1' })), 'NotFoundException', 'Invalid Stage identifier specified');
  await expectAwsError(env.apigw.send(new DeleteStageCommand({ restApiId: api.id, stageName: 'stage1' })), 'NotFoundException', 'Invalid Stage identifier specified');
});

test('UpdateStage PATCH operations: variables, fields, method settings, access logs, deployment', async () => {
  const api = await deployableApi('update-stage');
  const d1 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 's1', variables: { keep: 'k', old: 'o' } }));
  const d2 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id }));

  let stage = await updateStage(api.id, 's1',
    { op: 'replace', path: '/description', value: 'stage new' },
    { op: 'replace', path: '/variables/var1', value: 'test' },
    { op: 'add', path: '/variables/var2', value: 'test2' },
    { op: 'remove', path: '/variables/old' },
    { op: 'replace', path: '/*/*/throttling/burstLimit', value: '123' },
    { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
    { op: 'replace', path: '/tracingEnabled', value: 'true' },
    { op: 'replace', path: '/test/GET/throttling/burstLimit', value: '124' },
  );
  assert.equal(stage.description, 'stage new');
  assert.deepEqual(stage.variables, { keep: 'k', var1: 'test', var2: 'test2' });
  assert.equal(stage.tracingEnabled, true);
  const defaults = {
    cacheDataEncrypted: false, cacheTtlInSeconds: 300, cachingEnabled: true, dataTraceEnabled: false, metricsEnabled: false,
    requireAuthorizationForCacheControl: true, throttlingRateLimit: 10000, unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
  };
  assert.deepEqual(stage.methodSettings, { '*/*': { ...defaults, throttlingBurstLimit: 123 }, 'test/GET': { ...defaults, throttlingBurstLimit: 124 } });
  // Changing */* later does not override what a method set itself.
  stage = await updateStage(api.id, 's1', { op: 'replace', path: '/*/*/throttling/burstLimit', value: '100' });
  assert.equal(stage.methodSettings!['test/GET'].throttlingBurstLimit, 124);
  assert.equal(stage.methodSettings!['*/*'].throttlingBurstLimit, 100);
  stage = await updateStage(api.id, 's1', { op: 'remove', path: '/*/*' }, { op: 'remove', path: '/test/GET' });
  assert.deepEqual(stage.methodSettings, {});
  await expectAwsError(updateStage(api.id, 's1', { op: 'remove', path: '/*/*' }), 'BadRequestException',
    'Cannot remove method setting */* because there is no method setting for this method ');
  await expectAwsError(updateStage(api.id, 's1', { op: 'replace', path: '/documentation_version', value: '123' }), 'BadRequestException',
    /^Invalid method setting path: \/documentation_version\. Must be one of: \[\/deploymentId, \/description, .*\/variables\/\{variable_name\}, \/tracingEnabled\]$/);

  stage = await updateStage(api.id, 's1', { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:000000000000:log-group:access' },
    { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' });
  assert.deepEqual(stage.accessLogSettings, { destinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:access', format: '$context.requestId' });
  await expectAwsError(updateStage(api.id, 's1', { op: 'add', path: '/accessLogSettings/randomValue', value: 'x' }), 'BadRequestException',
    'Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, /accessLogSettings/format]');
  await expectAwsError(updateStage(api.id, 's1', { op: 'replace', path: '/accessLogSettings/format', value: '' }), 'BadRequestException', 'Access Log value must not be empty');
  stage = await updateStage(api.id, 's1', { op: 'remove', path: '/accessLogSettings' });
  assert.equal(stage.accessLogSettings, undefined);

  stage = await updateStage(api.id, 's1', { op: 'replace', path: '/deploymentId', value: d2.id });
  assert.equal(stage.deploymentId, d2.id);
  await expectAwsError(updateStage(api.id, 's1', { op: 'replace', path: '/deploymentId', value: 'nope' }), 'BadRequestException', 'Deployment id does not exist');
  // The whole batch is rejected when one operation fails.
  await expectAwsError(updateStage(api.id, 's1', { op: 'replace', path: '/variables/half', value: 'x' }, { op: 'replace', path: '/nope', value: 'x' }),
    'BadRequestException', /Invalid method setting path: \/nope/);
  stage = await env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 's1' }));
  assert.equal(stage.variables!.half, undefined);
  assert.ok(d1.id);
  await expectAwsError(updateStage(api.id, 'missing', { op: 'replace', path: '/description', value: 'x' }), 'NotFoundException', 'Invalid Stage identifier specified');
});

test('canary settings: create with a deployment, promote with copy, remove', async () => {
  const api = await deployableApi('canary');
  const d1 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', variables: { testVar: 'default' } }));
  await expectAwsError(env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, canarySettings: { percentTraffic: 50 } })), 'BadRequestException',
    'Invalid deployment content specified.Non null and non empty stageName must be provided for canary deployment. Provided value is null');
  await expectAwsError(env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'non-existing', canarySettings: { percentTraffic: 50 } })), 'BadRequestException',
    'Invalid deployment content specified.Stage non-existing must already be created before making a canary release deployment');
  const d2 = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', canarySettings: { percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' } } }));
  let stage = await env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }));
  assert.equal(stage.deploymentId, d1.id);
  assert.deepEqual(stage.canarySettings, { deploymentId: d2.id, percentTraffic: 50, stageVariableOverrides: { testVar: 'canary' }, useStageCache: false });
  await expectAwsError(env.apigw.send(new DeleteDeploymentCommand({ restApiId: api.id, deploymentId: d2.id })), 'BadRequestException',
    'Active stages pointing to this deployment must be moved or deleted');

  stage = await updateStage(api.id, 'dev',
    { op: 'replace', path: '/canarySettings/percentTraffic', value: '0.0' },
    { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
    { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' });
  assert.equal(stage.deploymentId, d2.id);
  assert.deepEqual(stage.variables, { testVar: 'canary' });
  assert.equal(stage.canarySettings!.percentTraffic, 0);
  stage = await updateStage(api.id, 'dev', { op: 'remove', path: '/canarySettings' });
  assert.equal(stage.canarySettings, undefined);
  await expectAwsError(updateStage(api.id, 'dev', { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' }), 'BadRequestException',
    'Promotion not available. Canary does not exist.');
  await expectAwsError(updateStage(api.id, 'dev', { op: 'add', path: '/canarySettings/deploymentId', value: d1.id }), 'BadRequestException',
    'Invalid add operation with path: /canarySettings/deploymentId');
});

test('UpdateDeployment changes the description only', async () => {
  const api = await deployableApi('update-deployment');
  const d = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, description: 'v1' }));
  const updated = await env.apigw.send(new UpdateDeploymentCommand({ restApiId: api.id, deploymentId: d.id, patchOperations: [{ op: 'replace', path: '/description', value: 'v2' }] }));
  assert.equal(updated.description, 'v2');
  assert.equal((await env.apigw.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: d.id }))).description, 'v2');
  await expectAwsError(env.apigw.send(new UpdateDeploymentCommand({ restApiId: api.id, deploymentId: d.id, patchOperations: [{ op: 'replace', path: '/id', value: 'x' }] })),
    'BadRequestException', 'Invalid patch path /id');
});

test('the AWS CLI drives the same API (deploy, stage variables, errors)', async () => {
  const cli = (...args: string[]) => awsCli(env.server.url, ['apigateway', ...args]);
  const api = (await cli('create-rest-api', '--name', 'cli-api')).json();
  // This CLI's model predates rootResourceId in CreateRestApi's output, so look the root up.
  api.rootResourceId = (await cli('get-resources', '--rest-api-id', api.id)).json().items[0].id;
  const method = await cli('put-method', '--rest-api-id', api.id, '--resource-id', api.rootResourceId, '--http-method', 'GET', '--authorization-type', 'NONE');
  assert.equal(method.code, 0, method.stderr);
  const integration = await cli('put-integration', '--rest-api-id', api.id, '--resource-id', api.rootResourceId, '--http-method', 'GET', '--type', 'MOCK');
  assert.equal(integration.code, 0, integration.stderr);
  const deployment = (await cli('create-deployment', '--rest-api-id', api.id, '--stage-name', 'dev', '--variables', 'color=red')).json();
  assert.match(deployment.id, /^[a-z0-9]{10}$/);
  const updated = await cli('update-stage', '--rest-api-id', api.id, '--stage-name', 'dev', '--patch-operations', 'op=replace,path=/variables/color,value=blue');
  assert.equal(updated.code, 0, updated.stderr);
  assert.deepEqual(updated.json().variables, { color: 'blue' });
  const stages = (await cli('get-stages', '--rest-api-id', api.id)).json();
  assert.equal(stages.item[0].deploymentId, deployment.id);
  const missing = await cli('get-stage', '--rest-api-id', api.id, '--stage-name', 'nope');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /NotFoundException.*Invalid Stage identifier specified/);
  const resources = (await cli('get-resources', '--rest-api-id', api.id, '--embed', 'methods')).json();
  assert.equal(resources.items[0].resourceMethods.GET.methodIntegration.type, 'MOCK');
});

test('everything survives a restart, and a hard kill mid-way loses nothing committed', async () => {
  const api = await deployableApi('persistent');
  const pets = await env.apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.root, pathPart: 'pets' }));
  const d = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod', variables: { v: '1' } }));
  await updateStage(api.id, 'prod', { op: 'replace', path: '/variables/v', value: '2' });

  await env.restart({ crash: true });

  assert.equal((await env.apigw.send(new GetRestApiCommand({ restApiId: api.id }))).name, 'persistent');
  const resources = await env.apigw.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }));
  assert.deepEqual(resources.items!.map((r) => r.path), ['/', '/pets']);
  assert.equal(resources.items!.find((r) => r.id === pets.id)!.path, '/pets');
  assert.equal(resources.items![0].resourceMethods!.GET.methodIntegration!.type, 'MOCK');
  const stage = await env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' }));
  assert.equal(stage.deploymentId, d.id);
  assert.deepEqual(stage.variables, { v: '2' });
  const summary = await env.apigw.send(new GetDeploymentCommand({ restApiId: api.id, deploymentId: d.id, embed: ['apisummary'] }));
  assert.deepEqual(summary.apiSummary, { '/': { GET: { authorizationType: 'NONE', apiKeyRequired: false } } });

  // Deleting the API removes everything under it, and stays deleted after a restart.
  await env.apigw.send(new DeleteRestApiCommand({ restApiId: api.id }));
  await env.restart();
  await expectAwsError(env.apigw.send(new GetRestApiCommand({ restApiId: api.id })), 'NotFoundException', /Invalid API identifier specified/);
  await expectAwsError(env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' })), 'NotFoundException', /Invalid API identifier specified/);
});
