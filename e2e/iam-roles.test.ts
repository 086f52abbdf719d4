// IAM roles as AWS's Lambda tutorial and SDK users create them: the AWS CLI flow (create-role,
// attach-role-policy with the AWS managed ARN, create-function with the role's ARN, invoke), and
// through SDK v3 the role's shapes, inline policies, tags, paging and AWS's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand, CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand, GetRoleCommand, GetRolePolicyCommand,
  IAMClient, ListAttachedRolePoliciesCommand, ListInstanceProfilesForRoleCommand, ListRolePoliciesCommand, ListRoleTagsCommand, ListRolesCommand,
  ListUsersCommand, PutRolePolicyCommand, TagRoleCommand, UntagRoleCommand, UpdateAssumeRolePolicyCommand, UpdateRoleCommand, paginateListRoles,
} from '@aws-sdk/client-iam';
import { awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';
import { testAccount, testCredentials } from '../src/testing/server.js';
import { makeZip } from '../src/testing/zip.js';

const env = useServer();
const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const ALLOW_LOGS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '*' }] });
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

// IAM is global: SDKs sign it for us-east-1 whatever the region; the region given here is another, on purpose.
const iam = () => new IAMClient({ endpoint: env.url, region: 'eu-west-1', credentials: testCredentials, maxAttempts: 1 });

