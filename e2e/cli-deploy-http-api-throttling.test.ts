// `stagecraft deploy` with an HttpApi's DefaultRouteSettings and RouteSettings (and an event's
// RouteSettings): the stage gets them once the routes exist, the data plane throttles with AWS's
// 429, a re-deploy changes nothing, and settings dropped from the template are removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetApisCommand, GetStageCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';

const env = useServer();
const dirs = useTempDirs();

function template(prefix: string, routeSettings: string): string {
  return `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Name: ${prefix}-api
      DefaultRouteSettings:
        ThrottlingBurstLimit: 50
        ThrottlingRateLimit: 50
${routeSettings}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-fn
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Limited:
          Type: HttpApi
          Properties: { ApiId: !Ref Api, Path: /limited, Method: GET }
        Free:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Path: /free
            Method: GET
            RouteSettings: { ThrottlingBurstLimit: 40 }
`;
}

const LIMITED = `      RouteSettings:
        "GET /limited": { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.01 }`;

test('route settings reach the stage and throttle; re-deploys are idempotent; removed settings go away', async () => {
  const prefix = unique('throttle');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(prefix, LIMITED), 'src/index.js': 'exports.handler = async () => "ok";\n' }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  assert.match(first.stdout, /route settings of stage \$default: default, GET \/limited, GET \/free \[updated\]/);
  const apiId = ((await env.apigwv2.send(new GetApisCommand({}))).Items ?? []).find((a) => a.Name === `${prefix}-api`)!.ApiId!;
  const stage = await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }));
  assert.deepEqual([stage.DefaultRouteSettings?.ThrottlingBurstLimit, stage.DefaultRouteSettings?.ThrottlingRateLimit], [50, 50]);
  assert.deepEqual(stage.RouteSettings, {
    'GET /limited': { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.01 },
    'GET /free': { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 40 },
  });
  assert.equal((await invokeHttpApi(env.url, apiId, '/limited')).status, 200);
  const throttled = await invokeHttpApi(env.url, apiId, '/limited');
  assert.equal(throttled.status, 429);
  assert.deepEqual(JSON.parse(throttled.body.toString()), { message: 'Too Many Requests' });
  assert.equal((await invokeHttpApi(env.url, apiId, '/free')).status, 200);

  const again = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(again.code, 0, again.output);
  assert.match(again.stdout, /= Api +route settings of stage \$default\n/);
  assert.match(again.stdout, /No changes: stack/);

  writeFiles(dir, { 'template.yaml': template(prefix, '') });
  const removed = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(removed.code, 0, removed.output);
  assert.match(removed.stdout, /route settings of stage \$default: GET \/limited \(removed\) \[updated\]/);
  assert.deepEqual(Object.keys((await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }))).RouteSettings ?? {}), ['GET /free']);
  assert.equal((await invokeHttpApi(env.url, apiId, '/limited')).status, 200, 'the route is back on the stage default');

  writeFiles(dir, { 'template.yaml': template(prefix, '      RouteSettings: { "GET /limited": { Throttling: 1 } }') });
  const bad = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /RouteSettings\.GET \/limited\.Throttling is not a setting of HTTP API routes: use ThrottlingBurstLimit, ThrottlingRateLimit or DetailedMetricsEnabled/);
});
