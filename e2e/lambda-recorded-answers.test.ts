// Answers that once differed from what AWS recorded (tests/aws/services/lambda_ in the recordings
// named in each test): ARN patterns as AWS checks them today, map key constraints, taggable
// resources Stagecraft does not serve, provisioned and reserved concurrency limits, name length,
// and PublishVersion after a description change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAliasCommand, DeleteFunctionCommand, GetAccountSettingsCommand, PublishLayerVersionCommand, GetFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, ListFunctionsCommand, ListTagsCommand, PublishVersionCommand, PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand,
  PutProvisionedConcurrencyConfigCommand, TagResourceCommand, UntagResourceCommand, UpdateFunctionConfigurationCommand, ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { makeZip } from '../src/testing/zip.js';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';
import { testAccount, testRegion } from '../src/testing/server.js';

const env = useServer();
const HANDLER = 'exports.handler = async () => "ok";';
const PREFIX = `arn:aws:lambda:${testRegion}:${testAccount}`;
const REGION = '(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?';

test('name patterns name the sovereign-cloud regions as AWS does today (test_function_arns, test_invalid_invoke)', async () => {
  await expectAwsError(createNodeFunction(env.lambda, 'invalid:function:name', HANDLER), 'ValidationException',
    "1 validation error detected: Value 'invalid:function:name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
    + `(arn:(aws[a-zA-Z-]*)?:lambda:)?(${REGION}-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`, 400);
  const bad = `arn:aws:lambda:${testRegion}:123400000000@function:myfn`;
  await expectAwsError(env.lambda.send(new InvokeCommand({ FunctionName: bad })), 'ValidationException',
    `1 validation error detected: Value '${bad}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: `
    + `(arn:(aws[a-zA-Z-]*)?:lambda:)?(${REGION}-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`, 400);
});

test('a function name over 64 characters is refused as AWS words it (test_function_arns long_function_name_exc)', async () => {
  const name = 'a'.repeat(65);
  await expectAwsError(createNodeFunction(env.lambda, name, HANDLER), 'InvalidParameterValueException',
    `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`, 400);
  const ok = await createNodeFunction(env.lambda, 'b'.repeat(64), HANDLER);
  assert.equal(ok.FunctionName, 'b'.repeat(64));
});

test('tagging: the resource pattern includes layers; event source mappings and capacity providers are not found (TestLambdaTag)', async () => {
  const resourcePattern = `arn:(aws[a-zA-Z-]*):lambda:${REGION}-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)`;
  await expectAwsError(env.lambda.send(new TagResourceCommand({ Resource: 'arn:aws:something', Tags: { a: 'b' } })), 'ValidationException',
    `1 validation error detected: Value 'arn:aws:something' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: ${resourcePattern}`, 400);
  const esm = `${PREFIX}:event-source-mapping:a1b2c3d4-0000-4000-8000-000000000000`;
  await expectAwsError(env.lambda.send(new TagResourceCommand({ Resource: esm, Tags: { a: 'b' } })), 'ResourceNotFoundException', `Event source mapping not found: ${esm}`, 404);
  await expectAwsError(env.lambda.send(new UntagResourceCommand({ Resource: esm, TagKeys: ['a'] })), 'ResourceNotFoundException', `Event source mapping not found: ${esm}`, 404);
  const provider = `${PREFIX}:capacity-provider:cp1`;
  await expectAwsError(env.lambda.send(new ListTagsCommand({ Resource: provider })), 'ResourceNotFoundException', `Capacity provider not found: ${provider}`, 404);
});

test('routing weights and destinations: constraints worded as recorded (test_notfound_and_invalid_routingconfigs, test_lambda_eventinvokeconfig_exceptions)', async () => {
  await createNodeFunction(env.lambda, 'rec-routing', HANDLER, { Publish: true });
  await expectAwsError(env.lambda.send(new CreateAliasCommand({ FunctionName: 'rec-routing', Name: 'a', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { $LATEST: 0.5 } } })),
    'ValidationException', "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]", 400);
  const destination = `arn:aws:_-/!lambda:${testRegion}:${testAccount}:function:rec-routing`;
  await expectAwsError(env.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'rec-routing', DestinationConfig: { OnFailure: { Destination: destination } } })),
    'ValidationException', `1 validation error detected: Value '${destination}' at 'destinationConfig.onFailure.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: `
    + `$|kafka://([^.]([a-zA-Z0-9\\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:(${REGION}-[a-z]+-\\d{1})?:(\\d{12})?:(.*)`, 400);
});

