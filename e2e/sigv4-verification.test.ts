// SigV4 verification (`STAGECRAFT_CREDENTIALS` / `--credentials-file`): the SDK v3 and the AWS CLI
// with a configured key work as before; a wrong secret, an unknown key, an unsigned or stale
// request and a body changed after signing are refused with each protocol's AWS error. Functions get
// temporary credentials the server accepts (with their session token), so their own calls succeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { APIGatewayClient, CreateRestApiCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { testRegion } from '../src/testing/server.js';
import { awsCli } from '../src/testing/aws.js';
import { useServer } from '../src/testing/fixture.js';
import { nodeHandlerZip } from '../src/testing/zip.js';
import { startServerProcess } from '../src/testing/server.js';
import { createSigningFunction } from '../src/testing/signing-function.js';
import { signedFetch } from '../src/deploy/clients.js';

const KEY = { accessKeyId: 'AKIASTAGECRAFTTEST1', secretAccessKey: 'first-secret/with+chars' };
const env = useServer({ env: { STAGECRAFT_CREDENTIALS: `test:test,${KEY.accessKeyId}:${KEY.secretAccessKey}` } });
const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

type Credentials = { accessKeyId: string; secretAccessKey: string };
const config = (credentials: Credentials, extra: Record<string, unknown> = {}) => ({ endpoint: env.url, region: testRegion, credentials, maxAttempts: 1, ...extra });
const WRONG_SECRET = { accessKeyId: KEY.accessKeyId, secretAccessKey: 'not-the-secret' };
const UNKNOWN_KEY = { accessKeyId: 'AKIAUNKNOWNKEY00000', secretAccessKey: 'whatever' };
const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

async function rejectsWith(promise: Promise<unknown>, name: string, status: number, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (e: any) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata?.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

test('the health endpoint says signatures are verified', async () => {
  const health = (await (await fetch(`${env.url}/_stagecraft/health`)).json()) as { authentication: string };
  assert.equal(health.authentication, 'sigv4');
});

test('SDK v3 with a configured key: a zip upload, an invoke of a qualified name with a payload, API Gateway, Logs and STS', async () => {
  const lambda = new LambdaClient(config(KEY));
  const apigw = new APIGatewayClient(config(KEY));
  const logs = new CloudWatchLogsClient(config(KEY));
  const sts = new STSClient(config(KEY));
  try {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'signed-fn', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Publish: true,
      Code: { ZipFile: await nodeHandlerZip('exports.handler = async (e) => ({ echoed: e });') },
    }));
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'signed-fn:1', Payload: Buffer.from(JSON.stringify({ word: 'ünïcode & spaces' })) }));
    assert.deepEqual(JSON.parse(Buffer.from(out.Payload!).toString()), { echoed: { word: 'ünïcode & spaces' } });
    const byArn = await lambda.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:signed-fn:$LATEST', Payload: Buffer.from('[1,2]') }));
    assert.deepEqual(JSON.parse(Buffer.from(byArn.Payload!).toString()), { echoed: [1, 2] });
    const listed = await lambda.send(new ListFunctionsCommand({ MaxItems: 5 }));
    assert.ok(listed.Functions!.some((f) => f.FunctionName === 'signed-fn'));
    const api = await apigw.send(new CreateRestApiCommand({ name: 'signed api' }));
    const resources = await apigw.send(new GetResourcesCommand({ restApiId: api.id!, limit: 10 }));
    assert.equal(resources.items![0].path, '/');
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/signed' }));
    assert.ok(Array.isArray(groups.logGroups));
    const who = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Account, '000000000000');
  } finally {
    for (const c of [lambda, apigw, logs, sts]) c.destroy();
  }
});

test('a compressed body (PutMetricData over 10 KB, gzipped by the SDK) is verified as sent and read decompressed', async () => {
  const sent: string[] = [];
  const cw = new CloudWatchClient(config(KEY));
  cw.middlewareStack.add((next) => async (args: any) => {
    sent.push(String(args.request.headers['content-encoding'] ?? ''));
    return next(args);
  }, { step: 'finalizeRequest', name: 'recordEncoding', priority: 'low' });
  try {
    const MetricData = Array.from({ length: 150 }, (_, i) => ({ MetricName: 'Compressed', Dimensions: [{ Name: 'Shard', Value: `shard-${i}` }], Value: i, Unit: 'Count' as const }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'Signed/Gzip', MetricData }));
    assert.deepEqual(sent, ['gzip']);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Signed/Gzip' }));
    assert.equal(listed.Metrics!.length, 150);
  } finally {
    cw.destroy();
  }
});

