// The AWS CLI v2 wiring queues to topics and buckets: `aws sqs set-queue-attributes` with a policy
// for sns.amazonaws.com, `aws sns subscribe --protocol sqs` and `aws sns publish` (raw delivery,
// message attributes); a policy for s3.amazonaws.com, `aws s3api put-bucket-notification-configuration`
// and `aws s3 cp`; the messages read back with `aws sqs receive-message`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';
import { testAccount, testRegion } from '../src/testing/server.js';
import { sendPolicy } from '../src/testing/queue-messages.js';

const env = useServer();
const dir = mkdtempSync(join(tmpdir(), 'messaging-cli-'));
const ok = async (...args: string[]): Promise<any> => {
  const r = await awsCli(env.url, args, { cwd: dir });
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return args[0] !== 's3' && r.stdout.trim() ? r.json() : undefined;
};

/** Receives with the CLI until `count` messages arrived (deleting each); generous deadline. */
async function receive(queueUrl: string, count: number): Promise<any[]> {
  const got: any[] = [];
  const deadline = Date.now() + 60_000;
  while (got.length < count) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${count} messages: got ${got.length}`);
    const out = await ok('sqs', 'receive-message', '--queue-url', queueUrl, '--wait-time-seconds', '1', '--max-number-of-messages', '10', '--message-attribute-names', 'All');
    for (const m of out?.Messages ?? []) {
      got.push(m);
      await ok('sqs', 'delete-message', '--queue-url', queueUrl, '--receipt-handle', m.ReceiptHandle);
    }
  }
  return got;
}

async function queueWithPolicy(name: string, principal: string, sourceArn: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await ok('sqs', 'create-queue', '--queue-name', name);
  const arn = `arn:aws:sqs:${testRegion}:${testAccount}:${name}`;
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ Policy: sendPolicy(arn, principal, sourceArn) }));
  await ok('sqs', 'set-queue-attributes', '--queue-url', QueueUrl, '--attributes', `file://${name}.json`);
  return { url: QueueUrl, arn };
}

test('aws sns subscribe --protocol sqs: published messages arrive raw with their attributes', { timeout: 120_000 }, async () => {
  const { TopicArn } = await ok('sns', 'create-topic', '--name', 'cli-orders');
  const queue = await queueWithPolicy('cli-orders-queue', 'sns.amazonaws.com', TopicArn);
  await ok('sns', 'subscribe', '--topic-arn', TopicArn, '--protocol', 'sqs', '--notification-endpoint', queue.arn, '--attributes', 'RawMessageDelivery=true');
  await ok('sns', 'publish', '--topic-arn', TopicArn, '--message', 'order 7', '--message-attributes', '{"kind":{"DataType":"String","StringValue":"new"}}');
  const [m] = await receive(queue.url, 1);
  assert.equal(m.Body, 'order 7');
  assert.deepEqual(m.MessageAttributes, { kind: { DataType: 'String', StringValue: 'new' } });
});

test('aws s3api put-bucket-notification-configuration to a queue: the test event, then aws s3 cp\'s event', { timeout: 120_000 }, async () => {
  const bucket = 'cli-notify-queue';
  await ok('s3', 'mb', `s3://${bucket}`);
  const queue = await queueWithPolicy('cli-s3-events', 's3.amazonaws.com', `arn:aws:s3:::${bucket}`);
  writeFileSync(join(dir, 'notification.json'), JSON.stringify({ QueueConfigurations: [{ Id: 'csv', QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Suffix', Value: '.csv' }] } } }] }));
  await ok('s3api', 'put-bucket-notification-configuration', '--bucket', bucket, '--notification-configuration', 'file://notification.json');
  const [testEvent] = await receive(queue.url, 1);
  assert.equal(JSON.parse(testEvent.Body).Event, 's3:TestEvent');
  writeFileSync(join(dir, 'data.csv'), 'a,b\n');
  await ok('s3', 'cp', 'data.csv', `s3://${bucket}/skipped.txt`, '--only-show-errors');
  await ok('s3', 'cp', 'data.csv', `s3://${bucket}/in/data.csv`, '--only-show-errors');
  const [m] = await receive(queue.url, 1);
  const [record] = JSON.parse(m.Body).Records;
  assert.equal(record.eventName, 'ObjectCreated:Put');
  assert.equal(record.s3.object.key, 'in/data.csv');
  assert.equal(record.s3.object.size, 4);
  assert.equal(record.s3.configurationId, 'csv');
});