async function rejects(call: Promise<unknown>, name: string, status: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(call, (e: any) => {
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

test('the Lambda tutorial with the AWS CLI: create-role, attach-role-policy, create-function --role, invoke', { timeout: 120_000 }, async () => {
  const created = await awsCli(env.url, ['iam', 'create-role', '--role-name', 'lambda-ex', '--assume-role-policy-document', JSON.stringify(TRUST)]);
  assert.equal(created.code, 0, created.stderr);
  const role = created.json().Role;
  assert.equal(role.Arn, `arn:aws:iam::${testAccount}:role/lambda-ex`);
  assert.equal(role.Path, '/');
  assert.match(role.RoleId, /^AROA[A-Z0-9]{17}$/);
  assert.deepEqual(role.AssumeRolePolicyDocument, TRUST, 'the CLI decodes the URL-encoded document');
  assert.equal(role.MaxSessionDuration, 3600);
  assert.ok(Math.abs(Date.parse(role.CreateDate) - Date.now()) < 60_000, role.CreateDate);

  const attached = await awsCli(env.url, ['iam', 'attach-role-policy', '--role-name', 'lambda-ex', '--policy-arn', BASIC]);
  assert.equal(attached.code, 0, attached.stderr);
  const listed = await awsCli(env.url, ['iam', 'list-attached-role-policies', '--role-name', 'lambda-ex']);
  assert.deepEqual(listed.json().AttachedPolicies, [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: BASIC }]);

  const dir = mkdtempSync(join(tmpdir(), 'iam-tutorial-'));
  try {
    writeFileSync(join(dir, 'function.zip'), await makeZip({ 'index.mjs': 'export const handler = async (event) => ({ statusCode: 200, body: `hello ${event.name}` });' }));
    const fn = await awsCli(env.url, ['lambda', 'create-function', '--function-name', 'my-function', '--zip-file', 'fileb://function.zip', '--handler', 'index.handler',
      '--runtime', 'nodejs20.x', '--role', role.Arn], { cwd: dir });
    assert.equal(fn.code, 0, fn.stderr);
    assert.equal(fn.json().Role, role.Arn);
    assert.equal((await awsCli(env.url, ['lambda', 'wait', 'function-active-v2', '--function-name', 'my-function'])).code, 0);
    const invoked = await awsCli(env.url, ['lambda', 'invoke', '--function-name', 'my-function', '--cli-binary-format', 'raw-in-base64-out',
      '--payload', '{"name":"tutorial"}', 'out.json'], { cwd: dir });
    assert.equal(invoked.code, 0, invoked.stderr);
    assert.equal(invoked.json().StatusCode, 200);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')), { statusCode: 200, body: 'hello tutorial' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Tearing down as the tutorial does: detach, then delete.
  const refused = await awsCli(env.url, ['iam', 'delete-role', '--role-name', 'lambda-ex']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /\(DeleteConflict\) when calling the DeleteRole operation.*?: Cannot delete entity, must detach all policies first\./);
  assert.equal((await awsCli(env.url, ['iam', 'detach-role-policy', '--role-name', 'lambda-ex', '--policy-arn', BASIC])).code, 0);
  assert.equal((await awsCli(env.url, ['iam', 'delete-role', '--role-name', 'lambda-ex'])).code, 0);
  const gone = await awsCli(env.url, ['iam', 'get-role', '--role-name', 'lambda-ex']);
  assert.match(gone.stderr, /\(NoSuchEntity\) when calling the GetRole operation.*?: The role with name lambda-ex cannot be found\./);
});

test('SDK v3: a role with path, description, tags and boundary; documents URL-encoded; updates', async () => {
  const client = iam();
  try {
    const doc = JSON.stringify(TRUST);
    const { Role } = await client.send(new CreateRoleCommand({
      RoleName: 'Svc-Role', Path: '/team/', Description: 'for tests', MaxSessionDuration: 7200, AssumeRolePolicyDocument: doc,
      Tags: [{ Key: 'env', Value: 'dev' }], PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
    }));
    assert.equal(Role!.Arn, `arn:aws:iam::${testAccount}:role/team/Svc-Role`);
    assert.equal(Role!.AssumeRolePolicyDocument, encodeURIComponent(doc), 'answered URL-encoded, as AWS does');
    const got = (await client.send(new GetRoleCommand({ RoleName: 'svc-role' }))).Role!;
    assert.equal(got.RoleName, 'Svc-Role', 'names match without regard to case');
    assert.equal(got.Description, 'for tests');
    assert.equal(got.MaxSessionDuration, 7200);
    assert.deepEqual(got.Tags, [{ Key: 'env', Value: 'dev' }]);
    assert.deepEqual(got.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
    assert.deepEqual(got.RoleLastUsed, {});
    assert.ok(got.CreateDate instanceof Date);

    await client.send(new UpdateRoleCommand({ RoleName: 'Svc-Role', Description: 'changed', MaxSessionDuration: 3600 }));
    const other = { ...TRUST, Statement: [{ ...TRUST.Statement[0], Principal: { Service: 'edgelambda.amazonaws.com' } }] };
    await client.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Svc-Role', PolicyDocument: JSON.stringify(other) }));
    const updated = (await client.send(new GetRoleCommand({ RoleName: 'Svc-Role' }))).Role!;
    assert.equal(updated.Description, 'changed');
    assert.equal(updated.MaxSessionDuration, 3600);
    assert.deepEqual(JSON.parse(decodeURIComponent(updated.AssumeRolePolicyDocument!)), other);

    await client.send(new TagRoleCommand({ RoleName: 'Svc-Role', Tags: [{ Key: 'ENV', Value: 'prod' }, { Key: 'team', Value: 'a' }] }));
    assert.deepEqual((await client.send(new ListRoleTagsCommand({ RoleName: 'Svc-Role' }))).Tags, [{ Key: 'ENV', Value: 'prod' }, { Key: 'team', Value: 'a' }]);
    await client.send(new UntagRoleCommand({ RoleName: 'Svc-Role', TagKeys: ['env'] }));
    assert.deepEqual((await client.send(new ListRoleTagsCommand({ RoleName: 'Svc-Role' }))).Tags, [{ Key: 'team', Value: 'a' }]);
    await rejects(client.send(new TagRoleCommand({ RoleName: 'Svc-Role', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })),
      'InvalidInputException', 400, 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');

    assert.deepEqual((await client.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'Svc-Role' }))).InstanceProfiles, []);
    await client.send(new DeleteRoleCommand({ RoleName: 'SVC-ROLE' }));
    await rejects(client.send(new GetRoleCommand({ RoleName: 'Svc-Role' })), 'NoSuchEntityException', 404, 'The role with name Svc-Role cannot be found.');
  } finally {
    client.destroy();
  }
});

test('inline policies: put, get (URL-encoded), list, replace, delete; a role with one is not deleted', async () => {
  const client = iam();
  try {
    await client.send(new CreateRoleCommand({ RoleName: 'inline-role', AssumeRolePolicyDocument: JSON.stringify(TRUST) }));
    await client.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'logs', PolicyDocument: ALLOW_LOGS }));
    await client.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'Another', PolicyDocument: ALLOW_LOGS }));
    const got = await client.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'logs' }));
    assert.deepEqual({ RoleName: got.RoleName, PolicyName: got.PolicyName, PolicyDocument: decodeURIComponent(got.PolicyDocument!) },
      { RoleName: 'inline-role', PolicyName: 'logs', PolicyDocument: ALLOW_LOGS });
    assert.match(got.PolicyDocument!, /%22Resource%22%3A%22%2A%22/, 'URL-encoded as RFC 3986 has it: `*` too');
    assert.deepEqual((await client.send(new ListRolePoliciesCommand({ RoleName: 'inline-role' }))).PolicyNames, ['Another', 'logs']);
    const page = await client.send(new ListRolePoliciesCommand({ RoleName: 'inline-role', MaxItems: 1 }));
    assert.deepEqual([page.PolicyNames, page.IsTruncated], [['Another'], true]);
    assert.deepEqual((await client.send(new ListRolePoliciesCommand({ RoleName: 'inline-role', Marker: page.Marker }))).PolicyNames, ['logs']);

    await rejects(client.send(new DeleteRoleCommand({ RoleName: 'inline-role' })), 'DeleteConflictException', 409, 'Cannot delete entity, must delete policies first.');
    await rejects(client.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'p', PolicyDocument: JSON.stringify(TRUST) })),
      'MalformedPolicyDocumentException', 400, 'Policy document should not specify a principal.');
    await rejects(client.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}' })),
      'MalformedPolicyDocumentException', 400, 'Policy statement must contain actions.');
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: Array.from({ length: 700 }, (_, i) => `logs:Action${i}`), Resource: '*' }] });
    await rejects(client.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'big', PolicyDocument: big })),
      'LimitExceededException', 409, 'Maximum policy size of 10240 bytes exceeded for role inline-role');
    await rejects(client.send(new PutRolePolicyCommand({ RoleName: 'nobody', PolicyName: 'p', PolicyDocument: ALLOW_LOGS })), 'NoSuchEntityException', 404, 'The role with name nobody cannot be found.');
    await rejects(client.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'missing' })), 'NoSuchEntityException', 404, 'The role policy with name missing cannot be found.');

    await client.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'LOGS' }));
    await client.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'Another' }));
    await rejects(client.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'logs' })), 'NoSuchEntityException', 404, 'The role policy with name logs cannot be found.');
    await client.send(new DeleteRoleCommand({ RoleName: 'inline-role' }));
  } finally {
    client.destroy();
  }
});

