// `stagecraft deploy --template cdk.out/CdkIamPlans.template.json` against a real server that checks
// SigV4 signatures: the `cdk synth` output committed in e2e/fixtures/cdk-iam-plans (a RestApi with
// an AWS_IAM method, an HttpApi with an HttpIamAuthorizer route, a usage plan over two RestApis with
// a per-method throttle holding a key of fixed name and value and a generated one, a second plan
// with its own key) is deployed; unsigned requests are refused and signed ones pass, the fixed key
// opens both APIs, the plans are as CDK wrote them and the per-method throttle acts; a second deploy
// changes nothing; a deploy without one plan and its key removes them (a new key value and new
// method throttles replace the key and plan), and `stagecraft delete` removes the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetApiKeysCommand, GetUsagePlanKeysCommand, GetUsagePlansCommand, type UsagePlan } from '@aws-sdk/client-api-gateway';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { testRegion } from '../src/testing/server.js';
import { runCli, unique } from '../src/cli/testing.js';
import { invokeHost, invokeHttpApi, invokeHttpApiSigned } from '../src/execute-api/testing.js';

const KEY = { accessKeyId: 'AKIACDKIAMPLANSTEST1', secretAccessKey: 'cdk-iam/plans+secret' };
const env = useServer({ env: { STAGECRAFT_CREDENTIALS: `test:test,${KEY.accessKeyId}:${KEY.secretAccessKey}` } });
const dirs = useTempDirs();
const FIXTURE = join(import.meta.dirname, '..', '..', 'e2e', 'fixtures', 'cdk-iam-plans', 'cdk.out');
const TEMPLATE = 'cdk.out/CdkIamPlans.template.json';
const FIXED_VALUE = 'cdk-fixed-key-value-0123456789';

interface DeployJson {
  changed: boolean;
  apis: { logicalId: string; id: string; stages: { name: string }[] }[];
  notes: string[];
  outputs: { name: string; value: string }[];
}

const plansOf = async (apiIds: string[]): Promise<UsagePlan[]> =>
  ((await env.apigw.send(new GetUsagePlansCommand({ limit: 500 }))).items ?? []).filter((p) => p.apiStages?.some((s) => apiIds.includes(s.apiId!)));
const keyNames = async (ids: string[]) => ((await env.apigw.send(new GetApiKeysCommand({ limit: 500 }))).items ?? []).filter((k) => ids.includes(k.id!)).map((k) => k.name);

