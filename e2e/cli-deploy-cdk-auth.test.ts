// `stagecraft deploy --template cdk.out/CdkAuth.template.json` against a real server: the `cdk synth`
// output committed in e2e/fixtures/cdk-auth (a LambdaRestApi whose methods run a TokenAuthorizer by
// default, a RequestAuthorizer and a CognitoUserPoolsAuthorizer; a RestApi with a model, a request
// validator, an API key in a usage plan and a method that needs it; an HttpApi with an
// HttpLambdaAuthorizer and an HttpJwtAuthorizer) is deployed, and API Gateway's answers over HTTP
// show each of them at work: 401 and 403 from the authorizers, the authorizer's context at the
// function, 403 without the key, 400 for a body the model refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import {
  GetApiKeyCommand, GetAuthorizersCommand, GetModelsCommand, GetRequestValidatorsCommand, GetResourcesCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import { GetAuthorizersCommand as GetHttpAuthorizersCommand, GetRoutesCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { httpGet, runCli, unique } from '../src/cli/testing.js';
import { invokeHost } from '../src/execute-api/testing.js';

const env = useServer();
const dirs = useTempDirs();
const FIXTURE = join(import.meta.dirname, '..', '..', 'e2e', 'fixtures', 'cdk-auth', 'cdk.out');

interface Route { method: string; path: string; pathStyleUrl: string }
interface DeployJson {
  changed: boolean;
  apis: { logicalId: string; id: string; stages: { name: string; routes: Route[] }[] }[];
  notes: string[];
  outputs: { name: string; value: string }[];
}

test('a CDK app\'s authorizers, API key, usage plan, model and validator deploy and answer as API Gateway does', async () => {
  const stack = unique('cdkauth');
  const dir = dirs.make('stagecraft-cdk-auth-');
  cpSync(FIXTURE, join(dir, 'cdk.out'), { recursive: true });
  const run = await runCli(['deploy', '--template', 'cdk.out/CdkAuth.template.json', '--stack-name', stack, '--json'], { cwd: dir, endpoint: env.url });
  assert.equal(run.code, 0, run.output);
  assert.doesNotMatch(run.stderr, /AWS::ApiGateway(V2)?::(Authorizer|Model|RequestValidator|ApiKey|UsagePlan|UsagePlanKey)\)|can't be deployed/);
  const result = run.json() as DeployJson;
  const url = (apiId: string, path: string) => {
    const api = result.apis.find((a) => a.logicalId === apiId)!;
    return api.stages[0].routes.find((r) => r.path === path)!.pathStyleUrl;
  };
  const checker = `${stack}-Check8FEA48D3`;

  // The TOKEN authorizer (the default of the LambdaRestApi's methods): no token 401, an unknown one 401, `deny` 403, `allow` through with its context.
  const secure = url('AuthApi4BD72F20', '/secure');
  const missing = await httpGet(secure);
  assert.equal(missing.status, 401, missing.body);
  assert.deepEqual(JSON.parse(missing.body), { message: 'Unauthorized' });
  assert.equal((await httpGet(secure, { authorization: 'nonsense' })).status, 401);
  const denied = await httpGet(secure, { authorization: 'deny' });
  assert.equal(denied.status, 403, denied.body);
  assert.match(JSON.parse(denied.body).Message, /not authorized to access this resource with an explicit deny/);
  const allowed = await httpGet(secure, { authorization: 'allow' });
  assert.equal(allowed.status, 200, allowed.body);
  const seen = JSON.parse(allowed.body);
  assert.equal(seen.path, '/secure');
  assert.equal(seen.authorizer.principalId, 'user-1');
  assert.equal(seen.authorizer.user, 'alice');
  assert.equal(seen.authorizer.kind, 'TOKEN');

  // The REQUEST authorizer reads the `token` query string parameter.
  const request = url('AuthApi4BD72F20', '/request');
  assert.equal((await httpGet(request)).status, 401);
  assert.equal((await httpGet(`${request}?token=deny`)).status, 403);
  const viaQuery = await httpGet(`${request}?token=allow`);
  assert.equal(viaQuery.status, 200, viaQuery.body);
  assert.equal(JSON.parse(viaQuery.body).authorizer.kind, 'REQUEST');
  // The Cognito authorizer: no token, no entry.
  const pool = await httpGet(url('AuthApi4BD72F20', '/pool'));
  assert.equal(pool.status, 401, pool.body);
  assert.deepEqual(JSON.parse(pool.body), { message: 'Unauthorized' });

  // As CDK wrote them: the authorizers' names, types, identity sources and the function they call.
  const authApi = result.apis.find((a) => a.logicalId === 'AuthApi4BD72F20')!;
  const authorizers = (await env.apigw.send(new GetAuthorizersCommand({ restApiId: authApi.id }))).items ?? [];
  assert.deepEqual(authorizers.map((a) => [a.name, a.type, a.identitySource, a.authorizerResultTtlInSeconds]).sort(), [
    ['CdkAuthPoolAuth65962B68', 'COGNITO_USER_POOLS', 'method.request.header.Authorization', undefined],
    ['CdkAuthRequestAuth91775D83', 'REQUEST', 'method.request.querystring.token', 0],
    ['CdkAuthTokenAuth68FBE0D0', 'TOKEN', 'method.request.header.Authorization', 0],
  ]);
  const token = authorizers.find((a) => a.type === 'TOKEN')!;
  assert.equal(token.authorizerUri, `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${checker}/invocations`);
  const methods = (await env.apigw.send(new GetResourcesCommand({ restApiId: authApi.id, embed: ['methods'] }))).items ?? [];
  const poolMethod = methods.find((r) => r.path === '/pool')!.resourceMethods!.GET;
  assert.equal(poolMethod.authorizationType, 'COGNITO_USER_POOLS');
  assert.deepEqual(poolMethod.authorizationScopes, ['items/read']);

  // The usage plan and its key: POST /items needs the key (403 {"message":"Forbidden"} without), and a body that fits the Item model (400).
  const plans = (await env.apigw.send(new GetUsagePlansCommand({}))).items ?? [];
  const plan = plans.find((p) => p.name === 'keyed-plan' && p.apiStages?.some((s) => s.apiId === result.apis.find((a) => a.logicalId === 'KeyedApi02DB98E1')!.id))!;
  assert.ok(plan, JSON.stringify(plans));
  assert.deepEqual(plan.throttle, { burstLimit: 20, rateLimit: 100 });
  assert.deepEqual(plan.apiStages?.map((s) => s.stage), ['v1']);
  const [member] = (await env.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }))).items ?? [];
  const key = await env.apigw.send(new GetApiKeyCommand({ apiKey: member.id, includeValue: true }));
  assert.equal(key.enabled, true);
  assert.ok(result.notes.some((n) => n.includes(key.value!)), result.notes.join('\n'));
  assert.equal(result.outputs.find((o) => o.name === 'KeyId')?.value, member.id, 'Ref of the ApiKey is its ID');
  const keyedId = result.apis.find((a) => a.logicalId === 'KeyedApi02DB98E1')!.id;
  const post = (body: unknown, headers: Record<string, string> = {}) => invokeHost(env.url, keyedId, 'v1', '/items', {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body),
  });
  const keyless = await post({ name: 'pen' });
  assert.equal(keyless.status, 403, keyless.text);
  assert.equal(keyless.text, '{"message":"Forbidden"}');
  assert.equal((await post({ name: 'pen' }, { 'x-api-key': 'not-the-key' })).status, 403);
  const invalid = await post({ size: 3 }, { 'x-api-key': key.value! });
  assert.equal(invalid.status, 400, invalid.text);
  assert.equal(invalid.text, '{"message":"Invalid request body"}');
  const valid = await post({ name: 'pen' }, { 'x-api-key': key.value! });
  assert.equal(valid.status, 200, valid.text);
  assert.deepEqual(JSON.parse(JSON.parse(valid.text).body), { name: 'pen' });
  assert.equal((await httpGet(url('KeyedApi02DB98E1', '/open'))).status, 200, 'a method without ApiKeyRequired needs no key');
  assert.deepEqual((await env.apigw.send(new GetModelsCommand({ restApiId: keyedId }))).items?.map((m) => m.name), ['Item']);
  assert.deepEqual((await env.apigw.send(new GetRequestValidatorsCommand({ restApiId: keyedId }))).items?.map((v) => [v.name, v.validateRequestBody, v.validateRequestParameters]), [['body-only', true, false]]);

  // The HttpApi: the Lambda authorizer (simple responses) on GET /me, the JWT authorizer on GET /jwt.
  const me = url('AuthHttpE025F181', '/me');
  const anonymous = await httpGet(me);
  assert.equal(anonymous.status, 401, anonymous.body);
  assert.deepEqual(JSON.parse(anonymous.body), { message: 'Unauthorized' });
  const refused = await httpGet(me, { authorization: 'deny' });
  assert.equal(refused.status, 403, refused.body);
  assert.deepEqual(JSON.parse(refused.body), { message: 'Forbidden' });
  const admitted = await httpGet(me, { authorization: 'allow' });
  assert.equal(admitted.status, 200, admitted.body);
  assert.deepEqual(JSON.parse(admitted.body).authorizer.lambda, { user: 'http-user' });
  const noJwt = await httpGet(url('AuthHttpE025F181', '/jwt'));
  assert.equal(noJwt.status, 401, noJwt.body);
  assert.deepEqual(JSON.parse(noJwt.body), { message: 'Unauthorized' });
  const httpId = result.apis.find((a) => a.logicalId === 'AuthHttpE025F181')!.id;
  const httpAuthorizers = (await env.apigwv2.send(new GetHttpAuthorizersCommand({ ApiId: httpId }))).Items ?? [];
  const jwt = httpAuthorizers.find((a) => a.Name === 'Jwt')!;
  assert.equal(jwt.AuthorizerType, 'JWT');
  assert.deepEqual(jwt.JwtConfiguration, { Issuer: 'https://issuer.example.com', Audience: ['cdk-auth'] });
  const lambdaAuthorizer = httpAuthorizers.find((a) => a.Name === 'HttpCheck')!;
  assert.equal(lambdaAuthorizer.AuthorizerType, 'REQUEST');
  assert.equal(lambdaAuthorizer.EnableSimpleResponses, true);
  assert.equal(lambdaAuthorizer.AuthorizerPayloadFormatVersion, '2.0');
  const routes = (await env.apigwv2.send(new GetRoutesCommand({ ApiId: httpId }))).Items ?? [];
  assert.deepEqual(routes.map((r) => [r.RouteKey, r.AuthorizationType, r.AuthorizerId]).sort(), [
    ['GET /jwt', 'JWT', jwt.AuthorizerId],
    ['GET /me', 'CUSTOM', lambdaAuthorizer.AuthorizerId],
  ]);

  // A second deploy of the same output changes nothing.
  const again = await runCli(['deploy', '--template', 'cdk.out/CdkAuth.template.json', '--stack-name', stack, '--json'], { cwd: dir, endpoint: env.url });
  assert.equal(again.code, 0, again.output);
  assert.equal((again.json() as DeployJson).changed, false, again.stderr);

  const deleted = await runCli(['delete', '--stack-name', stack, '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  assert.equal((await env.apigw.send(new GetUsagePlansCommand({}))).items?.some((p) => p.id === plan.id), false, 'the usage plan goes with the stack');
});
