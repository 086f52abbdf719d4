// `stagecraft deploy` against a real server with SAM templates on disk: what gets created, that a
// second deploy changes nothing, that code and configuration changes publish new versions, and
// parameters, outputs, Globals, conditions, the implicit API and stagecraft.yml stages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, GetFunctionCommand, GetPolicyCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { GetResourcesCommand, GetRestApisCommand, GetStageCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { nodeHandler, runCli, unique, writeFiles, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();

const project = (files: Record<string, string>) => dirs.removeLater(writeProject(files));

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

function helloTemplate(fn: string, api: string, extra: { memory?: number; alias?: string } = {}): string {
  return `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    Timeout: 5
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      Name: ${api}
      StageName: dev
      Variables:
        color: blue
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${fn}
      CodeUri: src/
      Handler: index.handler
      Description: says hello
      MemorySize: ${extra.memory ?? 128}
      AutoPublishAlias: ${extra.alias ?? 'live'}
      Environment:
        Variables:
          GREETING: hi
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /hello
            Method: get
Outputs:
  FunctionArn:
    Value: !GetAtt Hello.Arn
  AliasArn:
    Value: !Ref Hello.Alias
  Url:
    Description: where to call it
    Value: !Sub "https://\${Api}.execute-api.\${AWS::Region}.amazonaws.com/dev/hello"
`;
}

async function versions(name: string): Promise<string[]> {
  const out = await env.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  return (out.Versions ?? []).map((v) => v.Version!).filter((v) => v !== '$LATEST');
}

async function restApiByName(name: string) {
  const apis = (await env.apigw.send(new GetRestApisCommand({ limit: 500 }))).items ?? [];
  return apis.filter((a) => a.name === name);
}

test('deploys a SAM template: function, version, alias, API route, permission, stage, outputs', async () => {
  const fn = unique('hello');
  const apiName = unique('api');
  const dir = project({ 'template.yaml': helloTemplate(fn, apiName), 'src/index.mjs': nodeHandler('Hello from Lambda!') });

  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  const result = run.json();
  assert.equal(result.changed, true);
  assert.match(run.stderr, /\+ Hello\s+function .* \[created\]/, 'progress goes to stderr with --json');

  const got = await env.lambda.send(new GetFunctionCommand({ FunctionName: fn }));
  const c = got.Configuration!;
  assert.equal(c.Runtime, 'nodejs20.x');
  assert.equal(c.Handler, 'index.handler');
  assert.equal(c.Timeout, 5, 'Globals.Function.Timeout applies');
  assert.equal(c.MemorySize, 128);
  assert.equal(c.Description, 'says hello');
  assert.deepEqual(c.Environment?.Variables, { GREETING: 'hi' });
  assert.equal(got.Tags?.['stagecraft:stack'], result.stackName);

  assert.deepEqual(await versions(fn), ['1']);
  const alias = await env.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }));
  assert.equal(alias.FunctionVersion, '1');

  const [api, ...others] = await restApiByName(apiName);
  assert.equal(others.length, 0);
  const resources = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }))).items ?? [];
  const hello = resources.find((r) => r.path === '/hello');
  assert.ok(hello?.resourceMethods?.GET, 'GET /hello exists');
  const integration = hello.resourceMethods.GET.methodIntegration;
  assert.equal(integration?.type, 'AWS_PROXY');
  assert.equal(integration?.httpMethod, 'POST');
  assert.equal(integration?.uri, `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${fn}:live/invocations`);

  const stage = await env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }));
  assert.deepEqual(stage.variables, { color: 'blue' });
  assert.ok(stage.deploymentId);

  const policy = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: fn, Qualifier: 'live' }))).Policy!);
  const statement = policy.Statement.find((s: any) => s.Principal?.Service === 'apigateway.amazonaws.com');
  assert.ok(statement, 'API Gateway may call the alias');
  assert.equal(statement.Condition.ArnLike['AWS:SourceArn'], `arn:aws:execute-api:us-east-1:000000000000:${api.id}/*/GET/hello`);

  const outputs = Object.fromEntries(result.outputs.map((o: any) => [o.name, o.value]));
  assert.equal(outputs.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${fn}`);
  assert.equal(outputs.AliasArn, `arn:aws:lambda:us-east-1:000000000000:function:${fn}:live`);
  assert.equal(outputs.Url, `https://${api.id}.execute-api.us-east-1.amazonaws.com/dev/hello`);
  const port = new URL(env.url).port;
  assert.equal(result.apis[0].stages[0].routes[0].url, `http://${api.id}.execute-api.localhost:${port}/dev/hello`);
  assert.equal(result.apis[0].stages[0].routes[0].pathStyleUrl, `http://127.0.0.1:${port}/restapis/${api.id}/dev/_user_request_/hello`);

  // Human output: progress per step, the invoke URL and the outputs.
  const again = await deploy(dir);
  assert.equal(again.code, 0, again.output);
  assert.match(again.stdout, /Invoke URLs/);
  assert.match(again.stdout, new RegExp(`http://${api.id}\\.execute-api\\.localhost:${port}/dev/hello`));
  assert.match(again.stdout, /Outputs[\s\S]*FunctionArn/);

  // Moving the route: the old resource and its permission go, the new ones come.
  writeFileSync(join(dir, 'template.yaml'), helloTemplate(fn, apiName).replace('Path: /hello', 'Path: /hi'));
  const moved = await deploy(dir);
  assert.equal(moved.code, 0, moved.output);
  assert.match(moved.stdout, /route GET \/hi → .*:live \[created\]/);
  assert.match(moved.stdout, /resource \/hello and everything under it \(no longer in the template\) \[removed\]/);
  assert.match(moved.stdout, /1 permission for API Gateway to call .*:live that no route needs \[removed\]/);
  const sources = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: fn, Qualifier: 'live' }))).Policy!).Statement.map((s: any) => s.Condition.ArnLike['AWS:SourceArn']);
  assert.deepEqual(sources, [`arn:aws:execute-api:us-east-1:000000000000:${api.id}/*/GET/hi`]);
});

