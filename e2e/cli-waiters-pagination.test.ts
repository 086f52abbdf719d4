// What CI scripts do with the real AWS CLI v2 and SDK v3 waiters: wait for functions to become
// active or updated, page through every list (auto-pagination, --max-items/--starting-token,
// --page-size), and use --output table, --query, invoke payloads, log tails and code downloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateAliasCommand, GetFunctionConfigurationCommand, PublishLayerVersionCommand, PublishVersionCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2, waitUntilFunctionExists, waitUntilFunctionUpdatedV2, waitUntilPublishedVersionActive,
} from '@aws-sdk/client-lambda';
import {
  CreateApiKeyCommand, CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand,
  PutIntegrationCommand, PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateApiCommand, CreateRouteCommand } from '@aws-sdk/client-apigatewayv2';
import { awsCli, type CliResult } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction, testFunctionRole } from '../src/testing/functions.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { makeZip } from '../src/testing/zip.js';

const env = useServer();
const dirs = useTempDirs();
const cli = (...args: string[]): Promise<CliResult> => awsCli(env.url, args);
const ok = (r: CliResult): CliResult => {
  assert.equal(r.code, 0, r.stderr);
  return r;
};
const pad = (i: number) => String(i).padStart(2, '0');
const source = (text: string) => `exports.handler = async (event) => { console.log(${JSON.stringify(text)}); return { echo: event }; };\n`;

/**
 * Pages through a CLI list with --max-items/--starting-token until no NextToken is left, as scripts
 * do; `names` picks each page's items. Fails on a repeated token (a loop) or too many pages.
 */
async function walkTokens(args: string[], maxItems: number, names: (out: any) => string[], extra: string[] = []): Promise<string[]> {
  const seen: string[] = [];
  const tokens = new Set<string>();
  let token: string | undefined;
  for (let pages = 0; pages < 30; pages++) {
    const out = ok(await cli(...args, '--max-items', String(maxItems), ...extra, ...(token ? ['--starting-token', token] : []))).json();
    const items = names(out);
    assert.ok(items.length <= maxItems, `a page of ${items.length} items for --max-items ${maxItems}`);
    seen.push(...items);
    token = out.NextToken;
    if (!token) return seen;
    assert.ok(!tokens.has(token), `token ${token} came back twice`);
    tokens.add(token);
  }
  assert.fail('more pages than items');
}

/** Every item exactly once, in the list's order. */
function assertEach(actual: string[], expected: string[]): void {
  assert.equal(new Set(actual).size, actual.length, `duplicates in ${actual.join(',')}`);
  assert.deepEqual(actual, expected);
}

test('Lambda waiters (CLI): each succeeds at once; State and LastUpdateStatus as AWS reports them', async () => {
  const dir = dirs.make('stagecraft-wait-');
  writeFileSync(join(dir, 'function.zip'), await makeZip({ 'index.js': source('v1') }));
  const created = ok(await awsCli(env.url, ['lambda', 'create-function', '--function-name', 'waited', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
    '--role', testFunctionRole, '--zip-file', 'fileb://function.zip'], { cwd: dir })).json();
  // Recorded on AWS (create-response-zip-file): the create answer says "being created", with no LastUpdateStatus.
  assert.deepEqual([created.State, created.StateReason, created.StateReasonCode, created.LastUpdateStatus], ['Pending', 'The function is being created.', 'Creating', undefined]);

  (await Promise.all(['function-exists', 'function-active-v2', 'function-updated-v2'].map((w) => cli('lambda', 'wait', w, '--function-name', 'waited')))).forEach(ok);
  for (const w of ['function-active', 'function-updated']) {
    const started = Date.now();
    ok(await cli('lambda', 'wait', w, '--function-name', 'waited'));
    // These poll every 5 s: a single retry would show.
    assert.ok(Date.now() - started < 4500, `${w} took ${Date.now() - started} ms`);
  }

  const config = ok(await cli('lambda', 'get-function-configuration', '--function-name', 'waited')).json();
  assert.deepEqual([config.State, config.LastUpdateStatus, config.StateReason, config.LastUpdateStatusReason], ['Active', 'Successful', undefined, undefined]);

  assert.equal(ok(await cli('lambda', 'publish-version', '--function-name', 'waited')).json().Version, '1');
  ok(await cli('lambda', 'wait', 'published-version-active', '--function-name', 'waited', '--qualifier', '1'));

  writeFileSync(join(dir, 'function.zip'), await makeZip({ 'index.js': source('v2') }));
  const updated = ok(await awsCli(env.url, ['lambda', 'update-function-code', '--function-name', 'waited', '--zip-file', 'fileb://function.zip'], { cwd: dir })).json();
  // Recorded on AWS (update_code_response): AWS words an update's reason as a creation's.
  assert.deepEqual([updated.State, updated.LastUpdateStatus, updated.LastUpdateStatusReason, updated.LastUpdateStatusReasonCode],
    ['Active', 'InProgress', 'The function is being created.', 'Creating']);
  (await Promise.all(['function-updated', 'function-updated-v2'].map((w) => cli('lambda', 'wait', w, '--function-name', 'waited')))).forEach(ok);
  const after = ok(await cli('lambda', 'get-function', '--function-name', 'waited')).json().Configuration;
  assert.deepEqual([after.State, after.LastUpdateStatus, after.LastUpdateStatusReason, after.LastUpdateStatusReasonCode], ['Active', 'Successful', undefined, undefined]);
});

