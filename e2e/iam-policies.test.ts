// IAM managed policies through SDK v3: a customer managed policy's lifecycle (versions, attachments,
// the refused delete), listings by scope, and the AWS managed policies Lambda roles use, by their ARNs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, DeletePolicyCommand, DeletePolicyVersionCommand,
  DetachRolePolicyCommand, GetPolicyCommand, GetPolicyVersionCommand, IAMClient, ListEntitiesForPolicyCommand, ListPoliciesCommand,
  ListPolicyTagsCommand, ListPolicyVersionsCommand, SetDefaultPolicyVersionCommand, TagPolicyCommand, paginateListPolicies,
} from '@aws-sdk/client-iam';
import { awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';
import { testAccount, testCredentials, testRegion } from '../src/testing/server.js';

const env = useServer();
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const allow = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const AWS_MANAGED = [
  ['service-role/', 'AWSLambdaBasicExecutionRole'], ['service-role/', 'AWSLambdaVPCAccessExecutionRole'], ['service-role/', 'AWSLambdaRole'],
  ['', 'AWSLambda_FullAccess'], ['', 'AmazonAPIGatewayInvokeFullAccess'], ['service-role/', 'AmazonAPIGatewayPushToCloudWatchLogs'],
  ['', 'CloudWatchLogsFullAccess'], ['', 'AWSXRayDaemonWriteAccess'], ['', 'AdministratorAccess'], ['', 'ReadOnlyAccess'],
];

const iam = () => new IAMClient({ endpoint: env.url, region: testRegion, credentials: testCredentials, maxAttempts: 1 });

async function rejects(call: Promise<unknown>, name: string, status: number, message: string): Promise<void> {
  await assert.rejects(call, (e: any) => {
    assert.deepEqual([e.name, e.$metadata.httpStatusCode, e.message], [name, status, message]);
    return true;
  });
}

test('a customer managed policy: create, versions, attach, entities, refused delete while attached, delete', async () => {
  const client = iam();
  try {
    const { Policy } = await client.send(new CreatePolicyCommand({ PolicyName: 'app-logs', Path: '/app/', PolicyDocument: allow('logs:PutLogEvents'), Description: 'logs', Tags: [{ Key: 'k', Value: 'v' }] }));
    const arn = `arn:aws:iam::${testAccount}:policy/app/app-logs`;
    assert.equal(Policy!.Arn, arn);
    assert.match(Policy!.PolicyId!, /^ANPA[A-Z0-9]{17}$/);
    assert.deepEqual([Policy!.DefaultVersionId, Policy!.AttachmentCount, Policy!.IsAttachable], ['v1', 0, true]);
    await rejects(client.send(new CreatePolicyCommand({ PolicyName: 'APP-LOGS', PolicyDocument: allow('s3:*') })), 'EntityAlreadyExistsException', 409,
      'A policy called APP-LOGS already exists. Duplicate names are not allowed.');
    await rejects(client.send(new CreatePolicyCommand({ PolicyName: 'bad', PolicyDocument: '{"Statement":[{"Effect":"Allow","Action":"s3:*"}]}' })),
      'MalformedPolicyDocumentException', 400, 'Policy statement must contain resources.');

    const v2 = (await client.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('logs:*'), SetAsDefault: true }))).PolicyVersion!;
    assert.deepEqual([v2.VersionId, v2.IsDefaultVersion], ['v2', true]);
    await client.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('logs:Get*') }));
    const version = (await client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }))).PolicyVersion!;
    assert.equal(decodeURIComponent(version.Document!), allow('logs:*'));
    assert.deepEqual((await client.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]),
      [['v3', false], ['v2', true], ['v1', false]]);
    await rejects(client.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })), 'DeleteConflictException', 409, 'Cannot delete the default version of a policy.');
    await client.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    await client.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('logs:A') }));
    await client.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('logs:B') }));
    await client.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('logs:C') }));
    await rejects(client.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('logs:D') })), 'LimitExceededException', 409,
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
    await client.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v6' }));
    assert.equal((await client.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, 'v6', 'version ids are never reused');
    await rejects(client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })), 'NoSuchEntityException', 404, `Policy ${arn} version v1 does not exist or is not attachable.`);

    await client.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'team', Value: 'a' }] }));
    assert.deepEqual((await client.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags, [{ Key: 'k', Value: 'v' }, { Key: 'team', Value: 'a' }]);

    for (const name of ['fn-a', 'fn-b']) {
      await client.send(new CreateRoleCommand({ RoleName: name, Path: '/fns/', AssumeRolePolicyDocument: TRUST }));
      await client.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn }));
    }
    const got = (await client.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
    assert.deepEqual([got.AttachmentCount, got.Description, got.Path], [2, 'logs', '/app/']);
    const entities = await client.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    assert.deepEqual(entities.PolicyRoles!.map((r) => r.RoleName), ['fn-a', 'fn-b']);
    assert.ok(entities.PolicyRoles!.every((r) => r.RoleId?.startsWith('AROA')));
    assert.deepEqual([entities.PolicyUsers, entities.PolicyGroups], [[], []]);
    assert.deepEqual((await client.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'User' }))).PolicyRoles, []);
    const paged = await client.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, MaxItems: 1 }));
    assert.deepEqual([paged.PolicyRoles!.map((r) => r.RoleName), paged.IsTruncated], [['fn-a'], true]);

    await rejects(client.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflictException', 409,
      'This policy has more than one version. Before you delete a policy, you must delete the policy\'s versions. The default version is deleted with the policy.');
    for (const v of ['v2', 'v3', 'v4', 'v5']) await client.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
    await rejects(client.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflictException', 409, 'Cannot delete a policy attached to entities.');
    for (const name of ['fn-a', 'fn-b']) await client.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: arn }));
    await client.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await rejects(client.send(new GetPolicyCommand({ PolicyArn: arn })), 'NoSuchEntityException', 404, `Policy ${arn} was not found.`);
    await rejects(client.send(new AttachRolePolicyCommand({ RoleName: 'fn-a', PolicyArn: arn })), 'NoSuchEntityException', 404, `Policy ${arn} does not exist or is not attachable.`);
  } finally {
    client.destroy();
  }
});

