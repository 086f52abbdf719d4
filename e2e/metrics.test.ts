// /_stagecraft/metrics in Prometheus's text format: invocations by function and result, cold
// starts, durations, throttles, API requests by stage and status, environments and the async
// queue, and the process's own metrics; requests to APIs that do not exist add no series.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddPermissionCommand, InvokeCommand, PublishVersionCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand } from '@aws-sdk/client-api-gateway';
import { useServer } from '../src/testing/fixture.js';
import { createNodeFunction, putLambdaProxyMethod } from '../src/testing/functions.js';

const env = useServer();

async function scrape(): Promise<{ text: string; value(series: string): number | undefined }> {
  const res = await fetch(`${env.url}/_stagecraft/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return {
    text,
    value(series: string) {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    },
  };
}

test('invocations, cold starts, durations, errors and throttles per function', async () => {
  await createNodeFunction(env.lambda, 'm-ok', 'exports.handler = async () => "fine";');
  await createNodeFunction(env.lambda, 'm-fails', 'exports.handler = async () => { throw new Error("no"); };');
  await createNodeFunction(env.lambda, 'm-throttled', 'exports.handler = async () => 1;');
  for (let i = 0; i < 3; i++) await env.lambda.send(new InvokeCommand({ FunctionName: 'm-ok' }));
  await env.lambda.send(new InvokeCommand({ FunctionName: 'm-fails' }));
  await env.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'm-throttled', ReservedConcurrentExecutions: 0 }));
  await assert.rejects(env.lambda.send(new InvokeCommand({ FunctionName: 'm-throttled' })), (e: Error) => e.name === 'TooManyRequestsException');

  const m = await scrape();
  assert.equal(m.value('stagecraft_lambda_invocations_total{function_name="m-ok",result="success"}'), 3);
  assert.equal(m.value('stagecraft_lambda_cold_starts_total{function_name="m-ok"}'), 1);
  assert.equal(m.value('stagecraft_lambda_invocation_duration_seconds_count{function_name="m-ok"}'), 3);
  assert.ok(m.value('stagecraft_lambda_invocation_duration_seconds_sum{function_name="m-ok"}')! > 0);
  assert.equal(m.value('stagecraft_lambda_invocations_total{function_name="m-fails",result="function_error"}'), 1);
  assert.equal(m.value('stagecraft_lambda_invocations_total{function_name="m-throttled",result="throttled"}'), 1);
  assert.equal(m.value('stagecraft_environments{state="busy"}'), 0);
  assert.ok(m.value('stagecraft_environments{state="idle"}')! >= 2);
  assert.equal(m.value('stagecraft_async_invocations{state="queued"}'), 0);
  assert.ok(m.value('process_cpu_seconds_total')! > 0);
});

test('API requests per existing stage and status; unknown APIs add no series', async () => {
  await createNodeFunction(env.lambda, 'm-api', 'exports.handler = async () => ({ statusCode: 201, body: "made" });');
  await env.lambda.send(new PublishVersionCommand({ FunctionName: 'm-api' }));
  const api = await env.apigw.send(new CreateRestApiCommand({ name: 'metrics api' }));
  const res = await env.apigw.send(new CreateResourceCommand({ restApiId: api.id!, parentId: api.rootResourceId!, pathPart: 'x' }));
  await putLambdaProxyMethod(env.apigw, { restApiId: api.id!, resourceId: res.id!, httpMethod: 'GET' }, 'm-api');
  await env.lambda.send(new AddPermissionCommand({ FunctionName: 'm-api', StatementId: 'apigw', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' }));
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'live' }));
  const base = `${env.url}/restapis/${api.id}/live/_user_request_`;
  assert.equal((await fetch(`${base}/x`)).status, 201);
  assert.equal((await fetch(`${base}/x`)).status, 201);
  assert.equal((await fetch(`${base}/nothing-here`)).status, 403);
  assert.equal((await fetch(`${env.url}/restapis/nosuchapi00/live/_user_request_/x`)).status, 403);

  const m = await scrape();
  assert.equal(m.value(`stagecraft_apigateway_requests_total{api_id="${api.id}",stage="live",status="201"}`), 2);
  assert.equal(m.value(`stagecraft_apigateway_requests_total{api_id="${api.id}",stage="live",status="403"}`), 1);
  assert.equal(m.value(`stagecraft_apigateway_request_duration_seconds_count{api_id="${api.id}",stage="live"}`), 3);
  assert.doesNotMatch(m.text, /nosuchapi00/);
});
