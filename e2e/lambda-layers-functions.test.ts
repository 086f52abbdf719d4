// Functions referencing layers, end to end through the AWS SDK v3: Layers in CreateFunction and
// UpdateFunctionConfiguration with AWS's checks and messages, frozen into published versions, and
// kept when a layer version is deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PublishLayerVersionCommand, DeleteLayerVersionCommand, GetFunctionConfigurationCommand, GetFunctionCommand,
  UpdateFunctionConfigurationCommand, PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import { makeZip } from '../src/testing/zip.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction } from '../src/testing/functions.js';

const env = useServer();
const ARN = 'arn:aws:lambda:us-east-1:000000000000:layer';
const HANDLER = 'exports.handler = async () => "ok";\n';

async function publish(name: string, files: Record<string, string> = { 'nodejs/node_modules/m/index.js': 'module.exports = 1;\n' }) {
  const zip = await makeZip(files);
  const out = await env.lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zip } }));
  return { arn: out.LayerVersionArn!, size: zip.length };
}

test('Layers are shown as Arn and CodeSize, replaced or removed by UpdateFunctionConfiguration, frozen into versions', async () => {
  const a = await publish('fn-layer-a');
  const b = await publish('fn-layer-b', { 'python/x.py': 'X = 1\n', 'bin/tool': 'tool' });
  const created = await createNodeFunction(env.lambda, 'with-layers', HANDLER, { Layers: [a.arn, b.arn] });
  assert.deepEqual(created.Layers, [{ Arn: a.arn, CodeSize: a.size }, { Arn: b.arn, CodeSize: b.size }]);
  const config = await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'with-layers' }));
  assert.deepEqual(config.Layers, created.Layers);
  assert.equal((config as unknown as Record<string, unknown>).LayerHashes, undefined, 'internal fields stay internal');
  const v1 = await env.lambda.send(new PublishVersionCommand({ FunctionName: 'with-layers' }));
  assert.deepEqual(v1.Layers, created.Layers);

  const updated = await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'with-layers', Layers: [b.arn] }));
  assert.deepEqual(updated.Layers, [{ Arn: b.arn, CodeSize: b.size }]);
  assert.notEqual(updated.RevisionId, config.RevisionId);
  const v2 = await env.lambda.send(new PublishVersionCommand({ FunctionName: 'with-layers' }));
  assert.equal(v2.Version, '2', 'a change of layers is a change to publish');
  const other = await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'with-layers', Description: 'layers untouched' }));
  assert.deepEqual(other.Layers, [{ Arn: b.arn, CodeSize: b.size }]);
  const removed = await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'with-layers', Layers: [] }));
  assert.equal(removed.Layers, undefined);
  assert.deepEqual((await env.lambda.send(new GetFunctionCommand({ FunctionName: 'with-layers', Qualifier: '1' }))).Configuration?.Layers, created.Layers);

  // As on AWS, deleting a layer version leaves the functions that use it as they are.
  await env.lambda.send(new DeleteLayerVersionCommand({ LayerName: 'fn-layer-a', VersionNumber: 1 }));
  assert.deepEqual((await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'with-layers', Qualifier: '1' }))).Layers, created.Layers);
  await expectAwsError(env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'with-layers', Layers: [a.arn] })),
    'InvalidParameterValueException', `Layer version ${a.arn} does not exist.`, 400);
});

test('a function\'s Layers are checked as AWS checks them', async () => {
  const l1 = await publish('checks');
  const l2 = await publish('checks');
  const create = (Layers: string[]) => createNodeFunction(env.lambda, 'layer-checks', HANDLER, { Layers });
  const sameLayer = (x: string, y: string) => `Two different versions of the same layer are not allowed to be referenced in the same function. ${x} and ${y} are versions of the same layer.`;
  await expectAwsError(create([l1.arn, l2.arn]), 'InvalidParameterValueException', sameLayer(l1.arn, l2.arn), 400);
  await expectAwsError(create([l1.arn, l1.arn]), 'InvalidParameterValueException', sameLayer(l1.arn, l1.arn), 400);
  await expectAwsError(create([`${ARN}:doesnotexist:1`]), 'InvalidParameterValueException', `Layer version ${ARN}:doesnotexist:1 does not exist.`, 400);
  await expectAwsError(create([`${ARN}:checks:9`]), 'InvalidParameterValueException', `Layer version ${ARN}:checks:9 does not exist.`, 400);
  await expectAwsError(create([`${ARN}:checks`]), 'ValidationException',
    `1 validation error detected: Value '[${ARN}:checks]' at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+), Member must not be null]`, 400);
  await expectAwsError(create(['arn:aws:lambda:eu-west-1:000000000000:layer:checks:1']), 'InvalidParameterValueException',
    'Layers are not in the same region as the function. Layers are expected to be in region us-east-1.', 400);
  const six = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => publish(`six-${i}`)));
  await expectAwsError(create(six.map((l) => l.arn)), 'InvalidParameterValueException', 'Cannot reference more than 5 layers.', 400);
  const five = await create(six.slice(0, 5).map((l) => l.arn));
  assert.equal(five.Layers?.length, 5);
});
