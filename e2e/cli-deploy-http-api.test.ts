// `stagecraft deploy` with SAM's HttpApi: HttpApi events without ApiId share the implicit
// ServerlessHttpApi on its auto-deploying $default stage; an AWS::Serverless::HttpApi with a
// StageName and StageVariables serves under its stage prefix; payload formats 2.0 (the default) and
// 1.0; CorsConfiguration; functions with AutoPublishAlias are called through the alias with the permissions SAM adds;
// a re-deploy changes nothing, and a removed event's route goes away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetApisCommand, GetRoutesCommand, GetStageCommand } from '@aws-sdk/client-apigatewayv2';
import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';

const env = useServer();
const dirs = useTempDirs();
const deploy = (dir: string, stackName: string, ...args: string[]) => runCli(['deploy', '--stack-name', stackName, ...args], { cwd: dir, endpoint: env.url });

function template(prefix: string, extraEvents = ''): string {
  return `Transform: AWS::Serverless-2016-10-31
Resources:
  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
      AutoPublishAlias: live
      Events:
        GetItem:
          Type: HttpApi
          Properties:
            Path: /items/{id}
            Method: get
        Legacy:
          Type: HttpApi
          Properties:
            Path: /legacy
            Method: GET
            PayloadFormatVersion: '1.0'
${extraEvents}
  Fallback:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-fallback
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        CatchAll:
          Type: HttpApi
        Staged:
          Type: HttpApi
          Properties:
            ApiId: !Ref StagedApi
            Path: /{proxy+}
            Method: ANY
  StagedApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: v1
      StageVariables:
        color: blue
      CorsConfiguration:
        AllowOrigins: ['https://app.example']
        AllowMethods: [GET, POST]
        MaxAge: 600
Outputs:
  StagedId:
    Value: !Ref StagedApi
`;
}

const HANDLER = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({
  version: event.version, routeKey: event.routeKey ?? event.requestContext.routeKey, stage: event.requestContext.stage,
  id: (event.pathParameters || {}).id, stageVariables: event.stageVariables || null,
}) });
`;

test('HttpApi events deploy to the implicit ServerlessHttpApi and to an AWS::Serverless::HttpApi, and answer over HTTP', async () => {
  const prefix = unique('http');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(prefix), 'src/index.js': HANDLER }));
  const first = await deploy(dir, prefix, '--json');
  assert.equal(first.code, 0, first.output);
  const result = first.json();
  const implicit = result.apis.find((a: { logicalId: string }) => a.logicalId === 'ServerlessHttpApi');
  const staged = result.apis.find((a: { logicalId: string }) => a.logicalId === 'StagedApi');
  assert.equal(implicit.stages[0].name, '$default');
  assert.equal(staged.stages[0].name, 'v1');
  assert.equal(result.outputs.find((o: { name: string }) => o.name === 'StagedId').value, staged.id);
  const port = new URL(env.url).port;
  const urls = implicit.stages[0].routes.map((r: { url: string }) => r.url).sort();
  assert.deepEqual(urls, [`http://${implicit.id}.execute-api.localhost:${port}/`, `http://${implicit.id}.execute-api.localhost:${port}/items/{id}`,
    `http://${implicit.id}.execute-api.localhost:${port}/legacy`]);

  const route = implicit.stages[0].routes.find((r: { path: string }) => r.path === '/items/{id}');
  assert.equal(route.pathStyleUrl, `${env.url}/restapis/${implicit.id}/$default/_user_request_/items/{id}`);
  const item = await invokeHttpApi(env.url, implicit.id, '/items/42');
  assert.equal(item.status, 200, item.text);
  assert.deepEqual(item.json(), { version: '2.0', routeKey: 'GET /items/{id}', stage: '$default', id: '42', stageVariables: null });
  assert.equal((await invokeHttpApi(env.url, implicit.id, '/legacy')).json().version, '1.0');
  assert.equal((await invokeHttpApi(env.url, implicit.id, '/elsewhere')).json().routeKey, '$default');
  const v1 = await invokeHttpApi(env.url, staged.id, '/v1/a/b');
  assert.deepEqual(v1.json(), { version: '2.0', routeKey: 'ANY /{proxy+}', stage: 'v1', stageVariables: { color: 'blue' } });
  assert.equal((await invokeHttpApi(env.url, staged.id, '/a/b')).status, 404, 'a named stage only answers under its prefix');
  const preflight = await invokeHttpApi(env.url, staged.id, '/v1/a', { method: 'OPTIONS', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers['access-control-allow-methods'], 'GET,POST');
  assert.equal(preflight.headers['access-control-max-age'], '600');

  // The alias is what API Gateway may call, for the route's method and path.
  const policy = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: `${prefix}-items`, Qualifier: 'live' }))).Policy!);
  const arns = policy.Statement.map((s: { Condition: { ArnLike: Record<string, string> } }) => s.Condition.ArnLike['AWS:SourceArn']).sort();
  assert.deepEqual(arns, [`arn:aws:execute-api:us-east-1:000000000000:${implicit.id}/*/GET/items/*`, `arn:aws:execute-api:us-east-1:000000000000:${implicit.id}/*/GET/legacy`]);
  const stage = await env.apigwv2.send(new GetStageCommand({ ApiId: implicit.id, StageName: '$default' }));
  assert.equal(stage.AutoDeploy, true);

  const again = await deploy(dir, prefix, '--json');
  assert.equal(again.code, 0, again.output);
  assert.equal(again.json().changed, false, 'nothing changes on a second deploy');
  assert.equal((await env.apigwv2.send(new GetApisCommand({}))).Items!.filter((a) => a.Name === prefix).length, 1);
});