test('a wrong secret: InvalidSignatureException (403 on REST-JSON, 400 on JSON 1.1), SignatureDoesNotMatch on STS', async () => {
  const lambda = new LambdaClient(config(WRONG_SECRET));
  const apigw = new APIGatewayClient(config(WRONG_SECRET));
  const logs = new CloudWatchLogsClient(config(WRONG_SECRET));
  const sts = new STSClient(config(WRONG_SECRET));
  try {
    await rejectsWith(lambda.send(new ListFunctionsCommand({})), 'InvalidSignatureException', 403, MISMATCH);
    await rejectsWith(apigw.send(new CreateRestApiCommand({ name: 'never' })), 'InvalidSignatureException', 403, MISMATCH);
    await rejectsWith(logs.send(new DescribeLogGroupsCommand({})), 'InvalidSignatureException', 400, MISMATCH);
    await rejectsWith(sts.send(new GetCallerIdentityCommand({})), 'SignatureDoesNotMatch', 403, MISMATCH);
  } finally {
    for (const c of [lambda, apigw, logs, sts]) c.destroy();
  }
  // Nothing was created by the refused call.
  const apis = await env.apigw.send(new (await import('@aws-sdk/client-api-gateway')).GetRestApisCommand({}));
  assert.ok(!apis.items?.some((a) => a.name === 'never'));
});

