// `stagecraft deploy` with SAM's Auth.ApiKeyRequired and Auth.UsagePlan against a real server: the
// routes need an enabled key of the stack's usage plan (one opts out, the CORS preflight too), the
// key's value is reported, re-deploying changes nothing, and changed plan settings are applied in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetUsagePlansCommand, GetUsagePlanKeysCommand } from '@aws-sdk/client-api-gateway';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { apiEvent, httpGet, httpRequest, nodeHandler, runCli, samApiTemplate, unique, writeProject } from '../src/cli/testing.js';

const env = useServer();
const dirs = useTempDirs();

const deploy = (dir: string, ...args: string[]) => runCli(['deploy', ...args], { cwd: dir, endpoint: env.url });

function template(apiName: string, prefix: string, limit: number): string {
  return samApiTemplate(apiName, `      Cors: "'*'"
      Auth:
        ApiKeyRequired: true
        AddApiKeyRequiredToCorsPreflight: false
        UsagePlan:
          CreateUsagePlan: PER_API
          Description: for the tests
          Quota: { Limit: ${limit}, Period: DAY }
          Throttle: { BurstLimit: 50, RateLimit: 100 }`, `  Items:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: ${prefix}-items
      CodeUri: src/
      Events:
${apiEvent('List', '/items', 'GET')}
${apiEvent('Open', '/open', 'GET', ', Auth: { ApiKeyRequired: false }')}
`);
}

test('ApiKeyRequired routes need the usage plan\'s key, which the deploy reports; one route and the preflight opt out; plan changes apply in place', async () => {
  const stack = unique('keys');
  const prefix = unique('keyfn');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': template(unique('api'), prefix, 1000), 'src/index.mjs': nodeHandler('with key') }));

  const run = await deploy(dir, '--json', '--stack-name', stack);
  assert.equal(run.code, 0, run.output);
  const result = run.json();
  const note = result.notes.find((n: string) => n.startsWith(`API key ${stack}-ApiApiKey`));
  assert.ok(note, result.notes.join('\n'));
  const value = /is (\S+): send it as the x-api-key header/.exec(note)![1];
  assert.match(value, /^[A-Za-z0-9]{40}$/);
  assert.match(run.stderr, /route GET \/items → .* \(API key required\) \[created\]/);
  const api = result.apis[0];
  const url = (path: string) => api.stages[0].routes.find((r: { path: string }) => r.path === path).url;

  const without = await httpGet(url('/items'));
  assert.equal(without.status, 403, without.body);
  assert.deepEqual(JSON.parse(without.body), { message: 'Forbidden' });
  assert.equal((await httpGet(url('/items'), { 'x-api-key': 'not-the-key' })).status, 403);
  const withKey = await httpGet(url('/items'), { 'x-api-key': value });
  assert.equal(withKey.status, 200, withKey.body);
  assert.equal(withKey.body, 'with key');
  assert.equal((await httpGet(url('/open'))).status, 200, 'Auth.ApiKeyRequired: false opts the route out');
  assert.equal((await httpRequest('OPTIONS', url('/items'))).status, 200, 'AddApiKeyRequiredToCorsPreflight: false leaves the preflight open');

  // As SAM names and configures them: {stack}-{Api}UsagePlan listing the API's stage, its key in it.
  const plans = (await env.apigw.send(new GetUsagePlansCommand({}))).items ?? [];
  const plan = plans.find((p) => p.name === `${stack}-ApiUsagePlan`)!;
  assert.ok(plan, plans.map((p) => p.name).join(', '));
  assert.deepEqual(plan.apiStages, [{ apiId: api.id, stage: 'dev' }]);
  assert.equal(plan.description, 'for the tests');
  assert.deepEqual(plan.quota, { limit: 1000, period: 'DAY', offset: 0 });
  assert.deepEqual(plan.throttle, { burstLimit: 50, rateLimit: 100 });
  const members = (await env.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }))).items ?? [];
  assert.deepEqual(members.map((k) => k.name), [`${stack}-ApiApiKey`]);

  const again = await deploy(dir, '--json', '--stack-name', stack);
  assert.equal(again.code, 0, again.output);
  assert.equal(again.json().changed, false, JSON.stringify(again.json().changes.filter((c: { kind: string }) => c.kind !== 'unchanged')));

  writeFileSync(join(dir, 'template.yaml'), template(unique('api'), prefix, 2).replace(/Name: \S+\n/, `Name: ${api.name}\n`));
  const changed = await deploy(dir, '--json', '--stack-name', stack);
  assert.equal(changed.code, 0, changed.output);
  assert.match(changed.stderr, /usage plan .*-ApiUsagePlan \(id \w+\) \[updated\]/);
  const after = ((await env.apigw.send(new GetUsagePlansCommand({}))).items ?? []).find((p) => p.id === plan.id)!;
  assert.equal(after.quota?.limit, 2);
  assert.ok(changed.json().notes.some((n: string) => n.includes(value)), 'the same key, the same value');
});

test('UsagePlan is checked as SAM checks it, where it is written', async () => {
  const bad = (usagePlan: string) => samApiTemplate(unique('api'), `      Auth:\n        ApiKeyRequired: true\n        UsagePlan:\n${usagePlan}`, `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Events:
${apiEvent('Get', '/x', 'GET')}
`);
  const dir = dirs.removeLater(writeProject({ 'template.yaml': bad('          CreateUsagePlan: SOMETIMES'), 'src/index.mjs': nodeHandler('x') }));
  const unknownMode = await deploy(dir, '--check');
  assert.equal(unknownMode.code, 1, unknownMode.output);
  assert.match(unknownMode.output, /CreateUsagePlan\): CreateUsagePlan is PER_API, SHARED or NONE, got 'SOMETIMES'/);
  writeFileSync(join(dir, 'template.yaml'), bad('          CreateUsagePlan: SHARED\n          Quota: { Limit: 5 }'));
  const quota = await deploy(dir, '--check');
  assert.equal(quota.code, 1, quota.output);
  assert.match(quota.output, /Quota needs Limit \(requests\) and Period \(DAY, WEEK or MONTH\)/);
  writeFileSync(join(dir, 'template.yaml'), bad('          CreateUsagePlan: SHARED\n          Plan: x'));
  const unknown = await deploy(dir, '--check');
  assert.equal(unknown.code, 1, unknown.output);
  assert.match(unknown.output, /unknown UsagePlan property 'Plan'/);
});
