// Lambda control plane end to end through the AWS SDK v3: functions, versions, aliases,
// permissions, concurrency, tags, with AWS's error types and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateFunctionCommand, GetFunctionCommand, GetFunctionConfigurationCommand, ListFunctionsCommand, UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand, DeleteFunctionCommand, PublishVersionCommand, ListVersionsByFunctionCommand, CreateAliasCommand,
  GetAliasCommand, UpdateAliasCommand, DeleteAliasCommand, ListAliasesCommand, AddPermissionCommand, GetPolicyCommand,
  RemovePermissionCommand, PutFunctionConcurrencyCommand, GetFunctionConcurrencyCommand, DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand, TagResourceCommand, UntagResourceCommand, ListTagsCommand, type ListFunctionsResponse,
} from '@aws-sdk/client-lambda';
import { makeZip } from '../src/testing/zip.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();
const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';
const code = (body: string) => makeZip({ 'index.js': `exports.handler = async () => ${JSON.stringify(body)};\n` });

async function createFn(name: string, extra: Record<string, unknown> = {}) {
  return env.lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: await code('v1') }, ...extra }));
}

test('CreateFunction answers with AWS defaults and a Pending state; GetFunction shows it Active with a working code URL', async () => {
  const created = await createFn('fn-defaults');
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.equal(created.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:fn-defaults');
  assert.equal(created.Version, '$LATEST');
  assert.equal(created.Timeout, 3);
  assert.equal(created.MemorySize, 128);
  assert.equal(created.Description, '');
  assert.deepEqual(created.Architectures, ['x86_64']);
  assert.equal(created.PackageType, 'Zip');
  assert.equal(created.State, 'Pending');
  assert.equal(created.StateReasonCode, 'Creating');
  assert.deepEqual(created.LoggingConfig, { LogFormat: 'Text', LogGroup: '/aws/lambda/fn-defaults' });
  assert.match(created.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  const zip = await code('v1');
  assert.equal(created.CodeSize, zip.length);

  const got = await env.lambda.send(new GetFunctionCommand({ FunctionName: 'fn-defaults' }));
  assert.equal(got.Configuration!.State, 'Active');
  assert.equal(got.Configuration!.LastUpdateStatus, 'Successful');
  assert.equal(got.Code!.RepositoryType, 'S3');
  const download = await fetch(got.Code!.Location!);
  assert.equal(download.status, 200);
  assert.deepEqual(Buffer.from(await download.arrayBuffer()), zip);
});

test('CreateFunction rejects duplicates, bad runtimes, bad names, bad roles and oversized environments as AWS does', async () => {
  await createFn('fn-dup');
  await expectAwsError(createFn('fn-dup'), 'ResourceConflictException', 'Function already exist: fn-dup', 409);
  await expectAwsError(createFn('fn-bad-runtime', { Runtime: 'PYTHON3.9' }), 'InvalidParameterValueException', /^Value PYTHON3\.9 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[nodejs20\.x, /);
  await expectAwsError(createFn('fn-retired', { Runtime: 'nodejs12.x' }), 'InvalidParameterValueException', 'The runtime parameter of nodejs12.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.');
  await expectAwsError(createFn('fn-bad-role', { Role: 'r1' }), 'ValidationException',
    "1 validation error detected: Value 'r1' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
  await expectAwsError(createFn('bad name!'), 'ValidationException', /at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  await expectAwsError(createFn('fn-timeout', { Timeout: 901 }), 'ValidationException', "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900");
  await expectAwsError(createFn('fn-env', { Environment: { Variables: { LARGE: 'x'.repeat(5000) } } }), 'InvalidParameterValueException', /exceeded the 4KB limit\. String measured: \{"LARGE":"x+"\}$/);
  await expectAwsError(createFn('fn-reserved', { Environment: { Variables: { AWS_REGION: 'x' } } }), 'InvalidParameterValueException', /Reserved keys used in this request: AWS_REGION/);
  await expectAwsError(createFn('fn-multi-arch', { Architectures: ['x86_64', 'arm64'] }), 'ValidationException',
    "1 validation error detected: Value '[x86_64, arm64]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1");
  await expectAwsError(env.lambda.send(new CreateFunctionCommand({ FunctionName: 'fn-s3', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { S3Bucket: 'my-bucket', S3Key: 'code.zip' } })),
    'InvalidParameterValueException', 'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist');
  // Nothing half-made remains from the failures.
  await expectAwsError(env.lambda.send(new GetFunctionCommand({ FunctionName: 'fn-bad-runtime' })), 'ResourceNotFoundException',
    'Function not found: arn:aws:lambda:us-east-1:000000000000:function:fn-bad-runtime', 404);
});

test('updates change $LATEST, move LastUpdateStatus, and honour RevisionId preconditions', async () => {
  const created = await createFn('fn-update');
  const conf = await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-update', MemorySize: 512, Timeout: 10, Description: 'changed', Environment: { Variables: { ENV_A: 'a' } }, Handler: 'index.handler2' }));
  assert.equal(conf.LastUpdateStatus, 'InProgress');
  assert.equal(conf.MemorySize, 512);
  assert.notEqual(conf.RevisionId, created.RevisionId);
  const got = await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-update' }));
  assert.equal(got.LastUpdateStatus, 'Successful');
  assert.deepEqual(got.Environment, { Variables: { ENV_A: 'a' } });
  assert.equal(got.Handler, 'index.handler2');
  await expectAwsError(env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-update', Timeout: 5, RevisionId: created.RevisionId })),
    'PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', 412);
  const updated = await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn-update', ZipFile: await code('v2') }));
  assert.notEqual(updated.CodeSha256, created.CodeSha256);
  assert.equal(updated.MemorySize, 512, 'configuration survives a code update');
  await expectAwsError(env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'missing-fn', ZipFile: await code('v2') })), 'ResourceNotFoundException',
    'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing-fn');
});

test('versions are immutable snapshots whose numbers only grow; unchanged $LATEST republishes nothing', async () => {
  await createFn('fn-versions');
  const v1 = await env.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-versions' }));
  assert.equal(v1.Version, '1');
  assert.equal(v1.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:fn-versions:1');
  const again = await env.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-versions' }));
  assert.equal(again.Version, '1', 'no change since version 1');
  await expectAwsError(env.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-versions', CodeSha256: 'nope' })), 'InvalidParameterValueException',
    `CodeSHA256 (nope) is different from current CodeSHA256 in $LATEST (${v1.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`);
  await expectAwsError(env.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-versions', RevisionId: 'stale' })), 'PreconditionFailedException');
  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-versions', Timeout: 7 }));
  const v2 = await env.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-versions', Description: 'second' }));
  assert.equal(v2.Version, '2');
  assert.equal(v2.Description, 'second');
  // Version 1 kept its configuration.
  const old = await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-versions', Qualifier: '1' }));
  assert.equal(old.Timeout, 3);
  // Deleting version 2 does not reuse its number.
  await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn-versions', Qualifier: '2' }));
  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-versions', Timeout: 8 }));
  const v3 = await env.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-versions' }));
  assert.equal(v3.Version, '3');
  const listed = await env.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn-versions' }));
  assert.deepEqual(listed.Versions!.map((v) => v.Version), ['$LATEST', '1', '3']);
  // Publishing with UpdateFunctionCode(Publish).
  const published = await env.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn-versions', ZipFile: await code('v4'), Publish: true }));
  assert.equal(published.Version, '4');
  await expectAwsError(env.lambda.send(new GetFunctionCommand({ FunctionName: 'fn-versions', Qualifier: '1221' })), 'ResourceNotFoundException',
    'Function not found: arn:aws:lambda:us-east-1:000000000000:function:fn-versions:1221');
  await expectAwsError(env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn-versions', Qualifier: '$LATEST' })), 'InvalidParameterValueException',
    '$LATEST version cannot be deleted without deleting the function.');
  await expectAwsError(env.lambda.send(new GetFunctionCommand({ FunctionName: 'fn-versions:1', Qualifier: '3' })), 'InvalidParameterValueException',
    'The derived qualifier from the function name does not match the specified qualifier.');
});

test('aliases point at versions, weighted routing follows AWS constraints, qualifiers resolve everywhere', async () => {
  await createFn('fn-alias', { Publish: true });
  await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-alias', Timeout: 9 }));
  await env.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-alias' }));
  const prod = await env.lambda.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'prod', FunctionVersion: '1' }));
  assert.equal(prod.$metadata.httpStatusCode, 201);
  assert.equal(prod.AliasArn, 'arn:aws:lambda:us-east-1:000000000000:function:fn-alias:prod');
  assert.equal(prod.Description, '');
  await expectAwsError(env.lambda.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'prod', FunctionVersion: '1' })), 'ResourceConflictException',
    'Alias already exists: arn:aws:lambda:us-east-1:000000000000:function:fn-alias:prod', 409);
  await expectAwsError(env.lambda.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'x', FunctionVersion: '10' })), 'ResourceNotFoundException',
    'Function not found: arn:aws:lambda:us-east-1:000000000000:function:fn-alias:10');
  await expectAwsError(env.lambda.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'x', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 2 } } })),
    'ValidationException', "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]");
  await expectAwsError(env.lambda.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'x', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } })),
    'InvalidParameterValueException', 'Invalid function version 1. Function version 1 is already included in routing configuration.');
  await expectAwsError(env.lambda.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'x', FunctionVersion: '$LATEST', RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } } })),
    'InvalidParameterValueException', '$LATEST is not supported for an alias pointing to more than 1 version');
  await expectAwsError(env.lambda.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'x', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1, '3': 0.1 } } })),
    'InvalidParameterValueException', 'Number of items in AdditionalVersionWeights cannot be greater than 1');

  const canary = await env.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn-alias', Name: 'prod', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } }));
  assert.deepEqual(canary.RoutingConfig, { AdditionalVersionWeights: { '2': 0.1 } });
  await expectAwsError(env.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn-alias', Name: 'prod', FunctionVersion: '2', RevisionId: prod.RevisionId })), 'PreconditionFailedException');
  const moved = await env.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn-alias', Name: 'prod', FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } }));
  assert.equal(moved.FunctionVersion, '2');
  assert.equal(moved.RoutingConfig, undefined);
  const viaAlias = await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-alias:prod' }));
  assert.equal(viaAlias.Version, '2');
  assert.equal(viaAlias.Timeout, 9);
  await expectAwsError(env.lambda.send(new GetAliasCommand({ FunctionName: 'fn-alias', Name: 'nope' })), 'ResourceNotFoundException',
    'Cannot find alias arn: arn:aws:lambda:us-east-1:000000000000:function:fn-alias:nope');
  await expectAwsError(env.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn-alias', Name: 'nope', FunctionVersion: '1' })), 'ResourceNotFoundException',
    'Alias not found: arn:aws:lambda:us-east-1:000000000000:function:fn-alias:nope');
  await env.lambda.send(new CreateAliasCommand({ FunctionName: 'fn-alias', Name: 'dev', FunctionVersion: '$LATEST' }));
  const all = await env.lambda.send(new ListAliasesCommand({ FunctionName: 'fn-alias' }));
  assert.deepEqual(all.Aliases!.map((a) => a.Name), ['dev', 'prod']);
  const onTwo = await env.lambda.send(new ListAliasesCommand({ FunctionName: 'fn-alias', FunctionVersion: '2' }));
  assert.deepEqual(onTwo.Aliases!.map((a) => a.Name), ['prod']);
  await expectAwsError(env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn-alias', Qualifier: '2' })), 'ResourceConflictException', /prod/);
  await env.lambda.send(new DeleteAliasCommand({ FunctionName: 'fn-alias', Name: 'dev' }));
  await expectAwsError(env.lambda.send(new GetAliasCommand({ FunctionName: 'fn-alias', Name: 'dev' })), 'ResourceNotFoundException');
});

