// HTTP APIs in a cluster: two nodes on one PostgreSQL database. What one node writes through the
// ApiGatewayV2 API is served by the other at once — a new API id, a new route on an
// auto-deploying stage, a deleted API — because every write reaches the other node's data-plane
// cache through the change feed before the write is answered.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateApiCommand, CreateRouteCommand, DeleteApiCommand, GetIntegrationsCommand } from '@aws-sdk/client-apigatewayv2';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { TestServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

let db: TestDatabase | undefined;
after(async () => {
  await db?.drop();
});

const ECHO = `exports.handler = async (event) => ({ route: event.routeKey });`;

test('two nodes on PostgreSQL serve an HTTP API written through either of them at once', async () => {
  db = await createTestDatabase();
  const a = await TestServer.start({ args: ['--database', db.url] });
  const b = await TestServer.start({ args: ['--database', db.url] });
  try {
    await createNodeFunction(a.lambda, 'echo', ECHO);
    const api = await a.apigwv2.send(new CreateApiCommand({ Name: 'clustered', ProtocolType: 'HTTP', Target: `arn:aws:lambda:${testRegion}:${testAccount}:function:echo` }));
    await a.lambda.send(new AddPermissionCommand({
      FunctionName: 'echo', StatementId: 'api', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
      SourceArn: `arn:aws:execute-api:${testRegion}:${testAccount}:${api.ApiId}/*`,
    }));
    const first = await invokeHttpApi(b.url, api.ApiId!, '/anything');
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json(), { route: '$default' });

    const integrationId = (await a.apigwv2.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items![0].IntegrationId;
    await a.apigwv2.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /new', Target: `integrations/${integrationId}` }));
    assert.deepEqual((await invokeHttpApi(b.url, api.ApiId!, '/new')).json(), { route: 'GET /new' }, 'the other node serves the redeployed stage');

    await b.apigwv2.send(new DeleteApiCommand({ ApiId: api.ApiId }));
    const gone = await invokeHttpApi(a.url, api.ApiId!, '/new');
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.json(), { message: 'Not Found' });
  } finally {
    await a.stop();
    await b.stop();
  }
});