test('provisioned concurrency: $LATEST on Put, and the reserved concurrency it must fit in (test_provisioned_concurrency_exceptions, test_reserved_provisioned_overlap)', async () => {
  const { lambda } = env;
  await createNodeFunction(lambda, 'rec-overlap', HANDLER, { Publish: true });
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rec-overlap', Description: 'two' }));
  assert.equal((await lambda.send(new PublishVersionCommand({ FunctionName: 'rec-overlap' }))).Version, '2');
  await expectAwsError(lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'rec-overlap', Qualifier: '$LATEST', ProvisionedConcurrentExecutions: 1 })),
    'InvalidParameterValueException', 'Provisioned Concurrency Configs cannot be applied to unpublished function versions.', 400);
  await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'rec-overlap', Qualifier: '1', ProvisionedConcurrentExecutions: 2 }));
  await expectAwsError(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'rec-overlap', ReservedConcurrentExecutions: 1 })),
    'InvalidParameterValueException', " ReservedConcurrentExecutions  1 should not be lower than function's total provisioned concurrency [2].", 400);
  assert.equal((await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'rec-overlap', ReservedConcurrentExecutions: 2 }))).ReservedConcurrentExecutions, 2);
  const tooMuch = 'Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function';
  await expectAwsError(lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'rec-overlap', Qualifier: '1', ProvisionedConcurrentExecutions: 3 })), 'InvalidParameterValueException', tooMuch, 400);
  await expectAwsError(lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'rec-overlap', Qualifier: '2', ProvisionedConcurrentExecutions: 1 })), 'InvalidParameterValueException', tooMuch, 400);
  // Replacing a setting within the reservation is fine.
  const replaced = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'rec-overlap', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));
  assert.equal(replaced.RequestedProvisionedConcurrentExecutions, 1);
});

test('PublishVersion publishes again after only the description changed, and not twice (test_version_lifecycle)', async () => {
  const { lambda } = env;
  await createNodeFunction(lambda, 'rec-publish', HANDLER);
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rec-publish', Description: 'First version :)' }));
  const first = await lambda.send(new PublishVersionCommand({ FunctionName: 'rec-publish', Description: 'First version description :)' }));
  assert.equal(first.Version, '1');
  assert.equal(first.Description, 'First version description :)');
  // Nothing changed since: the version's own description does not count as a change.
  assert.equal((await lambda.send(new PublishVersionCommand({ FunctionName: 'rec-publish' }))).Version, '1');
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rec-publish', Description: 'Second version :))' }));
  const second = await lambda.send(new PublishVersionCommand({ FunctionName: 'rec-publish' }));
  assert.equal(second.Version, '2');
  assert.equal(second.Description, 'Second version :))');
  const third = await lambda.send(new PublishVersionCommand({ FunctionName: 'rec-publish' }));
  assert.equal(third.Version, '2');
  assert.equal(third.RevisionId, second.RevisionId);
  const listed = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'rec-publish' }));
  assert.deepEqual(listed.Versions!.map((v) => v.Version), ['$LATEST', '1', '2']);
  assert.ok(listed.Versions!.every((v) => !('SourceDescription' in v)));
});

test('ListFunctions and ListVersionsByFunction leave out state, update status and runtime version, as AWS does (test_list_functions, test_publish_version_on_create)', async () => {
  const { lambda } = env;
  await createNodeFunction(lambda, 'rec-list', HANDLER, { Publish: true });
  const hidden = ['State', 'StateReason', 'StateReasonCode', 'LastUpdateStatus', 'LastUpdateStatusReason', 'LastUpdateStatusReasonCode', 'RuntimeVersionConfig'];
  const versions = (await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'rec-list' }))).Versions!;
  const functions = (await lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }))).Functions!.filter((f) => f.FunctionName === 'rec-list');
  assert.equal(versions.length, 2);
  assert.equal(functions.length, 2);
  for (const item of [...versions, ...functions]) {
    for (const field of hidden) assert.equal(field in item, false, `${field} listed`);
    assert.deepEqual(item.SnapStart, { ApplyOn: 'None', OptimizationStatus: 'Off' });
    assert.deepEqual(item.EphemeralStorage, { Size: 512 });
    assert.equal(item.PackageType, 'Zip');
  }
  // A single function's configuration still has them.
  const one = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'rec-list', Qualifier: '1' }));
  assert.equal(one.State, 'Active');
  assert.equal(one.LastUpdateStatus, 'Successful');
  assert.ok(one.RuntimeVersionConfig?.RuntimeVersionArn);
});

