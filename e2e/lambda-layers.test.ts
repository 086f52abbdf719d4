// Lambda layers' control plane end to end through the AWS SDK v3: publishing, reading, listing
// and deleting versions, and their permissions, with the answers AWS recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  PublishLayerVersionCommand, GetLayerVersionCommand, GetLayerVersionByArnCommand, ListLayersCommand, ListLayerVersionsCommand,
  DeleteLayerVersionCommand, AddLayerVersionPermissionCommand, RemoveLayerVersionPermissionCommand, GetLayerVersionPolicyCommand,
  type Runtime, type Architecture,
} from '@aws-sdk/client-lambda';
import { makeZip } from '../src/testing/zip.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();
const ARN = 'arn:aws:lambda:us-east-1:000000000000:layer';
const content = (text: string) => makeZip({ 'nodejs/node_modules/greeting/index.js': `module.exports = ${JSON.stringify(text)};\n` });

test('PublishLayerVersion numbers versions 1, 2, … and serves the content like function code', async () => {
  const zip = await content('hello');
  const v1 = await env.lambda.send(new PublishLayerVersionCommand({
    LayerName: 'lifecycle', Content: { ZipFile: zip }, CompatibleRuntimes: ['nodejs20.x'], CompatibleArchitectures: ['x86_64'],
    Description: 'greeting', LicenseInfo: 'MIT',
  }));
  assert.equal(v1.$metadata.httpStatusCode, 201);
  assert.equal(v1.LayerArn, `${ARN}:lifecycle`);
  assert.equal(v1.LayerVersionArn, `${ARN}:lifecycle:1`);
  assert.equal(v1.Version, 1);
  assert.equal(v1.Description, 'greeting');
  assert.equal(v1.LicenseInfo, 'MIT');
  assert.deepEqual(v1.CompatibleRuntimes, ['nodejs20.x']);
  assert.deepEqual(v1.CompatibleArchitectures, ['x86_64']);
  assert.match(v1.CreatedDate!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  assert.equal(v1.Content?.CodeSize, zip.length);
  assert.equal(v1.Content?.CodeSha256, createHash('sha256').update(zip).digest('base64'));
  const download = await fetch(v1.Content!.Location!);
  assert.equal(download.status, 200);
  assert.deepEqual(Buffer.from(await download.arrayBuffer()), zip);

  const v2 = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'lifecycle', Content: { ZipFile: zip } }));
  assert.equal(v2.Version, 2);
  assert.equal(v2.Description, '');
  // Not given: not shown (AWS omits them), while an empty list is shown empty.
  assert.equal(v2.CompatibleRuntimes, undefined);
  assert.equal(v2.CompatibleArchitectures, undefined);
  assert.equal(v2.LicenseInfo, undefined);
  const empty = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'lifecycle', Content: { ZipFile: zip }, CompatibleRuntimes: [], CompatibleArchitectures: [] }));
  assert.deepEqual([empty.Version, empty.CompatibleRuntimes, empty.CompatibleArchitectures], [3, [], []]);

  const got = await env.lambda.send(new GetLayerVersionCommand({ LayerName: 'lifecycle', VersionNumber: 1 }));
  assert.deepEqual({ ...got, $metadata: undefined }, { ...v1, $metadata: undefined });
  const byArn = await env.lambda.send(new GetLayerVersionByArnCommand({ Arn: `${ARN}:lifecycle:1` }));
  assert.deepEqual({ ...byArn, $metadata: undefined }, { ...v1, $metadata: undefined });
  const byLayerArn = await env.lambda.send(new GetLayerVersionCommand({ LayerName: `${ARN}:lifecycle`, VersionNumber: 2 }));
  assert.equal(byLayerArn.Version, 2);

  const listed = await env.lambda.send(new ListLayerVersionsCommand({ LayerName: 'lifecycle' }));
  assert.deepEqual(listed.LayerVersions?.map((v) => v.Version), [3, 2, 1]);
  assert.deepEqual(listed.LayerVersions?.[2], {
    LayerVersionArn: `${ARN}:lifecycle:1`, Version: 1, Description: 'greeting', CreatedDate: v1.CreatedDate, CompatibleRuntimes: ['nodejs20.x'],
    LicenseInfo: 'MIT', CompatibleArchitectures: ['x86_64'],
  });

  for (const v of [1, 2, 3]) {
    const deleted = await env.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'lifecycle', VersionNumber: v }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
  }
  // Deleting what is gone (or never was) answers 204 too.
  await env.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'lifecycle', VersionNumber: 1 }));
  await env.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'never-published', VersionNumber: 1 }));
  assert.deepEqual((await env.lambda.send(new ListLayerVersionsCommand({ LayerName: 'lifecycle' }))).LayerVersions, []);
  const again = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'lifecycle', Content: { ZipFile: zip } }));
  assert.equal(again.Version, 4, 'numbers are never reused');
});