test('AWS errors: duplicates, bad names, malformed documents, bad ARNs, quotas, unserved operations', async () => {
  const client = iam();
  try {
    const doc = JSON.stringify(TRUST);
    await client.send(new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: doc }));
    await rejects(client.send(new CreateRoleCommand({ RoleName: 'DUP', AssumeRolePolicyDocument: doc })), 'EntityAlreadyExistsException', 409, 'Role with name DUP already exists.');
    await rejects(client.send(new CreateRoleCommand({ RoleName: 'bad name', AssumeRolePolicyDocument: doc })), 'ValidationError', 400,
      "1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    await rejects(client.send(new CreateRoleCommand({ RoleName: 'x'.repeat(65), AssumeRolePolicyDocument: doc })), 'ValidationError', 400,
      /Member must have length less than or equal to 64/);
    await rejects(client.send(new CreateRoleCommand({ RoleName: 'p', AssumeRolePolicyDocument: 'not json' })), 'MalformedPolicyDocumentException', 400, 'This policy contains invalid Json');
    await rejects(client.send(new CreateRoleCommand({ RoleName: 'p', AssumeRolePolicyDocument: '{"Version":"2012-10-17"}' })), 'MalformedPolicyDocumentException', 400, 'Syntax errors in policy.');
    await rejects(client.send(new CreateRoleCommand({ RoleName: 'p', AssumeRolePolicyDocument: '{"Version":"2013-01-01","Statement":[]}' })),
      'MalformedPolicyDocumentException', 400, 'The policy failed legacy parsing');
    await rejects(client.send(new CreateRoleCommand({ RoleName: 'p', AssumeRolePolicyDocument: JSON.stringify({ Statement: [{ ...TRUST.Statement[0], Resource: '*' }] }) })),
      'MalformedPolicyDocumentException', 400, 'Has prohibited field Resource');
    await rejects(client.send(new CreateRoleCommand({ RoleName: 'p', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}' })),
      'MalformedPolicyDocumentException', 400, 'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!');
    await rejects(client.send(new CreateRoleCommand({ RoleName: 'p', AssumeRolePolicyDocument: doc, PermissionsBoundary: 'arn:aws:iam::aws:policy/NoSuchPolicy' })),
      'NoSuchEntityException', 404, 'Scope ARN: arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.');

    await rejects(client.send(new AttachRolePolicyCommand({ RoleName: 'dup', PolicyArn: 'not-an-arn-at-all-really' })), 'InvalidInputException', 400, 'ARN not-an-arn-at-all-really is not valid.');
    await rejects(client.send(new AttachRolePolicyCommand({ RoleName: 'dup', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })),
      'NoSuchEntityException', 404, 'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.');
    await rejects(client.send(new AttachRolePolicyCommand({ RoleName: 'nobody', PolicyArn: BASIC })), 'NoSuchEntityException', 404, 'The role with name nobody cannot be found.');
    await rejects(client.send(new DetachRolePolicyCommand({ RoleName: 'dup', PolicyArn: BASIC })), 'NoSuchEntityException', 404, `Policy ${BASIC} was not found.`);
    const names = ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole', 'AWSLambdaRole', 'AWSLambdaSQSQueueExecutionRole', 'AWSLambdaDynamoDBExecutionRole',
      'AWSLambdaKinesisExecutionRole', 'AmazonAPIGatewayPushToCloudWatchLogs', 'AWSCodeDeployRoleForLambda'].map((n) => `arn:aws:iam::aws:policy/service-role/${n}`)
      .concat(['AWSLambda_FullAccess', 'AdministratorAccess', 'ReadOnlyAccess'].map((n) => `arn:aws:iam::aws:policy/${n}`));
    for (const arn of names.slice(0, 10)) await client.send(new AttachRolePolicyCommand({ RoleName: 'dup', PolicyArn: arn }));
    await client.send(new AttachRolePolicyCommand({ RoleName: 'dup', PolicyArn: names[0] })); // attaching again is no change
    await rejects(client.send(new AttachRolePolicyCommand({ RoleName: 'dup', PolicyArn: names[10] })), 'LimitExceededException', 409, 'Cannot exceed quota for PoliciesPerRole: 10');
    const vpcOnly = await client.send(new ListAttachedRolePoliciesCommand({ RoleName: 'dup', PathPrefix: '/service-role/', MaxItems: 3 }));
    assert.equal(vpcOnly.AttachedPolicies!.length, 3);
    assert.equal(vpcOnly.IsTruncated, true);
    const rest = await client.send(new ListAttachedRolePoliciesCommand({ RoleName: 'dup', PathPrefix: '/service-role/', Marker: vpcOnly.Marker }));
    assert.equal(rest.AttachedPolicies!.length, 5);
    assert.equal(rest.IsTruncated, false);

    await rejects(client.send(new ListUsersCommand({})), 'InvalidAction', 501);
  } finally {
    client.destroy();
  }
});

