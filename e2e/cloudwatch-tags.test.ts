// CloudWatch TagResource, UntagResource and ListTagsForResource on metric alarms, composite alarms
// and dashboards, through SDK v3 (JSON protocol) and the AWS CLI (query protocol): tags merged and
// removed, kept by PutMetricAlarm/PutCompositeAlarm updates, AWS's errors; and on PostgreSQL, tags
// kept across a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ListTagsForResourceCommand, PutCompositeAlarmCommand, PutDashboardCommand, PutMetricAlarmCommand, TagResourceCommand, UntagResourceCommand,
  type CloudWatchClient, type Tag,
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

const ALARM = 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:';
const DASHBOARD = 'arn:aws:cloudwatch::000000000000:dashboard/';
const metricAlarm = (name: string, tags?: Tag[]) => new PutMetricAlarmCommand({
  AlarmName: name, Namespace: 'Tags', MetricName: 'm', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1,
  ComparisonOperator: 'GreaterThanThreshold', Tags: tags,
});
const tagsOf = async (client: CloudWatchClient, arn: string) => (await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags;

test('SDK: a metric alarm\'s tags are merged and removed; a PutMetricAlarm update keeps them', async () => {
  await cw.send(metricAlarm('t-metric', [{ Key: 'team', Value: 'a' }]));
  await cw.send(new TagResourceCommand({ ResourceARN: `${ALARM}t-metric`, Tags: [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: '' }] }));
  assert.deepEqual(await tagsOf(cw, `${ALARM}t-metric`), [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: '' }]);
  // Tags given on an update are ignored (AWS's rule); the alarm keeps its own.
  await cw.send(metricAlarm('t-metric', [{ Key: 'other', Value: 'x' }]));
  await cw.send(metricAlarm('t-metric'));
  assert.deepEqual(await tagsOf(cw, `${ALARM}t-metric`), [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: '' }]);
  await cw.send(new UntagResourceCommand({ ResourceARN: `${ALARM}t-metric`, TagKeys: ['team', 'absent'] }));
  assert.deepEqual(await tagsOf(cw, `${ALARM}t-metric`), [{ Key: 'env', Value: '' }]);
});

test('SDK: a composite alarm and a dashboard are tagged and untagged', async () => {
  await cw.send(metricAlarm('t-child'));
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: 't-composite', AlarmRule: 'ALARM("t-child")' }));
  await cw.send(new TagResourceCommand({ ResourceARN: `${ALARM}t-composite`, Tags: [{ Key: 'k', Value: 'v' }] }));
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: 't-composite', AlarmRule: 'OK("t-child")', Tags: [{ Key: 'ignored', Value: 'x' }] }));
  assert.deepEqual(await tagsOf(cw, `${ALARM}t-composite`), [{ Key: 'k', Value: 'v' }]);
  await cw.send(new UntagResourceCommand({ ResourceARN: `${ALARM}t-composite`, TagKeys: ['k'] }));
  assert.deepEqual(await tagsOf(cw, `${ALARM}t-composite`), []);

  await cw.send(new PutDashboardCommand({ DashboardName: 't-board', DashboardBody: '{"widgets":[]}' }));
  await cw.send(new TagResourceCommand({ ResourceARN: `${DASHBOARD}t-board`, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
  await cw.send(new UntagResourceCommand({ ResourceARN: `${DASHBOARD}t-board`, TagKeys: ['a'] }));
  assert.deepEqual(await tagsOf(cw, `${DASHBOARD}t-board`), [{ Key: 'b', Value: '2' }]);
  // Dashboards are the account's: another region's endpoint tags the same one.
  await cloudWatchClient(env.url, 'eu-west-1').send(new TagResourceCommand({ ResourceARN: `${DASHBOARD}t-board`, Tags: [{ Key: 'c', Value: '3' }] }));
  assert.deepEqual(await tagsOf(cw, `${DASHBOARD}t-board`), [{ Key: 'b', Value: '2' }, { Key: 'c', Value: '3' }]);
});

test('SDK: unknown resources, malformed ARNs, reserved keys and the 50-tag limit are refused', async () => {
  const tag = [{ Key: 'k', Value: 'v' }];
  await expectAwsError(cw.send(new TagResourceCommand({ ResourceARN: `${ALARM}t-missing`, Tags: tag })), 'ResourceNotFoundException', 'The specified resource does not exist.', 404);
  await expectAwsError(cw.send(new UntagResourceCommand({ ResourceARN: `${DASHBOARD}t-missing`, TagKeys: ['k'] })), 'ResourceNotFoundException', undefined, 404);
  // Another region's alarm ARN names nothing here.
  await cw.send(metricAlarm('t-limit'));
  await expectAwsError(cw.send(new TagResourceCommand({ ResourceARN: `arn:aws:cloudwatch:eu-west-1:000000000000:alarm:t-limit`, Tags: tag })), 'ResourceNotFoundException');
  await expectAwsError(cw.send(new TagResourceCommand({ ResourceARN: 'not-an-arn', Tags: tag })), 'InvalidParameterValueException', /Invalid ARN/, 400);
  await expectAwsError(cw.send(new TagResourceCommand({ ResourceARN: `${ALARM}t-limit`, Tags: [{ Key: 'aws:x', Value: 'v' }] })), 'InvalidParameterValueException', /reserved/);
  const many = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }));
  await cw.send(new TagResourceCommand({ ResourceARN: `${ALARM}t-limit`, Tags: many(0, 50) }));
  await expectAwsError(cw.send(new TagResourceCommand({ ResourceARN: `${ALARM}t-limit`, Tags: many(50, 1) })), 'InvalidParameterValueException', /at most 50 tags/, 400);
  // Replacing a value does not add a tag.
  await cw.send(new TagResourceCommand({ ResourceARN: `${ALARM}t-limit`, Tags: [{ Key: 'k0', Value: 'w' }] }));
  assert.equal((await tagsOf(cw, `${ALARM}t-limit`))!.length, 50);
});