test('layer version errors are worded as AWS words them', async () => {
  await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'errors', Content: { ZipFile: await content('x') } }));
  const missing = 'The resource you requested does not exist.';
  await expectAwsError(env.lambda.send(new GetLayerVersionCommand({ LayerName: 'errors-nope', VersionNumber: 1 })), 'ResourceNotFoundException', missing, 404);
  await expectAwsError(env.lambda.send(new GetLayerVersionCommand({ LayerName: 'errors', VersionNumber: 2 })), 'ResourceNotFoundException', missing, 404);
  for (const VersionNumber of [0, -1]) {
    await expectAwsError(env.lambda.send(new GetLayerVersionCommand({ LayerName: 'errors', VersionNumber })), 'InvalidParameterValueException', 'Layer Version Cannot be less than 1', 400);
  }
  await expectAwsError(env.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'errors', VersionNumber: -1 })), 'InvalidParameterValueException', 'Layer Version Cannot be less than 1', 400);
  await expectAwsError(env.lambda.send(new GetLayerVersionByArnCommand({ Arn: `${ARN}:errors:2` })), 'ResourceNotFoundException', missing, 404);
  await expectAwsError(env.lambda.send(new GetLayerVersionByArnCommand({ Arn: `${ARN}:errors` })), 'ValidationException',
    `1 validation error detected: Value '${ARN}:errors' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)`, 400);
  assert.deepEqual((await env.lambda.send(new ListLayerVersionsCommand({ LayerName: 'errors-nope' }))).LayerVersions, []);

  await expectAwsError(env.lambda.send(new ListLayersCommand({ CompatibleRuntime: 'runtimedoesnotexist' as Runtime })), 'ValidationException',
    /^1 validation error detected: Value 'runtimedoesnotexist' at 'compatibleRuntime' failed to satisfy constraint: Member must satisfy enum value set: \[ruby3\.5, ruby2\.6, .*, python2\.7\]$/, 400);
  await expectAwsError(env.lambda.send(new ListLayersCommand({ CompatibleArchitecture: 'archdoesnotexist' as Architecture })), 'ValidationException',
    "1 validation error detected: Value 'archdoesnotexist' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]", 400);

  const runtimes = '[nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x, nodejs22.x, java25, python3.10, python3.11, java21, ruby3.3, ruby3.4, ruby3.2, python3.8, python3.9, java17, nodejs16.x, dotnet10, dotnet8, java11, dotnet6, nodejs18.x, provided.al2, java8.al2]';
  await expectAwsError(env.lambda.send(new PublishLayerVersionCommand({
    LayerName: 'errors', Content: { ZipFile: await content('x') },
    CompatibleRuntimes: ['invalidruntime', 'invalidruntime2', 'nodejs20.x'] as Runtime[], CompatibleArchitectures: ['invalidarch', 'x86_64'] as Architecture[],
  })), 'ValidationException',
  `2 validation errors detected: Value '[invalidruntime, invalidruntime2, nodejs20.x]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: ${runtimes}; Value '[invalidarch, x86_64]' at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]`, 400);
  await expectAwsError(env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'errors', Content: { ZipFile: Buffer.from('not a zip') } })),
    'InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.', 400);
  await expectAwsError(env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'errors', Content: { S3Bucket: 'my-bucket', S3Key: 'layer.zip' } })), 'InvalidParameterValueException',
    'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist', 400);
  await expectAwsError(env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'errors', Content: { ZipFile: await makeZip({ '../evil.js': 'x' }) } })),
    'InvalidParameterValueException', "Could not unzip uploaded file: entry '../evil.js' points outside the code directory.", 400);
  assert.deepEqual((await env.lambda.send(new ListLayerVersionsCommand({ LayerName: 'errors' }))).LayerVersions?.map((v) => v.Version), [1], 'failed publishes take no number');
});

