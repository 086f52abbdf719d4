// `stagecraft deploy` with SAM's Auth.ResourcePolicy, Policy and MinimumCompressionSize against a
// real server: a blacklisted caller gets AWS's 403, a whitelisted one is let in once the changed
// policy is deployed again; an event's own ResourcePolicy covers its path only; compression follows
// the template (frozen in the deployment, so a change redeploys the stages); re-deploys change nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { apiEvent, nodeHandler, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';
import { invokeHost } from '../src/execute-api/testing.js';

const env = useServer();
const dirs = useTempDirs();
const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

function template(apiName: string, prefix: string, apiProperties: string, adminAuth = ''): string {
  return samApiTemplate(apiName, apiProperties, `  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
      Events:
${apiEvent('List', '/items', 'GET')}
${apiEvent('Admin', '/admin', 'GET', adminAuth)}
`);
}

const policy = (list: string) => `      Auth:
        ResourcePolicy:
          ${list}: ['127.0.0.1/32']`;

const unchanged = (run: Awaited<ReturnType<typeof deploy>>) =>
  assert.equal(run.json().changed, false, JSON.stringify(run.json().changes.filter((c: { kind: string }) => c.kind !== 'unchanged')));

test('Auth.ResourcePolicy: a blacklisted caller gets the 403; the whitelist, once deployed, lets it in; an event policy covers its path', async () => {
  const prefix = unique('rpolicy');
  const apiName = unique('api');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(apiName, prefix, policy('IpRangeBlacklist')), 'src/index.mjs': nodeHandler('items') }));
  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  const { id: restApiId } = run.json().apis[0];
  const { accountId, region } = run.json();

  const denied = await invokeHost(env.url, restApiId, 'dev', '/items');
  const masked = `${'*'.repeat(accountId.length - 4)}${accountId.slice(-4)}`;
  assert.deepEqual([denied.status, denied.headers['x-amzn-errortype'], denied.text], [403, 'AccessDeniedException', JSON.stringify({
    Message: `User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:${region}:${masked}:${restApiId}/dev/GET/items with an explicit deny`,
  })]);
  const stored = JSON.parse((await env.apigw.send(new GetRestApiCommand({ restApiId }))).policy!);
  assert.deepEqual(stored.Statement[1], {
    Effect: 'Deny', Action: 'execute-api:Invoke', Resource: ['execute-api:/dev/GET/items'], Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.1/32'] } },
  });
  unchanged(await deploy(dir, '--json'));

  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, policy('IpRangeWhitelist')));
  const changed = await deploy(dir);
  assert.equal(changed.code, 0, changed.output);
  assert.match(changed.stdout, /resource policy of \S+ \[updated\]/);
  assert.match(changed.stdout, /stage dev: deployment \w+ → \w+/, 'a resource policy takes effect with a new deployment');
  const allowed = await invokeHost(env.url, restApiId, 'dev', '/items');
  assert.equal(allowed.status, 200, allowed.text);
  assert.equal(allowed.text, 'items');
  unchanged(await deploy(dir, '--json'));

  // The event's own policy: its path refused, the other path (no statement allows it) refused too, as on AWS.
  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, '', ", Auth: { ResourcePolicy: { IpRangeWhitelist: ['10.0.0.0/8'] } }"));
  assert.equal((await deploy(dir)).code, 0);
  const admin = await invokeHost(env.url, restApiId, 'dev', '/admin');
  assert.equal(admin.status, 403);
  assert.match(admin.text, /\/dev\/GET\/admin with an explicit deny/);
  assert.match((await invokeHost(env.url, restApiId, 'dev', '/items')).text, /\/dev\/GET\/items"/, 'no statement allows /items: an implicit deny');

  // No policy at all: removed from the API, everyone let in.
  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, ''));
  const dropped = await deploy(dir);
  assert.match(dropped.stdout, /resource policy of \S+ \[removed\]/);
  assert.equal((await env.apigw.send(new GetRestApiCommand({ restApiId }))).policy, undefined);
  assert.equal((await invokeHost(env.url, restApiId, 'dev', '/admin')).status, 200);
});

test('MinimumCompressionSize: 0 compresses for clients that accept gzip; dropping it stops; re-deploys change nothing', async () => {
  const prefix = unique('compress');
  const apiName = unique('api');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(apiName, prefix, '      MinimumCompressionSize: 0'), 'src/index.mjs': nodeHandler('items') }));
  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  const restApiId = run.json().apis[0].id;
  assert.equal((await env.apigw.send(new GetRestApiCommand({ restApiId }))).minimumCompressionSize, 0);
  const gzip = { headers: { 'Accept-Encoding': 'gzip' } };
  assert.equal((await invokeHost(env.url, restApiId, 'dev', '/items', gzip)).headers['content-encoding'], 'gzip');
  unchanged(await deploy(dir, '--json'));

  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, ''));
  const changed = await deploy(dir);
  assert.equal(changed.code, 0, changed.output);
  assert.match(changed.stdout, /REST API \S+ \(id \w+\): minimumCompressionSize \[updated\]/);
  assert.equal((await env.apigw.send(new GetRestApiCommand({ restApiId }))).minimumCompressionSize, undefined);
  const plain = await invokeHost(env.url, restApiId, 'dev', '/items', gzip);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.text, 'items');
  unchanged(await deploy(dir, '--json'));

  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, '      MinimumCompressionSize: big'));
  const bad = await deploy(dir);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /MinimumCompressionSize is a whole number of bytes from 0 to 10485760, got "big"/);
});

test('with a DefinitionBody, Policy (JSON text) and MinimumCompressionSize go into the document put on the API', async () => {
  const prefix = unique('rpdoc');
  const apiName = unique('api');
  const body = (list: string) => `      MinimumCompressionSize: 0
      Policy: !Sub '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/\${Stage}/*", "Condition": {"${list}": {"aws:SourceIp": "127.0.0.1/32"}}}]}'
      DefinitionBody:
        openapi: 3.0.1
        info: { title: t, version: '1' }
        paths:
          /items:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Items.Arn}/invocations`;
  const fn = `  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
`;
  const text = (list: string) => samApiTemplate(apiName, body(list), fn).replace('Resources:', 'Parameters:\n  Stage: { Type: String, Default: dev }\nResources:');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': text('IpAddress'), 'src/index.mjs': nodeHandler('items') }));
  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  const restApiId = run.json().apis[0].id;
  assert.equal((await invokeHost(env.url, restApiId, 'dev', '/items')).status, 403);
  unchanged(await deploy(dir, '--json'));

  writeFileSync(join(dir, 'template.yaml'), text('NotIpAddress'));
  assert.equal((await deploy(dir)).code, 0);
  const answer = await invokeHost(env.url, restApiId, 'dev', '/items', { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers['content-encoding'], 'gzip');
});