test('an unknown access key: UnrecognizedClientException, and InvalidClientTokenId on STS', async () => {
  const lambda = new LambdaClient(config(UNKNOWN_KEY));
  const sts = new STSClient(config(UNKNOWN_KEY));
  try {
    await rejectsWith(lambda.send(new ListFunctionsCommand({})), 'UnrecognizedClientException', 403, 'The security token included in the request is invalid.');
    await rejectsWith(sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
  } finally {
    lambda.destroy();
    sts.destroy();
  }
});

test('a request signed more than 5 minutes ago is expired', async () => {
  const lambda = new LambdaClient(config(KEY, { systemClockOffset: -10 * 60_000 }));
  try {
    await rejectsWith(lambda.send(new ListFunctionsCommand({})), 'InvalidSignatureException', 403, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
  } finally {
    lambda.destroy();
  }
});

test('unsigned requests: 403 Missing Authentication Token (JSON) and MissingAuthenticationToken (STS)', async () => {
  const res = await fetch(`${env.url}/2015-03-31/functions/`);
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  assert.deepEqual(await res.json(), { message: 'Missing Authentication Token' });
  const sts = await fetch(env.url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
  assert.equal(sts.status, 403);
  const xml = await sts.text();
  assert.match(xml, /<Code>MissingAuthenticationToken<\/Code>/);
  assert.match(xml, /<Message>Request is missing Authentication Token<\/Message>/);
});

test('a body changed after signing is refused and not acted on', async () => {
  const url = new URL(`${env.url}/2015-03-31/functions`);
  const signer = new SignatureV4({ credentials: KEY, region: testRegion, service: 'lambda', sha256: Sha256 });
  const signedBody = JSON.stringify({ FunctionName: 'tampered' });
  const signed = await signer.sign({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {},
    headers: { host: url.host, 'content-type': 'application/json' }, body: signedBody,
  });
  const send = (body: string) => fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  const tampered = await send(JSON.stringify({ FunctionName: 'tampered', Role: ROLE, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: {} }));
  assert.equal(tampered.status, 403, await tampered.clone().text());
  assert.equal(tampered.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
  // The untouched body passes the signature check and reaches the operation (which validates it).
  const original = await send(signedBody);
  assert.notEqual(original.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
  assert.equal(original.status, 400);
});

test('the AWS CLI: the configured key works for uploads and invokes; a wrong secret is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-sigv4-'));
  writeFileSync(join(dir, 'fn.zip'), await nodeHandlerZip('exports.handler = async () => "signed by the CLI";'));
  const cliEnv = { AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey };
  const created = await awsCli(env.url, ['lambda', 'create-function', '--function-name', 'cli-signed', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
    '--role', ROLE, '--zip-file', `fileb://${join(dir, 'fn.zip')}`], { env: cliEnv });
  assert.equal(created.code, 0, created.stderr + created.stdout);
  const invoked = await awsCli(env.url, ['lambda', 'invoke', '--function-name', 'cli-signed', '--cli-binary-format', 'raw-in-base64-out', '--payload', '{"a":1}', join(dir, 'out.json')], { env: cliEnv });
  assert.equal(invoked.code, 0, invoked.stderr);
  const refused = await awsCli(env.url, ['lambda', 'list-functions'], { env: { ...cliEnv, AWS_SECRET_ACCESS_KEY: 'wrong' } });
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /InvalidSignatureException/);
  const sts = await awsCli(env.url, ['sts', 'get-caller-identity'], { env: { ...cliEnv, AWS_ACCESS_KEY_ID: 'AKIANOBODY000000' } });
  assert.notEqual(sts.code, 0);
  assert.match(sts.stderr, /InvalidClientTokenId/);
});

test('stagecraft serve refuses a malformed credentials list', async () => {
  await assert.rejects(startServerProcess({ env: { STAGECRAFT_CREDENTIALS: 'no-colon-here' } }), /entry 1 is not ACCESS_KEY_ID:SECRET_ACCESS_KEY/);
});

test('an AWS_IAM method verifies the caller\'s execute-api signature; NONE methods stay open', async () => {
  const { CreateResourceCommand, PutMethodCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodResponseCommand, CreateDeploymentCommand } = await import('@aws-sdk/client-api-gateway');
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'iam api' }));
  const root = api.rootResourceId!;
  for (const [part, authorizationType] of [['iam', 'AWS_IAM'], ['open', 'NONE']] as const) {
    const r = await env.apigw.send(new CreateResourceCommand({ restApiId: api.id!, parentId: root, pathPart: part }));
    await env.apigw.send(new PutMethodCommand({ restApiId: api.id!, resourceId: r.id!, httpMethod: 'POST', authorizationType }));
    await env.apigw.send(new PutIntegrationCommand({ restApiId: api.id!, resourceId: r.id!, httpMethod: 'POST', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await env.apigw.send(new PutMethodResponseCommand({ restApiId: api.id!, resourceId: r.id!, httpMethod: 'POST', statusCode: '200' }));
    await env.apigw.send(new PutIntegrationResponseCommand({ restApiId: api.id!, resourceId: r.id!, httpMethod: 'POST', statusCode: '200', responseTemplates: { 'application/json': '{"ok": true, "key": "$context.identity.accessKey"}' } }));
  }
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'dev' }));
  const url = new URL(`${env.url}/restapis/${api.id}/dev/_user_request_/iam?a=1&b=two%20words`);
  const signedCall = async (credentials: Credentials, body: string, sendBody = body) => {
    const signer = new SignatureV4({ credentials, region: testRegion, service: 'execute-api', sha256: Sha256 });
    const query = Object.fromEntries(url.searchParams);
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query,
      headers: { host: url.host, 'content-type': 'application/json' }, body,
    });
    return fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body: sendBody });
  };
  const ok = await signedCall(KEY, '{"x":1}');
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.deepEqual(await ok.json(), { ok: true, key: KEY.accessKeyId }, 'the caller\'s access key is $context.identity.accessKey');
  const wrong = await signedCall(WRONG_SECRET, '{"x":1}');
  assert.equal(wrong.status, 403);
  assert.equal(wrong.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
  assert.deepEqual(await wrong.json(), { message: MISMATCH });
  const tampered = await signedCall(KEY, '{"x":1}', '{"x":2}');
  assert.equal(tampered.status, 403);
  const unknown = await signedCall(UNKNOWN_KEY, '{}');
  assert.equal(unknown.status, 403);
  assert.equal(unknown.headers.get('x-amzn-errortype'), 'UnrecognizedClientException');
  assert.deepEqual(await unknown.json(), { message: 'The security token included in the request is invalid.' });
  const unsigned = await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(unsigned.status, 403);
  assert.deepEqual(await unsigned.json(), { message: 'Missing Authentication Token' });
  // A presigned URL (the signature in the query) verifies the same way; a tampered or expired one does not.
  const presignedCall = async (credentials: Credentials, options: { expiresIn?: number; signingDate?: Date } = {}) => {
    const signer = new SignatureV4({ credentials, region: testRegion, service: 'execute-api', sha256: Sha256 });
    const presigned = await signer.presign({
      method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { host: url.host },
    }, options);
    return `${url.origin}${url.pathname}?${new URLSearchParams(presigned.query as Record<string, string>)}`;
  };
  const presignedOk = await fetch(await presignedCall(KEY), { method: 'POST' });
  assert.equal(presignedOk.status, 200, await presignedOk.clone().text());
  assert.deepEqual(await presignedOk.json(), { ok: true, key: KEY.accessKeyId });
  const presignedTampered = await fetch((await presignedCall(KEY)).replace('b=two', 'b=three'), { method: 'POST' });
  assert.equal(presignedTampered.status, 403);
  assert.deepEqual(await presignedTampered.json(), { message: MISMATCH });
  const presignedExpired = await fetch(await presignedCall(KEY, { expiresIn: 30, signingDate: new Date(Date.now() - 60_000) }), { method: 'POST' });
  assert.equal(presignedExpired.status, 403);
  assert.match(((await presignedExpired.json()) as { message: string }).message, /^Signature expired: /);
  const open = await fetch(`${env.url}/restapis/${api.id}/dev/_user_request_/open`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(open.status, 200);
});