test('a second deploy with nothing changed changes nothing', async () => {
  const fn = unique('idem');
  const apiName = unique('api');
  const dir = project({ 'template.yaml': helloTemplate(fn, apiName), 'src/index.mjs': nodeHandler('same') });
  assert.equal((await deploy(dir)).code, 0);
  const [api] = await restApiByName(apiName);
  const stageBefore = await env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }));

  const second = await deploy(dir, '--json');
  assert.equal(second.code, 0, second.output);
  const result = second.json();
  assert.equal(result.changed, false, `changes: ${JSON.stringify(result.changes.filter((c: any) => c.kind !== 'unchanged'))}`);
  assert.ok(result.changes.every((c: any) => c.kind === 'unchanged'));
  assert.deepEqual(await versions(fn), ['1']);
  const stageAfter = await env.apigw.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }));
  assert.equal(stageAfter.deploymentId, stageBefore.deploymentId, 'no new deployment');
  assert.equal((await restApiByName(apiName)).length, 1, 'no second API');

  const human = await deploy(dir);
  assert.match(human.stdout, /No changes: stack .* already matches/);
});

test('changed code publishes a new version and moves the alias; changed configuration too', async () => {
  const fn = unique('chg');
  const apiName = unique('api');
  const dir = project({ 'template.yaml': helloTemplate(fn, apiName), 'src/index.mjs': nodeHandler('v1') });
  assert.equal((await deploy(dir)).code, 0);
  const sha1 = (await env.lambda.send(new GetFunctionCommand({ FunctionName: fn }))).Configuration!.CodeSha256;

  writeFiles(dir, { 'src/index.mjs': nodeHandler('v2') });
  const code = await deploy(dir);
  assert.equal(code.code, 0, code.output);
  assert.match(code.stdout, /code of .* \[updated\]/);
  assert.match(code.stdout, /version 2 of .* \[published\]/);
  assert.match(code.stdout, /alias .*:live → version 2 \(was version 1\)/);
  assert.deepEqual(await versions(fn), ['1', '2']);
  assert.equal((await env.lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'live' }))).FunctionVersion, '2');
  assert.notEqual((await env.lambda.send(new GetFunctionCommand({ FunctionName: fn }))).Configuration!.CodeSha256, sha1);

  writeFileSync(join(dir, 'template.yaml'), helloTemplate(fn, apiName, { memory: 256 }));
  const config = await deploy(dir);
  assert.equal(config.code, 0, config.output);
  assert.match(config.stdout, /configuration of .*MemorySize 128 → 256/);
  assert.deepEqual(await versions(fn), ['1', '2', '3']);
  const v3 = (await env.lambda.send(new GetFunctionCommand({ FunctionName: fn, Qualifier: 'live' }))).Configuration!;
  assert.equal(v3.Version, '3');
  assert.equal(v3.MemorySize, 256);

  // The API itself did not change: its stage keeps its deployment.
  assert.doesNotMatch(config.stdout, /deployment .* \[created\]/);
});

