// The other integrations end to end: HTTP and HTTP_PROXY against a local endpoint (stage variables
// in the URI, {proxy} substitution, query strings and headers passed through, parameter mappings,
// status selection, templates calling Java methods), MOCK, non-proxy Lambda (AWS) with VTL request
// and response templates and selection patterns — set up with the AWS CLI — and TestInvokeMethod through the same chain.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand, PutIntegrationCommand, PutIntegrationResponseCommand,
  PutMethodCommand, PutMethodResponseCommand, TestInvokeMethodCommand, UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { awsCli } from '../src/testing/aws.js';
import { apiGatewayInvokeRole, createNodeFunction, invocationsUri, putLambdaProxyMethod } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHost, invokePath } from '../src/execute-api/testing.js';

const env = useServer();
let backend: Server;
let backendPort: number;
let apiId: string;
let rootId: string;

env.setup(async () => {
  // An HTTP endpoint that echoes what it receives (status from ?status=).
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const status = Number(url.searchParams.get('status') ?? 200);
      const delay = Number(url.searchParams.get('delay') ?? 0);
      setTimeout(() => {
        const body = Buffer.from(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() }));
        res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': body.length, 'X-Backend': 'yes', Server: 'echo/1' });
        res.end(body);
      }, delay);
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
  backendPort = (backend.address() as AddressInfo).port;

  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'integrations' }))).id!;
  rootId = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
});
after(async () => {
  await new Promise<void>((r) => backend.close(() => r()));
});

async function resource(parentId: string, pathPart: string): Promise<string> {
  return (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId, pathPart }))).id!;
}

async function deploy(variables: Record<string, string> = {}): Promise<void> {
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'test', variables: { backend: `127.0.0.1:${backendPort}`, ...variables } }));
}

test('HTTP_PROXY: path, query string, headers and body pass through; the response comes back with remapped headers', async () => {
  const proxyParent = await resource(rootId, 'hp');
  const proxy = await resource(proxyParent, '{proxy+}');
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: proxy, httpMethod: 'ANY', authorizationType: 'NONE', requestParameters: { 'method.request.path.proxy': true, 'method.request.querystring.testQs': false } }));
  await env.apigw.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId: proxy, httpMethod: 'ANY', type: 'HTTP_PROXY', integrationHttpMethod: 'ANY',
    uri: 'http://${stageVariables.backend}/backend/{proxy}',
    requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy', 'integration.request.header.X-Mapped': "'mapped-value'", 'integration.request.querystring.testVar': 'method.request.querystring.testQs' },
  }));
  await deploy();
  const r = await invokeHost(env.url, apiId, 'test', '/hp/a/b?x=1&x=2&testQs=foo', { method: 'PUT', headers: { 'Content-Type': 'text/plain', 'X-Client': 'c1', 'User-Agent': 'ua/1' }, body: 'payload' });
  assert.equal(r.status, 200);
  const seen = r.json();
  assert.equal(seen.method, 'PUT');
  assert.equal(seen.url, '/backend/a/b?x=1&x=2&testQs=foo&testVar=foo');
  assert.equal(seen.body, 'payload');
  assert.equal(seen.headers['x-client'], 'c1');
  assert.equal(seen.headers['user-agent'], 'ua/1');
  assert.equal(seen.headers['x-mapped'], 'mapped-value');
  assert.equal(seen.headers['x-amzn-apigateway-api-id'], apiId);
  assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
  assert.equal(seen.headers.host, `127.0.0.1:${backendPort}`);
  assert.equal(r.headers['x-backend'], 'yes');
  assert.match(String(r.headers['x-amzn-trace-id']), /^Root=1-/);
  assert.equal(r.headers['x-amzn-remapped-server'], 'echo/1');
  assert.ok(r.headers['x-amzn-remapped-date']);
  assert.ok(r.headers['x-amzn-remapped-content-length']);

  const passthrough = await invokeHost(env.url, apiId, 'test', '/hp/x?status=418');
  assert.equal(passthrough.status, 418, 'HTTP_PROXY passes the status through');
});

