// Clients that never finish their request — a chunked body that never ends, a declared body that
// never arrives, headers trickling in — are answered 408 and cut off once `serve --request-timeout`
// has passed, so they hold no socket or buffer forever; answers that take long are not cut off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, GetResourcesCommand } from '@aws-sdk/client-api-gateway';
import { apiGatewayInvokeRole, createNodeFunction, putLambdaProxyMethod } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { httpCall, invokePath } from '../src/execute-api/testing.js';

const env = useServer({ args: ['--request-timeout', '1000'] });
let apiId: string;

env.setup(async () => {
  await createNodeFunction(env.lambda, 'slow', 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 2000)); return { statusCode: 200, body: "done" }; };', { Timeout: 10 });
  apiId = (await env.apigw.send(new CreateRestApiCommand({ name: 'slow-clients' }))).id!;
  const root = (await env.apigw.send(new GetResourcesCommand({ restApiId: apiId }))).items!.find((r) => r.path === '/')!.id!;
  const resource = await env.apigw.send(new CreateResourceCommand({ restApiId: apiId, parentId: root, pathPart: '{proxy+}' }));
  await putLambdaProxyMethod(env.apigw, { restApiId: apiId, resourceId: resource.id!, httpMethod: 'ANY' }, 'slow', { credentials: apiGatewayInvokeRole });
  await env.apigw.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
});

/** Writes `start` and never more; resolves with what the server sent and when it closed (or 'still open' after 5 s). */
function stalled(start: string): Promise<{ answer: string; closedAfterMs: number | 'still open' }> {
  return new Promise((resolve) => {
    const began = Date.now();
    const socket = connect(Number(new URL(env.url).port), '127.0.0.1', () => socket.write(start));
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closedAfterMs: 'still open' });
    }, 5000);
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closedAfterMs: Date.now() - began });
    });
  });
}

test('requests that never finish get 408 and lose their connection after the request timeout', async () => {
  const target = `/restapis/${apiId}/dev/_user_request_/upload`;
  const cases = {
    'chunked body that never ends': `POST ${target} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n`,
    'declared body that never arrives': `POST ${target} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc`,
    'headers that never end': `GET ${target} HTTP/1.1\r\nHost: x\r\nX-Slow: `,
  };
  const results = await Promise.all(Object.values(cases).map(stalled));
  for (const [i, name] of Object.keys(cases).entries()) {
    const { answer, closedAfterMs } = results[i];
    assert.match(answer, /^HTTP\/1\.1 408 /, name);
    assert.ok(typeof closedAfterMs === 'number' && closedAfterMs >= 900, `${name}: ${closedAfterMs}`);
  }
  assert.equal((await httpCall(env.url, '/_stagecraft/health')).status, 200);
});

test('an answer that takes longer than the request timeout still arrives', async () => {
  const r = await invokePath(env.url, apiId, 'dev', '/work', { method: 'POST', body: '{}' });
  assert.deepEqual([r.status, r.text], [200, 'done']);
});
