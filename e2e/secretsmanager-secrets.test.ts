// Secrets Manager through SDK v3: secrets made with string or binary values, read by name, full
// and partial ARN, version and stage; AWSCURRENT/AWSPREVIOUS moving on PutSecretValue; idempotent
// ClientRequestTokens; describe, list, tags; deletion scheduled, refused reads, restore, forced
// deletion; random passwords; AWS's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetSecretValueCommand, CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetRandomPasswordCommand, GetSecretValueCommand, ListSecretsCommand,
  ListSecretVersionIdsCommand, PutSecretValueCommand, RestoreSecretCommand, RotateSecretCommand, TagResourceCommand, UntagResourceCommand, UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { useServer } from '../src/testing/fixture.js';
import { secretsManagerClient } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testAccount, testRegion } from '../src/testing/server.js';

const env = useServer();
let sm: SecretsManagerClient;
env.setup(() => {
  sm = secretsManagerClient(env.url);
});

const NOT_FOUND = 'Secrets Manager can\'t find the specified secret.';
const MARKED = 'You can\'t perform this operation on the secret because it was marked for deletion.';
const TOKEN_1 = '11111111-1111-1111-1111-111111111111';
const TOKEN_2 = '22222222-2222-2222-2222-222222222222';

test('create and read a secret by name, full ARN and partial ARN', async () => {
  const created = await sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: '{"user":"u","password":"p"}', ClientRequestToken: TOKEN_1, Description: 'db' }));
  assert.match(created.ARN!, new RegExp(`^arn:aws:secretsmanager:${testRegion}:${testAccount}:secret:app/db-[A-Za-z0-9]{6}$`));
  assert.deepEqual([created.Name, created.VersionId], ['app/db', TOKEN_1]);
  for (const id of ['app/db', created.ARN!, created.ARN!.slice(0, -7)]) {
    const got = await sm.send(new GetSecretValueCommand({ SecretId: id }));
    assert.deepEqual([got.Name, got.ARN, got.SecretString, got.VersionId, got.VersionStages], ['app/db', created.ARN, '{"user":"u","password":"p"}', TOKEN_1, ['AWSCURRENT']]);
    assert.ok(got.CreatedDate instanceof Date);
  }
  // The same token and value again is the same request; another value under it is refused.
  assert.equal((await sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: '{"user":"u","password":"p"}', ClientRequestToken: TOKEN_1 }))).ARN, created.ARN);
  await expectAwsError(sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'other' })), 'ResourceExistsException',
    'The operation failed because the secret app/db already exists.', 400);
  await expectAwsError(sm.send(new GetSecretValueCommand({ SecretId: 'app/none' })), 'ResourceNotFoundException', NOT_FOUND, 400);
  await expectAwsError(sm.send(new GetSecretValueCommand({ SecretId: `${created.ARN!.slice(0, -6)}XXXXXX` })), 'ResourceNotFoundException', NOT_FOUND);

  const binary = await sm.send(new CreateSecretCommand({ Name: 'app/key', SecretBinary: Buffer.from([0, 1, 2, 255]) }));
  const bin = await sm.send(new GetSecretValueCommand({ SecretId: binary.ARN }));
  assert.deepEqual([...bin.SecretBinary!], [0, 1, 2, 255]);
  assert.equal(bin.SecretString, undefined);
  await expectAwsError(sm.send(new CreateSecretCommand({ Name: 'app/both', SecretString: 'a', SecretBinary: Buffer.from('b') })), 'InvalidParameterException',
    'You can\'t specify both a binary secret value and a string secret value in the same secret.');
  await expectAwsError(sm.send(new CreateSecretCommand({ Name: 'app/with space', SecretString: 'a' })), 'ValidationException',
    'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!', 400);
  await sm.send(new CreateSecretCommand({ Name: 'app/empty' }));
  await expectAwsError(sm.send(new GetSecretValueCommand({ SecretId: 'app/empty' })), 'ResourceNotFoundException',
    'Secrets Manager can\'t find the specified secret value for staging label: AWSCURRENT');
});