test('ListLayers shows each layer with its newest version matching the filters, in pages', async () => {
  const zip = await content('list');
  const publish = (LayerName: string, CompatibleRuntimes: Runtime[], CompatibleArchitectures: Architecture[]) =>
    env.lambda.send(new PublishLayerVersionCommand({ LayerName, Content: { ZipFile: zip }, CompatibleRuntimes, CompatibleArchitectures }));
  await publish('list-a', ['nodejs20.x'], ['x86_64']);
  await publish('list-a', ['python3.12'], ['arm64']);
  await publish('list-b', ['nodejs20.x', 'python3.12'], ['x86_64', 'arm64']);
  const names = (r: { Layers?: { LayerName?: string; LatestMatchingVersion?: { Version?: number } }[] }) =>
    r.Layers!.filter((l) => l.LayerName!.startsWith('list-')).map((l) => `${l.LayerName}:${l.LatestMatchingVersion?.Version}`);
  const all = await env.lambda.send(new ListLayersCommand({}));
  assert.deepEqual(names(all), ['list-a:2', 'list-b:1']);
  const a = all.Layers!.find((l) => l.LayerName === 'list-a')!;
  assert.equal(a.LayerArn, `${ARN}:list-a`);
  assert.equal(a.LatestMatchingVersion?.LayerVersionArn, `${ARN}:list-a:2`);
  assert.deepEqual(names(await env.lambda.send(new ListLayersCommand({ CompatibleRuntime: 'nodejs20.x' }))), ['list-a:1', 'list-b:1']);
  assert.deepEqual(names(await env.lambda.send(new ListLayersCommand({ CompatibleArchitecture: 'arm64' }))), ['list-a:2', 'list-b:1']);
  assert.deepEqual(names(await env.lambda.send(new ListLayersCommand({ CompatibleRuntime: 'nodejs20.x', CompatibleArchitecture: 'arm64' }))), ['list-b:1']);
  const versions = await env.lambda.send(new ListLayerVersionsCommand({ LayerName: 'list-a', CompatibleRuntime: 'python3.12' }));
  assert.deepEqual(versions.LayerVersions?.map((v) => v.Version), [2]);

  const seen: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await env.lambda.send(new ListLayersCommand({ MaxItems: 1, Marker }));
    assert.ok(page.Layers!.length <= 1);
    seen.push(...page.Layers!.map((l) => l.LayerName!));
    Marker = page.NextMarker;
  } while (Marker);
  assert.deepEqual(seen, all.Layers!.map((l) => l.LayerName));
  const first = await env.lambda.send(new ListLayerVersionsCommand({ LayerName: 'list-a', MaxItems: 1 }));
  assert.deepEqual(first.LayerVersions?.map((v) => v.Version), [2]);
  const second = await env.lambda.send(new ListLayerVersionsCommand({ LayerName: 'list-a', MaxItems: 1, Marker: first.NextMarker }));
  assert.deepEqual([second.LayerVersions?.map((v) => v.Version), second.NextMarker], [[1], undefined]);
});

