// SSM Parameter Store through SDK v3: parameters put, overwritten and read by name, version, label
// and ARN; SecureString decrypted only on request; paths, filters and paging; history, labels and
// tags; AWS's errors for each refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddTagsToResourceCommand, DeleteParameterCommand, DeleteParametersCommand, DescribeParametersCommand, GetParameterCommand, GetParameterHistoryCommand,
  GetParametersByPathCommand, GetParametersCommand, LabelParameterVersionCommand, ListTagsForResourceCommand, PutParameterCommand, RemoveTagsFromResourceCommand,
  UnlabelParameterVersionCommand, type SSMClient,
} from '@aws-sdk/client-ssm';
import { useServer } from '../src/testing/fixture.js';
import { ssmClient } from '../src/testing/aws.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { testAccount, testRegion } from '../src/testing/server.js';

const env = useServer();
let ssm: SSMClient;
env.setup(() => {
  ssm = ssmClient(env.url);
});

const arnOf = (name: string) => `arn:aws:ssm:${testRegion}:${testAccount}:parameter/${name.replace(/^\//, '')}`;

test('put, overwrite and get a parameter by name, version, label and ARN', async () => {
  const put = await ssm.send(new PutParameterCommand({ Name: '/app/db/host', Value: 'db-1', Type: 'String', Description: 'the host' }));
  assert.deepEqual([put.Version, put.Tier], [1, 'Standard']);
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/app/db/host', Value: 'db-2', Type: 'String' })), 'ParameterAlreadyExists',
    'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.', 400);
  assert.equal((await ssm.send(new PutParameterCommand({ Name: '/app/db/host', Value: 'db-2', Overwrite: true }))).Version, 2);

  const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/app/db/host' }));
  assert.equal(Parameter?.Value, 'db-2');
  assert.equal(Parameter?.Type, 'String');
  assert.equal(Parameter?.Version, 2);
  assert.equal(Parameter?.ARN, arnOf('/app/db/host'));
  assert.equal(Parameter?.DataType, 'text');
  assert.ok(Parameter?.LastModifiedDate instanceof Date);
  const first = await ssm.send(new GetParameterCommand({ Name: '/app/db/host:1' }));
  assert.deepEqual([first.Parameter?.Value, first.Parameter?.Selector, first.Parameter?.Version], ['db-1', ':1', 1]);
  await ssm.send(new LabelParameterVersionCommand({ Name: '/app/db/host', ParameterVersion: 1, Labels: ['stable'] }));
  assert.equal((await ssm.send(new GetParameterCommand({ Name: '/app/db/host:stable' }))).Parameter?.Value, 'db-1');
  assert.equal((await ssm.send(new GetParameterCommand({ Name: arnOf('/app/db/host') }))).Parameter?.Value, 'db-2');
  await expectAwsError(ssm.send(new GetParameterCommand({ Name: '/app/db/host:7' })), 'ParameterVersionNotFound',
    'Systems Manager could not find version 7 of /app/db/host. Verify the version and try again.', 400);
  await expectAwsError(ssm.send(new GetParameterCommand({ Name: '/app/db/nothing' })), 'ParameterNotFound', undefined, 400);
  await expectAwsError(ssm.send(new GetParameterCommand({ Name: '/app/db/host:nolabel' })), 'ParameterNotFound', undefined, 400);
  await expectAwsError(ssm.send(new GetParameterCommand({ Name: '/app/db/host:1:2' })), 'ParameterNotFound', undefined, 400);
});

