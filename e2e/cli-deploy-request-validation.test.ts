// `stagecraft deploy` with SAM's Models, RequestModel and RequestParameters against a real
// server: the API gets the models and SAM's request validators, a stage refuses bad requests
// before the function runs, re-deploying changes nothing, a changed model is redeployed, and
// removing RequestModel removes the validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetModelsCommand, GetRequestValidatorsCommand } from '@aws-sdk/client-api-gateway';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { apiEvent, nodeHandler, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';
import { invokeHost } from '../src/execute-api/testing.js';

const env = useServer();
const dirs = useTempDirs();

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

function template(apiName: string, prefix: string, required: string[], withRequestModel = true): string {
  const models = `      Models:
        Item:
          type: object
          required: [${required.join(', ')}]
          properties: { name: { type: string }, price: { type: number } }`;
  const extra = withRequestModel
    ? ", RequestModel: { Model: Item, Required: true, ValidateBody: true, ValidateParameters: true }, RequestParameters: [{ 'method.request.querystring.store': { Required: true } }, method.request.header.X-Trace]"
    : '';
  return samApiTemplate(apiName, models, `  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
      Events:
${[apiEvent('Add', '/items', 'POST', extra), apiEvent('List', '/items', 'GET')].join('\n')}
`);
}

test('RequestModel and RequestParameters: bad requests are refused before the function; redeploys follow the template', async () => {
  const prefix = unique('validate');
  const apiName = unique('api');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(apiName, prefix, ['name']), 'src/index.mjs': nodeHandler('from the function') }));

  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  assert.match(run.stderr, /model Item \[created\]/);
  assert.match(run.stderr, /request validator body-and-params \[created\]/);
  const api = run.json().apis[0];
  const restApiId = api.id;
  assert.deepEqual((await env.apigw.send(new GetModelsCommand({ restApiId }))).items!.map((m) => m.name), ['Empty', 'Error', 'Item']);
  assert.deepEqual((await env.apigw.send(new GetRequestValidatorsCommand({ restApiId }))).items!.map((v) => [v.name, v.validateRequestBody, v.validateRequestParameters]),
    [['body-and-params', true, true]]);

  const post = (query: string, body: string) => invokeHost(env.url, restApiId, 'dev', `/items${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const missing = await post('', '{"name": "pen"}');
  assert.equal(missing.status, 400, missing.text);
  assert.equal(missing.text, '{"message":"Missing required request parameters: [store]"}');
  const invalid = await post('?store=1', '{"price": 2}');
  assert.equal(invalid.status, 400, invalid.text);
  assert.equal(invalid.text, '{"message":"Invalid request body"}');
  const ok = await post('?store=1', '{"name": "pen", "price": 2}');
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.text, 'from the function');

  const again = await deploy(dir, '--json');
  assert.equal(again.code, 0, again.output);
  assert.equal(again.json().changed, false, JSON.stringify(again.json().changes.filter((c: { kind: string }) => c.kind !== 'unchanged')));

  // A changed model is redeployed: price is now required too.
  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, ['name', 'price']));
  const changed = await deploy(dir);
  assert.equal(changed.code, 0, changed.output);
  assert.match(changed.stdout, /model Item \[updated\]/);
  assert.equal((await post('?store=1', '{"name": "pen"}')).status, 400);
  assert.equal((await post('?store=1', '{"name": "pen", "price": 2}')).status, 200);

  // Without RequestModel the method validates nothing; the validator and the model go.
  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, ['name'], false).replace(/      Models:[^]*?price: \{ type: number \} \}\n/, ''));
  const removed = await deploy(dir);
  assert.equal(removed.code, 0, removed.output);
  assert.match(removed.stdout, /request validator body-and-params \(no route asks for it\) \[removed\]/);
  assert.match(removed.stdout, /model Item \(no longer in the template\) \[removed\]/);
  const open = await post('', 'anything');
  assert.equal(open.status, 200, open.text);
  assert.deepEqual((await env.apigw.send(new GetModelsCommand({ restApiId }))).items!.map((m) => m.name), ['Empty', 'Error']);
});