test('CLI: tag-resource, untag-resource and list-tags-for-resource', async () => {
  await cw.send(metricAlarm('t-cli'));
  const arn = `${ALARM}t-cli`;
  const tagged = await awsCli(env.url, ['cloudwatch', 'tag-resource', '--resource-arn', arn, '--tags', 'Key=team,Value=a', 'Key=env,Value=dev']);
  assert.equal(tagged.code, 0, tagged.stderr);
  const untagged = await awsCli(env.url, ['cloudwatch', 'untag-resource', '--resource-arn', arn, '--tag-keys', 'env']);
  assert.equal(untagged.code, 0, untagged.stderr);
  const listed = await awsCli(env.url, ['cloudwatch', 'list-tags-for-resource', '--resource-arn', arn]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.json(), { Tags: [{ Key: 'team', Value: 'a' }] });
  const missing = await awsCli(env.url, ['cloudwatch', 'tag-resource', '--resource-arn', `${ALARM}t-nope`, '--tags', 'Key=a,Value=b']);
  assert.equal(missing.code, 254);
  assert.match(missing.stderr, /\(ResourceNotFoundException\).*The specified resource does not exist\./s);
});

test('on PostgreSQL: alarm and dashboard tags are kept across a restart', async () => {
  const db = await createTestDatabase();
  try {
    const first = await TestServer.start({ args: ['--database', db.url] });
    const one = cloudWatchClient(first.url);
    await one.send(metricAlarm('pg-alarm'));
    await one.send(new PutDashboardCommand({ DashboardName: 'pg-board', DashboardBody: '{"widgets":[]}', Tags: [{ Key: 'a', Value: '1' }] }));
    await one.send(new TagResourceCommand({ ResourceARN: `${ALARM}pg-alarm`, Tags: [{ Key: 'k', Value: 'v' }] }));
    await one.send(new TagResourceCommand({ ResourceARN: `${DASHBOARD}pg-board`, Tags: [{ Key: 'b', Value: '2' }] }));
    await one.send(new UntagResourceCommand({ ResourceARN: `${DASHBOARD}pg-board`, TagKeys: ['a'] }));
    await first.stop();
    const second = await TestServer.start({ args: ['--database', db.url] });
    try {
      const two = cloudWatchClient(second.url);
      assert.deepEqual(await tagsOf(two, `${ALARM}pg-alarm`), [{ Key: 'k', Value: 'v' }]);
      assert.deepEqual(await tagsOf(two, `${DASHBOARD}pg-board`), [{ Key: 'b', Value: '2' }]);
    } finally {
      await second.stop();
    }
  } finally {
    await db.drop();
  }
});