test('SecureString values are answered decrypted only WithDecryption, StringList as given', async () => {
  await ssm.send(new PutParameterCommand({ Name: '/sec/password', Value: 'hunter2', Type: 'SecureString' }));
  await ssm.send(new PutParameterCommand({ Name: '/sec/list', Value: 'a,b,c', Type: 'StringList' }));
  const hidden = (await ssm.send(new GetParameterCommand({ Name: '/sec/password' }))).Parameter!;
  assert.equal(hidden.Type, 'SecureString');
  assert.notEqual(hidden.Value, 'hunter2');
  assert.ok(!Buffer.from(hidden.Value!, 'base64').toString('latin1').includes('hunter2'));
  assert.equal((await ssm.send(new GetParameterCommand({ Name: '/sec/password', WithDecryption: true }))).Parameter?.Value, 'hunter2');
  const both = await ssm.send(new GetParametersCommand({ Names: ['/sec/password', '/sec/list', '/sec/missing'], WithDecryption: true }));
  assert.deepEqual(both.Parameters?.map((p) => [p.Name, p.Value]), [['/sec/password', 'hunter2'], ['/sec/list', 'a,b,c']]);
  assert.deepEqual(both.InvalidParameters, ['/sec/missing']);
  const described = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/sec/password'] }] }));
  assert.equal(described.Parameters?.[0].KeyId, 'alias/aws/ssm');
});

