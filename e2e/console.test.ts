// The web console at /_stagecraft/console: its static files (content types, caching, no way out
// of console/), its logic (console/model.js, loaded here as the browser loads it, and checked
// against the CLI's alias-history code), and the requests it makes (console/api.js over fetch)
// moving aliases on a real server interchangeably with `stagecraft promote` / `rollback`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetAliasCommand, GetPolicyCommand, ListTagsCommand, PublishLayerVersionCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import {
  CreateDeploymentCommand, CreateModelCommand, CreateRequestValidatorCommand, CreateRestApiCommand, GetResourcesCommand, PutGatewayResponseCommand, PutIntegrationCommand,
  PutMethodCommand, UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { repoRoot } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { makeZip, nodeHandlerZip } from '../src/testing/zip.js';
import { runCli } from '../src/cli/testing.js';
import * as cli from '../src/deploy/aliases.js';
import { parseCanary as cliParseCanary } from '../src/deploy/promotion.js';
import { SHARED_CONSOLE_MODULES } from '../src/server/console.js';

const consoleDir = join(repoRoot, 'console');
// The console's browser modules, untyped JavaScript.
const load = (name: string): Promise<any> => import(pathToFileURL(join(consoleDir, name)).href);

const env = useServer();

/** GET with the path sent exactly as written (fetch would normalise `..` away). */
function rawGet(path: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(env.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves index.html, modules and stylesheet with their content types', async () => {
  for (const path of ['/_stagecraft/console', '/_stagecraft/console/', '/_stagecraft/console/index.html']) {
    const res = await rawGet(path);
    assert.equal(res.status, 200, path);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.equal(res.body, readFileSync(join(consoleDir, 'index.html'), 'utf8'));
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
  }
  const index = readFileSync(join(consoleDir, 'index.html'), 'utf8');
  const referenced = [...index.matchAll(/(?:src|href)="(\/_stagecraft\/console\/[^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(referenced.sort(), ['/_stagecraft/console/app.js', '/_stagecraft/console/style.css']);
  for (const name of ['app.js', 'api.js', 'model.js']) {
    const res = await rawGet(`/_stagecraft/console/${name}`);
    assert.equal(res.status, 200, name);
    assert.match(String(res.headers['content-type']), /^text\/javascript/);
    // Every module it imports is served too.
    for (const m of res.body.matchAll(/from '\.\/([^']+)'/g)) assert.equal((await rawGet(`/_stagecraft/console/${m[1]}`)).status, 200, m[1]);
  }
  const css = await rawGet('/_stagecraft/console/style.css');
  assert.equal(css.status, 200);
  assert.match(String(css.headers['content-type']), /^text\/css/);

  // Revalidated on every load; unchanged files answer 304.
  assert.equal(css.headers['cache-control'], 'no-cache');
  const etag = String(css.headers.etag);
  const again = await rawGet('/_stagecraft/console/style.css', 'GET', { 'If-None-Match': etag });
  assert.equal(again.status, 304);
  assert.equal(again.body, '');
  const head = await rawGet('/_stagecraft/console/app.js', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
});

test('nothing outside console/ and no unknown file is served', async () => {
  for (const path of [
    '/_stagecraft/console/../../package.json',
    '/_stagecraft/console/../../../package.json',
    '/_stagecraft/console/%2e%2e/%2e%2e/package.json',
    '/_stagecraft/console/%2E%2E%2F%2E%2E%2Fpackage.json',
    '/_stagecraft/console/..%2f..%2fpackage.json',
    '/_stagecraft/console/..%5c..%5cpackage.json',
    '/_stagecraft/console/%252e%252e/package.json',
    '/_stagecraft/console//etc/passwd',
    '/_stagecraft/console/./index.html',
    '/_stagecraft/console/sub/app.js',
    '/_stagecraft/console/nope.js',
    '/_stagecraft/console/.gitignore',
    '/_stagecraft/console/index.html%00.js',
    '/_stagecraft/console/app.js/',
  ]) {
    const res = await rawGet(path);
    assert.equal(res.status, 404, `${path} → ${res.status} ${res.body.slice(0, 80)}`);
    assert.doesNotMatch(res.body, /"name": "stagecraft"|root:/);
  }
  const post = await rawGet('/_stagecraft/console/index.html', 'POST');
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET, HEAD');
  // The other platform endpoints are unaffected.
  assert.equal((await rawGet('/_stagecraft/health')).status, 200);
});

test("the CLI's shared modules are served beside the console's files, as the browser imports them", async () => {
  for (const name of SHARED_CONSOLE_MODULES) {
    const res = await rawGet(`/_stagecraft/console/${name}`);
    assert.equal(res.status, 200, name);
    assert.match(String(res.headers['content-type']), /^text\/javascript/);
    assert.doesNotMatch(res.body, /sourceMappingURL/, 'the map is not served, so it is not named');
    // Each imports only modules served beside it.
    for (const [, imported] of res.body.matchAll(/from '\.\/([^']+)'/g)) assert.ok(SHARED_CONSOLE_MODULES.includes(imported), `${name} imports ${imported}`);
  }
  const health = JSON.parse((await rawGet('/_stagecraft/health')).body);
  assert.equal(health.defaultRegion, 'us-east-1', 'the console builds stage ARNs with it');
});

test('alias states and history are read and written exactly as the CLI does', async () => {
  const m = await load('model.js');
  assert.equal(m.HISTORY_TAG_PREFIX, cli.HISTORY_TAG_PREFIX);
  assert.equal(m.historyTag('prod'), cli.historyTag('prod'));
  for (const text of ['1', '$LATEST', '3+4@0.1', '2+5@0.25', '1+2@1', 'x', '1+2', '1+2@2', '', '7+8@0.5+9@0.1']) {
    assert.deepEqual(m.parseState(text), cli.parseState(text), text);
    const s = cli.parseState(text);
    if (s) {
      assert.equal(m.formatState(s), cli.formatState(s));
      assert.equal(m.describeState(s), cli.describeState(s));
    }
  }
  const tag = '1 1+2@0.1 2 garbage 3';
  assert.deepEqual(m.parseHistory(tag), cli.parseHistory(tag));
  for (const text of ['10%', '10', '0.1', '12.5%', '0%', '100%', 'abc', '-5']) {
    let mine: unknown;
    let theirs: unknown;
    try { mine = m.parseCanary(text); } catch (e) { mine = (e as Error).name; }
    try { theirs = cliParseCanary(text); } catch (e) { theirs = (e as Error).name; }
    assert.equal(mine === 'ConsoleError' ? 'error' : mine, theirs === 'PromotionError' ? 'error' : theirs, text);
  }
  assert.equal(m.parseCanary('  '), undefined);
  // A long history is trimmed to the newest ten states, as writeHistory trims it.
  const many = Array.from({ length: 14 }, (_, i) => ({ version: String(i + 1), weights: {} }));
  assert.equal(m.formatHistory(many), '5 6 7 8 9 10 11 12 13 14');
  assert.equal(m.formatHistory([]), undefined);
});

test('promotion and rollback plans', async () => {
  const m = await load('model.js');
  const alias = (v: string, weights?: Record<string, number>) => ({ Name: 'prod', FunctionVersion: v, RoutingConfig: weights ? { AdditionalVersionWeights: weights } : undefined });
  assert.deepEqual(m.planPromotion({ current: alias('1'), sourceVersion: '2', to: 'prod' }), { version: '2', weights: {} });
  assert.deepEqual(m.planPromotion({ current: alias('1'), sourceVersion: '2', canary: 0.1, to: 'prod' }), { version: '1', weights: { 2: 0.1 } });
  assert.deepEqual(m.planPromotion({ current: alias('2'), sourceVersion: '2', canary: 0.1, to: 'prod' }), { version: '2', weights: {} });
  assert.throws(() => m.planPromotion({ current: undefined, sourceVersion: '2', canary: 0.1, to: 'prod' }), /doesn't exist yet/);
  assert.throws(() => m.checkPromotion('dev', 'dev'), /both dev/);
  assert.throws(() => m.checkPromotion('dev', '3'), /not an alias name/);
  assert.throws(() => m.checkPromotion('dev', 'pr<od>'), /not a valid alias name/);

  // A running canary is cancelled; canary states in the history are passed over.
  const canary = m.planRollback({ functionName: 'f', alias: 'prod', current: alias('1', { 2: 0.1 }), history: m.parseHistory('1') });
  assert.deepEqual([canary.target, canary.remaining], [{ version: '1', weights: {} }, []]);
  const finished = m.planRollback({ functionName: 'f', alias: 'prod', current: alias('2'), history: m.parseHistory('1 1+2@0.1') });
  assert.deepEqual([finished.target, finished.remaining], [{ version: '1', weights: {} }, []]);
  const deeper = m.planRollback({ functionName: 'f', alias: 'prod', current: alias('3'), history: m.parseHistory('1 2 3') });
  assert.deepEqual([deeper.target.version, m.formatHistory(deeper.remaining)], ['2', '1']);
  assert.throws(() => m.planRollback({ functionName: 'f', alias: 'prod', current: alias('1'), history: [] }), (e: any) => e.type === 'NothingToRollBack');
});

test('view rows for functions and APIs', async () => {
  const m = await load('model.js');
  const view = m.functionView(
    { FunctionName: 'hello', FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:hello', Runtime: 'nodejs20.x', Handler: 'index.handler' },
    [{ Name: 'prod', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { 10: 0.1 } } }, { Name: 'dev', FunctionVersion: '10' }],
    [{ Version: '10' }, { Version: '$LATEST' }, { Version: '1' }, { Version: '2' }],
    { 'stagecraft:previous:prod': '2 1' },
  );
  assert.deepEqual(view.aliases.map((a: any) => [a.name, a.traffic, a.canary, a.rollbackTo]), [
    ['dev', '100% → 10', false, ''],
    ['prod', '90% → 1, 10% → 10', true, 'version 1'], // a running canary is cancelled
  ]);
  assert.deepEqual(view.versions.map((v: any) => [v.version, v.aliases]), [['$LATEST', []], ['1', ['prod']], ['2', []], ['10', ['dev', 'prod']]]);
  assert.deepEqual(view.promoteSources, ['dev', 'prod', '1', '2', '10']);

  const api = m.apiView({ id: 'abc123', name: 'hello' }, [
    { stageName: 'prod', deploymentId: 'd2', variables: { env: 'prod', b: '1' } },
    { stageName: 'dev', deploymentId: 'd1' },
  ], { protocol: 'http:', host: '127.0.0.1:4566', port: '4566' });
  assert.deepEqual(api.stages.map((s: any) => [s.name, s.deploymentId, s.variables, s.hostStyle, s.pathStyle]), [
    ['dev', 'd1', [], 'http://abc123.execute-api.localhost:4566/dev/', 'http://127.0.0.1:4566/restapis/abc123/dev/_user_request_/'],
    ['prod', 'd2', ['b=1', 'env=prod'], 'http://abc123.execute-api.localhost:4566/prod/', 'http://127.0.0.1:4566/restapis/abc123/prod/_user_request_/'],
  ]);

  assert.equal(m.decodeLogTail(Buffer.from('START héllo\n').toString('base64')), 'START héllo\n');
  assert.equal(m.payloadOf(''), '{}');
  assert.throws(() => m.payloadOf('{oops'), (e: any) => e.type === 'InvalidRequestContentException');
  assert.equal(m.errorTypeOf('ResourceNotFoundException:http://internal.amazon.com/', {}), 'ResourceNotFoundException');
  assert.equal(m.errorTypeOf(null, { __type: 'com.amazon#NotFoundException' }), 'NotFoundException');
});

const handler = (text: string) => `exports.handler = async (event) => { console.log('saying', ${JSON.stringify(text)}); return { said: ${JSON.stringify(text)}, event }; };`;

test('the console’s requests publish, invoke, promote and roll back on a real server, interchangeably with the CLI', async () => {
  const { createClient } = await load('api.js');
  const c = createClient({ baseUrl: env.url });
  const fn = 'console-hello';
  const getAlias = async (name: string) => {
    const a = await env.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: name }));
    return [a.FunctionVersion, a.RoutingConfig?.AdditionalVersionWeights ?? {}];
  };
  const created = await createNodeFunction(env.lambda, fn, handler('one'));
  const arn = created.FunctionArn!;

  assert.equal((await c.publishVersion(fn, 'first')).Version, '1');
  assert.equal((await c.promote(fn, '1', 'dev')).action, 'created');
  assert.equal((await c.promote(fn, 'dev', 'prod')).action, 'created');
  assert.deepEqual(await getAlias('prod'), ['1', {}]);

  await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn, ZipFile: await nodeHandlerZip(handler('two')) }));
  assert.equal((await c.publishVersion(fn)).Version, '2');
  assert.equal((await c.promote(fn, '2', 'dev')).action, 'moved');

  // Canary from the console; the CLI cancels it from the same history tag.
  const canary = await c.promote(fn, 'dev', 'prod', 0.1);
  assert.equal(canary.action, 'moved');
  assert.deepEqual(await getAlias('prod'), ['1', { 2: 0.1 }]);
  const tags = (await env.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags!;
  assert.equal(tags['stagecraft:previous:prod'], '1');
  const cliRollback = await runCli(['rollback', fn, '--alias', 'prod'], { endpoint: env.url });
  assert.equal(cliRollback.code, 0, cliRollback.output);
  assert.deepEqual(await getAlias('prod'), ['1', {}]);

  // The CLI promotes; the console rolls back.
  const cliPromote = await runCli(['promote', fn, '--from', 'dev', '--to', 'prod'], { endpoint: env.url });
  assert.equal(cliPromote.code, 0, cliPromote.output);
  assert.deepEqual(await getAlias('prod'), ['2', {}]);
  const back = await c.rollback(fn, 'prod');
  assert.deepEqual([back.before.version, back.after.version], ['2', '1']);
  assert.deepEqual(await getAlias('prod'), ['1', {}]);
  await assert.rejects(c.rollback(fn, 'prod'), (e: any) => e.type === 'NothingToRollBack');

  // What the Functions page shows.
  const listed = (await c.listFunctions()).find((f: any) => f.FunctionName === fn);
  const { aliases, versions, tags: fnTags } = await c.loadFunction(listed);
  const { functionView } = await load('model.js');
  const view = functionView(listed, aliases, versions, fnTags);
  assert.deepEqual(view.aliases.map((a: any) => [a.name, a.traffic]), [['dev', '100% → 2'], ['prod', '100% → 1']]);
  assert.deepEqual(view.versions.map((v: any) => v.version), ['$LATEST', '1', '2']);

  // Invoke with the log tail, the executed version and the request ID.
  const out = await c.invoke(fn, 'prod', '{"n":1}');
  assert.equal(out.executedVersion, '1');
  assert.deepEqual(JSON.parse(out.payload), { said: 'one', event: { n: 1 } });
  const { decodeLogTail } = await load('model.js');
  assert.match(decodeLogTail(out.logResult), /saying one[\s\S]*REPORT RequestId/);
  // The request ID, which "Show its logs" searches for, is the one the log lines carry.
  assert.match(out.requestId, /^[0-9a-f-]{36}$/);
  assert.ok(decodeLogTail(out.logResult).includes(`REPORT RequestId: ${out.requestId}`));

  // AWS's errors come back with their type and message.
  await assert.rejects(c.getFunctionConfiguration('no-such-function'), (e: any) => e.type === 'ResourceNotFoundException' && /no-such-function/.test(e.message) && e.status === 404);
  await assert.rejects(c.promote(fn, 'staging', 'prod'), (e: any) => e.type === 'ResourceNotFoundException' && /no alias staging/.test(e.message));

  // Another region, chosen by the credential scope: none of us-east-1's functions.
  const eu = createClient({ baseUrl: env.url, region: 'eu-west-1' });
  assert.equal((await eu.listFunctions()).some((f: any) => f.FunctionName === fn), false);
  assert.equal((await eu.listRestApis()).length, 0);
});