test('PutSecretValue and UpdateSecret move AWSCURRENT on and AWSPREVIOUS behind it', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'rot', SecretString: 'v1', ClientRequestToken: TOKEN_1 }));
  const put = await sm.send(new PutSecretValueCommand({ SecretId: 'rot', SecretString: 'v2', ClientRequestToken: TOKEN_2 }));
  assert.deepEqual([put.VersionId, put.VersionStages], [TOKEN_2, ['AWSCURRENT']]);
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'rot' }))).SecretString, 'v2');
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'rot', VersionStage: 'AWSPREVIOUS' }))).SecretString, 'v1');
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'rot', VersionId: TOKEN_1 }))).SecretString, 'v1');
  await expectAwsError(sm.send(new PutSecretValueCommand({ SecretId: 'rot', SecretString: 'changed', ClientRequestToken: TOKEN_2 })), 'ResourceExistsException',
    'You can\'t modify an existing version, you can only create a new version.');
  assert.equal((await sm.send(new PutSecretValueCommand({ SecretId: 'rot', SecretString: 'v2', ClientRequestToken: TOKEN_2 }))).VersionId, TOKEN_2);
  const updated = await sm.send(new UpdateSecretCommand({ SecretId: 'rot', SecretString: 'v3', Description: 'rotated by hand' }));
  assert.ok(updated.VersionId);
  const described = await sm.send(new DescribeSecretCommand({ SecretId: 'rot' }));
  assert.equal(described.Description, 'rotated by hand');
  assert.deepEqual(described.VersionIdsToStages, { [TOKEN_2]: ['AWSPREVIOUS'], [updated.VersionId!]: ['AWSCURRENT'] });
  const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'rot' }));
  assert.deepEqual(versions.Versions?.map((v) => v.VersionId), [updated.VersionId, TOKEN_2]);
  const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'rot', IncludeDeprecated: true }));
  assert.deepEqual(all.Versions?.map((v) => [v.VersionId, v.VersionStages]), [[updated.VersionId, ['AWSCURRENT']], [TOKEN_2, ['AWSPREVIOUS']], [TOKEN_1, []]]);
  await expectAwsError(sm.send(new GetSecretValueCommand({ SecretId: 'rot', VersionStage: 'AWSPENDING' })), 'ResourceNotFoundException',
    'Secrets Manager can\'t find the specified secret value for staging label: AWSPENDING');

  // Moving AWSCURRENT back by hand names the version losing it; the one it leaves becomes AWSPREVIOUS.
  await expectAwsError(sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'rot', VersionStage: 'AWSCURRENT', MoveToVersionId: TOKEN_2 })), 'InvalidParameterException',
    `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${updated.VersionId}, so you must explicitly reference that version in RemoveFromVersionId.`);
  await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'rot', VersionStage: 'AWSCURRENT', MoveToVersionId: TOKEN_2, RemoveFromVersionId: updated.VersionId }));
  assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: 'rot' }))).VersionIdsToStages, { [TOKEN_2]: ['AWSCURRENT'], [updated.VersionId!]: ['AWSPREVIOUS'] });
  await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'rot', VersionStage: 'custom', MoveToVersionId: TOKEN_1 }));
  assert.deepEqual((await sm.send(new GetSecretValueCommand({ SecretId: 'rot', VersionStage: 'custom' }))).SecretString, 'v1');
});

