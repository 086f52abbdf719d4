// The web console's promotion previews and stage actions (console/promotion-preview.js,
// console/stage-actions.js, run in Node as the browser gets them) against a real server: each
// preview (REST, HTTP and WebSocket stages included) is exactly what `stagecraft promote --dry-run
// --json` answers for the same promotion, and stage promotions and rollbacks made in the console
// and in the CLI continue each other's history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddPermissionCommand, CreateAliasCommand, PublishVersionCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetStageCommand, PutIntegrationCommand, PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CreateApiCommand, CreateDeploymentCommand as CreateHttpDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand as CreateHttpStageCommand,
  GetStageCommand as GetHttpStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { consoleModules } from '../src/testing/console-modules.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { nodeHandlerZip } from '../src/testing/zip.js';
import { runCli, unique } from '../src/cli/testing.js';
import { createWebSocketStages } from '../src/testing/websocket-stages.js';

const env = useServer();
const load = consoleModules(useTempDirs());
const cli = (...args: string[]) => runCli(args, { endpoint: env.url });
const client = async () => (await load('api.js')).createClient({ baseUrl: env.url });

test("a function's preview in the console is the CLI's dry run: a move, a canary, a new alias, nothing to change", async () => {
  const name = unique('preview-fn');
  await createNodeFunction(env.lambda, name, 'exports.handler = async () => 1;\n', { Environment: { Variables: { TOKEN: 'secret-one', GONE: 'x' } } });
  await env.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: await nodeHandlerZip('exports.handler = async () => 22;\n') }));
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: name });
  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 512, Timeout: 9, Environment: { Variables: { TOKEN: 'secret-two', NEW: 'y' } } }));
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: name });
  await env.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'dev', FunctionVersion: '2' }));
  await env.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'prod', FunctionVersion: '1' }));
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: name, Qualifier: 'dev', StatementId: 'api-dev', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/GET/x',
  }));
  const { previewFunctionPromotion } = await load('promotion-preview.js');
  const c = await client();

  const move = await previewFunctionPromotion(c, name, 'dev', 'prod');
  assert.deepEqual(move, (await cli('promote', name, '--from', 'dev', '--to', 'prod', '--dry-run', '--json')).json());
  assert.deepEqual(move.configuration.changes.map((x: any) => x.field), ['CodeSha256', 'CodeSize', 'MemorySize', 'Timeout']);
  assert.deepEqual(move.configuration.environment, { added: ['NEW'], removed: ['GONE'], changed: ['TOKEN'] });
  assert.doesNotMatch(JSON.stringify(move), /secret-/);
  assert.deepEqual(move.permissions, [{ statementId: 'api-dev', sourceArn: 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/GET/x', action: 'lambda:InvokeFunction' }]);

  assert.deepEqual(await previewFunctionPromotion(c, name, 'dev', 'prod', 0.1), (await cli('promote', name, '--from', 'dev', '--to', 'prod', '--canary', '10%', '--dry-run', '--json')).json());
  assert.deepEqual(await previewFunctionPromotion(c, name, 'dev', 'qa'), (await cli('promote', name, '--from', 'dev', '--to', 'qa', '--dry-run', '--json')).json());
  const same = await previewFunctionPromotion(c, name, '1', 'prod');
  assert.deepEqual([same.action, same.changes], ['unchanged', false]);
  assert.deepEqual(same, (await cli('promote', name, '--from', '1', '--to', 'prod', '--dry-run', '--json')).json());
});

test('REST and HTTP API stage previews in the console are the CLI dry run; console and CLI share the rollback history', async () => {
  const c = await client();
  const stages = await load('stage-actions.js');

  const name = unique('preview-rest');
  const rest = await env.apigw.send(new CreateRestApiCommand({ name }));
  const restApiId = rest.id!;
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: rest.rootResourceId!, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId, resourceId: rest.rootResourceId!, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  const d1 = (await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', description: 'one' }))).id!;
  const orders = await env.apigw.send(new CreateResourceCommand({ restApiId, parentId: rest.rootResourceId!, pathPart: 'orders' }));
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: orders.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId, resourceId: orders.id!, httpMethod: 'GET', type: 'MOCK' }));
  const d2 = (await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', description: 'two' }))).id!;
  const restApi = { kind: 'rest', id: restApiId, name };

  for (const args of [['dev', 'prod'], ['dev', 'qa'], ['dev', 'prod', 10]] as const) {
    const cliArgs = ['promote', '--api', name, '--from', args[0], '--to', args[1], '--dry-run', '--json', ...(args[2] ? ['--canary', `${args[2]}%`] : [])];
    assert.deepEqual(await stages.previewApiStagePromotion(c, restApi, args[0], args[1], args[2]), (await cli(...cliArgs)).json(), args.join(' '));
  }
  const restStage = async (stageName: string) => (await env.apigw.send(new GetStageCommand({ restApiId, stageName }))).deploymentId;
  assert.equal(await restStage('prod'), d1, 'no preview moved prod');

  // Promoted in the console, rolled back by the CLI; promoted by the CLI, rolled back in the console.
  assert.deepEqual((await stages.promoteApiStage(c, restApi, 'dev', 'prod')).action, 'promote');
  assert.equal(await restStage('prod'), d2);
  const back = await cli('rollback', '--api', restApiId, '--stage', 'prod', '--json');
  assert.equal(back.code, 0, back.output);
  assert.equal(back.json().deploymentId, d1);
  assert.equal((await cli('promote', '--api', restApiId, '--from', 'dev', '--to', 'prod')).code, 0);
  assert.deepEqual(await stages.rollbackApiStage(c, restApi, 'prod'), { api: restApi, stage: 'prod', action: 'rollback', before: d2, deploymentId: d1, remaining: [] });
  assert.equal(await restStage('prod'), d1);
  await assert.rejects(stages.rollbackApiStage(c, restApi, 'prod'), (e: any) => e.type === 'NothingToRollBack' && /no earlier deployment is recorded for stage prod/.test(e.message));

  // A canary from the console is cancelled by a rollback, as the CLI's is.
  assert.deepEqual((await stages.promoteApiStage(c, restApi, 'dev', 'prod', 25)), { api: restApi, from: 'dev', to: 'prod', action: 'canary', deploymentId: d2, before: d1, percentTraffic: 25 });
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).canarySettings?.percentTraffic, 25);
  assert.equal((await stages.rollbackApiStage(c, restApi, 'prod')).action, 'cancel-canary');
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).canarySettings, undefined);

  // An HTTP API.
  const httpName = unique('preview-http');
  const http = await env.apigwv2.send(new CreateApiCommand({ Name: httpName, ProtocolType: 'HTTP' }));
  const ApiId = http.ApiId!;
  const integration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: 'http://127.0.0.1:9/', PayloadFormatVersion: '1.0' }));
  await env.apigwv2.send(new CreateRouteCommand({ ApiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId}` }));
  const h1 = (await env.apigwv2.send(new CreateHttpDeploymentCommand({ ApiId }))).DeploymentId!;
  await env.apigwv2.send(new CreateRouteCommand({ ApiId, RouteKey: 'POST /items', Target: `integrations/${integration.IntegrationId}` }));
  const h2 = (await env.apigwv2.send(new CreateHttpDeploymentCommand({ ApiId }))).DeploymentId!;
  await env.apigwv2.send(new CreateHttpStageCommand({ ApiId, StageName: 'dev', DeploymentId: h2 }));
  await env.apigwv2.send(new CreateHttpStageCommand({ ApiId, StageName: 'prod', DeploymentId: h1 }));
  const httpApi = { kind: 'http', id: ApiId, name: httpName };
  const preview = await stages.previewApiStagePromotion(c, httpApi, 'dev', 'prod');
  assert.deepEqual(preview, (await cli('promote', '--api', ApiId, '--from', 'dev', '--to', 'prod', '--dry-run', '--json')).json());
  assert.deepEqual([preview.routes.added.map((r: any) => r.route), preview.routes.unchanged], [['POST /items'], 1]);
  await assert.rejects(stages.previewApiStagePromotion(c, httpApi, 'dev', 'prod', 10), /HTTP APIs have no canary deployments/);
  assert.equal((await stages.promoteApiStage(c, httpApi, 'dev', 'prod')).action, 'promote');
  assert.equal((await env.apigwv2.send(new GetHttpStageCommand({ ApiId, StageName: 'prod' }))).DeploymentId, h2);
  const httpBack = await cli('rollback', '--api', ApiId, '--stage', 'prod', '--json');
  assert.equal(httpBack.json().deploymentId, h1, httpBack.output);
});

test('a WebSocket API stage preview in the console is the CLI dry run; console and CLI share its rollback history', async () => {
  const c = await client();
  const stages = await load('stage-actions.js');
  const name = unique('preview-ws');
  const { apiId, one, two } = await createWebSocketStages(env.apigwv2, name);
  const wsApi = { kind: 'websocket', id: apiId, name };
  const preview = await stages.previewApiStagePromotion(c, wsApi, 'dev', 'prod');
  assert.deepEqual(preview, (await cli('promote', '--api', apiId, '--from', 'dev', '--to', 'prod', '--dry-run', '--json')).json());
  assert.deepEqual([preview.routes.added.map((r: any) => r.route), preview.routes.removed.map((r: any) => r.route), preview.routes.changed.map((r: any) => r.route)], [['join'], ['sendMessage'], ['$connect']]);
  await assert.rejects(stages.previewApiStagePromotion(c, wsApi, 'dev', 'prod', 10), /WebSocket APIs have no canary deployments/);
  const prod = async () => (await env.apigwv2.send(new GetHttpStageCommand({ ApiId: apiId, StageName: 'prod' }))).DeploymentId;
  assert.equal(await prod(), one, 'no preview moved prod');
  assert.equal((await stages.promoteApiStage(c, wsApi, 'dev', 'prod')).action, 'promote');
  assert.equal(await prod(), two);
  const back = await cli('rollback', '--api', apiId, '--stage', 'prod', '--json');
  assert.equal(back.json().deploymentId, one, back.output);
  assert.equal((await cli('promote', '--api', apiId, '--from', 'dev', '--to', 'prod')).code, 0);
  assert.deepEqual(await stages.rollbackApiStage(c, wsApi, 'prod'), { api: wsApi, stage: 'prod', action: 'rollback', before: two, deploymentId: one, remaining: [] });
  assert.equal(await prod(), one);
});
