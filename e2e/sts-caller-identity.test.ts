// STS GetCallerIdentity over the query protocol: AWS CLI v2, SDK v3, and raw signed-less requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STSClient, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { testCredentials, testRegion } from '../src/testing/server.js';
import { awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';

const env = useServer();

test('aws sts get-caller-identity names the account root', async () => {
  const r = await awsCli(env.url, ['sts', 'get-caller-identity']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json(), { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
});

test('the SDK v3 STS client gets the same identity; unsupported actions fail in the query error format', async () => {
  const sts = new STSClient({ endpoint: env.url, region: testRegion, credentials: testCredentials, maxAttempts: 1 });
  try {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(id.Account, '000000000000');
    assert.equal(id.Arn, 'arn:aws:iam::000000000000:root');
    assert.equal(id.UserId, '000000000000');
    assert.ok(id.$metadata.requestId);
    await assert.rejects(sts.send(new GetSessionTokenCommand({})), (e: any) => {
      assert.equal(e.name, 'InvalidAction');
      assert.equal(e.$metadata.httpStatusCode, 501);
      return true;
    });
  } finally {
    sts.destroy();
  }
});

test('wire format: form POST and query-string GET give the XML document; unknown actions give an ErrorResponse', async () => {
  const post = await fetch(env.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  assert.equal(post.status, 200);
  assert.equal(post.headers.get('content-type'), 'text/xml');
  const requestId = post.headers.get('x-amzn-requestid');
  assert.equal(await post.text(),
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
    + '<UserId>000000000000</UserId><Account>000000000000</Account><Arn>arn:aws:iam::000000000000:root</Arn>'
    + `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);

  const get = await fetch(`${env.url}/?Action=GetCallerIdentity&Version=2011-06-15`);
  assert.equal(get.status, 200);
  assert.match(await get.text(), /<Arn>arn:aws:iam::000000000000:root<\/Arn>/);

  const unknown = await fetch(`${env.url}/?Action=NoSuchAction&Version=2011-06-15`);
  assert.equal(unknown.status, 400);
  const body = await unknown.text();
  assert.match(body, /^<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
  assert.match(body, /<Message>Could not find operation NoSuchAction for version 2011-06-15<\/Message>/);
});
