// CloudWatch Logs subscription filters end to end: a shipper function subscribed to another
// function's log group receives its ERROR lines (gunzipped from awslogs.data) and prints them; the
// CONTROL_MESSAGE on creation; the permission check, the destinations Stagecraft refuses, the limit
// of two, describe/delete, the filters going with their group; and the AWS CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DeleteSubscriptionFilterCommand, DescribeSubscriptionFiltersCommand,
  FilterLogEventsCommand, PutLogEventsCommand, PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount } from '../src/testing/server.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { waitFor } from '../src/testing/wait.js';

const env = useServer();
const NO_PERMISSION = 'Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.';

// Prints each message it receives, decoded, on one line.
const SHIPPER = `const zlib = require('node:zlib');
exports.handler = async (event) => {
  const message = JSON.parse(zlib.gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString());
  console.log('SHIPPED ' + JSON.stringify(message));
};
`;

interface Shipped {
  messageType: string; owner: string; logGroup: string; logStream: string; subscriptionFilters: string[];
  logEvents: { id: string; timestamp: number; message: string }[];
}

async function shipped(shipper: string, count: number): Promise<Shipped[]> {
  return waitFor(`${count} messages shipped`, async () => {
    // (its log group appears with its first invocation)
    const { events } = await env.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${shipper}`, filterPattern: 'SHIPPED' }))
      .catch((e: Error) => (e.name === 'ResourceNotFoundException' ? { events: [] } : Promise.reject(e)));
    const messages = (events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf('SHIPPED ') + 8)) as Shipped);
    return messages.length >= count ? messages : undefined;
  }, 20_000);
}

const allowLogs = (fn: string, principal = 'logs.amazonaws.com', sourceArn?: string) => env.lambda.send(new AddPermissionCommand({
  FunctionName: fn, StatementId: 'logs', Action: 'lambda:InvokeFunction', Principal: principal, ...(sourceArn ? { SourceArn: sourceArn } : {}),
}));

test("a shipper function receives another function's matching log lines, gunzipped, one message per stream", { timeout: 60_000 }, async () => {
  const app = 'sub-app';
  const shipper = 'sub-shipper';
  const group = `/aws/lambda/${app}`;
  await createNodeFunction(env.lambda, app, 'exports.handler = async () => { console.log("ERROR disk full"); console.log("all fine"); console.log("ERROR again"); return 1; };\n');
  await createNodeFunction(env.lambda, shipper, SHIPPER);
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const filter = { logGroupName: group, filterName: 'errors', filterPattern: 'ERROR', destinationArn: `arn:aws:lambda:us-east-1:${testAccount}:function:${shipper}` };

  await expectAwsError(env.logs.send(new PutSubscriptionFilterCommand(filter)), 'InvalidParameterException', NO_PERMISSION);
  await allowLogs(shipper, 'logs.amazonaws.com', `arn:aws:logs:us-east-1:${testAccount}:log-group:${group}:*`);
  await env.logs.send(new PutSubscriptionFilterCommand(filter));
  const [control] = await shipped(shipper, 1);
  assert.equal(control.messageType, 'CONTROL_MESSAGE');

  await env.lambda.send(new InvokeCommand({ FunctionName: app, Payload: Buffer.from('{}') }));
  const data = await waitFor('the DATA_MESSAGE', async () => (await shipped(shipper, 1)).find((m) => m.messageType === 'DATA_MESSAGE'));
  assert.equal(data.owner, testAccount);
  assert.equal(data.logGroup, group);
  assert.match(data.logStream, /\[\$LATEST\]/);
  assert.deepEqual(data.subscriptionFilters, ['errors']);
  assert.deepEqual(data.logEvents.map((e) => e.message.trim().split('\t').pop()), ['ERROR disk full', 'ERROR again']);
  for (const e of data.logEvents) {
    assert.match(e.id, /^\d+$/);
    assert.equal(typeof e.timestamp, 'number');
  }

  // Events put with PutLogEvents: one message per stream.
  await env.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'manual' }));
  await env.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'manual', logEvents: [
    { timestamp: Date.now(), message: 'ERROR put by hand' }, { timestamp: Date.now(), message: 'ignored' },
  ] }));
  const manual = await waitFor('the PutLogEvents message', async () => (await shipped(shipper, 3)).find((m) => m.logStream === 'manual'));
  assert.deepEqual(manual.logEvents.map((e) => e.message), ['ERROR put by hand']);

  const { subscriptionFilters } = await env.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }));
  assert.equal(subscriptionFilters!.length, 1);
  assert.deepEqual({ ...subscriptionFilters![0], creationTime: undefined }, {
    filterName: 'errors', logGroupName: group, filterPattern: 'ERROR', destinationArn: filter.destinationArn,
    distribution: 'ByLogStream', applyOnTransformedLogs: false, creationTime: undefined,
  });
  await env.logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: group, filterName: 'errors' }));
  await expectAwsError(env.logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: group, filterName: 'errors' })),
    'ResourceNotFoundException', 'The specified subscription filter does not exist.');
});

test('the checks of PutSubscriptionFilter: group, pattern, destination, the regional principal, two per group; filters go with the group', { timeout: 60_000 }, async () => {
  const fn = 'sub-target';
  await createNodeFunction(env.lambda, fn, 'exports.handler = async () => 1;\n');
  const arn = `arn:aws:lambda:us-east-1:${testAccount}:function:${fn}`;
  const group = '/app/checks';
  const put = (name: string, extra: Partial<{ filterPattern: string; destinationArn: string; logGroupName: string }> = {}) =>
    env.logs.send(new PutSubscriptionFilterCommand({ logGroupName: group, filterName: name, filterPattern: '', destinationArn: arn, ...extra }));
  await expectAwsError(put('a'), 'ResourceNotFoundException', 'The specified log group does not exist.');
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await expectAwsError(put('a', { filterPattern: '{ $.x = ' }), 'InvalidParameterException', 'Invalid filter pattern');
  await expectAwsError(put('a', { destinationArn: `arn:aws:kinesis:us-east-1:${testAccount}:stream/s` }), 'InvalidParameterException', /Stagecraft cannot deliver to kinesis/);
  await expectAwsError(put('a', { destinationArn: `arn:aws:lambda:us-east-1:${testAccount}:function:nope` }), 'InvalidParameterException', NO_PERMISSION);
  await expectAwsError(put('a'), 'InvalidParameterException', NO_PERMISSION);
  await allowLogs(fn, 'logs.us-east-1.amazonaws.com');
  await put('a');
  await put('b', { destinationArn: `${arn}:$LATEST` });
  await put('b', { filterPattern: 'WARN' });
  await expectAwsError(put('c'), 'LimitExceededException', 'Resource limit exceeded.');
  const page = await env.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group, limit: 1 }));
  assert.deepEqual(page.subscriptionFilters!.map((f) => f.filterName), ['a']);
  const next = await env.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group, nextToken: page.nextToken }));
  assert.deepEqual(next.subscriptionFilters!.map((f) => [f.filterName, f.filterPattern]), [['b', 'WARN']]);
  assert.equal(next.nextToken, undefined);
  const prefixed = await env.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group, filterNamePrefix: 'b' }));
  assert.deepEqual(prefixed.subscriptionFilters!.map((f) => f.filterName), ['b']);
  await env.logs.send(new DeleteLogGroupCommand({ logGroupName: group }));
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  assert.deepEqual((await env.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: group }))).subscriptionFilters, []);
});

test('the AWS CLI puts, describes and deletes a subscription filter', { timeout: 60_000 }, async () => {
  const fn = 'sub-cli';
  await createNodeFunction(env.lambda, fn, 'exports.handler = async () => 1;\n');
  const arn = `arn:aws:lambda:us-east-1:${testAccount}:function:${fn}`;
  const group = '/app/cli';
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const refused = await awsCli(env.url, ['logs', 'put-subscription-filter', '--log-group-name', group, '--filter-name', 'ship', '--filter-pattern', 'ERROR', '--destination-arn', arn]);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /InvalidParameterException.*Could not execute the lambda function/);
  await allowLogs(fn);
  const put = await awsCli(env.url, ['logs', 'put-subscription-filter', '--log-group-name', group, '--filter-name', 'ship', '--filter-pattern', 'ERROR',
    '--destination-arn', arn, '--distribution', 'Random']);
  assert.equal(put.code, 0, put.stderr);
  const described = await awsCli(env.url, ['logs', 'describe-subscription-filters', '--log-group-name', group]);
  assert.equal(described.code, 0, described.stderr);
  const [f] = described.json().subscriptionFilters;
  assert.equal(f.filterName, 'ship');
  assert.equal(f.destinationArn, arn);
  assert.equal(f.distribution, 'Random');
  const deleted = await awsCli(env.url, ['logs', 'delete-subscription-filter', '--log-group-name', group, '--filter-name', 'ship']);
  assert.equal(deleted.code, 0, deleted.stderr);
});

test("a function subscribed to its own log group gets the CONTROL_MESSAGE but never its own lines, so it cannot loop", { timeout: 60_000 }, async () => {
  const fn = 'sub-self';
  await createNodeFunction(env.lambda, fn, SHIPPER);
  await env.logs.send(new CreateLogGroupCommand({ logGroupName: `/aws/lambda/${fn}` }));
  await allowLogs(fn);
  await env.logs.send(new PutSubscriptionFilterCommand({
    logGroupName: `/aws/lambda/${fn}`, filterName: 'self', filterPattern: '', destinationArn: `arn:aws:lambda:us-east-1:${testAccount}:function:${fn}`,
  }));
  const [control] = await shipped(fn, 1);
  assert.equal(control.messageType, 'CONTROL_MESSAGE');
  await new Promise((r) => setTimeout(r, 2_000)); // time for a loop to show, were there one
  assert.equal((await shipped(fn, 1)).length, 1);
});