test('Lambda waiters (CLI) on a missing function: a ResourceNotFoundException fails them, function-exists retries on it', async () => {
  const waiters: [string, string, string[]][] = [
    ['function-active', 'FunctionActive', []], ['function-active-v2', 'FunctionActiveV2', []], ['function-updated', 'FunctionUpdated', []],
    ['function-updated-v2', 'FunctionUpdatedV2', []], ['published-version-active', 'PublishedVersionActive', ['--qualifier', '3']],
  ];
  const results = await Promise.all(waiters.map(([w, , extra]) => cli('lambda', 'wait', w, '--function-name', 'never-made', ...extra)));
  results.forEach((r, i) => {
    // No acceptor matches the error, so botocore stops at once (exit 255), as against AWS.
    assert.equal(r.code, 255, r.stderr);
    assert.match(r.stderr, new RegExp(`Waiter ${waiters[i][1]} failed: An error occurred \\(ResourceNotFoundException\\): Function not found: arn:aws:lambda:us-east-1:000000000000:function:never-made`));
  });

  // function-exists retries ResourceNotFoundException every second: it returns once the function is there.
  const waiting = cli('lambda', 'wait', 'function-exists', '--function-name', 'made-later');
  await new Promise((resolve) => setTimeout(resolve, 1200));
  await createNodeFunction(env.lambda, 'made-later', source('later'));
  ok(await waiting);
});

test('Lambda waiters (SDK v3): succeed on ready functions, time out on missing ones', async () => {
  const lambda = env.lambda;
  const waiter = { client: lambda, maxWaitTime: 10 };
  await createNodeFunction(lambda, 'sdk-waited', source('sdk'));
  for (const wait of [waitUntilFunctionExists, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2]) {
    assert.equal((await wait(waiter, { FunctionName: 'sdk-waited' })).state, 'SUCCESS');
  }
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-waited', Timeout: 9 }));
  assert.equal((await waitUntilFunctionUpdatedV2(waiter, { FunctionName: 'sdk-waited' })).state, 'SUCCESS');
  const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: 'sdk-waited' }));
  assert.equal((await waitUntilPublishedVersionActive(waiter, { FunctionName: 'sdk-waited', Qualifier: Version })).state, 'SUCCESS');

  // Publishing with the create or the update: the new version is answered as "being created", as
  // recorded on AWS (test_publish_version_on_create, test_publish_with_update), and is active once waited for.
  const created = await createNodeFunction(lambda, 'sdk-published', source('p1'), { Publish: true });
  assert.deepEqual([created.Version, created.FunctionArn, created.State, created.StateReasonCode], ['1', 'arn:aws:lambda:us-east-1:000000000000:function:sdk-published', 'Pending', 'Creating']);
  const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'sdk-published', ZipFile: await makeZip({ 'index.js': source('p2') }), Publish: true }));
  assert.deepEqual([updated.Version, updated.FunctionArn, updated.State, updated.StateReason, updated.StateReasonCode, updated.LastUpdateStatus],
    ['2', 'arn:aws:lambda:us-east-1:000000000000:function:sdk-published:2', 'Pending', 'The function is being created.', 'Creating', undefined]);
  assert.equal((await waitUntilPublishedVersionActive(waiter, { FunctionName: 'sdk-published', Qualifier: '2' })).state, 'SUCCESS');
  const v2 = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sdk-published', Qualifier: '2' }));
  assert.deepEqual([v2.State, v2.LastUpdateStatus, v2.StateReason], ['Active', 'Successful', undefined]);

  // SDK v3 waiters retry every error their acceptors do not name, so a missing function times out.
  const short = { client: lambda, maxWaitTime: 2, minDelay: 1, maxDelay: 1 };
  await Promise.all([waitUntilFunctionExists, waitUntilFunctionActiveV2].map((wait) =>
    assert.rejects(wait(short, { FunctionName: 'sdk-missing' }), (e: Error) => e.name === 'TimeoutError' && /"404: Function not found: arn:aws:lambda:us-east-1:000000000000:function:sdk-missing"/.test(e.message))));
});

