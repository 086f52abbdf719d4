// `stagecraft deploy` with SAM layers against a real server: an AWS::Serverless::LayerVersion is
// published and a function whose handler requires the layer's module answers with it, through the
// API and the Invoke API; a second deploy publishes nothing; new layer content publishes a new layer
// version, and the function (and its AutoPublishAlias) move to it. Template mistakes are located
// errors from --check, with no server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetFunctionConfigurationCommand, InvokeCommand, ListLayerVersionsCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { apiEvent, httpGet, runCli, samApiTemplate, unique, writeFiles, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

const greetModule = (word: string) => `module.exports.greet = (name) => '${word} ' + name + ' (from the layer)';\n`;

function template(apiName: string, prefix: string): string {
  return samApiTemplate(apiName, '', `  Greet:
    Type: AWS::Serverless::LayerVersion
    Properties:
      LayerName: ${prefix}-greet
      ContentUri: layer/
      CompatibleRuntimes: [nodejs20.x]
      Description: greetings
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-hello
      CodeUri: src/
      AutoPublishAlias: live
      Layers:
        - !Ref Greet
      Events:
${apiEvent('Get', '/hello', 'GET')}
Outputs:
  GreetLayer:
    Value: !Ref Greet
`);
}

const HANDLER = `const { greet } = require('greet');
exports.handler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: greet('world') });
`;

async function invoke(functionName: string, qualifier?: string): Promise<string> {
  const out = await env.lambda.send(new InvokeCommand({ FunctionName: functionName, Qualifier: qualifier }));
  assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
  return JSON.parse(Buffer.from(out.Payload!).toString()).body;
}

test('a layer is published, the function runs with it, a re-deploy publishes nothing, and new layer content moves the function to a new layer version', async () => {
  const prefix = unique('layers');
  const fn = `${prefix}-hello`;
  const layerName = `${prefix}-greet`;
  const dir = dirs.removeLater(writeProject({
    'template.yaml': template(unique('api'), prefix),
    'src/index.js': HANDLER,
    'layer/nodejs/node_modules/greet/index.js': greetModule('hello'),
  }));

  const first = await deploy(dir, '--json');
  assert.equal(first.code, 0, first.output);
  const result = first.json();
  assert.match(first.stderr, new RegExp(`layer ${layerName} version 1 \\(1 file from .*layer\\) \\[published\\]`));
  assert.equal(result.layers.length, 1);
  const v1 = result.layers[0].arn;
  assert.match(v1, new RegExp(`^arn:aws:lambda:us-east-1:\\d{12}:layer:${layerName}:1$`));
  assert.equal(result.outputs.find((o: { name: string }) => o.name === 'GreetLayer').value, v1, '!Ref of a LayerVersion is its version ARN');
  const config = await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn, Qualifier: 'live' }));
  assert.deepEqual(config.Layers?.map((l) => l.Arn), [v1]);
  const url = result.apis[0].stages[0].routes[0].url;
  assert.equal((await httpGet(url)).body, 'hello world (from the layer)');
  assert.equal(await invoke(fn), 'hello world (from the layer)');

  const second = await deploy(dir, '--json');
  assert.equal(second.code, 0, second.output);
  assert.equal(second.json().changed, false, second.stderr);
  assert.match(second.stderr, new RegExp(`= Greet +layer ${layerName} version 1 \\(content sha256 [0-9a-f]{12}\\)`));
  assert.equal((await env.lambda.send(new ListLayerVersionsCommand({ LayerName: layerName }))).LayerVersions?.length, 1, 'no version published');

  writeFiles(dir, { 'layer/nodejs/node_modules/greet/index.js': greetModule('howdy') });
  const third = await deploy(dir, '--json');
  assert.equal(third.code, 0, third.output);
  const v2 = third.json().layers[0].arn;
  assert.equal(v2, v1.replace(/:1$/, ':2'));
  assert.match(third.stderr, new RegExp(`layer ${layerName} version 2 \\(changed since version 1: content \\(sha256 .*\\) \\[published\\]`));
  assert.match(third.stderr, /configuration of .*-hello: Layers .*:1"\] → .*:2"\] \[updated\]/);
  assert.match(third.stderr, /version 2 of .*-hello \[published\]/, 'a change of layers publishes a version for AutoPublishAlias');
  assert.deepEqual((await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn, Qualifier: 'live' }))).Layers?.map((l) => l.Arn), [v2]);
  assert.equal(await invoke(fn, 'live'), 'howdy world (from the layer)');
  assert.equal((await httpGet(url)).body, 'howdy world (from the layer)');
  assert.equal(await invoke(fn, '1'), 'hello world (from the layer)', 'version 1 keeps layer version 1');
});

test('--check refuses Layers that are not layer version ARNs, with their location, and needs no server', async () => {
  const dir = dirs.removeLater(writeProject({
    'template.yaml': `Transform: AWS::Serverless-2016-10-31
Resources:
  Other:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, InlineCode: x }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Layers: [!Ref Other]
      InlineCode: x
      Handler: index.handler
      Runtime: nodejs20.x
  Lib:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: lib/
      RetentionPolicy: Forever
`,
    'lib/nodejs/x.js': '',
  }));
  const run = await runCli(['deploy', '--check'], { cwd: dir, endpoint: 'http://127.0.0.1:9' });
  assert.equal(run.code, 1, run.output);
  assert.match(run.output, /template\.yaml:9:21 \(Resources\.Fn\.Properties\.Layers\[0\]\): Layers lists layer version ARNs, but Other is an AWS::Serverless::Function/);
  assert.match(run.output, /template\.yaml:17:24 \(Resources\.Lib\.Properties\.RetentionPolicy\): RetentionPolicy must be Retain or Delete, got 'Forever'/);
});
