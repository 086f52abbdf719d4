// `stagecraft delete` against a real server, through bin/stagecraft: a stack with a layer, a function
// (AutoPublishAlias with DeploymentPreference, a function URL, an EventInvokeConfig), a REST API with
// a custom domain and a usage plan, and an HTTP API with a custom domain is deleted entirely, while a
// second stack deployed beside it keeps everything; without --no-prompts and no terminal it refuses;
// deleting again says the stack doesn't exist.
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { GetApiKeyCommand, GetApiKeysCommand, GetDomainNameCommand, GetRestApiCommand, GetUsagePlanCommand, GetUsagePlansCommand } from '@aws-sdk/client-api-gateway';
import { GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import { GetAliasCommand, GetFunctionCommand, GetLayerVersionCommand, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { apiEvent, nodeHandler, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { readStatements } from '../src/deploy/permissions.js';

const env = useServer();
const dirs = useTempDirs();
const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/delete-test';
const cli = (args: string[], cwd?: string) => runCli(args, { cwd, endpoint: env.url, timeoutMs: 120_000 });

/** An HttpApi Lambda authorizer calling another stack's function, when `authorizer` names one. */
const gate = (authorizer?: string) => (authorizer ? `      Auth:
        Authorizers:
          Gate:
            FunctionArn: arn:aws:lambda:us-east-1:000000000000:function:${authorizer}
            AuthorizerPayloadFormatVersion: '2.0'
            EnableSimpleResponses: true
            EnableFunctionDefaultPermissions: true
            Identity: { Headers: [Authorization] }
` : '');

function template(prefix: string, suffix: string, authorizer?: string): string {
  return samApiTemplate(`${prefix}-rest`, `      Domain:
        DomainName: rest-${suffix}.example.test
        CertificateArn: ${CERT}
        BasePath: [/, /v1]
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: PER_API`, `  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Name: ${prefix}-http
      Domain:
        DomainName: http-${suffix}.example.test
        CertificateArn: ${CERT}
        BasePath: [/shop]
${gate(authorizer)}  Libs:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: ${prefix}-libs
      ContentUri: layer/
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-orders
      CodeUri: src/
      AutoPublishAlias: live
      DeploymentPreference:
        Type: AllAtOnce
      FunctionUrlConfig:
        AuthType: NONE
      EventInvokeConfig:
        MaximumRetryAttempts: 1
      Layers: [!Ref Libs]
      Events:
${apiEvent('List', '/orders', 'GET')}
        Http:
          Type: HttpApi
          Properties: { ApiId: !Ref Http, Path: /orders, Method: GET }
`);
}

async function deployStack(stackName: string, authorizer?: string) {
  const suffix = unique('s');
  const dir = dirs.removeLater(writeProject({
    'template.yaml': template(stackName, suffix, authorizer),
    'src/index.mjs': nodeHandler('orders'),
    'layer/nodejs/node_modules/libs/index.js': 'module.exports = 1;\n',
  }));
  // Deployed twice: the second publishes a version the DeploymentPreference moves the alias to.
  const first = await cli(['deploy', '--stack-name', stackName], dir);
  assert.equal(first.code, 0, first.output);
  writeFileSync(join(dir, 'src/index.mjs'), nodeHandler('orders v2'));
  const run = await cli(['deploy', '--stack-name', stackName, '--json', '--traffic-shift-interval', '0s'], dir);
  assert.equal(run.code, 0, run.output);
  const result = run.json();
  const rest = result.apis.find((a: { logicalId: string }) => a.logicalId === 'Api');
  const http = result.apis.find((a: { logicalId: string }) => a.logicalId === 'Http');
  return {
    functionName: `${stackName}-orders`, layerName: `${stackName}-libs`, restApiId: rest.id as string, httpApiId: http.id as string,
    domains: [`rest-${suffix}.example.test`, `http-${suffix}.example.test`],
  };
}

test('delete removes everything of one stack, nothing of another, asks first, and knows when a stack is gone', async () => {
  const first = unique('first');
  const second = unique('second');
  const b = await deployStack(second);
  const a = await deployStack(first, b.functionName);
  const grantsOfFirst = async () => (await readStatements(env.lambda, b.functionName)).filter((s) => s.Sid.includes(a.httpApiId));
  assert.equal((await grantsOfFirst()).length, 1, 'the first stack\'s HTTP API may call the second\'s function as its authorizer');
  const planOf = async (stack: string) => (await env.apigw.send(new GetUsagePlansCommand({ limit: 500 }))).items!.find((p) => p.tags?.['stagecraft:stack'] === stack)!;
  const keyOf = async (stack: string) => (await env.apigw.send(new GetApiKeysCommand({ limit: 500 }))).items!.find((k) => k.tags?.['stagecraft:stack'] === stack)!;
  const aPlan = await planOf(first);
  const aKey = await keyOf(first);
  assert.ok(aPlan && aKey, 'the stack made a usage plan and an API key');
  assert.equal((await env.lambda.send(new ListLayerVersionsCommand({ LayerName: a.layerName }))).LayerVersions!.length, 1);

  // No terminal to ask on and no --no-prompts: nothing happens.
  const refused = await cli(['delete', '--stack-name', first]);
  assert.equal(refused.code, 2, refused.output);
  assert.match(refused.stderr, new RegExp(`not deleting stack ${first} without confirmation, and stdin is not a terminal to ask on\\. Pass --no-prompts`));
  await env.lambda.send(new GetFunctionCommand({ FunctionName: a.functionName }));

  const deleted = await cli(['delete', '--stack-name', first, '--no-prompts', '--json']);
  assert.equal(deleted.code, 0, deleted.output);
  const report = deleted.json();
  assert.equal(report.existed, true);
  assert.deepEqual(report.failed, []);
  const kinds = report.deleted.map((d: { kind: string }) => d.kind);
  for (const kind of ['base-path-mapping', 'domain-name', 'usage-plan', 'api-key', 'rest-api', 'http-api', 'function-url', 'event-invoke-config', 'alias', 'function', 'layer-version']) {
    assert.ok(kinds.includes(kind), `${kind} in ${kinds.join(', ')}`);
  }
  assert.ok(kinds.indexOf('domain-name') < kinds.indexOf('rest-api') && kinds.indexOf('alias') < kinds.indexOf('function') && kinds.indexOf('function') < kinds.indexOf('layer-version'));
  assert.match(deleted.stderr, new RegExp(`Deleted stack ${first}: \\d+ resources\\.`));

  await expectAwsError(env.lambda.send(new GetFunctionCommand({ FunctionName: a.functionName })), 'ResourceNotFoundException');
  await expectAwsError(env.lambda.send(new GetAliasCommand({ FunctionName: a.functionName, Name: 'live' })), 'ResourceNotFoundException');
  await expectAwsError(env.apigw.send(new GetRestApiCommand({ restApiId: a.restApiId })), 'NotFoundException');
  await expectAwsError(env.apigwv2.send(new GetApiCommand({ ApiId: a.httpApiId })), 'NotFoundException');
  for (const domainName of a.domains) await expectAwsError(env.apigw.send(new GetDomainNameCommand({ domainName })), 'NotFoundException');
  await expectAwsError(env.apigw.send(new GetUsagePlanCommand({ usagePlanId: aPlan.id })), 'NotFoundException');
  await expectAwsError(env.apigw.send(new GetApiKeyCommand({ apiKey: aKey.id })), 'NotFoundException');
  assert.deepEqual((await env.lambda.send(new ListLayerVersionsCommand({ LayerName: a.layerName }))).LayerVersions, []);

  assert.ok(kinds.includes('api-grants'));
  assert.deepEqual(await grantsOfFirst(), [], 'the deleted API\'s grant on the other stack\'s function is gone');

  // The second stack is untouched.
  await env.lambda.send(new GetAliasCommand({ FunctionName: b.functionName, Name: 'live' }));
  await env.apigw.send(new GetRestApiCommand({ restApiId: b.restApiId }));
  await env.apigwv2.send(new GetApiCommand({ ApiId: b.httpApiId }));
  for (const domainName of b.domains) await env.apigw.send(new GetDomainNameCommand({ domainName }));
  assert.ok(await planOf(second));
  assert.ok(await keyOf(second));
  await env.lambda.send(new GetLayerVersionCommand({ LayerName: b.layerName, VersionNumber: 1 }));
  const own = [...await readStatements(env.lambda, b.functionName), ...await readStatements(env.lambda, b.functionName, 'live')].map((s) => s.Sid);
  assert.ok(own.some((sid) => sid.startsWith(`stagecraft-${b.restApiId}-`)), `the second stack's own grants stay: ${own.join(', ')}`);

  const again = await cli(['delete', '--stack-name', first]);
  assert.equal(again.code, 0, again.output);
  assert.match(again.stdout, new RegExp(`Stack ${first} does not exist on http://[^ ]+ \\(us-east-1\\): nothing to delete\\.`));

  const usage = await cli(['delete']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--stack-name is required/);
});
