// `stagecraft deploy` with SAM's Cors against a real server: every path gets an OPTIONS preflight
// answered by API Gateway with the Access-Control-* headers SAM would configure, a path with its own
// OPTIONS route keeps it, re-deploying changes nothing, and removing Cors removes the preflights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetMethodCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { apiEvent, httpGet, httpRequest, nodeHandler, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

function template(apiName: string, prefix: string, cors: string): string {
  return samApiTemplate(apiName, cors, `  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
      Events:
${[apiEvent('List', '/items', 'GET'), apiEvent('Add', '/items', 'POST'), apiEvent('Anything', '/any', 'ANY'), apiEvent('Own', '/own', 'OPTIONS')].join('\n')}
`);
}

const CORS = `      Cors:
        AllowOrigin: "'https://app.example.com'"
        AllowHeaders: "'Content-Type,Authorization'"
        MaxAge: "'600'"
        AllowCredentials: true`;

test('Cors gives every path a preflight answered by API Gateway; an OPTIONS route of its own is kept; re-deploys change nothing; removing Cors removes them', async () => {
  const prefix = unique('cors');
  const apiName = unique('api');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(apiName, prefix, CORS), 'src/index.mjs': nodeHandler('from the function') }));

  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  assert.match(run.stderr, /CORS preflight OPTIONS \/items \[created\]/);
  const api = run.json().apis[0];
  const url = (path: string) => api.stages[0].routes.find((r: { path: string }) => r.path === path).url;

  const preflight = await httpRequest('OPTIONS', url('/items'), { origin: 'https://app.example.com', 'access-control-request-method': 'POST' });
  assert.equal(preflight.status, 200, preflight.body);
  assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example.com');
  assert.equal(preflight.headers['access-control-allow-methods'], 'GET,OPTIONS,POST');
  assert.equal(preflight.headers['access-control-allow-headers'], 'Content-Type,Authorization');
  assert.equal(preflight.headers['access-control-max-age'], '600');
  assert.equal(preflight.headers['access-control-allow-credentials'], 'true');
  assert.equal(preflight.body, '{}\n');
  // ANY stands for every method; the path with its own OPTIONS route calls the function instead.
  assert.equal((await httpRequest('OPTIONS', url('/any'))).headers['access-control-allow-methods'], 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT');
  const own = await httpRequest('OPTIONS', url('/own'));
  assert.equal(own.body, 'from the function');
  assert.equal(own.headers['access-control-allow-origin'], undefined);
  assert.equal((await httpGet(url('/items'))).body, 'from the function');

  // As SAM configures it: a MOCK integration selecting 200, the headers declared on the method response.
  const resources = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id }))).items ?? [];
  const items = resources.find((r) => r.path === '/items')!;
  const method = await env.apigw.send(new GetMethodCommand({ restApiId: api.id, resourceId: items.id, httpMethod: 'OPTIONS' }));
  assert.equal(method.authorizationType, 'NONE');
  assert.equal(method.methodIntegration?.type, 'MOCK');
  assert.deepEqual(method.methodIntegration?.requestTemplates, { 'application/json': '{\n  "statusCode" : 200\n}\n' });
  assert.equal(method.methodResponses?.['200']?.responseParameters?.['method.response.header.Access-Control-Allow-Origin'], false);

  const again = await deploy(dir, '--json');
  assert.equal(again.code, 0, again.output);
  assert.equal(again.json().changed, false, JSON.stringify(again.json().changes.filter((c: { kind: string }) => c.kind !== 'unchanged')));

  // A changed origin replaces the preflight; without Cors the OPTIONS methods go.
  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, CORS.replace('https://app.example.com', '*')));
  const changed = await deploy(dir);
  assert.equal(changed.code, 0, changed.output);
  assert.match(changed.stdout, /CORS preflight OPTIONS \/items \[updated\]/);
  assert.equal((await httpRequest('OPTIONS', url('/items'))).headers['access-control-allow-origin'], '*');

  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, ''));
  const removed = await deploy(dir);
  assert.equal(removed.code, 0, removed.output);
  assert.match(removed.stdout, /route OPTIONS \/items \(no longer in the template\) \[removed\]/);
  const gone = await httpRequest('OPTIONS', url('/items'));
  assert.equal(gone.status, 403, gone.body);
  assert.equal((await httpRequest('OPTIONS', url('/own'))).body, 'from the function');
});

test('Cors as a plain string is the allowed origin; unquoted values and a missing AllowOrigin are refused where they are written', async () => {
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(unique('api'), unique('cors'), `      Cors: "*"`), 'src/index.mjs': nodeHandler('x') }));
  const unquoted = await deploy(dir, '--check');
  assert.equal(unquoted.code, 1, unquoted.output);
  assert.match(unquoted.output, /template\.yaml:\d+:\d+ \(Resources\.Api\.Properties\.Cors\): Cors\.AllowOrigin must be a quoted string such as "'\*'"/);

  writeFileSync(join(dir, 'template.yaml'), template(unique('api'), unique('cors'), `      Cors:\n        AllowHeaders: "'X-Custom'"`));
  const missing = await deploy(dir, '--check');
  assert.equal(missing.code, 1, missing.output);
  assert.match(missing.output, /Cors needs AllowOrigin/);

  writeFileSync(join(dir, 'template.yaml'), template(unique('api'), unique('cors'), `      Cors: "'*'"`));
  const plain = await deploy(dir, '--json');
  assert.equal(plain.code, 0, plain.output);
  const api = plain.json().apis[0];
  const items = api.stages[0].routes.find((r: { path: string }) => r.path === '/items').url;
  const preflight = await httpRequest('OPTIONS', items);
  assert.equal(preflight.headers['access-control-allow-origin'], '*');
  assert.equal(preflight.headers['access-control-allow-methods'], 'GET,OPTIONS,POST');
  assert.equal(preflight.headers['access-control-allow-headers'], undefined);
});
