// Several stacks of one app on one server, as CloudFormation keeps them apart and links them: the
// two stacks of e2e/fixtures/cdk-stacks each own their RestApi "Api" (same name, same logical ID),
// the second calls the first's function through CDK's export and Fn::ImportValue; an unknown import
// fails the deploy before anything is made; an export in use can't be removed, changed, taken by
// another stack or deleted with its stack. SAM templates import with !ImportValue !Sub; HTTP APIs
// of one name in two stacks are each their stack's too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { httpGet, liveFunction, nodeHandler, runCli, SAM_HEADER, unique, writeProject } from '../src/cli/testing.js';
import { consumerTemplate, producerTemplate } from '../src/testing/exporting-stacks.js';

const env = useServer();
const dirs = useTempDirs();
const FIXTURES = join(import.meta.dirname, '..', '..', 'e2e', 'fixtures');
// The function's code is the asset of e2e/fixtures/cdk (the same directory, so the same hash).
const ASSET = 'asset.3aec01742a8e4920bb22da71f46eef65369df718ed31aa825ec48ed5069f65c1';
const EXPORT = 'CdkShared:ExportsOutputFnGetAttHandler886CB40BArn4FF5E29A';

interface Route { method: string; path: string; pathStyleUrl: string }
interface DeployJson {
  stackName: string;
  accountId: string;
  changed: boolean;
  functions: { logicalId: string; name: string; arn: string }[];
  apis: { logicalId: string; id: string; name: string; stages: { name: string; routes: Route[] }[] }[];
  outputs: { name: string; value: string; exportName?: string }[];
}

function copyFixture(): string {
  const dir = dirs.make('stagecraft-cdk-stacks-');
  cpSync(join(FIXTURES, 'cdk-stacks', 'cdk.out'), join(dir, 'cdk.out'), { recursive: true });
  cpSync(join(FIXTURES, 'cdk', 'cdk.out', ASSET), join(dir, 'cdk.out', ASSET), { recursive: true });
  return dir;
}

// No --stack-name: each stack is named after its template, as `cdk deploy` names it.
const deploy = (dir: string, stack: string) => runCli(['deploy', '--template', `cdk.out/${stack}.template.json`, '--json'], { cwd: dir, endpoint: env.url });
const apisOf = async (stack: string) => (await env.apigw.send(new GetRestApisCommand({ limit: 500 }))).items!.filter((a) => a.tags?.['stagecraft:stack'] === stack);

test('an import of an export no stack has fails the deploy with CloudFormation\'s message, before anything is made', async () => {
  const dir = copyFixture();
  const run = await deploy(dir, 'CdkConsumer');
  assert.equal(run.code, 1, run.output);
  assert.match(run.stderr, new RegExp(`CdkConsumer\\.template\\.json:\\d+:\\d+ \\(Resources\\.[^)]+\\): No export named ${EXPORT} found`));
  assert.deepEqual(await apisOf('CdkConsumer'), []);
});

