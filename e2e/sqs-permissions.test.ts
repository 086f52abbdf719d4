// SQS AddPermission and RemovePermission through SDK v3 and the AWS CLI: the statements AWS writes
// into the queue's Policy, its checks and errors, edits racing with each other all landing, and the
// policy gone once its last statement is removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddPermissionCommand, GetQueueAttributesCommand, RemovePermissionCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { useServer } from '../src/testing/fixture.js';
import { awsCli, sqsClient } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { createQueue } from '../src/testing/queue-messages.js';

const env = useServer();
let sqs: SQSClient;
env.setup(() => {
  sqs = sqsClient(env.url);
});

async function policyOf(url: string): Promise<any> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] }));
  return Attributes?.Policy === undefined ? undefined : JSON.parse(Attributes.Policy);
}

test('AddPermission writes AWS\'s statements; RemovePermission takes them out, the policy with its last', async () => {
  const q = await createQueue(sqs, 'shared');
  await sqs.send(new AddPermissionCommand({ QueueUrl: q.url, Label: 'one', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }));
  await sqs.send(new AddPermissionCommand({ QueueUrl: q.url, Label: 'two', AWSAccountIds: ['111122223333', '444455556666'], Actions: ['ReceiveMessage', 'DeleteMessage'] }));
  assert.deepEqual(await policyOf(q.url), {
    Version: '2012-10-17', Id: `${q.arn}/SQSDefaultPolicy`,
    Statement: [
      { Sid: 'one', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'SQS:SendMessage', Resource: q.arn },
      { Sid: 'two', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:root'] }, Action: ['SQS:ReceiveMessage', 'SQS:DeleteMessage'], Resource: q.arn },
    ],
  });
  await sqs.send(new RemovePermissionCommand({ QueueUrl: q.url, Label: 'one' }));
  assert.deepEqual((await policyOf(q.url)).Statement.map((s: any) => s.Sid), ['two']);
  await sqs.send(new RemovePermissionCommand({ QueueUrl: q.url, Label: 'two' }));
  assert.equal(await policyOf(q.url), undefined);
});

test('AddPermission appends to a policy set with SetQueueAttributes, keeping its statements', async () => {
  const q = await createQueue(sqs, 'set-first');
  const own = { Version: '2012-10-17', Id: 'mine', Statement: [{ Sid: 'sns', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: q.arn }] };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: JSON.stringify(own) } }));
  await sqs.send(new AddPermissionCommand({ QueueUrl: q.url, Label: 'reader', AWSAccountIds: ['111122223333'], Actions: ['*'] }));
  const policy = await policyOf(q.url);
  assert.equal(policy.Id, 'mine');
  assert.deepEqual(policy.Statement.map((s: any) => [s.Sid, s.Action]), [['sns', 'sqs:SendMessage'], ['reader', 'SQS:*']]);
});

test('AddPermission and RemovePermission: AWS\'s errors', async () => {
  const q = await createQueue(sqs, 'checked');
  const add = (Label: string, Actions: string[]) => sqs.send(new AddPermissionCommand({ QueueUrl: q.url, Label, AWSAccountIds: ['111122223333'], Actions }));
  await add('taken', ['SendMessage']);
  await expectAwsError(add('taken', ['SendMessage']), 'InvalidParameterValue', 'Value taken for parameter Label is invalid. Reason: Already exists.');
  await expectAwsError(add('bad', ['Fly']), 'InvalidParameterValue', 'Value SQS:Fly for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions.');
  await expectAwsError(add('owner', ['SetQueueAttributes']), 'InvalidParameterValue',
    'Value SQS:SetQueueAttributes for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.');
  await expectAwsError(add('many', ['SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl', 'PurgeQueue', 'ListDeadLetterSourceQueues']),
    'OverLimit', '8 Actions were found, maximum allowed is 7.', 403);
  await expectAwsError(sqs.send(new RemovePermissionCommand({ QueueUrl: q.url, Label: 'nothing' })), 'InvalidParameterValue',
    "Value nothing for parameter Label is invalid. Reason: can't find label on existing policy.");
  await expectAwsError(sqs.send(new RemovePermissionCommand({ QueueUrl: `${q.url}-gone`, Label: 'taken' })), 'QueueDoesNotExist', 'The specified queue does not exist.');
  assert.deepEqual((await policyOf(q.url)).Statement.map((s: any) => s.Sid), ['taken'], 'refused edits leave the policy as it was');
});

test('AddPermission calls racing on one queue all land', async () => {
  const q = await createQueue(sqs, 'raced');
  const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
  await Promise.all(labels.map((Label) => sqs.send(new AddPermissionCommand({ QueueUrl: q.url, Label, AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }))));
  assert.deepEqual((await policyOf(q.url)).Statement.map((s: any) => s.Sid).sort(), labels);
});

test('AWS CLI: add-permission and remove-permission', async () => {
  const q = await createQueue(sqs, 'cli-shared');
  const cli = async (...args: string[]) => {
    const r = await awsCli(env.url, ['sqs', ...args]);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  };
  await cli('add-permission', '--queue-url', q.url, '--label', 'cli', '--aws-account-ids', '111122223333', '--actions', 'SendMessage', 'GetQueueUrl');
  assert.deepEqual((await policyOf(q.url)).Statement, [
    { Sid: 'cli', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['SQS:SendMessage', 'SQS:GetQueueUrl'], Resource: q.arn },
  ]);
  await cli('remove-permission', '--queue-url', q.url, '--label', 'cli');
  assert.equal(await policyOf(q.url), undefined);
  const refused = await awsCli(env.url, ['sqs', 'remove-permission', '--queue-url', q.url, '--label', 'cli']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /InvalidParameterValue.*can't find label on existing policy/);
});

test('a Policy that is JSON but no policy document cannot be edited', async () => {
  const q = await createQueue(sqs, 'odd-policy', { Policy: '[1,2]' });
  await expectAwsError(sqs.send(new AddPermissionCommand({ QueueUrl: q.url, Label: 'x', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })),
    'InvalidParameterValue', "The queue's Policy attribute is not a policy document.");
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: JSON.stringify({ Statement: [null, { Sid: 'keep' }] }) } }));
  await sqs.send(new AddPermissionCommand({ QueueUrl: q.url, Label: 'x', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }));
  assert.deepEqual((await policyOf(q.url)).Statement.map((s: any) => s?.Sid ?? null), [null, 'keep', 'x']);
});
