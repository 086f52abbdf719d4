// `stagecraft deploy` with an AWS::Serverless::Api defined by an OpenAPI document: DefinitionBody
// (with SAM's `Fn::Sub` of a function's Arn) and DefinitionUri (a local YAML file) are put on the
// REST API, API Gateway may call the functions the document names, the stage answers from the
// function, a second deploy changes nothing, and what SAM would merge into the document is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetMethodCommand, GetResourcesCommand, GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { nodeHandler, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';
import { invokeHost } from '../src/execute-api/testing.js';

const env = useServer();
const dirs = useTempDirs();

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

const itemsFunction = (prefix: string, events = '') => `  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
${events}`;

test('DefinitionBody: the document becomes the API, its Lambda integration answers, a redeploy changes nothing', async () => {
  const prefix = unique('definition');
  const apiName = unique('api');
  const body = `      BinaryMediaTypes: [image/png]
      DefinitionBody:
        openapi: 3.0.1
        info: { title: ignored-title, version: '1' }
        paths:
          /items/{id}:
            get:
              parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Items.Arn}/invocations`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': samApiTemplate(apiName, body, itemsFunction(prefix)), 'src/index.mjs': nodeHandler('from the function') }));
  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  assert.match(run.stderr, /from its OpenAPI document \[updated\]/);
  assert.match(run.stderr, new RegExp(`permission for API Gateway to call ${prefix}-items \\(OpenAPI document\\) \\[created\\]`));
  const api = run.json().apis[0];
  assert.deepEqual(api.stages[0].routes.map((r: { method: string; path: string }) => `${r.method} ${r.path}`), ['GET /items/{id}']);
  const restApi = await env.apigw.send(new GetRestApiCommand({ restApiId: api.id }));
  assert.equal(restApi.name, apiName, 'the template\'s Name wins over the document\'s title');
  assert.deepEqual(restApi.binaryMediaTypes, ['image/png']);
  const resource = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id }))).items!.find((r) => r.path === '/items/{id}')!;
  const method = await env.apigw.send(new GetMethodCommand({ restApiId: api.id, resourceId: resource.id!, httpMethod: 'GET' }));
  assert.equal(method.methodIntegration!.uri, `arn:aws:apigateway:${testRegion}:lambda:path/2015-03-31/functions/arn:aws:lambda:${testRegion}:${testAccount}:function:${prefix}-items/invocations`);

  const answer = await invokeHost(env.url, api.id, 'dev', '/items/7');
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.text, 'from the function');

  const again = await deploy(dir, '--json');
  assert.equal(again.code, 0, again.output);
  assert.match(again.stderr, /= Api +REST API \S+ from its OpenAPI document\n/);
  assert.doesNotMatch(again.stderr, /\[(created|updated)\]/);
});

test('DefinitionUri: a local YAML file; Api events and Cors on such an API are refused before anything is deployed', async () => {
  const prefix = unique('definition-uri');
  const apiName = unique('api');
  const document = `swagger: "2.0"
info: { title: from-file, version: "1" }
paths:
  /hello:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:${testRegion}:lambda:path/2015-03-31/functions/arn:aws:lambda:${testRegion}:${testAccount}:function:${prefix}-items/invocations
`;
  const dir = dirs.removeLater(writeProject({
    'template.yaml': samApiTemplate(apiName, '      DefinitionUri: api.yaml', itemsFunction(prefix)), 'api.yaml': document, 'src/index.mjs': nodeHandler('hello from file'),
  }));
  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  const answer = await invokeHost(env.url, run.json().apis[0].id, 'dev', '/hello');
  assert.equal(answer.text, 'hello from file');

  const events = `      Events:
        Get:
          Type: Api
          Properties: { RestApiId: !Ref Api, Path: /other, Method: GET }
`;
  writeFileSync(join(dir, 'template.yaml'), samApiTemplate(apiName, '      DefinitionUri: api.yaml', itemsFunction(prefix, events)));
  const withEvents = await deploy(dir);
  assert.notEqual(withEvents.code, 0);
  assert.match(withEvents.output, /merges no Api events: describe GET \/other in the OpenAPI document/);
  writeFileSync(join(dir, 'template.yaml'), samApiTemplate(apiName, '      DefinitionUri: api.yaml\n      Cors: "\'*\'"', itemsFunction(prefix)));
  const withCors = await deploy(dir);
  assert.notEqual(withCors.code, 0);
  assert.match(withCors.output, /stagecraft deploy does not merge Cors into a DefinitionBody or DefinitionUri/);
  writeFileSync(join(dir, 'template.yaml'), samApiTemplate(apiName, '      DefinitionUri: missing.yaml', itemsFunction(prefix)));
  assert.match((await deploy(dir)).output, /cannot read the OpenAPI file .*missing\.yaml/);
});
