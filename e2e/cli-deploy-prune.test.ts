// `stagecraft deploy` deletes what the template no longer has, as CloudFormation's cleanup phase
// does: a second deploy without a function and a REST API (and a SAM usage plan and a layer)
// deletes them and says so; a function and an HTTP API with DeletionPolicy: Retain are kept and are
// no longer the stack's (`stagecraft delete` leaves them, and keeps a retained function the template
// still has); a function made by hand, in no stack, is untouched.
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { GetRestApiCommand, GetUsagePlanCommand, GetUsagePlansCommand } from '@aws-sdk/client-api-gateway';
import { GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import { GetFunctionCommand, GetLayerVersionPolicyCommand, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { nodeHandler, runCli, unique, writeProject } from '../src/cli/testing.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { createNodeFunction } from '../src/testing/functions.js';

const env = useServer();
const dirs = useTempDirs();
const cli = (args: string[], cwd?: string) => runCli(args, { cwd, endpoint: env.url, timeoutMs: 120_000 });

const header = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Handler: index.handler
    CodeUri: src/
Resources:
`;

const keep = (p: string) => `  Keep:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${p}-keep
`;

const full = (p: string) => `${header}${keep(p)}  Kept:
    Type: AWS::Serverless::Function
    DeletionPolicy: Retain
    Properties:
      FunctionName: ${p}-kept
  Libs:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: ${p}-libs
      ContentUri: layer/
  Shop:
    Type: AWS::Serverless::Api
    Properties:
      Name: ${p}-rest
      StageName: prod
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: PER_API
  Http:
    Type: AWS::Serverless::HttpApi
    DeletionPolicy: Retain
    Properties:
      Name: ${p}-http
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${p}-orders
      AutoPublishAlias: live
      FunctionUrlConfig:
        AuthType: NONE
      Layers: [!Ref Libs]
      Events:
        List:
          Type: Api
          Properties: { RestApiId: !Ref Shop, Path: /orders, Method: GET }
        Http:
          Type: HttpApi
          Properties: { ApiId: !Ref Http, Path: /orders, Method: GET }
`;

test('a deploy deletes the functions, APIs, usage plans and layers the template no longer has; Retain and hand-made resources stay', async () => {
  const p = unique('prune');
  // A function made by hand before any deploy, in no stack.
  await createNodeFunction(env.lambda, `${p}-manual`, 'exports.handler = async () => "manual";');
  const dir = dirs.removeLater(writeProject({
    'template.yaml': full(p),
    'src/index.mjs': nodeHandler('orders'),
    'layer/nodejs/node_modules/libs/index.js': 'module.exports = 1;\n',
  }));
  const first = await cli(['deploy', '--stack-name', p, '--json'], dir);
  assert.equal(first.code, 0, first.output);
  const deployed = first.json();
  assert.equal(deployed.kept, undefined, '--json prints what was deployed, not the prune\'s bookkeeping');
  const restId = deployed.apis.find((a: { logicalId: string }) => a.logicalId === 'Shop').id as string;
  const httpId = deployed.apis.find((a: { logicalId: string }) => a.logicalId === 'Http').id as string;
  const plan = (await env.apigw.send(new GetUsagePlansCommand({ limit: 500 }))).items!.find((x) => x.tags?.['stagecraft:stack'] === p)!;
  assert.ok(plan, 'the stack made a usage plan');
  assert.doesNotMatch(first.output, /Cleanup/, 'a first deploy has nothing to clean up');

  // The second template has only Keep.
  writeFileSync(join(dir, 'template.yaml'), `${header}${keep(p)}`);
  const second = await cli(['deploy', '--stack-name', p, '--no-color'], dir);
  assert.equal(second.code, 0, second.output);
  for (const line of [
    `- Cleanup.*function ${p}-orders \\(every version\\) \\[removed\\]`,
    `- Cleanup.*alias ${p}-orders:live \\[removed\\]`,
    `- Cleanup.*REST API ${p}-rest \\(id ${restId}\\) \\[removed\\]`,
    `- Cleanup.*HTTP API ${p}-http \\(id ${httpId}; kept: DeletionPolicy Retain; no longer part of the stack\\) \\[removed\\]`,
    `- Cleanup.*usage plan .* \\(id ${plan.id}\\) \\[removed\\]`,
    `- Cleanup.*function ${p}-kept \\(kept: DeletionPolicy Retain; no longer part of the stack\\) \\[removed\\]`,
  ]) assert.match(second.stdout, new RegExp(line), second.stdout);

  await expectAwsError(env.lambda.send(new GetFunctionCommand({ FunctionName: `${p}-orders` })), 'ResourceNotFoundException');
  await expectAwsError(env.apigw.send(new GetRestApiCommand({ restApiId: restId })), 'NotFoundException');
  const http = await env.apigwv2.send(new GetApiCommand({ ApiId: httpId }));
  assert.equal(http.Tags?.['stagecraft:stack'], undefined, 'a retained HTTP API is no longer the stack\'s');
  await expectAwsError(env.apigw.send(new GetUsagePlanCommand({ usagePlanId: plan.id })), 'NotFoundException');
  // The layer version stays (SAM's RetentionPolicy Retain), without the stack's mark.
  const versions = (await env.lambda.send(new ListLayerVersionsCommand({ LayerName: `${p}-libs` }))).LayerVersions!;
  assert.equal(versions.length, 1);
  await expectAwsError(env.lambda.send(new GetLayerVersionPolicyCommand({ LayerName: `${p}-libs`, VersionNumber: versions[0].Version })), 'ResourceNotFoundException');
  const kept = await env.lambda.send(new GetFunctionCommand({ FunctionName: `${p}-kept` }));
  assert.equal(kept.Tags?.['stagecraft:stack'], undefined, 'a retained function is no longer the stack\'s');
  assert.equal((await env.lambda.send(new GetFunctionCommand({ FunctionName: `${p}-keep` }))).Tags?.['stagecraft:stack'], p);
  await env.lambda.send(new GetFunctionCommand({ FunctionName: `${p}-manual` }));

  // Deploying again, Keep now retained, deletes nothing; deleting the stack keeps Keep (as DeleteStack retains it)
  // and leaves what was released and the hand-made function.
  writeFileSync(join(dir, 'template.yaml'), `${header}${keep(p).replace('    Properties:', '    DeletionPolicy: Retain\n    Properties:')}`);
  const third = await cli(['deploy', '--stack-name', p, '--no-color'], dir);
  assert.equal(third.code, 0, third.output);
  assert.doesNotMatch(third.stdout, /Cleanup/);
  const deleted = await cli(['delete', '--stack-name', p, '--no-prompts', '--no-color']);
  assert.equal(deleted.code, 0, deleted.output);
  assert.match(deleted.stdout, new RegExp(`- function ${p}-keep \\(kept: DeletionPolicy Retain; no longer part of the stack\\)`));
  assert.equal((await env.lambda.send(new GetFunctionCommand({ FunctionName: `${p}-keep` }))).Tags?.['stagecraft:stack'], undefined);
  await env.lambda.send(new GetFunctionCommand({ FunctionName: `${p}-kept` }));
  await env.lambda.send(new GetFunctionCommand({ FunctionName: `${p}-manual` }));
  await env.apigwv2.send(new GetApiCommand({ ApiId: httpId }));
});
