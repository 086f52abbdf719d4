// EphemeralStorage end to end through SDK v3: the size is validated and shown as AWS does, and
// enforced on /tmp (a tmpfs of that size in the sandbox): 600 MB do not fit in 512 MB (the handler
// sees ENOSPC), and after UpdateFunctionConfiguration to 1024 MB the same write succeeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GetFunctionConfigurationCommand, InvokeCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { expectAwsError } from '../src/testing/aws-errors.js';
import { FILL_SOURCE } from '../src/testing/fill-tmp.js';

const env = useServer();

/** Fills /tmp/fill with `mb` MiB, reports how far it got, and removes the file. */
const FILL = `${FILL_SOURCE}
exports.handler = async (e) => {
  try {
    return fill('/tmp/fill', e.mb);
  } finally {
    require('fs').rmSync('/tmp/fill');
  }
};`;

async function sandboxed(): Promise<boolean> {
  const health = (await (await fetch(`${env.url}/_stagecraft/health`)).json()) as { sandbox: { mode: string } };
  return health.sandbox.mode === 'bubblewrap';
}

async function fill(name: string, mb: number): Promise<{ written: number; error?: string; message?: string }> {
  const res = await env.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ mb })) }));
  assert.equal(res.FunctionError, undefined, Buffer.from(res.Payload!).toString());
  return JSON.parse(Buffer.from(res.Payload!).toString());
}

test('EphemeralStorage: out of range sizes are refused as AWS refuses them', async () => {
  await expectAwsError(createNodeFunction(env.lambda, 'eph-small', FILL, { EphemeralStorage: { Size: 256 } }), 'ValidationException',
    "1 validation error detected: Value '256' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value greater than or equal to 512", 400);
  await createNodeFunction(env.lambda, 'eph-range', FILL);
  await expectAwsError(env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'eph-range', EphemeralStorage: { Size: 10241 } })), 'ValidationException',
    "1 validation error detected: Value '10241' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value less than or equal to 10240", 400);
  const config = await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'eph-range' }));
  assert.deepEqual(config.EphemeralStorage, { Size: 512 }, "AWS's default");
});

test('EphemeralStorage: 600 MB do not fit in a 512 MB /tmp, and fit once it is 1024 MB', async (t) => {
  if (!(await sandboxed())) {
    assert.ok(process.env.STAGECRAFT_REQUIRE_SANDBOX !== '1', 'bubblewrap is required here but unavailable');
    return t.skip('unsandboxed: /tmp is a host directory, not limited');
  }
  await createNodeFunction(env.lambda, 'eph-fill', FILL, { EphemeralStorage: { Size: 512 } });
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: 'eph-fill' });
  assert.deepEqual(await fill('eph-fill', 600), { error: 'ENOSPC', message: 'ENOSPC: no space left on device, write', written: 512 << 20 });

  const updated = await env.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'eph-fill', EphemeralStorage: { Size: 1024 } }));
  assert.deepEqual(updated.EphemeralStorage, { Size: 1024 });
  await waitUntilFunctionUpdatedV2({ client: env.lambda, maxWaitTime: 30 }, { FunctionName: 'eph-fill' });
  assert.deepEqual((await env.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'eph-fill' }))).EphemeralStorage, { Size: 1024 });
  // The warm 512 MB environment went with the update: a new one has the new size.
  assert.deepEqual(await fill('eph-fill', 600), { written: 600 << 20 });
});