test('Lambda lists through the CLI: automatic pagination, --page-size, --max-items/--starting-token, bad markers', async () => {
  const lambda = env.lambda;
  const zip = await makeZip({ 'index.js': source('paged') });
  const names = Array.from({ length: 55 }, (_, i) => `paged-${pad(i)}`);
  await Promise.all(names.map((name) => createNodeFunction(lambda, name, zip)));
  const paged = (out: any) => (out.Functions as { FunctionName: string }[]).map((f) => f.FunctionName).filter((n) => n.startsWith('paged-'));

  // Versions, aliases, layers and layer versions, each over several pages.
  for (let i = 1; i <= 6; i++) {
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'paged-00', Description: `d${i}` }));
    await lambda.send(new PublishVersionCommand({ FunctionName: 'paged-00' }));
  }
  const aliases = Array.from({ length: 7 }, (_, i) => `alias-${i}`);
  for (const Name of aliases) await lambda.send(new CreateAliasCommand({ FunctionName: 'paged-00', Name, FunctionVersion: '1' }));
  const layers = Array.from({ length: 6 }, (_, i) => `layer-${i}`);
  for (const LayerName of layers) await lambda.send(new PublishLayerVersionCommand({ LayerName, Content: { ZipFile: zip } }));
  for (let i = 0; i < 4; i++) await lambda.send(new PublishLayerVersionCommand({ LayerName: 'layer-0', Content: { ZipFile: zip } }));

  const versionsOf = (out: any) => (out.Versions as { Version: string }[]).map((v) => v.Version);
  const aliasesOf = (out: any) => (out.Aliases as { Name: string }[]).map((a) => a.Name);
  const layersOf = (out: any) => (out.Layers as { LayerName: string }[]).map((l) => l.LayerName);
  const layerVersionsOf = (out: any) => (out.LayerVersions as { Version: number }[]).map((v) => String(v.Version));
  const [all, walked, versions, aliasPages, layerPages, layerVersions] = await Promise.all([
    // 55 functions are more than AWS's page of 50: the CLI follows NextMarker.
    cli('lambda', 'list-functions'),
    walkTokens(['lambda', 'list-functions'], 20, paged, ['--page-size', '7']),
    walkTokens(['lambda', 'list-versions-by-function', '--function-name', 'paged-00'], 4, versionsOf, ['--page-size', '2']),
    walkTokens(['lambda', 'list-aliases', '--function-name', 'paged-00'], 4, aliasesOf, ['--page-size', '3']),
    walkTokens(['lambda', 'list-layers'], 4, layersOf, ['--page-size', '3']),
    walkTokens(['lambda', 'list-layer-versions', '--layer-name', 'layer-0'], 3, layerVersionsOf, ['--page-size', '2']),
  ]);
  assertEach(paged(ok(all).json()), names);
  assertEach(walked, names);
  assertEach(versions, ['$LATEST', '1', '2', '3', '4', '5', '6']);
  assertEach(aliasPages, aliases);
  assertEach(layerPages, layers);
  assertEach(layerVersions, ['5', '4', '3', '2', '1']);

  // A token the CLI cannot decode is sent as the Marker itself: each list rejects it.
  const bad = await Promise.all([['list-functions'], ['list-aliases', '--function-name', 'paged-00'], ['list-layer-versions', '--layer-name', 'layer-0']]
    .map((args) => cli('lambda', ...args, '--starting-token', 'garbage')));
  for (const r of bad) {
    assert.equal(r.code, 254, r.stdout);
    assert.match(r.stderr, /\(InvalidParameterValueException\) when calling the \w+ operation.*: Invalid marker\./);
  }
});