test('DeleteSecret schedules deletion; reads are refused until RestoreSecret; forced deletion is at once', async () => {
  const { ARN } = await sm.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 's' }));
  await expectAwsError(sm.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 6 })), 'InvalidParameterException',
    'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  await expectAwsError(sm.send(new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })), 'InvalidParameterException');
  const before = Date.now();
  const deleted = await sm.send(new DeleteSecretCommand({ SecretId: 'doomed' }));
  assert.equal(deleted.ARN, ARN);
  const days = (deleted.DeletionDate!.getTime() - before) / 86_400_000;
  assert.ok(days > 29.9 && days < 30.1, `deletion in ${days} days`);
  await expectAwsError(sm.send(new GetSecretValueCommand({ SecretId: 'doomed' })), 'InvalidRequestException', MARKED, 400);
  await expectAwsError(sm.send(new PutSecretValueCommand({ SecretId: 'doomed', SecretString: 'x' })), 'InvalidRequestException', MARKED);
  await expectAwsError(sm.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'x' })), 'InvalidRequestException',
    'You can\'t create this secret because a secret with this name is already scheduled for deletion.');
  assert.ok((await sm.send(new DescribeSecretCommand({ SecretId: 'doomed' }))).DeletedDate instanceof Date);
  assert.ok(!(await sm.send(new ListSecretsCommand({}))).SecretList?.some((s) => s.Name === 'doomed'));
  assert.ok((await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true }))).SecretList?.some((s) => s.Name === 'doomed'));
  assert.equal((await sm.send(new RestoreSecretCommand({ SecretId: 'doomed' }))).ARN, ARN);
  assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'doomed' }))).SecretString, 's');
  await sm.send(new DeleteSecretCommand({ SecretId: 'doomed', ForceDeleteWithoutRecovery: true }));
  await expectAwsError(sm.send(new DescribeSecretCommand({ SecretId: 'doomed' })), 'ResourceNotFoundException', NOT_FOUND);
  const again = await sm.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'new' }));
  assert.notEqual(again.ARN, ARN);
  await expectAwsError(sm.send(new GetSecretValueCommand({ SecretId: ARN })), 'ResourceNotFoundException', NOT_FOUND);
});

test('ListSecrets filters and pages; tags; BatchGetSecretValue; GetRandomPassword; no rotation', async () => {
  for (const n of ['list/a', 'list/b', 'list/c']) await sm.send(new CreateSecretCommand({ Name: n, SecretString: n, Tags: [{ Key: 'team', Value: n.slice(-1) }] }));
  const names: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }], MaxResults: 2, SortOrder: 'asc', SortBy: 'name', NextToken }));
    names.push(...page.SecretList!.map((s) => s.Name!));
    NextToken = page.NextToken;
  } while (NextToken);
  assert.deepEqual(names, ['list/a', 'list/b', 'list/c']);
  const notB = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }, { Key: 'tag-value', Values: ['!b'] }], SortBy: 'name', SortOrder: 'asc' }));
  assert.deepEqual(notB.SecretList?.map((s) => s.Name), ['list/a', 'list/c']);
  assert.equal(Object.keys(notB.SecretList![0].SecretVersionsToStages!).length, 1);

  await sm.send(new TagResourceCommand({ SecretId: 'list/a', Tags: [{ Key: 'env', Value: 'dev' }] }));
  await sm.send(new UntagResourceCommand({ SecretId: 'list/a', TagKeys: ['team'] }));
  assert.deepEqual((await sm.send(new DescribeSecretCommand({ SecretId: 'list/a' }))).Tags, [{ Key: 'env', Value: 'dev' }]);

  const batch = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['list/a', 'list/none'] }));
  assert.deepEqual(batch.SecretValues?.map((v) => [v.Name, v.SecretString]), [['list/a', 'list/a']]);
  assert.deepEqual(batch.Errors?.map((e) => [e.SecretId, e.ErrorCode]), [['list/none', 'ResourceNotFoundException']]);

  const { RandomPassword } = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 40, ExcludePunctuation: true, ExcludeCharacters: 'abc' }));
  assert.equal(RandomPassword!.length, 40);
  assert.match(RandomPassword!, /^[d-zA-Z0-9]+$/);
  assert.match(RandomPassword!, /[A-Z]/);
  assert.match(RandomPassword!, /[0-9]/);
  assert.equal((await sm.send(new GetRandomPasswordCommand({}))).RandomPassword!.length, 32);

  await expectAwsError(sm.send(new RotateSecretCommand({ SecretId: 'list/a', RotationLambdaARN: 'arn:aws:lambda:us-east-1:000000000000:function:r' })),
    'InvalidRequestException', /^Rotation is not supported by Stagecraft/);
});
