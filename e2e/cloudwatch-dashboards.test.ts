// CloudWatch dashboards through SDK v3 (JSON protocol) and the AWS CLI (query protocol): put,
// get, list (prefix, region-independence), delete (all or nothing), tags, and refused bodies and
// names; and a server on PostgreSQL keeping dashboards across a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteDashboardsCommand, GetDashboardCommand, ListDashboardsCommand, ListTagsForResourceCommand, PutDashboardCommand, type CloudWatchClient,
} from '@aws-sdk/client-cloudwatch';
import { TestServer, useServer } from '../src/testing/fixture.js';
import { createTestDatabase } from '../src/store/postgres/testing.js';
import { awsCli, cloudWatchClient } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';

const env = useServer();
let cw: CloudWatchClient;
env.setup(() => {
  cw = cloudWatchClient(env.url);
});

const body = JSON.stringify({
  start: '-PT6H',
  widgets: [
    { type: 'metric', x: 0, y: 0, width: 12, height: 6, properties: { region: 'us-east-1', metrics: [['AWS/Lambda', 'Invocations', 'FunctionName', 'f']], stat: 'Sum', period: 60 } },
    { type: 'text', x: 12, y: 0, width: 6, height: 3, properties: { markdown: '# Hello' } },
  ],
});

test('SDK: a dashboard is put, read, listed by prefix from any region, tagged, and deleted', async () => {
  const put = await cw.send(new PutDashboardCommand({ DashboardName: 'sdk-main', DashboardBody: body, Tags: [{ Key: 'team', Value: 'a' }] }));
  assert.deepEqual(put.DashboardValidationMessages, []);
  await cw.send(new PutDashboardCommand({ DashboardName: 'sdk-other', DashboardBody: '{"widgets":[]}' }));
  await cw.send(new PutDashboardCommand({ DashboardName: 'zz-elsewhere', DashboardBody: '{"widgets":[]}' }));
  const got = await cw.send(new GetDashboardCommand({ DashboardName: 'sdk-main' }));
  assert.equal(got.DashboardArn, 'arn:aws:cloudwatch::000000000000:dashboard/sdk-main');
  assert.equal(got.DashboardBody, body);
  assert.equal(got.DashboardName, 'sdk-main');

  // Dashboards are the account's: another region's endpoint lists the same ones.
  const listed = await cloudWatchClient(env.url, 'eu-west-1').send(new ListDashboardsCommand({ DashboardNamePrefix: 'sdk-' }));
  assert.deepEqual(listed.DashboardEntries!.map((d) => [d.DashboardName, d.Size]), [['sdk-main', Buffer.byteLength(body)], ['sdk-other', 14]]);
  assert.ok(listed.DashboardEntries![0].LastModified instanceof Date);
  assert.equal(listed.NextToken, undefined);

  const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: got.DashboardArn }));
  assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'a' }]);

  // One missing name and nothing is deleted.
  await expectAwsError(cw.send(new DeleteDashboardsCommand({ DashboardNames: ['sdk-other', 'sdk-missing'] })), 'ResourceNotFound', /does not exist/, 404);
  assert.ok(await cw.send(new GetDashboardCommand({ DashboardName: 'sdk-other' })));
  await cw.send(new DeleteDashboardsCommand({ DashboardNames: ['sdk-main', 'sdk-other'] }));
  // DashboardNotFoundError shares its query code with ResourceNotFound, and SDK v3 names errors by that code.
  await expectAwsError(cw.send(new GetDashboardCommand({ DashboardName: 'sdk-main' })), 'ResourceNotFound', 'Dashboard sdk-main does not exist', 404);
  assert.deepEqual((await cw.send(new ListDashboardsCommand({ DashboardNamePrefix: 'sdk-' }))).DashboardEntries, []);
});

test('SDK: an invalid body or name is refused with the validation messages', async () => {
  const bad = JSON.stringify({ widgets: [{ type: 'metric', x: 30, properties: { metrics: [] } }] });
  await assert.rejects(cw.send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: bad })), (e: any) => {
    assert.equal(e.name, 'DashboardInvalidInputError');
    assert.equal(e.$metadata.httpStatusCode, 400);
    assert.match(e.message, /^The dashboard body is invalid, there are 2 validation errors:/);
    assert.deepEqual(e.dashboardValidationMessages, [
      { DataPath: '/widgets/0/x', Message: 'Should be <= 23' },
      { DataPath: '/widgets/0/properties', Message: "Should have required property 'region'" },
    ]);
    return true;
  });
  await expectAwsError(cw.send(new PutDashboardCommand({ DashboardName: 'bad', DashboardBody: 'nope' })), 'DashboardInvalidInputError', /valid JSON object/);
  await expectAwsError(cw.send(new PutDashboardCommand({ DashboardName: 'has space', DashboardBody: '{"widgets":[]}' })), 'DashboardInvalidInputError', /invalid characters/);
  await expectAwsError(cw.send(new PutDashboardCommand({ DashboardName: 'x'.repeat(256), DashboardBody: '{"widgets":[]}' })), 'DashboardInvalidInputError', /255 characters/);
  await expectAwsError(cw.send(new GetDashboardCommand({ DashboardName: 'bad' })), 'ResourceNotFound');
});

