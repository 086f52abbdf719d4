// `stagecraft deploy` with a SAM FunctionUrlConfig against a real server: the URL is made on the
// AutoPublishAlias, with the public permission SAM adds for AuthType NONE, and answers over HTTP;
// `!GetAtt {Id}Url.FunctionUrl` in Outputs; a re-deploy keeps the address; switching to AWS_IAM
// updates the URL and withdraws the public permission. Template mistakes are located errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetFunctionUrlConfigCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';
import { functionUrlPathStyle } from '../src/deploy/urls.js';

const env = useServer();
const dirs = useTempDirs();

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

function template(name: string, urlConfig: string): string {
  return `Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${name}
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
      AutoPublishAlias: live
      FunctionUrlConfig:
${urlConfig}
Outputs:
  HelloUrl:
    Value: !GetAtt HelloUrl.FunctionUrl
`;
}

const NONE = `        AuthType: NONE
        Cors:
          AllowOrigins: ['https://app.example']
          MaxAge: 60`;

test('FunctionUrlConfig: a URL on the alias with SAM public permission, kept across deploys, switched to AWS_IAM', async () => {
  const name = unique('url-fn');
  const dir = dirs.removeLater(writeProject({
    'template.yaml': template(name, NONE),
    'src/index.js': 'exports.handler = async (event) => ({ statusCode: 200, body: "hello " + event.rawPath });\n',
  }));
  const first = await deploy(dir, '--json');
  assert.equal(first.code, 0, first.output);
  const result = first.json();
  const fnResult = result.functions[0];
  assert.match(fnResult.functionUrl, /^http:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.localhost:\d+\/$/);
  assert.equal(result.outputs.find((o: { name: string }) => o.name === 'HelloUrl').value, fnResult.functionUrl);
  assert.match(first.stderr, /function URL of .*:live \(NONE\): http:\/\/.* \[created\]/);

  const config = await env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live' }));
  assert.equal(config.FunctionUrl, fnResult.functionUrl);
  assert.deepEqual(config.Cors, { AllowOrigins: ['https://app.example'], MaxAge: 60 });
  const policy = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: name, Qualifier: 'live' }))).Policy!);
  assert.deepEqual(policy.Statement.map((s: { Action: string; Principal: string; Condition: unknown }) => [s.Action, s.Principal, s.Condition]),
    [['lambda:InvokeFunctionUrl', '*', { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } }]]);
  const answer = await fetch(`${functionUrlPathStyle(fnResult.functionUrl, env.url)}greet`);
  assert.equal(answer.status, 200);
  assert.equal(await answer.text(), 'hello /greet');

  const status = await runCli(['status', name, '--json'], { endpoint: env.url });
  assert.equal(status.code, 0, status.output);
  assert.deepEqual(status.json().functions[0].urls, [{ qualifier: 'live', url: fnResult.functionUrl, authType: 'NONE' }]);
  const table = await runCli(['status', name, '--no-color'], { endpoint: env.url });
  assert.match(table.stdout, new RegExp(`Function URLs[\\s\\S]*${name}:live +NONE +http://`));

  const second = await deploy(dir, '--json');
  assert.equal(second.code, 0, second.output);
  assert.equal(second.json().changed, false, second.stderr);
  assert.equal(second.json().functions[0].functionUrl, fnResult.functionUrl, 'the address never changes');

  writeFiles(dir, { 'template.yaml': template(name, '        AuthType: AWS_IAM') });
  const third = await deploy(dir, '--json');
  assert.equal(third.code, 0, third.output);
  assert.match(third.stderr, /function URL of .*:live \(AWS_IAM\): .* \[updated\]/);
  assert.equal((await env.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live' }))).AuthType, 'AWS_IAM');
  assert.equal((await fetch(functionUrlPathStyle(fnResult.functionUrl, env.url))).status, 403, 'unsigned requests are refused');
});

test('--check refuses a FunctionUrlConfig without a valid AuthType, with its location', async () => {
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template('x', '        AuthType: PUBLIC'), 'src/index.js': 'exports.handler = async () => 1;\n' }));
  const r = await runCli(['deploy', '--check'], { cwd: dir });
  assert.notEqual(r.code, 0);
  assert.match(r.output, /template\.yaml:12:\d+.*FunctionUrlConfig\.AuthType must be NONE or AWS_IAM, got "PUBLIC"/);
});