test('a CDK app\'s AWS_IAM method and route, shared usage plan, fixed key and several plans deploy, redeploy unchanged and go', async () => {
  const stack = unique('cdkiam');
  const dir = dirs.make('stagecraft-cdk-iam-plans-');
  cpSync(FIXTURE, join(dir, 'cdk.out'), { recursive: true });
  const run = await runCli(['deploy', '--template', TEMPLATE, '--stack-name', stack, '--json'], { cwd: dir, endpoint: env.url });
  assert.equal(run.code, 0, run.output);
  assert.doesNotMatch(run.stderr, /AWS::ApiGateway::(ApiKey|UsagePlan|UsagePlanKey)\)|can't be deployed/);
  const result = run.json() as DeployJson;
  const apiId = (logicalId: string) => result.apis.find((a) => a.logicalId === logicalId)!.id;
  const iamApi = apiId('IamApi23076CC5');
  const otherApi = apiId('OtherApi804AE442');
  const httpApi = apiId('IamHttpFB4EC364');

  // AWS_IAM on the REST method: unsigned is API Gateway's 403 Missing Authentication Token; signed (execute-api) passes.
  const unsigned = await invokeHost(env.url, iamApi, 'prod', '/private');
  assert.equal(unsigned.status, 403, unsigned.text);
  assert.deepEqual(JSON.parse(unsigned.text), { message: 'Missing Authentication Token' });
  const signed = await invokeHttpApiSigned(env.url, iamApi, { method: 'GET', path: '/prod/private' }, KEY, { region: testRegion });
  assert.equal(signed.status, 200, signed.text);
  assert.equal(JSON.parse(signed.text).path, '/private');
  const wrongSecret = await invokeHttpApiSigned(env.url, iamApi, { method: 'GET', path: '/prod/private' }, { ...KEY, secretAccessKey: 'not-the-secret' }, { region: testRegion });
  assert.equal(wrongSecret.status, 403, wrongSecret.text);
  assert.equal((await invokeHost(env.url, iamApi, 'prod', '/open')).status, 200, 'a method with neither needs nothing');

  // AWS_IAM on the HTTP API route: unsigned 403 {"message":"Forbidden"} (as HTTP APIs answer), signed 200.
  const httpUnsigned = await invokeHttpApi(env.url, httpApi, '/signed');
  assert.equal(httpUnsigned.status, 403, httpUnsigned.text);
  assert.deepEqual(JSON.parse(httpUnsigned.text), { message: 'Forbidden' });
  const httpSigned = await invokeHttpApiSigned(env.url, httpApi, { method: 'GET', path: '/signed' }, KEY, { region: testRegion });
  assert.equal(httpSigned.status, 200, httpSigned.text);

  // The shared plan lists both APIs' stages, with the per-method throttle as CDK wrote it; the quota plan has its own key.
  const plans = await plansOf([iamApi, otherApi]);
  assert.deepEqual(plans.map((p) => p.name).sort(), ['quota-plan', 'shared-plan']);
  const shared = plans.find((p) => p.name === 'shared-plan')!;
  assert.deepEqual(shared.throttle, { burstLimit: 50, rateLimit: 100 });
  assert.deepEqual(shared.apiStages?.map((s) => [s.apiId, s.stage, s.throttle]).sort(), [
    [iamApi, 'prod', { '/keyed/GET': { burstLimit: 1, rateLimit: 1 } }], [otherApi, 'v2', undefined],
  ].sort());
  const quota = plans.find((p) => p.name === 'quota-plan')!;
  assert.deepEqual(quota.quota, { limit: 1000, offset: 0, period: 'DAY' });
  assert.equal(result.outputs.find((o) => o.name === 'SharedPlanId')?.value, shared.id, 'Ref of the plan is its ID');
  const sharedKeys = (await env.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: shared.id }))).items ?? [];
  assert.equal(sharedKeys.length, 2);
  const fixed = sharedKeys.find((k) => k.name === 'cdk-fixed-key')!;
  assert.equal(fixed.value, FIXED_VALUE, 'the key keeps the value and name the template gives');
  assert.equal(result.outputs.find((o) => o.name === 'FixedKeyId')?.value, fixed.id, 'Ref of the key is its ID');
  const quotaKeys = (await env.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: quota.id }))).items ?? [];
  assert.equal(quotaKeys.length, 1);
  assert.ok(result.notes.some((n) => n.includes(quotaKeys[0].value!)), 'a generated key\'s value is shown');

  // The fixed key opens both APIs of the shared plan; without it, 403 Forbidden.
  const keyed = (id: string, stage: string, key?: string) => invokeHost(env.url, id, stage, '/keyed', key ? { headers: { 'x-api-key': key } } : {});
  const keyless = await keyed(otherApi, 'v2');
  assert.equal(keyless.status, 403, keyless.text);
  assert.equal(keyless.text, '{"message":"Forbidden"}');
  const viaOther = await keyed(otherApi, 'v2', FIXED_VALUE);
  assert.equal(viaOther.status, 200, viaOther.text);
  const viaIam = await keyed(iamApi, 'prod', FIXED_VALUE);
  assert.equal(viaIam.status, 200, viaIam.text);
  assert.equal((await keyed(iamApi, 'prod', quotaKeys[0].value!)).status, 200, 'the second plan\'s key opens the API it lists');
  assert.equal((await keyed(otherApi, 'v2', quotaKeys[0].value!)).status, 403, 'but not the API it does not');

  // The per-method throttle acts: IamApi's GET /keyed lets one request of a key through at once (burst 1, 1 a second), OtherApi's has the plan's 50.
  const second = sharedKeys.find((k) => k.id !== fixed.id)!.value!;
  const first = await keyed(iamApi, 'prod', second);
  assert.equal(first.status, 200, first.text);
  const throttled = await keyed(iamApi, 'prod', second);
  assert.equal(throttled.status, 429, throttled.text);
  assert.deepEqual(JSON.parse(throttled.text), { message: 'Too Many Requests' });
  for (let i = 0; i < 3; i++) assert.equal((await keyed(otherApi, 'v2', second)).status, 200, 'the plan-wide throttle elsewhere');

  // A second deploy of the same output changes nothing.
  const again = await runCli(['deploy', '--template', TEMPLATE, '--stack-name', stack, '--json'], { cwd: dir, endpoint: env.url });
  assert.equal(again.code, 0, again.output);
  assert.equal((again.json() as DeployJson).changed, false, again.stderr);
  const after = await plansOf([iamApi, otherApi]);
  assert.deepEqual(after.map((p) => p.id).sort(), plans.map((p) => p.id).sort(), 'the same plans, none added');
  assert.deepEqual((await keyNames([...sharedKeys, ...quotaKeys].map((k) => k.id!))).length, 3);

  // A deploy without the quota plan and its key removes them; a new key Value replaces the key, new method throttles the plan.
  const template = JSON.parse(readFileSync(join(dir, TEMPLATE), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  for (const id of Object.keys(template.Resources)) if (id.startsWith('QuotaPlan') || id.startsWith('QuotaKey')) delete template.Resources[id];
  const NEW_VALUE = 'cdk-fixed-key-value-changed-9876543210';
  template.Resources.IamApiFixedKeyC3B6100F.Properties.Value = NEW_VALUE;
  const [iamStage] = template.Resources.SharedPlanFAB8DD99.Properties.ApiStages as { Throttle: Record<string, unknown> }[];
  iamStage.Throttle = { '/keyed/GET': { BurstLimit: 5, RateLimit: 5 } };
  writeFileSync(join(dir, TEMPLATE), JSON.stringify(template));
  const changed = await runCli(['deploy', '--template', TEMPLATE, '--stack-name', stack, '--json'], { cwd: dir, endpoint: env.url });
  assert.equal(changed.code, 0, changed.output);
  const now = await plansOf([iamApi, otherApi]);
  assert.deepEqual(now.map((p) => p.name), ['shared-plan'], 'the quota plan is gone, the shared one not duplicated');
  assert.deepEqual(now[0].apiStages?.find((s) => s.apiId === iamApi)?.throttle, { '/keyed/GET': { burstLimit: 5, rateLimit: 5 } });
  assert.deepEqual(await keyNames([quotaKeys[0].id!, fixed.id!]), [], 'the quota plan\'s key and the old fixed key are gone');
  const members = (await env.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: now[0].id }))).items ?? [];
  assert.deepEqual(members.map((k) => k.name).sort(), ['cdk-fixed-key', sharedKeys.find((k) => k.id !== fixed.id)!.name].sort());
  assert.equal((changed.json() as DeployJson).outputs.find((o) => o.name === 'FixedKeyId')?.value, members.find((k) => k.name === 'cdk-fixed-key')!.id);
  assert.equal((await keyed(iamApi, 'prod', FIXED_VALUE)).status, 403, 'the old value no longer opens the API');
  assert.equal((await keyed(iamApi, 'prod', NEW_VALUE)).status, 200);
  assert.equal((await keyed(otherApi, 'v2', NEW_VALUE)).status, 200);

  const deleted = await runCli(['delete', '--stack-name', stack, '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  const left = (await env.apigw.send(new GetUsagePlansCommand({ limit: 500 }))).items ?? [];
  assert.deepEqual(left.filter((p) => p.id === now[0].id || p.tags?.['stagecraft:stack'] === stack), [], 'the plan goes with the stack');
  assert.deepEqual(await keyNames(members.map((k) => k.id!)), [], 'and its keys');
});
