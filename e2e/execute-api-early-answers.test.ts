// Answers given before the request's body is read (a path that does not decode, a Host no API has)
// reach clients that are still sending a large body: the server closes gracefully instead of
// resetting the connection with the body unread, which could destroy the answer in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { createNodeFunction } from '../src/testing/functions.js';
import { useServer } from '../src/testing/fixture.js';
import { testRegion } from '../src/testing/server.js';
import { exchange } from '../src/testing/fuzz/data-plane/exchange.js';

const env = useServer();
let urlHost: string;
env.setup(async () => {
  await createNodeFunction(env.lambda, 'early', 'exports.handler = async () => ({ statusCode: 200, body: "ok" });');
  const { FunctionUrl } = await env.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'early', AuthType: 'NONE' }));
  urlHost = `${new URL(FunctionUrl!).hostname.split('.')[0]}.lambda-url.${testRegion}.localhost`;
});

test('an early answer reaches a client still sending 7 MB', async () => {
  const port = Number(new URL(env.url).port);
  const body = Buffer.alloc(7 * 1024 * 1024, 0x62);
  const requests = [
    [`POST //%zz HTTP/1.1\r\nHost: ${urlHost}:${port}\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`, 400],
    [`POST /x HTTP/1.1\r\nHost: \r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`, 404],
  ] as const;
  for (let i = 0; i < 3; i++) {
    for (const [head, status] of requests) {
      const answer = await exchange(port, Buffer.concat([Buffer.from(head), body]), { timeoutMs: 10_000 });
      assert.equal(answer.status, status, `${head.split('\r\n')[0]}: ${answer.hung ? 'no answer in time' : 'the connection was reset before the answer was read'}`);
    }
  }
});