test('ListRoles pages with MaxItems and Marker (SDK paginator and the CLI), filtered by PathPrefix', async () => {
  const client = iam();
  try {
    for (let i = 0; i < 7; i++) {
      await client.send(new CreateRoleCommand({ RoleName: `paged-${i}`, Path: i % 2 ? '/odd/' : '/even/', AssumeRolePolicyDocument: JSON.stringify(TRUST) }));
    }
    const first = await client.send(new ListRolesCommand({ PathPrefix: '/even/', MaxItems: 2 }));
    assert.deepEqual(first.Roles!.map((r) => r.RoleName), ['paged-0', 'paged-2']);
    assert.equal(first.IsTruncated, true);
    assert.ok(first.Roles!.every((r) => r.Tags === undefined && r.AssumeRolePolicyDocument));
    const pages = [];
    for await (const p of paginateListRoles({ client, pageSize: 2 }, { PathPrefix: '/even/' })) pages.push(p.Roles!.map((r) => r.RoleName));
    assert.deepEqual(pages, [['paged-0', 'paged-2'], ['paged-4', 'paged-6']]);
    const cli = await awsCli(env.url, ['iam', 'list-roles', '--path-prefix', '/odd/', '--page-size', '1']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(cli.json().Roles.map((r: { RoleName: string }) => r.RoleName), ['paged-1', 'paged-3', 'paged-5']);
  } finally {
    client.destroy();
  }
});
