// `stagecraft deploy` with SAM's GatewayResponses against a real server: the API's UNAUTHORIZED and
// DEFAULT_4XX responses get the template's status, headers and template, which a request to the
// stage then answers with; a re-deploy changes nothing; a changed response is put again and the
// stages deployed again (gateway responses take effect with a deployment); a dropped one is reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetGatewayResponseCommand } from '@aws-sdk/client-api-gateway';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { apiEvent, nodeHandler, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';
import { invokeHost } from '../src/execute-api/testing.js';

const env = useServer();
const dirs = useTempDirs();
const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

function template(apiName: string, prefix: string, responses: string): string {
  return samApiTemplate(apiName, `      GatewayResponses:
${responses}`, `  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
      Events:
${apiEvent('List', '/items', 'GET')}
`);
}

const BOTH = `        DEFAULT_4XX:
          ResponseParameters:
            Headers:
              Access-Control-Allow-Origin: "'*'"
        MISSING_AUTHENTICATION_TOKEN:
          StatusCode: 404
          ResponseTemplates:
            application/json: '{"error": "no such route", "type": "$context.error.responseType"}'`;

test('GatewayResponses customise what the stage answers; re-deploys are idempotent; changes redeploy; dropped ones reset', async () => {
  const prefix = unique('responses');
  const apiName = unique('api');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(apiName, prefix, BOTH), 'src/index.mjs': nodeHandler('items') }));
  const run = await deploy(dir, '--json');
  assert.equal(run.code, 0, run.output);
  assert.match(run.stderr, /gateway response MISSING_AUTHENTICATION_TOKEN \[created\]/);
  const restApiId = run.json().apis[0].id;

  const missing = await invokeHost(env.url, restApiId, 'dev', '/nowhere');
  assert.equal(missing.status, 404);
  assert.deepEqual(JSON.parse(missing.body.toString()), { error: 'no such route', type: 'MISSING_AUTHENTICATION_TOKEN' });
  const declared = await env.apigw.send(new GetGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX' }));
  assert.deepEqual(declared.responseParameters, { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" });

  const again = await deploy(dir, '--json');
  assert.equal(again.json().changed, false, JSON.stringify(again.json().changes.filter((c: { kind: string }) => c.kind !== 'unchanged')));

  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, `        MISSING_AUTHENTICATION_TOKEN:
          StatusCode: 410`));
  const changed = await deploy(dir);
  assert.equal(changed.code, 0, changed.output);
  assert.match(changed.stdout, /gateway response MISSING_AUTHENTICATION_TOKEN \[updated\]/);
  assert.match(changed.stdout, /gateway response DEFAULT_4XX \(back to API Gateway's default\) \[removed\]/);
  assert.match(changed.stdout, /stage dev: deployment \w+ → \w+/, 'gateway responses take effect with a new deployment');
  const gone = await invokeHost(env.url, restApiId, 'dev', '/nowhere');
  assert.equal(gone.status, 410);
  assert.equal((await env.apigw.send(new GetGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX' }))).defaultResponse, true);

  writeFileSync(join(dir, 'template.yaml'), template(apiName, prefix, '        NOT_A_TYPE: { StatusCode: 400 }'));
  const bad = await deploy(dir);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /GatewayResponses\.NOT_A_TYPE is not a gateway response type/);
});