test('an AWS_IAM function URL verifies the signature (service lambda) when the server has credentials', async () => {
  const { CreateFunctionUrlConfigCommand } = await import('@aws-sdk/client-lambda');
  const lambda = new LambdaClient(config(KEY));
  try {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'iam-url-fn', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: await nodeHandlerZip('exports.handler = async (e) => ({ statusCode: 200, body: e.body ?? "" });') },
    }));
    const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'iam-url-fn', AuthType: 'AWS_IAM' }));
    const url = new URL(`${env.url}/lambda-url/${new URL(FunctionUrl!).hostname.split('.')[0]}/hello?x=1`);
    const call = async (credentials: Credentials, service: string, body: string, sendBody = body) => {
      const signer = new SignatureV4({ credentials, region: testRegion, service, sha256: Sha256 });
      const signed = await signer.sign({
        method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: { x: '1' },
        headers: { host: url.host, 'content-type': 'text/plain' }, body,
      });
      return fetch(url, { method: 'POST', headers: signed.headers as Record<string, string>, body: sendBody });
    };
    const ok = await call(KEY, 'lambda', 'signed body');
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'signed body');
    assert.equal((await call(WRONG_SECRET, 'lambda', 'x')).status, 403);
    assert.equal((await call(KEY, 'lambda', 'x', 'y')).status, 403);
    assert.equal((await call(KEY, 'execute-api', 'x')).status, 403);
    // A presigned URL with UNSIGNED-PAYLOAD (as botocore presigns) verifies, whatever the body.
    const presign = async (credentials: Credentials) => {
      const signer = new SignatureV4({ credentials, region: testRegion, service: 'lambda', sha256: Sha256 });
      const presigned = await signer.presign({
        method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: { x: '1' },
        headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      }, { unhoistableHeaders: new Set(['x-amz-content-sha256']), unsignableHeaders: new Set(['x-amz-content-sha256']) });
      return `${url.origin}${url.pathname}?${new URLSearchParams(presigned.query as Record<string, string>)}`;
    };
    const presignedOk = await fetch(await presign(KEY), { method: 'POST', body: 'presigned body' });
    assert.equal(presignedOk.status, 200);
    assert.equal(await presignedOk.text(), 'presigned body');
    assert.equal((await fetch(await presign(WRONG_SECRET), { method: 'POST', body: 'x' })).status, 403);
  } finally {
    lambda.destroy();
  }
});

