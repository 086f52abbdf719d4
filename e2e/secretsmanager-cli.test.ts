// Secrets Manager through the AWS CLI (`aws secretsmanager …`): create, read, put a new value,
// describe, delete and restore, and AWS's errors as the CLI shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';

const fixture = useServer();

test('aws secretsmanager: create-secret, get-secret-value, put-secret-value, delete and restore, errors', { timeout: 120_000 }, async () => {
  const cli = (...args: string[]) => awsCli(fixture.url, ['secretsmanager', ...args]);
  const created = await cli('create-secret', '--name', 'cli/api-key', '--secret-string', 'k1', '--description', 'from the CLI');
  assert.equal(created.code, 0, created.stderr);
  const { ARN, VersionId } = created.json();
  assert.match(ARN, /:secret:cli\/api-key-[A-Za-z0-9]{6}$/);
  assert.match(VersionId, /^[0-9a-f-]{36}$/);

  const got = await cli('get-secret-value', '--secret-id', 'cli/api-key');
  assert.equal(got.code, 0, got.stderr);
  assert.deepEqual([got.json().SecretString, got.json().VersionStages], ['k1', ['AWSCURRENT']]);
  assert.equal(typeof got.json().CreatedDate, 'string');
  assert.equal((await cli('put-secret-value', '--secret-id', ARN, '--secret-string', 'k2')).code, 0);
  assert.equal((await cli('get-secret-value', '--secret-id', ARN)).json().SecretString, 'k2');
  assert.equal((await cli('get-secret-value', '--secret-id', 'cli/api-key', '--version-stage', 'AWSPREVIOUS')).json().SecretString, 'k1');
  const described = await cli('describe-secret', '--secret-id', 'cli/api-key');
  assert.equal(described.json().Description, 'from the CLI');

  const deleted = await cli('delete-secret', '--secret-id', 'cli/api-key', '--recovery-window-in-days', '7');
  assert.equal(deleted.code, 0, deleted.stderr);
  const refused = await cli('get-secret-value', '--secret-id', 'cli/api-key');
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /An error occurred \(InvalidRequestException\) when calling the GetSecretValue operation(?: \(reached max retries: \d+\))?: You can't perform this operation on the secret because it was marked for deletion\./);
  assert.equal((await cli('restore-secret', '--secret-id', 'cli/api-key')).code, 0);
  assert.equal((await cli('get-secret-value', '--secret-id', 'cli/api-key')).json().SecretString, 'k2');

  const missing = await cli('get-secret-value', '--secret-id', 'cli/none');
  assert.match(missing.stderr, /An error occurred \(ResourceNotFoundException\) when calling the GetSecretValue operation(?: \(reached max retries: \d+\))?: Secrets Manager can't find the specified secret\./);
  const exists = await cli('create-secret', '--name', 'cli/api-key', '--secret-string', 'x');
  assert.match(exists.stderr, /\(ResourceExistsException\) when calling the CreateSecret operation(?: \(reached max retries: \d+\))?: The operation failed because the secret cli\/api-key already exists\./);
  const password = await cli('get-random-password', '--password-length', '20', '--exclude-punctuation');
  assert.match(password.json().RandomPassword, /^[A-Za-z0-9]{20}$/);
});