test('HTTP: mapped request, status selection by pattern, response templates; stage variables in the URI', async () => {
  const res = await resource(rootId, 'http');
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: res, httpMethod: 'POST', authorizationType: 'NONE', requestParameters: { 'method.request.querystring.want': false } }));
  await env.apigw.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId: res, httpMethod: 'POST', type: 'HTTP', integrationHttpMethod: 'POST',
    uri: 'http://${stageVariables.backend}/${stageVariables.prefix}/items',
    requestParameters: { 'integration.request.querystring.status': 'method.request.querystring.want', 'integration.request.header.X-Env': 'stageVariables.prefix' },
    requestTemplates: { 'application/json': '{"wrapped": $input.json(\'$\'), "requestId": "$context.requestId"}' },
  }));
  await env.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: res, httpMethod: 'POST', statusCode: '200' }));
  await env.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: res, httpMethod: 'POST', statusCode: '400' }));
  await env.apigw.send(new PutIntegrationResponseCommand({
    restApiId: apiId, resourceId: res, httpMethod: 'POST', statusCode: '200', selectionPattern: '',
    responseTemplates: { 'application/json': '{"backendSaw": $input.json(\'$.body\'), "path": "$input.path(\'$.url\')"}' },
  }));
  await env.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: res, httpMethod: 'POST', statusCode: '400', responseParameters: { 'method.response.header.X-Backend': false } }));
  await env.apigw.send(new PutIntegrationResponseCommand({
    restApiId: apiId, resourceId: res, httpMethod: 'POST', statusCode: '400', selectionPattern: '4\\d{2}',
    responseParameters: { 'method.response.header.X-Backend': 'integration.response.header.X-Backend' },
  }));
  await deploy({ prefix: 'v1' });
  const r = await invokePath(env.url, apiId, 'test', '/http', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Not-Forwarded': '1' }, body: '{"k":"v"}' });
  assert.equal(r.status, 200);
  const out = r.json();
  assert.equal(out.path, '/v1/items');
  const sent = JSON.parse(out.backendSaw);
  assert.deepEqual(sent.wrapped, { k: 'v' });
  assert.equal(sent.requestId, r.headers['x-amzn-requestid']);

  const bad = await invokePath(env.url, apiId, 'test', '/http?want=404', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(bad.status, 400, '404 from the endpoint selects the 4\\d{2} response');
  assert.equal(bad.headers['x-backend'], 'yes');
  const seen = JSON.parse(bad.text);
  assert.equal(seen.headers['x-env'], 'v1');
  assert.equal(seen.headers['x-not-forwarded'], undefined, 'HTTP (non-proxy) sends only mapped headers');
  assert.equal(seen.headers['user-agent'], `AmazonAPIGateway_${apiId}`);

  const unmatched = await invokePath(env.url, apiId, 'test', '/http?want=503', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(unmatched.status, 200, 'an unmatched status takes the default response');

  // Stage variables are live: change the prefix without a redeploy.
  await env.apigw.send(new UpdateStageCommand({ restApiId: apiId, stageName: 'test', patchOperations: [{ op: 'replace', path: '/variables/prefix', value: 'v2' }] }));
  const moved = await invokePath(env.url, apiId, 'test', '/http', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(moved.json().path, '/v2/items');
});

test('HTTP: templates call Java String, Map and List methods as on AWS (Java regexes, Java rendering of maps)', async () => {
  const res = await resource(rootId, 'java');
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: res, httpMethod: 'POST', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId: res, httpMethod: 'POST', type: 'HTTP', integrationHttpMethod: 'POST',
    uri: 'http://${stageVariables.backend}/java',
    requestTemplates: {
      'application/json': [
        `#set($name = $input.path('$.name'))`,
        `{"len": $input.path('$.name').length(), "slug": "$name.trim().replaceAll("\\s+", "-").toLowerCase()",`,
        ` "loud": $input.path('$.mode').equalsIgnoreCase("loud"), "keys": "$input.path('$').keySet()", "first": "$input.path('$.tags').get(0)",`,
        ` "hasTags": $input.path('$').containsKey("tags"), "date": "$input.path('$.date').replaceFirst("(\\d+)-(\\d+)-(\\d+)", "$3/$2/$1")",`,
        ` "object": "$util.escapeJavaScript($input.path('$.meta'))",`,
        // Java's class intersections, mid-pattern flags, Unicode properties, `$` and `.` with line terminators.
        ` "consonants": "$input.path('$.word').replaceAll("[a-z&&[^aeiou]]", "*")", "scoped": "$input.path('$.word').replaceFirst("S(?i)TAGE", "_")",`,
        ` "greek": "$input.path('$.mixed').replaceAll("\\p{IsGreek}+", "G")", "letters": $input.path('$.mixed').matches("[\\p{L}-]+"),`,
        ` "notLatin": "$input.path('$.mixed').replaceAll("[\\p{L}&&[^\\p{InBasicLatin}]]", "")", "single": $input.path('$.word').matches('\\p{L}'),`,
        ` "line": "$util.escapeJavaScript($input.path('$.line').replaceAll("end$", "END").replaceAll(".+", "L"))",`,
        ` "dynamic": $input.path('$.word').matches($input.path('$.pattern'))}`,
      ].join(''),
    },
  }));
  await env.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: res, httpMethod: 'POST', statusCode: '200' }));
  await env.apigw.send(new PutIntegrationResponseCommand({
    restApiId: apiId, resourceId: res, httpMethod: 'POST', statusCode: '200', selectionPattern: '',
    responseTemplates: {
      'application/json': `#set($sent = $util.parseJson($input.path('$.body'))){"sent": $input.path('$.body'), "pieces": $sent.slug.split("-").size(), "matches": $sent.slug.matches("[a-z]+(-[a-z]+)*")}`,
    },
  }));
  await deploy({ prefix: 'v1' });
  const body = JSON.stringify({
    name: '  Ada   King Lovelace ', mode: 'LOUD', tags: ['math', 'engines'], date: '1843-07-10', meta: { born: 1815, works: ['Notes'] },
    word: 'Stagecraft', mixed: 'alpha-αλφα-Ωmega', line: 'the end\u0085the end\n', pattern: '\\p{Lu}[\\p{IsLatin}&&[^\\p{Lu}]]+',
  });
  const r = await invokePath(env.url, apiId, 'test', '/java', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(JSON.parse(r.text), {
    sent: {
      len: 22, slug: 'ada-king-lovelace', loud: true, keys: '[name, mode, tags, date, meta, word, mixed, line, pattern]', first: 'math', hasTags: true, date: '10/07/1843',
      object: '{born=1815, works=["Notes"]}',
      consonants: 'S*a*e**a**', scoped: '_craft', greek: 'alpha-G-Gmega', letters: true, notLatin: 'alpha--mega', single: false,
      line: 'L\u0085L\n', dynamic: true,
    },
    pieces: 3,
    matches: true,
  });
  // An unknown property name fails the template, as Java's PatternSyntaxException does.
  const unknown = await invokePath(env.url, apiId, 'test', '/java', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body.replace('IsLatin', 'IsKlingon'),
  });
  assert.equal(unknown.status, 500, unknown.text);
});

