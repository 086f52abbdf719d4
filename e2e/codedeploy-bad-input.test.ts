// CodeDeploy's JSON 1.1 endpoint refuses a body over its 1 MiB limit with 413, as the other JSON 1.1
// services here do, not with a 400.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

test('a body over 1 MiB is 413 RequestEntityTooLargeException', async () => {
  const body = JSON.stringify({ deploymentId: 'd-ABCDEFGH1', lifecycleEventHookExecutionId: 'x'.repeat(1024 * 1024), status: 'Succeeded' });
  const res = await fetch(`${env.url}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus',
      Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/codedeploy/aws4_request, SignedHeaders=host, Signature=x',
    },
    body,
  });
  assert.equal(res.status, 413);
  assert.equal(res.headers.get('x-amzn-errortype'), 'RequestEntityTooLargeException');
  assert.match(await res.text(), /Request must be smaller than 1048576 bytes\./);
});