test('template parameters: defaults, --parameter-overrides, constraints', async () => {
  const fn = unique('param');
  const template = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Greeting:
    Type: String
  Size:
    Type: Number
    Default: 128
    AllowedValues: [128, 256]
  Stage:
    Type: String
    Default: dev
    AllowedPattern: "[a-z]+"
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${fn}
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "export const handler = async () => 'inline';"
      MemorySize: !Ref Size
      Environment:
        Variables:
          GREETING: !Ref Greeting
          MODE: !If [IsProd, production, !Sub "\${Stage}-mode"]
          JOINED: !Join ["-", [a, !Ref Stage, !Select [1, !Split [",", "x,y,z"]]]]
Outputs:
  Name:
    Value: !Ref Fn
  Stage:
    Value: !Ref Stage
`;
  const dir = project({ 'template.yaml': template });
  const missing = await deploy(dir);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /template\.yaml:3:3 \(Parameters\.Greeting\): parameter Greeting has no Default and no value: pass --parameter-overrides Greeting=VALUE/);

  const bad = await deploy(dir, '--parameter-overrides', 'Greeting=hi', 'Size=512', 'Stage=Prod!');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /parameter Size: .*'512' is not one of the AllowedValues: 128, 256/);
  assert.match(bad.stderr, /parameter Stage: .*does not match AllowedPattern/);

  const unknown = await deploy(dir, '--parameter-overrides', 'Greting=hi');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /sets 'Greting', which is not a parameter .*did you mean 'Greeting'/);

  const ok2 = await deploy(dir, '--parameter-overrides', 'Greeting=Hello there', '--parameter-overrides', 'Size=256 Stage=prod', '--json');
  assert.equal(ok2.code, 0, ok2.output);
  const c = (await env.lambda.send(new GetFunctionCommand({ FunctionName: fn }))).Configuration!;
  assert.equal(c.MemorySize, 256);
  assert.deepEqual(c.Environment?.Variables, { GREETING: 'Hello there', MODE: 'production', JOINED: 'a-prod-y' });
  const outputs = Object.fromEntries(ok2.json().outputs.map((o: any) => [o.name, o.value]));
  assert.deepEqual(outputs, { Name: fn, Stage: 'prod' });

  const defaults = await deploy(dir, '--parameter-overrides', 'Greeting=Yo');
  assert.equal(defaults.code, 0, defaults.output);
  const d = (await env.lambda.send(new GetFunctionCommand({ FunctionName: fn }))).Configuration!;
  assert.equal(d.MemorySize, 128);
  assert.equal(d.Environment?.Variables?.MODE, 'dev-mode');
});

test('implicit API (ServerlessRestApi, stage Prod), Globals merge and conditions on resources', async () => {
  const stack = unique('implicit');
  const template = `Transform: AWS::Serverless-2016-10-31
Parameters:
  WithAdmin:
    Type: String
    Default: "no"
Conditions:
  Admin: !Equals [!Ref WithAdmin, "yes"]
Globals:
  Function:
    Runtime: nodejs20.x
    Handler: index.handler
    CodeUri: src/
    Environment:
      Variables:
        SHARED: "1"
Resources:
  Items:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          OWN: "2"
      Events:
        List:
          Type: Api
          Properties:
            Path: /items
            Method: GET
        One:
          Type: Api
          Properties:
            Path: /items/{id}
            Method: ANY
  AdminFn:
    Type: AWS::Serverless::Function
    Condition: Admin
    Properties:
      Events:
        Admin:
          Type: Api
          Properties:
            Path: /admin
            Method: POST
Outputs:
  Api:
    Value: !Sub "https://\${ServerlessRestApi}.execute-api.\${AWS::Region}.amazonaws.com/Prod/"
`;
  const dir = project({ 'template.yaml': template, 'src/index.mjs': nodeHandler('items') });
  const run = await deploy(dir, '--stack-name', stack, '--json');
  assert.equal(run.code, 0, run.output);
  const result = run.json();
  assert.deepEqual(result.functions.map((f: any) => f.name), [`${stack}-Items`], 'AdminFn is skipped: its condition is false');
  const c = (await env.lambda.send(new GetFunctionCommand({ FunctionName: `${stack}-Items` }))).Configuration!;
  assert.deepEqual(c.Environment?.Variables, { SHARED: '1', OWN: '2' }, 'Globals and resource variables merge');

  const [api] = await restApiByName(stack);
  assert.ok(api, 'the implicit API is named after the stack');
  const stages = (await env.apigw.send(new GetStagesCommand({ restApiId: api.id }))).item ?? [];
  assert.deepEqual(stages.map((s) => s.stageName), ['Prod']);
  const resources = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id }))).items ?? [];
  assert.deepEqual(resources.map((r) => r.path).sort(), ['/', '/items', '/items/{id}']);
  const policy = JSON.parse((await env.lambda.send(new GetPolicyCommand({ FunctionName: `${stack}-Items` }))).Policy!);
  const arns = policy.Statement.map((s: any) => s.Condition.ArnLike['AWS:SourceArn']).sort();
  assert.deepEqual(arns, [`arn:aws:execute-api:us-east-1:000000000000:${api.id}/*/*/items/*`, `arn:aws:execute-api:us-east-1:000000000000:${api.id}/*/GET/items`]);
  assert.equal(result.outputs[0].value, `https://${api.id}.execute-api.us-east-1.amazonaws.com/Prod/`);

  // Turning the condition on adds the function and its route, and deploys the API again.
  const withAdmin = await deploy(dir, '--stack-name', stack, '--parameter-overrides', 'WithAdmin=yes');
  assert.equal(withAdmin.code, 0, withAdmin.output);
  assert.match(withAdmin.stdout, /route POST \/admin → .*-AdminFn \[created\]/);
  assert.match(withAdmin.stdout, /deployment .* \[created\]/);

  // Dropping a route removes its method and resource.
  const without = await deploy(dir, '--stack-name', stack);
  assert.equal(without.code, 0, without.output);
  assert.match(without.stdout, /route POST \/admin \(no longer in the template\) \[removed\]|resource \/admin .* \[removed\]/);
  const after = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id }))).items ?? [];
  assert.deepEqual(after.map((r) => r.path).sort(), ['/', '/items', '/items/{id}']);
});

