// Test support: resources a fuzz run lets its destructive operations (Delete*, Remove*, …) have,
// named in a share of those requests, several copies at once; and the check afterwards that each is
// either whole or wholly gone — never an API without its resources, aliases without their function.
import assert from 'node:assert/strict';
import {
  AddPermissionCommand, CreateAliasCommand, GetFunctionCommand, ListAliasesCommand, ListVersionsByFunctionCommand, PublishLayerVersionCommand,
  GetPolicyCommand,
} from '@aws-sdk/client-lambda';
import { GetDeploymentsCommand, GetResourcesCommand, GetRestApiCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { GetApiCommand, GetIntegrationsCommand, GetRoutesCommand, GetStagesCommand as GetHttpStagesCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createNodeFunction } from '../functions.js';
import { makeZip } from '../zip.js';
import { createApis, type Clients } from './seeded-resources.js';
import type { KnownIds } from './values.js';

const FUNCTION = 'fuzz-victim';
const LOG_GROUP = '/fuzz/victim';

export interface Victims {
  known: KnownIds;
  restApiId: string;
  httpApiId: string;
}

export async function seedVictims(c: Clients): Promise<Victims> {
  await createNodeFunction(c.lambda, FUNCTION, 'exports.handler = async () => 1;', { Publish: true });
  await c.lambda.send(new CreateAliasCommand({ FunctionName: FUNCTION, Name: 'live', FunctionVersion: '1' }));
  await c.lambda.send(new AddPermissionCommand({ FunctionName: FUNCTION, StatementId: 'victim-sid', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  await c.lambda.send(new PublishLayerVersionCommand({ LayerName: 'fuzz-victim-layer', Content: { ZipFile: await makeZip({ 'x.txt': 'x' }) } }));

  const { restApiId, resources, deploymentId, httpApiId, integrationId, routeId } = await createApis(c, 'fuzz-victim');

  await c.logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
  await c.logs.send(new CreateLogStreamCommand({ logGroupName: LOG_GROUP, logStreamName: 's1' }));

  const known: KnownIds = {
    functionname: [FUNCTION], qualifier: ['live', '1'], name: ['live'], functionversion: ['1'], statementid: ['victim-sid'],
    layername: ['fuzz-victim-layer'], versionnumber: ['1'],
    restapiid: [restApiId], resourceid: resources.map((r) => r.id!), httpmethod: ['GET'], stagename: ['prod'], deploymentid: [deploymentId], statuscode: ['200'],
    apiid: [httpApiId], routeid: [routeId], integrationid: [integrationId],
    loggroupname: [LOG_GROUP], logstreamname: ['s1'], loggroupidentifier: [LOG_GROUP],
  };
  return { known, restApiId, httpApiId };
}

/** Resolves to the answer, or to undefined for a not-found error. */
export async function found<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (e) {
    if (['ResourceNotFoundException', 'NotFoundException', 'ParameterNotFound'].includes((e as Error).name)) return undefined;
    throw e;
  }
}

export async function assertVictimsWholeOrGone(c: Clients, v: Victims): Promise<void> {
  if (await found(c.lambda.send(new GetFunctionCommand({ FunctionName: FUNCTION })))) {
    const versions = (await c.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: FUNCTION }))).Versions!.map((x) => x.Version);
    for (const alias of (await c.lambda.send(new ListAliasesCommand({ FunctionName: FUNCTION }))).Aliases!) {
      assert.ok(versions.includes(alias.FunctionVersion), `alias ${alias.Name} points at version ${alias.FunctionVersion}, which is gone`);
    }
  } else {
    assert.equal(await found(c.lambda.send(new ListAliasesCommand({ FunctionName: FUNCTION }))), undefined, 'aliases outlived their function');
    assert.equal(await found(c.lambda.send(new GetPolicyCommand({ FunctionName: FUNCTION }))), undefined, 'a policy outlived its function');
  }

  if (await found(c.apigw.send(new GetRestApiCommand({ restApiId: v.restApiId })))) {
    const resources = (await c.apigw.send(new GetResourcesCommand({ restApiId: v.restApiId }))).items!;
    assert.ok(resources.some((r) => r.path === '/'), 'the API lost its root resource');
    const deployments = new Set((await c.apigw.send(new GetDeploymentsCommand({ restApiId: v.restApiId }))).items!.map((d) => d.id));
    for (const stage of (await c.apigw.send(new GetStagesCommand({ restApiId: v.restApiId }))).item!) {
      assert.ok(deployments.has(stage.deploymentId), `stage ${stage.stageName} serves deployment ${stage.deploymentId}, which is gone`);
    }
  } else {
    assert.equal(await found(c.apigw.send(new GetResourcesCommand({ restApiId: v.restApiId }))), undefined, 'resources outlived their API');
  }

  if (await found(c.apigwv2.send(new GetApiCommand({ ApiId: v.httpApiId })))) {
    const integrations = new Set((await c.apigwv2.send(new GetIntegrationsCommand({ ApiId: v.httpApiId }))).Items!.map((i) => `integrations/${i.IntegrationId}`));
    for (const route of (await c.apigwv2.send(new GetRoutesCommand({ ApiId: v.httpApiId }))).Items!) {
      if (route.Target) assert.ok(integrations.has(route.Target), `route ${route.RouteKey} targets ${route.Target}, which is gone`);
    }
  } else {
    assert.equal(await found(c.apigwv2.send(new GetHttpStagesCommand({ ApiId: v.httpApiId }))), undefined, 'stages outlived their HTTP API');
  }

  const groups = (await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: LOG_GROUP }))).logGroups!;
  if (!groups.some((g) => g.logGroupName === LOG_GROUP)) {
    assert.equal(await found(c.logs.send(new DescribeLogStreamsCommand({ logGroupName: LOG_GROUP }))), undefined, 'streams outlived their log group');
  }
}
