// `stagecraft deploy` with SAM's MethodSettings and AccessLogSetting against a real server: the
// stage gets the method and access log settings, which throttle and log on the invoke URL;
// re-deploying changes nothing, and removing them from the template removes them from the stage.
// Tags (on the stages, as SAM puts them), DisableExecuteApiEndpoint and ApiKeySourceType too.
// CacheClusterEnabled gives the stage its cache, which CachingEnabled method settings use, keyed by
// the RequestParameters marked Caching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetRestApiCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { apiEvent, nodeHandler, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';
import { invokeHost } from '../src/execute-api/testing.js';

const env = useServer();
const dirs = useTempDirs();

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

/** The API with `settings` among its properties, and the function `{prefix}-items` behind GET `events` ([name, path, more properties]). */
function itemsTemplate(apiName: string, prefix: string, settings: string, events: [string, string, string?][]): string {
  return samApiTemplate(apiName, settings, `  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
      Events:
${events.map(([name, path, more]) => apiEvent(name, path, 'GET', more)).join('\n')}
`);
}

function template(apiName: string, prefix: string, group: string | undefined): string {
  const settings = group === undefined ? '' : `      MethodSettings:
        - { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 0, ThrottlingBurstLimit: 1, MetricsEnabled: true }
        - { ResourcePath: /items, HttpMethod: get, ThrottlingRateLimit: 0, ThrottlingBurstLimit: 2 }
      AccessLogSetting:
        DestinationArn: arn:aws:logs:${testRegion}:${testAccount}:log-group:${group}
        Format: '$context.requestId $context.httpMethod $context.resourcePath $context.status'`;
  return itemsTemplate(apiName, prefix, settings, [['List', '/items'], ['Other', '/other']]);
}

test('MethodSettings throttle and AccessLogSetting logs the deployed stage; removing them lifts both', { timeout: 120_000 }, async () => {
  const prefix = unique('settings');
  const apiName = unique('api');
  const group = unique('access');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(apiName, prefix, group), 'src/index.mjs': nodeHandler('from the function') }));

  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  const restApiId = run.json().apis[0].id;
  const stage = await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
  assert.deepEqual(
    Object.fromEntries(Object.entries(stage.methodSettings!).map(([k, s]) => [k, [s.throttlingRateLimit, s.throttlingBurstLimit, s.metricsEnabled]])),
    { '*/*': [0, 1, true], '~1items/GET': [0, 2, true] },
  );
  assert.deepEqual(stage.accessLogSettings, { destinationArn: `arn:aws:logs:${testRegion}:${testAccount}:log-group:${group}`, format: '$context.requestId $context.httpMethod $context.resourcePath $context.status' });

  const statuses = async (path: string, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await invokeHost(env.url, restApiId, 'dev', path)).status);
    return out;
  };
  assert.deepEqual(await statuses('/items', 3), [200, 200, 429]);
  assert.deepEqual(await statuses('/other', 2), [200, 429]);
  let lines: string[] = [];
  for (let attempt = 0; attempt < 100 && lines.length < 5; attempt++) {
    if (attempt) await new Promise((r) => setTimeout(r, 50));
    lines = ((await env.logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events ?? []).map((e) => e.message!);
  }
  assert.deepEqual(lines.map((l) => l.split(' ').slice(1).join(' ')), [
    'GET /items 200', 'GET /items 200', 'GET /items 429', 'GET /other 200', 'GET /other 429',
  ]);

  const again = await deploy(dir, '--json');
  assert.equal(again.code, 0, again.output);
  assert.equal(again.json().changed, false, JSON.stringify(again.json().changes.filter((c: { kind: string }) => c.kind !== 'unchanged')));

  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, undefined));
  const removed = await deploy(dir);
  assert.equal(removed.code, 0, removed.output);
  const after = await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
  assert.deepEqual(after.methodSettings, {});
  assert.equal(after.accessLogSettings, undefined);
  assert.deepEqual(await statuses('/items', 3), [200, 200, 200]);
});

