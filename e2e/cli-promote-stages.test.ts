// `stagecraft promote --api` and `stagecraft rollback --api` against a real server: a REST API
// with two stages on different deployments promoted fully, as a canary and finished, rolled back;
// an HTTP API stage without automatic deployment; and the refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateDeploymentCommand, CreateRestApiCommand, GetStageCommand, GetTagsCommand, PutIntegrationCommand, PutIntegrationResponseCommand,
  PutMethodCommand, PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CreateApiCommand, CreateDeploymentCommand as CreateHttpDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand as CreateHttpStageCommand,
  GetStageCommand as GetHttpStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { httpGet, runCli, unique } from '../src/cli/testing.js';

const env = useServer();
const cli = (...args: string[]) => runCli(args, { endpoint: env.url });
let apiName: string;
let apiId: string;
let d1: string;
let d2: string;

/** Answers {"v": version} from GET / through a MOCK integration, deployed to `stage`. */
async function deployVersion(restApiId: string, root: string, version: number, stage: string): Promise<string> {
  await env.apigw.send(new PutIntegrationResponseCommand({ restApiId, resourceId: root, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': `{"v": ${version}}` } }));
  return (await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: stage }))).id!;
}

const stage = (name: string) => env.apigw.send(new GetStageCommand({ restApiId: apiId, stageName: name }));
const answer = async (name: string) => JSON.parse((await httpGet(`http://${apiId}.execute-api.localhost:${new URL(env.url).port}/${name}/`)).body).v as number;

env.setup(async () => {
  apiName = unique('stages');
  const api = await env.apigw.send(new CreateRestApiCommand({ name: apiName }));
  apiId = api.id!;
  const root = api.rootResourceId!;
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: root, httpMethod: 'GET', statusCode: '200' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: root, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  d1 = await deployVersion(apiId, root, 1, 'prod');
  d2 = await deployVersion(apiId, root, 2, 'dev');
});

test('promote --api points prod at the deployment dev serves, and prod answers like dev', async () => {
  assert.equal(await answer('prod'), 1);
  const run = await cli('promote', '--api', apiName, '--from', 'dev', '--to', 'prod');
  assert.equal(run.code, 0, run.output);
  assert.match(run.stdout, new RegExp(`Promoted ${apiName} \\(${apiId}\\) stage prod → deployment ${d2} \\(was ${d1}\\)`));
  assert.equal((await stage('prod')).deploymentId, d2);
  assert.equal(await answer('prod'), 2);
  const tags = await env.apigw.send(new GetTagsCommand({ resourceArn: `arn:aws:apigateway:us-east-1::/restapis/${apiId}/stages/prod` }));
  assert.equal(tags.tags?.['stagecraft:previous'], d1);
  const again = await cli('promote', '--api', apiId, '--from', 'dev', '--to', 'prod', '--json');
  assert.equal(again.json().action, 'unchanged');
});

test('rollback --api returns prod to its previous deployment', async () => {
  const run = await cli('rollback', '--api', apiName, '--stage', 'prod', '--json');
  assert.equal(run.code, 0, run.output);
  assert.deepEqual({ ...(run.json() as object), api: undefined }, { api: undefined, stage: 'prod', action: 'rollback', before: d2, deploymentId: d1, remaining: [] });
  assert.equal((await stage('prod')).deploymentId, d1);
  assert.equal(await answer('prod'), 1);
  const none = await cli('rollback', '--api', apiName, '--stage', 'prod');
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no earlier deployment is recorded for stage prod/);
});

test('a 50% canary, shown by status, finished by promoting again; rollback cancels a running one', async () => {
  const canary = await cli('promote', '--api', apiName, '--from', 'dev', '--to', 'prod', '--canary', '50%');
  assert.equal(canary.code, 0, canary.output);
  assert.match(canary.stdout, new RegExp(`sends 50% of its traffic to deployment ${d2} and the rest to ${d1}`));
  let prod = await stage('prod');
  assert.equal(prod.deploymentId, d1);
  assert.deepEqual([prod.canarySettings?.deploymentId, prod.canarySettings?.percentTraffic], [d2, 50]);
  const status = await cli('status', '--api', apiId);
  assert.match(status.stdout, new RegExp(`${d1} \\+ canary 50% → ${d2}`));
  assert.deepEqual((await cli('status', '--api', apiId, '--json')).json().apis[0].stages.find((s: any) => s.name === 'prod').canary, { deploymentId: d2, percentTraffic: 50 });

  const cancelled = await cli('rollback', '--api', apiName, '--stage', 'prod');
  assert.equal(cancelled.code, 0, cancelled.output);
  assert.match(cancelled.stdout, /Cancelled the canary/);
  prod = await stage('prod');
  assert.equal(prod.canarySettings, undefined);
  assert.equal(prod.deploymentId, d1);

  await cli('promote', '--api', apiName, '--from', 'dev', '--to', 'prod', '--canary', '50');
  const finished = await cli('promote', '--api', apiName, '--from', 'dev', '--to', 'prod');
  assert.equal(finished.code, 0, finished.output);
  assert.match(finished.stdout, /Promoted the canary/);
  prod = await stage('prod');
  assert.equal(prod.deploymentId, d2);
  assert.equal(prod.canarySettings, undefined);
  assert.equal(await answer('prod'), 2);
});

test('a missing target stage is created without variables', async () => {
  const run = await cli('promote', '--api', apiName, '--from', 'dev', '--to', 'qa', '--json');
  assert.equal(run.code, 0, run.output);
  assert.equal(run.json().action, 'create');
  const qa = await stage('qa');
  assert.equal(qa.deploymentId, d2);
  assert.equal(qa.variables, undefined);
});

