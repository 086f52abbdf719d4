// `stagecraft promote --dry-run` against a real server: for a function (the hello-lambda example,
// a new alias, a move, a canary) and for REST and HTTP API stages, the preview names what would
// change and the server is exactly as it was afterwards.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, GetPolicyCommand, ListTagsCommand } from '@aws-sdk/client-lambda';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetStageCommand, GetStagesCommand, GetTagsCommand,
  PutIntegrationCommand, PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CreateApiCommand, CreateDeploymentCommand as CreateHttpDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand,
  CreateStageCommand as CreateHttpStageCommand, DeleteRouteCommand, GetStagesCommand as GetHttpStagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { repoRoot } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, unique } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();
let dir: string;

before(() => {
  dir = dirs.make('stagecraft-dry-run-');
  cpSync(join(repoRoot, 'examples', 'hello-lambda'), dir, { recursive: true });
});

const cli = (...args: string[]) => runCli(args, { cwd: dir, endpoint: env.url });
const FN_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:hello-lambda';

/** Everything a function promotion could touch: the aliases, prod's policy, the history tags. */
async function functionState(): Promise<unknown> {
  const read = async <T>(f: () => Promise<T>) => f().then((v) => ({ ...v, $metadata: undefined }), (e: Error) => e.name);
  return {
    dev: await read(() => env.lambda.send(new GetAliasCommand({ FunctionName: 'hello-lambda', Name: 'dev' }))),
    prod: await read(() => env.lambda.send(new GetAliasCommand({ FunctionName: 'hello-lambda', Name: 'prod' }))),
    policy: await read(() => env.lambda.send(new GetPolicyCommand({ FunctionName: 'hello-lambda', Qualifier: 'prod' }))),
    tags: (await env.lambda.send(new ListTagsCommand({ Resource: FN_ARN }))).Tags,
  };
}

