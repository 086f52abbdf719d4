// `stagecraft deploy` with AWS::CloudWatch::Dashboard resources against a real server: a named
// dashboard and one with CloudFormation's generated name (its body a !Sub naming the template's
// function) are put into CloudWatch; an update replaces the body, a dashboard dropped from the
// template goes at the next deploy, and `stagecraft delete` removes the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GetDashboardCommand, ListDashboardsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { useServer } from '../src/testing/fixture.js';
import { useTempDirs } from '../src/testing/temp-dirs.js';
import { cloudWatchClient } from '../src/testing/aws.js';
import { liveFunction, runCli, SAM_HEADER, unique, writeFiles, writeProject } from '../src/cli/testing.js';
import { defaultStackName } from '../src/deploy/deploy.js';

const env = useServer();
const dirs = useTempDirs();
let cw: CloudWatchClient;
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const named = (name: string, markdown: string) => `  Notes:
    Type: AWS::CloudWatch::Dashboard
    Properties:
      DashboardName: ${name}
      DashboardBody: '{"widgets":[{"type":"text","x":0,"y":0,"width":6,"height":2,"properties":{"markdown":"${markdown}"}}]}'
`;

const GENERATED = `  FunctionBoard:
    Type: AWS::CloudWatch::Dashboard
    Properties:
      DashboardBody: !Sub '{"widgets":[{"type":"metric","properties":{"region":"\${AWS::Region}","metrics":[["AWS/Lambda","Invocations","FunctionName","\${Hello}"]]}}]}'
`;

const outputs = `Outputs:
  Board:
    Value: !Ref FunctionBoard
`;

test('the template\'s dashboards are put, updated, removed with the template and with the stack', async () => {
  const fn = unique('dash-fn');
  const notes = unique('dash-notes');
  const dir = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + liveFunction(fn) + named(notes, 'v1') + GENERATED + outputs, 'src/index.js': "exports.handler = async () => 'ok';\n" }));
  const first = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(first.code, 0, first.output);
  assert.doesNotMatch(first.output, /AWS::CloudWatch::Dashboard.*not deployed/);
  assert.match(first.stdout, new RegExp(`CloudWatch dashboard ${notes}`));
  const generated = /Board\s*[:=]?\s*(\S+-FunctionBoard-[A-Z0-9]{13})/.exec(first.stdout)?.[1];
  assert.ok(generated, first.stdout);
  const board = await cw.send(new GetDashboardCommand({ DashboardName: generated }));
  assert.deepEqual(JSON.parse(board.DashboardBody!).widgets[0].properties.metrics, [['AWS/Lambda', 'Invocations', 'FunctionName', fn]]);
  assert.match((await cw.send(new GetDashboardCommand({ DashboardName: notes }))).DashboardBody!, /"v1"/);

  writeFiles(dir, { 'template.yaml': SAM_HEADER + liveFunction(fn) + named(notes, 'v2') });
  const second = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.equal(second.code, 0, second.output);
  assert.match(second.stdout, new RegExp(`CloudWatch dashboard ${generated} \\[removed\\]`));
  assert.match((await cw.send(new GetDashboardCommand({ DashboardName: notes }))).DashboardBody!, /"v2"/);
  const names = async () => ((await cw.send(new ListDashboardsCommand({}))).DashboardEntries ?? []).map((d) => d.DashboardName);
  assert.equal((await names()).includes(generated), false);

  const deleted = await runCli(['delete', '--stack-name', defaultStackName(join(dir, 'template.yaml')), '--no-prompts'], { cwd: dir, endpoint: env.url });
  assert.equal(deleted.code, 0, deleted.output);
  assert.match(deleted.output, new RegExp(`CloudWatch dashboard ${notes}`));
  assert.equal((await names()).includes(notes), false);
});

test('an invalid dashboard body fails the deploy with CloudWatch\'s messages', async () => {
  const fn = unique('dash-bad');
  const bad = `  Bad:\n    Type: AWS::CloudWatch::Dashboard\n    Properties:\n      DashboardBody: '{"widgets":[{"type":"text","properties":{}}]}'\n`;
  const dir = dirs.removeLater(writeProject({ 'template.yaml': SAM_HEADER + liveFunction(fn) + bad, 'src/index.js': "exports.handler = async () => 'ok';\n" }));
  const run = await runCli(['deploy'], { cwd: dir, endpoint: env.url });
  assert.notEqual(run.code, 0, run.output);
  assert.match(run.output, /Bad.*The dashboard body is invalid, there are 1 validation errors/s);
  assert.match(run.output, /Should have required property 'markdown'/);
});
