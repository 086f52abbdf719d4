// `stagecraft deploy` with a function's further settings: EphemeralStorage, LoggingConfig,
// KmsKeyArn, DeadLetterQueue, VpcConfig (warned about), CodeSigningConfigArn, RecursiveLoop and
// RuntimeManagementConfig land where Lambda keeps them; an unchanged template changes nothing;
// removing them brings back AWS's defaults and publishes a new version; Globals.HttpApi applies
// to an AWS::Serverless::HttpApi and to the implicit one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateCodeSigningConfigCommand, GetAliasCommand, GetFunctionCodeSigningConfigCommand, GetFunctionConfigurationCommand, GetFunctionRecursionConfigCommand,
  GetRuntimeManagementConfigCommand, ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { GetApiCommand, GetStageCommand } from '@aws-sdk/client-apigatewayv2';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();
const deploy = (dir: string, stackName: string) => runCli(['deploy', '--stack-name', stackName, '--json'], { cwd: dir, endpoint: env.url });
const DLQ = 'arn:aws:sqs:us-east-1:000000000000:failed-jobs';
const KEY = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const functionTemplate = (prefix: string, settings: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-worker
      InlineCode: "exports.handler = async () => 'ok';"
      Handler: index.handler
      Runtime: nodejs20.x
      AutoPublishAlias: live
${settings}`;

const settings = (csc: string) => `      EphemeralStorage:
        Size: 1024
      LoggingConfig:
        LogFormat: JSON
        ApplicationLogLevel: WARN
      KmsKeyArn: ${KEY}
      RecursiveLoop: Terminate
      RuntimeManagementConfig:
        UpdateRuntimeOn: FunctionUpdate
      CodeSigningConfigArn: ${csc}
      DeadLetterQueue:
        Type: SQS
        TargetArn: ${DLQ}
      VpcConfig:
        SubnetIds: [subnet-1]
        SecurityGroupIds: [sg-1]
      AutoPublishCodeSha256: v1
`;

test('function settings are set, left alone when unchanged, and reset when removed', async () => {
  const prefix = unique('fnset');
  const FunctionName = `${prefix}-worker`;
  const csc = (await env.lambda.send(new CreateCodeSigningConfigCommand({
    AllowedPublishers: { SigningProfileVersionArns: ['arn:aws:signer:us-east-1:000000000000:/signing-profiles/test'] },
  }))).CodeSigningConfig!.CodeSigningConfigArn!;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': functionTemplate(prefix, settings(csc)) }));

  const first = await deploy(dir, prefix);
  assert.equal(first.code, 0, first.output);
  assert.equal(first.stderr.match(/VpcConfig has no effect/g)?.length, 1, first.stderr);
  assert.doesNotMatch(first.stderr, /DeadLetterQueue/, 'dead letters are delivered: nothing to warn of');
  const config = await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
  assert.deepEqual(config.EphemeralStorage, { Size: 1024 });
  assert.deepEqual(config.LoggingConfig, { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO', LogGroup: `/aws/lambda/${FunctionName}` });
  assert.equal(config.KMSKeyArn, KEY);
  assert.deepEqual(config.DeadLetterConfig, { TargetArn: DLQ });
  assert.equal((await env.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName }))).RecursiveLoop, 'Terminate');
  assert.equal((await env.lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName }))).UpdateRuntimeOn, 'FunctionUpdate');
  assert.equal((await env.lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName }))).CodeSigningConfigArn, csc);
  assert.equal((await env.lambda.send(new GetAliasCommand({ FunctionName, Name: 'live' }))).FunctionVersion, '1');
  const published = await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName, Qualifier: '1' }));
  assert.deepEqual(published.EphemeralStorage, { Size: 1024 }, 'the version has the settings');

  const again = await deploy(dir, prefix);
  assert.equal(again.code, 0, again.output);
  assert.equal(again.json().changed, false, `nothing changes on a second deploy:\n${again.stderr}`);

  writeFiles(dir, { 'template.yaml': functionTemplate(prefix, '      RecursiveLoop: Allow\n') });
  const allowed = await deploy(dir, prefix);
  assert.equal(allowed.code, 0, allowed.output);
  const reset = await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
  assert.deepEqual(reset.EphemeralStorage, { Size: 512 });
  assert.deepEqual(reset.LoggingConfig, { LogFormat: 'Text', LogGroup: `/aws/lambda/${FunctionName}` });
  assert.equal(reset.KMSKeyArn, undefined);
  assert.equal(reset.DeadLetterConfig, undefined);
  assert.equal((await env.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName }))).RecursiveLoop, 'Allow');
  assert.equal((await env.lambda.send(new GetRuntimeManagementConfigCommand({ FunctionName }))).UpdateRuntimeOn, 'Auto');
  assert.equal((await env.lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName }))).CodeSigningConfigArn, undefined);
  assert.equal((await env.lambda.send(new GetAliasCommand({ FunctionName, Name: 'live' }))).FunctionVersion, '2', 'a new version without the settings');

  writeFiles(dir, { 'template.yaml': functionTemplate(prefix, '') });
  const removed = await deploy(dir, prefix);
  assert.equal(removed.code, 0, removed.output);
  assert.equal((await env.lambda.send(new GetFunctionRecursionConfigCommand({ FunctionName }))).RecursiveLoop, 'Terminate');
  assert.equal((await env.lambda.send(new GetAliasCommand({ FunctionName, Name: 'live' }))).FunctionVersion, '2', 'the recursion config is not part of a version');
});

test('SnapStart, which CreateFunction leaves at None here, is set right after, kept, and reset', async () => {
  const prefix = unique('fnset-snap');
  const FunctionName = `${prefix}-worker`;
  const withSnapStart = functionTemplate(prefix, '      SnapStart:\n        ApplyOn: PublishedVersions\n').replace('nodejs20.x', 'java21');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': withSnapStart }));
  const first = await deploy(dir, prefix);
  assert.equal(first.code, 0, first.output);
  assert.match(first.stderr, /SnapStart is stored and shown, but nothing is snapshotted/);
  assert.equal((await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName }))).SnapStart?.ApplyOn, 'PublishedVersions');
  const again = await deploy(dir, prefix);
  assert.equal(again.json().changed, false, again.stderr);
  writeFiles(dir, { 'template.yaml': withSnapStart.replace(/      SnapStart:\n.*\n/, '') });
  const removed = await deploy(dir, prefix);
  assert.equal(removed.code, 0, removed.output);
  assert.equal((await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName }))).SnapStart?.ApplyOn, 'None');
});

test('VersionDeletionPolicy Delete deletes the version the alias leaves', async () => {
  const prefix = unique('fnset-del');
  const FunctionName = `${prefix}-worker`;
  const template = (reply: string) => functionTemplate(prefix, '      VersionDeletionPolicy: Delete\n').replace("'ok'", `'${reply}'`);
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template('one') }));
  assert.equal((await deploy(dir, prefix)).code, 0);
  writeFiles(dir, { 'template.yaml': template('two') });
  const second = await deploy(dir, prefix);
  assert.equal(second.code, 0, second.output);
  assert.match(second.stderr, /version 1 of .* deleted \(VersionDeletionPolicy Delete\)/);
  assert.equal((await env.lambda.send(new GetAliasCommand({ FunctionName, Name: 'live' }))).FunctionVersion, '2');
  const versions = (await env.lambda.send(new ListVersionsByFunctionCommand({ FunctionName }))).Versions!.map((v) => v.Version);
  assert.deepEqual(versions, ['$LATEST', '2']);
});

test('settings Lambda would refuse are located template errors', async () => {
  const dir = dirs.removeLater(writeProject({ 'template.yaml': functionTemplate(unique('fnset-bad'), `      EphemeralStorage:
        Size: 100
      ImageUri: 123.dkr.ecr.us-east-1.amazonaws.com/app:latest
`) }));
  const r = await runCli(['deploy', '--check'], { cwd: dir });
  assert.notEqual(r.code, 0);
  assert.match(r.output, /template\.yaml:12:9.*EphemeralStorage\.Size must be a whole number of MB from 512 to 10240, got 100/);
  assert.match(r.output, /template\.yaml:13:\d+.*ImageUri is not supported by stagecraft deploy: container image functions are not supported/);
});

test('Globals.HttpApi applies to every HTTP API, the implicit one too', async () => {
  const prefix = unique('fnset-http');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': `Transform: AWS::Serverless-2016-10-31
Globals:
  HttpApi:
    StageVariables:
      color: green
    CorsConfiguration:
      AllowOrigins: ['https://app.example']
      AllowMethods: [GET]
Resources:
  Named:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: v1
      StageVariables:
        size: large
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-fn
      InlineCode: "exports.handler = async () => 'ok';"
      Handler: index.handler
      Runtime: nodejs20.x
      Events:
        Implicit:
          Type: HttpApi
          Properties: { Path: /a, Method: get }
        OnNamed:
          Type: HttpApi
          Properties: { ApiId: !Ref Named, Path: /b, Method: get }
` }));
  const first = await deploy(dir, prefix);
  assert.equal(first.code, 0, first.output);
  const apis = first.json().apis as { logicalId: string; id: string; stages: { name: string }[] }[];
  const named = apis.find((a) => a.logicalId === 'Named')!;
  const implicit = apis.find((a) => a.logicalId === 'ServerlessHttpApi')!;
  const namedStage = await env.apigwv2.send(new GetStageCommand({ ApiId: named.id, StageName: 'v1' }));
  assert.deepEqual(namedStage.StageVariables, { color: 'green', size: 'large' }, 'maps merge key by key');
  const implicitStage = await env.apigwv2.send(new GetStageCommand({ ApiId: implicit.id, StageName: '$default' }));
  assert.deepEqual(implicitStage.StageVariables, { color: 'green' });
  for (const api of [named, implicit]) {
    const cors = (await env.apigwv2.send(new GetApiCommand({ ApiId: api.id }))).CorsConfiguration;
    assert.deepEqual(cors?.AllowOrigins, ['https://app.example']);
    assert.deepEqual(cors?.AllowMethods, ['GET']);
  }
  const again = await deploy(dir, prefix);
  assert.equal(again.json().changed, false, again.stderr);
});