test('function names and qualifiers: AWS reading of odd ARNs, Invoke naming $LATEST, alias deletion, report order (test_function_name_and_qualifier_validation)', async () => {
  const { lambda } = env;
  const incomplete = `${PREFIX}:function`;
  await expectAwsError(lambda.send(new GetFunctionCommand({ FunctionName: incomplete })), 'ResourceNotFoundException', `Function not found: ${PREFIX}:function:function`, 404);
  await expectAwsError(lambda.send(new InvokeCommand({ FunctionName: incomplete })), 'ResourceNotFoundException', `Function not found: ${PREFIX}:function:function:$LATEST`, 404);
  await expectAwsError(lambda.send(new InvokeCommand({ FunctionName: 'rec-missing' })), 'ResourceNotFoundException', `Function not found: ${PREFIX}:function:rec-missing:$LATEST`, 404);
  await expectAwsError(lambda.send(new InvokeCommand({ FunctionName: 'rec-missing', Qualifier: '3' })), 'ResourceNotFoundException', `Function not found: ${PREFIX}:function:rec-missing:3`, 404);
  await expectAwsError(lambda.send(new DeleteFunctionCommand({ FunctionName: 'rec-missing', Qualifier: 'a'.repeat(65) })), 'InvalidParameterValueException', 'Deletion of aliases is not currently supported.', 400);
  await expectAwsError(lambda.send(new DeleteFunctionCommand({ FunctionName: 'rec-missing', Qualifier: '$latest' })), 'ResourceNotFoundException', `Function not found: ${PREFIX}:function:rec-missing`, 404);
  const long = `arn:aws:lambda:invalid-region:${testAccount}:function:my-function-${'a'.repeat(170)}`;
  await expectAwsError(lambda.send(new GetFunctionCommand({ FunctionName: long, Qualifier: 'a'.repeat(129) })), 'ValidationException',
    new RegExp(`^2 validation errors detected: Value 'a{129}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128; Value '${long.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: `), 400);
});

test('GetAccountSettings counts layer versions in TotalCodeSize, and each published version (test_account_settings_total_code_size)', async () => {
  const { lambda } = env;
  const total = async () => (await lambda.send(new GetAccountSettingsCommand({}))).AccountUsage!.TotalCodeSize!;
  const before = await total();
  const created = await createNodeFunction(lambda, 'rec-size', HANDLER);
  assert.equal(await total(), before + created.CodeSize!);
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rec-size', Description: 'changed' }));
  assert.equal(await total(), before + created.CodeSize!);
  await lambda.send(new PublishVersionCommand({ FunctionName: 'rec-size' }));
  assert.equal(await total(), before + 2 * created.CodeSize!);
  const layerZip = await makeZip({ 'nodejs/node_modules/x/index.js': 'module.exports = 1;' });
  const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'rec-size-layer', Content: { ZipFile: layerZip } }));
  assert.equal(layer.Content!.CodeSize, layerZip.length);
  assert.equal(await total(), before + 2 * created.CodeSize! + layerZip.length);
});

test('LoggingConfig: JSON logs get INFO log levels unless given, text logs none (TestLoggingConfig)', async () => {
  const { lambda } = env;
  const created = await createNodeFunction(lambda, 'rec-logs', HANDLER, { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG' } });
  assert.deepEqual(created.LoggingConfig, { LogFormat: 'JSON', LogGroup: '/aws/lambda/rec-logs', ApplicationLogLevel: 'DEBUG', SystemLogLevel: 'INFO' });
  const text = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rec-logs', LoggingConfig: { LogFormat: 'Text' } }));
  assert.deepEqual(text.LoggingConfig, { LogFormat: 'Text', LogGroup: '/aws/lambda/rec-logs' });
  const json = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rec-logs', LoggingConfig: { LogFormat: 'JSON' } }));
  assert.deepEqual(json.LoggingConfig, { LogFormat: 'JSON', LogGroup: '/aws/lambda/rec-logs', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' });
  const group = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rec-logs', LoggingConfig: { LogGroup: 'cool_lambda' } }));
  assert.deepEqual(group.LoggingConfig, { LogFormat: 'JSON', LogGroup: 'cool_lambda', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' });
  const read = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'rec-logs' }));
  assert.deepEqual(read.LoggingConfig, group.LoggingConfig);
});

test('UpdateFunctionConfiguration keeps SnapStart.ApplyOn, optimisation Off (test_snapstart_update_function_configuration)', async () => {
  const { lambda } = env;
  await createNodeFunction(lambda, 'rec-snapstart', HANDLER);
  const updated = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'rec-snapstart', SnapStart: { ApplyOn: 'PublishedVersions' } }));
  assert.deepEqual(updated.SnapStart, { ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' });
  assert.deepEqual((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'rec-snapstart' }))).SnapStart, { ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' });
});
