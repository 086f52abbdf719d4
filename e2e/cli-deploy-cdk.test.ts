// `stagecraft deploy --template cdk.out/CdkHello.template.json` against a real server: the `cdk synth`
// output committed in e2e/fixtures/cdk (a lambda.Function from an asset directory, its currentVersion
// and alias `live`, a function URL on the alias, a LambdaRestApi on the alias with a MOCK root
// method, an inline function whose currentVersion nothing aliases, an HttpApi) is deployed as SAM would deploy the same stack; the alias,
// the REST API stage, the function URL and the HTTP API answer over HTTP; changed code publishes a
// new version the alias moves to; `stagecraft status` and `delete` see the stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, InvokeCommand, GetFunctionCommand, GetFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { GetIntegrationCommand, GetResourcesCommand, GetRestApiCommand, GetStageCommand } from '@aws-sdk/client-api-gateway';
import { GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { httpGet, httpRequest, runCli, unique } from '../src/cli/testing.js';
import { functionUrlPathStyle } from '../src/deploy/urls.js';

const env = useServer();
const dirs = useTempDirs();
const FIXTURE = join(import.meta.dirname, '..', '..', 'e2e', 'fixtures', 'cdk', 'cdk.out');
const TEMPLATE = 'CdkHello.template.json';

interface Route { method: string; path: string; pathStyleUrl: string }
interface DeployJson {
  changed: boolean;
  functions: { logicalId: string; name: string; alias?: string; version?: string; functionUrl?: string }[];
  apis: { logicalId: string; id: string; stages: { name: string; variables: Record<string, string>; routes: Route[] }[] }[];
  outputs: { name: string; value: string }[];
  notDeployed: { logicalId: string; type: string }[];
}

function copyFixture(): string {
  const dir = dirs.make('stagecraft-cdk-');
  cpSync(FIXTURE, join(dir, 'cdk.out'), { recursive: true });
  return dir;
}

// SAM CLI's two spellings, --template (the first stack) and -t.
const deploy = (dir: string, stack: string, template = TEMPLATE) => runCli(['deploy', template === TEMPLATE ? '--template' : '-t', `cdk.out/${template}`, '--stack-name', stack, '--json'], { cwd: dir, endpoint: env.url });

async function invoke(name: string, qualifier?: string): Promise<{ message: string; version: string }> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: qualifier, Payload: Buffer.from(JSON.stringify({ path: '/direct' })) }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return JSON.parse(JSON.parse(Buffer.from(out.Payload!).toString()).body);
}

