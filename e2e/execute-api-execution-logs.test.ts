// Execution logs: a stage's method settings' logging level writes each request's steps to
// API-Gateway-Execution-Logs_{apiId}/{stage}, every line led by the request id in parentheses;
// INFO keeps every step (headers and bodies only with data tracing), ERROR only failed requests,
// a method's own setting wins over "*/*". Applies from the next request, without a redeploy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand, UpdateStageCommand, type PatchOperation } from '@aws-sdk/client-api-gateway';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { apiGatewayInvokeRole, createNodeFunction, putLambdaProxyMethod } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { invokeHost } from '../src/execute-api/testing.js';

const env = useServer();
let apiId: string;

env.setup(async () => {
  await createNodeFunction(env.lambda, 'exec-echo', 'exports.handler = async (e) => ({ statusCode: 200, body: "hello " + e.path });');
  await createNodeFunction(env.lambda, 'exec-fails', 'exports.handler = async () => { throw new Error("boom"); };');
  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'execution-logs' }))).id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
  for (const [path, fn] of [['hello', 'exec-echo'], ['fail', 'exec-fails']]) {
    const resourceId = (await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart: path }))).id!;
    await putLambdaProxyMethod(env.apigw, { restApiId: apiId, resourceId, httpMethod: 'GET' }, fn, { credentials: apiGatewayInvokeRole });
  }
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
});

const updateStage = (patchOperations: PatchOperation[]) => env.apigw.send(new UpdateStageCommand({ restApiId: apiId, stageName: 'dev', patchOperations }));

/** Calls a path and returns its request id and status. */
async function call(path: string): Promise<{ requestId: string; status: number }> {
  const r = await invokeHost(env.url, apiId, 'dev', path);
  return { requestId: String(r.headers['x-amzn-requestid']), status: r.status };
}

/** The execution log lines of one request (waiting for them to be written, or for `settleMs` when none are expected). */
async function linesOf(requestId: string, expectSome = true): Promise<string[]> {
  const deadline = Date.now() + (expectSome ? 10_000 : 1_500);
  for (;;) {
    let lines: string[] = [];
    try {
      const out = await env.logs.send(new FilterLogEventsCommand({ logGroupName: `API-Gateway-Execution-Logs_${apiId}/dev`, filterPattern: `"${requestId}"` }));
      lines = (out.events ?? []).map((e) => e.message!);
    } catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    }
    if ((expectSome && lines.some((l) => l.includes('Method completed with status'))) || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('INFO logs every step of a request, led by its request id; data tracing adds headers and bodies', async () => {
  const quiet = await call('/hello');
  assert.deepEqual(await linesOf(quiet.requestId, false), [], 'no logging level: nothing written');

  await updateStage([{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }]);
  const info = await call('/hello');
  assert.equal(info.status, 200);
  const lines = await linesOf(info.requestId);
  const id = info.requestId;
  assert.ok(lines.every((l) => l.startsWith(`(${id}) `)), lines.join('\n'));
  const steps = lines.map((l) => l.slice(id.length + 3));
  assert.equal(steps[1], `Starting execution for request: ${id}`);
  assert.equal(steps[2], 'HTTP Method: GET, Resource Path: /hello');
  assert.ok(steps.some((s) => /^Endpoint request URI: https:\/\/lambda\.us-east-1\.amazonaws\.com\/2015-03-31\/functions\/arn:aws:lambda:us-east-1:\d{12}:function:exec-echo\/invocations$/.test(s)), steps.join('\n'));
  assert.ok(steps.some((s) => /^Received response\. Status: 200, Integration latency: \d+ ms$/.test(s)));
  assert.deepEqual(steps.slice(-2), ['Successfully completed execution', 'Method completed with status: 200']);
  assert.ok(!steps.some((s) => s.startsWith('Endpoint request body')), 'no bodies without data tracing');

  await updateStage([{ op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' }]);
  const traced = await linesOf((await call('/hello')).requestId);
  assert.ok(traced.some((l) => l.includes('Endpoint request body after transformations: {"resource":"/hello"')), traced.join('\n'));
  assert.ok(traced.some((l) => l.includes('Endpoint response body before transformations: {"statusCode":200,"body":"hello /hello"}')));
  assert.ok(traced.some((l) => l.includes('Method response body after transformations: hello /hello')));

  // Events over 1,024 bytes (a long path in the bodies here) are truncated, as API Gateway does.
  const long = await call(`/hello?${'q'.repeat(3000)}=1`);
  const truncated = await linesOf(long.requestId);
  const body = truncated.find((l) => l.includes('Endpoint request body after transformations'))!;
  assert.ok(body.endsWith(' [TRUNCATED]'), body.slice(-40));
  assert.equal(Buffer.byteLength(body), 1024 + ' [TRUNCATED]'.length);
});

test('ERROR logs only failed requests; a method setting wins over "*/*"', async () => {
  await updateStage([{ op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' }]);
  const ok = await call('/hello');
  assert.deepEqual(await linesOf(ok.requestId, false), [], 'a request that succeeded writes nothing at ERROR');
  const failed = await call('/fail');
  assert.equal(failed.status, 502);
  const lines = await linesOf(failed.requestId);
  assert.deepEqual(lines.map((l) => l.slice(failed.requestId.length + 3)), [
    `Lambda execution failed with status 200 due to customer function error: boom. Lambda request id: ${lines[0]?.match(/request id: (\S+)$/)?.[1]}`,
    'Method completed with status: 502',
  ]);

  await updateStage([{ op: 'replace', path: '/~1fail/GET/logging/loglevel', value: 'OFF' }]);
  const off = await call('/fail');
  assert.deepEqual(await linesOf(off.requestId, false), [], "the method's own OFF wins over the stage's ERROR");
});