test('the APIs page lists stages with deployments, variables and working invoke URLs', async () => {
  const { createClient } = await load('api.js');
  const { apiView } = await load('model.js');
  const c = createClient({ baseUrl: env.url });
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'console-api' }));
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id! }))).items!.find((r) => r.path === '/')!;
  await env.apigw.send(new PutMethodCommand({ restApiId: api.id!, resourceId: root.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId: api.id!, resourceId: root.id!, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  const deployment = await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'dev', variables: { env: 'dev' } }));

  const listed = (await c.listRestApis()).find((a: any) => a.id === api.id);
  assert.ok(listed);
  const { hostname, port, host } = new URL(env.url);
  const view = apiView(listed, await c.getStages(api.id), { protocol: 'http:', hostname, port, host });
  assert.deepEqual(view.stages.map((s: any) => [s.name, s.deploymentId, s.variables]), [['dev', deployment.id, ['env=dev']]]);
  assert.equal(view.stages[0].hostStyle, `http://${api.id}.execute-api.localhost:${port}/dev/`);
  const res = await rawGet(new URL(view.stages[0].pathStyle).pathname);
  assert.notEqual(res.status, 404, res.body);
  assert.notEqual(res.status, 403, res.body);
});

test('view rows for function URLs, provisioned concurrency, layers, and stage settings', async () => {
  const m = await load('model.js');
  const fnArn = 'arn:aws:lambda:us-east-1:000000000000:function:hello';
  const view = m.functionView(
    { FunctionName: 'hello', FunctionArn: fnArn },
    [{ Name: 'prod', FunctionVersion: '2' }, { Name: 'dev', FunctionVersion: '2' }],
    [{ Version: '$LATEST' }, { Version: '2', Layers: [{ Arn: 'arn:aws:lambda:us-east-1:000000000000:layer:deps:3', CodeSize: 10 }] }],
    {},
    {
      urls: [
        { FunctionArn: `${fnArn}:prod`, FunctionUrl: 'http://abc.lambda-url.us-east-1.localhost:4566/', AuthType: 'NONE' },
        { FunctionArn: fnArn, FunctionUrl: 'http://def.lambda-url.us-east-1.localhost:4566/', AuthType: 'AWS_IAM' },
      ],
      provisioned: [
        { FunctionArn: `${fnArn}:prod`, RequestedProvisionedConcurrentExecutions: 2, AllocatedProvisionedConcurrentExecutions: 1, Status: 'IN_PROGRESS' },
        { FunctionArn: `${fnArn}:dev`, RequestedProvisionedConcurrentExecutions: 1, AllocatedProvisionedConcurrentExecutions: 0, Status: 'FAILED', StatusReason: 'init failed' },
        { FunctionArn: `${fnArn}:2`, RequestedProvisionedConcurrentExecutions: 1, AllocatedProvisionedConcurrentExecutions: 1, Status: 'READY' },
      ],
    },
  );
  assert.deepEqual(view.url, { url: 'http://def.lambda-url.us-east-1.localhost:4566/', authType: 'AWS_IAM' });
  assert.deepEqual(view.aliases.map((a: any) => [a.name, a.url?.authType, a.provisioned?.text]), [
    ['dev', undefined, 'FAILED · 0 of 1 allocated — init failed'],
    ['prod', 'NONE', 'IN_PROGRESS · 1 of 2 allocated'],
  ]);
  assert.deepEqual(view.versions.map((v: any) => [v.version, v.layers.map((l: any) => `${l.name}:${l.version}`), v.provisioned?.status]), [
    ['$LATEST', [], undefined],
    ['2', ['deps:3'], 'READY'],
  ]);
  // Without the extras (an older caller) nothing is made up.
  assert.equal(m.functionView({ FunctionName: 'x', FunctionArn: 'a' }, [{ Name: 'dev', FunctionVersion: '1' }], [], {}).aliases[0].url, undefined);
  assert.equal(m.parseProvisioned(' 3 '), 3);
  for (const bad of ['0', '-1', '1.5', 'two', '']) assert.throws(() => m.parseProvisioned(bad), (e: any) => e.type === 'InvalidParameterValueException', bad);

  const api = m.apiView({ id: 'abc123', name: 'my api' }, [
    {
      stageName: 'prod', deploymentId: 'd2', lastUpdatedDate: 1700000000,
      methodSettings: { '*/*': { throttlingRateLimit: 100, throttlingBurstLimit: 50 }, '~1a/GET': { throttlingRateLimit: 1 } },
      accessLogSettings: { destinationArn: 'arn:aws:logs:us-east-1:000000000000:log-group:access', format: '$context.requestId' },
    },
    { stageName: 'dev', deploymentId: 'd1', methodSettings: { '*/*': { throttlingBurstLimit: 0 } } },
  ], { protocol: 'http:', host: '127.0.0.1:4566', port: '4566' }, {
    deployments: [{ id: 'd1', createdDate: 1700000000 }, { id: 'd2', createdDate: 1700003600 }],
    models: [{ name: 'Pet' }, { name: 'Error' }],
    validators: [{ id: 'v1', name: 'body-only' }],
    gatewayResponses: [{ responseType: 'THROTTLED', defaultResponse: true }, { responseType: 'DEFAULT_4XX', defaultResponse: false }],
  });
  assert.deepEqual([api.models, api.validators, api.customGatewayResponses], [['Error', 'Pet'], ['body-only'], ['DEFAULT_4XX']]);
  assert.deepEqual(api.stages.map((s: any) => [s.name, s.deployedAt, s.lastUpdated, s.throttling, s.accessLog, s.exportFile]), [
    ['dev', '2023-11-14 22:13:20 UTC', '', 'burst 0', '', 'my_api-dev-oas30.json'],
    ['prod', '2023-11-14 23:13:20 UTC', '2023-11-14 22:13:20 UTC', '100 req/s, burst 50', 'arn:aws:logs:us-east-1:000000000000:log-group:access', 'my_api-prod-oas30.json'],
  ]);
  assert.equal(m.formatDate('2024-01-02T03:04:05Z'), '2024-01-02 03:04:05 UTC');
});