test('names, values, tiers and patterns are checked as AWS checks them', async () => {
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/AWSsec/x', Value: 'v', Type: 'String' })), 'AccessDeniedException',
    'No access to reserved parameter name: AWSsec/x.', 400);
  const reserved = 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).';
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: 'SSM-param', Value: 'v', Type: 'String' })), 'ValidationException', reserved, 400);
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/awsTest', Value: 'v', Type: 'String' })), 'ValidationException', reserved);
  const invalidPath = 'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; '
    + 'each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/ssm/x', Value: 'v', Type: 'String' })), 'ValidationException', invalidPath);
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/app/a b', Value: 'v', Type: 'String' })), 'ValidationException', invalidPath);
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: 'a/b', Value: 'v', Type: 'String' })), 'ValidationException', 'Parameter name must be a fully qualified name.');
  const deep = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`;
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: deep, Value: 'v', Type: 'String' })), 'HierarchyLevelLimitExceededException', /maximum of 15 levels/);
  assert.equal((await ssm.send(new PutParameterCommand({ Name: deep.slice(0, deep.lastIndexOf('/')), Value: 'v', Type: 'String' }))).Version, 1);
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/big', Value: 'x'.repeat(4097), Type: 'String' })), 'ValidationException', /^Standard tier parameters support a maximum parameter value of 4096 characters\./);
  assert.equal((await ssm.send(new PutParameterCommand({ Name: '/big', Value: 'x'.repeat(4097), Type: 'String', Tier: 'Advanced' }))).Tier, 'Advanced');
  assert.equal((await ssm.send(new PutParameterCommand({ Name: '/auto', Value: 'x'.repeat(5000), Type: 'String', Tier: 'Intelligent-Tiering' }))).Tier, 'Advanced');
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/big2', Value: 'x'.repeat(8193), Type: 'String', Tier: 'Advanced' })), 'ValidationException');
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/port', Value: 'abc', Type: 'String', AllowedPattern: '^\\d+$' })), 'ParameterPatternMismatchException',
    'Parameter value, cannot be validated against allowedPattern: ^\\d+$');
  await ssm.send(new PutParameterCommand({ Name: '/port', Value: '8080', Type: 'String', AllowedPattern: '^\\d+$' }));
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/port', Value: 'x', Overwrite: true })), 'ParameterPatternMismatchException');
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/tagged', Value: 'v', Type: 'String', Overwrite: true, Tags: [{ Key: 'k', Value: 'v' }] })),
    'ValidationException', /^Invalid request: tags and overwrite can't be used together\./);
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/empty', Value: '', Type: 'String' })), 'ValidationException',
    '1 validation error detected: Value \'\' at \'value\' failed to satisfy constraint: Member must have length greater than or equal to 1.');
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/untyped', Value: 'v' })), 'ValidationException', 'A parameter type is required when you create a parameter.');
  assert.equal((await ssm.send(new PutParameterCommand({ Name: '/ami', Value: 'ami-12345678', Type: 'String', DataType: 'aws:ec2:image' }))).Version, 1);
  assert.equal((await ssm.send(new GetParameterCommand({ Name: '/ami' }))).Parameter?.DataType, 'aws:ec2:image');
});

test('GetParametersByPath: one level or recursive, filtered, a page at a time', async () => {
  for (const name of ['/tree/a', '/tree/b', '/tree/c', '/tree/sub/d', '/tree/sub/deeper/e', '/treehouse']) {
    await ssm.send(new PutParameterCommand({ Name: name, Value: name, Type: name.endsWith('c') ? 'SecureString' : 'String' }));
  }
  const level = await ssm.send(new GetParametersByPathCommand({ Path: '/tree' }));
  assert.deepEqual(level.Parameters?.map((p) => p.Name), ['/tree/a', '/tree/b', '/tree/c']);
  const names: string[] = [];
  let NextToken: string | undefined;
  let pages = 0;
  do {
    const page = await ssm.send(new GetParametersByPathCommand({ Path: '/tree/', Recursive: true, MaxResults: 2, NextToken }));
    names.push(...page.Parameters!.map((p) => p.Name!));
    NextToken = page.NextToken;
    pages++;
  } while (NextToken);
  assert.deepEqual(names, ['/tree/a', '/tree/b', '/tree/c', '/tree/sub/d', '/tree/sub/deeper/e']);
  assert.equal(pages, 3);
  const secure = await ssm.send(new GetParametersByPathCommand({ Path: '/tree', Recursive: true, ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }], WithDecryption: true }));
  assert.deepEqual(secure.Parameters?.map((p) => [p.Name, p.Value]), [['/tree/c', '/tree/c']]);
  await expectAwsError(ssm.send(new GetParametersByPathCommand({ Path: '/tree', MaxResults: 11 })), 'ValidationException',
    /Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10/);
  await expectAwsError(ssm.send(new GetParametersByPathCommand({ Path: 'tree' })), 'ValidationException', /must begin with a forward slash/);
  await expectAwsError(ssm.send(new GetParametersByPathCommand({ Path: '/tree', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })), 'InvalidFilterKey');
});

test('DescribeParameters: Name BeginsWith, Path, Type filters, paging', async () => {
  for (const name of ['/desc/x1', '/desc/x2', '/desc/y/z', '/other']) await ssm.send(new PutParameterCommand({ Name: name, Value: '1', Type: 'String' }));
  const begins = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/desc/x'] }] }));
  assert.deepEqual(begins.Parameters?.map((p) => p.Name), ['/desc/x1', '/desc/x2']);
  assert.equal(begins.Parameters?.[0].ARN, arnOf('/desc/x1'));
  assert.equal(begins.Parameters?.[0].Version, 1);
  assert.equal(begins.Parameters?.[0].LastModifiedUser, `arn:aws:iam::${testAccount}:root`);
  const path = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/desc'] }], MaxResults: 2 }));
  assert.deepEqual(path.Parameters?.map((p) => p.Name), ['/desc/x1', '/desc/x2']);
  const rest = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/desc'] }], NextToken: path.NextToken }));
  assert.deepEqual(rest.Parameters?.map((p) => p.Name), ['/desc/y/z']);
  assert.equal(rest.NextToken, undefined);
  const legacy = await ssm.send(new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: ['/desc/y'] }] }));
  assert.deepEqual(legacy.Parameters?.map((p) => p.Name), ['/desc/y/z']);
  await expectAwsError(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Option: 'BeginsWith', Values: ['/desc'] }] })), 'InvalidFilterOption');
});

test('history, labels moving between versions, and deletes', async () => {
  for (const v of ['one', 'two', 'three']) await ssm.send(new PutParameterCommand({ Name: '/hist', Value: v, Type: 'String', Overwrite: true }));
  const labelled = await ssm.send(new LabelParameterVersionCommand({ Name: '/hist', ParameterVersion: 1, Labels: ['prod', 'aws-bad', '9lives'] }));
  assert.deepEqual([labelled.ParameterVersion, labelled.InvalidLabels], [1, ['aws-bad', '9lives']]);
  await ssm.send(new LabelParameterVersionCommand({ Name: '/hist', Labels: ['prod'] }));
  const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/hist' }));
  assert.deepEqual(history.Parameters?.map((p) => [p.Version, p.Value, p.Labels]), [[1, 'one', []], [2, 'two', []], [3, 'three', ['prod']]]);
  const unlabelled = await ssm.send(new UnlabelParameterVersionCommand({ Name: '/hist', ParameterVersion: 3, Labels: ['prod', 'none'] }));
  assert.deepEqual([unlabelled.RemovedLabels, unlabelled.InvalidLabels], [['prod'], ['none']]);
  await expectAwsError(ssm.send(new LabelParameterVersionCommand({ Name: '/hist', ParameterVersion: 9, Labels: ['x'] })), 'ParameterVersionNotFound');
  await ssm.send(new LabelParameterVersionCommand({ Name: '/hist', Labels: Array.from({ length: 10 }, (_, i) => `l${i}`) }));
  await expectAwsError(ssm.send(new LabelParameterVersionCommand({ Name: '/hist', Labels: ['l10'] })), 'ParameterVersionLabelLimitExceeded');

  await ssm.send(new DeleteParameterCommand({ Name: '/hist' }));
  await expectAwsError(ssm.send(new GetParameterCommand({ Name: '/hist' })), 'ParameterNotFound');
  await expectAwsError(ssm.send(new DeleteParameterCommand({ Name: '/hist' })), 'ParameterNotFound');
  await ssm.send(new PutParameterCommand({ Name: '/del/a', Value: '1', Type: 'String' }));
  const deleted = await ssm.send(new DeleteParametersCommand({ Names: ['/del/a', '/del/b'] }));
  assert.deepEqual([deleted.DeletedParameters, deleted.InvalidParameters], [['/del/a'], ['/del/b']]);
});

test('tags on create and through the tagging operations', async () => {
  await ssm.send(new PutParameterCommand({ Name: '/tags/p', Value: '1', Type: 'String', Tags: [{ Key: 'team', Value: 'a' }] }));
  await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'b' }] }));
  await ssm.send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p', TagKeys: ['env'] }));
  const listed = await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/p' }));
  assert.deepEqual(listed.TagList, [{ Key: 'team', Value: 'b' }]);
  const byTag = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'tag:team', Values: ['b'] }] }));
  assert.deepEqual(byTag.Parameters?.map((p) => p.Name), ['/tags/p']);
  await expectAwsError(ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tags/none' })), 'InvalidResourceId', undefined, 400);
});

test('concurrent overwrites each get their own version, none lost', async () => {
  await ssm.send(new PutParameterCommand({ Name: '/race', Value: 'v0', Type: 'String' }));
  const puts = await Promise.all(Array.from({ length: 8 }, (_, i) => ssm.send(new PutParameterCommand({ Name: '/race', Value: `v${i + 1}`, Overwrite: true }))));
  assert.deepEqual(puts.map((p) => p.Version).sort((a, b) => a! - b!), [2, 3, 4, 5, 6, 7, 8, 9]);
  const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/race' }));
  assert.deepEqual(history.Parameters?.map((p) => p.Value).sort(), ['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
});

test('a filter or tag missing a required member is a ValidationException naming its path (the fuzz found a 500)', async () => {
  await expectAwsError(ssm.send(new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: ['x'] }, {} as never] })), 'ValidationException',
    "2 validation errors detected: Value null at 'filters.2.member.key' failed to satisfy constraint: Member must not be null; "
    + "Value null at 'filters.2.member.values' failed to satisfy constraint: Member must not be null", 400);
  await expectAwsError(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Values: ['x'] } as never] })), 'ValidationException',
    "1 validation error detected: Value null at 'parameterFilters.1.member.key' failed to satisfy constraint: Member must not be null", 400);
  await expectAwsError(ssm.send(new PutParameterCommand({ Name: '/fuzzed/tags', Value: 'v', Type: 'String', Tags: [{ Key: 'team' } as never] })), 'ValidationException',
    "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null", 400);
});
