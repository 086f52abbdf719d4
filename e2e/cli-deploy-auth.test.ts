// `stagecraft deploy` with SAM Auth against a real server: a TOKEN authorizer guards the API's
// routes by default and one route opts out; requests over HTTP get 401, 403 or 200 as API Gateway
// answers them; a second deploy changes nothing, and a changed authorizer is updated in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import { GetAuthorizersCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { apiEvent, httpGet, nodeHandler, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

/** Allows the token (TOKEN) or the query string \`key\` (REQUEST) "allow" and denies every other one, for whatever method was called. */
const AUTHORIZER = `export const handler = async (event) => ({
  principalId: 'tester',
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{
      Action: 'execute-api:Invoke',
      Effect: (event.type === 'TOKEN' ? event.authorizationToken : event.queryStringParameters?.key) === 'allow' ? 'Allow' : 'Deny',
      Resource: event.methodArn,
    }],
  },
});
`;

function template(apiName: string, prefix: string, ttl = 0): string {
  return samApiTemplate(apiName, `      Auth:
        DefaultAuthorizer: TokenAuth
        Authorizers:
          TokenAuth:
            FunctionArn: !GetAtt AuthFn.Arn
            Identity:
              ReauthorizeEvery: ${ttl}`, `  AuthFn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-auth
      CodeUri: auth/
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-hello
      CodeUri: src/
      Events:
${apiEvent('Guarded', '/guarded', 'GET')}
${apiEvent('Open', '/open', 'GET', ', Auth: { Authorizer: NONE }')}
`);
}

test('a TOKEN authorizer guards the routes: 401 without a token, 403 denied, 200 allowed; NONE opts out; re-deploys are idempotent', async () => {
  const prefix = unique('authz');
  const apiName = unique('api');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(apiName, prefix), 'auth/index.mjs': AUTHORIZER, 'src/index.mjs': nodeHandler('let in') }));

  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  const result = run.json();
  assert.match(run.stderr, /authorizer TokenAuth \(TOKEN, .*-auth\) \(id \w+\) \[created\]/);
  assert.match(run.stderr, /route GET \/guarded → .*-hello \(authorizer TokenAuth\) \[created\]/);
  const api = result.apis[0];
  const url = (path: string) => api.stages[0].routes.find((r: any) => r.path === path).url;

  const missing = await httpGet(url('/guarded'));
  assert.equal(missing.status, 401, missing.body);
  assert.deepEqual(JSON.parse(missing.body), { message: 'Unauthorized' });
  const denied = await httpGet(url('/guarded'), { authorization: 'deny' });
  assert.equal(denied.status, 403, denied.body);
  const allowed = await httpGet(url('/guarded'), { authorization: 'allow' });
  assert.equal(allowed.status, 200, allowed.body);
  assert.equal(allowed.body, 'let in');
  const open = await httpGet(url('/open'));
  assert.equal(open.status, 200, open.body);

  // As SAM translates it: TOKEN, the Authorization header, the function's invocation URI; methods CUSTOM or NONE.
  const [authorizer, ...others] = (await env.apigw.send(new GetAuthorizersCommand({ restApiId: api.id }))).items ?? [];
  assert.equal(others.length, 0);
  assert.equal(authorizer.name, 'TokenAuth');
  assert.equal(authorizer.type, 'TOKEN');
  assert.equal(authorizer.identitySource, 'method.request.header.Authorization');
  assert.equal(authorizer.authorizerResultTtlInSeconds, 0);
  assert.equal(authorizer.authorizerUri, `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${prefix}-auth/invocations`);
  const resources = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }))).items ?? [];
  const method = (path: string) => resources.find((r) => r.path === path)!.resourceMethods!.GET;
  assert.equal(method('/guarded').authorizationType, 'CUSTOM');
  assert.equal(method('/guarded').authorizerId, authorizer.id);
  assert.equal(method('/open').authorizationType, 'NONE');
  const policy = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: `${prefix}-auth` }))).Policy!);
  assert.deepEqual(policy.Statement.map((s: any) => [s.Principal.Service, s.Condition.ArnLike['AWS:SourceArn']]), [
    ['apigateway.amazonaws.com', `arn:aws:execute-api:us-east-1:000000000000:${api.id}/authorizers/*`],
  ]);

  const again = await deploy(dir, '--json');
  assert.equal(again.code, 0, again.output);
  assert.equal(again.json().changed, false, JSON.stringify(again.json().changes.filter((c: any) => c.kind !== 'unchanged')));

  // A changed authorizer is updated in place (same id) and the stage gets a deployment that has it.
  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, 60));
  const changed = await deploy(dir);
  assert.equal(changed.code, 0, changed.output);
  assert.match(changed.stdout, /authorizer TokenAuth \(TOKEN, .*-auth\): authorizerResultTtlInSeconds \[updated\]/);
  assert.match(changed.stdout, /deployment \w+ of .* \[created\]/);
  const [updated] = (await env.apigw.send(new GetAuthorizersCommand({ restApiId: api.id }))).items ?? [];
  assert.equal(updated.id, authorizer.id);
  assert.equal(updated.authorizerResultTtlInSeconds, 60);
  assert.equal((await httpGet(url('/guarded'), { authorization: 'allow' })).status, 200);
  assert.equal((await httpGet(url('/guarded'), { authorization: 'nope' })).status, 403);

  // Without Auth, the methods go back to NONE and the authorizer and its permission are removed.
  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix).replace(/      Auth:\n[\s\S]*?ReauthorizeEvery: 0\n/, '').replace(', Auth: { Authorizer: NONE }', ''));
  const removed = await deploy(dir);
  assert.equal(removed.code, 0, removed.output);
  assert.match(removed.stdout, /authorizer TokenAuth \(no longer in the template\) \[removed\]/);
  assert.equal(((await env.apigw.send(new GetAuthorizersCommand({ restApiId: api.id }))).items ?? []).length, 0);
  assert.equal((await httpGet(url('/guarded'))).status, 200);
  const after = await env.lambda.send(new GetPolicyCommand({ FunctionName: `${prefix}-auth` })).then((p) => JSON.parse(p.Policy!).Statement.length, () => 0);
  assert.equal(after, 0, 'the authorizer permission is gone');
});

