// `stagecraft deploy` with SAM's Cognito authorizer (Auth.Authorizers.X.UserPoolArn) against a real
// server whose user pools are a loopback issuer (--cognito-endpoint): the authorizer is created as
// SAM translates it, the default authorizer guards the routes (ID tokens), an event's
// AuthorizationScopes make its method take access tokens with those scopes, NONE opts out; a second
// deploy changes nothing, and changed scopes are patched onto the method and deployed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAuthorizersCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { startTestIssuer } from '../src/testing/jwt-issuer.js';
import { apiEvent, httpGet, nodeHandler, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';

const POOL_ID = 'us-east-1_DeployPool';
const POOL_ARN = `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${POOL_ID}`;
const pool = await startTestIssuer(`/${POOL_ID}`);
after(() => pool.close());
const env = useServer({ args: ['--cognito-endpoint', pool.origin] });
const dirs = useTempDirs();

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });
const now = () => Math.floor(Date.now() / 1000);
const idToken = () => pool.token({ sub: 'u1', aud: 'app', token_use: 'id', iss: pool.url, email: 'u1@example.com', exp: now() + 600 });
const accessToken = (scope: string) => pool.token({ sub: 'u1', client_id: 'app', token_use: 'access', iss: pool.url, scope, exp: now() + 600 });

function template(apiName: string, prefix: string, orderScopes: string): string {
  return `Parameters:
  PoolArn: { Type: String, Default: '${POOL_ARN}' }
${samApiTemplate(apiName, `      Auth:
        DefaultAuthorizer: Pool
        Authorizers:
          Pool:
            UserPoolArn: !Ref PoolArn`, `  Hello:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-hello
      CodeUri: src/
      Events:
${apiEvent('Me', '/me', 'GET')}
${apiEvent('Orders', '/orders', 'GET', `, Auth: { AuthorizationScopes: [${orderScopes}] }`)}
${apiEvent('Open', '/open', 'GET', ', Auth: { Authorizer: NONE }')}
`)}`;
}

test('a Cognito authorizer guards the routes: ID tokens by default, access tokens with the event\'s scopes; NONE opts out; re-deploys patch scopes', async () => {
  const prefix = unique('cognito');
  const apiName = unique('api');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(apiName, prefix, 'orders/read'), 'src/index.mjs': nodeHandler('welcome') }));

  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  assert.match(run.stderr, new RegExp(`authorizer Pool \\(COGNITO_USER_POOLS, ${POOL_ID}\\) \\(id \\w+\\) \\[created\\]`));
  const api = run.json().apis[0];
  const url = (path: string) => api.stages[0].routes.find((r: { path: string }) => r.path === path).url;

  const [authorizer, ...others] = (await env.apigw.send(new GetAuthorizersCommand({ restApiId: api.id }))).items ?? [];
  assert.equal(others.length, 0);
  assert.deepEqual([authorizer.type, authorizer.providerARNs, authorizer.identitySource, authorizer.authorizerUri],
    ['COGNITO_USER_POOLS', [POOL_ARN], 'method.request.header.Authorization', undefined]);
  const resources = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }))).items ?? [];
  const method = (path: string) => resources.find((r) => r.path === path)!.resourceMethods!.GET;
  assert.deepEqual([method('/me').authorizationType, method('/me').authorizerId, method('/me').authorizationScopes], ['COGNITO_USER_POOLS', authorizer.id, undefined]);
  assert.deepEqual(method('/orders').authorizationScopes, ['orders/read']);
  assert.equal(method('/open').authorizationType, 'NONE');

  assert.equal((await httpGet(url('/me'))).status, 401);
  const me = await httpGet(url('/me'), { authorization: idToken() });
  assert.equal(me.status, 200, me.body);
  assert.equal(me.body, 'welcome');
  assert.equal((await httpGet(url('/orders'), { authorization: idToken() })).status, 401, 'scopes need an access token');
  assert.equal((await httpGet(url('/orders'), { authorization: `Bearer ${accessToken('orders/read')}` })).status, 200);
  assert.equal((await httpGet(url('/orders'), { authorization: accessToken('orders/write') })).status, 401);
  assert.equal((await httpGet(url('/open'))).status, 200);

  const again = await deploy(dir, '--json');
  assert.equal(again.code, 0, again.output);
  assert.equal(again.json().changed, false, JSON.stringify(again.json().changes.filter((c: { kind: string }) => c.kind !== 'unchanged')));

  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, 'orders/write, orders/admin'));
  const changed = await deploy(dir);
  assert.equal(changed.code, 0, changed.output);
  assert.match(changed.stdout, /deployment \w+ of .* \[created\]/);
  const after = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }))).items ?? [];
  assert.deepEqual([...after.find((r) => r.path === '/orders')!.resourceMethods!.GET.authorizationScopes!].sort(), ['orders/admin', 'orders/write']);
  assert.equal((await httpGet(url('/orders'), { authorization: accessToken('orders/write') })).status, 200);
  assert.equal((await httpGet(url('/orders'), { authorization: accessToken('orders/read') })).status, 401);
});
