// When the database goes down under a running server, each control plane answers in its own AWS
// shape for a failure on the service's side — API Gateway's InternalFailure, ApiGatewayV2's
// InternalServerErrorException, CloudWatch Logs' ServiceUnavailableException — as the SDKs and the
// AWS CLI see them, and the server serves the same state once the database is back. The server
// reaches PostgreSQL through a TCP relay the test controls.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateRestApiCommand, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { CreateApiCommand, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { TestServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { PostgresRelay } from '../src/testing/postgres-relay.js';
import { createTestDatabase, type TestDatabase } from '../src/store/postgres/testing.js';

const databases: TestDatabase[] = [];
const relays: PostgresRelay[] = [];
after(async () => {
  for (const r of relays) await r.close();
  for (const d of databases) await d.drop();
});

const MESSAGE = 'An internal error occurred. See the server log for details.';

test('with its database down, each control plane answers its own internal-failure error, and nothing is half-written', async () => {
  const db = await createTestDatabase();
  databases.push(db);
  const relay = await PostgresRelay.start(new URL(db.url));
  relays.push(relay);
  const server = await TestServer.start({ args: ['--database', relay.url(db.url, 2000)] });
  try {
    const kept = await server.apigw.send(new CreateRestApiCommand({ name: 'kept' }));
    await server.apigwv2.send(new CreateApiCommand({ Name: 'kept-http', ProtocolType: 'HTTP' }));
    await server.logs.send(new CreateLogGroupCommand({ logGroupName: '/kept' }));

    relay.refuse();
    await expectAwsError(server.apigw.send(new CreateRestApiCommand({ name: 'lost' })), 'InternalFailure', MESSAGE, 500);
    await expectAwsError(server.apigw.send(new GetRestApisCommand({})), 'InternalFailure', MESSAGE, 500);
    const cli = await awsCli(server.url, ['apigateway', 'get-rest-apis']);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /An error occurred \(InternalFailure\) when calling the GetRestApis operation \(reached max retries: 0\): An internal error occurred/);
    await expectAwsError(server.apigwv2.send(new CreateApiCommand({ Name: 'lost-http', ProtocolType: 'HTTP' })), 'InternalServerErrorException', MESSAGE, 500);
    await expectAwsError(server.apigwv2.send(new GetApisCommand({})), 'InternalServerErrorException', MESSAGE, 500);
    await expectAwsError(server.logs.send(new DescribeLogGroupsCommand({})), 'ServiceUnavailableException', MESSAGE, 500);
    const logsCli = await awsCli(server.url, ['logs', 'describe-log-groups']);
    assert.match(logsCli.stderr, /An error occurred \(ServiceUnavailableException\) when calling the DescribeLogGroups operation/);

    relay.mode = 'forward';
    const restApis = await server.apigw.send(new GetRestApisCommand({}));
    assert.deepEqual(restApis.items!.map((a) => [a.id, a.name]), [[kept.id, 'kept']]);
    assert.deepEqual((await server.apigwv2.send(new GetApisCommand({}))).Items!.map((a) => a.Name), ['kept-http']);
    assert.deepEqual((await server.logs.send(new DescribeLogGroupsCommand({}))).logGroups!.map((g) => g.logGroupName), ['/kept']);
    // And it takes new writes again.
    await server.apigw.send(new CreateRestApiCommand({ name: 'after' }));
    assert.equal((await server.apigw.send(new GetRestApisCommand({}))).items!.length, 2);
  } finally {
    await server.stop();
  }
});