test('layer version permissions: add, read, remove, with revisions and AWS errors', async () => {
  await env.lambda.send(new PublishLayerVersionCommand({ LayerName: 'shared', Content: { ZipFile: await content('p') } }));
  const layer = { LayerName: 'shared', VersionNumber: 1 };
  const resource = `${ARN}:shared:1`;
  await expectAwsError(env.lambda.send(new GetLayerVersionPolicyCommand(layer)), 'ResourceNotFoundException', 'No policy is associated with the given resource.', 404);
  const s1 = await env.lambda.send(new AddLayerVersionPermissionCommand({ ...layer, StatementId: 's1', Action: 'lambda:GetLayerVersion', Principal: '*' }));
  assert.equal(s1.$metadata.httpStatusCode, 201);
  assert.deepEqual(JSON.parse(s1.Statement!), { Sid: 's1', Effect: 'Allow', Principal: '*', Action: 'lambda:GetLayerVersion', Resource: resource });
  const policy = await env.lambda.send(new GetLayerVersionPolicyCommand(layer));
  assert.equal(policy.RevisionId, s1.RevisionId);
  assert.deepEqual(JSON.parse(policy.Policy!), { Version: '2012-10-17', Id: 'default', Statement: [JSON.parse(s1.Statement!)] });

  await expectAwsError(env.lambda.send(new AddLayerVersionPermissionCommand({ ...layer, StatementId: 's1', Action: 'lambda:GetLayerVersion', Principal: '*' })),
    'ResourceConflictException', 'The statement id (s1) provided already exists. Please provide a new statement id, or remove the existing statement.', 409);
  await expectAwsError(env.lambda.send(new AddLayerVersionPermissionCommand({ ...layer, StatementId: 's9', Action: '*', Principal: '*' })),
    'ValidationException', "1 validation error detected: Value '*' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: lambda:GetLayerVersion", 400);
  const stale = 'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id';
  await expectAwsError(env.lambda.send(new AddLayerVersionPermissionCommand({ ...layer, StatementId: 's2', Action: 'lambda:GetLayerVersion', Principal: '*', RevisionId: 'wrong' })),
    'PreconditionFailedException', stale, 412);
  const s2 = await env.lambda.send(new AddLayerVersionPermissionCommand({ ...layer, StatementId: 's2', Action: 'lambda:GetLayerVersion', Principal: '123456789012', RevisionId: s1.RevisionId }));
  assert.deepEqual(JSON.parse(s2.Statement!).Principal, { AWS: 'arn:aws:iam::123456789012:root' });
  assert.notEqual(s2.RevisionId, s1.RevisionId);

  for (const [name, version] of [['shared-nope', 1], ['shared', 2]] as const) {
    const gone = `Layer version ${ARN}:${name}:${version} does not exist.`;
    const where = { LayerName: name, VersionNumber: version };
    await expectAwsError(env.lambda.send(new AddLayerVersionPermissionCommand({ ...where, StatementId: 's1', Action: 'lambda:GetLayerVersion', Principal: '*' })), 'ResourceNotFoundException', gone, 404);
    await expectAwsError(env.lambda.send(new GetLayerVersionPolicyCommand(where)), 'ResourceNotFoundException', gone, 404);
    await expectAwsError(env.lambda.send(new RemoveLayerVersionPermissionCommand({ ...where, StatementId: 's1' })), 'ResourceNotFoundException', gone, 404);
  }
  await expectAwsError(env.lambda.send(new RemoveLayerVersionPermissionCommand({ ...layer, StatementId: 'doesnotexist' })),
    'ResourceNotFoundException', 'Statement doesnotexist is not found in resource policy.', 404);
  await expectAwsError(env.lambda.send(new RemoveLayerVersionPermissionCommand({ ...layer, StatementId: 's2', RevisionId: 'wrong' })), 'PreconditionFailedException', stale, 412);
  const removed = await env.lambda.send(new RemoveLayerVersionPermissionCommand({ ...layer, StatementId: 's2' }));
  assert.equal(removed.$metadata.httpStatusCode, 204);
  const after = await env.lambda.send(new GetLayerVersionPolicyCommand(layer));
  assert.deepEqual(JSON.parse(after.Policy!).Statement.map((s: { Sid: string }) => s.Sid), ['s1']);
  assert.notEqual(after.RevisionId, s2.RevisionId);
  await env.lambda.send(new RemoveLayerVersionPermissionCommand({ ...layer, StatementId: 's1' }));
  await expectAwsError(env.lambda.send(new GetLayerVersionPolicyCommand(layer)), 'ResourceNotFoundException', 'No policy is associated with the given resource.', 404);
});