function editTemplate(edit: (text: string) => string): void {
  const file = join(dir, 'template.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

test('a function: the preview of a new alias, then of a move with a configuration diff, changes nothing', async () => {
  const deployed = await cli('deploy');
  assert.equal(deployed.code, 0, deployed.output);

  let state = await functionState();
  const create = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod', '--dry-run');
  assert.equal(create.code, 0, create.output);
  assert.match(create.stdout, /Would create alias hello-lambda:prod → version 1 \(the version dev runs\)/);
  assert.match(create.stdout, /API Gateway permissions hello-lambda:dev has that would be copied to hello-lambda:prod:\n {2}stagecraft-\S+ {2}lambda:InvokeFunction {2}arn:aws:execute-api:us-east-1:000000000000:\w+\/\*\/GET\/hello/);
  assert.match(create.stdout, /Dry run: nothing was changed/);
  assert.deepEqual(await functionState(), state, 'the dry run created nothing');
  assert.equal((state as { prod: unknown }).prod, 'ResourceNotFoundException');

  assert.equal((await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod')).code, 0);

  // Version 2: new code, more memory, one variable changed and one added.
  appendFileSync(join(dir, 'src', 'index.js'), '\n// version 2\n');
  editTemplate((t) => t.replace('MemorySize: 128', 'MemorySize: 256')
    .replace('Default: Hello from Lambda!', 'Default: a secret greeting')
    .replace('GREETING: !Ref Greeting', 'GREETING: !Ref Greeting\n          NEW_SETTING: hidden-value'));
  assert.equal((await cli('deploy')).code, 0);

  state = await functionState();
  const move = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod', '--dry-run', '--no-color');
  assert.equal(move.code, 0, move.output);
  assert.match(move.stdout, /Would point hello-lambda:prod → version 2 \(now version 1\)/);
  assert.match(move.stdout, /Configuration, version 1 → version 2:/);
  assert.match(move.stdout, /CodeSha256\s+\S+\s+→\s+\S+/);
  assert.match(move.stdout, /MemorySize\s+128\s+→\s+256/);
  assert.match(move.stdout, /Environment variables: added NEW_SETTING; changed GREETING \(values not shown\)/);
  assert.doesNotMatch(move.stdout, /secret greeting|hidden-value|Hello from Lambda/, 'no variable value is printed');
  assert.doesNotMatch(move.stdout, /permissions/, 'prod already has the grant');

  const json = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod', '--dry-run', '--json');
  assert.equal(json.code, 0, json.output);
  const preview = json.json();
  assert.equal(preview.dryRun, true);
  assert.equal(preview.action, 'move');
  assert.deepEqual([preview.current, preview.target], [{ version: '1', weights: {} }, { version: '2', weights: {} }]);
  assert.deepEqual(preview.configuration.changes.map((c: any) => c.field), ['CodeSha256', 'CodeSize', 'MemorySize']);
  assert.deepEqual(preview.configuration.environment, { added: ['NEW_SETTING'], removed: [], changed: ['GREETING'] });
  assert.deepEqual(preview.permissions, []);
  assert.equal(preview.changes, true);
  assert.doesNotMatch(json.stdout, /secret greeting|hidden-value/);

  const canary = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod', '--canary', '10%', '--dry-run', '--json');
  assert.equal(canary.code, 0, canary.output);
  assert.deepEqual([canary.json().action, canary.json().target], ['canary', { version: '1', weights: { '2': 0.1 } }]);
  const canaryText = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod', '--canary', '10%', '--dry-run');
  assert.match(canaryText.stdout, /Would send 10% of hello-lambda:prod's traffic to version 2 and the rest to version 1 \(now version 1\)/);
  assert.deepEqual(await functionState(), state, 'no dry run moved prod, copied a grant or wrote history');
});

test('a function with nothing to promote says so and exits 0', async () => {
  assert.equal((await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod')).code, 0);
  const same = await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod', '--dry-run');
  assert.equal(same.code, 0, same.output);
  assert.match(same.stdout, /hello-lambda:prod already runs version 2; nothing to change\./);
  assert.doesNotMatch(same.stdout, /Dry run/);
  assert.equal((await cli('promote', 'hello-lambda', '--from', 'dev', '--to', 'prod', '--dry-run', '--json')).json().changes, false);
  const bad = await cli('promote', 'hello-lambda', '--from', 'qa', '--to', 'prod', '--dry-run');
  assert.equal(bad.code, 1, 'the same refusals as a real promotion');
  assert.match(bad.stderr, /function hello-lambda has no alias qa \(--from\)/);
});

test('a REST API stage: deployments, routes added and changed, and stage variables kept; nothing changes', async () => {
  const name = unique('dry-rest');
  const api = await env.apigw.send(new CreateRestApiCommand({ name }));
  const restApiId = api.id!;
  const root = api.rootResourceId!;
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId, resourceId: root, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  const d1 = (await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod', description: 'first', variables: { backend: 'prod-db' } }))).id!;
  const added = await env.apigw.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: 'orders' }));
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: added.id!, httpMethod: 'POST', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId, resourceId: added.id!, httpMethod: 'POST', type: 'HTTP_PROXY', integrationHttpMethod: 'POST', uri: 'http://127.0.0.1:9/orders' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId, resourceId: root, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 201}' } }));
  const d2 = (await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'dev', description: 'second' }))).id!;

  const stagesNow = async () => ({
    stages: (await env.apigw.send(new GetStagesCommand({ restApiId }))).item,
    tags: (await env.apigw.send(new GetTagsCommand({ resourceArn: `arn:aws:apigateway:us-east-1::/restapis/${restApiId}/stages/prod` }))).tags,
  });
  const state = await stagesNow();

  const run = await cli('promote', '--api', name, '--from', 'dev', '--to', 'prod', '--dry-run', '--no-color');
  assert.equal(run.code, 0, run.output);
  assert.match(run.stdout, new RegExp(`Would point ${name} \\(${restApiId}\\) stage prod → deployment ${d2} \\("second", created \\S+Z\\) \\(now ${d1} \\("first", created \\S+Z\\)\\)`));
  assert.match(run.stdout, /\+ POST \/orders {2}→ http_proxy POST http:\/\/127\.0\.0\.1:9\/orders/);
  assert.match(run.stdout, /~ GET \/ {2}\(integration\.requestTemplates\)/);
  assert.match(run.stdout, /Stage variables: prod keeps its own/);

  const json = (await cli('promote', '--api', restApiId, '--from', 'dev', '--to', 'prod', '--dry-run', '--json')).json();
  assert.deepEqual([json.kind, json.action, json.current.id, json.target.id, json.target.description], ['api-stage', 'promote', d1, d2, 'second']);
  assert.deepEqual(json.routes.added, [{ route: 'POST /orders', integration: 'http_proxy POST http://127.0.0.1:9/orders' }]);
  assert.deepEqual(json.routes.removed, []);
  assert.deepEqual(json.routes.changed.map((c: any) => [c.route, c.fields]), [['GET /', ['integration.requestTemplates']]]);
  assert.deepEqual(json.stageVariables, { effect: 'kept', overrides: [] });

  const canary = (await cli('promote', '--api', name, '--from', 'dev', '--to', 'prod', '--canary', '10%', '--dry-run', '--json')).json();
  assert.deepEqual([canary.action, canary.percentTraffic, canary.routes.added.length], ['canary', 10, 1]);
  const create = (await cli('promote', '--api', name, '--from', 'dev', '--to', 'qa', '--dry-run', '--json')).json();
  assert.deepEqual([create.action, create.current, create.routes.added.map((r: any) => r.route)], ['create', null, ['GET /', 'POST /orders']]);
  assert.equal(create.stageVariables.effect, 'none');

  assert.deepEqual(await stagesNow(), state, 'no stage was created, moved, given a canary or tagged');
  await assert.rejects(env.apigw.send(new GetStageCommand({ restApiId, stageName: 'qa' })), /NotFound|Invalid stage/);
});

test('an HTTP API stage: routes added and removed; an autoDeploy stage is refused as the promotion refuses it', async () => {
  const name = unique('dry-http');
  const api = await env.apigwv2.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }));
  const ApiId = api.ApiId!;
  const integration = await env.apigwv2.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: 'http://127.0.0.1:9/', PayloadFormatVersion: '1.0' }));
  const old = await env.apigwv2.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /old', Target: `integrations/${integration.IntegrationId}` }));
  const h1 = (await env.apigwv2.send(new CreateHttpDeploymentCommand({ ApiId, Description: 'one' }))).DeploymentId!;
  await env.apigwv2.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /new', Target: `integrations/${integration.IntegrationId}` }));
  await env.apigwv2.send(new DeleteRouteCommand({ ApiId, RouteId: old.RouteId }));
  const h2 = (await env.apigwv2.send(new CreateHttpDeploymentCommand({ ApiId, Description: 'two' }))).DeploymentId!;
  await env.apigwv2.send(new CreateHttpStageCommand({ ApiId, StageName: 'dev', DeploymentId: h2 }));
  await env.apigwv2.send(new CreateHttpStageCommand({ ApiId, StageName: 'prod', DeploymentId: h1 }));
  await env.apigwv2.send(new CreateHttpStageCommand({ ApiId, StageName: 'auto', AutoDeploy: true }));
  const stagesNow = async () => (await env.apigwv2.send(new GetHttpStagesCommand({ ApiId }))).Items;
  const state = await stagesNow();

  const json = await cli('promote', '--api', name, '--from', 'dev', '--to', 'prod', '--dry-run', '--json');
  assert.equal(json.code, 0, json.output);
  const p = json.json();
  assert.deepEqual([p.api.kind, p.action, p.current.id, p.current.description, p.target.id], ['http', 'promote', h1, 'one', h2]);
  assert.deepEqual(p.routes.added.map((r: any) => r.route), ['GET /new']);
  assert.deepEqual(p.routes.removed.map((r: any) => r.route), ['GET /old']);
  assert.match(p.routes.added[0].integration, /^http_proxy GET http:\/\/127\.0\.0\.1:9\/$/);

  const auto = await cli('promote', '--api', name, '--from', 'dev', '--to', 'auto', '--dry-run');
  assert.equal(auto.code, 1);
  assert.match(auto.stderr, /stage auto has automatic deployment on: it follows every change to the API, so it can't be pointed at a deployment/);
  assert.deepEqual(await stagesNow(), state);
});