test('the implicit API takes a REQUEST authorizer from Globals.Api.Auth; identity from a query string', async () => {
  const stack = unique('authreq');
  const dir = dirs.removeLater(writeProject({
    'template.yaml': `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Handler: index.handler
  Api:
    Auth:
      DefaultAuthorizer: ByKey
      Authorizers:
        ByKey:
          FunctionArn: !GetAtt AuthFn.Arn
          FunctionPayloadType: REQUEST
          Identity: { QueryStrings: [key], ReauthorizeEvery: 0 }
Resources:
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: auth/ }
  Items:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Events:
        List:
          Type: Api
          Properties: { Path: /items, Method: GET }
`,
    'auth/index.mjs': AUTHORIZER,
    'src/index.mjs': nodeHandler('items'),
  }));
  const run = await deploy(dir, '--stack-name', stack, '--json');
  assert.equal(run.code, 0, run.output);
  const api = run.json().apis[0];
  assert.equal(api.logicalId, 'ServerlessRestApi');
  const url = api.stages[0].routes[0].url;
  assert.equal((await httpGet(url)).status, 401, 'no identity source, no call');
  assert.equal((await httpGet(`${url}?key=no`)).status, 403);
  const allowed = await httpGet(`${url}?key=allow`);
  assert.equal(allowed.status, 200, allowed.body);
  const [authorizer] = (await env.apigw.send(new GetAuthorizersCommand({ restApiId: api.id }))).items ?? [];
  assert.equal(authorizer.type, 'REQUEST');
  assert.equal(authorizer.identitySource, 'method.request.querystring.key');
  assert.equal((await deploy(dir, '--stack-name', stack, '--json')).json().changed, false);
});
