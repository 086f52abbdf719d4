// `stagecraft deploy` with an AWS::Serverless::HttpApi defined by an OpenAPI document: a
// DefinitionBody whose integrations name the template's functions (!Sub with ${Fn.Arn}, !GetAtt),
// imported with the functions' HttpApi events merged in, served on its stage with API Gateway's
// permission to call them; an unchanged document is left alone, a changed one is reimported into
// the same API; a DefinitionUri names a local YAML file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetApisCommand, GetStageCommand } from '@aws-sdk/client-apigatewayv2';
import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { runCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';
import { invokeHttpApi } from '../src/execute-api/testing.js';

const env = useServer();
const dirs = useTempDirs();
const deploy = (dir: string, stackName: string, ...args: string[]) => runCli(['deploy', '--stack-name', stackName, ...args], { cwd: dir, endpoint: env.url });

const HANDLER = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({
  fn: process.env.AWS_LAMBDA_FUNCTION_NAME, version: event.version, routeKey: event.routeKey ?? event.requestContext.routeKey,
  stage: event.requestContext.stage, stageVariables: event.stageVariables || null,
}) });
`;

const fn = (id: string, name: string, events = '') => `  ${id}:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${name}
      CodeUri: src/
      Handler: index.handler
      Runtime: nodejs20.x
${events}`;

function template(prefix: string, withBye: boolean): string {
  const bye = `    /bye:
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: !GetAtt Bye.Arn
                payloadFormatVersion: '1.0'
`;
  return `Transform: AWS::Serverless-2016-10-31
Resources:
${fn('Hello', `${prefix}-hello`)}
${fn('Bye', `${prefix}-bye`)}
${fn('Merged', `${prefix}-merged`, `      Events:
        Merged:
          Type: HttpApi
          Properties: { ApiId: !Ref Defined, Path: /merged, Method: GET }
`)}
  Defined:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: v1
      StageVariables: { color: blue }
      DefinitionBody:
        openapi: '3.0.1'
        info: { title: !Sub '\${AWS::StackName}-defined', version: '1.0' }
        paths:
          /hello:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Hello.Arn}/invocations
                payloadFormatVersion: '2.0'
      ${withBye ? bye : ''}
Outputs:
  DefinedId:
    Value: !Ref Defined
`;
}

test('a DefinitionBody is imported with the merged HttpApi events; a changed document is reimported into the same API', async () => {
  const prefix = unique('httpdef');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(prefix, false), 'src/index.js': HANDLER }));
  const first = await deploy(dir, prefix, '--json');
  assert.equal(first.code, 0, first.output);
  const result = first.json();
  const api = result.apis.find((a: { logicalId: string }) => a.logicalId === 'Defined');
  assert.equal(api.name, `${prefix}-defined`, 'the API is named by the document\'s info.title');
  assert.equal(result.outputs.find((o: { name: string }) => o.name === 'DefinedId').value, api.id);
  assert.deepEqual(api.stages[0].routes.map((r: { method: string; path: string }) => `${r.method} ${r.path}`).sort(), ['GET /hello', 'GET /merged']);

  const hello = await invokeHttpApi(env.url, api.id, '/v1/hello');
  assert.equal(hello.status, 200, hello.text);
  assert.deepEqual(hello.json(), { fn: `${prefix}-hello`, version: '2.0', routeKey: 'GET /hello', stage: 'v1', stageVariables: { color: 'blue' } });
  const merged = await invokeHttpApi(env.url, api.id, '/v1/merged');
  assert.equal(merged.status, 200, merged.text);
  assert.deepEqual(merged.json().fn, `${prefix}-merged`);
  assert.equal((await invokeHttpApi(env.url, api.id, '/v1/bye', { method: 'POST' })).status, 404);
  const stage = await env.apigwv2.send(new GetStageCommand({ ApiId: api.id, StageName: 'v1' }));
  assert.equal(stage.AutoDeploy, true);

  // API Gateway may call each function the document names, from any route of the API.
  const policy = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: `${prefix}-hello` }))).Policy!);
  assert.deepEqual(policy.Statement.map((s: { Principal: { Service: string }; Condition: { ArnLike: Record<string, string> } }) => [s.Principal.Service, s.Condition.ArnLike['AWS:SourceArn']]),
    [['apigateway.amazonaws.com', `arn:aws:execute-api:us-east-1:000000000000:${api.id}/*`]]);

  const again = await deploy(dir, prefix, '--json');
  assert.equal(again.code, 0, again.output);
  assert.equal(again.json().changed, false, 'an unchanged document is not imported again');

  writeFiles(dir, { 'template.yaml': template(prefix, true) });
  const second = await deploy(dir, prefix, '--json');
  assert.equal(second.code, 0, second.output);
  assert.equal(second.json().apis.find((a: { logicalId: string }) => a.logicalId === 'Defined').id, api.id, 'the same API, reimported');
  const bye = await invokeHttpApi(env.url, api.id, '/v1/bye', { method: 'POST' });
  assert.equal(bye.status, 200, bye.text);
  assert.deepEqual(bye.json(), { fn: `${prefix}-bye`, version: '1.0', routeKey: 'POST /bye', stage: 'v1', stageVariables: { color: 'blue' } });
  assert.equal((await invokeHttpApi(env.url, api.id, '/v1/hello')).json().fn, `${prefix}-hello`);
  const byePolicy = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: `${prefix}-bye` }))).Policy!);
  assert.deepEqual(byePolicy.Statement.map((s: { Condition: { ArnLike: Record<string, string> } }) => s.Condition.ArnLike['AWS:SourceArn']),
    [`arn:aws:execute-api:us-east-1:000000000000:${api.id}/*`], 'a bare function ARN (!GetAtt Bye.Arn) in the document is granted too');
  assert.equal((await env.apigwv2.send(new GetApisCommand({}))).Items!.filter((a) => a.Name === `${prefix}-defined`).length, 1);
});

test('a DefinitionUri names a local YAML file; Auth with a document is refused with a located error', async () => {
  const prefix = unique('httpuri');
  const doc = `openapi: 3.0.1
info: { title: ${prefix}-file, version: '1' }
paths:
  $default:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: arn:aws:lambda:us-east-1:000000000000:function:${prefix}-hello
        payloadFormatVersion: '2.0'
`;
  const withApi = (props: string) => `Transform: AWS::Serverless-2016-10-31
Resources:
${fn('Hello', `${prefix}-hello`)}
  FromFile:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionUri: api/openapi.yaml
${props}`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': withApi(''), 'api/openapi.yaml': doc, 'src/index.js': HANDLER }));
  const first = await deploy(dir, prefix, '--json');
  assert.equal(first.code, 0, first.output);
  const api = first.json().apis.find((a: { logicalId: string }) => a.logicalId === 'FromFile');
  assert.equal(api.name, `${prefix}-file`);
  const answer = await invokeHttpApi(env.url, api.id, '/anything');
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(answer.json(), { fn: `${prefix}-hello`, version: '2.0', routeKey: '$default', stage: '$default', stageVariables: null });

  writeFiles(dir, { 'template.yaml': withApi('      Auth:\n        EnableIamAuthorizer: true\n') });
  const refused = await deploy(dir, prefix);
  assert.notEqual(refused.code, 0);
  assert.match(refused.output, /\(Resources\.FromFile\.Properties\.Auth\): stagecraft deploy does not merge Auth into a DefinitionBody or DefinitionUri/);
});