test('HTTP failures: an unreachable endpoint is 502, a slow one 504 at timeoutInMillis', async () => {
  const down = await resource(rootId, 'down');
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: down, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: down, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'http://127.0.0.1:1/nothing' }));
  const slow = await resource(rootId, 'slow');
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: slow, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: slow, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: 'http://${stageVariables.backend}/slow?delay=2000', timeoutInMillis: 300 }));
  await deploy({ prefix: 'v1' });
  const d = await invokeHost(env.url, apiId, 'test', '/down');
  assert.deepEqual([d.status, d.text], [502, '{"message": "Internal server error"}']);
  const s = await invokeHost(env.url, apiId, 'test', '/slow');
  assert.deepEqual([s.status, s.text], [504, '{"message": "Endpoint request timed out"}']);
});

test('MOCK: the request template chooses the status, the response template the body (AWS CLI)', async () => {
  const api = apiId;
  const cli = (...args: string[]) => awsCli(env.url, ['apigateway', ...args]);
  const res = (await cli('create-resource', '--rest-api-id', api, '--parent-id', rootId, '--path-part', 'mock')).json().id;
  assert.equal((await cli('put-method', '--rest-api-id', api, '--resource-id', res, '--http-method', 'GET', '--authorization-type', 'NONE')).code, 0);
  assert.equal((await cli('put-integration', '--rest-api-id', api, '--resource-id', res, '--http-method', 'GET', '--type', 'MOCK',
    '--request-templates', JSON.stringify({ 'application/json': '#if($input.params(\'fail\') == "yes"){"statusCode": 404}#else{"statusCode": 200}#end' }))).code, 0);
  for (const code of ['200', '404']) {
    assert.equal((await cli('put-method-response', '--rest-api-id', api, '--resource-id', res, '--http-method', 'GET', '--status-code', code)).code, 0);
  }
  assert.equal((await cli('put-integration-response', '--rest-api-id', api, '--resource-id', res, '--http-method', 'GET', '--status-code', '200', '--selection-pattern', '',
    '--response-templates', JSON.stringify({ 'application/json': '{"response": "mocked", "echo": "$input.params(\'echo\')"}' }))).code, 0);
  assert.equal((await cli('put-integration-response', '--rest-api-id', api, '--resource-id', res, '--http-method', 'GET', '--status-code', '404', '--selection-pattern', '404',
    '--response-templates', JSON.stringify({ 'application/json': '{"response": "not here"}' }))).code, 0);
  assert.equal((await cli('create-deployment', '--rest-api-id', api, '--stage-name', 'test', '--variables', `backend=127.0.0.1:${backendPort},prefix=v1`)).code, 0);
  const r = await invokeHost(env.url, api, 'test', '/mock?echo=foobar');
  assert.deepEqual([r.status, r.json()], [200, { response: 'mocked', echo: 'foobar' }]);
  assert.equal(r.headers['x-amzn-trace-id'], undefined, 'no trace header for MOCK, as on AWS');
  const nf = await invokeHost(env.url, api, 'test', '/mock?fail=yes');
  assert.deepEqual([nf.status, nf.json()], [404, { response: 'not here' }]);
});

