// SSM Parameter Store through the AWS CLI (`aws ssm …`): put, get with and without decryption,
// by path, history, and AWS's errors as the CLI shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from '../src/testing/fixture.js';
import { awsCli } from '../src/testing/aws.js';
import { testAccount, testRegion } from '../src/testing/server.js';

const fixture = useServer();

test('aws ssm: put-parameter, get-parameter(s), get-parameters-by-path, history, errors', { timeout: 120_000 }, async () => {
  const cli = (...args: string[]) => awsCli(fixture.url, ['ssm', ...args]);
  const put = await cli('put-parameter', '--name', '/cli/db/url', '--value', 'postgres://db', '--type', 'String');
  assert.equal(put.code, 0, put.stderr);
  assert.deepEqual(put.json(), { Version: 1, Tier: 'Standard' });
  assert.equal((await cli('put-parameter', '--name', '/cli/db/password', '--value', 's3cret', '--type', 'SecureString')).code, 0);

  const got = await cli('get-parameter', '--name', '/cli/db/url');
  assert.equal(got.code, 0, got.stderr);
  const { Parameter } = got.json();
  assert.equal(Parameter.Value, 'postgres://db');
  assert.equal(Parameter.ARN, `arn:aws:ssm:${testRegion}:${testAccount}:parameter/cli/db/url`);
  assert.equal(typeof Parameter.LastModifiedDate, 'string');
  assert.notEqual((await cli('get-parameter', '--name', '/cli/db/password')).json().Parameter.Value, 's3cret');
  assert.equal((await cli('get-parameter', '--name', '/cli/db/password', '--with-decryption')).json().Parameter.Value, 's3cret');

  const byPath = await cli('get-parameters-by-path', '--path', '/cli', '--recursive', '--with-decryption');
  assert.equal(byPath.code, 0, byPath.stderr);
  assert.deepEqual(byPath.json().Parameters.map((p: { Name: string; Value: string }) => [p.Name, p.Value]),
    [['/cli/db/password', 's3cret'], ['/cli/db/url', 'postgres://db']]);

  const exists = await cli('put-parameter', '--name', '/cli/db/url', '--value', 'x', '--type', 'String');
  assert.notEqual(exists.code, 0);
  assert.match(exists.stderr, /An error occurred \(ParameterAlreadyExists\) when calling the PutParameter operation(?: \(reached max retries: \d+\))?: The parameter already exists\. To overwrite this value, set the overwrite option in the request to true\./);
  assert.equal((await cli('put-parameter', '--name', '/cli/db/url', '--value', 'postgres://db2', '--overwrite')).json().Version, 2);
  const history = await cli('get-parameter-history', '--name', '/cli/db/url');
  assert.deepEqual(history.json().Parameters.map((p: { Version: number; Value: string }) => [p.Version, p.Value]), [[1, 'postgres://db'], [2, 'postgres://db2']]);

  const missing = await cli('get-parameter', '--name', '/cli/none');
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /An error occurred \(ParameterNotFound\) when calling the GetParameter operation(?: \(reached max retries: \d+\))?: \s*$/);
  const reserved = await cli('put-parameter', '--name', 'aws-thing', '--value', 'x', '--type', 'String');
  assert.match(reserved.stderr, /\(ValidationException\) when calling the PutParameter operation(?: \(reached max retries: \d+\))?: Parameter name: can't be prefixed with "aws" or "ssm" \(case-insensitive\)\.\s*$/);
  assert.equal((await cli('delete-parameter', '--name', '/cli/db/url')).code, 0);
});