test('permissions are kept per qualifier with AWS statement shapes and errors', async () => {
  await createFn('fn-perm', { Publish: true });
  await env.lambda.send(new CreateAliasCommand({ FunctionName: 'fn-perm', Name: 'prod', FunctionVersion: '1' }));
  const added = await env.lambda.send(new AddPermissionCommand({
    FunctionName: 'fn-perm', Qualifier: 'prod', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com',
    SourceArn: 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/GET/hello',
  }));
  assert.equal(added.$metadata.httpStatusCode, 201);
  assert.deepEqual(JSON.parse(added.Statement!), {
    Sid: 'apigw', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction',
    Resource: 'arn:aws:lambda:us-east-1:000000000000:function:fn-perm:prod',
    Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:000000000000:abc123/*/GET/hello' } },
  });
  const policy = await env.lambda.send(new GetPolicyCommand({ FunctionName: 'fn-perm:prod' }));
  const doc = JSON.parse(policy.Policy!);
  assert.equal(doc.Version, '2012-10-17');
  assert.equal(doc.Statement.length, 1);
  await expectAwsError(env.lambda.send(new GetPolicyCommand({ FunctionName: 'fn-perm' })), 'ResourceNotFoundException', 'The resource you requested does not exist.');
  await expectAwsError(env.lambda.send(new AddPermissionCommand({ FunctionName: 'fn-perm', Qualifier: 'prod', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' })),
    'ResourceConflictException', 'The statement id (apigw) provided already exists. Please provide a new statement id, or remove the existing statement.');
  await expectAwsError(env.lambda.send(new AddPermissionCommand({ FunctionName: 'fn-perm', Qualifier: '$LATEST', StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' })),
    'InvalidParameterValueException', 'We currently do not support adding policies for $LATEST.');
  await expectAwsError(env.lambda.send(new AddPermissionCommand({ FunctionName: 'fn-perm', StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'invalid-principal' })),
    'InvalidParameterValueException', 'The provided principal was invalid. Please check the principal and try again.');
  await expectAwsError(env.lambda.send(new AddPermissionCommand({ FunctionName: 'fn-perm', Qualifier: 'nope', StatementId: 's', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' })),
    'ResourceNotFoundException', 'Cannot find alias arn: arn:aws:lambda:us-east-1:000000000000:function:fn-perm:nope');
  await expectAwsError(env.lambda.send(new AddPermissionCommand({ FunctionName: 'fn-perm', StatementId: 'example.com', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' })),
    'ValidationException', "1 validation error detected: Value 'example.com' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)");
  await expectAwsError(env.lambda.send(new RemovePermissionCommand({ FunctionName: 'fn-perm', Qualifier: 'prod', StatementId: 'other' })), 'ResourceNotFoundException',
    'Statement other is not found in resource policy.');
  await expectAwsError(env.lambda.send(new RemovePermissionCommand({ FunctionName: 'fn-perm', StatementId: 'other' })), 'ResourceNotFoundException',
    'No policy is associated with the given resource.');
  await env.lambda.send(new RemovePermissionCommand({ FunctionName: 'fn-perm', Qualifier: 'prod', StatementId: 'apigw' }));
  await expectAwsError(env.lambda.send(new GetPolicyCommand({ FunctionName: 'fn-perm', Qualifier: 'prod' })), 'ResourceNotFoundException');
});

test('reserved concurrency, account settings and tags', async () => {
  await createFn('fn-conc', { Tags: { team: 'a' } });
  const put = await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn-conc', ReservedConcurrentExecutions: 5 }));
  assert.equal(put.ReservedConcurrentExecutions, 5);
  assert.equal((await env.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'fn-conc' }))).ReservedConcurrentExecutions, 5);
  const settings = await env.lambda.send(new GetAccountSettingsCommand({}));
  assert.equal(settings.AccountLimit!.ConcurrentExecutions, 1000);
  assert.equal(settings.AccountLimit!.UnreservedConcurrentExecutions, 995);
  assert.ok(settings.AccountUsage!.FunctionCount! >= 1);
  await expectAwsError(env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn-conc:1', ReservedConcurrentExecutions: 1 })), 'InvalidParameterValueException',
    /This operation is permitted on Lambda functions only/);
  await expectAwsError(env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'nope', ReservedConcurrentExecutions: 1 })), 'ResourceNotFoundException',
    'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope:$LATEST');
  await expectAwsError(env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn-conc', ReservedConcurrentExecutions: 950 })), 'InvalidParameterValueException',
    "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].");
  await env.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'fn-conc' }));
  assert.equal((await env.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'fn-conc' }))).ReservedConcurrentExecutions, undefined);

  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:fn-conc';
  await env.lambda.send(new TagResourceCommand({ Resource: arn, Tags: { env: 'dev' } }));
  assert.deepEqual((await env.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags, { team: 'a', env: 'dev' });
  await env.lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['team'] }));
  assert.deepEqual((await env.lambda.send(new ListTagsCommand({ Resource: arn }))).Tags, { env: 'dev' });
  await expectAwsError(env.lambda.send(new TagResourceCommand({ Resource: `${arn}:1`, Tags: { a: 'b' } })), 'InvalidParameterValueException',
    'Tags on function aliases and versions are not supported. Please specify a function ARN.');
  await expectAwsError(env.lambda.send(new ListTagsCommand({ Resource: 'arn:aws:lambda:us-east-1:000000000000:function:nope' })), 'ResourceNotFoundException');
  await expectAwsError(env.lambda.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:000000000000:function:fn-conc' })), 'ResourceNotFoundException',
    "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')");
});

test('ListFunctions pages with Marker/MaxItems and lists every version with FunctionVersion=ALL', async () => {
  const names = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
  for (const n of names) await createFn(n, { Publish: true });
  const seen: string[] = [];
  let marker: string | undefined;
  do {
    const page: ListFunctionsResponse = await env.lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
    assert.ok(page.Functions!.length <= 2);
    seen.push(...page.Functions!.map((f) => f.FunctionName!));
    marker = page.NextMarker;
  } while (marker);
  for (const n of names) assert.equal(seen.filter((s) => s === n).length, 1, `${n} listed exactly once`);
  const allVersions: string[] = [];
  marker = undefined;
  do {
    const page: ListFunctionsResponse = await env.lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL', MaxItems: 3, Marker: marker }));
    allVersions.push(...page.Functions!.map((f) => f.FunctionArn!));
    marker = page.NextMarker;
  } while (marker);
  assert.ok(allVersions.includes('arn:aws:lambda:us-east-1:000000000000:function:page-c:$LATEST'));
  assert.ok(allVersions.includes('arn:aws:lambda:us-east-1:000000000000:function:page-c:1'));
  assert.equal(new Set(allVersions).size, allVersions.length, 'no duplicates across pages');
});

test('DeleteFunction removes the function with its versions, aliases and policies', async () => {
  await createFn('fn-delete', { Publish: true });
  await env.lambda.send(new CreateAliasCommand({ FunctionName: 'fn-delete', Name: 'live', FunctionVersion: '1' }));
  const del = await env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn-delete' }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await expectAwsError(env.lambda.send(new GetFunctionCommand({ FunctionName: 'fn-delete' })), 'ResourceNotFoundException');
  await expectAwsError(env.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn-delete' })), 'ResourceNotFoundException');
  // A new function of the same name starts from scratch.
  await createFn('fn-delete');
  const v = await env.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-delete' }));
  assert.equal(v.Version, '1');
  await expectAwsError(env.lambda.send(new GetAliasCommand({ FunctionName: 'fn-delete', Name: 'live' })), 'ResourceNotFoundException');
});
