// Server-side CloudFormation stacks answering as AWS does, through the AWS SDK v3: stack and change
// set names, CreateStack's failure options, what change sets become once one is executed or the
// stack changes directly, DescribeStackResource(s), GetTemplate's stages, DescribeStacks' fields,
// termination protection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudFormationClient, CreateChangeSetCommand, CreateStackCommand, DeleteChangeSetCommand, DeleteStackCommand, DescribeChangeSetCommand, DescribeStackResourceCommand,
  DescribeStackResourcesCommand, DescribeStacksCommand, ExecuteChangeSetCommand, GetTemplateCommand, ListChangeSetsCommand, UpdateStackCommand, UpdateTerminationProtectionCommand,
  waitUntilChangeSetCreateComplete, waitUntilStackCreateComplete, waitUntilStackDeleteComplete, waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { TestServer } from '../src/testing/fixture.js';
import { testCredentials, testRegion } from '../src/testing/server.js';
import { functionsTemplate } from '../src/testing/cloudformation-templates.js';
import { createTestDatabase } from '../src/store/postgres/testing.js';
import { awsCli } from '../src/testing/aws.js';

const CAPS = ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;
const PLAIN = 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n';

test('CloudFormation answers as AWS: names, change sets, resources, templates, stack fields', { timeout: 240_000 }, async () => {
  const server = await TestServer.start();
  const cfn = new CloudFormationClient({ endpoint: server.url, region: testRegion, credentials: testCredentials, maxAttempts: 1 });
  const waiting = { client: cfn, maxWaitTime: 60, minDelay: 1, maxDelay: 1 };
  const describeStack = async (name: string) => (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0];
  const describeChangeSet = (name: string, stack?: string) => cfn.send(new DescribeChangeSetCommand({ ChangeSetName: name, StackName: stack }));
  try {
    // Names and failure options.
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: '0bad', TemplateBody: functionsTemplate(1), Capabilities: [...CAPS] })), {
      name: 'ValidationError',
      message: "1 validation error detected: Value '0bad' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*",
    });
    const long = `a${'b'.repeat(128)}`;
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: long, TemplateBody: functionsTemplate(1), Capabilities: [...CAPS] })), {
      name: 'ValidationError', message: `1 validation error detected: Value '${long}' at 'stackName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    });
    await assert.rejects(cfn.send(new CreateChangeSetCommand({ StackName: 'has_underscore', ChangeSetName: 'cs', ChangeSetType: 'CREATE', TemplateBody: PLAIN })),
      (e: Error) => e.name === 'ValidationError' && e.message.includes("Value 'has_underscore' at 'stackName' failed to satisfy constraint"));
    await assert.rejects(cfn.send(new CreateChangeSetCommand({ StackName: 'ok', ChangeSetName: '1cs', ChangeSetType: 'CREATE', TemplateBody: PLAIN })),
      (e: Error) => e.name === 'ValidationError' && e.message.includes("Value '1cs' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*"));
    await assert.rejects(describeStack('instance_and_route53'), {
      name: 'ValidationError',
      message: "1 validation error detected: Value 'instance_and_route53' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*",
    });
    await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'both', TemplateBody: PLAIN, OnFailure: 'DELETE', DisableRollback: true })),
      { name: 'ValidationError', message: 'Either DisableRollback or OnFailure can be specified, not both.' });

    // A stack in review: its fields; a second CREATE change set; the executed one stays, the other goes.
    const first = await cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: functionsTemplate(1), Capabilities: [...CAPS] }));
    const second = await cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'second', ChangeSetType: 'CREATE', TemplateBody: functionsTemplate(2), Capabilities: [...CAPS] }));
    const review = await describeStack('cs');
    assert.equal(review.StackStatus, 'REVIEW_IN_PROGRESS');
    assert.equal(review.StackStatusReason, 'User Initiated');
    assert.deepEqual(review.RollbackConfiguration, {});
    assert.equal(review.EnableTerminationProtection, false);
    assert.deepEqual(review.DriftInformation, { StackDriftStatus: 'NOT_CHECKED' });
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: first.Id! }));
    await assert.rejects(cfn.send(new DeleteChangeSetCommand({ ChangeSetName: first.Id! })),
      { name: 'InvalidChangeSetStatusException', message: `ChangeSet [${first.Id}] cannot be deleted in its current execution status of [EXECUTE_IN_PROGRESS]` });
    await waitUntilStackCreateComplete(waiting, { StackName: 'cs' });
    assert.ok((await describeStack('cs')).LastUpdatedTime instanceof Date, 'a stack a change set created has a LastUpdatedTime');
    const executed = await describeChangeSet(first.Id!);
    assert.deepEqual([executed.Status, executed.ExecutionStatus], ['CREATE_COMPLETE', 'EXECUTE_COMPLETE']);
    await assert.rejects(describeChangeSet(second.Id!), { name: 'ChangeSetNotFoundException', message: `ChangeSet [${second.Id}] does not exist` });
    assert.deepEqual((await cfn.send(new ListChangeSetsCommand({ StackName: 'cs' }))).Summaries!.map((s) => [s.ChangeSetName, s.ExecutionStatus]), [['first', 'EXECUTE_COMPLETE']]);
    await assert.rejects(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: first.Id! })),
      { name: 'InvalidChangeSetStatusException', message: `ChangeSet [${first.Id}] cannot be executed in its current execution status of [EXECUTE_COMPLETE]` });

    // An update's change set names what the stack has; an empty one can't run; UpdateStack makes the others OBSOLETE.
    const modify = await cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'modify', TemplateBody: functionsTemplate(1, 'changed'), Capabilities: [...CAPS] }));
    await waitUntilChangeSetCreateComplete(waiting, { ChangeSetName: modify.Id! });
    const changes = (await describeChangeSet('modify', 'cs')).Changes!.map((c) => c.ResourceChange!);
    assert.deepEqual(changes.map((c) => [c.Action, c.LogicalResourceId, c.PhysicalResourceId, c.ResourceType, c.Replacement]), [['Modify', 'Fn0', 'cs-Fn0', 'AWS::Lambda::Function', 'False']]);
    const empty = await cfn.send(new CreateChangeSetCommand({ StackName: 'cs', ChangeSetName: 'empty', TemplateBody: functionsTemplate(1), Capabilities: [...CAPS] }));
    const emptyDescribed = await describeChangeSet(empty.Id!);
    assert.deepEqual([emptyDescribed.Status, emptyDescribed.ExecutionStatus, emptyDescribed.StatusReason],
      ['FAILED', 'UNAVAILABLE', "The submitted information didn't contain changes. Submit different information to create a change set."]);
    await assert.rejects(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: empty.Id! })),
      { name: 'InvalidChangeSetStatusException', message: `ChangeSet [${empty.Id}] cannot be executed in its current status of [FAILED]` });
    await cfn.send(new UpdateStackCommand({ StackName: 'cs', TemplateBody: functionsTemplate(1, 'direct'), Capabilities: [...CAPS] }));
    assert.equal((await describeChangeSet(first.Id!)).ExecutionStatus, 'EXECUTE_COMPLETE', 'an executed change set keeps how it ended while the stack updates');
    await waitUntilStackUpdateComplete(waiting, { StackName: 'cs' });
    assert.equal((await describeChangeSet(modify.Id!)).ExecutionStatus, 'OBSOLETE');
    await assert.rejects(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: modify.Id! })),
      { name: 'InvalidChangeSetStatusException', message: `ChangeSet [${modify.Id}] cannot be executed in its current execution status of [OBSOLETE]` });
    const updated = await describeStack('cs');
    assert.ok(updated.LastUpdatedTime instanceof Date);
    assert.equal(updated.DisableRollback, false);
    assert.deepEqual(updated.NotificationARNs, []);

    // Resources: one by logical ID, by physical ID.
    const detail = (await cfn.send(new DescribeStackResourceCommand({ StackName: 'cs', LogicalResourceId: 'Fn0' }))).StackResourceDetail!;
    assert.deepEqual([detail.StackName, detail.PhysicalResourceId, detail.ResourceType, detail.ResourceStatus], ['cs', 'cs-Fn0', 'AWS::Lambda::Function', 'UPDATE_COMPLETE']);
    assert.ok(detail.LastUpdatedTimestamp instanceof Date);
    await assert.rejects(cfn.send(new DescribeStackResourceCommand({ StackName: 'cs', LogicalResourceId: 'Nope' })),
      { name: 'ValidationError', message: 'Resource Nope does not exist for stack cs' });
    const byPhysical = (await cfn.send(new DescribeStackResourcesCommand({ PhysicalResourceId: 'cs-Fn0' }))).StackResources!;
    assert.deepEqual(byPhysical.map((r) => [r.StackName, r.LogicalResourceId]), [['cs', 'Fn0']]);
    await assert.rejects(cfn.send(new DescribeStackResourcesCommand({ PhysicalResourceId: 'nothing-here' })),
      { name: 'ValidationError', message: 'Stack for nothing-here does not exist' });

    // GetTemplate: a SAM template has no processed stage here; a plain one's is itself.
    const sam = await cfn.send(new GetTemplateCommand({ StackName: 'cs' }));
    assert.deepEqual(sam.StagesAvailable, ['Original']);
    await assert.rejects(cfn.send(new GetTemplateCommand({ StackName: 'cs', TemplateStage: 'Processed' })), { name: 'ValidationError' });

    // CreateStack over a stack in review creates it; its change set is OBSOLETE.
    const pending = await cfn.send(new CreateChangeSetCommand({ StackName: 'plain', ChangeSetName: 'pending', ChangeSetType: 'CREATE', TemplateBody: PLAIN }));
    const created = await cfn.send(new CreateStackCommand({ StackName: 'plain', TemplateBody: PLAIN }));
    assert.equal(created.StackId, pending.StackId);
    await waitUntilStackCreateComplete(waiting, { StackName: 'plain' });
    assert.equal((await describeStack('plain')).LastUpdatedTime, undefined, 'one CreateStack created has none');
    assert.equal((await describeChangeSet(pending.Id!)).ExecutionStatus, 'OBSOLETE');
    const plain = await cfn.send(new GetTemplateCommand({ StackName: 'plain', TemplateStage: 'Processed' }));
    assert.deepEqual([plain.TemplateBody, plain.StagesAvailable], [PLAIN, ['Original', 'Processed']]);

    // A deleted stack by its ID: DeletionTime, no EnableTerminationProtection.
    await cfn.send(new DeleteStackCommand({ StackName: 'plain' }));
    await waitUntilStackDeleteComplete(waiting, { StackName: 'plain' });
    const deleted = await describeStack(created.StackId!);
    assert.equal(deleted.StackStatus, 'DELETE_COMPLETE');
    assert.ok(deleted.DeletionTime instanceof Date);
    assert.equal(deleted.EnableTerminationProtection, undefined);
    await assert.rejects(describeStack('plain'), { name: 'ValidationError', message: 'Stack with id plain does not exist' });

    // ListChangeSets pages by 100.
    for (let i = 0; i < 101; i++) {
      await cfn.send(new CreateChangeSetCommand({ StackName: 'pages', ChangeSetName: `cs${i}`, ChangeSetType: 'CREATE', TemplateBody: PLAIN }));
    }
    const page1 = await cfn.send(new ListChangeSetsCommand({ StackName: 'pages' }));
    assert.equal(page1.Summaries!.length, 100);
    const page2 = await cfn.send(new ListChangeSetsCommand({ StackName: 'pages', NextToken: page1.NextToken }));
    assert.deepEqual([page2.Summaries!.length, page2.NextToken], [1, undefined]);
    assert.equal(new Set([...page1.Summaries!, ...page2.Summaries!].map((c) => c.ChangeSetName)).size, 101);
  } finally {
    cfn.destroy();
    await server.stop();
  }
});

test('termination protection through the SDK and the AWS CLI: DescribeStacks shows it, DeleteStack is refused while it is on (PostgreSQL)', { timeout: 120_000 }, async () => {
  const db = await createTestDatabase();
  const server = await TestServer.start({ args: ['--database', db.url] });
  const cfn = new CloudFormationClient({ endpoint: server.url, region: testRegion, credentials: testCredentials, maxAttempts: 1 });
  const waiting = { client: cfn, maxWaitTime: 60, minDelay: 1, maxDelay: 1 };
  try {
    const { StackId } = await cfn.send(new CreateStackCommand({ StackName: 'kept', TemplateBody: PLAIN, EnableTerminationProtection: true }));
    await waitUntilStackCreateComplete(waiting, { StackName: 'kept' });
    assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: 'kept' }))).Stacks![0].EnableTerminationProtection, true);
    await assert.rejects(cfn.send(new DeleteStackCommand({ StackName: 'kept' })),
      { name: 'ValidationError', message: 'Stack [kept] cannot be deleted while TerminationProtection is enabled' });
    assert.equal((await cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'kept', EnableTerminationProtection: false }))).StackId, StackId);
    assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: 'kept' }))).Stacks![0].EnableTerminationProtection, false);
    // The AWS CLI the same way.
    const on = await awsCli(server.url, ['cloudformation', 'update-termination-protection', '--stack-name', 'kept', '--enable-termination-protection']);
    assert.equal(on.code, 0, on.stderr);
    const refused = await awsCli(server.url, ['cloudformation', 'delete-stack', '--stack-name', 'kept']);
    assert.equal(refused.code, 254);
    assert.match(refused.stderr, /\(ValidationError\) when calling the DeleteStack operation.*: Stack \[kept\] cannot be deleted while TerminationProtection is enabled/);
    const off = await awsCli(server.url, ['cloudformation', 'update-termination-protection', '--stack-name', 'kept', '--no-enable-termination-protection']);
    assert.equal(off.code, 0, off.stderr);
    await cfn.send(new DeleteStackCommand({ StackName: 'kept' }));
    await waitUntilStackDeleteComplete(waiting, { StackName: 'kept' });
  } finally {
    cfn.destroy();
    await server.stop();
    await db.drop();
  }
});