test('a removed HttpApi event removes its route; an AWS_IAM event without EnableIamAuthorizer is refused with a located error', async () => {
  const prefix = unique('http-rm');
  const extra = `        Extra:
          Type: HttpApi
          Properties:
            Path: /extra
            Method: POST
`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(prefix, extra), 'src/index.js': HANDLER }));
  const first = await deploy(dir, prefix, '--json');
  assert.equal(first.code, 0, first.output);
  const apiId = first.json().apis.find((a: { logicalId: string }) => a.logicalId === 'ServerlessHttpApi').id;
  assert.equal((await invokeHttpApi(env.url, apiId, '/extra', { method: 'POST' })).json().routeKey, 'POST /extra');
  writeFiles(dir, { 'template.yaml': template(prefix) });
  const second = await deploy(dir, prefix, '--json');
  assert.equal(second.code, 0, second.output);
  const keys = (await env.apigwv2.send(new GetRoutesCommand({ ApiId: apiId }))).Items!.map((r) => r.RouteKey).sort();
  assert.deepEqual(keys, ['$default', 'GET /items/{id}', 'GET /legacy']);
  assert.equal((await invokeHttpApi(env.url, apiId, '/extra', { method: 'POST' })).json().routeKey, '$default');

  const withIam = template(prefix).replace('            Method: ANY\n', '            Method: ANY\n            Auth:\n              Authorizer: AWS_IAM\n');
  writeFiles(dir, { 'template.yaml': withIam });
  const refused = await deploy(dir, prefix);
  assert.notEqual(refused.code, 0);
  assert.match(refused.output, /\(Resources\.Fallback\.Properties\.Events\.Staged\.Properties\.Auth\.Authorizer\): Authorizer AWS_IAM needs EnableIamAuthorizer: true in StagedApi's Auth(?:$|\. )/m, 'the whole message');
});

test("an HttpApi's AccessLogSettings reach its stage and log each request; removing them from the template removes them", async () => {
  const prefix = unique('logged');
  const withLogs = (logs: boolean) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Logged:
    Type: AWS::Serverless::HttpApi
    Properties:
      Name: ${prefix}-api
${logs ? `      AccessLogSettings:
        DestinationArn: arn:aws:logs:us-east-1:000000000000:log-group:${prefix}-access
        Format: '$context.requestId $context.routeKey $context.status'
` : ''}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-fn
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Get:
          Type: HttpApi
          Properties:
            ApiId: !Ref Logged
            Path: /hi
            Method: GET
`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': withLogs(true), 'src/index.js': HANDLER }));
  const first = await deploy(dir, prefix);
  assert.equal(first.code, 0, first.output);
  const apiId = (await env.apigwv2.send(new GetApisCommand({}))).Items!.find((a) => a.Name === `${prefix}-api`)!.ApiId!;
  const stage = await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }));
  assert.deepEqual(stage.AccessLogSettings, { DestinationArn: `arn:aws:logs:us-east-1:000000000000:log-group:${prefix}-access`, Format: '$context.requestId $context.routeKey $context.status' });
  const r = await invokeHttpApi(env.url, apiId, '/hi');
  assert.equal(r.status, 200);
  const requestId = String(r.headers['apigw-requestid']);
  let events: string[] = [];
  for (let i = 0; i < 100 && !events.length; i++) {
    events = ((await env.logs.send(new FilterLogEventsCommand({ logGroupName: `${prefix}-access` })).catch(() => ({ events: [] }))).events ?? []).map((e) => e.message!);
    if (!events.length) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.deepEqual(events, [`${requestId} GET /hi 200`]);

  writeFiles(dir, { 'template.yaml': withLogs(false) });
  const second = await deploy(dir, prefix);
  assert.equal(second.code, 0, second.output);
  assert.equal((await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }))).AccessLogSettings, undefined);
});