/** Polls the console's own listing until the alias's provisioned concurrency has settled. */
async function settled(c: any, fn: string, alias: string): Promise<any> {
  for (let i = 0; i < 400; i++) {
    const p = (await c.listProvisionedConcurrency(fn)).find((x: any) => x.FunctionArn.endsWith(`:${alias}`));
    if (p && p.Status !== 'IN_PROGRESS') return p;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${fn}:${alias} never left IN_PROGRESS`);
}

test('the console creates function URLs, sets provisioned concurrency and shows layers on a real server', async () => {
  const { createClient, AwsError } = await load('api.js');
  const { functionView } = await load('model.js');
  const c = createClient({ baseUrl: env.url });
  const fn = 'console-extras';
  const layer = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'console-deps', Content: { ZipFile: await makeZip({ 'nodejs/dep.js': 'module.exports = 1;' }) } }));
  await createNodeFunction(env.lambda, fn, handler('extras'), { Layers: [layer.LayerVersionArn!] });
  await c.publishVersion(fn);
  await c.promote(fn, '1', 'prod');
  await c.promote(fn, '1', 'dev');

  // NONE: the URL plus the public grant, so anyone can call it; AWS_IAM: no grant.
  const open = await c.addFunctionUrl(fn, 'prod', 'NONE');
  assert.equal(open.AuthType, 'NONE');
  const policy = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: fn, Qualifier: 'prod' }))).Policy!);
  assert.deepEqual(policy.Statement.map((s: any) => [s.Sid, s.Action, s.Principal, s.Condition]), [
    ['FunctionURLAllowPublicAccess', 'lambda:InvokeFunctionUrl', '*', { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } }],
  ]);
  const called = await fetch(`${env.url}/lambda-url/${new URL(open.FunctionUrl).hostname.split('.')[0]}/`);
  assert.equal(called.status, 200, await called.clone().text());
  assert.equal(((await called.json()) as any).said, 'extras');
  const iam = await c.addFunctionUrl(fn, '', 'AWS_IAM');
  assert.equal(iam.AuthType, 'AWS_IAM');
  await assert.rejects(env.lambda.send(new GetPolicyCommand({ FunctionName: fn })), (e: any) => e.name === 'ResourceNotFoundException');
  await assert.rejects(c.addFunctionUrl(fn, 'prod', 'NONE'), (e: any) => e instanceof AwsError && e.type === 'ResourceConflictException');

  // Provisioned concurrency on an alias, as AWS lists it; then removed.
  const put = await c.putProvisionedConcurrency(fn, 'prod', 1);
  assert.equal(put.RequestedProvisionedConcurrentExecutions, 1);
  assert.equal((await settled(c, fn, 'prod')).Status, 'READY');
  await assert.rejects(c.putProvisionedConcurrency(fn, '$LATEST', 1), (e: any) => e instanceof AwsError && e.status === 400);

  const listed = (await c.listFunctions()).find((f: any) => f.FunctionName === fn);
  const loaded = await c.loadFunction(listed);
  const view = functionView(listed, loaded.aliases, loaded.versions, loaded.tags, loaded);
  assert.deepEqual(view.url, { url: iam.FunctionUrl, authType: 'AWS_IAM' });
  assert.deepEqual(view.aliases.map((a: any) => [a.name, a.url?.url, a.provisioned?.text]), [
    ['dev', undefined, undefined],
    ['prod', open.FunctionUrl, 'READY · 1 of 1 allocated'],
  ]);
  assert.deepEqual(view.versions.map((v: any) => [v.version, v.layers.map((l: any) => `${l.name}:${l.version}`)]), [['$LATEST', ['console-deps:1']], ['1', ['console-deps:1']]]);

  await c.deleteProvisionedConcurrency(fn, 'prod');
  assert.deepEqual(await c.listProvisionedConcurrency(fn), []);
  await c.deleteProvisionedConcurrency(fn, 'prod'); // removing what is not there is fine, as on AWS
  await assert.rejects(c.deleteProvisionedConcurrency(fn, '$LATEST'), (e: any) => e.type === 'InvalidParameterValueException');
});

test('the APIs page shows stage settings, models, validators, gateway responses, and exports a stage', async () => {
  const { createClient } = await load('api.js');
  const { apiView } = await load('model.js');
  const c = createClient({ baseUrl: env.url });
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'console-settings' }));
  const restApiId = api.id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId }))).items!.find((r) => r.path === '/')!;
  await env.apigw.send(new PutMethodCommand({ restApiId, resourceId: root.id!, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId, resourceId: root.id!, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await env.apigw.send(new CreateModelCommand({ restApiId, name: 'Pet', contentType: 'application/json', schema: '{"type":"object"}' }));
  await env.apigw.send(new CreateRequestValidatorCommand({ restApiId, name: 'body-only', validateRequestBody: true }));
  const deployment = await env.apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
  await env.apigw.send(new UpdateStageCommand({
    restApiId, stageName: 'prod', patchOperations: [
      { op: 'replace', path: '/*/*/throttling/rateLimit', value: '100' },
      { op: 'replace', path: '/*/*/throttling/burstLimit', value: '50' },
      { op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:000000000000:log-group:console-access' },
      { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
    ],
  }));

  const load1 = async () => {
    const listed = (await c.listRestApis()).find((a: any) => a.id === restApiId);
    const { stages, ...extras } = await c.loadRestApi(listed);
    return apiView(listed, stages, { protocol: 'http:', host: 'localhost:4566', port: '4566' }, extras);
  };
  let view = await load1();
  // Empty and Error are the models every new API has.
  assert.deepEqual([view.models, view.validators, view.customGatewayResponses], [['Empty', 'Error', 'Pet'], ['body-only'], []]);
  const [stage] = view.stages;
  assert.deepEqual([stage.name, stage.deploymentId, stage.throttling, stage.accessLog], [
    'prod', deployment.id, '100 req/s, burst 50', 'arn:aws:logs:us-east-1:000000000000:log-group:console-access',
  ]);
  assert.equal(stage.deployedAt, `${deployment.createdDate!.toISOString().slice(0, 19).replace('T', ' ')} UTC`);

  await env.apigw.send(new PutGatewayResponseCommand({ restApiId, responseType: 'THROTTLED', statusCode: '429', responseTemplates: { 'application/json': '{"slow":"down"}' } }));
  view = await load1();
  assert.deepEqual(view.customGatewayResponses, ['THROTTLED']);

  // The export the download button saves: the stage's deployment as OpenAPI 3.0 JSON.
  const doc = JSON.parse(await c.getExport(restApiId, 'prod'));
  assert.match(doc.openapi, /^3\.0/);
  assert.equal(doc.info.title, 'console-settings');
  assert.ok(doc.paths['/'].get);
  await assert.rejects(c.getExport(restApiId, 'nope'), (e: any) => e.type === 'NotFoundException' && e.status === 404);
});
