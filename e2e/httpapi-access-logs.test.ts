// HTTP API access logs: a stage's AccessLogSettings write one line per routed request to the named
// CloudWatch Logs log group, in the stage's format ($context.routeKey included); the settings come
// back from GetStage and go away with DeleteAccessLogSettings; a destination that is no log group
// ARN is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateApiCommand, CreateStageCommand, DeleteAccessLogSettingsCommand, GetStageCommand, UpdateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';
import { expectAwsError } from '../src/testing/aws-errors.js';

const env = useServer();
const GROUP = 'http-api-access';
const destination = `arn:aws:logs:${testRegion}:${testAccount}:log-group:${GROUP}`;

async function lines(requestId: string, expectSome = true): Promise<string[]> {
  const deadline = Date.now() + (expectSome ? 10_000 : 1_500);
  for (;;) {
    let found: string[] = [];
    try {
      found = ((await env.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: `"${requestId}"` }))).events ?? []).map((e) => e.message!);
    } catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    }
    if ((expectSome && found.length) || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a stage with access log settings writes one line per request in its format; DeleteAccessLogSettings stops it', async () => {
  await createNodeFunction(env.lambda, 'access-echo', 'exports.handler = async () => ({ statusCode: 201, body: "made" });');
  const fnArn = `arn:aws:lambda:${testRegion}:${testAccount}:function:access-echo`;
  const apiId = (await env.apigwv2.send(new CreateApiCommand({ Name: 'access-logs', ProtocolType: 'HTTP', Target: fnArn }))).ApiId!;
  await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'access-echo', StatementId: 'httpapi', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com', SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${apiId}/*`,
  }));
  const format = '{"requestId":"$context.requestId","routeKey":"$context.routeKey","status":"$context.status","method":"$context.httpMethod","stage":"$context.stage"}';
  await env.apigwv2.send(new UpdateStageCommand({ ApiId: apiId, StageName: '$default', AccessLogSettings: { DestinationArn: destination, Format: format } }));
  assert.deepEqual((await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }))).AccessLogSettings, { DestinationArn: destination, Format: format });

  const r = await invokeHttpApi(env.url, apiId, '/anything');
  assert.equal(r.status, 201);
  const requestId = String(r.headers['apigw-requestid']);
  const logged = await lines(requestId);
  assert.equal(logged.length, 1);
  assert.deepEqual(JSON.parse(logged[0]), { requestId, routeKey: '$default', status: '201', method: 'GET', stage: '$default' });

  await env.apigwv2.send(new DeleteAccessLogSettingsCommand({ ApiId: apiId, StageName: '$default' }));
  assert.equal((await env.apigwv2.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }))).AccessLogSettings, undefined);
  const after = await invokeHttpApi(env.url, apiId, '/anything');
  assert.deepEqual(await lines(String(after.headers['apigw-requestid']), false), []);

  await expectAwsError(env.apigwv2.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', AccessLogSettings: { DestinationArn: 'not-an-arn', Format: format } })),
    'BadRequestException', /Invalid destination ARN not-an-arn/, 400);
});