test('AWS managed policies: GetPolicy and GetPolicyVersion by their ARNs; ListPolicies by scope and OnlyAttached', async () => {
  const client = iam();
  try {
    for (const [path, name] of AWS_MANAGED) {
      const arn = `arn:aws:iam::aws:policy/${path}${name}`;
      const p = (await client.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
      assert.deepEqual([p.Arn, p.PolicyName, p.Path, p.IsAttachable], [arn, name, `/${path}`, true]);
      assert.match(p.DefaultVersionId!, /^v\d+$/);
      const doc = JSON.parse(decodeURIComponent((await client.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: p.DefaultVersionId }))).PolicyVersion!.Document!));
      assert.equal(doc.Version, '2012-10-17');
      assert.ok(doc.Statement.length >= 1);
    }
    const basicVersion = (await client.send(new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole', VersionId: 'v1' }))).PolicyVersion!;
    assert.equal(basicVersion.CreateDate?.toISOString(), '2015-04-09T15:03:43.000Z', "AWS's published version");
    assert.deepEqual(JSON.parse(decodeURIComponent(basicVersion.Document!)).Statement,
      [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }]);
    await rejects(client.send(new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole', VersionId: 'v1' })), 'NoSuchEntityException', 404,
      'Policy arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole version v1 does not exist or is not attachable.');
    await rejects(client.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/NotAPolicy' })), 'NoSuchEntityException', 404, 'Policy arn:aws:iam::aws:policy/NotAPolicy was not found.');
    await rejects(client.send(new DeletePolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })), 'NoSuchEntityException', 404,
      'Policy arn:aws:iam::aws:policy/AdministratorAccess was not found.');

    await client.send(new CreatePolicyCommand({ PolicyName: 'local-one', PolicyDocument: allow('s3:GetObject') }));
    await client.send(new CreateRoleCommand({ RoleName: 'lister', AssumeRolePolicyDocument: TRUST }));
    await client.send(new AttachRolePolicyCommand({ RoleName: 'lister', PolicyArn: 'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess' }));
    const local = (await client.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies!;
    assert.deepEqual(local.map((p) => p.PolicyName), ['local-one']);
    const aws = [];
    for await (const page of paginateListPolicies({ client, pageSize: 7 }, { Scope: 'AWS' })) aws.push(...page.Policies!);
    assert.ok(aws.length >= AWS_MANAGED.length && aws.every((p) => p.Arn!.startsWith('arn:aws:iam::aws:policy/')), String(aws.length));
    assert.equal(new Set(aws.map((p) => p.Arn)).size, aws.length, 'pages do not repeat');
    const attached = (await client.send(new ListPoliciesCommand({ OnlyAttached: true }))).Policies!;
    assert.deepEqual(attached.map((p) => [p.PolicyName, p.AttachmentCount]), [['AWSXRayDaemonWriteAccess', 1]]);
    const serviceRole = (await client.send(new ListPoliciesCommand({ Scope: 'All', PathPrefix: '/service-role/' }))).Policies!;
    assert.ok(serviceRole.some((p) => p.PolicyName === 'AWSLambdaBasicExecutionRole') && serviceRole.every((p) => p.Path === '/service-role/'));

    const boundary = (await client.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: allow('logs:*') }))).Policy!.Arn!;
    await client.send(new CreateRoleCommand({ RoleName: 'bounded', AssumeRolePolicyDocument: TRUST, PermissionsBoundary: boundary }));
    assert.equal((await client.send(new GetPolicyCommand({ PolicyArn: boundary }))).Policy!.PermissionsBoundaryUsageCount, 1);
    await rejects(client.send(new DeletePolicyCommand({ PolicyArn: boundary })), 'DeleteConflictException', 409, 'Cannot delete a policy attached to entities.');

    const cli = await awsCli(env.url, ['iam', 'get-policy-version', '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess', '--version-id', 'v1']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(cli.json().PolicyVersion.Document, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'the CLI decodes it');
  } finally {
    client.destroy();
  }
});