test('an HTTP API stage without automatic deployment is promoted; an autoDeploy stage is refused', async () => {
  const name = unique('http-stages');
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }));
  const integration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: 'http://127.0.0.1:9/', PayloadFormatVersion: '1.0' }));
  await env.apigwv2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /x', Target: `integrations/${integration.IntegrationId}` }));
  const h1 = (await env.apigwv2.send(new CreateHttpDeploymentCommand({ ApiId: api.ApiId }))).DeploymentId!;
  const h2 = (await env.apigwv2.send(new CreateHttpDeploymentCommand({ ApiId: api.ApiId }))).DeploymentId!;
  await env.apigwv2.send(new CreateHttpStageCommand({ ApiId: api.ApiId, StageName: 'dev', DeploymentId: h2 }));
  await env.apigwv2.send(new CreateHttpStageCommand({ ApiId: api.ApiId, StageName: 'prod', DeploymentId: h1 }));
  await env.apigwv2.send(new CreateHttpStageCommand({ ApiId: api.ApiId, StageName: 'auto', AutoDeploy: true }));

  const run = await cli('promote', '--api', name, '--from', 'dev', '--to', 'prod');
  assert.equal(run.code, 0, run.output);
  assert.equal((await env.apigwv2.send(new GetHttpStageCommand({ ApiId: api.ApiId, StageName: 'prod' }))).DeploymentId, h2);
  const back = await cli('rollback', '--api', api.ApiId!, '--stage', 'prod');
  assert.equal(back.code, 0, back.output);
  assert.equal((await env.apigwv2.send(new GetHttpStageCommand({ ApiId: api.ApiId, StageName: 'prod' }))).DeploymentId, h1);

  const auto = await cli('promote', '--api', name, '--from', 'dev', '--to', 'auto');
  assert.equal(auto.code, 1);
  assert.match(auto.stderr, /stage auto has automatic deployment on/);
  const canary = await cli('promote', '--api', name, '--from', 'dev', '--to', 'prod', '--canary', '10%');
  assert.match(canary.stderr, /HTTP APIs have no canary deployments/);

  // status lists the HTTP API's stages with their deployments, auto-deploy and invoke URLs.
  const port = new URL(env.url).port;
  const shown = (await cli('status', '--api', name, '--json')).json().apis;
  assert.deepEqual(shown.map((a: any) => [a.id, a.kind]), [[api.ApiId, 'HTTP']]);
  assert.deepEqual(shown[0].stages.map((s: any) => [s.name, s.deploymentId, s.autoDeploy, s.url]), [
    ['auto', (await env.apigwv2.send(new GetHttpStageCommand({ ApiId: api.ApiId, StageName: 'auto' }))).DeploymentId, true, `http://${api.ApiId}.execute-api.localhost:${port}/auto/`],
    ['dev', h2, false, `http://${api.ApiId}.execute-api.localhost:${port}/dev/`],
    ['prod', h1, false, `http://${api.ApiId}.execute-api.localhost:${port}/prod/`],
  ]);
  const table = await cli('status', '--api', name, '--no-color');
  assert.match(table.stdout, new RegExp(`${name} +${api.ApiId} +HTTP +auto `));
  assert.match(table.stdout, /\(auto-deploy\)/);
});

test('status lists WebSocket API stages with their ws:// URLs', async () => {
  const name = unique('ws-status');
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: name, ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
  await env.apigwv2.send(new CreateHttpStageCommand({ ApiId: api.ApiId, StageName: 'live', AutoDeploy: true, StageVariables: { env: 'prod' } }));
  const shown = (await cli('status', '--api', api.ApiId!, '--json')).json().apis;
  assert.equal(shown[0].kind, 'WEBSOCKET');
  assert.deepEqual(shown[0].stages.map((s: any) => [s.name, s.variables, s.url]), [['live', { env: 'prod' }, `ws://${api.ApiId}.execute-api.localhost:${new URL(env.url).port}/live`]]);
});

test('refusals: unknown API, ambiguous name, unknown stage, missing options', async () => {
  const unknown = await cli('promote', '--api', 'no-such-api', '--from', 'dev', '--to', 'prod', '--json');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /there is no REST, HTTP or WebSocket API named no-such-api/);
  assert.equal(unknown.json().error.type, 'NotFoundException');

  const twin = unique('twin');
  const a = await env.apigw.send(new CreateRestApiCommand({ name: twin }));
  const b = await env.apigw.send(new CreateRestApiCommand({ name: twin }));
  const ambiguous = await cli('promote', '--api', twin, '--from', 'dev', '--to', 'prod');
  assert.equal(ambiguous.code, 1);
  assert.match(ambiguous.stderr, new RegExp(`2 APIs are named ${twin}`));
  assert.match(ambiguous.stderr, new RegExp(a.id!));
  assert.match(ambiguous.stderr, new RegExp(b.id!));

  const noStage = await cli('promote', '--api', apiName, '--from', 'staging', '--to', 'prod');
  assert.match(noStage.stderr, new RegExp(`API ${apiName} has no stage staging\\. Its stages: `));
  const noRollbackStage = await cli('rollback', '--api', apiName, '--stage', 'nope');
  assert.match(noRollbackStage.stderr, new RegExp(`API ${apiName} has no stage nope\\.`));
  const missing = await cli('rollback', '--api', apiName);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--stage is required/);
  const stageWithoutApi = await cli('rollback', 'some-fn', '--stage', 'prod');
  assert.equal(stageWithoutApi.code, 2);
  assert.match(stageWithoutApi.stderr, /--stage rolls back an API stage and needs --api/);
});