test('AWS (non-proxy Lambda): VTL request and response templates, selection patterns on errors', async () => {
  const code = `exports.handler = async (event) => {
    if (event.action === 'fail400') throw new Error('Bad request: ' + event.param1);
    if (event.action === 'fail500') throw new Error('Something else');
    return { received: event };
  };`;
  await createNodeFunction(env.lambda, 'vtl', code);
  const res = await resource(rootId, 'aws');
  await env.apigw.send(new PutMethodCommand({ restApiId: apiId, resourceId: res, httpMethod: 'GET', authorizationType: 'NONE' }));
  await env.apigw.send(new PutIntegrationCommand({
    restApiId: apiId, resourceId: res, httpMethod: 'GET', type: 'AWS', integrationHttpMethod: 'POST',
    uri: invocationsUri('vtl'),
    credentials: apiGatewayInvokeRole,
    requestTemplates: { 'application/json': '{"param1": "$input.params(\'param1\')", "action": "$util.escapeJavaScript($input.params(\'action\'))", "stage": "$context.stage", "env": "$stageVariables.prefix"}' },
  }));
  for (const code of ['200', '400', '500']) await env.apigw.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: res, httpMethod: 'GET', statusCode: code }));
  await env.apigw.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId: res, httpMethod: 'GET', statusCode: '200', selectionPattern: '' }));
  await env.apigw.send(new PutIntegrationResponseCommand({
    restApiId: apiId, resourceId: res, httpMethod: 'GET', statusCode: '400', selectionPattern: 'Bad request.*',
    responseTemplates: { 'application/json': '{"error": "$input.path(\'$.errorMessage\')", "type": "$input.path(\'$.errorType\')"}' },
  }));
  await env.apigw.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId: res, httpMethod: 'GET', statusCode: '500', selectionPattern: '.+' }));
  await deploy({ prefix: 'v9' });

  const ok = await invokeHost(env.url, apiId, 'test', '/aws?param1=foobar');
  assert.deepEqual([ok.status, ok.json()], [200, { received: { param1: 'foobar', action: '', stage: 'test', env: 'v9' } }]);
  const bad = await invokeHost(env.url, apiId, 'test', '/aws?param1=x&action=fail400');
  assert.deepEqual([bad.status, bad.json()], [400, { error: 'Bad request: x', type: 'Error' }]);
  const other = await invokeHost(env.url, apiId, 'test', '/aws?action=fail500');
  assert.equal(other.status, 500);
  assert.equal(other.json().errorMessage, 'Something else', 'without a template the error payload passes through');
});

test('TestInvokeMethod runs the method as it is now, with the given stage variables (SDK and CLI)', async () => {
  await createNodeFunction(env.lambda, 'ti',
    'exports.handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ path: e.path, q: e.queryStringParameters, id: e.pathParameters, vars: e.stageVariables, body: e.body, stage: e.requestContext.stage }) });');
  const parent = await resource(rootId, 'ti');
  const res = await resource(parent, '{id}');
  await putLambdaProxyMethod(env.apigw, { restApiId: apiId, resourceId: res, httpMethod: 'POST' }, 'ti', { credentials: apiGatewayInvokeRole });
  const out = await env.apigw.send(new TestInvokeMethodCommand({
    restApiId: apiId, resourceId: res, httpMethod: 'POST', pathWithQueryString: '/ti/7?x=1', body: 'hello', headers: { 'Content-Type': 'text/plain' }, stageVariables: { v: 'w' },
  }));
  assert.equal(out.status, 200);
  assert.deepEqual(JSON.parse(out.body!), { path: '/ti/7', q: { x: '1' }, id: { id: '7' }, vars: { v: 'w' }, body: 'hello', stage: 'test-invoke-stage' });
  assert.equal(out.headers!['Content-Type'], 'application/json');
  assert.match(out.headers!['X-Amzn-Trace-Id'], /^Root=1-/);
  assert.match(out.log!, /^Execution log for request [0-9a-f-]{36}\n/);
  assert.match(out.log!, /HTTP Method: POST, Resource Path: \/ti\/\{id\}/);
  assert.match(out.log!, /Method completed with status: 200/);
  assert.equal(typeof out.latency, 'number');

  const cli = await awsCli(env.url, ['apigateway', 'test-invoke-method', '--rest-api-id', apiId, '--resource-id', res, '--http-method', 'POST', '--path-with-query-string', '/ti/8']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(JSON.parse(cli.json().body).id.id, '8');

  const missing = await awsCli(env.url, ['apigateway', 'test-invoke-method', '--rest-api-id', apiId, '--resource-id', res, '--http-method', 'GET']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /NotFoundException/);
});