test('API Gateway lists through the CLI: every item once over several pages; bad positions and tokens rejected', async () => {
  const { apigw, apigwv2 } = env;
  const apiNames = Array.from({ length: 27 }, (_, i) => `paged-api-${pad(i)}`);
  const apis = [];
  for (const name of apiNames) apis.push((await apigw.send(new CreateRestApiCommand({ name }))).id!);
  const restApiId = apis[0];
  const root = (await apigw.send(new GetResourcesCommand({ restApiId }))).items![0].id!;
  const parts = Array.from({ length: 30 }, (_, i) => `part${pad(i)}`);
  await Promise.all(parts.map((pathPart) => apigw.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart }))));
  await apigw.send(new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }));
  await apigw.send(new PutIntegrationCommand({ restApiId, resourceId: root, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  const deployments = [];
  for (let i = 0; i < 5; i++) deployments.push((await apigw.send(new CreateDeploymentCommand({ restApiId, description: `d${i}` }))).id!);
  const keys = [];
  for (let i = 0; i < 27; i++) keys.push((await apigw.send(new CreateApiKeyCommand({ name: `paged-key-${pad(i)}` }))).id!);

  const httpApis = [];
  for (let i = 0; i < 7; i++) httpApis.push((await apigwv2.send(new CreateApiCommand({ Name: `paged-http-${i}`, ProtocolType: 'HTTP' }))).ApiId!);
  const routeKeys = Array.from({ length: 9 }, (_, i) => `GET /r${i}`);
  for (const RouteKey of routeKeys) await apigwv2.send(new CreateRouteCommand({ ApiId: httpApis[0], RouteKey }));

  const ids = (out: any) => (out.items as { id: string }[]).map((x) => x.id);
  const paths = (out: any) => (out.items as { path: string }[]).map((x) => x.path);
  const apiIds = (out: any) => (out.Items as { ApiId: string }[]).map((a) => a.ApiId);
  const routesOf = (out: any) => (out.Items as { RouteKey: string }[]).map((r) => r.RouteKey);
  const sorted = (xs: string[]) => [...xs].sort();
  const [allApis, walkedApis, walkedKeys, walkedPaths, walkedDeployments, walkedHttpApis, walkedRoutes] = await Promise.all([
    // 27 APIs and keys are more than the default page of 25.
    cli('apigateway', 'get-rest-apis'),
    walkTokens(['apigateway', 'get-rest-apis'], 14, ids, ['--page-size', '4']),
    walkTokens(['apigateway', 'get-api-keys'], 14, ids),
    walkTokens(['apigateway', 'get-resources', '--rest-api-id', restApiId], 16, paths, ['--page-size', '7']),
    walkTokens(['apigateway', 'get-deployments', '--rest-api-id', restApiId], 3, ids, ['--page-size', '2']),
    walkTokens(['apigatewayv2', 'get-apis'], 4, apiIds, ['--page-size', '3']),
    walkTokens(['apigatewayv2', 'get-routes', '--api-id', httpApis[0]], 5, routesOf, ['--page-size', '2']),
  ]);
  assertEach(sorted(ids(ok(allApis).json())), sorted(apis));
  assertEach(sorted(walkedApis), sorted(apis));
  assertEach(sorted(walkedKeys), sorted(keys));
  assertEach(sorted(walkedPaths), ['/', ...parts.map((p) => `/${p}`)].sort());
  assertEach(sorted(walkedDeployments), sorted(deployments));
  assertEach(sorted(walkedHttpApis), sorted(httpApis));
  assertEach(sorted(walkedRoutes), sorted(routeKeys));

  const bad = await Promise.all([
    ['apigateway', 'get-rest-apis'], ['apigateway', 'get-resources', '--rest-api-id', restApiId], ['apigatewayv2', 'get-routes', '--api-id', httpApis[0]],
  ].map((args) => cli(...args, '--starting-token', 'garbage')));
  for (const r of bad) {
    assert.equal(r.code, 254, r.stdout);
    assert.match(r.stderr, /\(BadRequestException\) when calling the Get\w+ operation.*: Invalid (position|NextToken): garbage/);
  }
});

test('invoke with a raw payload and a log tail, --output table, --query, and the Code.Location download', async () => {
  const dir = dirs.make('stagecraft-invoke-');
  const zip = await makeZip({ 'index.js': source('tail me') });
  await createNodeFunction(env.lambda, 'tailed', zip);
  const out = join(dir, 'out.json');
  const tail = ok(await awsCli(env.url, ['lambda', 'invoke', '--function-name', 'tailed', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"a":1}',
    '--log-type', 'Tail', '--query', 'LogResult', '--output', 'text', out]));
  const log = Buffer.from(tail.stdout.trim(), 'base64').toString();
  assert.match(log, /START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
  assert.match(log, /\tINFO\ttail me\n/);
  assert.match(log, /REPORT RequestId: [0-9a-f-]{36}\tDuration: /);
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), { echo: { a: 1 } });

  const table = ok(await cli('lambda', 'get-function-configuration', '--function-name', 'tailed', '--output', 'table', '--query', '{Name:FunctionName,Runtime:Runtime,State:State}'));
  assert.match(table.stdout, /\|\s+GetFunctionConfiguration\s+\|/);
  assert.match(table.stdout, /\|\s*tailed\s*\|\s*nodejs20\.x\s*\|\s*Active\s*\|/);
  assert.equal(ok(await cli('lambda', 'get-function', '--function-name', 'tailed', '--query', 'Configuration.Handler', '--output', 'text')).stdout.trim(), 'index.handler');

  const got = ok(await cli('lambda', 'get-function', '--function-name', 'tailed')).json();
  assert.equal(got.Code.RepositoryType, 'S3');
  const download = await fetch(got.Code.Location);
  assert.equal(download.status, 200);
  const bytes = Buffer.from(await download.arrayBuffer());
  assert.ok(bytes.equals(zip), 'the downloaded package is the uploaded zip');
  assert.equal(createHash('sha256').update(bytes).digest('base64'), got.Configuration.CodeSha256);
});