test('a function calls the AWS APIs with its own temporary credentials; a wrong key or a missing session token is refused', async () => {
  const lambda = new LambdaClient(config(KEY));
  try {
    const invoke = await createSigningFunction(lambda, 'self-signing-fn');
    const own = await invoke({});
    assert.equal(own.status, 200, own.errorType ?? '');
    assert.ok(own.answer.Functions.some((f: { FunctionName: string }) => f.FunctionName === 'self-signing-fn'));
    // Temporary credentials of this server, not the fixed dummy ones functions get without verification.
    assert.match(own.credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.notEqual(own.credentials.accessKeyId, 'ASIASTAGECRAFTLOCAL0');
    assert.ok(own.credentials.sessionToken.length >= 100);

    const wrongKey = await invoke({ keyId: 'ASIANOTTHEFUNCTIONS0' });
    assert.deepEqual([wrongKey.status, wrongKey.errorType], [403, 'UnrecognizedClientException']);
    const noToken = await invoke({ omitToken: true });
    assert.deepEqual([noToken.status, noToken.errorType], [403, 'UnrecognizedClientException']);

    // The same credentials work from the SDK, and only together with the session token.
    const asFunction = new LambdaClient(config(own.credentials));
    const tokenless = new LambdaClient(config({ accessKeyId: own.credentials.accessKeyId, secretAccessKey: own.credentials.secretAccessKey }));
    try {
      assert.ok((await asFunction.send(new ListFunctionsCommand({}))).Functions!.some((f) => f.FunctionName === 'self-signing-fn'));
      await rejectsWith(tokenless.send(new ListFunctionsCommand({})), 'UnrecognizedClientException', 403, 'The security token included in the request is invalid.');
    } finally {
      asFunction.destroy();
      tokenless.destroy();
    }
  } finally {
    lambda.destroy();
  }
});

test('a lifecycle hook reports its verdict to CodeDeploy signed with its own credentials', async () => {
  const lambda = new LambdaClient(config(KEY));
  try {
    const invoke = await createSigningFunction(lambda, 'signed-hook-fn');
    const deploymentId = 'd-SIGNED001';
    const executions = new URL('/_stagecraft/codedeploy/hook-executions', env.url);
    const registration = JSON.stringify({ deploymentId, executionId: 'exec-signed', ttlMs: 60_000 });
    // Like every call to a server with keys configured, the deploy's registration must be signed.
    const unsigned = await fetch(executions, { method: 'POST', body: registration });
    assert.deepEqual([unsigned.status, await unsigned.json()], [403, { message: 'Missing Authentication Token' }]);
    const connection = { endpoint: env.url, region: testRegion, credentials: KEY };
    const wrongKey = await signedFetch({ ...connection, credentials: { ...KEY, secretAccessKey: 'not-the-secret' } }, 'codedeploy', executions, { method: 'POST', body: registration });
    assert.equal(wrongKey.status, 403);
    const registered = await signedFetch(connection, 'codedeploy', executions, { method: 'POST', body: registration });
    assert.equal(registered.status, 201);
    const target = 'CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus';
    const report = await invoke({ target, input: { deploymentId, lifecycleEventHookExecutionId: 'exec-signed', status: 'Succeeded' } });
    assert.equal(report.status, 200, JSON.stringify(report.answer));
    assert.deepEqual(report.answer, { lifecycleEventHookExecutionId: 'exec-signed' });
    executions.search = new URLSearchParams({ deploymentId, executionId: 'exec-signed' }).toString();
    assert.equal((await fetch(executions)).status, 403, 'reading it unsigned is refused too');
    assert.deepEqual(await (await signedFetch(connection, 'codedeploy', executions, { method: 'GET' })).json(), { status: 'Succeeded' });
    // Another key is refused before the operation runs.
    const refused = await invoke({ target, keyId: 'ASIANOTTHEFUNCTIONS0', input: { deploymentId, lifecycleEventHookExecutionId: 'exec-signed', status: 'Failed' } });
    assert.deepEqual([refused.status, refused.errorType], [400, 'UnrecognizedClientException']);
  } finally {
    lambda.destroy();
  }
});