test('JSON wire: a missing dashboard is named DashboardNotFoundError, with the query code ResourceNotFound', async () => {
  const res = await fetch(`${env.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.GetDashboard' },
    body: JSON.stringify({ DashboardName: 'wire-missing' }),
  });
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('x-amzn-query-error'), 'ResourceNotFound;Sender');
  assert.deepEqual(await res.json(), { __type: 'DashboardNotFoundError', message: 'Dashboard wire-missing does not exist' });
});

test('CLI: put-dashboard from a file, get-dashboard, list-dashboards, delete-dashboards', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dashboards-'));
  const file = join(dir, 'body.json');
  writeFileSync(file, body);
  const put = await awsCli(env.url, ['cloudwatch', 'put-dashboard', '--dashboard-name', 'cli-board', '--dashboard-body', `file://${file}`]);
  assert.equal(put.code, 0, put.stderr);
  assert.deepEqual(put.json(), { DashboardValidationMessages: [] });
  const got = await awsCli(env.url, ['cloudwatch', 'get-dashboard', '--dashboard-name', 'cli-board']);
  assert.equal(got.code, 0, got.stderr);
  assert.deepEqual(got.json(), { DashboardArn: 'arn:aws:cloudwatch::000000000000:dashboard/cli-board', DashboardBody: body, DashboardName: 'cli-board' });
  const listed = await awsCli(env.url, ['cloudwatch', 'list-dashboards', '--dashboard-name-prefix', 'cli-']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.json().DashboardEntries.map((d: { DashboardName: string; Size: number }) => [d.DashboardName, d.Size]), [['cli-board', Buffer.byteLength(body)]]);

  writeFileSync(file, '{"widgets":[{"type":"text","properties":{}}]}');
  const bad = await awsCli(env.url, ['cloudwatch', 'put-dashboard', '--dashboard-name', 'cli-board', '--dashboard-body', `file://${file}`]);
  assert.equal(bad.code, 254);
  assert.match(bad.stderr, /\(InvalidParameterInput\).*The dashboard body is invalid, there are 1 validation errors/s);

  const deleted = await awsCli(env.url, ['cloudwatch', 'delete-dashboards', '--dashboard-names', 'cli-board']);
  assert.equal(deleted.code, 0, deleted.stderr);
  const gone = await awsCli(env.url, ['cloudwatch', 'get-dashboard', '--dashboard-name', 'cli-board']);
  assert.equal(gone.code, 254);
  assert.match(gone.stderr, /\(ResourceNotFound\).*Dashboard cli-board does not exist/s);
});

test('on PostgreSQL: dashboards are kept across a restart and deleted', async () => {
  const db = await createTestDatabase();
  try {
    const first = await TestServer.start({ args: ['--database', db.url] });
    await cloudWatchClient(first.url).send(new PutDashboardCommand({ DashboardName: 'pg-board', DashboardBody: body, Tags: [{ Key: 'k', Value: 'v' }] }));
    await first.stop();
    const second = await TestServer.start({ args: ['--database', db.url] });
    try {
      const client = cloudWatchClient(second.url);
      assert.equal((await client.send(new GetDashboardCommand({ DashboardName: 'pg-board' }))).DashboardBody, body);
      assert.deepEqual((await client.send(new ListDashboardsCommand({}))).DashboardEntries!.map((d) => d.DashboardName), ['pg-board']);
      assert.deepEqual((await client.send(new ListTagsForResourceCommand({ ResourceARN: 'arn:aws:cloudwatch::000000000000:dashboard/pg-board' }))).Tags, [{ Key: 'k', Value: 'v' }]);
      await expectAwsError(client.send(new DeleteDashboardsCommand({ DashboardNames: ['pg-board', 'nope'] })), 'ResourceNotFound');
      await client.send(new DeleteDashboardsCommand({ DashboardNames: ['pg-board'] }));
      assert.deepEqual((await client.send(new ListDashboardsCommand({}))).DashboardEntries, []);
    } finally {
      await second.stop();
    }
  } finally {
    await db.drop();
  }
});
