// `stagecraft deploy` with SAM's CanarySetting against a real server: the stage's integrations call
// the alias its `env` stage variable names (stagecraft.yml FunctionAlias), a 100% canary overrides
// `env` to another alias, which API Gateway is allowed to call once it exists, so the stage answers
// from the canary's alias; a re-deploy changes nothing; without CanarySetting the canary is removed
// and the stage's own alias answers again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetStageCommand } from '@aws-sdk/client-api-gateway';
import { CreateAliasCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { apiEvent, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';
import { invokeHost } from '../src/execute-api/testing.js';

const env = useServer();
const dirs = useTempDirs();

/** Answers the alias it was invoked through. */
const HANDLER = `export const handler = async (event, context) => ({ statusCode: 200, body: context.invokedFunctionArn.split(':')[7] ?? 'unqualified' });
`;

function template(apiName: string, fn: string, canary: string): string {
  return samApiTemplate(apiName, `      Variables: { env: live }
${canary}`, `  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${fn}
      CodeUri: src/
      AutoPublishAlias: live
      Events:
${apiEvent('List', '/items', 'GET')}
`);
}

const CANARY = `      CanarySetting:
        PercentTraffic: 100
        StageVariableOverrides: { env: canary }`;

test('CanarySetting: a 100% canary answers from the alias its overrides name; removing it serves the stage again', async () => {
  const fn = unique('canary');
  const apiName = unique('api');
  const dir = dirs.removeLater(writeProject({
    'template.yaml': template(apiName, fn, CANARY),
    'stagecraft.yml': `Template: template.yaml\nStackName: ${fn}\nApis:\n  Api:\n    FunctionAlias: \${stageVariables.env}\n`,
    'src/index.mjs': HANDLER,
  }));
  const deploy = (...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });
  const first = await deploy('--json');
  assert.equal(first.code, 0, first.output);
  assert.match(first.stderr, new RegExp(`stage dev \\(canary\\) of ${apiName} calls ${fn}:canary, which doesn't exist yet`));
  const restApiId = first.json().apis[0].id;
  const stage = await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
  assert.deepEqual(stage.canarySettings, { deploymentId: stage.deploymentId, percentTraffic: 100, useStageCache: false, stageVariableOverrides: { env: 'canary' } });

  // With the canary's alias in place, the next deploy lets API Gateway call it.
  await env.lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: 'canary', FunctionVersion: '1' }));
  const granted = await deploy();
  assert.equal(granted.code, 0, granted.output);
  assert.match(granted.stdout, new RegExp(`permission for API Gateway to call ${fn}:canary \\(GET /items\\) \\[created\\]`));
  const viaCanary = await invokeHost(env.url, restApiId, 'dev', '/items');
  assert.equal(viaCanary.status, 200, viaCanary.text);
  assert.equal(viaCanary.text, 'canary');

  const again = await deploy('--json');
  assert.equal(again.json().changed, false, JSON.stringify(again.json().changes.filter((c: { kind: string }) => c.kind !== 'unchanged')));

  writeFileSync(join(dir, 'template.yaml'), template(apiName, fn, ''));
  const removed = await deploy();
  assert.equal(removed.code, 0, removed.output);
  assert.match(removed.stdout, /stage dev: canary removed \[updated\]/);
  assert.equal((await env.apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }))).canarySettings, undefined);
  const viaStage = await invokeHost(env.url, restApiId, 'dev', '/items');
  assert.equal(viaStage.status, 200, viaStage.text);
  assert.equal(viaStage.text, 'live');

  writeFileSync(join(dir, 'template.yaml'), template(apiName, fn, '      CanarySetting: { PercentTraffic: 150 }'));
  const bad = await deploy();
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /CanarySetting.PercentTraffic is a number from 0 to 100, got 150/);
});