test('stagecraft.yml: several stages of one API, each calling the alias its stage variable names', async () => {
  const fn = unique('staged');
  const apiName = unique('api');
  const dir = project({
    'template.yaml': helloTemplate(fn, apiName, { alias: 'dev' }).replace('color: blue', 'env: dev'),
    'stagecraft.yml': `Template: template.yaml
StackName: staged
Apis:
  Api:
    FunctionAlias: \${stageVariables.env}
    Stages:
      prod:
        Variables:
          env: prod
`,
    'src/index.mjs': nodeHandler('staged'),
  });
  const run = await deploy(dir);
  assert.equal(run.code, 0, run.output);
  assert.match(run.stdout, /Deploying stack staged \(stagecraft\.yml \+ template\.yaml\)/);
  assert.match(run.stdout, /stage prod of .* calls .*:prod, which doesn't exist yet: create it with `stagecraft promote .* --from dev --to prod`/);
  const [api] = await restApiByName(apiName);
  const stages = Object.fromEntries(((await env.apigw.send(new GetStagesCommand({ restApiId: api.id }))).item ?? []).map((s) => [s.stageName, s.variables]));
  assert.deepEqual(stages, { dev: { env: 'dev' }, prod: { env: 'prod' } });
  const resources = (await env.apigw.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }))).items ?? [];
  const uri = resources.find((r) => r.path === '/hello')!.resourceMethods!.GET.methodIntegration!.uri;
  assert.equal(uri, `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${fn}:\${stageVariables.env}/invocations`);

  // -t with the template also picks up the stagecraft.yml that names it.
  const viaTemplate = await deploy(dir, '-t', 'template.yaml', '--json');
  assert.equal(viaTemplate.code, 0, viaTemplate.output);
  assert.equal(viaTemplate.json().changed, false);
  assert.deepEqual(viaTemplate.json().apis[0].stages.map((s: any) => s.name), ['dev', 'prod']);
});