test('two stacks of one CDK app: same-named APIs stay each stack\'s, the second calls the first\'s function through its export, A redeploys under B', async () => {
  const dir = copyFixture();
  const a = await deploy(dir, 'CdkShared');
  assert.equal(a.code, 0, a.output);
  const shared = a.json() as DeployJson;
  const handler = shared.functions[0];
  assert.deepEqual(shared.outputs.find((o) => o.exportName)!, { name: EXPORT.split(':')[1], value: handler.arn, exportName: EXPORT });
  const b = await deploy(dir, 'CdkConsumer');
  assert.equal(b.code, 0, b.output);
  const consumer = b.json() as DeployJson;

  // One REST API "Api" each, with the same logical ID: told apart by their stacks' tags, as CloudFormation tags them.
  const [apiA, apiB] = [shared.apis[0], consumer.apis[0]];
  assert.deepEqual([apiA.name, apiB.name, apiA.logicalId], ['Api', 'Api', apiB.logicalId]);
  assert.notEqual(apiA.id, apiB.id);
  const [tagsA, tagsB] = [(await apisOf('CdkShared'))[0].tags!, (await apisOf('CdkConsumer'))[0].tags!];
  assert.deepEqual([tagsA['aws:cloudformation:stack-name'], tagsA['aws:cloudformation:logical-id']], ['CdkShared', apiA.logicalId]);
  assert.deepEqual([tagsB['aws:cloudformation:stack-name'], tagsB['aws:cloudformation:logical-id']], ['CdkConsumer', apiB.logicalId]);

  // What CloudFormation shows of the link, through its API (the AWS CLI).
  const listed = await awsCli(env.url, ['cloudformation', 'list-exports']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.json().Exports.filter((e: { Name: string }) => e.Name === EXPORT), [
    { ExportingStackId: `arn:aws:cloudformation:us-east-1:${shared.accountId}:stack/CdkShared/stagecraft`, Name: EXPORT, Value: handler.arn },
  ]);
  const importers = await awsCli(env.url, ['cloudformation', 'list-imports', '--export-name', EXPORT]);
  assert.deepEqual(importers.json(), { Imports: ['CdkConsumer'] });
  const none = await awsCli(env.url, ['cloudformation', 'list-imports', '--export-name', 'nobody-imports-this']);
  assert.equal(none.code, 254, none.stderr);
  assert.match(none.stderr, /ValidationError.*Export 'nobody-imports-this' is not imported by any stack\./);

  // Each API serves its own routes: A's GET / and B's GET /shared, both on A's function.
  const rootA = apiA.stages[0].routes.find((r) => r.path === '/')!.pathStyleUrl;
  const sharedB = apiB.stages[0].routes.find((r) => r.path === '/shared')!.pathStyleUrl;
  assert.deepEqual(JSON.parse((await httpGet(rootA)).body), { message: 'hello from v1', path: '/', version: '$LATEST' });
  const viaB = await httpGet(sharedB);
  assert.equal(viaB.status, 200, viaB.body);
  assert.deepEqual(JSON.parse(viaB.body), { message: 'hello from v1', path: '/shared', version: '$LATEST' });
  const base = (url: string) => url.replace(/\/_user_request_\/.*$/, '/_user_request_');
  assert.equal((await httpGet(`${base(rootA)}/shared`)).status, 403, 'A has no /shared');
  assert.equal((await httpGet(`${base(sharedB)}/`)).status, 403, 'B has no GET /');

  // Both deploy again with nothing changed: each finds its own API.
  for (const stack of ['CdkShared', 'CdkConsumer']) {
    const again = await deploy(dir, stack);
    assert.equal(again.code, 0, again.output);
    assert.equal((again.json() as DeployJson).apis[0].id, stack === 'CdkShared' ? apiA.id : apiB.id);
  }

  // A with new code (a new asset directory, as `cdk synth` writes it): its export stays, B calls the new code.
  const templateA = readFileSync(join(dir, 'cdk.out', 'CdkShared.template.json'), 'utf8');
  const asset = String(JSON.parse(templateA).Resources.Handler886CB40B.Metadata['aws:asset:path']);
  cpSync(join(dir, 'cdk.out', asset), join(dir, 'cdk.out', 'asset.changed'), { recursive: true });
  const code = join(dir, 'cdk.out', 'asset.changed', 'index.js');
  writeFileSync(code, readFileSync(code, 'utf8').replace("const VERSION = 'v1'", "const VERSION = 'v2'"));
  writeFileSync(join(dir, 'cdk.out', 'CdkShared.template.json'), templateA.replaceAll(asset, 'asset.changed'));
  const a2 = await deploy(dir, 'CdkShared');
  assert.equal(a2.code, 0, a2.output);
  assert.equal((a2.json() as DeployJson).apis[0].id, apiA.id);
  assert.equal(JSON.parse((await httpGet(sharedB)).body).message, 'hello from v2');

  // A without the export B imports: refused before anything changes, as CloudFormation refuses it.
  const withoutExport = JSON.parse(readFileSync(join(dir, 'cdk.out', 'CdkShared.template.json'), 'utf8'));
  delete withoutExport.Outputs[EXPORT.split(':')[1]];
  writeFileSync(join(dir, 'cdk.out', 'CdkShared.template.json'), JSON.stringify(withoutExport));
  const dropped = await deploy(dir, 'CdkShared');
  assert.equal(dropped.code, 1, dropped.output);
  assert.match(dropped.stderr, new RegExp(`Export ${EXPORT} cannot be deleted as it is in use by CdkConsumer`));
  assert.equal((await httpGet(sharedB)).status, 200);

  // Nor is A deleted while B imports from it; once B is gone, A goes too.
  const refused = await runCli(['delete', '--stack-name', 'CdkShared', '--no-prompts'], { endpoint: env.url });
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.stderr, new RegExp(`Export ${EXPORT} cannot be deleted as it is in use by CdkConsumer`));
  assert.equal((await env.lambda.send(new GetFunctionCommand({ FunctionName: handler.name }))).Configuration?.FunctionName, handler.name);
  for (const stack of ['CdkConsumer', 'CdkShared']) {
    const deleted = await runCli(['delete', '--stack-name', stack, '--no-prompts'], { endpoint: env.url });
    assert.equal(deleted.code, 0, deleted.output);
  }
  assert.deepEqual([...await apisOf('CdkShared'), ...await apisOf('CdkConsumer')], []);
});