test('a cdk synth template deploys: alias on the current version, REST API stage, function URL, HTTP API; new code, new version; status and delete', async () => {
  const stack = unique('cdk');
  const dir = copyFixture();
  const first = await deploy(dir, stack);
  assert.equal(first.code, 0, first.output);
  const result = first.json() as DeployJson;
  // Roles and the API Gateway account settings are skipped with a warning that says why; nothing is said about the translated resources.
  assert.match(first.stderr, /HelloServiceRole1E55EA16 \(AWS::IAM::Role\) is not created: Stagecraft does not model IAM/);
  assert.match(first.stderr, /HelloApiAccount27279CFF \(AWS::ApiGateway::Account\) is not deployed: it gives API Gateway the account's CloudWatch Logs role/);
  assert.doesNotMatch(first.stderr, /AWS::Lambda::(Function|Version|Alias|Url)\)|AWS::ApiGateway::(RestApi|Method|Resource|Stage|Deployment)\)|AWS::CDK::Metadata|BootstrapVersion|write it as/);
  assert.deepEqual(result.notDeployed.map((r) => r.type).sort(), ['AWS::ApiGateway::Account', 'AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::IAM::Role']);

  const hello = result.functions.find((f) => f.logicalId === 'Hello4A628BD4')!;
  assert.equal(hello.name, `${stack}-Hello4A628BD4`);
  assert.equal(hello.alias, 'live');
  assert.equal(hello.version, '1');
  const config = await env.lambda.send(new GetFunctionCommand({ FunctionName: hello.name }));
  assert.equal(config.Configuration?.Runtime, 'nodejs22.x');
  assert.equal(config.Configuration?.MemorySize, 256);
  assert.equal(config.Configuration?.Timeout, 10);
  assert.deepEqual(config.Configuration?.Environment?.Variables, { GREETING: 'hello' });
  assert.equal((await env.lambda.send(new GetAliasCommand({ FunctionName: hello.name, Name: 'live' }))).FunctionVersion, '1');
  assert.deepEqual(await invoke(hello.name, 'live'), { message: 'hello from v1', path: '/direct', version: '1' });
  const inline = result.functions.find((f) => f.logicalId === 'Inline6CF80F9D')!;
  assert.equal(inline.alias, undefined, 'a function whose Version no alias points at gets no alias');
  assert.equal(inline.version, '1', 'but its version is published');

  // The LambdaRestApi: its stage serves the Method tree, proxied to the alias, and the MOCK root method.
  const rest = result.apis.find((a) => a.logicalId === 'HelloApi3F989F66')!;
  const prod = rest.stages[0];
  assert.equal(prod.name, 'prod');
  assert.deepEqual(prod.variables, { mode: 'cdk' });
  assert.deepEqual(prod.routes.map((r) => `${r.method} ${r.path}`).sort(), ['ANY /', 'GET /greet', 'POST /greet/{name}']);
  const greet = await httpGet(prod.routes.find((r) => r.path === '/greet')!.pathStyleUrl);
  assert.equal(greet.status, 200, greet.body);
  assert.deepEqual(JSON.parse(greet.body), { message: 'hello from v1', path: '/greet', version: '1' });
  const named = await httpRequest('POST', prod.routes.find((r) => r.path === '/greet/{name}')!.pathStyleUrl.replace('{name}', 'ada'));
  assert.equal(named.status, 200, named.body);
  assert.equal(JSON.parse(named.body).path, '/greet/ada');
  const mock = await httpGet(prod.routes.find((r) => r.path === '/')!.pathStyleUrl, { 'content-type': 'application/json' });
  assert.equal(mock.status, 200, mock.body);
  assert.deepEqual(JSON.parse(mock.body), { mock: true });
  assert.equal((await httpGet(prod.routes[0].pathStyleUrl.replace(/\/_user_request_\/.*$/, '/_user_request_/nope'))).status, 403);

  // Outputs built with Fn::Join over the RestApi, its Stage and AWS::URLSuffix, and the URL's and HTTP API's attributes.
  const outputs = Object.fromEntries(result.outputs.map((o) => [o.name, o.value]));
  assert.equal(outputs.HelloApiEndpoint91438085, `https://${rest.id}.execute-api.us-east-1.amazonaws.com/prod/`);
  assert.equal(outputs.FunctionUrl, hello.functionUrl);
  const httpApi = result.apis.find((a) => a.logicalId === 'HelloHttpA8D6AAF0')!;
  assert.equal(outputs.HttpApiUrl, `https://${httpApi.id}.execute-api.us-east-1.amazonaws.com`);
  assert.equal(outputs.InlineVersion, '1');

  // The function URL is on the alias.
  const viaUrl = await httpGet(`${functionUrlPathStyle(hello.functionUrl!, env.url)}from-url`);
  assert.equal(viaUrl.status, 200, viaUrl.body);
  assert.equal(JSON.parse(viaUrl.body).version, '1');

  // The HTTP API: GET /hello on Hello, everything else on the inline function.
  const routes = httpApi.stages[0].routes;
  const viaHttp = await httpGet(routes.find((r) => r.path === '/hello')!.pathStyleUrl);
  assert.equal(viaHttp.status, 200, viaHttp.body);
  assert.equal(JSON.parse(viaHttp.body).message, 'hello from v1');
  const fallback = await httpGet(routes.find((r) => r.path === '$default')!.pathStyleUrl.replace(/\/?$/, '/anything'));
  assert.equal(fallback.status, 200, fallback.body);
  assert.equal(fallback.body, 'inline');

  // Nothing changed: nothing is published or moved.
  const again = await deploy(dir, stack);
  assert.equal(again.code, 0, again.output);
  assert.equal((again.json() as DeployJson).changed, false, again.stderr);

  // New code (as `cdk synth` writes it: a new asset directory and a new Version logical ID): version 2, and the alias follows.
  const template = readFileSync(join(dir, 'cdk.out', TEMPLATE), 'utf8');
  const asset = String(JSON.parse(template).Resources.Hello4A628BD4.Metadata['aws:asset:path']);
  const source = readFileSync(join(dir, 'cdk.out', asset, 'index.js'), 'utf8');
  cpSync(join(dir, 'cdk.out', asset), join(dir, 'cdk.out', 'asset.changed'), { recursive: true });
  writeFileSync(join(dir, 'cdk.out', 'asset.changed', 'index.js'), source.replace("const VERSION = 'v1'", "const VERSION = 'v2'"));
  writeFileSync(join(dir, 'cdk.out', TEMPLATE), template.replaceAll(asset, 'asset.changed').replaceAll('HelloCurrentVersionF236B966f0b3a197dbc7dd2e606cda754ebb9d5e', 'HelloCurrentVersionF236B9660123456789abcdef0123456789abcdef'));
  const second = await deploy(dir, stack);
  assert.equal(second.code, 0, second.output);
  const redeployed = second.json() as DeployJson;
  assert.equal(redeployed.functions.find((f) => f.logicalId === 'Hello4A628BD4')!.version, '2');
  assert.equal(redeployed.functions.find((f) => f.logicalId === 'Inline6CF80F9D')!.version, '1', 'unchanged code publishes nothing');
  assert.deepEqual(await invoke(hello.name, 'live'), { message: 'hello from v2', path: '/direct', version: '2' });
  const greet2 = await httpGet(prod.routes.find((r) => r.path === '/greet')!.pathStyleUrl);
  assert.equal(JSON.parse(greet2.body).message, 'hello from v2');

  const status = await runCli(['status', '--stack', stack, '--json'], { endpoint: env.url });
  assert.equal(status.code, 0, status.output);
  assert.match(status.stdout, new RegExp(hello.name));
  const deleted = await runCli(['delete', '--stack-name', stack, '--no-prompts', '--json'], { endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  await assert.rejects(env.lambda.send(new GetFunctionCommand({ FunctionName: hello.name })), /ResourceNotFound|not found/i);
  await assert.rejects(env.apigw.send(new GetRestApiCommand({ restApiId: rest.id })), /NotFound/);
  await assert.rejects(env.apigwv2.send(new GetApiCommand({ ApiId: httpApi.id })), /NotFound/);
});

test('a second CDK stack: a layer from its asset, a proxy LambdaRestApi with CORS preflights, method throttling, an HTTP integration, retries off', async () => {
  const stack = unique('cdkproxy');
  const dir = copyFixture();
  const run = await deploy(dir, stack, 'CdkProxy.template.json');
  assert.equal(run.code, 0, run.output);
  const result = run.json() as DeployJson;
  const fn = result.functions.find((f) => f.logicalId === 'ProxyCB0DFB71')!;
  const config = await env.lambda.send(new GetFunctionCommand({ FunctionName: fn.name }));
  assert.match(config.Configuration?.Layers?.[0]?.Arn ?? '', /:layer:SharedDACC02AA:\d+$/, 'the layer is named after its logical ID, as SAM names layers');
  assert.equal((await env.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: fn.name }))).MaximumRetryAttempts, 0);

  // {proxy+} and the root, both proxied to the function, which loads the layer's module.
  const prod = result.apis.find((a) => a.logicalId === 'ProxyApi0DF2D7AE')!.stages[0];
  assert.equal(prod.name, 'prod');
  const base = prod.routes[0].pathStyleUrl.replace(/\/_user_request_\/.*$/, '/_user_request_');
  const deep = await httpGet(`${base}/a/b`);
  assert.equal(deep.status, 200, deep.body);
  assert.deepEqual(JSON.parse(deep.body), { message: 'hello a/b, from the layer', path: '/a/b' });
  // The CORS preflight CDK writes as MOCK methods with integration response headers.
  const preflight = await httpRequest('OPTIONS', `${base}/a`, { origin: 'https://app.example', 'access-control-request-method': 'GET' });
  assert.equal(preflight.status, 204, preflight.body);
  assert.equal(preflight.headers['access-control-allow-origin'], '*');
  assert.match(String(preflight.headers['access-control-allow-methods']), /GET/);

  // The plain RestApi: stage v1 with the method throttling CDK's methodOptions wrote; /items proxied, /ext an HTTP integration.
  const plain = result.apis.find((a) => a.logicalId === 'Plain295EB121')!;
  const items = await httpGet(plain.stages[0].routes.find((r) => r.path === '/items')!.pathStyleUrl);
  assert.equal(items.status, 200, items.body);
  const stage = await env.apigw.send(new GetStageCommand({ restApiId: plain.id, stageName: 'v1' }));
  assert.deepEqual(stage.methodSettings?.['*/*'] && { rate: stage.methodSettings['*/*'].throttlingRateLimit, burst: stage.methodSettings['*/*'].throttlingBurstLimit }, { rate: 10, burst: 5 });
  const resources = await env.apigw.send(new GetResourcesCommand({ restApiId: plain.id }));
  const ext = resources.items!.find((r) => r.path === '/ext')!;
  const integration = await env.apigw.send(new GetIntegrationCommand({ restApiId: plain.id, resourceId: ext.id!, httpMethod: 'GET' }));
  assert.deepEqual([integration.type, integration.httpMethod, integration.uri], ['HTTP_PROXY', 'GET', 'http://127.0.0.1:9/ext']);

  const deleted = await runCli(['delete', '--stack-name', stack, '--no-prompts'], { endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
});