test('--check validates and packages without a server', async () => {
  const dir = project({ 'template.yaml': helloTemplate('checked', 'checked-api'), 'src/index.mjs': nodeHandler('x') });
  const run = await runCli(['deploy', '--check', '--endpoint-url', 'http://127.0.0.1:9'], { cwd: dir });
  assert.equal(run.code, 0, run.output);
  assert.match(run.stdout, /template\.yaml is valid: stack stagecraft-cli-\w+, 1 function \(checked\), 1 API/);
});

test('a function another stack deployed is not taken over; an API of the same name is the stack\'s own', async () => {
  const fn = unique('owned');
  const apiName = unique('api');
  const dir = project({ 'template.yaml': helloTemplate(fn, apiName), 'src/index.mjs': nodeHandler('mine') });
  assert.equal((await deploy(dir, '--stack-name', 'first')).code, 0);
  // API names need not be unique: as with CloudFormation, another stack makes its own API; function names are unique.
  const sameApi = project({ 'template.yaml': helloTemplate(unique('owned'), apiName), 'src/index.mjs': nodeHandler('theirs') });
  const second = await deploy(sameApi, '--stack-name', 'second');
  assert.equal(second.code, 0, second.output);
  const named = (await env.apigw.send(new GetRestApisCommand({ limit: 500 }))).items!.filter((a) => a.name === apiName);
  assert.deepEqual(named.map((a) => a.tags?.['stagecraft:stack']).sort(), ['first', 'second']);
  const fnClash = await deploy(dir, '--stack-name', 'third');
  assert.equal(fnClash.code, 1, fnClash.output);
  assert.match(fnClash.stderr, new RegExp(`function ${fn} belongs to stack first`));
  // The first stack's deploys still find its own.
  const again = await deploy(dir, '--stack-name', 'first', '--json');
  assert.equal(again.code, 0, again.output);
  assert.equal(again.json().apis[0].id, named.find((a) => a.tags?.['stagecraft:stack'] === 'first')!.id);
});

test('CodeUri as a .zip file, and a Python function', async () => {
  const fn = unique('py');
  const dir = project({
    'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Py:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${fn}
      Runtime: python3.12
      Handler: app.handler
      CodeUri: build/function.zip
      AutoPublishAlias: live
`,
  });
  mkdirSync(join(dir, 'build'));
  writeFileSync(join(dir, 'build', 'function.zip'), await makeZip({ 'app.py': 'def handler(event, context):\n    return {"python": True, "got": event}\n' }));
  const run = await deploy(dir);
  assert.equal(run.code, 0, run.output);
  assert.match(run.stdout, /function .* \(python3\.12, app\.handler, 1 file from build\/function\.zip\) \[created\]/);
  const invoked = await runCli(['invoke', `${fn}:live`, '--payload', '{"a":1}', '--json'], { endpoint: env.url });
  assert.equal(invoked.code, 0, invoked.output);
  assert.deepEqual(invoked.json().payload, { python: true, got: { a: 1 } });
  assert.equal((await deploy(dir, '--json')).json().changed, false, 'the same zip is the same code');
});