test('SAM templates: !ImportValue with !Sub, an export changed or taken while in use is refused', async () => {
  const [producerStack, consumerStack, fnP, fnC] = [unique('producer'), unique('consumer'), unique('exported'), unique('importer')];
  const src = { 'src/index.mjs': nodeHandler('ok') };
  const pDir = writeProject({ 'template.yaml': producerTemplate(fnP), ...src });
  const cDir = writeProject({ 'template.yaml': consumerTemplate(fnC), ...src });
  const deployIn = (dir: string, stack: string, ...more: string[]) => runCli(['deploy', '--stack-name', stack, '--json', ...more], { cwd: dir, endpoint: env.url });

  const p = await deployIn(pDir, producerStack);
  assert.equal(p.code, 0, p.output);
  assert.match(p.stderr, new RegExp(`export ${producerStack}-fn`));
  const c = await deployIn(cDir, consumerStack, '--parameter-overrides', `Producer=${producerStack}`);
  assert.equal(c.code, 0, c.output);
  const variables = (await env.lambda.send(new GetFunctionCommand({ FunctionName: fnC }))).Configuration?.Environment?.Variables;
  assert.deepEqual(variables, { SHORT: fnP, LONG: fnP });

  // Another stack can't export the same name (its template names the first stack's export).
  const thief = writeProject({ 'template.yaml': producerTemplate(unique('thief')).replace('${AWS::StackName}-fn', `${producerStack}-fn`), ...src });
  const taken = await deployIn(thief, unique('thief'));
  assert.equal(taken.code, 1, taken.output);
  assert.match(taken.stderr, new RegExp(`Export with name ${producerStack}-fn is already exported by stack ${producerStack}`));

  // A new value for an export in use is refused, and the importer keeps the value it had.
  writeFileSync(join(pDir, 'template.yaml'), producerTemplate(fnP, '!Sub "${Fn}-renamed"'));
  const changed = await deployIn(pDir, producerStack);
  assert.equal(changed.code, 1, changed.output);
  assert.match(changed.stderr, new RegExp(`Export ${producerStack}-fn cannot be updated as it is in use by ${consumerStack}`));
  const again = await deployIn(cDir, consumerStack, '--parameter-overrides', `Producer=${producerStack}`);
  assert.equal(again.code, 0, again.output);
  assert.equal((await env.lambda.send(new GetFunctionCommand({ FunctionName: fnC }))).Configuration?.Environment?.Variables?.SHORT, fnP);

  // Once the consumer imports nothing, the producer's export may change.
  writeFileSync(join(cDir, 'template.yaml'), consumerTemplate(fnC).replace(/      Environment:[\s\S]*$/, ''));
  assert.equal((await deployIn(cDir, consumerStack, '--parameter-overrides', `Producer=${producerStack}`)).code, 0);
  const freed = await deployIn(pDir, producerStack);
  assert.equal(freed.code, 0, freed.output);
  assert.equal((freed.json() as DeployJson).outputs[0].value, `${fnP}-renamed`);
});

test('HTTP APIs of one name in two stacks: each stack its own, each serving its own function', async () => {
  const apiName = unique('http');
  const template = (fn: string) => `${SAM_HEADER}  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Name: ${apiName}
${liveFunction(fn, `      Events:
        Get:
          Type: HttpApi
          Properties: { ApiId: !Ref Http, Path: /who, Method: GET }
`, 'Fn')}`;
  const served: string[] = [];
  const ids: string[] = [];
  const stacks = [unique('http-a'), unique('http-b')];
  for (const stack of stacks) {
    const dir = writeProject({ 'template.yaml': template(`${stack}-fn`), 'src/index.mjs': nodeHandler(stack) });
    const run = await runCli(['deploy', '--stack-name', stack, '--json'], { cwd: dir, endpoint: env.url });
    assert.equal(run.code, 0, run.output);
    const api = (run.json() as DeployJson).apis[0];
    ids.push(api.id);
    served.push((await httpGet(api.stages[0].routes[0].pathStyleUrl)).body);
    const again = await runCli(['deploy', '--stack-name', stack, '--json'], { cwd: dir, endpoint: env.url });
    assert.equal((again.json() as DeployJson).apis[0].id, api.id, 'a redeploy finds the stack\'s own');
  }
  assert.notEqual(ids[0], ids[1]);
  assert.deepEqual(served, stacks, 'each answers with its own function');
});

test('the exports endpoint answers bad input with a 400 and records nothing', async () => {
  const url = `${env.url}/_stagecraft/cloudformation/exports`;
  const post = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  for (const body of ['not json', 'null', '{}', '{"region":"us-east-1","stackName":"x","exports":[{"name":""}],"imports":[]}',
    '{"region":"us-east-1","stackName":"x","exports":[],"imports":[1]}']) {
    const res = await post(body);
    assert.equal(res.status, 400, body);
    assert.equal((await res.json() as { __type: string }).__type, 'ValidationError', body);
  }
  assert.equal((await fetch(url)).status, 400, 'GET needs a region');
  assert.equal((await fetch(url, { method: 'PUT' })).status, 405);
  const listed = await (await fetch(`${url}?region=us-east-1`)).json() as { exports: { stackName: string }[] };
  assert.ok(!listed.exports.some((e) => e.stackName === 'x'));
});
