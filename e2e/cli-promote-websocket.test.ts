// `stagecraft promote --api` and `stagecraft rollback --api` for a WebSocket API's stages against a
// real server: the dry run lists the routes added, removed and changed between the two deployments
// (read through ExportApi's STAGECRAFT_ROUTES specification, AWS exporting no WebSocket API) and
// changes nothing; the promotion points prod at dev's deployment and records the one before in the
// stage's stagecraft:previous tag; rollback returns to it; canaries and autoDeploy stages are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportApiCommand, GetStageCommand, GetStagesCommand, GetTagsCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { BACKEND, createWebSocketStages, type WebSocketStages } from '../src/testing/websocket-stages.js';
import { runCli, unique } from '../src/cli/testing.js';

const env = useServer();
const cli = (...args: string[]) => runCli(args, { endpoint: env.url });
const name = unique('ws-stages');
let ws: WebSocketStages;

env.setup(async () => {
  ws = await createWebSocketStages(env.apigwv2, name);
});

const prod = async () => (await env.apigwv2.send(new GetStageCommand({ ApiId: ws.apiId, StageName: 'prod' }))).DeploymentId;
const history = async () => (await env.apigwv2.send(new GetTagsCommand({ ResourceArn: `arn:aws:apigateway:us-east-1::/apis/${ws.apiId}/stages/prod` }))).Tags?.['stagecraft:previous'];

test('ExportApi: OpenAPI of a WebSocket API is refused as on AWS; STAGECRAFT_ROUTES reads what a stage serves', async () => {
  await assert.rejects(env.apigwv2.send(new ExportApiCommand({ ApiId: ws.apiId, Specification: 'OAS30', OutputType: 'JSON' })), (e: any) => e.name === 'BadRequestException');
  const read = async (StageName?: string) => JSON.parse(new TextDecoder().decode((await env.apigwv2.send(new ExportApiCommand({ ApiId: ws.apiId, StageName, Specification: 'STAGECRAFT_ROUTES', OutputType: 'JSON' }))).body));
  const onProd = await read('prod');
  assert.equal(onProd.specification, 'STAGECRAFT_ROUTES');
  assert.deepEqual(Object.keys(onProd.routes), ['$connect', '$disconnect', 'sendMessage']);
  assert.deepEqual(onProd.routes.sendMessage['x-amazon-apigateway-integration'], { type: 'http_proxy', uri: `${BACKEND}/send`, httpMethod: 'POST', connectionType: 'INTERNET', timeoutInMillis: 29000, passthroughBehavior: 'WHEN_NO_MATCH' });
  assert.equal(onProd.routes.$connect.apiKeyRequired, false);
  assert.deepEqual(Object.keys((await read('dev')).routes), ['$connect', '$disconnect', 'join']);
  assert.deepEqual(Object.keys((await read()).routes), ['$connect', '$disconnect', 'join'], 'without a stage: the API as it is now');
});

test('a WebSocket stage: the dry run lists the routes that change and changes nothing', async () => {
  const before = (await env.apigwv2.send(new GetStagesCommand({ ApiId: ws.apiId }))).Items;
  const json = await cli('promote', '--api', name, '--from', 'dev', '--to', 'prod', '--dry-run', '--json');
  assert.equal(json.code, 0, json.output);
  const p = json.json();
  assert.deepEqual([p.api.kind, p.action, p.current.id, p.current.description, p.target.id, p.target.description], ['websocket', 'promote', ws.one, 'one', ws.two, 'two']);
  assert.deepEqual(p.routes, {
    added: [{ route: 'join', integration: `http_proxy POST ${BACKEND}/join` }],
    removed: [{ route: 'sendMessage', integration: `http_proxy POST ${BACKEND}/send` }],
    changed: [{ route: '$connect', integration: 'mock', integrationBefore: 'mock', fields: ['apiKeyRequired'] }],
    unchanged: 1,
  });
  const text = await cli('promote', '--api', ws.apiId, '--from', 'dev', '--to', 'prod', '--dry-run');
  assert.equal(text.code, 0, text.output);
  assert.match(text.stdout, new RegExp(`Routes, deployment ${ws.one} → deployment ${ws.two}:`));
  assert.match(text.stdout, /\+ join {2}→ http_proxy POST/);
  assert.match(text.stdout, /- sendMessage/);
  assert.match(text.stdout, /~ \$connect {2}\(apiKeyRequired\)/);
  assert.deepEqual((await env.apigwv2.send(new GetStagesCommand({ ApiId: ws.apiId }))).Items, before);
});

test('a WebSocket stage is promoted and rolled back, with its history tag; canaries and autoDeploy stages are refused', async () => {
  const canary = await cli('promote', '--api', name, '--from', 'dev', '--to', 'prod', '--canary', '10%');
  assert.equal(canary.code, 1);
  assert.match(canary.stderr, /WebSocket APIs have no canary deployments/);
  const auto = await cli('promote', '--api', name, '--from', 'dev', '--to', 'auto');
  assert.equal(auto.code, 1);
  assert.match(auto.stderr, /stage auto has automatic deployment on/);
  assert.equal(await prod(), ws.one);

  const run = await cli('promote', '--api', name, '--from', 'dev', '--to', 'prod');
  assert.equal(run.code, 0, run.output);
  assert.match(run.stdout, new RegExp(`Promoted ${name} \\(${ws.apiId}\\) stage prod → deployment ${ws.two} \\(was ${ws.one}\\)`));
  assert.equal(await prod(), ws.two);
  assert.equal(await history(), ws.one);

  const back = await cli('rollback', '--api', name, '--stage', 'prod', '--json');
  assert.equal(back.code, 0, back.output);
  assert.deepEqual([back.json().api.kind, back.json().action, back.json().deploymentId], ['websocket', 'rollback', ws.one]);
  assert.equal(await prod(), ws.one);
  assert.equal(await history(), undefined);
  const none = await cli('rollback', '--api', name, '--stage', 'prod');
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no earlier deployment is recorded for stage prod/);
});