test('Tags go on the stage; DisableExecuteApiEndpoint and ApiKeySourceType on the API; changes are patched', async () => {
  const prefix = unique('props');
  const apiName = unique('api');
  const props = (tags: string, disable: boolean) => `      Tags: { ${tags} }
      DisableExecuteApiEndpoint: ${disable}
      ApiKeySourceType: AUTHORIZER
      FailOnWarnings: true`;
  const templateWith = (tags: string, disable: boolean) => samApiTemplate(apiName, props(tags, disable), `  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
      Events:
${apiEvent('List', '/items', 'GET')}
`);
  const dir = dirs.removeLater(writeProject({ 'template.yaml': templateWith('team: orders, env: dev', true), 'src/index.mjs': nodeHandler('hi') }));
  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  assert.match(run.stderr, /FailOnWarnings has no effect/);
  const restApiId = run.json().apis[0].id;
  const api = await env.apigw.send(new GetRestApiCommand({ restApiId }));
  assert.deepEqual([api.disableExecuteApiEndpoint, api.apiKeySource], [true, 'AUTHORIZER']);
  assert.deepEqual((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }))).tags, { team: 'orders', env: 'dev' });
  assert.equal((await invokeHost(env.url, restApiId, 'dev', '/items')).status, 403, 'the execute-api endpoint is off');

  const again = await deploy(dir, '--json');
  assert.equal(again.json().changed, false, JSON.stringify(again.json().changes.filter((c: { kind: string }) => c.kind !== 'unchanged')));

  writeFileSync(join(dir, 'template.yaml'), templateWith('team: payments', false));
  const changed = await deploy(dir);
  assert.equal(changed.code, 0, changed.output);
  assert.match(changed.stdout, /stage dev: deployment \w+ → \w+, tags \[updated\]/, "the endpoint change needs a new deployment, as on AWS");
  assert.deepEqual((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }))).tags, { team: 'payments' });
  assert.equal((await env.apigw.send(new GetRestApiCommand({ restApiId }))).disableExecuteApiEndpoint, false);
  assert.equal((await invokeHost(env.url, restApiId, 'dev', '/items')).status, 200);
});

test('CacheClusterEnabled with a CachingEnabled method setting caches GET answers on the deployed stage', { timeout: 120_000 }, async () => {
  const prefix = unique('cached');
  const apiName = unique('api');
  const cached = `      CacheClusterEnabled: true
      CacheClusterSize: '1.6'
      MethodSettings:
        - { ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true, CacheTtlInSeconds: 60 }`;
  const templateWith = (settings: string) => itemsTemplate(apiName, prefix, settings, [['List', '/items', ", RequestParameters: [{ 'method.request.querystring.page': { Caching: true } }]"]]);
  const handler = "import { randomUUID } from 'node:crypto';\nexport const handler = async () => ({ statusCode: 200, body: randomUUID() });\n";
  const dir = dirs.removeLater(writeProject({ 'template.yaml': templateWith(cached), 'src/index.mjs': handler }));
  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  const restApiId = run.json().apis[0].id;
  const stage = await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
  assert.deepEqual([stage.cacheClusterEnabled, stage.cacheClusterSize, stage.cacheClusterStatus], [true, '1.6', 'AVAILABLE']);
  const body = async (query = '') => (await invokeHost(env.url, restApiId, 'dev', `/items${query}`)).text;
  const first = await body();
  assert.equal(await body(), first, 'served from the stage cache');
  const page2 = await body('?page=2');
  assert.notEqual(page2, first, 'RequestParameters with Caching are cache key parameters');
  assert.equal(await body('?page=2&other=1'), page2);

  const again = await deploy(dir, '--json');
  assert.equal(again.json().changed, false);

  writeFileSync(join(dir, 'template.yaml'), templateWith(''));
  assert.equal((await deploy(dir)).code, 0);
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }))).cacheClusterEnabled, false);
  assert.notEqual(await body(), await body(), 'nothing cached without the cluster');
});
